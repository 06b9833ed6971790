//! `codeward.scanWorkspace` over real folders: files that are not open, `.gitignore`, progress in
//! percent, cancellation, file watching, auto-scan and the time budget.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{json, Value};

use crate::client::Client;
use crate::support::{capabilities, codes, offset, Doc, Enc};

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
    // a.py, b.py, clean.py and the text files .gitignore and notes.txt; open.py is open, so it is
    // not rescanned from disk.
    assert_eq!(result["files"], 5, "{response}");
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
    assert_eq!(last["value"]["message"], "5/5 files");
    let end = client.notification("$/progress", |p| {
        p["token"] == "ws-1" && p["value"]["kind"] == "end"
    });
    assert_eq!(end["value"]["message"], "Scan completed: 2 findings");
    let silent: Vec<String> = [
        "ignored/c.py",
        "skip.py",
        "open.py",
        "clean.py",
        "notes.txt",
    ]
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
    // Every file: code, notebooks and text files (secrets) are all scanned.
    assert_eq!(reg["registerOptions"]["watchers"][0]["globPattern"], "**/*");
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

/// Opens `uri` with the vulnerable text and waits for its live finding.
fn open_vulnerable(client: &mut Client, uri: &str) -> Doc {
    let doc = Doc::open(client, uri, "python", VULNERABLE, Enc::Utf16);
    assert_eq!(codes(&client.diagnostics(uri, 1)), vec![HASHING]);
    doc
}

/// After a workspace scan, a file closed in the editor shows what is on disk again (here: the
/// saved vulnerable text, not the unsaved fix in the buffer); before any workspace scan, closing
/// only clears.
#[test]
fn a_file_closed_after_a_workspace_scan_is_scanned_again_from_disk() {
    let tree = Tree::new(&[("a.py", VULNERABLE), ("b.py", VULNERABLE)]);
    let mut client = start_in(&tree.0, json!({}));
    // No workspace scan yet: closing b.py only clears its live diagnostics.
    let b = open_vulnerable(&mut client, &tree.uri("b.py"));
    b.close(&mut client);
    published(&mut client, &tree.uri("b.py"), |c| c.is_empty());

    let id = scan_workspace(&mut client, "ws-c");
    assert_eq!(client.response(id)["result"]["findings"], 2);
    published(&mut client, &tree.uri("a.py"), |c| c == [HASHING]);
    let mut a = open_vulnerable(&mut client, &tree.uri("a.py"));
    // Fixed in the buffer, never saved.
    a.replace_all(&mut client, FIXED);
    assert!(client.diagnostics(&tree.uri("a.py"), 2).is_empty());
    a.close(&mut client);
    let a_uri = tree.uri("a.py");
    let from_disk = client.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == json!(a_uri) && p["version"].is_null() && !p["diagnostics"][0].is_null()
    });
    assert_eq!(
        codes(from_disk["diagnostics"].as_array().expect("a list")),
        vec![HASHING]
    );

    // The server published nothing with findings for b.py after its close (before the scan).
    let b_uri = tree.uri("b.py");
    let b_publishes: Vec<usize> = publishes_at_shutdown(client, &[b_uri])
        .iter()
        .map(|m| m["params"]["diagnostics"].as_array().map_or(0, Vec::len))
        .collect();
    // The workspace scan's publish for b.py (1 finding) after the clear at close (0).
    assert_eq!(b_publishes, vec![0, 1], "{b_publishes:?}");
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

/// A notebook whose finding sits after an emoji and escaped quotes in its cell's JSON string.
const NOTEBOOK: &str = r##"{
 "cells": [
  { "cell_type": "markdown", "metadata": {}, "source": ["# Notes \ud83d\ude00\n"] },
  { "cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
    "source": ["import hashlib\n", "label = \"😀\"; digest = hashlib.md5(b\"\")\n"] }
 ],
 "metadata": { "kernelspec": { "language": "python", "name": "python3" } },
 "nbformat": 4,
 "nbformat_minor": 5
}
"##;

const ENV_SECRET: &str = "DEBUG=false\nGITHUB_TOKEN=ghp_q8Zt3LmW9xV2nB7kR4pJc6Hs1Yd5Fg0Ue8Ka\n";

/// The text a diagnostic's range covers in `text` (UTF-16 positions).
fn covered<'a>(text: &'a str, diagnostic: &Value) -> &'a str {
    let at = |end: &str| {
        offset(
            text,
            diagnostic["range"][end]["line"].as_u64().unwrap_or(0),
            diagnostic["range"][end]["character"].as_u64().unwrap_or(0),
            Enc::Utf16,
        )
    };
    &text[at("start")..at("end")]
}

#[test]
fn workspace_scan_covers_hidden_text_files_and_notebooks() {
    let tree = Tree::new(&[
        (".env", ENV_SECRET),
        ("analysis.ipynb", NOTEBOOK),
        ("yarn.lock", ENV_SECRET),
        (".cache/leak.env", ENV_SECRET),
    ]);
    let mut client = start_in(&tree.0, json!({ "scanTrigger": "manual" }));
    let id = scan_workspace(&mut client, "ws-kinds");
    let response = client.response(id);
    assert_eq!(response["result"]["files"], 2, "{response}");
    assert_eq!(response["result"]["findings"], 2, "{response}");
    let env = published(&mut client, &tree.uri(".env"), |c| !c.is_empty());
    assert_eq!(codes(&env), vec!["secrets/github-token@v1.0"]);
    assert_eq!(
        covered(ENV_SECRET, &env[0]),
        "ghp_q8Zt3LmW9xV2nB7kR4pJc6Hs1Yd5Fg0Ue8Ka"
    );
    let notebook = published(&mut client, &tree.uri("analysis.ipynb"), |c| !c.is_empty());
    assert_eq!(codes(&notebook), vec![HASHING]);
    // The range points into the file's JSON text, at the call in the cell's second line.
    let text = covered(NOTEBOOK, &notebook[0]);
    assert!(
        text.starts_with("hashlib.md5"),
        "{text:?} in {:?}",
        notebook[0]
    );
    assert_eq!(
        notebook[0]["range"]["start"]["line"], 4,
        "{:?}",
        notebook[0]
    );
    let silent = [tree.uri("yarn.lock"), tree.uri(".cache/leak.env")];
    let unexpected = publishes_at_shutdown(client, &silent);
    assert!(unexpected.is_empty(), "{unexpected:?}");
}

/// Trust: a workspace scan of a tree with a link loop, a link to `/` and links to a directory
/// and a file outside the tree reads and reports only the tree's own files.
#[cfg(unix)]
#[test]
fn workspace_scan_stays_inside_the_tree_despite_symbolic_links() {
    use std::os::unix::fs::symlink;
    let outside = Tree::new(&[("leak.py", VULNERABLE), (".env", ENV_SECRET)]);
    let tree = Tree::new(&[("app.py", VULNERABLE), ("pkg/util.py", "x = 1\n")]);
    symlink(&tree.0, tree.0.join("pkg/loop")).expect("link back to the tree");
    symlink("..", tree.0.join("pkg/up")).expect("link to the parent");
    symlink("/", tree.0.join("root")).expect("link to /");
    symlink(&outside.0, tree.0.join("elsewhere")).expect("link to a directory");
    symlink(outside.0.join("leak.py"), tree.0.join("leak.py")).expect("link to a file");
    symlink(outside.0.join(".env"), tree.0.join(".env")).expect("link to a file");
    let mut client = start_in(&tree.0, json!({ "scanTrigger": "manual" }));
    let id = scan_workspace(&mut client, "ws-links");
    let response = client.response(id);
    assert_eq!(response["result"]["files"], 2, "{response}");
    assert_eq!(response["result"]["findings"], 1, "{response}");
    published(&mut client, &tree.uri("app.py"), |c| c == [HASHING]);
    // A watcher event for a link is not followed either.
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": tree.uri("leak.py"), "type": 2 }] }),
    );
    assert_eq!(client.call("shutdown", Value::Null), Value::Null);
    let published_uris: Vec<String> = client
        .received()
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .filter(|m| {
            m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| !d.is_empty())
        })
        .map(|m| m["params"]["uri"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(published_uris, vec![tree.uri("app.py")]);
    client.notify("exit", Value::Null);
    assert!(client.finish().success());
}

/// A notebook closed after a workspace scan gets the disk notebook's diagnostics back, on the
/// `.ipynb` URI, like a text document.
#[test]
fn a_notebook_closed_after_a_workspace_scan_is_scanned_again_from_disk() {
    let tree = Tree::new(&[("analysis.ipynb", NOTEBOOK)]);
    let mut client = start_in(&tree.0, json!({}));
    let id = scan_workspace(&mut client, "ws-nb");
    assert_eq!(client.response(id)["result"]["findings"], 1);
    let notebook = tree.uri("analysis.ipynb");
    published(&mut client, &notebook, |c| c == [HASHING]);
    // Open with the finding fixed in the editor (unsaved), then close.
    let cell = format!("{notebook}#cell1");
    client.notify(
        "notebookDocument/didOpen",
        json!({
            "notebookDocument": {
                "uri": notebook, "notebookType": "jupyter-notebook", "version": 1,
                "cells": [{ "kind": 2, "document": cell }],
            },
            "cellTextDocuments": [{
                "uri": cell, "languageId": "python", "version": 1,
                "text": "import hashlib\ndigest = hashlib.sha256(b'')\n",
            }],
        }),
    );
    // The open drops the notebook's workspace diagnostics.
    published(&mut client, &notebook, |c| c.is_empty());
    client.notify(
        "notebookDocument/didClose",
        json!({ "notebookDocument": { "uri": notebook }, "cellTextDocuments": [{ "uri": cell }] }),
    );
    published(&mut client, &notebook, |c| c == [HASHING]);
    assert!(client.shutdown().success());
}
