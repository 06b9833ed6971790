//! Fuzz target `config`: see `codeward_fuzz::check`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    codeward_fuzz::check("config", data);
});
