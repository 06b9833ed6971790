//! The tracking database: SQLite in WAL mode with a busy timeout, one `BEGIN IMMEDIATE`
//! transaction per recorded scan, so scans running in parallel (several CI jobs on one runner)
//! queue up instead of corrupting or half-writing it.
//!
//! A finding is identified within its scan name by its tracking fingerprint. Recording a scan:
//! a fingerprint not seen before opens a finding; one that is closed reopens; an open finding
//! missing from the scan closes (`closed_at` = the scan's time). Each scan row keeps the number
//! of open and closed findings of its scan name after it, for the open-vs-closed history.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use super::{SqlContext, Timestamp, TrackingError};
use crate::finding::Severity;

/// The schema version this code writes (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 1;

/// How long a writer waits for another one before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(120);

const SCHEMA: &str = "
CREATE TABLE scans (
    id            INTEGER PRIMARY KEY,
    scan_name     TEXT    NOT NULL,
    scanned_at    INTEGER NOT NULL,
    root          TEXT    NOT NULL,
    files_scanned INTEGER NOT NULL,
    findings      INTEGER NOT NULL,
    opened        INTEGER NOT NULL,
    reopened      INTEGER NOT NULL,
    closed        INTEGER NOT NULL,
    open_after    INTEGER NOT NULL,
    closed_after  INTEGER NOT NULL
);
CREATE INDEX scans_by_name ON scans (scan_name, scanned_at);
CREATE TABLE findings (
    id             INTEGER PRIMARY KEY,
    scan_name      TEXT    NOT NULL,
    fingerprint    TEXT    NOT NULL,
    rule_id        TEXT    NOT NULL,
    severity       TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('open', 'closed')),
    first_seen     INTEGER NOT NULL,
    opened_at      INTEGER NOT NULL,
    last_seen      INTEGER NOT NULL,
    closed_at      INTEGER,
    times_reopened INTEGER NOT NULL DEFAULT 0,
    path           TEXT    NOT NULL,
    line           INTEGER NOT NULL,
    col            INTEGER NOT NULL,
    message        TEXT    NOT NULL,
    snippet        TEXT    NOT NULL,
    snippet_line   INTEGER NOT NULL,
    fix            TEXT,
    first_scan     INTEGER NOT NULL REFERENCES scans (id),
    last_scan      INTEGER NOT NULL REFERENCES scans (id),
    UNIQUE (scan_name, fingerprint)
);
CREATE INDEX findings_by_status ON findings (status, scan_name);
";

/// Whether a tracked finding is still there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Seen in the latest scan of its scan name.
    Open,
    /// Missing from a later scan.
    Closed,
}

impl Status {
    /// `open` or `closed`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    fn parse(text: &str) -> Self {
        if text == "closed" {
            Self::Closed
        } else {
            Self::Open
        }
    }
}

/// A finding as seen by one scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    /// Its tracking fingerprint, unique within the scan.
    pub fingerprint: String,
    /// The rule id.
    pub rule_id: String,
    /// Its severity.
    pub severity: Severity,
    /// The file, relative to the scan root.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The message.
    pub message: String,
    /// The code around it.
    pub snippet: String,
    /// The line number of the snippet's first line.
    pub snippet_line: u32,
    /// The preferred fix as a unified diff.
    pub fix: Option<String>,
}

/// One scan to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanRecord {
    /// The scan name findings are tracked under.
    pub scan_name: String,
    /// The directory the paths are relative to.
    pub root: String,
    /// Files scanned.
    pub files_scanned: usize,
    /// Every finding of the scan.
    pub findings: Vec<Observed>,
}

/// What recording a scan changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecordOutcome {
    /// The new scan's row id.
    pub scan_id: i64,
    /// Findings seen for the first time.
    pub opened: usize,
    /// Closed findings that came back.
    pub reopened: usize,
    /// Open findings that were already open.
    pub still_open: usize,
    /// Open findings missing from this scan, now closed.
    pub closed: usize,
}

/// A finding as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFinding {
    /// Row id.
    pub id: i64,
    /// Its scan name.
    pub scan_name: String,
    /// Its tracking fingerprint.
    pub fingerprint: String,
    /// The rule id.
    pub rule_id: String,
    /// Its severity (as last seen).
    pub severity: Severity,
    /// Open or closed.
    pub status: Status,
    /// When it was first seen.
    pub first_seen: Timestamp,
    /// When it was last opened (first seen, or reopened).
    pub opened_at: Timestamp,
    /// The last scan it was seen in.
    pub last_seen: Timestamp,
    /// When it closed, if closed.
    pub closed_at: Option<Timestamp>,
    /// How many times it came back after closing.
    pub times_reopened: u32,
    /// Where it was last seen.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The message.
    pub message: String,
    /// The code around it.
    pub snippet: String,
    /// Line number of the snippet's first line.
    pub snippet_line: u32,
    /// The preferred fix as a unified diff.
    pub fix: Option<String>,
}

/// A recorded scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredScan {
    /// Row id.
    pub id: i64,
    /// Its scan name.
    pub scan_name: String,
    /// When it ran.
    pub scanned_at: Timestamp,
    /// Files scanned.
    pub files_scanned: u64,
    /// Findings in it.
    pub findings: u64,
    /// Findings it opened.
    pub opened: u64,
    /// Findings it reopened.
    pub reopened: u64,
    /// Findings it closed.
    pub closed: u64,
    /// Open findings of its scan name after it.
    pub open_after: u64,
    /// Closed findings of its scan name after it.
    pub closed_after: u64,
}

/// Which findings to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingFilter {
    /// Only this scan name.
    pub scan_name: Option<String>,
    /// Only this status.
    pub status: Option<Status>,
    /// Only these severities (all when empty).
    pub severities: Vec<Severity>,
}

/// Runs `step` again while SQLite answers "busy" without waiting, for up to [`BUSY_TIMEOUT`].
/// Switching a new database to WAL while another process does the same can fail at once
/// (the busy handler is not called while the other builds the WAL index), so processes
/// starting together on one new database would otherwise fail at random.
fn retry_while_busy<T>(mut step: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(5);
    loop {
        match step() {
            Err(rusqlite::Error::SqliteFailure(error, _))
                if matches!(
                    error.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(200));
            }
            result => return result,
        }
    }
}

/// An open tracking database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating it and its directory if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Self, TrackingError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| TrackingError::Io {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let conn = Connection::open(path).context(&format!(
            "cannot open the tracking database {}",
            path.display()
        ))?;
        Self::setup(conn, &path.display().to_string())
    }

    /// Opens an existing database; an error if there is none.
    pub fn open_existing(path: &Path) -> Result<Self, TrackingError> {
        if !path.is_file() {
            return Err(TrackingError::Missing(path.display().to_string()));
        }
        Self::open(path)
    }

    /// A database in memory (tests).
    pub fn in_memory() -> Result<Self, TrackingError> {
        let conn = Connection::open_in_memory().context("cannot open an in-memory database")?;
        Self::setup(conn, ":memory:")
    }

    fn setup(conn: Connection, name: &str) -> Result<Self, TrackingError> {
        let what = format!("cannot set up the tracking database {name}");
        conn.busy_timeout(BUSY_TIMEOUT).context(&what)?;
        // WAL: readers never block the writer and a crash mid-write leaves the database intact.
        // (An in-memory database answers `memory`.)
        let _mode: String =
            retry_while_busy(|| conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0)))
                .context(&what)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .context(&what)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .context(&what)?;
        let mut store = Self { conn };
        store.migrate(name)?;
        Ok(store)
    }

    fn migrate(&mut self, name: &str) -> Result<(), TrackingError> {
        let what = format!("cannot create the tables of {name}");
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .context(&what)?;
        let version: i64 = tx
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .context(&what)?;
        if version > SCHEMA_VERSION {
            return Err(TrackingError::NewerSchema {
                path: name.to_string(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version == 0 {
            tx.execute_batch(SCHEMA).context(&what)?;
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)
                .context(&what)?;
        }
        tx.commit().context(&what)
    }

    /// Records one scan taken at `at`, in one transaction: opens, reopens and closes findings.
    pub fn record(
        &mut self,
        scan: &ScanRecord,
        at: Timestamp,
    ) -> Result<RecordOutcome, TrackingError> {
        let what = format!("cannot record scan `{}`", scan.scan_name);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .context(&what)?;
        tx.execute(
            "INSERT INTO scans (scan_name, scanned_at, root, files_scanned, findings, opened,
                                reopened, closed, open_after, closed_after)
             VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, 0, 0, 0)",
            params![
                scan.scan_name,
                at,
                scan.root,
                to_i64(scan.files_scanned),
                to_i64(scan.findings.len())
            ],
        )
        .context(&what)?;
        let scan_id = tx.last_insert_rowid();

        let mut known: HashMap<String, (i64, Status)> = HashMap::new();
        {
            let mut stmt = tx
                .prepare("SELECT fingerprint, id, status FROM findings WHERE scan_name = ?1")
                .context(&what)?;
            let rows = stmt
                .query_map([&scan.scan_name], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, i64>(1)?,
                        Status::parse(&row.get::<_, String>(2)?),
                    ))
                })
                .context(&what)?;
            for row in rows {
                let (fingerprint, id, status) = row.context(&what)?;
                known.insert(fingerprint, (id, status));
            }
        }

        let mut outcome = RecordOutcome {
            scan_id,
            ..RecordOutcome::default()
        };
        let mut seen = HashSet::new();
        for finding in &scan.findings {
            if !seen.insert(finding.fingerprint.as_str()) {
                continue;
            }
            match known.get(&finding.fingerprint) {
                None => {
                    tx.execute(
                        "INSERT INTO findings (scan_name, fingerprint, rule_id, severity, status,
                             first_seen, opened_at, last_seen, path, line, col, message, snippet,
                             snippet_line, fix, first_scan, last_scan)
                         VALUES (?1, ?2, ?3, ?4, 'open', ?5, ?5, ?5, ?6, ?7, ?8, ?9, ?10, ?11,
                                 ?12, ?13, ?13)",
                        params![
                            scan.scan_name,
                            finding.fingerprint,
                            finding.rule_id,
                            finding.severity.as_str(),
                            at,
                            finding.path,
                            finding.line,
                            finding.column,
                            finding.message,
                            finding.snippet,
                            finding.snippet_line,
                            finding.fix,
                            scan_id
                        ],
                    )
                    .context(&what)?;
                    outcome.opened += 1;
                }
                Some(&(id, status)) => {
                    let reopening = status == Status::Closed;
                    tx.execute(
                        "UPDATE findings SET rule_id = ?2, severity = ?3, status = 'open',
                             last_seen = ?4, path = ?5, line = ?6, col = ?7, message = ?8,
                             snippet = ?9, snippet_line = ?10, fix = ?11, last_scan = ?12,
                             opened_at = CASE WHEN ?13 THEN ?4 ELSE opened_at END,
                             closed_at = NULL,
                             times_reopened = times_reopened + ?13
                         WHERE id = ?1",
                        params![
                            id,
                            finding.rule_id,
                            finding.severity.as_str(),
                            at,
                            finding.path,
                            finding.line,
                            finding.column,
                            finding.message,
                            finding.snippet,
                            finding.snippet_line,
                            finding.fix,
                            scan_id,
                            i64::from(reopening)
                        ],
                    )
                    .context(&what)?;
                    if reopening {
                        outcome.reopened += 1;
                    } else {
                        outcome.still_open += 1;
                    }
                }
            }
        }
        for (fingerprint, (id, status)) in &known {
            if *status == Status::Open && !seen.contains(fingerprint.as_str()) {
                tx.execute(
                    "UPDATE findings SET status = 'closed', closed_at = ?2 WHERE id = ?1",
                    params![id, at],
                )
                .context(&what)?;
                outcome.closed += 1;
            }
        }
        let (open_after, closed_after): (i64, i64) = tx
            .query_row(
                "SELECT COALESCE(SUM(status = 'open'), 0), COALESCE(SUM(status = 'closed'), 0)
                 FROM findings WHERE scan_name = ?1",
                [&scan.scan_name],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .context(&what)?;
        tx.execute(
            "UPDATE scans SET opened = ?2, reopened = ?3, closed = ?4, open_after = ?5,
                 closed_after = ?6 WHERE id = ?1",
            params![
                scan_id,
                to_i64(outcome.opened),
                to_i64(outcome.reopened),
                to_i64(outcome.closed),
                open_after,
                closed_after
            ],
        )
        .context(&what)?;
        tx.commit().context(&what)?;
        Ok(outcome)
    }

    /// The findings matching `filter`: open first, then by severity (highest first), path, line.
    pub fn findings(&self, filter: &FindingFilter) -> Result<Vec<StoredFinding>, TrackingError> {
        let what = "cannot read the tracked findings";
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, scan_name, fingerprint, rule_id, severity, status, first_seen,
                        opened_at, last_seen, closed_at, times_reopened, path, line, col, message,
                        snippet, snippet_line, fix
                 FROM findings
                 WHERE (?1 IS NULL OR scan_name = ?1) AND (?2 IS NULL OR status = ?2)",
            )
            .context(what)?;
        let rows = stmt
            .query_map(
                params![filter.scan_name, filter.status.map(Status::as_str)],
                finding_from_row,
            )
            .context(what)?;
        let mut findings = Vec::new();
        for row in rows {
            let finding = row.context(what)?;
            if filter.severities.is_empty() || filter.severities.contains(&finding.severity) {
                findings.push(finding);
            }
        }
        findings.sort_by(|a, b| {
            (
                a.status,
                std::cmp::Reverse(a.severity),
                &a.scan_name,
                &a.path,
                a.line,
                a.column,
                a.id,
            )
                .cmp(&(
                    b.status,
                    std::cmp::Reverse(b.severity),
                    &b.scan_name,
                    &b.path,
                    b.line,
                    b.column,
                    b.id,
                ))
        });
        Ok(findings)
    }

    /// The recorded scans (of one scan name, or all), oldest first.
    pub fn scans(&self, scan_name: Option<&str>) -> Result<Vec<StoredScan>, TrackingError> {
        let what = "cannot read the recorded scans";
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, scan_name, scanned_at, files_scanned, findings, opened, reopened,
                        closed, open_after, closed_after
                 FROM scans WHERE (?1 IS NULL OR scan_name = ?1)
                 ORDER BY scanned_at, id",
            )
            .context(what)?;
        let rows = stmt
            .query_map([scan_name], |row| {
                Ok(StoredScan {
                    id: row.get(0)?,
                    scan_name: row.get(1)?,
                    scanned_at: row.get(2)?,
                    files_scanned: row.get(3)?,
                    findings: row.get(4)?,
                    opened: row.get(5)?,
                    reopened: row.get(6)?,
                    closed: row.get(7)?,
                    open_after: row.get(8)?,
                    closed_after: row.get(9)?,
                })
            })
            .context(what)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().context(what)
    }

    /// Whether a scan name has been recorded.
    pub fn has_scan_name(&self, scan_name: &str) -> Result<bool, TrackingError> {
        self.conn
            .query_row(
                "SELECT 1 FROM scans WHERE scan_name = ?1 LIMIT 1",
                [scan_name],
                |_| Ok(()),
            )
            .optional()
            .map(|found| found.is_some())
            .context("cannot read the recorded scans")
    }

    /// SQLite's own consistency check (`PRAGMA integrity_check`): `ok` when sound.
    pub fn integrity_check(&self) -> Result<String, TrackingError> {
        self.conn
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .context("cannot check the tracking database")
    }
}

fn finding_from_row(row: &Row<'_>) -> rusqlite::Result<StoredFinding> {
    let severity: String = row.get(4)?;
    let status: String = row.get(5)?;
    Ok(StoredFinding {
        id: row.get(0)?,
        scan_name: row.get(1)?,
        fingerprint: row.get(2)?,
        rule_id: row.get(3)?,
        severity: Severity::parse(&severity).unwrap_or(Severity::Info),
        status: Status::parse(&status),
        first_seen: row.get(6)?,
        opened_at: row.get(7)?,
        last_seen: row.get(8)?,
        closed_at: row.get(9)?,
        times_reopened: row.get(10)?,
        path: row.get(11)?,
        line: row.get(12)?,
        column: row.get(13)?,
        message: row.get(14)?,
        snippet: row.get(15)?,
        snippet_line: row.get(16)?,
        fix: row.get(17)?,
    })
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::tracking::{Clock, FixedClock};

    /// An observed finding with the given fingerprint, rule and severity.
    pub(crate) fn observed(fingerprint: &str, rule: &str, severity: Severity) -> Observed {
        Observed {
            fingerprint: fingerprint.into(),
            rule_id: rule.into(),
            severity,
            path: "app.py".into(),
            line: 3,
            column: 5,
            message: "message".into(),
            snippet: "x = md5(y)".into(),
            snippet_line: 3,
            fix: Some("--- a/app.py\n+++ b/app.py\n".into()),
        }
    }

    pub(crate) fn scan(name: &str, findings: Vec<Observed>) -> ScanRecord {
        ScanRecord {
            scan_name: name.into(),
            root: "/repo".into(),
            files_scanned: 2,
            findings,
        }
    }

    fn statuses(store: &Store, name: &str) -> Vec<(String, Status)> {
        let mut found: Vec<_> = store
            .findings(&FindingFilter {
                scan_name: Some(name.into()),
                ..FindingFilter::default()
            })
            .expect("findings")
            .into_iter()
            .map(|f| (f.fingerprint, f.status))
            .collect();
        found.sort();
        found
    }

    #[test]
    fn lifecycle_opens_closes_and_reopens() {
        let mut store = Store::in_memory().expect("store");
        let a = observed("a:1", "r1", Severity::High);
        let b = observed("b:1", "r2", Severity::Low);
        let day = 86_400;
        let clock = |n: i64| FixedClock(1_000_000 + n * day).now();

        let first = store
            .record(&scan("main", vec![a.clone(), b.clone()]), clock(0))
            .expect("record");
        assert_eq!((first.opened, first.closed, first.reopened), (2, 0, 0));

        let second = store
            .record(&scan("main", vec![a.clone()]), clock(1))
            .expect("record");
        assert_eq!((second.opened, second.still_open, second.closed), (0, 1, 1));
        assert_eq!(
            statuses(&store, "main"),
            [
                ("a:1".to_string(), Status::Open),
                ("b:1".to_string(), Status::Closed)
            ]
        );
        let closed = store
            .findings(&FindingFilter {
                status: Some(Status::Closed),
                ..FindingFilter::default()
            })
            .expect("closed");
        assert_eq!(closed.len(), 1);
        assert_eq!(closed[0].closed_at, Some(clock(1)));
        assert_eq!(closed[0].first_seen, clock(0));

        let third = store
            .record(&scan("main", vec![a.clone(), b.clone()]), clock(3))
            .expect("record");
        assert_eq!(
            (third.opened, third.reopened, third.closed, third.still_open),
            (0, 1, 0, 1)
        );
        let b_row = store
            .findings(&FindingFilter::default())
            .expect("all")
            .into_iter()
            .find(|f| f.fingerprint == "b:1")
            .expect("b");
        assert_eq!(b_row.status, Status::Open);
        assert_eq!(b_row.first_seen, clock(0));
        assert_eq!(b_row.opened_at, clock(3));
        assert_eq!(b_row.closed_at, None);
        assert_eq!(b_row.times_reopened, 1);
        assert_eq!(b_row.last_seen, clock(3));

        // Another scan name is tracked on its own: recording it closes nothing of `main`.
        store
            .record(&scan("nightly", vec![]), clock(4))
            .expect("record");
        assert_eq!(statuses(&store, "main").len(), 2);
        assert!(statuses(&store, "main")
            .iter()
            .all(|(_, s)| *s == Status::Open));

        let scans = store.scans(Some("main")).expect("scans");
        let history: Vec<_> = scans
            .iter()
            .map(|s| (s.open_after, s.closed_after))
            .collect();
        assert_eq!(history, [(2, 0), (1, 1), (2, 0)]);
        assert!(store.has_scan_name("nightly").expect("query"));
        assert!(!store.has_scan_name("weekly").expect("query"));
        assert_eq!(store.integrity_check().expect("check"), "ok");
    }

    #[test]
    fn filters_by_status_severity_and_name() {
        let mut store = Store::in_memory().expect("store");
        store
            .record(
                &scan(
                    "main",
                    vec![
                        observed("a:1", "r1", Severity::High),
                        observed("b:1", "r1", Severity::Low),
                        observed("c:1", "r2", Severity::Critical),
                    ],
                ),
                10,
            )
            .expect("record");
        store
            .record(
                &scan("other", vec![observed("a:1", "r1", Severity::High)]),
                20,
            )
            .expect("record");
        let all = store.findings(&FindingFilter::default()).expect("all");
        assert_eq!(all.len(), 4);
        // Highest severity first.
        assert_eq!(all[0].severity, Severity::Critical);
        let high = store
            .findings(&FindingFilter {
                severities: vec![Severity::High, Severity::Critical],
                scan_name: Some("main".into()),
                ..FindingFilter::default()
            })
            .expect("filtered");
        let prints: Vec<_> = high.iter().map(|f| f.fingerprint.as_str()).collect();
        assert_eq!(prints, ["c:1", "a:1"]);
    }

    #[test]
    fn duplicate_fingerprints_in_one_scan_count_once() {
        let mut store = Store::in_memory().expect("store");
        let a = observed("a:1", "r1", Severity::High);
        let outcome = store
            .record(&scan("main", vec![a.clone(), a]), 1)
            .expect("record");
        assert_eq!(outcome.opened, 1);
        assert_eq!(
            store
                .findings(&FindingFilter::default())
                .expect("all")
                .len(),
            1
        );
    }

    #[test]
    fn reopens_a_database_on_disk_and_refuses_a_missing_one() {
        let dir = std::env::temp_dir().join(format!("codeward-store-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("nested/findings.db");
        assert!(matches!(
            Store::open_existing(&path),
            Err(TrackingError::Missing(_))
        ));
        {
            let mut store = Store::open(&path).expect("create");
            store
                .record(
                    &scan("main", vec![observed("a:1", "r", Severity::Medium)]),
                    5,
                )
                .expect("record");
        }
        let store = Store::open_existing(&path).expect("reopen");
        assert_eq!(
            store
                .findings(&FindingFilter::default())
                .expect("all")
                .len(),
            1
        );
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .expect("mode");
        assert_eq!(mode, "wal");
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
