//! NetBIOS node status replies: any bytes, any transaction id.
#![no_main]
use census_discover::scan::netbios;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let id = u16::from_be_bytes([*data.first().unwrap_or(&0), *data.get(1).unwrap_or(&0)]);
    if let Some(s) = netbios::parse(data, id) {
        assert!(s.names.len() <= netbios::MAX_NAMES);
        let _ = (s.host_name(), s.workgroup());
    }
});
