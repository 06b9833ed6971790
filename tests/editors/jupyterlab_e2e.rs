//! The JupyterLab extension (`editors/jupyterlab`, pip package `codeward-jupyterlab`): unit tests
//! of its cell/offset mapping (node --test), a browser-free test through jupyter-lsp's websocket
//! (`tests/editors/jupyterlab/ws_test.py`), and real JupyterLab 4 in headless Chromium driven by
//! playwright-core (`tests/editors/jupyterlab/e2e.mjs`). Both also prove Codeward coexists with
//! pylsp (and jupyterlab-lsp's completer), installed next to it by `.ci/run`.
//!
//! Needs (see `.ci/run`): a Python with JupyterLab and the built wheel installed
//! (`CODEWARD_JLAB_PYTHON`, default `target/editors/jlab-venv/bin/python`), `npm ci` in
//! `editors/jupyterlab` (TypeScript, playwright-core), Node.js and Chromium (`CODEWARD_CHROMIUM`).
//! Missing pieces skip the tests loudly, or fail them when `CODEWARD_REQUIRE_EDITORS` is set.

use std::path::PathBuf;
use std::process::{Command, Output};

use super::{editor, on_path, repo, server_bin};

/// Wall-clock limit of the browser run (the script has its own, shorter, watchdog).
const BROWSER_TIMEOUT_SECS: &str = "330";
/// Wall-clock limit of the websocket test and of the unit tests.
const SHORT_TIMEOUT_SECS: &str = "180";

fn node() -> Option<PathBuf> {
    editor("CODEWARD_NODE", on_path("node"), "Node.js (node)")
}

/// `editors/jupyterlab` with its npm dependencies installed.
fn npm_deps() -> Option<PathBuf> {
    editor(
        "CODEWARD_JLAB_DEPS",
        Some(repo().join("editors/jupyterlab/node_modules/playwright-core/package.json")),
        "the JupyterLab extension's npm dependencies (`npm ci` in editors/jupyterlab)",
    )
}

/// The Python whose environment has JupyterLab and the codeward-jupyterlab wheel.
fn python() -> Option<PathBuf> {
    let python = editor(
        "CODEWARD_JLAB_PYTHON",
        Some(repo().join("target/editors/jlab-venv/bin/python")),
        "a Python with JupyterLab and codeward-jupyterlab (target/editors/jlab-venv)",
    )?;
    let installed = Command::new(&python)
        .args([
            "-c",
            "import codeward_jupyterlab, jupyterlab, jupyter_lsp, jupyterlab_lsp, pylsp",
        ])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        installed,
        "{} lacks jupyterlab, jupyter-lsp, codeward-jupyterlab, jupyterlab-lsp or \
         python-lsp-server (the coexistence checks need the last two): run .ci/run's JupyterLab \
         step (editors/jupyterlab/scripts/install-dev.sh)",
        python.display()
    );
    Some(python)
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
        Some(0) if stdout.contains("PASS") || stdout.contains("# fail 0") => {
            println!("{what}:\n{stdout}");
        }
        Some(0) => {
            panic!("{what} exited 0 without passing\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}")
        }
        Some(124) => panic!(
            "{what} timed out (killed by `timeout`)\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}"
        ),
        code => panic!("{what} failed ({code:?})\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}"),
    }
}

#[test]
fn jupyterlab_mapping_unit() {
    let (Some(node), Some(_)) = (node(), npm_deps()) else {
        return;
    };
    let dir = repo().join("editors/jupyterlab");
    let mut tsc = Command::new("timeout");
    tsc.args([SHORT_TIMEOUT_SECS])
        .arg(&node)
        .arg(dir.join("node_modules/typescript/bin/tsc"))
        .arg("-p")
        .arg(&dir);
    let out = tsc.current_dir(repo()).output().expect("run tsc");
    assert!(
        out.status.success(),
        "tsc -p editors/jupyterlab failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut cmd = Command::new("timeout");
    cmd.args(["-k", "5", SHORT_TIMEOUT_SECS])
        .arg(&node)
        .args(["--experimental-detect-module", "--test"])
        .arg(dir.join("test/mapping.test.mjs"));
    run("node --test editors/jupyterlab/test/mapping.test.mjs", cmd);
}

#[test]
fn jupyterlab_websocket() {
    let Some(python) = python() else { return };
    let mut cmd = Command::new("timeout");
    cmd.args(["-k", "5", SHORT_TIMEOUT_SECS])
        .arg(&python)
        .arg(repo().join("tests/editors/jupyterlab/ws_test.py"))
        .arg(server_bin());
    run("jupyter-lsp websocket test", cmd);
}

#[test]
fn jupyterlab_browser() {
    let (Some(node), Some(_)) = (node(), npm_deps()) else {
        return;
    };
    let Some(python) = python() else { return };
    let Some(chromium) = editor(
        "CODEWARD_CHROMIUM",
        Some(PathBuf::from("/usr/bin/chromium")),
        "Chromium",
    ) else {
        return;
    };
    let mut cmd = Command::new("timeout");
    cmd.args(["-k", "5", BROWSER_TIMEOUT_SECS])
        .arg(&node)
        .arg(repo().join("tests/editors/jupyterlab/e2e.mjs"))
        .env("CODEWARD_BIN", server_bin())
        .env("CODEWARD_JLAB_PYTHON", python)
        .env("CODEWARD_CHROMIUM", chromium)
        .env("CW_TOTAL_TIMEOUT_MS", "300000");
    run("JupyterLab end to end", cmd);
}
