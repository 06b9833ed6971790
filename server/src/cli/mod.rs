//! Command implementations behind `main.rs`.

use std::process::ExitCode;

/// Arguments of `codeward scan`.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Files and directories to scan.
    #[arg(required = true)]
    pub paths: Vec<std::path::PathBuf>,
}

/// Arguments of `codeward rules`.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {}

/// `codeward lsp`.
pub fn lsp() -> ExitCode {
    codeward::lsp::run_stdio()
}

/// `codeward scan`.
pub fn scan(_args: ScanArgs) -> ExitCode {
    ExitCode::FAILURE
}

/// `codeward rules`.
pub fn rules(_args: RulesArgs) -> ExitCode {
    for d in codeward::detectors::registry() {
        let m = d.meta();
        println!("{}\t{}\t{}", m.id, m.severity, m.cwe_list());
    }
    ExitCode::SUCCESS
}
