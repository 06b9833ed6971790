//! Python detectors, one per file.

use super::Detector;

/// Every Python detector.
pub static DETECTORS: &[&dyn Detector] = &[];
