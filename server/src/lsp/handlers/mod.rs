//! One module per LSP method.

pub mod code_action;
pub mod diagnostic;
pub mod did_change;
pub mod did_change_configuration;
pub mod did_change_watched_files;
pub mod did_change_workspace_folders;
pub mod did_close;
pub mod did_open;
pub mod did_save;
pub mod document_state;
pub mod execute_command;
pub mod hover;
pub mod initialize;
pub mod notebook_cells;
pub mod notebook_sync;
pub mod progress_cancel;
