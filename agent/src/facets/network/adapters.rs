//! Windows network adapters as data: what `GetAdaptersAddresses` says about
//! one adapter ([`Adapter`]), and [`network`], which turns the list into the
//! report's interfaces, gateways, DNS servers and search domains. Portable,
//! tested on recorded adapters.

use census_shared::identity::mac::MacAddr;
use census_shared::report::{Gateway, Interface, InterfaceKind, IpNet, Network};
use std::net::IpAddr;

/// One adapter as `GetAdaptersAddresses` describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Adapter {
    /// `FriendlyName` ("Ethernet", "Wi-Fi").
    pub name: String,
    /// `Description` (the driver's name for the device).
    pub description: Option<String>,
    /// `PhysicalAddress` (up to 8 bytes; MACs have 6).
    pub physical_address: Vec<u8>,
    /// `IfType` (IANA ifType: 6 Ethernet, 71 wifi, 24 loopback, 131 tunnel).
    pub if_type: u32,
    /// `OperStatus` is up (1).
    pub up: bool,
    /// `Mtu`.
    pub mtu: Option<u32>,
    /// `TransmitLinkSpeed` in bits per second.
    pub speed_bps: Option<u64>,
    /// Unicast addresses with `OnLinkPrefixLength`.
    pub addresses: Vec<(IpAddr, u8)>,
    /// `FirstGatewayAddress` list.
    pub gateways: Vec<IpAddr>,
    /// `FirstDnsServerAddress` list.
    pub dns_servers: Vec<IpAddr>,
    /// `DnsSuffix`.
    pub dns_suffix: Option<String>,
}

/// The interface kind of an IANA ifType, with the description as a hint
/// for virtual adapters (Hyper-V, VirtualBox, VPN clients).
pub fn kind(if_type: u32, description: Option<&str>) -> InterfaceKind {
    let d = description.unwrap_or_default().to_ascii_lowercase();
    match if_type {
        24 => InterfaceKind::Loopback,
        71 => InterfaceKind::Wifi,
        23 | 131 => InterfaceKind::Vpn,
        6 if ["hyper-v", "virtualbox", "vmware", "virtual"]
            .iter()
            .any(|v| d.contains(v)) =>
        {
            InterfaceKind::Virtual
        }
        6 if ["vpn", "tap-windows", "wireguard", "anyconnect", "fortinet"]
            .iter()
            .any(|v| d.contains(v)) =>
        {
            InterfaceKind::Vpn
        }
        6 => InterfaceKind::Ethernet,
        _ => InterfaceKind::Other,
    }
}

/// Adapters → the report's network part (no wifi SSID: that needs WLAN API).
pub fn network(adapters: &[Adapter]) -> Network {
    let mut n = Network::default();
    for a in adapters {
        let mut addresses: Vec<IpNet> = a
            .addresses
            .iter()
            .map(|(address, prefix_len)| IpNet {
                address: *address,
                prefix_len: *prefix_len,
            })
            .collect();
        addresses.sort();
        n.interfaces.push(Interface {
            name: a.name.clone(),
            mac: MacAddr::from_bytes(&a.physical_address)
                .filter(|_| a.physical_address.iter().any(|&b| b != 0)),
            kind: kind(a.if_type, a.description.as_deref()),
            addresses,
            mtu: a.mtu.filter(|&m| m > 0 && m != u32::MAX),
            speed_mbps: a
                .speed_bps
                .filter(|&s| s > 0 && s != u64::MAX)
                .map(|s| (s / 1_000_000) as u32),
            up: a.up,
            driver: a.description.clone(),
        });
        for g in &a.gateways {
            if !g.is_unspecified() {
                n.gateways.push(Gateway {
                    address: *g,
                    interface: Some(a.name.clone()),
                });
            }
        }
        for d in &a.dns_servers {
            // fec0:0:0:ffff::1..3 are Windows' placeholder site-local resolvers.
            let placeholder =
                matches!(d, IpAddr::V6(v6) if v6.segments()[..4] == [0xfec0, 0, 0, 0xffff]);
            if !placeholder && !n.dns_servers.contains(d) {
                n.dns_servers.push(*d);
            }
        }
        if let Some(s) = a.dns_suffix.as_deref().filter(|s| !s.is_empty())
            && !n.search_domains.iter().any(|x| x == s)
        {
            n.search_domains.push(s.to_string());
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_adapters() {
        let eth = Adapter {
            name: "Ethernet".into(),
            description: Some("Intel(R) Ethernet Connection (13) I219-LM".into()),
            physical_address: vec![0x48, 0x2a, 0xe3, 0x12, 0x34, 0x56],
            if_type: 6,
            up: true,
            mtu: Some(1500),
            speed_bps: Some(1_000_000_000),
            addresses: vec![
                ("192.168.1.42".parse().unwrap(), 24),
                ("fe80::1c2b:3c4d:5e6f:7a8b".parse().unwrap(), 64),
            ],
            gateways: vec!["192.168.1.1".parse().unwrap()],
            dns_servers: vec![
                "192.168.1.1".parse().unwrap(),
                "fec0:0:0:ffff::1".parse().unwrap(),
            ],
            dns_suffix: Some("kantoor.local".into()),
        };
        let wifi = Adapter {
            name: "Wi-Fi".into(),
            description: Some("Intel(R) Wi-Fi 6 AX201 160MHz".into()),
            physical_address: vec![0x70, 0xcd, 0x0d, 0x11, 0x22, 0x33],
            if_type: 71,
            speed_bps: Some(u64::MAX),
            ..Default::default()
        };
        let lo = Adapter {
            name: "Loopback Pseudo-Interface 1".into(),
            if_type: 24,
            up: true,
            mtu: Some(u32::MAX),
            addresses: vec![("127.0.0.1".parse().unwrap(), 8)],
            ..Default::default()
        };
        let vbox = Adapter {
            name: "Ethernet 2".into(),
            description: Some("VirtualBox Host-Only Ethernet Adapter".into()),
            if_type: 6,
            ..Default::default()
        };
        let n = network(&[eth, wifi, lo, vbox]);
        let i = &n.interfaces[0];
        assert_eq!(i.mac.unwrap().to_string(), "48:2a:e3:12:34:56");
        assert_eq!(i.kind, InterfaceKind::Ethernet);
        assert_eq!(i.speed_mbps, Some(1000));
        assert_eq!(i.addresses[0].address.to_string(), "192.168.1.42");
        assert_eq!(i.addresses[0].prefix_len, 24);
        assert_eq!(n.interfaces[1].kind, InterfaceKind::Wifi);
        assert_eq!(n.interfaces[1].speed_mbps, None);
        assert!(!n.interfaces[1].up);
        assert_eq!(n.interfaces[2].kind, InterfaceKind::Loopback);
        assert_eq!(n.interfaces[2].mac, None);
        assert_eq!(n.interfaces[2].mtu, None);
        assert_eq!(n.interfaces[3].kind, InterfaceKind::Virtual);
        assert_eq!(n.gateways.len(), 1);
        assert_eq!(n.gateways[0].interface.as_deref(), Some("Ethernet"));
        assert_eq!(
            n.dns_servers,
            vec!["192.168.1.1".parse::<IpAddr>().unwrap()]
        );
        assert_eq!(n.search_domains, vec!["kantoor.local"]);
    }
}
