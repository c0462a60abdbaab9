//! What a network scan saw of one address: how it was found, its MAC and
//! the MAC's vendor, names, open ports, what the services said, and a first
//! guess of what kind of device it is, with the evidence for the guess.
//!
//! Observations are facts from one scan at one moment; merging them with
//! agent reports into assets is the merge engine's job.

use crate::MacAddr;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// One responding address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanObservation {
    /// The address probed.
    pub ip: IpAddr,
    /// Hardware address, when the scanner shares a link with the host.
    pub mac: Option<MacAddr>,
    /// The MAC's registered vendor (IEEE OUI).
    pub mac_vendor: Option<String>,
    /// The MAC is locally administered (randomised, virtual): not an identity.
    pub mac_local: bool,
    /// Names: reverse DNS, NetBIOS, mDNS, SNMP sysName, …
    pub names: Vec<Name>,
    /// How the host was found to be alive.
    pub found_by: Vec<FoundBy>,
    /// Round-trip time of the first answer, in milliseconds.
    pub rtt_ms: Option<f64>,
    /// Open TCP ports, ascending.
    pub open_tcp: Vec<u16>,
    /// What services said about themselves.
    pub services: Vec<Service>,
    /// A first guess of the device type.
    pub guess: DeviceGuess,
    /// What the device's SNMP agent said about itself, when one answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snmp: Option<crate::device::SnmpDevice>,
    /// When the host answered.
    pub seen_at: DateTime<Utc>,
    /// The site whose agent saw it (a site scan, issue 11); `None` for the
    /// collector's own scans. Set by the collector, not by the scanner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// The agent that scanned it, for a site scan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scanner: Option<String>,
}

/// A name and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name {
    pub name: String,
    /// `dns`, `netbios`, `mdns`, `snmp`, `http`, `ssh`.
    pub source: String,
}

/// Discovery methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FoundBy {
    /// ARP reply (raw socket on a directly attached subnet).
    Arp,
    /// ICMP echo reply.
    Icmp,
    /// A TCP port accepted a connection.
    TcpOpen,
    /// A TCP port answered with a reset (closed, but the host is there).
    TcpReset,
    /// A UDP service answered.
    Udp,
    /// The kernel's neighbour table had a complete entry.
    Neighbour,
}

/// A service's self-description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// Port.
    pub port: u16,
    /// `tcp` or `udp`.
    pub protocol: String,
    /// `http`, `https`, `ssh`, `sip`, `snmp`, `netbios`, `mdns`, …
    pub name: String,
    /// Product or banner (`OpenSSH_9.2p1`, `nginx`, `HP HTTP Server`).
    pub product: Option<String>,
    /// Page title, announced model or other detail.
    pub detail: Option<String>,
}

/// Device types a scan can guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    Printer,
    SwitchRouter,
    AccessPoint,
    Nas,
    Phone,
    Camera,
    Ups,
    WindowsPc,
    LinuxMac,
    Server,
    Unknown,
}

/// A guess with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceGuess {
    pub kind: DeviceKind,
    /// Why: "port 9100 (raw printing) open", "vendor Synology", …
    pub evidence: Vec<String>,
}

impl Default for DeviceGuess {
    fn default() -> Self {
        DeviceGuess {
            kind: DeviceKind::Unknown,
            evidence: Vec::new(),
        }
    }
}
