//! The lifecycle, capabilities, encoding negotiation and document synchronisation.

use serde_json::{json, Value};

use crate::client::Client;
use crate::support::{capabilities, range, start, Doc, Enc};

#[test]
fn initialize_declares_capabilities_and_shutdown_exits_cleanly() {
    let (client, result) = start(&["utf-16"], Value::Null);
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert!(
        caps["textDocumentSync"]["save"].is_object() || caps["textDocumentSync"]["save"] == true
    );
    assert_eq!(caps["hoverProvider"], true);
    let kinds = &caps["codeActionProvider"]["codeActionKinds"];
    assert_eq!(kinds, &json!(["quickfix", "source.fixAll.codeward"]));
    let commands = &caps["executeCommandProvider"]["commands"];
    assert!(commands
        .as_array()
        .is_some_and(|c| c.contains(&json!("codeward.scanFile"))));
    assert!(
        caps.get("diagnosticProvider").is_none(),
        "push client: no pull provider"
    );
    assert_eq!(result["serverInfo"]["name"], "codeward");
    let status = client.shutdown();
    assert!(status.success(), "exit after shutdown: {status:?}");
}

#[test]
fn exit_without_shutdown_is_a_failure_exit() {
    let (mut client, _) = start(&[], Value::Null);
    client.notify("exit", Value::Null);
    let status = client.finish();
    assert_eq!(status.code(), Some(1));
}

#[test]
fn pull_clients_get_a_diagnostic_provider() {
    let mut client = Client::spawn();
    let result = client.initialize(capabilities(&["utf-8"], true), Value::Null);
    assert_eq!(
        result["capabilities"]["diagnosticProvider"]["identifier"],
        "codeward"
    );
    assert!(client.shutdown().success());
}

#[test]
fn encoding_negotiation_prefers_utf8_then_utf32_else_utf16() {
    for (offered, expected) in [
        (vec!["utf-16", "utf-8"], "utf-8"),
        (vec!["utf-32", "utf-16"], "utf-32"),
        (vec!["utf-16"], "utf-16"),
        (vec![], "utf-16"),
    ] {
        let (client, result) = start(&offered, Value::Null);
        assert_eq!(
            result["capabilities"]["positionEncoding"], expected,
            "offered {offered:?}"
        );
        assert!(client.shutdown().success());
    }
}

#[test]
fn unknown_request_is_method_not_found_and_unknown_notification_is_ignored() {
    let (mut client, _) = start(&[], Value::Null);
    let response = client.request("codeward/noSuchMethod", json!({}));
    assert_eq!(response["error"]["code"], -32601, "{response}");
    client.notify("codeward/noSuchNotification", json!({ "x": 1 }));
    client.notify("$/cancelRequest", json!({ "id": 999 }));
    let state = client.call(
        "codeward/documentState",
        json!({ "textDocument": { "uri": "file:///nowhere.py" } }),
    );
    assert_eq!(state, Value::Null);
    assert!(client.shutdown().success());
}

/// Incremental edits over emoji, CJK, astral characters, CRLF and lone CR keep the server's copy
/// equal to the client's, in each encoding.
#[test]
fn incremental_edits_stay_in_sync_in_each_encoding() {
    for (offered, enc) in [
        ("utf-8", Enc::Utf8),
        ("utf-16", Enc::Utf16),
        ("utf-32", Enc::Utf32),
    ] {
        let (mut client, result) = start(&[offered], Value::Null);
        assert_eq!(result["capabilities"]["positionEncoding"], offered);
        let uri = format!("file:///tmp/sync-{offered}.py");
        let mut doc = Doc::open(
            &mut client,
            &uri,
            "python",
            "s = '😀中文'\r\nt = 1\rdef f():\n    return s\n",
            enc,
        );
        // Insert after the emoji, on a CRLF line.
        let after_emoji = doc.text.find('中').unwrap_or(0);
        doc.replace(&mut client, after_emoji..after_emoji, "𝄞");
        // Replace across the lone CR line break.
        let t = doc.text.find("t = 1").unwrap_or(0);
        let def = doc.text.find("def").unwrap_or(0);
        doc.replace(&mut client, t..def + 3, "u = '한국어'\r\nasync def");
        // Several changes in one notification, each against the previous result.
        let r1 = range(&doc.text, 0..1, enc);
        let end = doc.text.len();
        let r2 = range(&doc.text, end..end, enc);
        doc.change(&mut client, &[(r1, "S"), (r2, "# 👩‍👩‍👧 end\n")]);
        // Delete a multi-line span.
        let from = doc.text.find("u =").unwrap_or(0);
        let to = doc.text.find("return").unwrap_or(0);
        doc.replace(&mut client, from..to, "");
        doc.assert_in_sync(&mut client);
        assert!(client.shutdown().success());
    }
}
