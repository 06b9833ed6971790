//! The language server: the only module that knows LSP.
//!
//! `server` implements the protocol by delegating each method to a module of `handlers`;
//! `documents` holds the open documents, `scheduler` runs scans off the message loop, `convert`
//! turns findings into diagnostics, `proto` converts positions, `session` and `settings` hold
//! what was negotiated and configured. `notebooks` holds open notebooks (LSP 3.17 notebook sync)
//! and `notebook_scheduler` scans them as one program, publishing per cell.

mod convert;
mod discard;
mod documents;
mod handlers;
mod notebook_scheduler;
mod notebooks;
mod proto;
mod scheduler;
mod server;
mod session;
mod settings;
mod state;
mod transport;
mod workspace;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

pub use convert::{DiagnosticData, FixData, EXPRESS_LIMIT_CODE, SOURCE};
pub use settings::{LspSettings, ScanTrigger};

/// Stack size of runtime threads: analysis recursion is bounded but can be deep.
const STACK_SIZE: usize = 16 * 1024 * 1024;

/// Serves LSP over stdin/stdout until the client exits. Exits with success when `shutdown` came
/// before `exit` (or the input ended after it), failure otherwise.
pub fn run_stdio() -> ExitCode {
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(STACK_SIZE)
        .thread_name("codeward-lsp")
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            tracing::error!("cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let shutdown = Arc::new(AtomicBool::new(false));
    runtime.block_on(serve(
        tokio::io::stdin(),
        tokio::io::stdout(),
        Arc::clone(&shutdown),
    ));
    // Stdin's reader thread may still be blocked on a read; do not wait for it.
    runtime.shutdown_timeout(Duration::from_millis(200));
    if shutdown.load(Ordering::SeqCst) {
        ExitCode::SUCCESS
    } else {
        tracing::warn!("exiting without a shutdown request");
        ExitCode::FAILURE
    }
}

/// Serves one connection on the given streams. `shutdown` is set when the client sends
/// `shutdown`.
pub async fn serve<I, O>(input: I, output: O, shutdown: Arc<AtomicBool>)
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite,
{
    let input = transport::guard(input);
    let (service, socket) = LspService::build(move |client| {
        server::Backend::new(state::State::new(client, Arc::clone(&shutdown)))
    })
    .custom_method(
        handlers::document_state::METHOD,
        server::Backend::document_state,
    )
    .custom_method(
        handlers::document_state::HASH_METHOD,
        server::Backend::document_hash,
    )
    .custom_method(transport::INVALID_MESSAGE, server::Backend::invalid_message)
    .custom_method(
        handlers::progress_cancel::METHOD,
        server::Backend::progress_cancel,
    )
    .finish();
    Server::new(input, output, socket).serve(service).await;
}

/// Logs to stderr (stdout carries the protocol), filtered by `CODEWARD_LOG` or `RUST_LOG`.
fn init_logging() {
    let filter = std::env::var("CODEWARD_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "codeward=info".to_string());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
