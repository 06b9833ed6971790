//! The `codeward` command: `lsp` (language server on stdio), `scan` (CI), `rules` (catalogue).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Local security scanner for Python, Java and JavaScript.
#[derive(Debug, Parser)]
#[command(name = "codeward", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List every detector with its id, severity, CWE, category and express flag.
    Rules,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Rules => {
            for d in codeward::detectors::registry() {
                let m = d.meta();
                println!("{}\t{}\t{}", m.id, m.severity, m.cwe_list());
            }
            ExitCode::SUCCESS
        }
    }
}
