//! Codeward: a local, incremental security scanner for Python, Java and JavaScript.
//!
//! The engine (`text`, `lang`, `analysis`, `detectors`, `finding`, `suppress`, `engine`) works in
//! UTF-8 byte offsets and knows nothing of LSP; `lsp` is the only module that speaks the protocol,
//! and `report` the only other one that serialises. See ARCHITECTURE.md.

// The CLI's modules name the library `codeward::…`, as the binary that uses them does.
extern crate self as codeward;

pub mod analysis;
/// `codeward scan` and `codeward rules` (used by the binary; public for the fuzz targets,
/// which parse configuration files with [`cli::config`]).
#[doc(hidden)]
pub mod cli;
pub mod config;
pub mod detectors;
pub mod engine;
pub mod files;
pub mod finding;
pub mod lang;
pub mod lsp;
pub mod notebook;
pub mod report;
pub mod suppress;
#[cfg(test)]
mod test_support;
pub mod text;
pub mod tracking;
