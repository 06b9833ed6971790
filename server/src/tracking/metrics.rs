//! Metrics over tracked findings, per scan name and overall: open findings by severity, the
//! oldest open finding, closed findings, closure rate, average time to close, and the history of
//! open and closed findings scan by scan.

use std::collections::{BTreeMap, HashMap};

use super::{Status, StoredFinding, StoredScan, Timestamp};
use crate::finding::Severity;

/// The oldest open finding of a group.
#[derive(Debug, Clone, PartialEq)]
pub struct Oldest {
    /// Its rule.
    pub rule_id: String,
    /// Where it is.
    pub path: String,
    /// Its line.
    pub line: u32,
    /// When it was first seen.
    pub first_seen: Timestamp,
    /// Seconds from first seen to now.
    pub age: i64,
}

/// The metrics of one scan name, or of all (`scan_name` `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    /// The scan name, `None` for the overall figures.
    pub scan_name: Option<String>,
    /// Scans recorded.
    pub scans: usize,
    /// When the latest scan ran.
    pub last_scan: Option<Timestamp>,
    /// Open findings per severity, indexed like [`Severity::ALL`] (Info first).
    pub open_by_severity: [usize; 5],
    /// Open findings.
    pub open: usize,
    /// Closed findings.
    pub closed: usize,
    /// Closed findings as a share of all findings ever tracked (0 to 1), `None` without any.
    pub closure_rate: Option<f64>,
    /// Mean seconds from (re)opening to closing over the closed findings.
    pub mean_time_to_close: Option<f64>,
    /// The open finding first seen the longest ago.
    pub oldest_open: Option<Oldest>,
}

impl Metrics {
    /// Open findings of one severity.
    pub fn open_with(&self, severity: Severity) -> usize {
        Severity::ALL
            .iter()
            .position(|s| *s == severity)
            .map_or(0, |i| self.open_by_severity[i])
    }
}

/// Metrics of one group of findings and scans.
pub fn compute(
    scan_name: Option<String>,
    findings: &[&StoredFinding],
    scans: &[&StoredScan],
    now: Timestamp,
) -> Metrics {
    let mut metrics = Metrics {
        scan_name,
        scans: scans.len(),
        last_scan: scans.iter().map(|s| s.scanned_at).max(),
        open_by_severity: [0; 5],
        open: 0,
        closed: 0,
        closure_rate: None,
        mean_time_to_close: None,
        oldest_open: None,
    };
    let mut close_time_total = 0f64;
    for finding in findings {
        match finding.status {
            Status::Open => {
                metrics.open += 1;
                if let Some(i) = Severity::ALL.iter().position(|s| *s == finding.severity) {
                    metrics.open_by_severity[i] += 1;
                }
                let older = metrics
                    .oldest_open
                    .as_ref()
                    .is_none_or(|o| finding.first_seen < o.first_seen);
                if older {
                    metrics.oldest_open = Some(Oldest {
                        rule_id: finding.rule_id.clone(),
                        path: finding.path.clone(),
                        line: finding.line,
                        first_seen: finding.first_seen,
                        age: (now - finding.first_seen).max(0),
                    });
                }
            }
            Status::Closed => {
                metrics.closed += 1;
                let closed_at = finding.closed_at.unwrap_or(finding.last_seen);
                close_time_total += (closed_at - finding.opened_at).max(0) as f64;
            }
        }
    }
    let total = metrics.open + metrics.closed;
    if total > 0 {
        metrics.closure_rate = Some(metrics.closed as f64 / total as f64);
    }
    if metrics.closed > 0 {
        metrics.mean_time_to_close = Some(close_time_total / metrics.closed as f64);
    }
    metrics
}

/// Metrics per scan name (sorted by name), then overall (last).
pub fn per_scan_name(
    findings: &[StoredFinding],
    scans: &[StoredScan],
    now: Timestamp,
) -> Vec<Metrics> {
    let mut names: BTreeMap<&str, (Vec<&StoredFinding>, Vec<&StoredScan>)> = BTreeMap::new();
    for scan in scans {
        names.entry(&scan.scan_name).or_default().1.push(scan);
    }
    for finding in findings {
        names.entry(&finding.scan_name).or_default().0.push(finding);
    }
    let mut all: Vec<Metrics> = names
        .into_iter()
        .map(|(name, (f, s))| compute(Some(name.to_string()), &f, &s, now))
        .collect();
    let every_finding: Vec<&StoredFinding> = findings.iter().collect();
    let every_scan: Vec<&StoredScan> = scans.iter().collect();
    all.push(compute(None, &every_finding, &every_scan, now));
    all
}

/// One point of the open-vs-closed history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryPoint {
    /// When.
    pub at: Timestamp,
    /// Open findings then (summed over scan names: each name's latest scan up to then).
    pub open: u64,
    /// Closed findings then.
    pub closed: u64,
}

/// Open and closed findings after each scan, oldest first (`scans` sorted by time).
pub fn history(scans: &[StoredScan]) -> Vec<HistoryPoint> {
    let mut latest: HashMap<&str, (u64, u64)> = HashMap::new();
    let mut points: Vec<HistoryPoint> = Vec::new();
    for scan in scans {
        latest.insert(&scan.scan_name, (scan.open_after, scan.closed_after));
        let (open, closed) = latest
            .values()
            .fold((0, 0), |(o, c), (so, sc)| (o + so, c + sc));
        match points.last_mut() {
            // Scans at the same second make one point.
            Some(last) if last.at == scan.scanned_at => {
                last.open = open;
                last.closed = closed;
            }
            _ => points.push(HistoryPoint {
                at: scan.scanned_at,
                open,
                closed,
            }),
        }
    }
    points
}

/// Open findings per rule, most first (ties by rule id).
pub fn top_rules(findings: &[StoredFinding]) -> Vec<(String, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for f in findings.iter().filter(|f| f.status == Status::Open) {
        *counts.entry(&f.rule_id).or_default() += 1;
    }
    let mut top: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(r, n)| (r.to_string(), n))
        .collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    top
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tracking::store::tests::{observed, scan};
    use crate::tracking::{FindingFilter, Store};

    const DAY: i64 = 86_400;

    fn store_with_history() -> Store {
        let mut store = Store::in_memory().expect("store");
        let a = observed("a:1", "r1", Severity::High);
        let b = observed("b:1", "r2", Severity::Low);
        let c = observed("c:1", "r1", Severity::Critical);
        store
            .record(&scan("main", vec![a.clone(), b.clone()]), 0)
            .expect("1");
        store
            .record(&scan("main", vec![a.clone(), c.clone()]), 2 * DAY)
            .expect("2");
        store.record(&scan("main", vec![c]), 3 * DAY).expect("3");
        store.record(&scan("nightly", vec![a]), 4 * DAY).expect("4");
        store
    }

    #[test]
    fn metrics_per_scan_name_and_overall() {
        let store = store_with_history();
        let findings = store.findings(&FindingFilter::default()).expect("findings");
        let scans = store.scans(None).expect("scans");
        let all = per_scan_name(&findings, &scans, 10 * DAY);
        assert_eq!(all.len(), 3);
        let main = &all[0];
        assert_eq!(main.scan_name.as_deref(), Some("main"));
        assert_eq!(main.scans, 3);
        assert_eq!((main.open, main.closed), (1, 2));
        assert_eq!(main.open_with(Severity::Critical), 1);
        assert_eq!(main.open_with(Severity::High), 0);
        // b closed after 2 days, a after 3 days.
        assert_eq!(main.mean_time_to_close, Some(2.5 * DAY as f64));
        assert_eq!(main.closure_rate, Some(2.0 / 3.0));
        let oldest = main.oldest_open.as_ref().expect("oldest");
        assert_eq!((oldest.first_seen, oldest.age), (2 * DAY, 8 * DAY));

        let overall = &all[2];
        assert_eq!(overall.scan_name, None);
        assert_eq!(overall.scans, 4);
        assert_eq!((overall.open, overall.closed), (2, 2));
        assert_eq!(overall.last_scan, Some(4 * DAY));
        assert_eq!(
            overall.oldest_open.as_ref().map(|o| o.first_seen),
            Some(2 * DAY)
        );
    }

    #[test]
    fn history_sums_the_latest_scan_of_each_name() {
        let store = store_with_history();
        let points = history(&store.scans(None).expect("scans"));
        let values: Vec<_> = points
            .iter()
            .map(|p| (p.at / DAY, p.open, p.closed))
            .collect();
        assert_eq!(values, [(0, 2, 0), (2, 2, 1), (3, 1, 2), (4, 2, 2)]);
    }

    #[test]
    fn top_rules_counts_open_findings() {
        let store = store_with_history();
        let findings = store.findings(&FindingFilter::default()).expect("findings");
        assert_eq!(top_rules(&findings), [("r1".to_string(), 2)]);
        assert_eq!(compute(None, &[], &[], 0).closure_rate, None);
    }
}
