//! Python detectors, one per file.

mod common;
mod insecure_hashing;

use super::Detector;

/// Every Python detector.
pub static DETECTORS: &[&dyn Detector] = &[&insecure_hashing::InsecureHashing];
