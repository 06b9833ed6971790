//! End-to-end tests of `codeward scan` and `codeward rules`: the real binary on files written into
//! fresh temporary directories.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

/// MD5 (insecure hashing, Medium) on line 5 and `yaml.unsafe_load` (deserialization, High) on
/// line 6.
const VULNERABLE: &str = "import hashlib\nimport yaml\n\n\ndef load(text):\n    digest = hashlib.md5(text.encode())\n    return yaml.unsafe_load(text), digest\n";
const VULNERABLE_MD5_LINE: u64 = 6;
const VULNERABLE_YAML_LINE: u64 = 7;
const CLEAN: &str =
    "import hashlib\n\n\ndef digest(text):\n    return hashlib.sha256(text.encode()).hexdigest()\n";

/// A directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "codeward-cli-{}-{}-{name}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create temp dir");
        Self(dir)
    }

    fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("create parent");
        fs::write(&path, contents).expect("write file");
        path
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // Make anything a test locked up readable again so it can be removed.
        restore_permissions(&self.0);
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[cfg(unix)]
fn restore_permissions(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let _ = fs::set_permissions(entry.path(), fs::Permissions::from_mode(0o755));
            if entry.path().is_dir() {
                restore_permissions(&entry.path());
            }
        }
    }
}

#[cfg(not(unix))]
fn restore_permissions(_: &Path) {}

/// Runs `codeward` in `dir` with `NO_COLOR` set.
fn codeward(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codeward"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run codeward")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!("stdout is not JSON ({err}):\n{}", stdout(output));
    })
}

/// (path, rule id, line) of every finding in a JSON report.
fn findings(report: &Value) -> Vec<(String, String, u64)> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().expect("path").to_string(),
                f["ruleId"].as_str().expect("ruleId").to_string(),
                f["start"]["line"].as_u64().expect("line"),
            )
        })
        .collect()
}

fn error_kinds(report: &Value) -> Vec<(String, String)> {
    report["errors"]
        .as_array()
        .expect("errors array")
        .iter()
        .map(|e| {
            (
                e["path"].as_str().expect("path").to_string(),
                e["kind"].as_str().expect("kind").to_string(),
            )
        })
        .collect()
}

#[test]
fn clean_code_exits_zero() {
    let dir = TempDir::new("clean");
    dir.write("app/clean.py", CLEAN);
    let out = codeward(dir.path(), &["scan", "app"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).starts_with("No findings in 1 file scanned"));
}

#[test]
fn findings_exit_one_at_or_above_the_threshold() {
    let dir = TempDir::new("threshold");
    dir.write("vuln.py", VULNERABLE);
    let run = |extra: &[&str]| {
        let mut args = vec!["scan", "vuln.py"];
        args.extend_from_slice(extra);
        code(&codeward(dir.path(), &args))
    };
    assert_eq!(run(&[]), 1, "any finding fails by default");
    assert_eq!(run(&["--fail-on-severity", "high"]), 1);
    assert_eq!(run(&["--fail-on-severity", "critical"]), 0);
    assert_eq!(run(&["--fail-on-severity", "never"]), 0);
    // Filtered findings are not reported, so they cannot fail the run.
    assert_eq!(run(&["--min-severity", "critical"]), 0);
    assert_eq!(
        run(&[
            "--disable",
            "untrusted-deserialization",
            "--fail-on-severity",
            "high"
        ]),
        0
    );
}

#[test]
fn usage_errors_exit_two() {
    let dir = TempDir::new("usage");
    dir.write("clean.py", CLEAN);
    for args in [
        &["scan"][..],
        &["scan", "--format", "xml", "clean.py"],
        &["scan", "--jobs", "0", "clean.py"],
        &["scan", "--fail-on-severity", "urgent", "clean.py"],
    ] {
        let out = codeward(dir.path(), args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn a_missing_path_is_an_error_but_the_others_are_scanned() {
    let dir = TempDir::new("missing");
    dir.write("vuln.py", VULNERABLE);
    let out = codeward(
        dir.path(),
        &["scan", "--format", "json", "nope.py", "vuln.py"],
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("error: nope.py: "),
        "{}",
        stderr(&out)
    );
    let report = json(&out);
    assert_eq!(findings(&report).len(), 2);
    assert_eq!(
        error_kinds(&report),
        vec![("nope.py".to_string(), "missing-path".to_string())]
    );

    let none = codeward(dir.path(), &["scan", "nope.py", "gone/"]);
    assert_eq!(code(&none), 2);
}

#[test]
fn text_lines_are_path_line_column_severity_rule_message() {
    let dir = TempDir::new("text");
    dir.write("src/vuln.py", VULNERABLE);
    dir.write("README.md", "# scanned as text, for secrets\n");
    dir.write("logo.png", b"\x89PNG\r\n");
    let out = codeward(dir.path(), &["scan", "."]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with(&format!(
            "src/vuln.py:{VULNERABLE_MD5_LINE}:14: MEDIUM python/insecure-hashing@v1.0 "
        )),
        "{text}"
    );
    assert!(
        lines[1].starts_with(&format!(
            "src/vuln.py:{VULNERABLE_YAML_LINE}:12: HIGH python/untrusted-deserialization@v1.0 "
        )),
        "{text}"
    );
    assert_eq!(
        lines.last().copied(),
        Some(
            "Found 2 findings (1 high, 1 medium) in 2 files scanned (8 lines); 1 file of other \
             types not scanned."
        )
    );
    assert!(!text.contains('\x1b'), "no colours when piped or NO_COLOR");
}

#[test]
fn json_report_has_the_documented_shape() {
    let dir = TempDir::new("json");
    dir.write("b.py", VULNERABLE);
    dir.write("a/clean.py", CLEAN);
    let out = codeward(dir.path(), &["scan", "--format", "json", "."]);
    assert_eq!(code(&out), 1);
    let report = json(&out);
    assert_eq!(report["formatVersion"], 1);
    assert_eq!(report["positionEncoding"], "utf-16");
    assert_eq!(
        findings(&report),
        vec![
            (
                "b.py".to_string(),
                "python/insecure-hashing@v1.0".to_string(),
                VULNERABLE_MD5_LINE
            ),
            (
                "b.py".to_string(),
                "python/untrusted-deserialization@v1.0".to_string(),
                VULNERABLE_YAML_LINE
            ),
        ]
    );
    let md5 = &report["findings"][0];
    assert_eq!(md5["severity"], "Medium");
    assert_eq!(md5["category"], "Security");
    assert_eq!(md5["cwes"][0], 327);
    assert_eq!(md5["start"]["column"], 14);
    assert!(md5["end"]["column"].as_u64() > md5["start"]["column"].as_u64());
    assert!(md5["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(md5["docUrl"]
        .as_str()
        .is_some_and(|u| u.starts_with("https://")));
    let fix = &md5["fixes"][0];
    assert!(fix["title"].is_string());
    assert!(
        ["safe", "unsafe", "display-only"].contains(&fix["applicability"].as_str().unwrap_or(""))
    );
    assert!(fix["edits"][0]["replacement"].is_string());
    assert_eq!(fix["edits"][0]["start"]["line"], VULNERABLE_MD5_LINE);
    let summary = &report["summary"];
    assert_eq!(summary["findings"], 2);
    assert_eq!(summary["bySeverity"]["High"], 1);
    assert_eq!(summary["bySeverity"]["Medium"], 1);
    assert_eq!(summary["filesScanned"], 2);
    assert_eq!(report["errors"], serde_json::json!([]));
}

#[test]
fn sarif_report_has_the_required_keys() {
    let dir = TempDir::new("sarif");
    dir.write("pkg/vuln.py", VULNERABLE);
    let out = codeward(dir.path(), &["scan", "--format", "sarif", "pkg"]);
    assert_eq!(code(&out), 1);
    let log = json(&out);
    assert!(log["$schema"].as_str().is_some_and(|s| s.contains("sarif")));
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "codeward");
    assert!(driver["version"].is_string() && driver["informationUri"].is_string());
    let rules = driver["rules"].as_array().expect("rules");
    assert!(!run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap_or("")
        .is_empty());
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        let rule = &rules[index];
        assert_eq!(rule["id"], result["ruleId"]);
        for key in [
            "name",
            "shortDescription",
            "fullDescription",
            "help",
            "helpUri",
        ] {
            assert!(!rule[key].is_null(), "rule lacks {key}");
        }
        assert!(rule["help"]["markdown"].is_string() && rule["help"]["text"].is_string());
        let tags = rule["properties"]["tags"].as_array().expect("tags");
        assert!(tags.contains(&Value::from("security")));
        assert!(tags.iter().any(|t| t
            .as_str()
            .is_some_and(|t| t.starts_with("external/cwe/cwe-"))));
        let score: f64 = rule["properties"]["security-severity"]
            .as_str()
            .expect("security-severity")
            .parse()
            .expect("numeric");
        assert!((0.0..=10.0).contains(&score));
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap_or("")));
        assert!(result["message"]["text"].is_string());
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "pkg/vuln.py");
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(
                location["region"][key].as_u64().is_some_and(|n| n >= 1),
                "{key}"
            );
        }
        assert!(result["partialFingerprints"]
            .as_object()
            .is_some_and(|f| !f.is_empty()));
    }
    assert_eq!(results[0]["level"], "warning");
    assert_eq!(results[1]["level"], "error");
    assert!(
        results[0]["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]
            ["startLine"]
            .is_u64()
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn fingerprints_ignore_line_moves() {
    let dir = TempDir::new("fingerprints");
    dir.write("vuln.py", VULNERABLE);
    let prints = |dir: &TempDir| -> Vec<(String, u64)> {
        let report = json(&codeward(
            dir.path(),
            &["scan", "--format", "json", "vuln.py"],
        ));
        report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                (
                    f["fingerprint"].as_str().expect("fingerprint").to_string(),
                    f["start"]["line"].as_u64().expect("line"),
                )
            })
            .collect()
    };
    let before = prints(&dir);
    dir.write("vuln.py", format!("# a comment\n\n{VULNERABLE}"));
    let after = prints(&dir);
    assert_eq!(before.len(), 2);
    for ((print_a, line_a), (print_b, line_b)) in before.iter().zip(&after) {
        assert_eq!(print_a, print_b);
        assert_eq!(line_a + 2, *line_b);
    }
}

#[test]
fn gitignored_and_hidden_files_are_skipped_unless_named() {
    let dir = TempDir::new("gitignore");
    dir.write(".gitignore", "build/\n*.gen.py\n");
    dir.write("build/vuln.py", VULNERABLE);
    dir.write("src/vuln.gen.py", VULNERABLE);
    dir.write(".hidden/vuln.py", VULNERABLE);
    dir.write(".git/hooks/vuln.py", VULNERABLE);
    dir.write("src/clean.py", CLEAN);
    let out = codeward(dir.path(), &["scan", "--format", "json", "."]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    // src/clean.py and .gitignore (hidden files are scanned for secrets, hidden directories not).
    assert_eq!(json(&out)["summary"]["filesScanned"], 2);

    let named = codeward(
        dir.path(),
        &["scan", "--format", "json", "build/vuln.py", "."],
    );
    assert_eq!(code(&named), 1);
    let report = json(&named);
    assert!(findings(&report)
        .iter()
        .all(|(p, _, _)| p == "build/vuln.py"));
    assert_eq!(report["summary"]["filesScanned"], 3);
}

#[test]
fn unscannable_files_are_reported_in_every_format_and_never_fatal() {
    let dir = TempDir::new("unscannable");
    dir.write("binary.py", b"import os\0\x01\x02");
    dir.write("latin1.js", b"var s = '\xe9t\xe9';\n");
    dir.write("ok.py", VULNERABLE);
    let locked = dir.write("locked.py", CLEAN);
    let locked_is_unreadable = lock(&locked);

    let mut expected = vec![
        ("binary.py".to_string(), "skipped".to_string()),
        ("latin1.js".to_string(), "skipped".to_string()),
    ];
    if locked_is_unreadable {
        expected.push(("locked.py".to_string(), "skipped".to_string()));
    }
    expected.sort();

    let text = codeward(dir.path(), &["scan", "."]);
    assert_eq!(code(&text), 1, "the findings in ok.py decide the exit code");
    let err = stderr(&text);
    assert!(err.contains("skipped: binary.py: binary file"), "{err}");
    assert!(
        err.contains("skipped: latin1.js: invalid UTF-8 at byte 9"),
        "{err}"
    );
    assert_eq!(
        err.contains("skipped: locked.py: "),
        locked_is_unreadable,
        "{err}"
    );

    let report = json(&codeward(dir.path(), &["scan", "--format", "json", "."]));
    assert_eq!(error_kinds(&report), expected);
    let scanned = if locked_is_unreadable { 1 } else { 2 };
    assert_eq!(report["summary"]["filesScanned"], scanned);
    assert_eq!(report["summary"]["filesSkipped"], expected.len());

    let log = json(&codeward(dir.path(), &["scan", "--format", "sarif", "."]));
    let notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    let uris: Vec<&str> = notes
        .iter()
        .map(|n| {
            n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri")
        })
        .collect();
    let expected_uris: Vec<&str> = expected.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(uris, expected_uris);
    assert!(notes.iter().all(|n| n["level"] == "warning"));
}

/// Removes every permission from `path`; returns whether it is now unreadable (root reads anyway).
#[cfg(unix)]
fn lock(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    fs::read(path).is_err()
}

#[cfg(not(unix))]
fn lock(_: &Path) -> bool {
    false
}

#[test]
fn nothing_readable_exits_two() {
    let dir = TempDir::new("nothing");
    dir.write("binary.py", b"\0\0\0");
    let out = codeward(dir.path(), &["scan", "binary.py"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("skipped: binary.py: binary file"));
}

#[test]
fn output_goes_to_the_named_file() {
    let dir = TempDir::new("output");
    dir.write("vuln.py", VULNERABLE);
    let out = codeward(
        dir.path(),
        &[
            "scan",
            "--format",
            "sarif",
            "--output",
            "report.sarif",
            "vuln.py",
        ],
    );
    assert_eq!(code(&out), 1);
    assert!(out.stdout.is_empty());
    let written = fs::read(dir.path().join("report.sarif")).expect("report written");
    let log: Value = serde_json::from_slice(&written).expect("SARIF is JSON");
    assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(2));

    let unwritable = codeward(
        dir.path(),
        &["scan", "--output", "no/such/dir/report.txt", "vuln.py"],
    );
    assert_eq!(code(&unwritable), 2);
    assert!(stderr(&unwritable).contains("cannot create no/such/dir/report.txt"));
}

#[test]
fn output_is_deterministic_across_job_counts() {
    let dir = TempDir::new("deterministic");
    for i in 0..12 {
        dir.write(&format!("m{i}/vuln.py"), VULNERABLE);
        dir.write(&format!("m{i}/clean.py"), CLEAN);
    }
    let one = codeward(dir.path(), &["scan", "--format", "json", "-j", "1", "."]);
    let two = codeward(dir.path(), &["scan", "--format", "json", "-j", "2", "."]);
    assert_eq!(stdout(&one), stdout(&two));
    let paths: Vec<String> = findings(&json(&one)).into_iter().map(|f| f.0).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert_eq!(paths.len(), 24);
}

#[test]
fn rules_lists_every_registered_detector() {
    let dir = TempDir::new("rules");
    let mut ids: Vec<&str> = codeward::detectors::registry()
        .iter()
        .map(|d| d.meta().id)
        .collect();
    assert!(!ids.is_empty());
    // The notebook checks see whole notebooks, so they are not registered detectors; they are
    // listed with them, in the same order.
    ids.extend([
        "python/notebook-invalid-execution-order@v1.0",
        "python/notebook-variable-redefinition@v1.0",
    ]);
    ids.sort_by_key(|id| {
        let language = ["python/", "java/", "javascript/", "secrets/"]
            .iter()
            .position(|p| id.starts_with(p));
        (language, *id)
    });

    let out = codeward(dir.path(), &["rules", "--format", "json"]);
    assert_eq!(code(&out), 0);
    let listed = json(&out);
    let listed = listed.as_array().expect("array");
    let listed_ids: Vec<&str> = listed
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert_eq!(listed_ids, ids);
    for rule in listed {
        for key in ["name", "severity", "cwes", "category", "express"] {
            assert!(!rule[key].is_null(), "{key}");
        }
    }

    let table = stdout(&codeward(dir.path(), &["rules"]));
    let header = table.lines().next().expect("header");
    assert!(header.starts_with("ID ") && header.contains("SEVERITY") && header.contains("EXPRESS"));
    let severity_column = header.find("SEVERITY").expect("column");
    for id in &ids {
        let row = table
            .lines()
            .find(|l| l.starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("{id} missing from\n{table}"));
        assert!(
            row[severity_column..].starts_with(char::is_alphabetic),
            "aligned: {row}"
        );
    }
    assert!(table.ends_with(&format!("\n{} detectors.\n", ids.len())));
}

#[test]
fn languages_are_picked_by_extension_and_other_files_scanned_as_text() {
    let dir = TempDir::new("languages");
    dir.write(
        "src/Token.java",
        "public class Token {\n    int pin() {\n        return (int) (Math.random() * 10000);\n    }\n}\n",
    );
    dir.write("src/vuln.py", VULNERABLE);
    // Python code in files whose extension is not a scanned language: scanned as text (secrets
    // only), so the code findings are not reported.
    dir.write("notes.txt", VULNERABLE);
    dir.write("script", VULNERABLE);
    dir.write("logo.png", b"\x89PNG\r\n");
    let out = codeward(dir.path(), &["scan", "--format", "json", ".", "notes.txt"]);
    assert_eq!(code(&out), 1);
    let report = json(&out);
    let found = findings(&report);
    assert_eq!(
        found.first(),
        Some(&(
            "src/Token.java".to_string(),
            "java/weak-random-number-generation@v1.0".to_string(),
            3
        ))
    );
    assert!(found.iter().all(|(p, _, _)| p.starts_with("src/")));
    assert_eq!(
        report["summary"]["filesScanned"], 4,
        "notes.txt is scanned once"
    );
    assert_eq!(report["summary"]["filesNotScanned"], 1, "logo.png");
}

/// A synthetic token in GitHub's format (not a real credential).
const TOKEN: &str = "ghp_q8Zt3LmW9xV2nB7kR4pJc6Hs1Yd5Fg0Ue8Ka";
/// A synthetic password.
const PASSWORD: &str = "Xk29!vbQ7mZ";

#[test]
fn text_files_are_scanned_for_secrets_masked_in_every_format() {
    let dir = TempDir::new("secrets");
    dir.write("config/.env", format!("DEBUG=1\nGITHUB_TOKEN={TOKEN}\n"));
    dir.write(
        "config/application.properties",
        format!("spring.datasource.password={PASSWORD}\n"),
    );
    dir.write(
        "deploy/Dockerfile",
        "FROM alpine\nENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n",
    );
    dir.write("tests/fixtures/app.env", format!("GITHUB_TOKEN={TOKEN}\n"));
    dir.write("package-lock.json", format!("{{\"token\": \"{TOKEN}\"}}\n"));
    dir.write("yarn.lock", format!("token {TOKEN}\n"));
    dir.write("blob.dat", b"\0\x01binary");
    dir.write(
        "big.log",
        format!("GITHUB_TOKEN={TOKEN}\n{}", "x".repeat(4096)),
    );
    dir.write("logo.png", b"\x89PNG\r\n");
    let args = ["scan", "--max-text-file-size", "2048", "--format"];

    let out = codeward(dir.path(), &[&args[..], &["json", "."]].concat());
    assert_eq!(code(&out), 1);
    let raw = stdout(&out);
    let report = json(&out);
    assert_eq!(
        findings(&report),
        vec![
            (
                "config/.env".to_string(),
                "secrets/github-token@v1.0".to_string(),
                2
            ),
            (
                "config/application.properties".to_string(),
                "secrets/generic-password@v1.0".to_string(),
                1
            ),
            (
                "tests/fixtures/app.env".to_string(),
                "secrets/github-token@v1.0".to_string(),
                1
            ),
        ]
    );
    let severities: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["severity"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        severities,
        vec!["Critical", "High", "Low"],
        "test fixtures are Low"
    );
    assert_eq!(
        error_kinds(&report),
        vec![
            ("big.log".to_string(), "skipped".to_string()),
            ("blob.dat".to_string(), "skipped".to_string()),
            ("package-lock.json".to_string(), "skipped".to_string()),
            ("yarn.lock".to_string(), "skipped".to_string()),
        ]
    );
    assert_eq!(report["summary"]["filesSkipped"], 4);
    assert_eq!(report["summary"]["filesNotScanned"], 1);
    assert!(raw.contains("ghp_****"), "{raw}");

    let sarif = stdout(&codeward(
        dir.path(),
        &[&args[..], &["sarif", "."]].concat(),
    ));
    assert!(sarif.contains("secrets/github-token@v1.0"));
    let text = codeward(dir.path(), &[&args[..], &["text", "."]].concat());
    let err = stderr(&text);
    assert!(
        err.contains("skipped: package-lock.json: lock file"),
        "{err}"
    );
    assert!(err.contains("skipped: big.log: text file of 4 KB"), "{err}");
    assert!(
        stdout(&text).contains("4 files skipped"),
        "{}",
        stdout(&text)
    );
    for output in [&raw, &sarif, &stdout(&text), &err] {
        assert!(!output.contains(TOKEN), "the token leaked:\n{output}");
        assert!(!output.contains(PASSWORD), "the password leaked:\n{output}");
        assert!(
            !output.contains(&TOKEN[..12]),
            "more than 4 characters shown:\n{output}"
        );
    }
}

#[test]
fn quiet_prints_findings_only() {
    let dir = TempDir::new("quiet");
    dir.write("vuln.py", VULNERABLE);
    dir.write("binary.py", b"\0");
    let out = codeward(
        dir.path(),
        &["scan", "--quiet", "--disable", "no-such-rule", "."],
    );
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out).lines().count(), 2, "{}", stdout(&out));
    assert_eq!(stderr(&out), "");

    let loud = codeward(dir.path(), &["scan", "--disable", "no-such-rule", "."]);
    assert!(stderr(&loud).contains("warning: --disable no-such-rule: no registered detector"));
    assert!(stdout(&loud).contains("Found 2 findings"));
}

#[test]
fn express_scans_report_files_over_the_size_limit() {
    let dir = TempDir::new("express");
    let big = format!("{VULNERABLE}{}", "x = 1\n".repeat(40_000));
    dir.write("big.py", &big);
    let express = codeward(
        dir.path(),
        &[
            "scan",
            "--format",
            "json",
            "--scan-type",
            "express",
            "big.py",
        ],
    );
    assert_eq!(code(&express), 0);
    let report = json(&express);
    assert_eq!(findings(&report), vec![]);
    assert_eq!(
        error_kinds(&report),
        vec![("big.py".to_string(), "notice".to_string())]
    );
    let standard = codeward(dir.path(), &["scan", "--format", "json", "big.py"]);
    assert_eq!(code(&standard), 1);
    assert_eq!(findings(&json(&standard)).len(), 2);
}

#[test]
fn the_sample_programs_have_findings_in_every_language() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = codeward(&repo, &["scan", "--format", "sarif", "examples"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let log = json(&out);
    let uris: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri")
        })
        .collect();
    let languages: Vec<String> = fs::read_dir(repo.join("examples"))
        .expect("examples/")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!languages.is_empty());
    for language in languages {
        let prefix = format!("examples/{language}/");
        assert!(
            uris.iter().any(|u| u.starts_with(&prefix)),
            "no finding under {prefix}: {uris:?}"
        );
    }
}

mod cli_notebooks;

mod cli_reports;

mod cli_tracking;
