//! Python detectors, one per file.

mod aws_logged_credentials;
mod clear_text_credentials;
mod code_injection;
mod command_words;
mod common;
mod cross_site_request_forgery;
mod cross_site_scripting;
mod detect_activated_debug_feature;
mod do_not_auto_add_or_warning_missing_hostkey_policy;
mod file_injection;
mod hardcoded_bind_all_interfaces;
mod hardcoded_credentials;
mod hardcoded_ip_address;
mod improper_certificate_validation;
mod improper_error_handling;
mod improper_input_validation;
mod insecure_connection;
mod insecure_cookie;
mod insecure_cors_policy;
mod insecure_cryptography;
mod insecure_hashing;
mod insecure_hashing_hashlib;
mod insecure_random_number_generation;
mod insecure_socket_bind;
mod insecure_temp_file;
mod ldap_injection;
mod log_injection;
mod loose_file_permissions;
mod module_injection;
mod open_redirect;
mod os_command_injection;
mod path_traversal;
mod resource_leak;
mod server_side_request_forgery;
mod socket_connection_timeout;
mod sql_injection;
mod stack_trace_exposure;
mod syntax_help;
mod taint_sink;
mod unsafe_cloudpickle_load;
mod untrusted_deserialization;
mod weak_obfuscation_of_request;
mod xml_external_entity;
mod xpath_injection;
mod zip_bomb_attack;

use super::Detector;

/// Every Python detector.
pub static DETECTORS: &[&dyn Detector] = &[
    &hardcoded_credentials::HardcodedCredentials,
    &insecure_hashing::InsecureHashing,
    &improper_certificate_validation::ImproperCertificateValidation,
    &untrusted_deserialization::UntrustedDeserialization,
    &os_command_injection::OsCommandInjection,
    &sql_injection::SqlInjection,
    &code_injection::CodeInjection,
    &path_traversal::PathTraversal,
    &server_side_request_forgery::ServerSideRequestForgery,
    &open_redirect::OpenRedirect,
    &cross_site_scripting::CrossSiteScripting,
    &ldap_injection::LdapInjection,
    &xpath_injection::XpathInjection,
    &log_injection::LogInjection,
    &module_injection::ModuleInjection,
    &detect_activated_debug_feature::DetectActivatedDebugFeature,
    &insecure_temp_file::InsecureTempFile,
    &loose_file_permissions::LooseFilePermissions,
    &do_not_auto_add_or_warning_missing_hostkey_policy::DoNotAutoAddOrWarningMissingHostkeyPolicy,
    &insecure_socket_bind::InsecureSocketBind,
    &hardcoded_bind_all_interfaces::HardcodedBindAllInterfaces,
    &insecure_cookie::InsecureCookie,
    &xml_external_entity::XmlExternalEntity,
    &insecure_connection::InsecureConnection,
    &insecure_random_number_generation::InsecureRandomNumberGeneration,
    &cross_site_request_forgery::CrossSiteRequestForgery,
    &resource_leak::ResourceLeak,
    &unsafe_cloudpickle_load::UnsafeCloudpickleLoad,
    &socket_connection_timeout::SocketConnectionTimeout,
    &insecure_cryptography::InsecureCryptography,
    &insecure_cors_policy::InsecureCorsPolicy,
    &zip_bomb_attack::ZipBombAttack,
    &stack_trace_exposure::StackTraceExposure,
    &improper_error_handling::ImproperErrorHandling,
    &aws_logged_credentials::AwsLoggedCredentials,
    &clear_text_credentials::ClearTextCredentials,
    &file_injection::FileInjection,
    &hardcoded_ip_address::HardcodedIpAddress,
    &improper_input_validation::ImproperInputValidation,
    &insecure_hashing_hashlib::InsecureHashingHashlib,
    &weak_obfuscation_of_request::WeakObfuscationOfRequest,
];
