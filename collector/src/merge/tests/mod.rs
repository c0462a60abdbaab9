//! Test helpers for the merge engine: builders for agent reports, scan
//! observations and SNMP identities, and shortcuts to run the engine and
//! find the asset an observation ended in. The rule tests are in the
//! sibling files, one per concern.

mod decisions;
mod fields;
mod identity;
mod network;
mod stability;

use super::*;
use census_shared::HostReport;
pub use census_shared::asset::{
    Asset, AssetId, Category, EventKind, FieldName, IdOrigin, ObservationId, SourceKind,
};
use census_shared::device::{DeviceType, SnmpDevice};
use census_shared::observation::{DeviceGuess, DeviceKind, Name, ScanObservation};
use census_shared::report::{AgentInfo, ChassisType, Interface, InterfaceKind, IpNet};
use chrono::TimeZone;

/// Hour `h` of the test day.
pub fn t(h: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap() + Duration::hours(h)
}

pub fn mac(s: &str) -> census_shared::MacAddr {
    s.parse().unwrap()
}

/// An agent report being built.
pub struct Pc {
    pub report: HostReport,
}

impl Pc {
    pub fn new(hostname: &str, at: DateTime<Utc>) -> Self {
        let mut report = HostReport::new(format!("r-{hostname}"), AgentInfo::default(), at);
        report.host.hostname = Some(hostname.into());
        report.os.family = Some("windows".into());
        report.os.name = Some("Windows 11 Pro".into());
        report.os.pretty_name = Some("Windows 11 Pro 23H2".into());
        report.hardware.chassis_type = Some(ChassisType::Desktop);
        Pc { report }
    }

    pub fn hw(mut self, vendor: &str, model: &str, serial: &str) -> Self {
        self.report.hardware.manufacturer = Some(vendor.into());
        self.report.hardware.model = Some(model.into());
        self.report.hardware.serial = Some(serial.into());
        self
    }

    pub fn uuid(mut self, u: &str) -> Self {
        self.report.hardware.uuid = Some(u.into());
        self
    }

    pub fn chassis(mut self, c: ChassisType) -> Self {
        self.report.hardware.chassis_type = Some(c);
        self
    }

    pub fn os(mut self, family: &str, name: &str) -> Self {
        self.report.os.family = Some(family.into());
        self.report.os.name = Some(name.into());
        self.report.os.pretty_name = Some(name.into());
        self
    }

    /// An interface; `mac` and `ip` may be empty.
    pub fn nic(mut self, name: &str, kind: InterfaceKind, m: &str, ip: &str) -> Self {
        self.report.network.interfaces.push(Interface {
            name: name.into(),
            mac: (!m.is_empty()).then(|| mac(m)),
            kind,
            addresses: if ip.is_empty() {
                vec![]
            } else {
                vec![IpNet {
                    address: ip.parse().unwrap(),
                    prefix_len: 24,
                }]
            },
            mtu: Some(1500),
            speed_mbps: None,
            up: true,
            driver: None,
        });
        self
    }

    pub fn eth(self, m: &str, ip: &str) -> Self {
        self.nic("eth0", InterfaceKind::Ethernet, m, ip)
    }

    /// The observation `id` from agent `agent`.
    pub fn obs(self, id: &str, agent: &str) -> Observation {
        Observation::agent(id, agent, self.report)
    }
}

/// A scan observation being built.
pub struct Seen {
    pub s: ScanObservation,
}

impl Seen {
    pub fn new(ip: &str, m: &str, at: DateTime<Utc>) -> Self {
        let mac_addr = (!m.is_empty()).then(|| mac(m));
        Seen {
            s: ScanObservation {
                ip: ip.parse().unwrap(),
                mac: mac_addr,
                mac_vendor: None,
                mac_local: mac_addr.is_some_and(|m| m.flags().locally_administered),
                names: vec![],
                found_by: vec![],
                rtt_ms: None,
                open_tcp: vec![],
                services: vec![],
                guess: DeviceGuess::default(),
                snmp: None,
                seen_at: at,
                site: None,
                scanner: None,
            },
        }
    }

    pub fn name(mut self, name: &str, source: &str) -> Self {
        self.s.names.push(Name {
            name: name.into(),
            source: source.into(),
        });
        self
    }

    pub fn guess(mut self, kind: DeviceKind) -> Self {
        self.s.guess.kind = kind;
        self
    }

    pub fn vendor(mut self, v: &str) -> Self {
        self.s.mac_vendor = Some(v.into());
        self
    }

    pub fn snmp(
        mut self,
        t: DeviceType,
        vendor: &str,
        model: &str,
        serial: &str,
        macs: &[&str],
    ) -> Self {
        self.s.snmp = Some(SnmpDevice {
            device_type: t,
            vendor: Some(vendor.into()),
            model: Some(model.into()),
            serial: (!serial.is_empty()).then(|| serial.into()),
            firmware: None,
            sys_name: None,
            sys_descr: None,
            sys_object_id: None,
            sys_location: None,
            sys_contact: None,
            mac_addresses: macs.iter().map(|m| m.to_string()).collect(),
            os: None,
            snmp_version: "v2c".into(),
            credential: "community #1".into(),
            evidence: vec![],
            printer: None,
            switch: None,
            ups: None,
            host: None,
        });
        self
    }

    pub fn obs(self, id: &str, scan: i64) -> Observation {
        Observation::scan(id, scan, self.s)
    }
}

/// Run the engine with the default configuration at `now`.
pub fn run_at(
    obs: &[Observation],
    decisions: &[Decision],
    previous: &Previous,
    now: DateTime<Utc>,
) -> Resolution {
    resolve(obs, decisions, previous, now, &MergeConfig::default())
}

/// Run the engine fresh, one hour after the test day's start.
pub fn run(obs: &[Observation]) -> Resolution {
    run_at(obs, &[], &Previous::default(), t(1))
}

/// The asset holding observation `id`.
pub fn asset_of<'a>(res: &'a Resolution, id: &str) -> &'a Asset {
    let o = ObservationId(id.into());
    res.assets
        .iter()
        .find(|a| a.observations.contains(&o))
        .unwrap_or_else(|| panic!("no asset holds {id}: {:#?}", res.assets))
}

/// Observation ids per asset, sorted (to compare groupings).
pub fn groups(res: &Resolution) -> Vec<Vec<String>> {
    let mut g: Vec<Vec<String>> = res
        .assets
        .iter()
        .map(|a| a.observations.iter().map(|o| o.0.clone()).collect())
        .collect();
    g.sort();
    g
}

/// The state a run leaves for the next one.
pub fn previous(res: &Resolution) -> Previous {
    Previous {
        ids: res.ids.clone(),
        assets: res.assets.clone(),
    }
}

/// The explanation of the asset holding `id`, as JSON text (for asserting
/// that a reason is given).
pub fn explained(res: &Resolution, id: &str) -> String {
    let a = asset_of(res, id);
    serde_json::to_string_pretty(res.explanation(&a.id).unwrap()).unwrap()
}
