//! `codeward scan` reports, configuration and fixes (a module of the `cli` test target): SARIF
//! validated against the official schema, GitLab SAST, configuration files, include/exclude
//! globs, `--diff` / `--fix` / `--unsafe-fixes`.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::{code, codeward, json, stderr, stdout, TempDir, VULNERABLE};

/// The repository root (the test target lives in `server/`).
const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// The official SARIF 2.1.0 schema (OASIS errata 01, a JSON Schema draft-04 document), copied
/// from `../shared/schemas/sarif-2.1.0.json` so a clean clone can run this test.
const SARIF_SCHEMA: &str = include_str!("data/schemas/sarif-2.1.0.json");

/// Two `new Random()` (a safe fix each, sharing one import) and a seeded one (an unsafe fix).
const RANDOM_JAVA: &str = "package demo;\n\nimport java.util.Random;\n\npublic class Tokens {\n    private final Random a = new Random();\n\n    int roll() {\n        Random b = new Random();\n        return b.nextInt();\n    }\n\n    int seeded(long seed) {\n        Random c = new Random(seed);\n        return c.nextInt();\n    }\n}\n";
const RANDOM_RULE: &str = "java/weak-random-number-generation@v1.0";
const MD5_RULE: &str = "python/insecure-hashing@v1.0";

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(SARIF_SCHEMA).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn schema_errors(validator: &jsonschema::Validator, log: &Value) -> Vec<String> {
    validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn sarif_of_the_examples_validates_against_the_official_schema() {
    let validator = sarif_validator();
    let out = codeward(
        Path::new(REPO),
        &[
            "scan",
            "--format",
            "sarif",
            "--analysis-type",
            "all",
            "--scan-name",
            "nightly/examples",
            "--no-config",
            "examples",
            "tests/data/notebooks",
        ],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let log = json(&out);
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(results.len() > 10, "too few results: {}", results.len());
    assert!(results.iter().any(|r| r.get("fixes").is_some()));
    assert!(results
        .iter()
        .any(|r| r["properties"].get("notebookCell").is_some()));
    let errors = schema_errors(&validator, &log);
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
    assert_eq!(
        log["runs"][0]["automationDetails"]["id"],
        "nightly/examples/"
    );

    // The validator does reject what the schema forbids.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!schema_errors(&validator, &broken).is_empty());
}

#[test]
fn sarif_rules_carry_what_github_code_scanning_reads() {
    let out = codeward(
        Path::new(REPO),
        &["scan", "--format", "sarif", "--no-config", "examples"],
    );
    let log = json(&out);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert!(!rules.is_empty());
    for rule in rules {
        let properties = &rule["properties"];
        let score: f64 = properties["security-severity"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("numeric security-severity");
        assert!((0.0..=10.0).contains(&score));
        assert_eq!(properties["precision"], "high");
        assert!(properties["tags"]
            .as_array()
            .expect("tags")
            .iter()
            .any(|t| t
                .as_str()
                .is_some_and(|t| t.starts_with("external/cwe/cwe-"))));
        assert!(rule["help"]["markdown"]
            .as_str()
            .is_some_and(|m| m.contains("## ")));
    }
    assert!(log["runs"][0].get("automationDetails").is_none());
}

#[test]
fn gitlab_sast_report_has_the_schema_15_shape() {
    let dir = TempDir::new("gitlab");
    dir.write("app/vuln.py", VULNERABLE);
    let report = dir.path().join("gl-sast-report.json");
    let out = codeward(
        dir.path(),
        &[
            "scan",
            "--format",
            "gitlab-sast",
            "--output",
            "gl-sast-report.json",
            "app",
        ],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(report).expect("report")).expect("JSON");
    assert!(doc["version"]
        .as_str()
        .is_some_and(|v| v.starts_with("15.")));
    let scan = &doc["scan"];
    assert_eq!(scan["type"], "sast");
    assert_eq!(scan["status"], "success");
    for key in ["analyzer", "scanner"] {
        for field in ["id", "name", "version"] {
            assert!(scan[key][field].is_string(), "scan.{key}.{field}");
        }
        assert!(scan[key]["vendor"]["name"].is_string());
    }
    let time_shape = |v: &Value| {
        v.as_str()
            .is_some_and(|t| t.len() == 19 && t.as_bytes()[10] == b'T' && !t.ends_with('Z'))
    };
    assert!(time_shape(&scan["start_time"]) && time_shape(&scan["end_time"]));
    let vulnerabilities = doc["vulnerabilities"].as_array().expect("vulnerabilities");
    assert_eq!(vulnerabilities.len(), 2);
    let md5 = vulnerabilities
        .iter()
        .find(|v| {
            v["identifiers"]
                .as_array()
                .is_some_and(|ids| ids.iter().any(|i| i["value"] == MD5_RULE))
        })
        .expect("md5 finding");
    assert_eq!(md5["severity"], "Medium");
    assert_eq!(md5["location"]["file"], "app/vuln.py");
    assert_eq!(md5["location"]["start_line"], super::VULNERABLE_MD5_LINE);
    assert_eq!(md5["location"]["end_line"], super::VULNERABLE_MD5_LINE);
    assert!(md5["id"].as_str().is_some_and(|id| id.len() == 36));
    assert!(md5["name"].is_string() && md5["description"].is_string());
    let cwe = md5["identifiers"]
        .as_array()
        .expect("identifiers")
        .iter()
        .find(|i| i["type"] == "cwe")
        .expect("a cwe identifier");
    assert!(cwe["name"].as_str().is_some_and(|n| n.starts_with("CWE-")));
    assert!(cwe["url"]
        .as_str()
        .is_some_and(|u| u.contains("cwe.mitre.org")));
    // Model 15 removed these.
    for removed in ["category", "message", "cve", "scanner", "confidence"] {
        assert!(md5.get(removed).is_none(), "{removed}");
    }
}

#[test]
fn configuration_files_set_options_and_flags_win() {
    let dir = TempDir::new("config");
    dir.write("src/vuln.py", VULNERABLE);
    dir.write("src/vendor/vuln.py", VULNERABLE);
    dir.write(
        "codeward.toml",
        "fail-on-severity = \"critical\"\nformat = \"json\"\nexclude = [\"src/vendor/**\"]\n",
    );
    let out = codeward(dir.path(), &["scan", "src"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json(&out);
    let paths: Vec<_> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["path"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(paths, ["src/vuln.py", "src/vuln.py"]);

    let out = codeward(dir.path(), &["scan", "--fail-on-severity", "medium", "src"]);
    assert_eq!(code(&out), 1);
    let out = codeward(
        dir.path(),
        &["scan", "--no-config", "--format", "text", "src"],
    );
    assert!(stdout(&out).contains("src/vendor/vuln.py"));

    // pyproject.toml's [tool.codeward], found from a subdirectory upward.
    let py = TempDir::new("pyproject");
    py.write("pkg/sub/vuln.py", VULNERABLE);
    py.write(
        "pyproject.toml",
        "[project]\nname = \"demo\"\n\n[tool.codeward]\nmin-severity = \"high\"\n",
    );
    let out = codeward(py.path(), &["scan", "--format", "json", "pkg/sub"]);
    let findings = json(&out)["findings"].as_array().expect("findings").clone();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["severity"], "High");
}

#[test]
fn bad_configuration_is_an_error_naming_the_file_and_key() {
    let dir = TempDir::new("badconfig");
    dir.write("vuln.py", VULNERABLE);
    dir.write("codeward.toml", "scan-type = \"thorough\"\n");
    let out = codeward(dir.path(), &["scan", "vuln.py"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("codeward.toml") && err.contains("scan-type"),
        "{err}"
    );

    dir.write("codeward.toml", "colour = true\n");
    let out = codeward(dir.path(), &["scan", "vuln.py"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("colour"), "{}", stderr(&out));

    let out = codeward(
        dir.path(),
        &["scan", "--no-config", "--exclude", "a/[", "vuln.py"],
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("a/["), "{}", stderr(&out));
}

#[test]
fn include_and_exclude_globs_filter_files() {
    let dir = TempDir::new("globs");
    dir.write("src/app.py", VULNERABLE);
    dir.write("src/app_test.py", VULNERABLE);
    dir.write("lib/other.py", VULNERABLE);
    let scanned = |args: &[&str]| {
        let mut all = vec!["scan", "--format", "json", "--no-config"];
        all.extend_from_slice(args);
        all.push(".");
        let report = json(&codeward(dir.path(), &all));
        let mut paths: Vec<String> = report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| f["path"].as_str().unwrap_or("").to_string())
            .collect();
        paths.dedup();
        paths
    };
    assert_eq!(
        scanned(&["--include", "src/**"]),
        ["src/app.py", "src/app_test.py"]
    );
    assert_eq!(
        scanned(&["--include", "src/**", "--exclude", "*_test.py"]),
        ["src/app.py"]
    );
    assert_eq!(scanned(&["--exclude", "src/*"]), ["lib/other.py"]);
}

/// Findings of `rule` in a JSON scan of `path` under `dir`.
fn count(dir: &Path, path: &str, rule: &str) -> usize {
    let report = json(&codeward(
        dir,
        &["scan", "--format", "json", "--no-config", path],
    ));
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["ruleId"] == rule)
        .count()
}

#[test]
fn diff_applies_with_patch_and_equals_fix() {
    let dir = TempDir::new("diff");
    dir.write("src/Tokens.java", RANDOM_JAVA);
    dir.write("src/vuln.py", VULNERABLE);
    let out = codeward(dir.path(), &["scan", "--no-config", "--diff", "src"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let diff = stdout(&out);
    assert!(
        diff.starts_with("--- a/src/Tokens.java\n+++ b/src/Tokens.java\n@@ "),
        "{diff}"
    );
    assert_eq!(
        diff.matches("+import java.security.SecureRandom;").count(),
        1,
        "{diff}"
    );
    assert!(
        diff.contains("+    private final Random a = new SecureRandom();"),
        "{diff}"
    );
    // Unsafe fixes are left out: the seeded generator and MD5.
    assert!(
        !diff.contains("new SecureRandom(seed)") && !diff.contains("Random c = new SecureRandom()")
    );
    assert!(
        !diff.contains("vuln.py") && !diff.contains("sha256"),
        "{diff}"
    );
    assert!(
        stderr(&out).contains("2 fixable findings in 1 files"),
        "{}",
        stderr(&out)
    );

    // The diff applies to a copy with `patch -p1`; the result is what --fix writes.
    let copy = TempDir::new("diff-copy");
    copy.write("src/Tokens.java", RANDOM_JAVA);
    copy.write("fixes.patch", &diff);
    dir.write("fixes.patch", &diff);
    let patched = Command::new("patch")
        .args(["-p1", "--batch", "--input", "fixes.patch"])
        .current_dir(copy.path())
        .output()
        .expect("run patch");
    assert!(
        patched.status.success(),
        "{}",
        String::from_utf8_lossy(&patched.stdout)
    );
    let git = Command::new("git")
        .args(["apply", "--check", "fixes.patch"])
        .current_dir(dir.path())
        .output()
        .expect("run git apply");
    assert!(
        git.status.success(),
        "{}",
        String::from_utf8_lossy(&git.stderr)
    );

    let out = codeward(dir.path(), &["scan", "--no-config", "--fix", "src"]);
    assert!(
        stderr(&out).contains("fixed 2 findings in 1 files"),
        "{}",
        stderr(&out)
    );
    let fixed = std::fs::read_to_string(dir.path().join("src/Tokens.java")).expect("fixed file");
    let from_patch =
        std::fs::read_to_string(copy.path().join("src/Tokens.java")).expect("patched file");
    assert_eq!(fixed, from_patch);
    assert_ne!(fixed, RANDOM_JAVA);
    // The report after --fix shows what is left: the seeded generator and the Python findings.
    assert_eq!(count(dir.path(), "src/Tokens.java", RANDOM_RULE), 1);
    assert_eq!(count(dir.path(), "src/vuln.py", MD5_RULE), 1);
    let again = codeward(dir.path(), &["scan", "--no-config", "--diff", "src"]);
    assert!(stdout(&again).is_empty(), "{}", stdout(&again));
}

#[test]
fn unsafe_fixes_only_with_the_flag() {
    let dir = TempDir::new("unsafe");
    dir.write("vuln.py", VULNERABLE);
    let out = codeward(dir.path(), &["scan", "--no-config", "--fix", "vuln.py"]);
    assert!(
        stderr(&out).contains("fixed 0 findings in 0 files"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("vuln.py")).expect("file"),
        VULNERABLE
    );
    let out = codeward(
        dir.path(),
        &["scan", "--no-config", "--diff", "--unsafe-fixes", "vuln.py"],
    );
    assert!(stdout(&out).contains("sha256"), "{}", stdout(&out));
    let out = codeward(
        dir.path(),
        &["scan", "--no-config", "--fix", "--unsafe-fixes", "vuln.py"],
    );
    assert!(
        stderr(&out).contains("fixed 2 findings in 1 files"),
        "{}",
        stderr(&out)
    );
    assert_eq!(code(&out), 0, "nothing is left: {}", stderr(&out));
    assert_eq!(count(dir.path(), "vuln.py", MD5_RULE), 0);
}
