//! Finding tracking across scans (`codeward scan --scan-name`): tracking fingerprints that survive
//! edits and moves ([`fingerprint`]), an embedded SQLite store of findings and their open/closed
//! lifecycle ([`store`]), the metrics computed from it ([`metrics`]) and the HTML dashboard
//! ([`dashboard`]).

pub mod dashboard;
pub mod fingerprint;
pub mod metrics;
pub mod store;
pub mod time;

pub use store::{
    FindingFilter, Observed, RecordOutcome, ScanRecord, Status, Store, StoredFinding, StoredScan,
};
pub use time::{Clock, FixedClock, SystemClock, Timestamp};

/// The default database path, relative to the working directory of the scan.
pub const DEFAULT_DB: &str = ".codeward/findings.db";

/// Where the flagged code was when it was scanned, kept with the finding for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackedCode {
    /// The code identity hash ([`fingerprint::identify`]).
    pub hash: u64,
    /// The lines around the finding.
    pub snippet: String,
    /// The 1-based number of the snippet's first line.
    pub snippet_line: u32,
    /// The preferred fix as a unified diff, when the finding has one.
    pub fix: Option<String>,
}

/// What can go wrong with the tracking database.
#[derive(Debug, thiserror::Error)]
pub enum TrackingError {
    /// SQLite reported an error.
    #[error("{context}: {source}")]
    Sqlite {
        /// What we were doing.
        context: String,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// The database directory could not be created.
    #[error("cannot create {path}: {source}")]
    Io {
        /// The directory.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The database file does not exist (for commands that only read it).
    #[error("no tracking database at {0}; record one with `codeward scan --scan-name NAME`")]
    Missing(String),
    /// The database was written by a newer Codeward.
    #[error(
        "{path} has schema version {found}, newer than this codeward understands ({supported})"
    )]
    NewerSchema {
        /// The database.
        path: String,
        /// Its `user_version`.
        found: i64,
        /// Ours.
        supported: i64,
    },
}

/// Adds context to SQLite errors.
pub(crate) trait SqlContext<T> {
    /// Wraps the error with what was being done.
    fn context(self, what: &str) -> Result<T, TrackingError>;
}

impl<T> SqlContext<T> for rusqlite::Result<T> {
    fn context(self, what: &str) -> Result<T, TrackingError> {
        self.map_err(|source| TrackingError::Sqlite {
            context: what.to_string(),
            source,
        })
    }
}
