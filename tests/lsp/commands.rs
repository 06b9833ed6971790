//! `workspace/executeCommand` with work-done progress, and diagnostics cleared on close.

use serde_json::{json, Value};

use crate::support::{start, Doc, Enc};

#[test]
fn scan_file_reports_progress_on_the_request_token() {
    let (mut client, _) = start(&["utf-16"], json!({ "scanTrigger": "manual" }));
    let doc = Doc::open(
        &mut client,
        "file:///tmp/cmd.py",
        "python",
        "x = 1\n",
        Enc::Utf16,
    );
    let id = client.send_request(
        "workspace/executeCommand",
        json!({ "command": "codeward.scanFile", "arguments": [doc.uri], "workDoneToken": "tok-1" }),
    );
    let response = client.response(id);
    assert_eq!(response["result"]["findings"], 0, "{response}");
    let begin = client.notification("$/progress", |p| {
        p["token"] == "tok-1" && p["value"]["kind"] == "begin"
    });
    assert_eq!(begin["value"]["title"], "Scan in progress");
    let end = client.notification("$/progress", |p| {
        p["token"] == "tok-1" && p["value"]["kind"] == "end"
    });
    assert_eq!(end["value"]["message"], "Scan completed: 0 findings");
    // The scan published (manual trigger: this is the only publish).
    assert!(client.diagnostics(&doc.uri, 1).is_empty());
    assert!(client.shutdown().success());
}

#[test]
fn scan_file_creates_a_progress_token_when_none_is_given() {
    let (mut client, _) = start(
        &["utf-16"],
        json!({ "codeward": { "scanTrigger": "manual" } }),
    );
    let doc = Doc::open(
        &mut client,
        "file:///tmp/cmd2.py",
        "python",
        "x = 1\n",
        Enc::Utf16,
    );
    let result = client.call(
        "workspace/executeCommand",
        json!({ "command": "codeward.scanFile", "arguments": [{ "uri": doc.uri }] }),
    );
    assert_eq!(result["findings"], 0);
    let create = client.wait("window/workDoneProgress/create", |m| {
        m["method"] == "window/workDoneProgress/create"
    });
    let token = create["params"]["token"].clone();
    let end = client.notification("$/progress", |p| {
        p["token"] == token && p["value"]["kind"] == "end"
    });
    assert_eq!(end["value"]["message"], "Scan completed: 0 findings");
    assert!(client.shutdown().success());
}

#[test]
fn bad_commands_are_errors_not_crashes() {
    let (mut client, _) = start(&[], Value::Null);
    let unknown = client.request(
        "workspace/executeCommand",
        json!({ "command": "codeward.formatDisk", "arguments": [] }),
    );
    assert_eq!(unknown["error"]["code"], -32602);
    assert!(unknown["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("unknown command")));
    for arguments in [
        json!([]),
        json!([42]),
        json!([{ "path": "x" }]),
        json!(["not a uri ::"]),
    ] {
        let response = client.request(
            "workspace/executeCommand",
            json!({ "command": "codeward.scanFile", "arguments": arguments }),
        );
        assert_eq!(response["error"]["code"], -32602, "{arguments}: {response}");
    }
    let not_open = client.request(
        "workspace/executeCommand",
        json!({ "command": "codeward.scanFile", "arguments": ["file:///tmp/closed.py"] }),
    );
    assert!(not_open["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("not open")));
    assert!(client.shutdown().success());
}

#[test]
fn closing_clears_diagnostics() {
    let (mut client, _) = start(&[], json!({ "debounceMs": 0 }));
    let doc = Doc::open(
        &mut client,
        "file:///tmp/close.py",
        "python",
        "x = 1\n",
        Enc::Utf16,
    );
    client.diagnostics(&doc.uri, 1);
    doc.close(&mut client);
    let cleared = client.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == doc.uri.as_str() && p.get("version").is_none_or(Value::is_null)
    });
    assert_eq!(cleared["diagnostics"], json!([]));
    let state = client.call(
        "codeward/documentState",
        json!({ "textDocument": { "uri": doc.uri } }),
    );
    assert_eq!(state, Value::Null);
    // Nothing arrives for the closed document after the clearing publish.
    let uri = doc.uri.clone();
    let publishes: Vec<&Value> = client
        .received()
        .iter()
        .filter(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str()
        })
        .collect();
    let last = publishes.last().map(|m| &m["params"]);
    assert!(
        last.is_some_and(|p| p.get("version").is_none_or(Value::is_null)),
        "{publishes:?}"
    );
    assert!(client.shutdown().success());
}
