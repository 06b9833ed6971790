//! Auto-scan: the workspace scan every `autoScanInterval` seconds (off when 0). A change of the
//! interval wakes the loop, so it takes effect without a restart. A tick is skipped while another
//! workspace scan runs.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use super::super::state::State;
use super::run::{self, Silent};

/// Runs the auto-scan loop for the life of the connection (spawn it once, at `initialized`).
pub async fn run_loop(state: Arc<State>) {
    loop {
        let seconds = state.session().settings.auto_scan_interval;
        if seconds == 0 {
            state.workspace.settings_changed.notified().await;
            continue;
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(seconds)) => {}
            () = state.workspace.settings_changed.notified() => continue,
        }
        if state.is_shut_down() || state.workspace.is_running() {
            continue;
        }
        let cancel = Arc::new(AtomicBool::new(false));
        state.workspace.begin(Arc::clone(&cancel));
        let summary = run::scan_workspace(&state, &cancel, &mut Silent).await;
        state.workspace.end(&cancel);
        tracing::debug!(?summary, "auto-scan done");
    }
}
