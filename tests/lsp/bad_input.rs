//! Bad input never stops the server: after each case it still answers, and its copy of the
//! document still equals the client's.

use serde_json::{json, Value};

use crate::client::Client;
use crate::support::{codes, range, start, Doc, Enc};

fn alive(client: &mut Client) {
    let state = client.call(
        "codeward/documentState",
        json!({ "textDocument": { "uri": "file:///not-open.py" } }),
    );
    assert_eq!(state, Value::Null);
}

#[test]
fn malformed_json_body_gets_a_parse_error_and_the_session_continues() {
    let (mut client, _) = start(&[], Value::Null);
    let body = r#"{"jsonrpc":"2.0","id":5,"method":"#;
    client.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    let error = client.wait("a parse error", |m| m["error"]["code"] == -32700);
    assert_eq!(error["id"], Value::Null);
    // Valid JSON that is not JSON-RPC: invalid request, answered with its id.
    client.send(&json!({ "id": 77, "hello": "world" }));
    let error = client.wait("an invalid request error", |m| m["id"] == 77);
    assert_eq!(error["error"]["code"], -32600);
    // Not UTF-8.
    client.send_raw(b"Content-Length: 4\r\n\r\n\xff\xfe\x00\x01");
    client.wait("a parse error for bytes", |m| m["error"]["code"] == -32700);
    alive(&mut client);
    assert!(client.shutdown().success());
}

#[test]
fn bad_headers_and_wrong_lengths_are_survived() {
    let (mut client, _) = start(&[], Value::Null);
    // A header block without Content-Length.
    client.send_raw(b"Content-Type: application/vscode-jsonrpc\r\n\r\n");
    // A Content-Length that is not a number.
    client.send_raw(b"Content-Length: many\r\n\r\n");
    client.wait("a parse error for the bad length", |m| {
        m["error"]["code"] == -32700
    });
    // A Content-Length shorter than the body: the rest is skipped up to the next header.
    let body = json!({ "jsonrpc": "2.0", "id": 31, "method": "shutdown" }).to_string();
    client.send_raw(format!("Content-Length: 10\r\n\r\n{body}").as_bytes());
    client.wait("a parse error for the short length", |m| {
        m["error"]["code"] == -32700
    });
    // Garbage between messages.
    client.send_raw(b"\r\n\r\nnot a header at all\r\n");
    alive(&mut client);
    // A header with no body, then the input ends: the server exits instead of hanging.
    client.send_raw(b"Content-Length: 100\r\n\r\n");
    let status = client.finish();
    assert_eq!(status.code(), Some(1), "no shutdown was requested");
}

#[test]
fn changes_to_unopened_documents_are_logged_and_ignored() {
    let (mut client, _) = start(&[], Value::Null);
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": "file:///tmp/ghost.py", "version": 3 },
            "contentChanges": [{ "range": {
                "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
                "text": "x" }]
        }),
    );
    let log = client.notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("ghost.py"))
    });
    assert_eq!(log["type"], 2, "a warning: {log}");
    let state = client.call(
        "codeward/documentState",
        json!({ "textDocument": { "uri": "file:///tmp/ghost.py" } }),
    );
    assert_eq!(state, Value::Null);
    // A full-text change for an unopened document resynchronises it.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": "file:///tmp/ghost.py", "version": 4 },
            "contentChanges": [{ "text": "y = 2\n" }]
        }),
    );
    let state = client.call(
        "codeward/documentState",
        json!({ "textDocument": { "uri": "file:///tmp/ghost.py" } }),
    );
    assert_eq!(state, json!({ "version": 4, "text": "y = 2\n" }));
    assert!(client.shutdown().success());
}

#[test]
fn version_gaps_and_backwards_versions_are_applied_in_order_and_logged() {
    let (mut client, _) = start(&["utf-16"], Value::Null);
    let mut doc = Doc::open(
        &mut client,
        "file:///tmp/versions.py",
        "python",
        "a = 1\n",
        Enc::Utf16,
    );
    doc.version += 4; // skips 2..5
    doc.replace(&mut client, 0..1, "b");
    client.notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("version went from 1 to 6"))
    });
    doc.assert_in_sync(&mut client);
    doc.version -= 4; // goes backwards to 3
    doc.replace(&mut client, 0..0, "#");
    client.notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("version went from 6 to 3"))
    });
    doc.assert_in_sync(&mut client);
    doc.replace_all(&mut client, "c = 3\n");
    doc.assert_in_sync(&mut client);
    assert!(client.shutdown().success());
}

#[test]
fn out_of_range_and_reversed_ranges_are_clamped() {
    let (mut client, _) = start(&["utf-16"], Value::Null);
    let mut doc = Doc::open(
        &mut client,
        "file:///tmp/ranges.py",
        "python",
        "ab😀cd\nxy\n",
        Enc::Utf16,
    );
    let pos = |l: u64, c: u64| json!({ "line": l, "character": c });
    // Past the end of a line, past the end of the document, reversed, inside a surrogate pair.
    doc.change(
        &mut client,
        &[(json!({ "start": pos(0, 90), "end": pos(0, 95) }), "!")],
    );
    doc.change(
        &mut client,
        &[(json!({ "start": pos(40, 0), "end": pos(50, 3) }), "tail")],
    );
    doc.change(
        &mut client,
        &[(json!({ "start": pos(1, 2), "end": pos(1, 0) }), "XY")],
    );
    doc.change(
        &mut client,
        &[(json!({ "start": pos(0, 3), "end": pos(0, 3) }), "|")],
    );
    doc.change(
        &mut client,
        &[(
            json!({ "start": pos(u32::MAX as u64, u32::MAX as u64), "end": pos(0, 0) }),
            "",
        )],
    );
    doc.assert_in_sync(&mut client);
    assert!(client.shutdown().success());
}

#[test]
fn nul_bytes_and_odd_unicode_are_kept_exactly() {
    let (mut client, _) = start(&["utf-32"], Value::Null);
    let text =
        "\u{feff}a = '\u{0}'\u{2028}b\u{2029}\r\u{85}c = 'e\u{301}'\r\n# 👩‍💻\u{200d}\u{fffd}\n";
    let mut doc = Doc::open(
        &mut client,
        "file:///tmp/odd.py",
        "python",
        text,
        Enc::Utf32,
    );
    let nul = doc.text.find('\u{0}').unwrap_or(0);
    doc.replace(&mut client, nul..nul + 1, "\u{0}\u{0}🦀");
    let sep = doc.text.find('\u{2029}').unwrap_or(0);
    doc.replace(&mut client, sep..sep, "\r\n");
    let r = range(&doc.text, 0..doc.text.len(), Enc::Utf32);
    doc.change(&mut client, &[(r, "\u{0}x\ry\u{2028}z")]);
    doc.assert_in_sync(&mut client);
    assert!(client.shutdown().success());
}

#[test]
fn a_huge_document_gets_the_express_limit_notice() {
    let (mut client, _) = start(&["utf-8"], Value::Null);
    let line = "value = compute(1, 2, 3)  # padding padding padding padding\n";
    let text = line.repeat(5 * 1024 * 1024 / line.len());
    let doc = Doc::open(
        &mut client,
        "file:///tmp/huge.py",
        "python",
        &text,
        Enc::Utf8,
    );
    let diagnostics = client.diagnostics(&doc.uri, 1);
    assert_eq!(codes(&diagnostics), vec!["codeward/express-limit"]);
    assert_eq!(diagnostics[0]["severity"], 3, "information");
    assert!(diagnostics[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("standard scan")));
    doc.assert_in_sync(&mut client);
    assert!(client.shutdown().success());
}

#[test]
fn a_deeply_nested_document_is_scanned_without_crashing() {
    let (mut client, _) = start(&["utf-8"], Value::Null);
    for (uri, language_id, text) in [
        (
            "file:///tmp/deep.py",
            "python",
            format!("x = {}{}\n", "[".repeat(50_000), "]".repeat(50_000)),
        ),
        (
            "file:///tmp/deep.js",
            "javascript",
            format!("let x = {}1{};\n", "(".repeat(50_000), ")".repeat(50_000)),
        ),
        (
            "file:///tmp/Deep.java",
            "java",
            format!(
                "class A {{ int x = {}1{}; }}\n",
                "(".repeat(50_000),
                ")".repeat(50_000)
            ),
        ),
    ] {
        let mut doc = Doc::open(&mut client, uri, language_id, &text, Enc::Utf8);
        client.diagnostics(uri, 1);
        doc.replace(&mut client, 4..5, "  ");
        client.diagnostics(uri, 2);
        doc.assert_in_sync(&mut client);
    }
    assert!(client.shutdown().success());
}
