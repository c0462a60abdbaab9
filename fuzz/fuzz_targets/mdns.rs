//! mDNS replies all the way: parse, absorb into announcements twice (as
//! two rounds would), follow-up questions, services for the observation.
#![no_main]
use census_discover::scan::{dnsmsg, mdns, udp};
use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;

fuzz_target!(|data: &[u8]| {
    let ip = "192.0.2.10".parse().unwrap();
    if let Ok(m) = dnsmsg::parse(data) {
        let mut a = mdns::Announcements::default();
        a.absorb(&m, ip);
        let asked: HashSet<_> = a.follow_up(&HashSet::new()).into_iter().collect();
        a.absorb(&m, ip);
        let _ = a.follow_up(&asked);
        for i in &a.instances {
            let _ = i.model();
        }
        let services = udp::mdns_services(&a);
        assert!(services.len() <= 64);
    }
});
