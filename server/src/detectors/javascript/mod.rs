//! JavaScript detectors, one per file.

mod aws_logged_credentials;
mod code_injection;
mod cross_site_request_forgery;
mod cross_site_scripting;
mod cryptographic_key_generator;
mod do_not_disable_html_autoescape;
mod file_injection;
mod hardcoded_credentials;
mod hardcoded_ip_address;
mod header_injection;
mod improper_certificate_validation;
mod improper_input_validation;
mod insecure_connection;
mod insecure_cookie;
mod insecure_cors_policy;
mod insecure_cryptography;
mod insecure_hashing;
mod insecure_temp_file;
mod ldap_injection;
mod log_injection;
mod loose_file_permissions;
mod nosql_injection;
mod open_redirect;
mod os_command_injection;
mod path_traversal;
mod pseudorandom_number_generator;
mod resource_leak;
mod sendfile_injection;
mod server_side_request_forgery;
mod session_fixation;
mod sql_injection;
mod stack_trace_exposure;
mod support;
#[cfg(test)]
mod typescript_tests;
mod untrusted_deserialization;
mod weak_obfuscation_of_request;
mod xml_external_entity;
mod xpath_injection;

use super::Detector;

/// Every JavaScript detector.
pub static DETECTORS: &[&dyn Detector] = &[
    &aws_logged_credentials::AWS_LOGGED_CREDENTIALS,
    &hardcoded_credentials::HardcodedCredentials,
    &code_injection::CODE_INJECTION,
    &cross_site_request_forgery::CROSS_SITE_REQUEST_FORGERY,
    &cross_site_scripting::CROSS_SITE_SCRIPTING,
    &cryptographic_key_generator::CRYPTOGRAPHIC_KEY_GENERATOR,
    &do_not_disable_html_autoescape::DO_NOT_DISABLE_HTML_AUTOESCAPE,
    &file_injection::FILE_INJECTION,
    &hardcoded_ip_address::HARDCODED_IP_ADDRESS,
    &header_injection::HEADER_INJECTION,
    &improper_certificate_validation::IMPROPER_CERTIFICATE_VALIDATION,
    &improper_input_validation::IMPROPER_INPUT_VALIDATION,
    &insecure_connection::INSECURE_CONNECTION,
    &insecure_cookie::INSECURE_COOKIE,
    &insecure_cors_policy::INSECURE_CORS_POLICY,
    &insecure_cryptography::INSECURE_CRYPTOGRAPHY,
    &insecure_hashing::INSECURE_HASHING,
    &insecure_temp_file::INSECURE_TEMP_FILE,
    &ldap_injection::LDAP_INJECTION,
    &log_injection::LOG_INJECTION,
    &loose_file_permissions::LOOSE_FILE_PERMISSIONS,
    &nosql_injection::NOSQL_INJECTION,
    &open_redirect::OPEN_REDIRECT,
    &os_command_injection::OS_COMMAND_INJECTION,
    &path_traversal::PATH_TRAVERSAL,
    &pseudorandom_number_generator::PSEUDORANDOM_NUMBER_GENERATOR,
    &resource_leak::RESOURCE_LEAK,
    &sendfile_injection::SENDFILE_INJECTION,
    &server_side_request_forgery::SERVER_SIDE_REQUEST_FORGERY,
    &session_fixation::SESSION_FIXATION,
    &sql_injection::SQL_INJECTION,
    &stack_trace_exposure::STACK_TRACE_EXPOSURE,
    &untrusted_deserialization::UNTRUSTED_DESERIALIZATION,
    &weak_obfuscation_of_request::WEAK_OBFUSCATION_OF_REQUEST,
    &xml_external_entity::XML_EXTERNAL_ENTITY,
    &xpath_injection::XPATH_INJECTION,
];
