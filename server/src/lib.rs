//! Codeward: a local, incremental security scanner for Python, Java and JavaScript.
//!
//! The engine (`text`, `lang`, `analysis`, `detectors`, `finding`, `suppress`, `engine`) works in
//! UTF-8 byte offsets and knows nothing of LSP; `lsp` is the only module that speaks the protocol,
//! and `report` the only other one that serialises. See ARCHITECTURE.md.

pub mod analysis;
pub mod config;
pub mod detectors;
pub mod engine;
pub mod finding;
pub mod lang;
pub mod lsp;
pub mod notebook;
pub mod report;
pub mod suppress;
pub mod text;
pub mod tracking;
