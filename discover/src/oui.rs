//! The IEEE registry's organisation for a MAC address's OUI, when the
//! crate is built with its `oui` feature (on by default; the collector has
//! it). Without it (the agent's site scanner, where the registry would be
//! most of the binary) every lookup answers `None` and the collector fills
//! the vendor in when the scan arrives.

/// The organisation that registered `mac`'s OUI (any MAC notation).
#[cfg(feature = "oui")]
pub fn organization(mac: &str) -> Option<String> {
    oui_data::lookup(mac).map(|r| r.organization().to_string())
}

/// Without the registry: nothing is known.
#[cfg(not(feature = "oui"))]
pub fn organization(_mac: &str) -> Option<String> {
    None
}
