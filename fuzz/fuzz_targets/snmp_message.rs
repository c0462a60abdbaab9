//! SNMP messages as a device could send them: async-snmp's decoder (the one
//! the collector's sessions use) with the default decode configuration.
//! Census parses no SNMP bytes itself; this target holds the dependency to
//! the same "never panics, never allocates without bound" rule.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let bytes = bytes::Bytes::copy_from_slice(data);
    let _ = async_snmp::message::Message::decode(bytes, async_snmp::DecodeConfig::default());
});
