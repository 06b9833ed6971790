//! `codeward.scanWorkspace` over real folders: files that are not open, `.gitignore`, progress in
//! percent, cancellation, file watching, auto-scan and the time budget.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{json, Value};

use crate::client::Client;
use crate::support::{capabilities, codes, Doc, Enc};

const VULNERABLE: &str = "import hashlib\nhashlib.md5(b'')\n";
const FIXED: &str = "import hashlib\nhashlib.sha256(b'')\n";
const HASHING: &str = "python/insecure-hashing@v1.0";

/// A fresh directory under the system temp dir, removed on drop.
struct Tree(PathBuf);

impl Tree {
    fn new(files: &[(&str, &str)]) -> Tree {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "codeward-ws-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the temp dir");
        let tree = Tree(dir);
        for (path, text) in files {
            tree.write(path, text);
        }
        tree
    }

    fn write(&self, path: &str, text: &str) {
        let full = self.0.join(path);
        std::fs::create_dir_all(full.parent().expect("a parent")).expect("create dirs");
        std::fs::write(full, text).expect("write a file");
    }

    fn uri(&self, path: &str) -> String {
        format!("file://{}", self.0.join(path).display())
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A server with `root` as its only workspace folder; file watchers registrable.
fn start_in(root: &Path, options: Value) -> Client {
    let mut client = Client::spawn();
    let mut caps = capabilities(&["utf-16"], false);
    caps["workspace"] = json!({ "didChangeWatchedFiles": { "dynamicRegistration": true } });
    let uri = format!("file://{}", root.display());
    client.call(
        "initialize",
        json!({
            "processId": null,
            "rootUri": uri,
            "workspaceFolders": [{ "uri": uri, "name": "ws" }],
            "capabilities": caps,
            "initializationOptions": options,
        }),
    );
    client.notify("initialized", json!({}));
    client
}

fn scan_workspace(client: &mut Client, token: &str) -> i64 {
    client.send_request(
        "workspace/executeCommand",
        json!({ "command": "codeward.scanWorkspace", "arguments": [], "workDoneToken": token }),
    )
}

/// Waits for a publish for `uri` whose codes satisfy `check`.
fn published(client: &mut Client, uri: &str, check: impl Fn(&[String]) -> bool) -> Vec<Value> {
    let params = client.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && check(&codes(p["diagnostics"].as_array().map_or(&[][..], |d| d)))
    });
    params["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// `shutdown`, then every workspace publish (no version) received for `uris`, then `exit`.
fn publishes_at_shutdown(mut client: Client, uris: &[String]) -> Vec<Value> {
    assert_eq!(client.call("shutdown", Value::Null), Value::Null);
    let found = client
        .received()
        .iter()
        .filter(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["version"].is_null()
                && uris.iter().any(|u| m["params"]["uri"] == json!(u))
        })
        .cloned()
        .collect();
    client.notify("exit", Value::Null);
    assert!(client.finish().success());
    found
}

#[test]
fn workspace_scan_reports_files_that_are_not_open_and_honours_gitignore() {
    let tree = Tree::new(&[
        (".gitignore", "ignored/\nskip.py\n"),
        ("a.py", VULNERABLE),
        ("pkg/deep/nested/b.py", VULNERABLE),
        ("clean.py", "x = 1\n"),
        ("ignored/c.py", VULNERABLE),
        ("skip.py", VULNERABLE),
        ("open.py", VULNERABLE),
        ("notes.txt", "hashlib.md5"),
    ]);
    let mut client = start_in(&tree.0, json!({ "scanTrigger": "manual" }));
    // Open with a clean text: the open document's live state wins over the disk.
    let _open = Doc::open(
        &mut client,
        &tree.uri("open.py"),
        "python",
        "x = 2\n",
        Enc::Utf16,
    );
    let id = scan_workspace(&mut client, "ws-1");
    let response = client.response(id);
    let result = &response["result"];
    assert_eq!(
        result["files"], 3,
        "open.py is not rescanned from disk: {response}"
    );
    assert_eq!(result["findings"], 2, "{response}");
    assert_eq!(result["cancelled"], false, "{response}");
    for path in ["a.py", "pkg/deep/nested/b.py"] {
        let diagnostics = published(&mut client, &tree.uri(path), |c| !c.is_empty());
        assert_eq!(codes(&diagnostics), vec![HASHING]);
        assert!(diagnostics[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("CWE-")));
    }
    let begin = client.notification("$/progress", |p| {
        p["token"] == "ws-1" && p["value"]["kind"] == "begin"
    });
    assert_eq!(begin["value"]["percentage"], 0, "{begin}");
    assert_eq!(begin["value"]["cancellable"], true, "{begin}");
    let last = client.notification("$/progress", |p| {
        p["token"] == "ws-1" && p["value"]["kind"] == "report" && p["value"]["percentage"] == 100
    });
    assert_eq!(last["value"]["message"], "3/3 files");
    let end = client.notification("$/progress", |p| {
        p["token"] == "ws-1" && p["value"]["kind"] == "end"
    });
    assert_eq!(end["value"]["message"], "Scan completed: 2 findings");
    let silent: Vec<String> = ["ignored/c.py", "skip.py", "open.py", "clean.py"]
        .iter()
        .map(|p| tree.uri(p))
        .collect();
    let unexpected = publishes_at_shutdown(client, &silent);
    assert!(unexpected.is_empty(), "{unexpected:?}");
}

const BIG: usize = 150;

/// A tree big enough that a scan is still running when the cancellation arrives.
fn big_tree() -> Tree {
    let body: String = (0..100)
        .map(|i| format!("def f{i}(data):\n    return hashlib.md5(data)\n"))
        .collect();
    let text = format!("import hashlib\n{body}");
    let files: Vec<(String, String)> = (0..BIG)
        .map(|i| (format!("d{}/m{i}.py", i % 7), text.clone()))
        .collect();
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    Tree::new(&borrowed)
}

#[test]
fn workspace_scan_is_cancelled_by_its_progress_token() {
    let tree = big_tree();
    let mut client = start_in(&tree.0, json!({}));
    let id = scan_workspace(&mut client, "ws-cancel");
    client.notification("$/progress", |p| {
        p["token"] == "ws-cancel" && p["value"]["kind"] == "begin"
    });
    client.notify(
        "window/workDoneProgress/cancel",
        json!({ "token": "ws-cancel" }),
    );
    let response = client.response(id);
    assert_eq!(response["result"]["cancelled"], true, "{response}");
    let files = response["result"]["files"].as_u64().unwrap_or(BIG as u64);
    assert!(files < BIG as u64, "{response}");
    let end = client.notification("$/progress", |p| {
        p["token"] == "ws-cancel" && p["value"]["kind"] == "end"
    });
    assert!(
        end["value"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Scan cancelled")),
        "{end}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn workspace_scan_is_cancelled_by_cancel_request_and_superseded_by_a_later_one() {
    let tree = big_tree();
    let mut client = start_in(&tree.0, json!({}));
    let first = scan_workspace(&mut client, "ws-a");
    client.notification("$/progress", |p| {
        p["token"] == "ws-a" && p["value"]["kind"] == "begin"
    });
    client.notify("$/cancelRequest", json!({ "id": first }));
    let response = client.response(first);
    assert_eq!(response["error"]["code"], -32800, "{response}");
    let end = client.notification("$/progress", |p| {
        p["token"] == "ws-a" && p["value"]["kind"] == "end"
    });
    assert!(end["value"]["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("Scan cancelled")));

    let second = scan_workspace(&mut client, "ws-b");
    client.notification("$/progress", |p| {
        p["token"] == "ws-b" && p["value"]["kind"] == "begin"
    });
    let third = scan_workspace(&mut client, "ws-c");
    let superseded = client.response(second);
    assert_eq!(superseded["result"]["cancelled"], true, "{superseded}");
    let done = client.response(third);
    assert_eq!(done["result"]["cancelled"], false, "{done}");
    assert_eq!(done["result"]["files"], BIG, "{done}");
    assert!(client.shutdown().success());
}

#[test]
fn watched_file_changes_rescan_and_deletions_clear() {
    let tree = Tree::new(&[("a.py", VULNERABLE), ("sub/b.py", VULNERABLE)]);
    let mut client = start_in(&tree.0, json!({}));
    let registration = client.wait("client/registerCapability", |m| {
        m["method"] == "client/registerCapability"
    });
    let reg = &registration["params"]["registrations"][0];
    assert_eq!(reg["method"], "workspace/didChangeWatchedFiles");
    assert!(reg["registerOptions"]["watchers"][0]["globPattern"]
        .as_str()
        .is_some_and(|g| g.contains("py")));
    let id = scan_workspace(&mut client, "ws-w");
    assert_eq!(client.response(id)["result"]["findings"], 2);
    published(&mut client, &tree.uri("a.py"), |c| c == [HASHING]);
    published(&mut client, &tree.uri("sub/b.py"), |c| c == [HASHING]);

    tree.write("a.py", FIXED);
    std::fs::remove_file(tree.0.join("sub/b.py")).expect("delete b.py");
    tree.write("new.py", VULNERABLE);
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [
            { "uri": tree.uri("a.py"), "type": 2 },
            { "uri": tree.uri("sub/b.py"), "type": 3 },
            { "uri": tree.uri("new.py"), "type": 1 },
        ] }),
    );
    published(&mut client, &tree.uri("a.py"), |c| c.is_empty());
    published(&mut client, &tree.uri("sub/b.py"), |c| c.is_empty());
    published(&mut client, &tree.uri("new.py"), |c| c == [HASHING]);
    assert!(client.shutdown().success());
}

#[test]
fn workspace_rescan_clears_fixed_and_deleted_files() {
    let tree = Tree::new(&[("a.py", VULNERABLE), ("b.py", VULNERABLE)]);
    let mut client = start_in(&tree.0, json!({}));
    let id = scan_workspace(&mut client, "ws-1");
    assert_eq!(client.response(id)["result"]["findings"], 2);
    tree.write("a.py", FIXED);
    std::fs::remove_file(tree.0.join("b.py")).expect("delete b.py");
    let id = scan_workspace(&mut client, "ws-2");
    assert_eq!(client.response(id)["result"]["findings"], 0);
    published(&mut client, &tree.uri("a.py"), |c| c.is_empty());
    published(&mut client, &tree.uri("b.py"), |c| c.is_empty());
    assert!(client.shutdown().success());
}

#[test]
fn auto_scan_enabled_by_configuration_picks_up_a_changed_file() {
    let tree = Tree::new(&[("a.py", "x = 1\n")]);
    let mut client = start_in(&tree.0, json!({}));
    client.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "codeward": { "autoScanInterval": 1 } } }),
    );
    tree.write("a.py", VULNERABLE);
    let diagnostics = published(&mut client, &tree.uri("a.py"), |c| c == [HASHING]);
    assert_eq!(diagnostics.len(), 1);
    tree.write("a.py", FIXED);
    published(&mut client, &tree.uri("a.py"), |c| c.is_empty());
    assert!(client.shutdown().success());
}

#[test]
fn a_file_over_the_time_budget_reports_a_notice() {
    let body: String = (0..3000).map(|i| format!("v{i} = {i} + 1\n")).collect();
    let tree = Tree::new(&[("slow.py", &format!("import hashlib\n{body}"))]);
    let mut client = start_in(&tree.0, json!({ "timeBudgetMs": 1 }));
    let id = scan_workspace(&mut client, "ws-t");
    client.response(id);
    let diagnostics = published(&mut client, &tree.uri("slow.py"), |c| !c.is_empty());
    assert!(
        diagnostics.iter().any(|d| d["message"]
            .as_str()
            .is_some_and(|m| m.contains("timeBudgetMs"))),
        "{diagnostics:?}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn a_file_over_max_file_size_is_skipped_with_a_notice() {
    let tree = Tree::new(&[("big.py", &VULNERABLE.repeat(100))]);
    let mut client = start_in(&tree.0, json!({ "maxFileSize": 1000 }));
    let id = scan_workspace(&mut client, "ws-s");
    assert_eq!(client.response(id)["result"]["files"], 1);
    let diagnostics = published(&mut client, &tree.uri("big.py"), |c| !c.is_empty());
    assert_eq!(codes(&diagnostics), vec!["codeward/max-file-size"]);
    assert!(client.shutdown().success());
}
