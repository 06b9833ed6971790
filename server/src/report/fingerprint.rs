//! Stable finding fingerprints: a hash of the rule id and the normalised code of the flagged line,
//! plus an occurrence number among identical (rule, line) pairs of the same file.
//!
//! Line numbers are deliberately left out, so a finding keeps its fingerprint when code above it
//! moves; whitespace is collapsed, so re-indenting does not change it either. The hash is FNV-1a
//! (64 bit), spelled out here so it never changes with a library or compiler version.

use std::collections::HashMap;

use crate::finding::Finding;
use crate::text::LineIndex;

/// The key under which SARIF `partialFingerprints` carries our fingerprint.
pub const SARIF_KEY: &str = "codeward/lineHash/v1";

/// Hands out fingerprints for the findings of one file, in order.
#[derive(Debug, Default)]
pub struct Fingerprints {
    seen: HashMap<u64, usize>,
}

impl Fingerprints {
    /// The fingerprint of the next finding of the file (`<16 hex digits>:<occurrence>`).
    pub fn next(&mut self, source: &str, lines: &LineIndex, finding: &Finding) -> String {
        let line = lines.line_of(finding.range.start);
        let start = lines.line_start(line);
        let end = lines.line_start(line + 1).max(start);
        let text = source.get(start..end).unwrap_or("");
        let hash = hash(finding.rule.id, text);
        let occurrence = self.seen.entry(hash).or_insert(0);
        *occurrence += 1;
        format!("{hash:016x}:{occurrence}")
    }
}

/// FNV-1a over the rule id, a separator, and the line with whitespace runs collapsed.
fn hash(rule_id: &str, line: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut state = OFFSET;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            state ^= u64::from(*b);
            state = state.wrapping_mul(PRIME);
        }
    };
    feed(rule_id.as_bytes());
    feed(&[0]);
    for (i, word) in line.split_whitespace().enumerate() {
        if i > 0 {
            feed(b" ");
        }
        feed(word.as_bytes());
    }
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_indentation_and_line_moves_but_not_code() {
        assert_eq!(hash("r", "  os.system(x)\n"), hash("r", "os.system(x)"));
        assert_eq!(hash("r", "\tos.system(x)  \r\n"), hash("r", "os.system(x)"));
        assert_ne!(hash("r", "os.system(x)"), hash("r", "os.system(y)"));
        assert_ne!(hash("a", "os.system(x)"), hash("b", "os.system(x)"));
        // Known value, so an accidental change of the algorithm shows up.
        assert_eq!(hash("", ""), 0xaf63_bd4c_8601_b7df);
    }
}
