//! A guard in front of the JSON-RPC framing of tower-lsp-server.
//!
//! tower-lsp-server's reader stops for good after the first undecodable message (a missing
//! `Content-Length`, a body that is not JSON, a message that is neither a request nor a response),
//! which ends the session. This guard reads the raw input itself and forwards only well-formed
//! messages. Each bad one is replaced by a request to [`INVALID_MESSAGE`] carrying the error, whose
//! handler answers with that JSON-RPC error (id `null` when the id is unknown), so the client gets
//! the error the spec asks for and the session continues. Bytes between messages are skipped up to
//! the next `Content-Length` header.

use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, DuplexStream};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Request, Response};

/// The method the guard sends in place of a bad message.
pub const INVALID_MESSAGE: &str = "codeward/invalidMessage";

const HEADER: &[u8] = b"Content-Length";
/// A header block longer than this without its terminating blank line is dropped.
const MAX_HEADER_BYTES: usize = 8 * 1024;

/// What the framer found at the front of the buffer.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// A well-formed message body.
    Message(Vec<u8>),
    /// A bad message, turned into the JSON-RPC error to report.
    Invalid {
        /// The request id when it could be read, else `null`.
        id: Value,
        /// The error code (parse error or invalid request).
        code: i64,
        /// What was wrong.
        message: String,
    },
}

/// Takes the next frame off the front of `buf`, or `None` when more input is needed.
pub fn next_frame(buf: &mut Vec<u8>) -> Option<Frame> {
    // Skip anything before the next header.
    match find(buf, HEADER) {
        Some(0) => {}
        Some(at) => {
            tracing::warn!("skipped {at} bytes of input that were not an LSP message");
            buf.drain(..at);
        }
        None => {
            // Keep a tail that may be the start of a header split across reads.
            let keep = buf.len().min(HEADER.len() - 1);
            let skipped = buf.len() - keep;
            if skipped > 0 {
                tracing::warn!("skipped {skipped} bytes of input that were not an LSP message");
                buf.drain(..skipped);
            }
            return None;
        }
    }
    let Some(header_end) = find(buf, b"\r\n\r\n") else {
        if buf.len() > MAX_HEADER_BYTES {
            buf.drain(..HEADER.len());
            return Some(invalid(
                Value::Null,
                ErrorCode::ParseError,
                "header too long",
            ));
        }
        return None;
    };
    let header_len = header_end + 4;
    let length = content_length(&buf[..header_end]);
    let Some(length) = length else {
        buf.drain(..header_len);
        return Some(invalid(
            Value::Null,
            ErrorCode::ParseError,
            "missing or invalid Content-Length header",
        ));
    };
    let total = header_len.checked_add(length)?;
    if buf.len() < total {
        return None;
    }
    let body: Vec<u8> = buf.drain(..total).skip(header_len).collect();
    Some(check_body(body))
}

/// Checks that a body is a JSON-RPC request, notification or response.
fn check_body(body: Vec<u8>) -> Frame {
    let value: Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(err) => {
            return invalid(
                Value::Null,
                ErrorCode::ParseError,
                &format!("the message body is not valid JSON: {err}"),
            )
        }
    };
    if serde_json::from_value::<Request>(value.clone()).is_ok()
        || serde_json::from_value::<Response>(value.clone()).is_ok()
    {
        return Frame::Message(body);
    }
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    invalid(
        id,
        ErrorCode::InvalidRequest,
        "the message is not a JSON-RPC 2.0 request, notification or response",
    )
}

fn invalid(id: Value, code: ErrorCode, message: &str) -> Frame {
    Frame::Invalid {
        id,
        code: code.code(),
        message: message.to_string(),
    }
}

/// The value of the `Content-Length` header, if present and a number.
fn content_length(header: &[u8]) -> Option<usize> {
    let header = std::str::from_utf8(header).ok()?;
    header.split("\r\n").find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse().ok())?
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// Encodes a frame as bytes for tower-lsp-server.
fn encode(frame: Frame) -> Vec<u8> {
    let body = match frame {
        Frame::Message(body) => body,
        Frame::Invalid { id, code, message } => json!({
            "jsonrpc": "2.0",
            "id": id,
            "method": INVALID_MESSAGE,
            "params": { "code": code, "message": message },
        })
        .to_string()
        .into_bytes(),
    };
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(&body);
    out
}

/// Spawns the guard between `input` and the returned stream.
pub fn guard<R>(mut input: R) -> DuplexStream
where
    R: AsyncRead + Unpin + Send + 'static,
{
    let (mut to_server, server_side) = tokio::io::duplex(1 << 20);
    tokio::spawn(async move {
        let mut buf = Vec::new();
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            let read = match input.read(&mut chunk).await {
                Ok(0) => break,
                Ok(n) => n,
                Err(err) => {
                    tracing::error!("reading the client's input failed: {err}");
                    break;
                }
            };
            buf.extend_from_slice(&chunk[..read]);
            while let Some(frame) = next_frame(&mut buf) {
                if let Frame::Invalid { message, .. } = &frame {
                    tracing::warn!("invalid message from the client: {message}");
                }
                if to_server.write_all(&encode(frame)).await.is_err() {
                    return;
                }
            }
        }
        if !buf.is_empty() {
            tracing::warn!(
                "the input ended inside a message ({} bytes dropped)",
                buf.len()
            );
        }
        let _ = to_server.shutdown().await;
    });
    server_side
}

/// The error a replaced message is answered with.
pub fn error_of(params: &Value) -> Error {
    let code = params.get("code").and_then(Value::as_i64).unwrap_or(-32700);
    let message = params
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("invalid message");
    Error {
        code: ErrorCode::from(code),
        message: message.to_string().into(),
        data: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    #[test]
    fn passes_messages_split_anywhere() {
        let msg = framed(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#);
        for split in 0..msg.len() {
            let mut buf = msg[..split].to_vec();
            assert_eq!(next_frame(&mut buf), None, "split at {split}");
            buf.extend_from_slice(&msg[split..]);
            assert!(matches!(next_frame(&mut buf), Some(Frame::Message(_))));
            assert!(buf.is_empty());
        }
    }

    #[test]
    fn replaces_bad_messages_and_resynchronises() {
        let mut buf = b"garbage".to_vec();
        buf.extend(framed("{not json"));
        buf.extend(b"Content-Type: x\r\n\r\n");
        buf.extend(framed(r#"{"id":7,"hello":1}"#));
        buf.extend(framed(r#"{"jsonrpc":"2.0","id":2,"result":null}"#));
        let Some(Frame::Invalid { code, id, .. }) = next_frame(&mut buf) else {
            panic!("expected a parse error");
        };
        assert_eq!((code, id), (-32700, Value::Null));
        // The header block without Content-Length is skipped as garbage before the next header.
        let Some(Frame::Invalid { code, id, .. }) = next_frame(&mut buf) else {
            panic!("expected an invalid request");
        };
        assert_eq!((code, id), (-32600, json!(7)));
        assert!(matches!(next_frame(&mut buf), Some(Frame::Message(_))));
        assert_eq!(next_frame(&mut buf), None);
    }

    #[test]
    fn missing_length_is_reported() {
        let mut buf = b"Content-Length: abc\r\n\r\n{}".to_vec();
        assert!(matches!(
            next_frame(&mut buf),
            Some(Frame::Invalid { code: -32700, .. })
        ));
    }
}
