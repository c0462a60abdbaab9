//! The `network` facet: interfaces (MAC, addresses, MTU, speed, state, kind),
//! default gateways, DNS servers, search domains and the wifi SSID.
//! Parsers of Linux's route tables, `resolv.conf` and `iw` output are here;
//! macOS's `ifconfig`, `networksetup`, `route` and `scutil` in `apple.rs`.

pub mod adapters;
pub mod apple;
#[cfg(target_os = "linux")]
pub mod linux;
#[cfg(target_os = "macos")]
pub mod macos;
#[cfg(windows)]
pub mod windows;

use census_shared::report::Gateway;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Default IPv4 routes from `/proc/net/route`.
pub fn ipv4_default_routes(text: &str) -> Vec<Gateway> {
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let (iface, dest, gw, flags, mask) =
                (f.first()?, f.get(1)?, f.get(2)?, f.get(3)?, f.get(7)?);
            let flags = u32::from_str_radix(flags, 16).ok()?;
            // RTF_UP | RTF_GATEWAY, destination and mask 0.0.0.0.
            if *dest != "00000000" || *mask != "00000000" || flags & 0x3 != 0x3 {
                return None;
            }
            // The kernel prints the address in host (little-endian) order.
            let v = u32::from_str_radix(gw, 16).ok()?;
            Some(Gateway {
                address: IpAddr::V4(Ipv4Addr::from(v.swap_bytes())),
                interface: Some(iface.to_string()),
            })
        })
        .collect()
}

/// Default IPv6 routes from `/proc/net/ipv6_route`.
pub fn ipv6_default_routes(text: &str) -> Vec<Gateway> {
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            if f.len() < 10 || f[0] != "00000000000000000000000000000000" || f[1] != "00" {
                return None;
            }
            let flags = u32::from_str_radix(f[8], 16).ok()?;
            // RTF_GATEWAY set, RTF_REJECT clear.
            if flags & 0x2 == 0 || flags & 0x200 != 0 {
                return None;
            }
            let hop = u128::from_str_radix(f[4], 16).ok()?;
            (hop != 0).then(|| Gateway {
                address: IpAddr::V6(Ipv6Addr::from(hop)),
                interface: Some(f[9].to_string()),
            })
        })
        .collect()
}

/// Name servers and search domains from a `resolv.conf`.
pub fn parse_resolv_conf(text: &str) -> (Vec<IpAddr>, Vec<String>) {
    let mut servers = Vec::new();
    let mut search = Vec::new();
    for line in text.lines() {
        let line = line.split(['#', ';']).next().unwrap_or("");
        let mut it = line.split_whitespace();
        match it.next() {
            Some("nameserver") => {
                // IPv6 servers may carry a zone (`fe80::1%eth0`).
                if let Some(a) = it.next().and_then(|a| a.split('%').next()?.parse().ok())
                    && !servers.contains(&a)
                {
                    servers.push(a);
                }
            }
            Some("search") | Some("domain") => {
                for d in it {
                    if d != "." && !search.iter().any(|s: &String| s == d) {
                        search.push(d.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    (servers, search)
}

/// SSID and BSSID from `iw dev IF link`.
pub fn parse_iw_link(text: &str) -> (Option<String>, Option<String>) {
    let mut ssid = None;
    let mut bssid = None;
    for line in text.lines() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("Connected to ") {
            bssid = rest.split_whitespace().next().map(String::from);
        } else if let Some(s) = t.strip_prefix("SSID: ") {
            ssid = Some(s.to_string());
        }
    }
    (ssid, bssid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let v4 = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\neth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\neth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
        let g = ipv4_default_routes(v4);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].address.to_string(), "192.0.2.1");
        let v6 = "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0\n00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n";
        let g = ipv6_default_routes(v6);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].address.to_string(), "fd00::1");
        assert_eq!(g[0].interface.as_deref(), Some("eth0"));
    }

    #[test]
    fn resolv_conf() {
        let (s, d) = parse_resolv_conf(
            "# generated\nnameserver 192.0.2.53\nnameserver fe80::1%eth0\nnameserver bogus\nsearch kantoor.example.nl example.nl\noptions edns0\n",
        );
        assert_eq!(s.len(), 2);
        assert_eq!(d, ["kantoor.example.nl", "example.nl"]);
    }

    #[test]
    fn iw_link() {
        let (s, b) = parse_iw_link(
            "Connected to 74:83:c2:aa:bb:cc (on wlp2s0)\n\tSSID: Kantoor-WiFi\n\tfreq: 5180\n",
        );
        assert_eq!(s.as_deref(), Some("Kantoor-WiFi"));
        assert_eq!(b.as_deref(), Some("74:83:c2:aa:bb:cc"));
        assert_eq!(parse_iw_link("Not connected.\n"), (None, None));
    }
}
