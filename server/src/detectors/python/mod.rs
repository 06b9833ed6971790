//! Python detectors, one per file.

mod command_words;
mod common;
mod hardcoded_credentials;
mod improper_certificate_validation;
mod insecure_hashing;
mod os_command_injection;
mod sql_injection;
mod untrusted_deserialization;

use super::Detector;

/// Every Python detector.
pub static DETECTORS: &[&dyn Detector] = &[
    &hardcoded_credentials::HardcodedCredentials,
    &insecure_hashing::InsecureHashing,
    &improper_certificate_validation::ImproperCertificateValidation,
    &untrusted_deserialization::UntrustedDeserialization,
    &os_command_injection::OsCommandInjection,
    &sql_injection::SqlInjection,
];
