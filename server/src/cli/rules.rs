//! `codeward rules`: the detector catalogue as an aligned table or as JSON.

use std::io::{self, Write};

use codeward::detectors::DetectorMeta;
use serde::Serialize;

/// One detector in `codeward rules --format json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleEntry {
    id: &'static str,
    name: &'static str,
    language: &'static str,
    severity: &'static str,
    cwes: &'static [u32],
    category: &'static str,
    express: bool,
    doc_url: String,
}

/// Writes the detectors as a JSON array (stable field order, one object per detector).
pub fn write_json(rules: &[&'static DetectorMeta], out: &mut dyn Write) -> io::Result<()> {
    let entries: Vec<RuleEntry> = rules
        .iter()
        .map(|m| RuleEntry {
            id: m.id,
            name: m.name,
            language: m.language.name(),
            severity: m.severity.as_str(),
            cwes: m.cwes,
            category: m.category.as_str(),
            express: m.express,
            doc_url: m.doc_url(),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &entries)?;
    writeln!(out)
}

/// Writes the detectors as a table with aligned columns and a count.
pub fn write_table(rules: &[&'static DetectorMeta], out: &mut dyn Write) -> io::Result<()> {
    let header = ["ID", "SEVERITY", "CWE", "CATEGORY", "EXPRESS", "NAME"];
    let rows: Vec<[String; 6]> = rules
        .iter()
        .map(|m| {
            let cwe = m.cwe_list();
            [
                m.id.to_string(),
                m.severity.as_str().to_string(),
                if cwe.is_empty() { "-".into() } else { cwe },
                m.category.as_str().to_string(),
                if m.express { "yes" } else { "no" }.to_string(),
                m.name.to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let header = header.map(str::to_string);
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}  "));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    let n = rules.len();
    writeln!(out, "\n{n} detector{}.", if n == 1 { "" } else { "s" })
}
