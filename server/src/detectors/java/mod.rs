//! Java detectors, one per file.

mod common;
mod hardcoded_credentials;
mod insecure_hashing;
mod os_command_injection;
mod sql_injection;
mod weak_random_number_generation;
mod xml_external_entity;

use super::Detector;

/// Every Java detector.
pub static DETECTORS: &[&dyn Detector] = &[
    &hardcoded_credentials::HardcodedCredentials,
    &insecure_hashing::INSECURE_HASHING,
    &os_command_injection::OS_COMMAND_INJECTION,
    &sql_injection::SQL_INJECTION,
    &weak_random_number_generation::WEAK_RANDOM_NUMBER_GENERATION,
    &xml_external_entity::XML_EXTERNAL_ENTITY,
];
