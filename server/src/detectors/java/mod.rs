//! Java detectors, one per file.

mod clear_text_credentials;
mod code_injection;
mod common;
mod content_type;
mod cross_site_request_forgery;
mod cross_site_scripting;
mod hardcoded_credentials;
mod http_response_splitting;
mod insecure_connection;
mod insecure_cookie;
mod insecure_cors_policy;
mod insecure_cryptography;
mod insecure_hashing;
mod insecure_jwt_parsing;
mod insecure_tls_version;
mod ldap_injection;
mod log_injection;
mod loose_file_permissions;
mod object_input_stream_insecure_deserialization;
mod open_redirect;
mod os_command_injection;
mod path_traversal;
mod reflected_cross_site_scripting;
mod resource_leak;
mod server_side_request_forgery;
mod session_fixation;
mod sinks;
mod sql_injection;
mod unsafe_reflection;
mod untrusted_data_in_decision;
mod untrusted_deserialization;
mod weak_obfuscation_of_request;
mod weak_random_number_generation;
mod xml_external_entity;
mod xpath_injection;

use super::Detector;

/// Every Java detector.
pub static DETECTORS: &[&dyn Detector] = &[
    &clear_text_credentials::CLEAR_TEXT_CREDENTIALS,
    &code_injection::CODE_INJECTION,
    &cross_site_request_forgery::CROSS_SITE_REQUEST_FORGERY,
    &cross_site_scripting::CROSS_SITE_SCRIPTING,
    &http_response_splitting::HTTP_RESPONSE_SPLITTING,
    &insecure_connection::INSECURE_CONNECTION,
    &insecure_cookie::INSECURE_COOKIE,
    &insecure_cors_policy::INSECURE_CORS_POLICY,
    &insecure_cryptography::INSECURE_CRYPTOGRAPHY,
    &hardcoded_credentials::HardcodedCredentials,
    &insecure_hashing::INSECURE_HASHING,
    &insecure_jwt_parsing::INSECURE_JWT_PARSING,
    &insecure_tls_version::INSECURE_TLS_VERSION,
    &ldap_injection::LDAP_INJECTION,
    &log_injection::LOG_INJECTION,
    &loose_file_permissions::LOOSE_FILE_PERMISSIONS,
    &object_input_stream_insecure_deserialization::OBJECT_INPUT_STREAM_INSECURE_DESERIALIZATION,
    &open_redirect::OPEN_REDIRECT,
    &os_command_injection::OS_COMMAND_INJECTION,
    &path_traversal::PATH_TRAVERSAL,
    &reflected_cross_site_scripting::REFLECTED_CROSS_SITE_SCRIPTING,
    &resource_leak::RESOURCE_LEAK,
    &server_side_request_forgery::SERVER_SIDE_REQUEST_FORGERY,
    &session_fixation::SESSION_FIXATION,
    &sql_injection::SQL_INJECTION,
    &unsafe_reflection::UNSAFE_REFLECTION,
    &untrusted_data_in_decision::UNTRUSTED_DATA_IN_DECISION,
    &untrusted_deserialization::UNTRUSTED_DESERIALIZATION,
    &weak_obfuscation_of_request::WEAK_OBFUSCATION_OF_REQUEST,
    &weak_random_number_generation::WEAK_RANDOM_NUMBER_GENERATION,
    &xml_external_entity::XML_EXTERNAL_ENTITY,
    &xpath_injection::XPATH_INJECTION,
];
