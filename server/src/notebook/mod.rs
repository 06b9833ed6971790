//! Jupyter notebooks: code cells analysed together as one Python program.
//!
//! `magics` rewrites IPython syntax into Python of the same byte length, `program` concatenates
//! the code cells with an exact offset map, `scan` runs the engine on the program and maps the
//! findings back to cells, `ipynb` reads nbformat 4 files, and `virtual_document` prepares
//! jupyterlab-lsp's concatenated documents. `order` holds the notebook-only code-quality
//! checks (invalid execution order, variable redefinition). Like the rest of the engine, this module works in
//! UTF-8 byte offsets and knows nothing of LSP.

pub mod ipynb;
pub mod magics;
pub mod order;
pub mod program;
#[cfg(test)]
mod proptests;
pub mod scan;
pub mod virtual_document;

pub use program::{CellSource, Program};
pub use scan::{scan, scan_with_cache, NotebookOutput};
