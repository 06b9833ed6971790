//! Java detectors, one per file.

mod common;
mod insecure_hashing;
mod weak_random_number_generation;

use super::Detector;

/// Every Java detector.
pub static DETECTORS: &[&dyn Detector] = &[
    &insecure_hashing::INSECURE_HASHING,
    &weak_random_number_generation::WEAK_RANDOM_NUMBER_GENERATION,
];
