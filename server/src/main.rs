//! The `codeward` command: `lsp` (language server on stdio), `scan` (CI), `rules` (catalogue),
//! `findings`, `metrics` and `report` (tracking).

use std::process::ExitCode;

use codeward::cli;

use clap::{Parser, Subcommand};

/// Local security scanner for Python, Java and JavaScript: an LSP server for editors and notebooks,
/// and a CLI for CI. Code never leaves the machine.
#[derive(Debug, Parser)]
#[command(name = "codeward", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the language server over stdio (for editors).
    Lsp,
    /// Scan files and directories and report findings.
    Scan(cli::ScanArgs),
    /// List every detector with its id, severity, CWE, category and express flag.
    Rules(cli::RulesArgs),
    /// List the findings tracked by `scan --scan-name` (open and closed).
    Findings(cli::FindingsArgs),
    /// Tracking metrics per scan name and overall: open findings by severity, oldest open
    /// finding, closed findings, closure rate, mean time to close.
    Metrics(cli::MetricsArgs),
    /// Write an HTML dashboard of the tracked findings.
    Report(cli::ReportArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Lsp => cli::lsp(),
        Command::Scan(args) => cli::scan(args),
        Command::Rules(args) => cli::rules(args),
        Command::Findings(args) => cli::findings(args),
        Command::Metrics(args) => cli::metrics(args),
        Command::Report(args) => cli::report(args),
    }
}
