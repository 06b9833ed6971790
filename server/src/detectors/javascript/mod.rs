//! Javascript detectors, one per file.

use super::Detector;

/// Every Javascript detector.
pub static DETECTORS: &[&dyn Detector] = &[];
