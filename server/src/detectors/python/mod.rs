//! Python detectors, one per file.

mod common;
mod improper_certificate_validation;
mod insecure_hashing;
mod untrusted_deserialization;

use super::Detector;

/// Every Python detector.
pub static DETECTORS: &[&dyn Detector] = &[
    &insecure_hashing::InsecureHashing,
    &improper_certificate_validation::ImproperCertificateValidation,
    &untrusted_deserialization::UntrustedDeserialization,
];
