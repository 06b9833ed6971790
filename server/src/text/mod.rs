//! Text documents: a rope, its language and version, its syntax tree, and edits in LSP terms
//! (but without LSP types: the engine knows nothing of the protocol).

mod common;
mod document;
mod line_index;
mod position;
#[cfg(test)]
mod proptests;

pub use common::{common_prefix, common_suffix};
pub use document::{Document, EditError, Snapshot, TextChange};
pub use line_index::LineIndex;
pub use position::{line_content_bytes, offset_of, position_of, Position, PositionEncoding};
