//! Workspace scans: every supported file under the workspace folders that is not open, scanned in
//! the blocking pool (never on the message loop), with diagnostics pushed per file.
//!
//! `state` keeps the folders, which files have published diagnostics (a count per URI, nothing
//! else: no text or trees are kept for files that are not open) and the cancellation flag of the
//! running scan; `walk` lists the files the way `codeward scan` does; `file` scans one file;
//! `run` drives a whole scan with progress; `auto` runs it periodically.

pub mod auto;
pub mod file;
pub mod notebook_file;
pub mod run;
pub mod state;
pub mod walk;

pub use state::WorkspaceState;
