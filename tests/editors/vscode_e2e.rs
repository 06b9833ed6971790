//! The VS Code extension (`editors/vscode`): protocol tests with vscode-jsonrpc against the real
//! server (`tests/editors/vscode/protocol.test.mjs`), and real VS Code 1.100.3 (code-server
//! 4.100.3) in headless Chromium with the packaged .vsix (`tests/editors/vscode/run.mjs`).
//!
//! Needs (see `.ci/run`): Node.js, `npm ci` in `editors/vscode`; for the VS Code test also
//! code-server (`CODEWARD_CODE_SERVER`, default `target/editors/code-server/node_modules/.bin/code-server`)
//! and Chromium (`CODEWARD_CHROMIUM`, default `/usr/bin/chromium`). Missing pieces skip the tests
//! loudly, or fail them when `CODEWARD_REQUIRE_EDITORS` is set.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::{editor, on_path, repo, server_bin};

/// Wall-clock limit of the VS Code run (the script has its own, shorter, watchdog).
const VSCODE_TIMEOUT_SECS: &str = "330";
/// Wall-clock limit of the protocol tests.
const PROTOCOL_TIMEOUT_SECS: &str = "180";

fn node() -> Option<PathBuf> {
    editor("CODEWARD_NODE", on_path("node"), "Node.js (node)")
}

/// `editors/vscode` with its npm dependencies installed, or `None` after a skip message.
fn extension_deps() -> Option<PathBuf> {
    editor(
        "CODEWARD_VSCODE_DEPS",
        Some(repo().join("editors/vscode/node_modules/vscode-languageclient/package.json")),
        "the VS Code extension's npm dependencies (`npm ci` in editors/vscode)",
    )
}

fn run(what: &str, mut cmd: Command) {
    let output: Output = cmd
        .current_dir(repo())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|err| panic!("{what}: cannot run: {err}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    match output.status.code() {
        Some(0) => {
            // show the run's summary even on success (visible with --nocapture)
            println!("{what}:\n{stdout}");
        }
        Some(124) => panic!(
            "{what} timed out (killed by `timeout`)\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}"
        ),
        code => panic!("{what} failed ({code:?})\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}"),
    }
}

/// Compiles the extension's TypeScript (`out/`), which the protocol tests import.
fn compile(node: &Path) {
    let tsc = repo().join("editors/vscode/node_modules/typescript/bin/tsc");
    let mut cmd = Command::new("timeout");
    cmd.args(["120"])
        .arg(node)
        .arg(tsc)
        .args(["-p", "editors/vscode"]);
    run("tsc -p editors/vscode", cmd);
}

#[test]
fn vscode_protocol() {
    let (Some(node), Some(_)) = (node(), extension_deps()) else {
        return;
    };
    compile(&node);
    let mut cmd = Command::new("timeout");
    cmd.args(["-k", "5", PROTOCOL_TIMEOUT_SECS])
        .arg(&node)
        .args(["--test", "--test-timeout=60000"])
        .arg(repo().join("tests/editors/vscode/protocol.test.mjs"))
        .env("CODEWARD_BIN", server_bin());
    run("node --test tests/editors/vscode/protocol.test.mjs", cmd);
}

#[test]
fn vscode_code_server() {
    let (Some(node), Some(_)) = (node(), extension_deps()) else {
        return;
    };
    let Some(code_server) = editor(
        "CODEWARD_CODE_SERVER",
        Some(repo().join("target/editors/code-server/node_modules/.bin/code-server")),
        "code-server 4.100.3 (VS Code 1.100.3)",
    ) else {
        return;
    };
    let Some(chromium) = editor(
        "CODEWARD_CHROMIUM",
        Some(PathBuf::from("/usr/bin/chromium")),
        "Chromium",
    ) else {
        return;
    };
    let mut cmd = Command::new("timeout");
    cmd.args(["-k", "5", VSCODE_TIMEOUT_SECS])
        .arg(&node)
        .arg(repo().join("tests/editors/vscode/run.mjs"))
        .env("CODEWARD_BIN", server_bin())
        .env("CODEWARD_CODE_SERVER", code_server)
        .env("CODEWARD_CHROMIUM", chromium)
        .env("CW_TOTAL_TIMEOUT_MS", "300000");
    run("VS Code (code-server) end to end", cmd);
}
