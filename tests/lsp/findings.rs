//! Findings end to end: published on open with correct ranges in each encoding, hover, quick fix,
//! suppression, fix-all, stale code actions refused, cleared by edits and on close, pull mode,
//! and settings changes.

use serde_json::{json, Value};

use crate::client::Client;
use crate::support::{capabilities, codes, position, start, Doc, Enc};

/// A document with one finding of `rule` at the first occurrence of `flagged`.
struct Case {
    uri: &'static str,
    language_id: &'static str,
    text: &'static str,
    rule: &'static str,
    flagged: &'static str,
    /// An incremental edit that makes the code safe: replace `clear.0` by `clear.1`.
    clear: (&'static str, &'static str),
    /// Whether the finding has a fix applied by `source.fixAll.codeward`.
    safe_fix: bool,
}

const PYTHON: Case = Case {
    uri: "file:///tmp/app/digest.py",
    language_id: "python",
    text: "import hashlib\n\n\ndef digest(data):\r\n    label = \"😀中文𝄞\"; h = hashlib.md5(data)\n    return label, h.hexdigest()\n",
    rule: "python/insecure-hashing@v1.0",
    flagged: "hashlib.md5",
    clear: ("md5", "sha256"),
    safe_fix: false,
};

const JAVA: Case = Case {
    uri: "file:///tmp/app/Tokens.java",
    language_id: "java",
    text: "import java.util.Random;\n\nclass Tokens {\r\n    String token() {\n        String s = \"😀中文𝄞\"; Random r = new Random();\n        return s + r.nextLong();\n    }\n}\n",
    rule: "java/weak-random-number-generation@v1.0",
    flagged: "new Random()",
    clear: ("new Random()", "new java.security.SecureRandom()"),
    safe_fix: true,
};

const JAVASCRIPT: Case = Case {
    uri: "file:///tmp/app/agent.js",
    language_id: "javascript",
    text: "const https = require('https');\n\nconst label = \"😀中文𝄞\"; const agent = new https.Agent({ rejectUnauthorized: false });\r\nmodule.exports = { agent, label };\n",
    rule: "javascript/improper-certificate-validation@v1.0",
    flagged: "rejectUnauthorized: false",
    clear: ("false", "true"),
    safe_fix: false,
};

fn diagnostic_of<'a>(diagnostics: &'a [Value], rule: &str) -> &'a Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == rule)
        .unwrap_or_else(|| panic!("no {rule} diagnostic in {diagnostics:#?}"))
}

fn code_actions(client: &mut Client, doc: &Doc, diagnostic: &Value, only: &[&str]) -> Vec<Value> {
    let mut context = json!({ "diagnostics": [diagnostic] });
    if !only.is_empty() {
        context["only"] = json!(only);
    }
    let result = client.call(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": doc.uri }, "range": diagnostic["range"], "context": context }),
    );
    result.as_array().cloned().unwrap_or_default()
}

/// Opens the case's text and returns its diagnostic of the case's rule.
fn open_and_find(client: &mut Client, case: &Case, enc: Enc) -> (Doc, Value) {
    let doc = Doc::open(client, case.uri, case.language_id, case.text, enc);
    let diagnostics = client.diagnostics(case.uri, 1);
    let diagnostic = diagnostic_of(&diagnostics, case.rule).clone();
    (doc, diagnostic)
}

fn lifecycle(case: &Case, offered: &str, enc: Enc) {
    let (mut client, result) = start(&[offered], json!({ "codeward": { "debounceMs": 0 } }));
    assert_eq!(result["capabilities"]["positionEncoding"], offered);
    let (mut doc, diagnostic) = open_and_find(&mut client, case, enc);

    // Shape and range, computed independently of the server in the negotiated encoding.
    assert_eq!(diagnostic["source"], "codeward");
    let href = diagnostic["codeDescription"]["href"].as_str().unwrap_or("");
    let slug = case
        .rule
        .split('/')
        .nth(1)
        .and_then(|s| s.split('@').next())
        .unwrap_or("");
    assert!(href.contains(slug), "{href}");
    assert!(
        diagnostic["message"]
            .as_str()
            .is_some_and(|m| m.contains("CWE-")),
        "{diagnostic}"
    );
    assert_eq!(diagnostic["data"]["version"], 1);
    assert_eq!(diagnostic["data"]["ruleId"], case.rule);
    // the finding's own severity, which the LSP level only approximates (High and Critical are both errors)
    let severity = diagnostic["data"]["severity"].as_str().unwrap_or("");
    let level = diagnostic["severity"].as_i64().unwrap_or(0);
    let expected_level = match severity {
        "Critical" | "High" => 1,
        "Medium" => 2,
        "Low" => 3,
        "Info" => 4,
        other => panic!("data.severity is {other:?}: {diagnostic}"),
    };
    assert_eq!(level, expected_level, "{diagnostic}");
    let at = case.text.find(case.flagged).unwrap_or(0);
    let (line, character) = position(case.text, at, enc);
    assert_eq!(diagnostic["range"]["start"]["line"], line, "{diagnostic}");
    assert_eq!(
        diagnostic["range"]["start"]["character"], character,
        "{offered}: {diagnostic}"
    );

    // Hover over the finding.
    let hover = client.call(
        "textDocument/hover",
        json!({ "textDocument": { "uri": doc.uri }, "position": diagnostic["range"]["start"] }),
    );
    let markdown = hover["contents"]["value"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert_eq!(hover["contents"]["kind"], "markdown");
    for part in [case.rule, "CWE-", "## What it does", "cwe.mitre.org"] {
        assert!(markdown.contains(part), "hover lacks {part:?}:\n{markdown}");
    }

    // Quick fix: preferred first; applying it removes the finding.
    let actions = code_actions(&mut client, &doc, &diagnostic, &["quickfix"]);
    let fix = actions.first().cloned().unwrap_or_default();
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true, "{actions:#?}");
    assert!(actions.iter().any(|a| a["title"]
        .as_str()
        .is_some_and(|t| t.starts_with("Suppress"))));
    doc.apply_workspace_edit(&mut client, &fix["edit"]);
    let after = client.diagnostics(&doc.uri, doc.version);
    assert!(
        !codes(&after).contains(&case.rule.to_string()),
        "{after:#?}"
    );
    doc.assert_in_sync(&mut client);

    // The old diagnostic is now stale: its actions are refused.
    let stale = code_actions(&mut client, &doc, &diagnostic, &["quickfix"]);
    assert!(stale.is_empty(), "stale actions offered: {stale:#?}");

    // Back to the original text; suppress instead.
    doc.replace_all(&mut client, case.text);
    let again = client.diagnostics(&doc.uri, doc.version);
    let diagnostic = diagnostic_of(&again, case.rule).clone();
    let actions = code_actions(&mut client, &doc, &diagnostic, &[]);
    let suppress = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Suppress"))
        })
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        suppress["title"],
        format!("Suppress {} for this line", case.rule)
    );
    let fix_all = actions
        .iter()
        .find(|a| a["kind"] == "source.fixAll.codeward")
        .cloned();
    doc.apply_workspace_edit(&mut client, &suppress["edit"]);
    let after = client.diagnostics(&doc.uri, doc.version);
    assert!(
        !codes(&after).contains(&case.rule.to_string()),
        "{after:#?}"
    );
    assert!(doc
        .text
        .contains(&format!("codeward: ignore[{}]", case.rule)));
    doc.assert_in_sync(&mut client);

    // Fix-all applies safe fixes only.
    doc.replace_all(&mut client, case.text);
    let again = client.diagnostics(&doc.uri, doc.version);
    let diagnostic = diagnostic_of(&again, case.rule).clone();
    let only_fix_all = code_actions(&mut client, &doc, &diagnostic, &["source.fixAll"]);
    if case.safe_fix {
        let action = fix_all.unwrap_or_default();
        assert_eq!(action["kind"], "source.fixAll.codeward");
        assert_eq!(only_fix_all.len(), 1, "{only_fix_all:#?}");
        doc.apply_workspace_edit(&mut client, &only_fix_all[0]["edit"]);
        let after = client.diagnostics(&doc.uri, doc.version);
        assert!(
            !codes(&after).contains(&case.rule.to_string()),
            "{after:#?}"
        );
        doc.replace_all(&mut client, case.text);
        client.diagnostics(&doc.uri, doc.version);
    } else {
        assert!(fix_all.is_none(), "no safe fix, no fix-all: {actions:#?}");
        assert!(only_fix_all.is_empty(), "{only_fix_all:#?}");
    }

    // An incremental edit that makes the code safe clears the finding.
    let at = doc.text.find(case.clear.0).unwrap_or(0);
    doc.replace(&mut client, at..at + case.clear.0.len(), case.clear.1);
    let after = client.diagnostics(&doc.uri, doc.version);
    assert!(
        !codes(&after).contains(&case.rule.to_string()),
        "{after:#?}"
    );
    doc.assert_in_sync(&mut client);

    // Closing clears.
    doc.close(&mut client);
    let cleared = client.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == case.uri && p.get("version").is_none_or(Value::is_null)
    });
    assert_eq!(cleared["diagnostics"], json!([]));
    assert!(client.shutdown().success());
}

fn pull_mode(case: &Case) {
    let mut client = Client::spawn();
    client.initialize(capabilities(&["utf-16"], true), json!({ "debounceMs": 0 }));
    let doc = Doc::open(
        &mut client,
        case.uri,
        case.language_id,
        case.text,
        Enc::Utf16,
    );
    // The scan on open ends with a refresh request instead of a publish.
    client.wait("workspace/diagnostic/refresh", |m| {
        m["method"] == "workspace/diagnostic/refresh" && m.get("id").is_some()
    });
    let report = client.call(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": doc.uri } }),
    );
    assert_eq!(report["kind"], "full");
    let items = report["items"].as_array().cloned().unwrap_or_default();
    let diagnostic = diagnostic_of(&items, case.rule);
    assert_eq!(diagnostic["data"]["version"], 1);
    let pushed = client
        .received()
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .count();
    assert_eq!(pushed, 0, "a pull client must not get pushed diagnostics");
    assert!(client.shutdown().success());
}

fn settings_change(case: &Case) {
    let (mut client, _) = start(&["utf-16"], json!({ "debounceMs": 0 }));
    let (_doc, _) = open_and_find(&mut client, case, Enc::Utf16);
    client.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "codeward": { "minSeverity": "Critical" } } }),
    );
    assert!(!codes(&client.diagnostics(case.uri, 1)).contains(&case.rule.to_string()));
    client.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "codeward": { "minSeverity": "Info" } } }),
    );
    diagnostic_of(&client.diagnostics(case.uri, 1), case.rule);
    client.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "disabledRules": [case.rule], "minSeverity": 12 } }),
    );
    let log = client.notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("minSeverity"))
    });
    assert_eq!(log["type"], 2);
    assert!(!codes(&client.diagnostics(case.uri, 1)).contains(&case.rule.to_string()));
    assert!(client.shutdown().success());
}

fn scan_file_counts(case: &Case) {
    let (mut client, _) = start(&["utf-16"], json!({ "scanTrigger": "manual" }));
    let doc = Doc::open(
        &mut client,
        case.uri,
        case.language_id,
        case.text,
        Enc::Utf16,
    );
    let result = client.call(
        "workspace/executeCommand",
        json!({ "command": "codeward.scanFile", "arguments": [doc.uri], "workDoneToken": 9 }),
    );
    let n = result["findings"].as_u64().unwrap_or(0);
    assert!(n >= 1, "{result}");
    let end = client.notification("$/progress", |p| {
        p["token"] == 9 && p["value"]["kind"] == "end"
    });
    assert_eq!(
        end["value"]["message"],
        format!("Scan completed: {n} findings")
    );
    diagnostic_of(&client.diagnostics(case.uri, 1), case.rule);
    assert!(client.shutdown().success());
}

#[test]
fn python_finding_lifecycle_utf8() {
    lifecycle(&PYTHON, "utf-8", Enc::Utf8);
}

#[test]
fn python_finding_lifecycle_utf16() {
    lifecycle(&PYTHON, "utf-16", Enc::Utf16);
}

#[test]
fn python_finding_lifecycle_utf32() {
    lifecycle(&PYTHON, "utf-32", Enc::Utf32);
}

#[test]
fn python_pull_mode() {
    pull_mode(&PYTHON);
}

#[test]
fn python_settings_change() {
    settings_change(&PYTHON);
}

#[test]
fn python_scan_file() {
    scan_file_counts(&PYTHON);
}

#[test]
fn java_finding_lifecycle_utf16() {
    lifecycle(&JAVA, "utf-16", Enc::Utf16);
}

#[test]
fn java_finding_lifecycle_utf8() {
    lifecycle(&JAVA, "utf-8", Enc::Utf8);
}

#[test]
fn java_pull_mode() {
    pull_mode(&JAVA);
}

#[test]
fn javascript_finding_lifecycle_utf16() {
    lifecycle(&JAVASCRIPT, "utf-16", Enc::Utf16);
}

#[test]
fn javascript_finding_lifecycle_utf32() {
    lifecycle(&JAVASCRIPT, "utf-32", Enc::Utf32);
}

#[test]
fn javascript_pull_mode() {
    pull_mode(&JAVASCRIPT);
}

#[test]
fn javascript_settings_change() {
    settings_change(&JAVASCRIPT);
}

#[test]
fn java_scan_file() {
    scan_file_counts(&JAVA);
}
