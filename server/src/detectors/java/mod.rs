//! Java detectors, one per file.

mod common;
mod weak_random_number_generation;

use super::Detector;

/// Every Java detector.
pub static DETECTORS: &[&dyn Detector] =
    &[&weak_random_number_generation::WEAK_RANDOM_NUMBER_GENERATION];
