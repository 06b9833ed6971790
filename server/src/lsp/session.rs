//! What was negotiated with the client at `initialize`, and the current settings.

use tower_lsp_server::ls_types::{ClientCapabilities, PositionEncodingKind};

use super::proto::encoding_of;
use super::settings::LspSettings;
use crate::text::PositionEncoding;

/// The client's relevant capabilities and the server's current settings.
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// The negotiated position encoding.
    pub encoding: PositionEncoding,
    /// Whether diagnostics are pulled by the client (`textDocument/diagnostic`) instead of pushed.
    pub pull_diagnostics: bool,
    /// Whether the client accepts `workspace/diagnostic/refresh`.
    pub refresh_support: bool,
    /// Whether the client accepts `window/workDoneProgress/create`.
    pub work_done_progress: bool,
    /// Whether the client lets the server register file watchers dynamically.
    pub watch_files: bool,
    /// Current settings.
    pub settings: LspSettings,
}

impl Session {
    /// Negotiates with a client's capabilities.
    pub fn negotiate(capabilities: &ClientCapabilities, settings: LspSettings) -> Self {
        let offered = capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_deref())
            .unwrap_or_default();
        Self {
            encoding: negotiate_encoding(offered),
            pull_diagnostics: capabilities
                .text_document
                .as_ref()
                .is_some_and(|td| td.diagnostic.is_some()),
            refresh_support: capabilities
                .workspace
                .as_ref()
                .and_then(|ws| ws.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            work_done_progress: capabilities
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            watch_files: capabilities
                .workspace
                .as_ref()
                .and_then(|ws| ws.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false),
            settings,
        }
    }
}

/// Prefers UTF-8 (no conversion), then UTF-32, and falls back to UTF-16, which every client
/// must support.
pub fn negotiate_encoding(offered: &[PositionEncodingKind]) -> PositionEncoding {
    let offered: Vec<PositionEncoding> = offered.iter().filter_map(encoding_of).collect();
    [PositionEncoding::Utf8, PositionEncoding::Utf32]
        .into_iter()
        .find(|e| offered.contains(e))
        .unwrap_or(PositionEncoding::Utf16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefers_utf8_then_utf32_else_utf16() {
        let kinds = |names: &[&'static str]| -> Vec<PositionEncodingKind> {
            names.iter().map(|n| PositionEncodingKind::new(n)).collect()
        };
        assert_eq!(
            negotiate_encoding(&kinds(&["utf-16", "utf-8"])),
            PositionEncoding::Utf8
        );
        assert_eq!(
            negotiate_encoding(&kinds(&["utf-16", "utf-32"])),
            PositionEncoding::Utf32
        );
        assert_eq!(
            negotiate_encoding(&kinds(&["utf-7"])),
            PositionEncoding::Utf16
        );
        assert_eq!(negotiate_encoding(&[]), PositionEncoding::Utf16);
    }
}
