//! Comparison forms of identity values: vendors (`Dell Inc.` = `DELL`),
//! serials (case and spaces ignored), host names (first label, lower case,
//! generic names refused), and which addresses and interfaces can say
//! anything about a machine. Whether a serial or UUID is real at all is
//! `census_shared::identity`; which values become keys is `keys.rs`.

use census_shared::report::InterfaceKind;
use std::net::IpAddr;

/// Host names that many unrelated devices carry.
const GENERIC_NAMES: &[&str] = &[
    "localhost",
    "unknown",
    "none",
    "android",
    "iphone",
    "ipad",
    "ubuntu",
    "debian",
    "raspberrypi",
    "linux",
    "host",
    "router",
    "gateway",
    "printer",
    "switch",
    "espressif",
    "desktop",
    "laptop",
    "pc",
    "computer",
    "dhcp",
    "wlan",
    "lan",
];

/// A vendor in comparison form: lower-case letters and digits, company
/// suffixes dropped, a few aliases (`Dell Inc.` and `Dell` → `dell`,
/// `Hewlett-Packard` and `HP Inc.` → `hp`).
pub fn vendor_key(raw: &str) -> String {
    const SUFFIXES: &[&str] = &[
        "inc",
        "corp",
        "corporation",
        "co",
        "ltd",
        "limited",
        "llc",
        "gmbh",
        "ag",
        "sa",
        "bv",
        "plc",
        "technologies",
        "technology",
        "computer",
        "computers",
        "international",
        "kk",
        "industries",
        "electronics",
        "systems",
        "networks",
        "communications",
    ];
    let words: Vec<String> = raw
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut end = words.len();
    while end > 1 && SUFFIXES.contains(&words[end - 1].as_str()) {
        end -= 1;
    }
    let folded: String = words[..end].concat();
    match folded.as_str() {
        "hewlettpackard" | "hpinc" => "hp".into(),
        "hewlettpackardenterprise" => "hpe".into(),
        "lenovogroup" => "lenovo".into(),
        _ => folded,
    }
}

/// A serial in comparison form: upper case, without spaces.
pub fn serial_key(valid: &str) -> String {
    valid
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// A host name in comparison form: the first label, lower case. `Ok(None)`
/// for nothing usable (an address, a page title); `Err` for generic names.
pub fn name_key(raw: &str) -> Result<Option<String>, String> {
    let t = raw.trim().trim_end_matches('.');
    if t.is_empty() || t.parse::<IpAddr>().is_ok() {
        return Ok(None);
    }
    let first = t.split('.').next().unwrap_or("").to_lowercase();
    if first.is_empty()
        || first.len() > 63
        || !first
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Ok(None);
    }
    if GENERIC_NAMES.contains(&first.as_str()) {
        return Err("a generic name many devices carry".into());
    }
    Ok(Some(first))
}

/// Addresses that can say where a thing is: not loopback, link-local,
/// unspecified or multicast.
pub fn usable_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast())
        }
        IpAddr::V6(v6) => {
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (v6.segments()[0] & 0xffc0) == 0xfe80)
        }
    }
}

/// Interfaces whose MAC and addresses belong to the machine itself.
pub fn physical(kind: InterfaceKind) -> bool {
    matches!(
        kind,
        InterfaceKind::Ethernet | InterfaceKind::Wifi | InterfaceKind::Other
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendors_fold_to_one_form() {
        assert_eq!(vendor_key("Dell Inc."), "dell");
        assert_eq!(vendor_key("DELL"), "dell");
        assert_eq!(vendor_key("Hewlett-Packard"), "hp");
        assert_eq!(vendor_key("HP Inc."), "hp");
        assert_eq!(vendor_key("Hewlett Packard Enterprise"), "hpe");
        assert_eq!(vendor_key("LENOVO"), "lenovo");
        assert_eq!(vendor_key("Brother Industries, Ltd."), "brother");
        assert_eq!(vendor_key("Cisco Systems, Inc"), "cisco");
        assert_eq!(vendor_key(""), "");
    }

    #[test]
    fn names_fold_and_generic_ones_are_refused() {
        assert_eq!(name_key("PC-ANNA.office.lan."), Ok(Some("pc-anna".into())));
        assert_eq!(name_key("pc-anna"), Ok(Some("pc-anna".into())));
        assert_eq!(name_key("192.168.1.4"), Ok(None));
        assert_eq!(name_key("HP LaserJet M404"), Ok(None));
        assert!(name_key("localhost.localdomain").is_err());
        assert!(name_key("iPhone").is_err());
    }

    #[test]
    fn only_routable_addresses_are_keys() {
        for ok in ["192.168.1.4", "10.0.0.1", "2001:db8::1", "fd00::5"] {
            assert!(usable_ip(ok.parse().unwrap()), "{ok}");
        }
        for bad in [
            "127.0.0.1",
            "169.254.3.4",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "224.0.0.1",
        ] {
            assert!(!usable_ip(bad.parse().unwrap()), "{bad}");
        }
    }

    #[test]
    fn serials_compare_without_case_and_spaces() {
        assert_eq!(serial_key("cn 0r2k3"), "CN0R2K3");
    }
}
