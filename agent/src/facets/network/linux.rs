//! `network` on Linux: `/sys/class/net` for interfaces, `getifaddrs(3)`
//! (through the probe) for addresses, `/proc/net/{route,ipv6_route}` for
//! gateways, `resolv.conf` (upstream of systemd-resolved when it is the stub)
//! for DNS, and `iw dev IF link` for the SSID. Nothing here sends a packet.

use super::{ipv4_default_routes, ipv6_default_routes, parse_iw_link, parse_resolv_conf};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;
use census_shared::MacAddr;
use census_shared::report::{Interface, InterfaceKind, Wifi};

/// The Linux `network` facet.
pub struct Network;

const VPN_PREFIXES: &[&str] = &[
    "tun",
    "tap",
    "wg",
    "ppp",
    "tailscale",
    "zt",
    "nordlynx",
    "utun",
    "ipsec",
    "vpn",
];

impl Facet for Network {
    fn name(&self) -> &'static str {
        "network"
    }

    fn collect(&self, p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let addrs = match p.system().if_addresses() {
            Ok(a) => a,
            Err(e) => {
                r.error("network", format!("interface addresses unknown: {e}"));
                Vec::new()
            }
        };
        let names = p.list("/sys/class/net");
        if names.is_empty() {
            return Err(FacetError::read(
                "/sys/class/net",
                std::io::Error::from(std::io::ErrorKind::NotFound),
            ));
        }
        for name in names {
            let mut iface = interface(p, &name);
            iface.addresses = addrs
                .iter()
                // IPv4 aliases carry their label (`eth0:1`).
                .filter(|(n, _)| n.split(':').next() == Some(name.as_str()))
                .map(|(_, a)| a.clone())
                .collect();
            iface.addresses.sort();
            iface.addresses.dedup();
            r.network.interfaces.push(iface);
        }

        let mut gws = ipv4_default_routes(&p.read("/proc/net/route").unwrap_or_default());
        gws.extend(ipv6_default_routes(
            &p.read("/proc/net/ipv6_route").unwrap_or_default(),
        ));
        r.network.gateways = gws;

        let stub = p.read("/etc/resolv.conf").unwrap_or_default();
        let (mut servers, mut search) = parse_resolv_conf(&stub);
        if servers.iter().all(|s| s.to_string() == "127.0.0.53")
            && let Ok(up) = p.read("/run/systemd/resolve/resolv.conf")
        {
            (servers, search) = parse_resolv_conf(&up);
        }
        r.network.dns_servers = servers;
        r.network.search_domains = search;

        let wifi_up = r
            .network
            .interfaces
            .iter()
            .filter(|i| i.kind == InterfaceKind::Wifi && i.up)
            .map(|i| i.name.clone())
            .collect::<Vec<_>>();
        for name in wifi_up {
            match p.run("iw", &["dev", &name, "link"]) {
                Ok(Some(out)) => {
                    let (ssid, bssid) = parse_iw_link(&out);
                    if ssid.is_some() {
                        r.network.wifi = Some(Wifi {
                            interface: name,
                            ssid,
                            bssid: bssid.and_then(|b| b.parse().ok()),
                        });
                        break;
                    }
                }
                Ok(None) => r.error(
                    "network",
                    format!("wifi SSID of {name} unknown: `iw` is not installed (apt install iw)"),
                ),
                Err(e) => r.error("network", format!("wifi SSID of {name} unknown: {e}")),
            }
        }
        Ok(())
    }
}

fn interface(p: &Probe, name: &str) -> Interface {
    let base = format!("/sys/class/net/{name}");
    let get = |f: &str| p.read_opt(&format!("{base}/{f}"));
    let uevent = get("uevent").unwrap_or_default();
    let devtype = uevent
        .lines()
        .find_map(|l| l.strip_prefix("DEVTYPE="))
        .unwrap_or("");
    let link_type = get("type").and_then(|t| t.parse::<u32>().ok()).unwrap_or(0);
    let flags = get("flags")
        .and_then(|f| u32::from_str_radix(f.trim_start_matches("0x"), 16).ok())
        .unwrap_or(0);
    let physical = p.exists(&format!("{base}/device"));
    let kind = if link_type == 772 {
        InterfaceKind::Loopback
    } else if p.exists(&format!("{base}/wireless"))
        || p.exists(&format!("{base}/phy80211"))
        || devtype == "wlan"
    {
        InterfaceKind::Wifi
    } else if p.exists(&format!("{base}/bridge")) || devtype == "bridge" {
        InterfaceKind::Bridge
    } else if devtype == "wireguard"
        || p.exists(&format!("{base}/tun_flags"))
        || matches!(link_type, 65534 | 512 | 768 | 776 | 778)
        || VPN_PREFIXES.iter().any(|v| name.starts_with(v))
    {
        InterfaceKind::Vpn
    } else if link_type == 1 && physical {
        InterfaceKind::Ethernet
    } else if link_type == 1 {
        InterfaceKind::Virtual
    } else {
        InterfaceKind::Other
    };
    let mac = get("address")
        .and_then(|a| a.parse::<MacAddr>().ok())
        .filter(|m| m.0 != [0; 6]);
    let driver = p
        .read_link(&format!("{base}/device/driver"))
        .and_then(|l| l.file_name().map(|f| f.to_string_lossy().into_owned()))
        .or_else(|| {
            get("device/uevent").and_then(|u| {
                u.lines()
                    .find_map(|l| l.strip_prefix("DRIVER=").map(String::from))
            })
        });
    Interface {
        name: name.to_string(),
        mac,
        kind,
        addresses: Vec::new(),
        mtu: get("mtu").and_then(|m| m.parse().ok()),
        speed_mbps: get("speed")
            .and_then(|s| s.parse::<i64>().ok())
            .filter(|s| *s > 0 && *s < 10_000_000)
            .map(|s| s as u32),
        up: flags & 0x1 != 0,
        driver,
    }
}
