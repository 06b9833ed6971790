//! JavaScript detectors, one per file.

mod code_injection;
mod cross_site_scripting;
mod hardcoded_credentials;
mod improper_certificate_validation;
mod insecure_hashing;
mod os_command_injection;
mod support;

use super::Detector;

/// Every JavaScript detector.
pub static DETECTORS: &[&dyn Detector] = &[
    &hardcoded_credentials::HardcodedCredentials,
    &code_injection::CODE_INJECTION,
    &cross_site_scripting::CROSS_SITE_SCRIPTING,
    &improper_certificate_validation::IMPROPER_CERTIFICATE_VALIDATION,
    &insecure_hashing::INSECURE_HASHING,
    &os_command_injection::OS_COMMAND_INJECTION,
];
