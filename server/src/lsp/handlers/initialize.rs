//! `initialize`: negotiate the position encoding and diagnostics mode, read the settings, and
//! declare the capabilities.

use tower_lsp_server::ls_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, DiagnosticOptions,
    DiagnosticServerCapabilities, ExecuteCommandOptions, HoverProviderCapability, InitializeParams,
    InitializeResult, Notebook, NotebookCellSelector, NotebookDocumentSyncOptions,
    NotebookSelector, OneOf, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, WorkspaceFoldersServerCapabilities, WorkspaceServerCapabilities,
};

use super::super::proto::encoding_kind;
use super::super::session::Session;
use super::super::settings::LspSettings;
use super::super::state::State;
use super::did_change_workspace_folders;
use super::execute_command::{SCAN_FILE, SCAN_WORKSPACE};

/// The code action kind of "fix all safe findings".
pub const FIX_ALL_KIND: &str = "source.fixAll.codeward";

/// The notebook type whose cells are synchronised with `notebookDocument/*` (Jupyter notebooks in
/// VS Code and JupyterLab).
pub const NOTEBOOK_TYPE: &str = "jupyter-notebook";

/// Handles `initialize`.
pub fn initialize(state: &State, params: InitializeParams) -> InitializeResult {
    let (settings, problems) = params
        .initialization_options
        .as_ref()
        .map(LspSettings::from_json)
        .unwrap_or_default();
    for problem in problems {
        tracing::warn!("initializationOptions: {problem}");
        state.defer_message(format!("initializationOptions: {problem}"));
    }
    let session = Session::negotiate(&params.capabilities, settings);
    state.workspace.change_folders(folders(&params), &[]);
    tracing::info!(
        encoding = ?session.encoding,
        pull = session.pull_diagnostics,
        "initialized a session"
    );
    let result = InitializeResult {
        capabilities: capabilities(&session),
        server_info: Some(ServerInfo {
            name: "codeward".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
        offset_encoding: None,
    };
    state.set_session(session);
    result
}

/// The workspace folders of `initialize`: `workspaceFolders`, else the deprecated `rootUri`.
#[allow(deprecated)]
fn folders(params: &InitializeParams) -> Vec<std::path::PathBuf> {
    match &params.workspace_folders {
        Some(folders) if !folders.is_empty() => did_change_workspace_folders::paths(folders),
        _ => params
            .root_uri
            .as_ref()
            .and_then(|uri| uri.to_file_path().map(|p| p.into_owned()))
            .into_iter()
            .collect(),
    }
}

/// What the server offers, given the negotiated session.
fn capabilities(session: &Session) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding_kind(session.encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        notebook_document_sync: Some(OneOf::Left(NotebookDocumentSyncOptions {
            notebook_selector: vec![NotebookSelector::ByNotebook {
                notebook: Notebook::String(NOTEBOOK_TYPE.to_string()),
                cells: Some(vec![NotebookCellSelector {
                    language: "python".to_string(),
                }]),
            }],
            save: Some(true),
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new(FIX_ALL_KIND),
            ]),
            ..CodeActionOptions::default()
        })),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![SCAN_FILE.to_string(), SCAN_WORKSPACE.to_string()],
            ..ExecuteCommandOptions::default()
        }),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        diagnostic_provider: session.pull_diagnostics.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("codeward".to_string()),
                inter_file_dependencies: false,
                workspace_diagnostics: false,
                ..DiagnosticOptions::default()
            })
        }),
        ..ServerCapabilities::default()
    }
}
