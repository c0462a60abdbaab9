//! Report parts about networking: interfaces with their addresses, default
//! gateways, DNS resolvers and the wifi network the host is connected to.

use crate::identity::mac::MacAddr;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// Network configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Network {
    /// Every interface, loopback and virtual ones included (flagged by kind).
    pub interfaces: Vec<Interface>,
    /// Default gateways (IPv4 and IPv6).
    pub gateways: Vec<Gateway>,
    /// DNS servers the resolver uses (upstream ones when a local stub
    /// such as systemd-resolved sits in between).
    pub dns_servers: Vec<IpAddr>,
    /// DNS search domains.
    pub search_domains: Vec<String>,
    /// The wifi network, when connected to one.
    pub wifi: Option<Wifi>,
}

/// One network interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interface {
    /// OS name (`eth0`, `enp3s0`, `wlan0`, `Ethernet 2`).
    pub name: String,
    /// Hardware address, when the interface has one.
    pub mac: Option<MacAddr>,
    /// What sort of interface this is.
    pub kind: InterfaceKind,
    /// Addresses with prefix lengths.
    pub addresses: Vec<IpNet>,
    /// MTU in bytes.
    pub mtu: Option<u32>,
    /// Link speed in Mbit/s, when the link is up and the driver tells.
    pub speed_mbps: Option<u32>,
    /// Administratively up.
    pub up: bool,
    /// Kernel driver or adapter description.
    pub driver: Option<String>,
}

/// An address with its prefix length.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IpNet {
    /// The address.
    pub address: IpAddr,
    /// Prefix length (24 for 255.255.255.0).
    pub prefix_len: u8,
}

/// Interface kinds, as far as the plan cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterfaceKind {
    Ethernet,
    Wifi,
    Loopback,
    Bridge,
    Vpn,
    /// veth, docker, bond, vlan, dummy, and other software interfaces.
    Virtual,
    Other,
}

/// A default route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gateway {
    /// Next hop.
    pub address: IpAddr,
    /// Interface the route leaves through.
    pub interface: Option<String>,
}

/// The wifi network the host is connected to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wifi {
    /// Interface (`wlan0`, `wlp2s0`).
    pub interface: String,
    /// Network name.
    pub ssid: Option<String>,
    /// Access point's BSSID, when known.
    pub bssid: Option<MacAddr>,
}
