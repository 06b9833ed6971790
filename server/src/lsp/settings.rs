//! LSP settings: the engine's [`ScanSettings`] plus what only the server uses (debounce, trigger).
//!
//! Settings arrive in `initializationOptions` and `workspace/didChangeConfiguration`, either as
//! `{ "codeward": { ... } }` or as the flat object. Unknown keys are ignored; a key with an invalid
//! value is reported and keeps its previous value, so one typo never disables the scanner. A change
//! of configuration only changes the keys it carries: clients such as Eglot send `{}` right after
//! connecting, which must not undo the `initializationOptions`.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::config::ScanSettings;

/// When the server scans a document by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScanTrigger {
    /// On open, on every change (debounced) and on save.
    #[default]
    Type,
    /// On open and on save.
    Save,
    /// Only when `codeward.scanFile` is executed.
    Manual,
}

/// Everything configurable in the language server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LspSettings {
    /// What the engine runs and reports.
    pub scan: ScanSettings,
    /// Quiet time after the last change before a scan starts, in milliseconds.
    pub debounce_ms: u64,
    /// When scans start.
    pub scan_trigger: ScanTrigger,
    /// Seconds between background workspace scans; 0 = off (the default).
    pub auto_scan_interval: u64,
    /// Files larger than this (bytes) are not scanned by workspace scans; 0 = no limit.
    pub max_file_size: u64,
}

/// The auto-scan interval when a client enables it without a value (`true`), in seconds.
pub const DEFAULT_AUTO_SCAN_INTERVAL: u64 = 240;

/// The default `maxFileSize` of workspace scans: 5 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;

impl Default for LspSettings {
    fn default() -> Self {
        Self {
            scan: ScanSettings::default(),
            debounce_ms: 200,
            scan_trigger: ScanTrigger::Type,
            auto_scan_interval: 0,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

impl LspSettings {
    /// Builds settings from a client's JSON, starting from the defaults. Returns the settings and
    /// one message per rejected value.
    pub fn from_json(value: &Value) -> (Self, Vec<String>) {
        Self::default().updated_with(value)
    }

    /// These settings with the keys present in a client's JSON replaced. Returns the settings and
    /// one message per rejected value.
    pub fn updated_with(&self, value: &Value) -> (Self, Vec<String>) {
        let mut settings = self.clone();
        let mut problems = Vec::new();
        let object = match value {
            Value::Null => return (settings, problems),
            Value::Object(map) => match map.get("codeward") {
                Some(Value::Object(inner)) => inner,
                Some(other) => {
                    problems.push(format!(
                        "`codeward` settings must be an object, got {}; ignored",
                        kind_of(other)
                    ));
                    return (settings, problems);
                }
                None => map,
            },
            other => {
                problems.push(format!(
                    "settings must be an object, got {}; ignored",
                    kind_of(other)
                ));
                return (settings, problems);
            }
        };
        settings.scan = merge_scan_settings(&settings.scan, object, &mut problems);
        if let Some(value) = object.get("debounceMs") {
            match value.as_u64() {
                Some(ms) => settings.debounce_ms = ms.min(60_000),
                None => problems.push(format!(
                    "`debounceMs` must be a non-negative integer (milliseconds), got {value}; \
                     keeping {}",
                    settings.debounce_ms
                )),
            }
        }
        if let Some(value) = object.get("scanTrigger") {
            match ScanTrigger::deserialize(value) {
                Ok(trigger) => settings.scan_trigger = trigger,
                Err(_) => problems.push(format!(
                    "`scanTrigger` must be one of \"type\", \"save\", \"manual\", got {value}; \
                     keeping \"type\""
                )),
            }
        }
        if let Some(value) = object.get("autoScanInterval") {
            match auto_scan_interval(value) {
                Some(seconds) => settings.auto_scan_interval = seconds,
                None => problems.push(format!(
                    "`autoScanInterval` must be a number of seconds (0 = off) or a boolean, got \
                     {value}; keeping {}",
                    settings.auto_scan_interval
                )),
            }
        }
        if let Some(value) = object.get("maxFileSize") {
            match value.as_u64() {
                Some(bytes) => settings.max_file_size = bytes,
                None => problems.push(format!(
                    "`maxFileSize` must be a non-negative integer (bytes, 0 = no limit), got \
                     {value}; keeping {}",
                    settings.max_file_size
                )),
            }
        }
        (settings, problems)
    }
}

/// The interval of an `autoScanInterval` value: seconds (capped at a day), `true` for the
/// default, `false` or `null` for off.
fn auto_scan_interval(value: &Value) -> Option<u64> {
    match value {
        Value::Null | Value::Bool(false) => Some(0),
        Value::Bool(true) => Some(DEFAULT_AUTO_SCAN_INTERVAL),
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f.ceil() as u64))
            .map(|s| s.min(86_400)),
        _ => None,
    }
}

/// Applies the known [`ScanSettings`] keys of `object` over `base` one at a time, so an invalid
/// value only loses itself.
fn merge_scan_settings(
    base: &ScanSettings,
    object: &Map<String, Value>,
    problems: &mut Vec<String>,
) -> ScanSettings {
    let Ok(Value::Object(mut merged)) = serde_json::to_value(base) else {
        return base.clone();
    };
    let known: Vec<String> = merged.keys().cloned().collect();
    for key in known {
        let Some(value) = object.get(&key) else {
            continue;
        };
        let mut candidate = merged.clone();
        candidate.insert(key.clone(), value.clone());
        match serde_json::from_value::<ScanSettings>(Value::Object(candidate.clone())) {
            Ok(_) => merged = candidate,
            Err(err) => problems.push(format!(
                "invalid value for `{key}` ({value}): {err}; keeping the previous value"
            )),
        }
    }
    serde_json::from_value(Value::Object(merged)).unwrap_or_else(|_| base.clone())
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    #[test]
    fn a_change_only_replaces_the_keys_it_carries() {
        let (initial, _) =
            LspSettings::from_json(&json!({ "minSeverity": "High", "debounceMs": 50 }));
        let (same, problems) = initial.updated_with(&json!({}));
        assert!(problems.is_empty());
        assert_eq!(same, initial);
        let (changed, _) = initial.updated_with(&json!({ "codeward": { "debounceMs": 0 } }));
        assert_eq!(changed.debounce_ms, 0);
        assert_eq!(changed.scan.min_severity, Severity::High);
        let (kept, problems) = initial.updated_with(&json!({ "minSeverity": "urgent" }));
        assert_eq!(problems.len(), 1);
        assert_eq!(kept.scan.min_severity, Severity::High);
    }
    use serde_json::json;

    #[test]
    fn nested_and_flat_shapes_are_accepted() {
        let (nested, problems) = LspSettings::from_json(
            &json!({ "codeward": { "minSeverity": "Critical", "debounceMs": 0 } }),
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(nested.scan.min_severity, Severity::Critical);
        assert_eq!(nested.debounce_ms, 0);
        let (flat, _) =
            LspSettings::from_json(&json!({ "minSeverity": "Critical", "debounceMs": 0 }));
        assert_eq!(flat, nested);
    }

    #[test]
    fn invalid_values_keep_defaults_and_are_reported() {
        let (settings, problems) = LspSettings::from_json(&json!({
            "minSeverity": "Urgent",
            "disabledRules": ["python/insecure-hashing@v1.0"],
            "scanTrigger": "sometimes",
            "debounceMs": -5,
            "unknownKey": true
        }));
        assert_eq!(settings.scan.min_severity, Severity::Info);
        assert_eq!(
            settings.scan.disabled_rules,
            vec!["python/insecure-hashing@v1.0"]
        );
        assert_eq!(settings.scan_trigger, ScanTrigger::Type);
        assert_eq!(settings.debounce_ms, 200);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("minSeverity"));
    }

    #[test]
    fn auto_scan_interval_accepts_seconds_and_booleans() {
        let (off, _) = LspSettings::from_json(&json!({}));
        assert_eq!(off.auto_scan_interval, 0);
        let (on, _) = LspSettings::from_json(&json!({ "autoScanInterval": true }));
        assert_eq!(on.auto_scan_interval, DEFAULT_AUTO_SCAN_INTERVAL);
        let (five, _) = on.updated_with(&json!({ "autoScanInterval": 5 }));
        assert_eq!(five.auto_scan_interval, 5);
        let (bad, problems) = five.updated_with(&json!({ "autoScanInterval": "often" }));
        assert_eq!(bad.auto_scan_interval, 5);
        assert_eq!(problems.len(), 1);
        let (size, _) = LspSettings::from_json(&json!({ "maxFileSize": 1024 }));
        assert_eq!(size.max_file_size, 1024);
    }

    #[test]
    fn non_objects_fall_back_to_defaults() {
        let (settings, problems) = LspSettings::from_json(&json!(42));
        assert_eq!(settings, LspSettings::default());
        assert_eq!(problems.len(), 1);
        let (_, none) = LspSettings::from_json(&Value::Null);
        assert!(none.is_empty());
    }
}
