//! End-to-end tests of `codeward lsp`: JSON-RPC over stdio against the real binary.

mod client;
mod support;

mod bad_input;
mod commands;
mod findings;
mod notebooks;
mod protocol;
mod secrets;
mod stress;
mod workspace;
