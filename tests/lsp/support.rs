//! The client's copy of a document, edited the way an editor would, with positions computed
//! independently of the server's code.

use serde_json::{json, Value};

use crate::client::Client;

/// Position encodings, as negotiated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enc {
    Utf8,
    Utf16,
    Utf32,
}

impl Enc {
    fn units(self, c: char) -> usize {
        match self {
            Enc::Utf8 => c.len_utf8(),
            Enc::Utf16 => c.len_utf16(),
            Enc::Utf32 => 1,
        }
    }
}

/// Byte offset of (line, character): lines end at `\n`, `\r\n` or a lone `\r`.
pub fn offset(text: &str, line: u64, character: u64, enc: Enc) -> usize {
    let mut current = 0u64;
    let mut start = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0;
    while current < line {
        match bytes.get(i) {
            None => return text.len(),
            Some(b'\n') => {
                current += 1;
                start = i + 1;
            }
            Some(b'\r') => {
                current += 1;
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            Some(_) => {}
        }
        i += 1;
    }
    let mut units = 0usize;
    for (at, c) in text[start..].char_indices() {
        if c == '\n' || c == '\r' || units + enc.units(c) > character as usize {
            return start + at;
        }
        units += enc.units(c);
    }
    text.len()
}

/// (line, character) of a byte offset.
pub fn position(text: &str, byte: usize, enc: Enc) -> (u64, u64) {
    let before = &text[..byte];
    let mut line = 0u64;
    let mut line_start = 0usize;
    let bytes = before.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' || (*b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            line += 1;
            line_start = i + 1;
        }
    }
    let character = before[line_start..]
        .chars()
        .map(|c| enc.units(c) as u64)
        .sum();
    (line, character)
}

/// The JSON range of a byte range.
pub fn range(text: &str, bytes: std::ops::Range<usize>, enc: Enc) -> Value {
    let (sl, sc) = position(text, bytes.start, enc);
    let (el, ec) = position(text, bytes.end, enc);
    json!({ "start": { "line": sl, "character": sc }, "end": { "line": el, "character": ec } })
}

/// An open document as the client sees it.
pub struct Doc {
    pub uri: String,
    pub version: i64,
    pub text: String,
    pub enc: Enc,
}

impl Doc {
    /// Opens a document on the server.
    pub fn open(client: &mut Client, uri: &str, language_id: &str, text: &str, enc: Enc) -> Doc {
        client.notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri, "languageId": language_id, "version": 1, "text": text } }),
        );
        Doc {
            uri: uri.to_string(),
            version: 1,
            text: text.to_string(),
            enc,
        }
    }

    /// Applies one edit given as a JSON range to the client's text.
    fn apply_local(&mut self, range: &Value, new_text: &str) {
        let a = offset(
            &self.text,
            range["start"]["line"].as_u64().unwrap_or(0),
            range["start"]["character"].as_u64().unwrap_or(0),
            self.enc,
        );
        let b = offset(
            &self.text,
            range["end"]["line"].as_u64().unwrap_or(0),
            range["end"]["character"].as_u64().unwrap_or(0),
            self.enc,
        );
        let (a, b) = (a.min(b), a.max(b));
        self.text.replace_range(a..b, new_text);
    }

    /// Sends edits (applied in order, each against the result of the previous) as one didChange.
    pub fn change(&mut self, client: &mut Client, edits: &[(Value, &str)]) {
        self.version += 1;
        let changes: Vec<Value> = edits
            .iter()
            .map(|(range, text)| json!({ "range": range, "text": text }))
            .collect();
        for (range, text) in edits {
            self.apply_local(range, text);
        }
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": self.uri, "version": self.version },
                    "contentChanges": changes }),
        );
    }

    /// Replaces the byte range `bytes` of the client's text.
    pub fn replace(&mut self, client: &mut Client, bytes: std::ops::Range<usize>, text: &str) {
        let r = range(&self.text, bytes, self.enc);
        self.change(client, &[(r, text)]);
    }

    /// Sends the whole text as one full-text change.
    pub fn replace_all(&mut self, client: &mut Client, text: &str) {
        self.version += 1;
        self.text = text.to_string();
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": self.uri, "version": self.version },
                    "contentChanges": [{ "text": text }] }),
        );
    }

    /// Applies a WorkspaceEdit's edits for this document (all relative to the current text) by
    /// sending them last-first, so earlier positions stay valid.
    pub fn apply_workspace_edit(&mut self, client: &mut Client, edit: &Value) {
        let mut edits: Vec<Value> = edit["changes"][&self.uri]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(!edits.is_empty(), "no edits for {} in {edit}", self.uri);
        let key = |e: &Value| {
            (
                e["range"]["start"]["line"].as_u64().unwrap_or(0),
                e["range"]["start"]["character"].as_u64().unwrap_or(0),
            )
        };
        edits.sort_by_key(|e| std::cmp::Reverse(key(e)));
        let pairs: Vec<(Value, String)> = edits
            .iter()
            .map(|e| {
                (
                    e["range"].clone(),
                    e["newText"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        let borrowed: Vec<(Value, &str)> =
            pairs.iter().map(|(r, t)| (r.clone(), t.as_str())).collect();
        self.change(client, &borrowed);
    }

    /// Asserts the server holds exactly the client's text and version.
    pub fn assert_in_sync(&self, client: &mut Client) {
        let state = client.call(
            "codeward/documentState",
            json!({ "textDocument": { "uri": self.uri } }),
        );
        assert_eq!(
            state["version"],
            json!(self.version),
            "version of {}",
            self.uri
        );
        assert!(
            state["text"] == json!(self.text),
            "server text differs from the client's for {}:\nserver: {:?}\nclient: {:?}",
            self.uri,
            state["text"],
            self.text
        );
    }

    /// Closes the document.
    pub fn close(&self, client: &mut Client) {
        client.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": self.uri } }),
        );
    }
}

/// Client capabilities: position encodings offered, pull diagnostics or not.
pub fn capabilities(encodings: &[&str], pull: bool) -> Value {
    let mut caps = json!({
        "general": { "positionEncodings": encodings },
        "window": { "workDoneProgress": true },
        "textDocument": { "publishDiagnostics": { "versionSupport": true } },
    });
    if encodings.is_empty() {
        caps["general"] = json!({});
    }
    if pull {
        caps["textDocument"]["diagnostic"] = json!({ "dynamicRegistration": false });
        caps["workspace"] = json!({ "diagnostics": { "refreshSupport": true } });
    }
    caps
}

/// A started server with the given encodings offered and push diagnostics, and settings.
pub fn start(encodings: &[&str], options: Value) -> (Client, Value) {
    let mut client = Client::spawn();
    let result = client.initialize(capabilities(encodings, false), options);
    (client, result)
}

/// The codes of a list of diagnostics.
pub fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}
