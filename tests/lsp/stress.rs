//! Stress: 200 open documents (Python, Java, JavaScript, text) and 10,000 random incremental edits
//! (inserts, deletes, multi-line replacements, emoji and other astral characters, CRLF) sent as
//! fast as the pipe takes them, with code-action and hover requests interleaved. Afterwards every
//! document the server holds must equal the client's copy (compared through the test-only
//! `codeward/debug/documentHash`), and every request must have been answered within a generous
//! bound (a hang detector, not a timing assertion). The server's peak RSS is printed.
//!
//! The run is deterministic (fixed seed). `CODEWARD_STRESS_EDITS` and `CODEWARD_STRESS_SEED`
//! change its size and seed for local experiments.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::client::{Client, TIMEOUT};
use crate::support::{capabilities, range, Doc, Enc};

const DOCUMENTS: usize = 200;
const EDITS: usize = 10_000;
const SEED: u64 = 0x5eed_c0de_2026_0012;

/// SplitMix64: a small, well-distributed generator, so the run needs no extra crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Pieces of text the edits insert: code that detectors react to, multi-line blocks, CRLF and
/// lone line ends, emoji, astral and combining characters.
const PIECES: &[&str] = &[
    "x",
    " ",
    "\n",
    "\r\n",
    "😀",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "👩‍👩‍👧",
    "é",
    "中文",
    "\t",
    "\"",
    "'",
    "(",
    ")",
    "{",
    "}",
    "hashlib.md5(data)",
    "eval(input())",
    "subprocess.call(cmd, shell=True)\r\n",
    "MessageDigest.getInstance(\"MD5\");\n",
    "require('child_process').exec(req.query.cmd);\n",
    "GITHUB_TOKEN=ghp_q8Zt3LmW9xV2nB7kR4pJc6Hs1Yd5Fg0Ue8Ka\n",
    "def f(a):\n    return a + 1\n",
    "if (x) {\r\n  y();\r\n}\r\n",
    "# comment 😀 with astral 𝄞\n",
    "\"unterminated",
    "/* open comment",
];

fn initial_text(language: &str, i: usize) -> String {
    match language {
        "python" => format!(
            "import hashlib\nimport subprocess\n\n\ndef handler{i}(data, cmd):\n    \
             digest = hashlib.md5(data)  # 😀\n    subprocess.call(cmd, shell=True)\n    \
             return digest\n"
        ),
        "java" => format!(
            "import java.security.MessageDigest;\r\n\r\npublic class C{i} {{\r\n    \
             byte[] h(byte[] d) throws Exception {{\r\n        \
             return MessageDigest.getInstance(\"MD5\").digest(d); // 𝔘\r\n    }}\r\n}}\r\n"
        ),
        "javascript" => format!(
            "const cp = require('child_process');\nfunction run{i}(req) {{\n  \
             cp.exec('ls ' + req.query.dir); // 中文\n}}\nmodule.exports = run{i};\n"
        ),
        _ => format!("# settings {i}\nDEBUG=false\nNAME=\"ünïcode 😀\"\n"),
    }
}

/// A byte offset of `text` that is a character boundary and not inside a CRLF pair (an LSP
/// position cannot name the point between `\r` and `\n`).
fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    if at > 0 && text.as_bytes()[at - 1] == b'\r' && text.as_bytes().get(at) == Some(&b'\n') {
        at -= 1;
    }
    at
}

/// A random edit of `text`: (byte range, new text).
fn random_edit(rng: &mut Rng, text: &str) -> (std::ops::Range<usize>, String) {
    let start = boundary(text, rng.below(text.len() + 1));
    match rng.below(10) {
        // Insert one to three pieces.
        0..=3 => {
            let count = 1 + rng.below(3);
            let inserted: String = (0..count).map(|_| rng.pick(PIECES)).collect();
            (start..start, inserted)
        }
        // Delete up to 40 bytes.
        4..=5 => {
            let end = boundary(text, start + rng.below(41)).max(start);
            (start..end, String::new())
        }
        // Replace several lines with a multi-line block.
        6..=7 => {
            let end = boundary(text, start + rng.below(200)).max(start);
            let lines = 1 + rng.below(4);
            let block: String = (0..lines)
                .map(|_| format!("{}{}", rng.pick(PIECES), rng.pick(&["\n", "\r\n"])))
                .collect();
            (start..end, block)
        }
        // Type a character over a selection.
        _ => {
            let end = boundary(text, start + rng.below(8)).max(start);
            (
                start..end,
                rng.pick(&["a", "😀", "𝔘", "\r\n", "é"]).to_string(),
            )
        }
    }
}

/// FNV-1a 64 of the client's text, as the server computes it.
fn fnv1a64(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// The server's peak resident set size, from `/proc/<pid>/status` (Linux), in KiB.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Requests in flight: id → (method, when sent).
#[derive(Default)]
struct InFlight {
    sent: HashMap<i64, (&'static str, Instant)>,
    answered: usize,
    slowest: Duration,
}

impl InFlight {
    fn send(&mut self, client: &mut Client, method: &'static str, params: Value) {
        let id = client.send_request(method, params);
        self.sent.insert(id, (method, Instant::now()));
    }

    /// Records a response; other messages are dropped.
    fn receive(&mut self, message: &Value) {
        if message.get("method").is_some() {
            return;
        }
        let Some(id) = message["id"].as_i64() else {
            return;
        };
        if let Some((method, sent)) = self.sent.remove(&id) {
            assert!(message.get("error").is_none(), "{method} failed: {message}");
            let took = sent.elapsed();
            assert!(
                took < TIMEOUT,
                "{method} took {took:?}, over the hang bound"
            );
            self.slowest = self.slowest.max(took);
            self.answered += 1;
        }
    }

    /// Handles whatever has arrived, without waiting.
    fn drain(&mut self, client: &mut Client) {
        while let Some(message) = client.next_message(Duration::ZERO) {
            self.receive(&message);
        }
    }

    /// Waits for every outstanding response; a request unanswered for longer than the bound
    /// fails the test.
    fn finish(&mut self, client: &mut Client) {
        loop {
            let oldest = self
                .sent
                .iter()
                .min_by_key(|(_, (_, t))| *t)
                .map(|(&id, &(method, sent))| (id, method, sent));
            let Some((id, method, sent)) = oldest else {
                break;
            };
            let left = TIMEOUT.saturating_sub(sent.elapsed());
            match client.next_message(left) {
                Some(message) => self.receive(&message),
                None => panic!(
                    "request {id} ({method}) was not answered within {TIMEOUT:?}\nserver stderr:\n{}",
                    client.stderr()
                ),
            }
        }
    }
}

#[test]
fn ten_thousand_random_edits_keep_every_document_in_sync() {
    let edits = env_number("CODEWARD_STRESS_EDITS", EDITS as u64) as usize;
    let mut rng = Rng(env_number("CODEWARD_STRESS_SEED", SEED));
    let mut client = Client::spawn_with_env(&[
        ("CODEWARD_DEBUG_REQUESTS", "1"),
        ("CODEWARD_LOG", "codeward=warn"),
    ]);
    let result = client.initialize(capabilities(&[], false), json!({}));
    // No encoding offered: the server must use UTF-16, and so does the client.
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    let enc = Enc::Utf16;
    let started = Instant::now();

    let languages = [
        ("python", "py"),
        ("java", "java"),
        ("javascript", "js"),
        ("plaintext", "env"),
    ];
    let mut docs: Vec<Doc> = (0..DOCUMENTS)
        .map(|i| {
            let (language, ext) = languages[i % languages.len()];
            let uri = format!("file:///stress/d{i}.{ext}");
            Doc::open(&mut client, &uri, language, &initial_text(language, i), enc)
        })
        .collect();

    let mut in_flight = InFlight::default();
    let mut changes = 0usize;
    let mut sent_edits = 0usize;
    while sent_edits < edits {
        let doc = &mut docs[rng.below(DOCUMENTS)];
        // One to three edits per didChange, each against the result of the previous.
        let batch = (1 + rng.below(3)).min(edits - sent_edits);
        let mut local = doc.text.clone();
        let mut wire = Vec::with_capacity(batch);
        for _ in 0..batch {
            let (bytes, inserted) = random_edit(&mut rng, &local);
            wire.push((range(&local, bytes.clone(), enc), inserted.clone()));
            local.replace_range(bytes, &inserted);
        }
        let borrowed: Vec<(Value, &str)> =
            wire.iter().map(|(r, t)| (r.clone(), t.as_str())).collect();
        doc.change(&mut client, &borrowed);
        assert_eq!(doc.text, local, "the client's own edit model disagrees");
        sent_edits += batch;
        changes += 1;

        if changes % 7 == 0 {
            let doc = &docs[rng.below(DOCUMENTS)];
            let a = boundary(&doc.text, rng.below(doc.text.len() + 1));
            let b = boundary(&doc.text, a + rng.below(80)).max(a);
            let r = range(&doc.text, a..b, enc);
            if rng.below(2) == 0 {
                in_flight.send(
                    &mut client,
                    "textDocument/codeAction",
                    json!({ "textDocument": { "uri": doc.uri }, "range": r,
                            "context": { "diagnostics": [] } }),
                );
            } else {
                in_flight.send(
                    &mut client,
                    "textDocument/hover",
                    json!({ "textDocument": { "uri": doc.uri }, "position": r["start"] }),
                );
            }
        }
        if changes % 50 == 0 {
            in_flight.drain(&mut client);
        }
    }
    let requests = in_flight.answered + in_flight.sent.len();
    in_flight.finish(&mut client);
    let edited = started.elapsed();

    for doc in &docs {
        let state = client.call(
            "codeward/debug/documentHash",
            json!({ "textDocument": { "uri": doc.uri } }),
        );
        assert_eq!(
            state["version"],
            json!(doc.version),
            "version of {}",
            doc.uri
        );
        assert_eq!(
            state["length"],
            json!(doc.text.len()),
            "length of {}",
            doc.uri
        );
        if state["fnv1a64"] != json!(fnv1a64(doc.text.as_bytes())) {
            // Show the difference in full before failing.
            doc.assert_in_sync(&mut client);
            panic!("hash of {} differs: {state}", doc.uri);
        }
    }
    let peak = peak_rss_kib(client.pid());
    eprintln!(
        "stress: {DOCUMENTS} documents, {sent_edits} edits in {changes} didChange, {requests} \
         code-action/hover requests (slowest answer {:?}), {:?} until all answered, {:?} in \
         total; server peak RSS {}",
        in_flight.slowest,
        edited,
        started.elapsed(),
        peak.map_or("unknown".to_string(), |kib| format!("{} MiB", kib / 1024)),
    );
    assert!(client.shutdown().success());
}

#[test]
fn the_debug_hash_request_is_off_unless_enabled() {
    let mut client = Client::spawn();
    client.initialize(capabilities(&[], false), json!({}));
    let doc = Doc::open(&mut client, "file:///x.py", "python", "x = 1\n", Enc::Utf16);
    let response = client.request(
        "codeward/debug/documentHash",
        json!({ "textDocument": { "uri": doc.uri } }),
    );
    assert_eq!(response["error"]["code"], -32601, "{response}");
    assert!(client.shutdown().success());
}
