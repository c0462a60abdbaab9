//! Ethernet frames carrying ARP replies (VLAN tags included).
#![no_main]
use census_discover::scan::arp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = arp::parse_reply(data);
});
