//! DNS messages: names with compression pointers, records of every type.
#![no_main]
use census_discover::scan::dnsmsg;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = dnsmsg::parse(data) {
        assert!(m.records.len() <= dnsmsg::MAX_RECORDS);
        for r in &m.records {
            assert!(r.name.len() <= 4 * 255);
        }
    }
    // Names read from any offset.
    for at in 0..data.len().min(64) {
        let _ = dnsmsg::read_name(data, at);
    }
});
