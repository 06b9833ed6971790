//! Trust: a scan stays inside the tree it was given. A tree with a symbolic-link loop, a link to
//! `/`, a link to a directory outside the tree and a link to a file outside it (both holding
//! findings) is scanned by `codeward scan`: the scan finishes, reports nothing from outside the
//! tree, and lists every link as skipped. (The LSP workspace-scan variant is in
//! `tests/lsp/workspace.rs`.)

#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A generous bound for a scan of a handful of files: a hang detector, not a timing assertion.
const BOUND: Duration = Duration::from_secs(120);

const VULNERABLE: &str = "import hashlib\nhashlib.md5(b'')\n";
const SECRET: &str = "GITHUB_TOKEN=ghp_q8Zt3LmW9xV2nB7kR4pJc6Hs1Yd5Fg0Ue8Ka\n";

/// `<tmp>/tree` (scanned) and `<tmp>/outside` (must never be read), removed on drop.
struct Sandbox(PathBuf);

impl Sandbox {
    fn new() -> Sandbox {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir().join(format!(
            "codeward-trust-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&root);
        let write = |path: &str, text: &str| {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().expect("a parent")).expect("mkdir");
            std::fs::write(full, text).expect("write");
        };
        write("tree/app.py", VULNERABLE);
        write("tree/pkg/util.py", "x = 1\n");
        write("outside/leak.py", VULNERABLE);
        write("outside/.env", SECRET);
        let tree = root.join("tree");
        symlink(&tree, tree.join("pkg/loop")).expect("link back to the tree");
        symlink("..", tree.join("pkg/up")).expect("relative link to the parent");
        symlink("/", tree.join("root")).expect("link to /");
        symlink(root.join("outside"), tree.join("elsewhere")).expect("link to a directory");
        symlink(root.join("outside/.env"), tree.join(".env")).expect("link to a file");
        symlink(root.join("outside/leak.py"), tree.join("leak.py")).expect("link to a file");
        Sandbox(root)
    }

    fn tree(&self) -> PathBuf {
        self.0.join("tree")
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `codeward scan --format json` on `dir`, failing if it does not end within [`BOUND`].
fn scan(dir: &Path) -> Value {
    let mut child = Command::new(env!("CARGO_BIN_EXE_codeward"))
        .args([
            "scan",
            "--format",
            "json",
            "--fail-on-severity",
            "never",
            ".",
        ])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run codeward");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait for codeward").is_some() {
            break;
        }
        if started.elapsed() > BOUND {
            let _ = child.kill();
            panic!("the scan did not finish within {BOUND:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("collect the output");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "not JSON ({err}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

#[test]
fn a_scan_never_follows_links_out_of_the_tree_or_round_a_loop() {
    let sandbox = Sandbox::new();
    let report = scan(&sandbox.tree());
    let findings: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or(""),
                f["ruleId"].as_str().unwrap_or(""),
            )
        })
        .collect();
    // Only app.py's own finding: not leak.py or .env (links to files outside), nothing under
    // elsewhere/ or root/ (links to directories outside), nothing twice through the loops.
    assert_eq!(findings, [("app.py", "python/insecure-hashing@v1.0")]);
    assert_eq!(report["summary"]["filesScanned"], 2, "{report}");
    let mut skipped: Vec<(&str, &str)> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap_or(""),
                e["message"].as_str().unwrap_or(""),
            )
        })
        .collect();
    skipped.sort();
    let link = "symbolic link (not followed)";
    assert_eq!(
        skipped,
        [
            (".env", link),
            ("elsewhere", link),
            ("leak.py", link),
            ("pkg/loop", link),
            ("pkg/up", link),
            ("root", link),
        ]
    );
}

#[test]
fn a_link_named_on_the_command_line_is_scanned_as_asked() {
    // Naming a path is the user's choice: `codeward scan link` reads what it points to.
    let sandbox = Sandbox::new();
    let output = Command::new(env!("CARGO_BIN_EXE_codeward"))
        .args([
            "scan",
            "--format",
            "json",
            "--fail-on-severity",
            "never",
            "leak.py",
        ])
        .current_dir(sandbox.tree())
        .output()
        .expect("run codeward");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["findings"][0]["path"], "leak.py", "{report}");
}
