//! What SNMP identification says about one network device: its type, make,
//! model, serial and firmware, the system group, its MAC addresses, and the
//! details a recovery needs for its kind (a printer's counters and supplies,
//! a switch's ports and MAC table, a UPS's battery, a NAS's storage).
//!
//! This is the wire and storage form shared by `census-collector snmp
//! identify --json`, the scan observations and (later) the merge engine.
//! How the values are found is the collector's `snmp` library; this module
//! only says what they mean. Credentials never appear here: `credential`
//! names which configured credential worked, never its secret.

use serde::{Deserialize, Serialize};

/// Device types SNMP identification distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceType {
    Printer,
    Switch,
    Router,
    Firewall,
    AccessPoint,
    Nas,
    Ups,
    Voip,
    Camera,
    Server,
    Workstation,
    Other,
}

impl DeviceType {
    /// Every type, in the order of the JSON contract.
    pub const ALL: [DeviceType; 12] = [
        DeviceType::Printer,
        DeviceType::Switch,
        DeviceType::Router,
        DeviceType::Firewall,
        DeviceType::AccessPoint,
        DeviceType::Nas,
        DeviceType::Ups,
        DeviceType::Voip,
        DeviceType::Camera,
        DeviceType::Server,
        DeviceType::Workstation,
        DeviceType::Other,
    ];

    /// The JSON spelling (`access_point`).
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceType::Printer => "printer",
            DeviceType::Switch => "switch",
            DeviceType::Router => "router",
            DeviceType::Firewall => "firewall",
            DeviceType::AccessPoint => "access_point",
            DeviceType::Nas => "nas",
            DeviceType::Ups => "ups",
            DeviceType::Voip => "voip",
            DeviceType::Camera => "camera",
            DeviceType::Server => "server",
            DeviceType::Workstation => "workstation",
            DeviceType::Other => "other",
        }
    }

    /// Parse the JSON spelling.
    pub fn parse(s: &str) -> Option<DeviceType> {
        DeviceType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// One device as SNMP describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnmpDevice {
    pub device_type: DeviceType,
    pub vendor: Option<String>,
    pub model: Option<String>,
    /// Only serials that pass the shared placeholder rules.
    pub serial: Option<String>,
    pub firmware: Option<String>,
    pub sys_name: Option<String>,
    pub sys_descr: Option<String>,
    pub sys_object_id: Option<String>,
    pub sys_location: Option<String>,
    pub sys_contact: Option<String>,
    /// Interface MAC addresses (`aa:bb:cc:dd:ee:ff`), unique, in ifIndex order.
    pub mac_addresses: Vec<String>,
    /// Operating system, when the agent says (`Linux 4.9.0`, `Windows`, `DSM 6.2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    /// `v1`, `v2c` or `v3`.
    pub snmp_version: String,
    /// Which configured credential answered (`community #2`, `v3 user "ops"`).
    pub credential: String,
    /// Why the type, vendor, model and serial are what they are.
    pub evidence: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printer: Option<PrinterDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switch: Option<SwitchDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ups: Option<UpsDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<HostDetails>,
}

/// A printer's counters and consumables (Printer-MIB, RFC 3805).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PrinterDetails {
    /// Lifetime page count (prtMarkerLifeCount of the first marker).
    pub page_count: Option<u64>,
    /// More than one colorant: a colour printer.
    pub colour: Option<bool>,
    /// Prints both sides (a duplexer among the media paths), when known.
    pub duplex: Option<bool>,
    pub supplies: Vec<Supply>,
}

/// One consumable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Supply {
    pub description: String,
    /// `toner`, `drum`, `waste_toner`, `ink`, `fuser`, `other`, …
    pub kind: String,
    /// Remaining, 0–100, when the device reports a level and a capacity.
    pub level_percent: Option<u8>,
    /// What the device said when it cannot measure (`some remaining`, `unknown`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_note: Option<String>,
}

/// A switch's ports and what hangs on them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SwitchDetails {
    pub ports: Vec<Port>,
    /// MAC address → port (BRIDGE-MIB / Q-BRIDGE-MIB forwarding database).
    pub fdb: Vec<FdbEntry>,
    /// LLDP and CDP neighbours.
    pub neighbours: Vec<Neighbour>,
    pub vlans: Vec<Vlan>,
}

/// One interface (IF-MIB).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Port {
    pub if_index: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
    /// Bits per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed: Option<u64>,
    /// `up`, `down`, …
    pub oper_status: String,
}

/// A MAC address learned on a port.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FdbEntry {
    pub mac: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vlan: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub if_index: Option<u32>,
    /// The port's name, when the interface table has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
}

/// A device seen on the other end of a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Neighbour {
    /// `lldp` or `cdp`.
    pub protocol: String,
    /// Our port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_port: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_port: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_chassis: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_description: Option<String>,
}

/// A VLAN the device knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vlan {
    pub id: u32,
    pub name: String,
}

/// A UPS's state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UpsDetails {
    /// `normal`, `low`, `depleted`, `unknown`, …
    pub battery_status: Option<String>,
    pub charge_percent: Option<u8>,
    pub runtime_minutes: Option<u32>,
    /// `online`, `on_battery`, `bypass`, …
    pub output_source: Option<String>,
}

/// A NAS's or server's storage (HOST-RESOURCES-MIB).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HostDetails {
    pub storage: Vec<Storage>,
}

/// One storage area (a file system or a volume; RAM and swap are left out).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Storage {
    pub description: String,
    pub size_bytes: u64,
    pub used_bytes: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_type_spellings_round_trip() {
        for t in DeviceType::ALL {
            assert_eq!(DeviceType::parse(t.as_str()), Some(t));
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
        }
        assert_eq!(DeviceType::parse("toaster"), None);
    }
}
