//! Replays saved fuzz inputs through the fuzz targets' own checks (`fuzz/src/lib.rs`, included
//! here so the stable toolchain runs them without libFuzzer): the seed corpus (`fuzz/seeds/` and
//! the test data `scripts/fuzz.sh` also seeds from) and every crash the fuzzers found, kept in
//! `tests/data/fuzz-regressions/<target>/` once fixed.

#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::path::{Path, PathBuf};

/// The directories `scripts/fuzz.sh` seeds `target` from: its own seeds, its saved crashes, and the
/// test data of its kind (fixtures, notebooks), which are not copied into `fuzz/seeds/`.
fn seed_dirs(target: &str) -> Vec<String> {
    let mut dirs = vec![
        format!("fuzz/seeds/{target}"),
        format!("tests/data/fuzz-regressions/{target}"),
    ];
    match target {
        "python" | "java" | "javascript" => dirs.push(format!("tests/fixtures/{target}")),
        "text" => dirs.push("tests/fixtures/secrets".into()),
        "notebook" => dirs.push("tests/data/notebooks".into()),
        _ => {}
    }
    dirs
}

/// The saved inputs of `target`, from every replayed directory.
fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files: Vec<PathBuf> = seed_dirs(target)
        .iter()
        .filter_map(|dir| std::fs::read_dir(root.join(dir)).ok())
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

fn replay(target: &str) {
    let files = inputs(target);
    assert!(!files.is_empty(), "no saved inputs for the {target} target");
    for path in files {
        let data = std::fs::read(&path).expect("read a saved input");
        let outcome = std::panic::catch_unwind(|| checks::check(target, &data));
        match outcome {
            Ok(known) => assert!(known, "unknown fuzz target {target}"),
            Err(_) => panic!("the {target} check fails on {}", path.display()),
        }
    }
}

#[test]
fn every_target_has_a_replay() {
    for target in checks::TARGETS {
        assert!(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../fuzz/fuzz_targets")
                .join(format!("{target}.rs"))
                .is_file(),
            "no fuzz target file for {target}"
        );
    }
}

#[test]
fn edit_inputs_replay() {
    replay("edit");
}

#[test]
fn python_inputs_replay() {
    replay("python");
}

#[test]
fn java_inputs_replay() {
    replay("java");
}

#[test]
fn javascript_inputs_replay() {
    replay("javascript");
}

#[test]
fn text_inputs_replay() {
    replay("text");
}

#[test]
fn notebook_inputs_replay() {
    replay("notebook");
}

#[test]
fn config_inputs_replay() {
    replay("config");
}
