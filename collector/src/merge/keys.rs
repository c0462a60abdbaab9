//! Identity keys of each observation: which values may join observations,
//! and which look like keys but are not (each with the reason, for
//! `assets explain`).
//!
//! Strong keys: the agent id; (vendor, serial) when `check_serial` says the
//! serial is real; the SMBIOS UUID when `check_uuid` says valid; MACs that
//! are globally unique (not locally administered, not a hypervisor prefix,
//! not multicast) of physical interfaces (ethernet, wifi, other — never
//! bridges, VPNs, loopback or software interfaces). Weak keys: short host
//! names (not generic ones such as `localhost`) and addresses of physical
//! interfaces (not loopback, link-local or VPN ones).
//!
//! Across observations, two rules take keys away: a MAC a scan saw on many
//! addresses at once (a router, proxy ARP), and any value two different
//! agents both report (cloned VMs share a UUID, a USB adapter moves, a
//! re-enrolled PC): such a value identifies neither. Joining is not here
//! (`resolve.rs`); nothing is inferred from how close two MACs are.

use super::MergeConfig;
use super::observation::{Observation, Source};
use census_shared::asset::{IdentityKey, IgnoredKey};
use census_shared::report::InterfaceKind;
use census_shared::{MacAddr, SerialVerdict, UuidVerdict, check_serial, check_uuid};
use std::collections::{BTreeMap, BTreeSet};
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

/// The keys of one observation, after every rule.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObsKeys {
    pub strong: BTreeSet<IdentityKey>,
    pub weak: BTreeSet<IdentityKey>,
    pub ignored: Vec<IgnoredKey>,
}

impl ObsKeys {
    /// Every key, strongest first.
    pub fn all(&self) -> impl Iterator<Item = &IdentityKey> {
        let mut v: Vec<&IdentityKey> = self.strong.iter().chain(&self.weak).collect();
        v.sort_by(|a, b| b.rank().cmp(&a.rank()).then(a.cmp(b)));
        v.into_iter()
    }

    fn ignore(&mut self, obs: &Observation, value: String, reason: impl Into<String>) {
        self.ignored.push(IgnoredKey {
            observation: obs.id.clone(),
            value,
            reason: reason.into(),
        });
    }

    fn mac(&mut self, obs: &Observation, mac: MacAddr, what: &str) {
        let f = mac.flags();
        let reason = if f.multicast || f.null_or_broadcast {
            "multicast, null or broadcast".to_string()
        } else if f.locally_administered {
            "locally administered (randomised or software interface)".to_string()
        } else if let Some(v) = mac.virtual_vendor() {
            format!("virtual NIC prefix ({v})")
        } else {
            self.strong.insert(IdentityKey::Mac(mac));
            return;
        };
        self.ignore(obs, format!("{what} {mac}"), reason);
    }

    fn serial(&mut self, obs: &Observation, vendor: Option<&str>, raw: &str) {
        match check_serial(raw) {
            SerialVerdict::Valid(s) => {
                self.strong.insert(IdentityKey::Serial {
                    vendor: vendor_key(vendor.unwrap_or("")),
                    serial: serial_key(&s),
                });
            }
            SerialVerdict::Missing => {}
            SerialVerdict::Placeholder(why) => self.ignore(obs, format!("serial {raw:?}"), why),
        }
    }

    fn name(&mut self, obs: &Observation, raw: &str) {
        match name_key(raw) {
            Ok(Some(n)) => {
                self.weak.insert(IdentityKey::Name(n));
            }
            Ok(None) => {}
            Err(why) => self.ignore(obs, format!("name {raw:?}"), why),
        }
    }

    fn ip(&mut self, ip: IpAddr) {
        if usable_ip(ip) {
            self.weak.insert(IdentityKey::Ip(ip));
        }
    }
}

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

/// The keys one observation offers on its own.
pub fn extract(obs: &Observation) -> ObsKeys {
    let mut k = ObsKeys::default();
    match &obs.source {
        Source::Agent { agent_id, report } => {
            k.strong.insert(IdentityKey::Agent(agent_id.clone()));
            let hw = &report.hardware;
            if let Some(s) = &hw.serial {
                k.serial(obs, hw.manufacturer.as_deref(), s);
            }
            if let Some(u) = &hw.uuid {
                match check_uuid(u) {
                    UuidVerdict::Valid(u) => {
                        k.strong.insert(IdentityKey::Uuid(u));
                    }
                    UuidVerdict::Missing => {}
                    UuidVerdict::Malformed => k.ignore(obs, format!("uuid {u:?}"), "malformed"),
                    UuidVerdict::Placeholder(why) => k.ignore(obs, format!("uuid {u:?}"), why),
                }
            }
            for i in &report.network.interfaces {
                if !physical(i.kind) {
                    if let Some(m) = i.mac.filter(|m| m.0 != [0; 6]) {
                        let kind = serde_json::to_string(&i.kind).unwrap_or_default();
                        k.ignore(
                            obs,
                            format!("mac {m} of {}", i.name),
                            format!("interface kind {kind} is not physical"),
                        );
                    }
                    continue;
                }
                if let Some(m) = i.mac {
                    k.mac(obs, m, &format!("mac of {}", i.name));
                }
                for a in &i.addresses {
                    k.ip(a.address);
                }
            }
            for n in [&report.host.hostname, &report.host.fqdn]
                .into_iter()
                .flatten()
            {
                k.name(obs, n);
            }
        }
        Source::Scan { observation: s, .. } => {
            k.ip(s.ip);
            if let Some(m) = s.mac {
                k.mac(obs, m, "mac");
            }
            for n in &s.names {
                k.name(obs, &n.name);
            }
            if let Some(d) = &s.snmp {
                if let Some(serial) = &d.serial {
                    k.serial(obs, d.vendor.as_deref(), serial);
                }
                for m in &d.mac_addresses {
                    if let Ok(m) = m.parse::<MacAddr>() {
                        k.mac(obs, m, "snmp interface mac");
                    }
                }
                if let Some(n) = &d.sys_name {
                    k.name(obs, n);
                }
            }
        }
    }
    k
}

/// Keys of every observation, with the cross-observation rules applied.
/// The result is index-aligned with `observations`.
/// `same_agent` maps agent ids a person merged to one representative.
pub fn extract_all(
    observations: &[&Observation],
    same_agent: &BTreeMap<String, String>,
    config: &MergeConfig,
) -> Vec<ObsKeys> {
    let mut keys: Vec<ObsKeys> = observations.iter().map(|o| extract(o)).collect();

    // A MAC a scan saw on many addresses at once is a router's or a proxy's.
    let mut ips_per_mac: BTreeMap<(i64, MacAddr), BTreeSet<IpAddr>> = BTreeMap::new();
    for o in observations {
        if let Source::Scan {
            scan_id,
            observation: s,
        } = &o.source
            && let Some(m) = s.mac
        {
            ips_per_mac.entry((*scan_id, m)).or_default().insert(s.ip);
        }
    }
    for (o, k) in observations.iter().zip(&mut keys) {
        if let Source::Scan {
            scan_id,
            observation: s,
        } = &o.source
        {
            let Some(m) = s.mac else { continue };
            let n = ips_per_mac[&(*scan_id, m)].len();
            // The device whose SNMP agent lists the MAC as its own keeps it.
            let own = s.snmp.as_ref().is_some_and(|d| {
                d.mac_addresses
                    .iter()
                    .any(|x| x.parse::<MacAddr>() == Ok(m))
            });
            if own {
                continue;
            }
            if n >= config.mac_many_ips && k.strong.remove(&IdentityKey::Mac(m)) {
                k.ignore(
                    o,
                    format!("mac {m}"),
                    format!("scan {scan_id} saw it on {n} addresses at once (router or proxy ARP)"),
                );
            }
        }
    }

    // A value two different agents report identifies neither (agents a
    // person merged count as one).
    let mut claimants: BTreeMap<IdentityKey, BTreeSet<&str>> = BTreeMap::new();
    for (o, k) in observations.iter().zip(&keys) {
        if let Some(a) = o.agent_id() {
            let a = same_agent.get(a).map_or(a, String::as_str);
            for key in k.strong.iter().chain(&k.weak) {
                if !matches!(key, IdentityKey::Agent(_)) {
                    claimants.entry(key.clone()).or_default().insert(a);
                }
            }
        }
    }
    let shared: BTreeMap<&IdentityKey, String> = claimants
        .iter()
        .filter(|(_, agents)| agents.len() > 1)
        .map(|(key, agents)| (key, agents.iter().copied().collect::<Vec<_>>().join(", ")))
        .collect();
    for (o, k) in observations.iter().zip(&mut keys) {
        for (key, agents) in &shared {
            if k.strong.remove(*key) || k.weak.remove(*key) {
                k.ignore(o, key.to_string(), format!("reported by different agents ({agents}): cloned machine, moved adapter or re-enrolment"));
            }
        }
    }
    keys
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
