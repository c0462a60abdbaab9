//! ICMP echo replies, with and without the IPv4 header; the checksum.
#![no_main]
use census_discover::scan::icmp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = icmp::parse_reply(data, true);
    let _ = icmp::parse_reply(data, false);
    let _ = icmp::checksum(data);
});
