//! Reading a source file, refusing what cannot be scanned: unreadable files, binary files (a NUL
//! byte in the first 8 KiB) and invalid UTF-8. A UTF-8 byte-order mark is dropped (editors do not
//! count it as a column).

use std::path::Path;

/// How many leading bytes are checked for a NUL byte.
const BINARY_PROBE: usize = 8 * 1024;

/// Reads `path` as UTF-8 source text, or says why it cannot be scanned.
pub fn read_source(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|err| err.to_string())?;
    decode(bytes)
}

/// Decodes file contents, or says why they cannot be scanned.
pub fn decode(mut bytes: Vec<u8>) -> Result<String, String> {
    let probe = &bytes[..bytes.len().min(BINARY_PROBE)];
    if memchr::memchr(0, probe).is_some() {
        return Err("binary file (NUL byte in the first 8 KiB)".to_string());
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes)
        .map_err(|err| format!("invalid UTF-8 at byte {}", err.utf8_error().valid_up_to()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_binary_and_invalid_utf8_and_drops_bom() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFx = 1\n".to_vec()).as_deref(),
            Ok("x = 1\n")
        );
        assert!(decode(b"x\0y".to_vec())
            .unwrap_err()
            .starts_with("binary file"));
        assert_eq!(
            decode(b"ab\xFFcd".to_vec()),
            Err("invalid UTF-8 at byte 2".to_string())
        );
        let mut late_nul = vec![b'a'; BINARY_PROBE];
        late_nul.push(0);
        assert_eq!(decode(late_nul).map(|s| s.len()), Ok(BINARY_PROBE + 1));
    }
}
