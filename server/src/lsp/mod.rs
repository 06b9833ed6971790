//! The language server: the only module that knows LSP.

use std::process::ExitCode;

/// Serves LSP over stdin/stdout until the client exits.
pub fn run_stdio() -> ExitCode {
    ExitCode::FAILURE
}
