//! Report formats for `codeward scan`: text, JSON, SARIF 2.1.0 and GitLab SAST, rendered from one [`Report`].
//!
//! Every format uses 1-based lines and 1-based columns counted in UTF-16 code units.

pub mod fingerprint;
pub mod gitlab;
pub mod json;
mod model;
pub mod sarif;
pub mod text;

use std::io::{self, Write};

pub use fingerprint::Fingerprints;
pub use model::{
    locate, CellLocation, FileReport, Location, Problem, ProblemKind, Report, ReportedEdit,
    ReportedFinding, ReportedFix, Span, Summary,
};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable lines and a summary.
    Text,
    /// The JSON shape documented in [`json`].
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitLab SAST report, schema 15.x.
    GitlabSast,
}

/// Renders `report` in `format`. `style` only affects text.
pub fn write(
    report: &Report,
    format: Format,
    style: text::Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::write(report, style, out),
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::GitlabSast => gitlab::write(report, out),
    }
}
