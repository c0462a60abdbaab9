//! What kind of thing an observation says it is, for the plan's categories:
//! from an agent's facts (chassis type, OS, virtualisation), from SNMP's
//! device type, or from a scan's guess — each with the source it counts as.
//! A person's category (`assets set ID category C`) is applied in
//! `fields.rs`, which also picks the winner by precedence.
//!
//! Unknown stays unknown: a scan guess of `unknown` gives no category.

use super::observation::{Observation, Source};
use census_shared::HostReport;
use census_shared::asset::{Category, SourceKind};
use census_shared::device::DeviceType;
use census_shared::observation::DeviceKind;
use census_shared::report::{ChassisType, VirtKind};

/// Server distributions: a machine running one is a server whatever its box.
const SERVER_OS_IDS: &[&str] = &[
    "rhel",
    "centos",
    "rocky",
    "almalinux",
    "ol",
    "sles",
    "proxmox",
    "truenas",
    "unraid",
    "esxi",
];

/// The category an observation suggests, with the source it counts as.
pub fn of(obs: &Observation) -> Option<(Category, SourceKind)> {
    match &obs.source {
        Source::Agent { report, .. } => from_agent(report).map(|c| (c, SourceKind::Agent)),
        Source::Scan { observation: s, .. } => {
            if let Some(d) = &s.snmp {
                return Some((from_snmp(d.device_type), SourceKind::Snmp));
            }
            from_guess(s.guess.kind).map(|c| (c, SourceKind::Scan))
        }
    }
}

/// From what an agent says about its machine.
pub fn from_agent(r: &HostReport) -> Option<Category> {
    let os_name = r.os.name.as_deref().unwrap_or("").to_lowercase();
    let os_id = r.os.id.as_deref().unwrap_or("").to_lowercase();
    let family = r.os.family.as_deref().unwrap_or("").to_lowercase();
    let server_os = os_name.contains("server") || SERVER_OS_IDS.contains(&os_id.as_str());
    let chassis = r.hardware.chassis_type;
    let virt = r.host.virtualization.kind;
    Some(match chassis {
        Some(ChassisType::Server | ChassisType::Rack | ChassisType::Blade) => Category::Server,
        _ if server_os => Category::Server,
        Some(ChassisType::Laptop | ChassisType::Convertible) => Category::Laptop,
        Some(ChassisType::Tablet) => Category::Tablet,
        // A VM or container in an office runs a service, unless it is a
        // desktop Windows or macOS (a VDI seat).
        Some(ChassisType::Vm | ChassisType::Container) => vm(&family),
        _ if matches!(virt, Some(VirtKind::Vm | VirtKind::Container)) => vm(&family),
        Some(
            ChassisType::Desktop | ChassisType::Tower | ChassisType::Mini | ChassisType::AllInOne,
        ) => Category::OfficePc,
        Some(ChassisType::Embedded | ChassisType::Other) | None => {
            if family.is_empty() {
                return None;
            }
            Category::OfficePc
        }
    })
}

fn vm(family: &str) -> Category {
    if family == "windows" || family == "macos" {
        Category::OfficePc
    } else {
        Category::Server
    }
}

/// From SNMP's device type. A UPS is listed under `other` (the plan has no
/// power heading).
pub fn from_snmp(t: DeviceType) -> Category {
    match t {
        DeviceType::Printer => Category::Printer,
        DeviceType::Switch => Category::NetworkSwitch,
        DeviceType::Router => Category::NetworkRouter,
        DeviceType::Firewall => Category::NetworkFirewall,
        DeviceType::AccessPoint => Category::NetworkAccessPoint,
        DeviceType::Nas => Category::NasBackup,
        DeviceType::Voip => Category::PhoneSystemVoip,
        DeviceType::Camera => Category::CameraIot,
        DeviceType::Server => Category::Server,
        DeviceType::Workstation => Category::OfficePc,
        DeviceType::Ups | DeviceType::Other => Category::Other,
    }
}

/// From a scan's guess; `None` for `unknown`.
pub fn from_guess(k: DeviceKind) -> Option<Category> {
    Some(match k {
        DeviceKind::Printer => Category::Printer,
        DeviceKind::SwitchRouter => Category::NetworkEquipment,
        DeviceKind::AccessPoint => Category::NetworkAccessPoint,
        DeviceKind::Nas => Category::NasBackup,
        DeviceKind::Phone => Category::PhoneSystemVoip,
        DeviceKind::Camera => Category::CameraIot,
        DeviceKind::Ups => Category::Other,
        DeviceKind::WindowsPc | DeviceKind::LinuxMac => Category::OfficePc,
        DeviceKind::Server => Category::Server,
        DeviceKind::Unknown => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use census_shared::report::AgentInfo;
    use chrono::DateTime;

    fn report(chassis: Option<ChassisType>, family: &str, name: &str, id: &str) -> HostReport {
        let mut r = HostReport::new(
            "r".into(),
            AgentInfo::default(),
            DateTime::from_timestamp(0, 0).unwrap(),
        );
        r.hardware.chassis_type = chassis;
        r.os.family = Some(family.into());
        r.os.name = Some(name.into());
        r.os.id = Some(id.into());
        r
    }

    #[test]
    fn agent_facts_decide_pc_laptop_server() {
        use ChassisType::*;
        let cases = [
            (
                Some(Laptop),
                "windows",
                "Windows 11 Pro",
                "",
                Category::Laptop,
            ),
            (
                Some(Desktop),
                "windows",
                "Windows 10 Pro",
                "",
                Category::OfficePc,
            ),
            (
                Some(Tower),
                "windows",
                "Windows Server 2022 Standard",
                "",
                Category::Server,
            ),
            (
                Some(Desktop),
                "linux",
                "Rocky Linux",
                "rocky",
                Category::Server,
            ),
            (
                Some(Rack),
                "linux",
                "Debian GNU/Linux",
                "debian",
                Category::Server,
            ),
            (
                Some(Vm),
                "linux",
                "Debian GNU/Linux",
                "debian",
                Category::Server,
            ),
            (
                Some(Vm),
                "windows",
                "Windows 11 Enterprise",
                "",
                Category::OfficePc,
            ),
            (
                Some(Convertible),
                "windows",
                "Windows 11 Home",
                "",
                Category::Laptop,
            ),
            (
                Some(Tablet),
                "windows",
                "Windows 11 Home",
                "",
                Category::Tablet,
            ),
            (None, "macos", "macOS", "", Category::OfficePc),
        ];
        for (chassis, family, name, id, want) in cases {
            assert_eq!(
                from_agent(&report(chassis, family, name, id)),
                Some(want),
                "{chassis:?} {name}"
            );
        }
        let mut nothing = report(None, "", "", "");
        nothing.os.family = None;
        assert_eq!(from_agent(&nothing), None);
    }

    #[test]
    fn snmp_and_guesses_map_to_plan_categories() {
        assert_eq!(
            from_snmp(DeviceType::AccessPoint),
            Category::NetworkAccessPoint
        );
        assert_eq!(from_snmp(DeviceType::Nas), Category::NasBackup);
        assert_eq!(
            from_guess(DeviceKind::SwitchRouter),
            Some(Category::NetworkEquipment)
        );
        assert_eq!(from_guess(DeviceKind::Unknown), None);
    }
}
