//! Java detectors, one per file.

use super::Detector;

/// Every Java detector.
pub static DETECTORS: &[&dyn Detector] = &[];
