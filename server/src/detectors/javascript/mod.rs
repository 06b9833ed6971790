//! JavaScript detectors, one per file.

mod improper_certificate_validation;
mod insecure_hashing;
mod support;

use super::Detector;

/// Every JavaScript detector.
pub static DETECTORS: &[&dyn Detector] = &[
    &improper_certificate_validation::IMPROPER_CERTIFICATE_VALIDATION,
    &insecure_hashing::INSECURE_HASHING,
];
