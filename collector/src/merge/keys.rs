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
use super::normalize::{name_key, physical, serial_key, usable_ip, vendor_key};
use super::observation::{Observation, Source};
use census_shared::asset::{IdentityKey, IgnoredKey};
use census_shared::{MacAddr, SerialVerdict, UuidVerdict, check_serial, check_uuid};
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

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
