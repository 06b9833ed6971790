//! Java detectors, one per file.

mod common;
mod insecure_hashing;
mod open_redirect;
mod os_command_injection;
mod path_traversal;
mod server_side_request_forgery;
mod sinks;
mod sql_injection;
mod weak_random_number_generation;
mod xml_external_entity;

use super::Detector;

/// Every Java detector.
pub static DETECTORS: &[&dyn Detector] = &[
    &insecure_hashing::INSECURE_HASHING,
    &open_redirect::OPEN_REDIRECT,
    &os_command_injection::OS_COMMAND_INJECTION,
    &path_traversal::PATH_TRAVERSAL,
    &server_side_request_forgery::SERVER_SIDE_REQUEST_FORGERY,
    &sql_injection::SQL_INJECTION,
    &weak_random_number_generation::WEAK_RANDOM_NUMBER_GENERATION,
    &xml_external_entity::XML_EXTERNAL_ENTITY,
];
