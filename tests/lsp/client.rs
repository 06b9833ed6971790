//! A small JSON-RPC client speaking LSP to the real `codeward lsp` binary over stdio: Content-Length
//! framing, a reader thread feeding a channel, and a timeout on every wait so a broken server fails
//! the test instead of hanging it. The server's stderr is captured and shown on failure.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long any single wait may take before the test fails (generous: the machine is shared).
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// A running server and the client's view of the conversation.
pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Messages received but not yet consumed by a wait, in arrival order.
    backlog: VecDeque<Value>,
    /// Every message received, for assertions over the whole conversation.
    pub seen: Vec<Value>,
    stderr: Arc<Mutex<String>>,
    next_id: i64,
}

impl Client {
    /// Starts `codeward lsp`.
    pub fn spawn() -> Self {
        Self::spawn_with_env(&[])
    }

    /// Starts `codeward lsp` with extra environment variables.
    pub fn spawn_with_env(env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_codeward"))
            .arg("lsp")
            .env("CODEWARD_LOG", "codeward=debug")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the codeward binary starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, incoming) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let captured = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&captured);
        thread::spawn(move || {
            let mut reader = BufReader::new(stderr);
            let mut line = String::new();
            while matches!(reader.read_line(&mut line), Ok(n) if n > 0) {
                if let Ok(mut s) = sink.lock() {
                    s.push_str(&line);
                }
                line.clear();
            }
        });
        let stdin = child.stdin.take();
        Self {
            child,
            stdin,
            incoming,
            backlog: VecDeque::new(),
            seen: Vec::new(),
            stderr: captured,
            next_id: 1,
        }
    }

    /// The server's stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Sends raw bytes.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to the server");
        stdin.flush().expect("flush to the server");
    }

    /// Sends one framed JSON message.
    pub fn send(&mut self, message: &Value) {
        let body = message.to_string();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    /// Sends a notification.
    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        id
    }

    /// Sends a request and waits for its response message (with `result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Sends a request and returns its `result`, failing on an error response.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}\n{}",
            self.stderr()
        );
        response["result"].clone()
    }

    /// Waits for the response with this id.
    pub fn response(&mut self, id: i64) -> Value {
        self.wait(&format!("the response to request {id}"), |m| {
            m.get("method").is_none() && m["id"] == json!(id)
        })
    }

    /// Waits for a message matching `predicate`, answering the server's own requests meanwhile.
    /// Messages that do not match stay in the backlog for later waits.
    pub fn wait(&mut self, what: &str, predicate: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.backlog.iter().position(&predicate) {
            return self.backlog.remove(at).expect("index in range");
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) => {
                    self.seen.push(message.clone());
                    self.answer_server_request(&message);
                    if predicate(&message) {
                        return message;
                    }
                    self.backlog.push_back(message);
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!(
                        "timed out waiting for {what}\nserver stderr:\n{}",
                        self.stderr()
                    )
                }
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "the server closed its output while waiting for {what}\nserver stderr:\n{}",
                    self.stderr()
                ),
            }
        }
    }

    /// Waits for a notification of `method` matching `predicate`.
    pub fn notification(&mut self, method: &str, predicate: impl Fn(&Value) -> bool) -> Value {
        self.wait(method, |m| {
            m["method"] == method && m.get("id").is_none() && predicate(&m["params"])
        })["params"]
            .clone()
    }

    /// Waits for the diagnostics published for `uri` at `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let params = self.notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["version"] == json!(version)
        });
        params["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Every message received so far, consumed or not.
    pub fn received(&mut self) -> &[Value] {
        while let Ok(message) = self.incoming.try_recv() {
            self.seen.push(message.clone());
            self.answer_server_request(&message);
            self.backlog.push_back(message);
        }
        &self.seen
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The next message from the server within `timeout` (the server's own requests are
    /// answered), without keeping it in the backlog or in `seen`: for long conversations whose
    /// messages are handled as they come. `None` on timeout; panics if the server went away.
    pub fn next_message(&mut self, timeout: Duration) -> Option<Value> {
        if let Some(message) = self.backlog.pop_front() {
            return Some(message);
        }
        match self.incoming.recv_timeout(timeout) {
            Ok(message) => {
                self.answer_server_request(&message);
                Some(message)
            }
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => panic!(
                "the server closed its output\nserver stderr:\n{}",
                self.stderr()
            ),
        }
    }

    /// The server's requests to the client get a success response.
    fn answer_server_request(&mut self, message: &Value) {
        if message.get("method").is_some() && message.get("id").is_some() {
            let id = message["id"].clone();
            self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": null }));
        }
    }

    /// `initialize` + `initialized` with the given client capabilities and options.
    pub fn initialize(&mut self, capabilities: Value, options: Value) -> Value {
        let result = self.call(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": capabilities,
                "initializationOptions": options,
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    /// `shutdown` then `exit`; returns the exit status.
    pub fn shutdown(mut self) -> ExitStatus {
        let result = self.call("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        self.finish()
    }

    /// Closes stdin and waits (bounded) for the process to end.
    pub fn finish(mut self) -> ExitStatus {
        self.stdin.take();
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the server") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit\nserver stderr:\n{}", self.stderr());
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Reads one Content-Length framed message; `None` at end of input.
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}
