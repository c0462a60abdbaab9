//! SIP replies: status line and headers.
#![no_main]
use census_discover::scan::sip;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(r) = sip::parse(data) {
        assert!(r.agent.as_ref().is_none_or(|a| a.chars().count() <= 200));
    }
});
