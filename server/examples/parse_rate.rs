//! Developer probe: how fast tree-sitter parses alone, the floor under `codeward scan`'s
//! throughput. `parse_rate DIR [ROUNDS]` reads every `.py` file under DIR, then parses them all
//! ROUNDS times (default 3) on one thread and prints the best round's MB/s and lines/s, next to
//! which `scripts/bench_python.sh`'s per-core codeward figure can be read. Run with
//! `cargo run --release --example parse_rate -- target/bench/tree`.
use codeward::lang::{self, Language};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn python_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => python_files(&path, out),
            Ok(kind) if kind.is_file() && path.extension().is_some_and(|e| e == "py") => {
                out.push(path)
            }
            _ => {}
        }
    }
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: parse_rate DIR [ROUNDS]");
    let rounds: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let mut paths = Vec::new();
    python_files(Path::new(&dir), &mut paths);
    let sources: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let bytes: usize = sources.iter().map(String::len).sum();
    let lines: usize = sources.iter().map(|s| s.lines().count()).sum();
    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let start = Instant::now();
        let mut nodes = 0usize;
        for source in &sources {
            if let Some(tree) = lang::parse_str(Language::Python, source) {
                nodes += tree.root_node().descendant_count();
            }
        }
        let seconds = start.elapsed().as_secs_f64();
        best = best.min(seconds);
        eprintln!("round: {seconds:.3} s, {nodes} nodes");
    }
    println!(
        "{} files, {lines} lines, {:.1} MB: parsed in {best:.3} s on one thread = {:.1} MB/s, {:.0} lines/s",
        sources.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / best,
        lines as f64 / best
    );
}
