//! HTTP responses (Server header, title with entities) and SSH greetings.
#![no_main]
use census_discover::scan::banner;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (server, title) = banner::parse_http(data);
    assert!(server.is_none_or(|s| s.chars().count() <= 200));
    assert!(title.is_none_or(|t| t.chars().count() <= 200));
    let _ = banner::parse_ssh(data);
});
