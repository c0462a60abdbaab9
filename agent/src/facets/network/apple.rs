//! macOS network state as data: `ifconfig -a` (flags, MTU, MAC, addresses,
//! link speed from the media line), `networksetup -listallhardwareports`
//! (which device is the Wi-Fi, an Ethernet adapter or the Thunderbolt
//! bridge), `route -n get [-inet6] default` (the default gateway) and
//! `scutil --dns` (the resolvers used for unscoped queries). Portable and
//! total: lines that do not fit are skipped, never a panic.

use census_shared::MacAddr;
use census_shared::report::{Gateway, Interface, InterfaceKind, IpNet};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// Interfaces from `ifconfig -a`, kind `Other` until [`kind`] is applied.
pub fn ifconfig(text: &str) -> Vec<Interface> {
    let mut out: Vec<Interface> = Vec::new();
    for line in text.lines() {
        if !line.starts_with([' ', '\t']) {
            // `en0: flags=8863<UP,BROADCAST,…> mtu 1500`
            let Some((name, rest)) = line.split_once(": ") else {
                continue;
            };
            if name.is_empty() || name.contains(char::is_whitespace) {
                continue;
            }
            let flags = rest
                .split_once('<')
                .and_then(|(_, f)| f.split_once('>'))
                .map(|(f, _)| f)
                .unwrap_or("");
            let mut words = rest.split_whitespace();
            let mtu = words
                .by_ref()
                .skip_while(|w| *w != "mtu")
                .nth(1)
                .and_then(|m| m.parse().ok());
            out.push(Interface {
                name: name.to_string(),
                mac: None,
                kind: InterfaceKind::Other,
                addresses: Vec::new(),
                mtu,
                speed_mbps: None,
                up: flags.split(',').any(|f| f == "UP"),
                driver: None,
            });
            continue;
        }
        let Some(iface) = out.last_mut() else {
            continue;
        };
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.first().copied() {
            Some("ether") => {
                iface.mac = f
                    .get(1)
                    .and_then(|m| m.parse::<MacAddr>().ok())
                    .filter(|m| m.0 != [0; 6]);
            }
            Some("inet") => {
                let mask = after(&f, "netmask")
                    .and_then(|m| u32::from_str_radix(m.trim_start_matches("0x"), 16).ok());
                if let Some(address) = f.get(1).and_then(|a| a.parse::<IpAddr>().ok()) {
                    iface.addresses.push(IpNet {
                        address,
                        prefix_len: mask.map(|m| m.count_ones() as u8).unwrap_or(32),
                    });
                }
            }
            Some("inet6") => {
                let addr = f.get(1).and_then(|a| a.split('%').next()?.parse().ok());
                if let Some(address) = addr {
                    let prefix_len = after(&f, "prefixlen")
                        .and_then(|p| p.parse().ok())
                        .filter(|p| *p <= 128)
                        .unwrap_or(128);
                    iface.addresses.push(IpNet {
                        address,
                        prefix_len,
                    });
                }
            }
            Some("media:") => iface.speed_mbps = media_speed(line),
            _ => {}
        }
    }
    out
}

fn after<'a>(f: &[&'a str], key: &str) -> Option<&'a str> {
    f.iter()
        .position(|w| *w == key)
        .and_then(|i| f.get(i + 1))
        .copied()
}

/// Link speed from a media line: `media: autoselect (1000baseT
/// <full-duplex>)` → 1000, `(10GbaseT …)` → 10000, `(2500Base-T …)` → 2500.
pub fn media_speed(line: &str) -> Option<u32> {
    let active = line.split_once('(')?.1;
    let digits: String = active.chars().take_while(char::is_ascii_digit).collect();
    let n: u32 = digits.parse().ok()?;
    let unit = active[digits.len()..].chars().next()?;
    match unit {
        'G' | 'g' => n.checked_mul(1000),
        'b' | 'B' => Some(n),
        _ => None,
    }
}

/// Device → hardware port name from `networksetup -listallhardwareports`.
pub fn hardware_ports(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut port: Option<&str> = None;
    for line in text.lines() {
        if let Some(p) = line.strip_prefix("Hardware Port: ") {
            port = Some(p.trim());
        } else if let Some(d) = line.strip_prefix("Device: ")
            && let Some(p) = port.take()
        {
            out.insert(d.trim().to_string(), p.to_string());
        }
    }
    out
}

/// The kind of a macOS interface from its name and hardware port.
pub fn kind(name: &str, port: Option<&str>) -> InterfaceKind {
    let starts = |ps: &[&str]| ps.iter().any(|p| name.starts_with(p));
    match port {
        _ if starts(&["lo"]) => InterfaceKind::Loopback,
        Some("Wi-Fi" | "AirPort") => InterfaceKind::Wifi,
        Some(p) if p.contains("Bridge") => InterfaceKind::Bridge,
        // IP over a Thunderbolt cable, a member of the Thunderbolt bridge.
        Some(p) if p.starts_with("Thunderbolt") && !p.contains("Ethernet") => InterfaceKind::Other,
        Some(p) if p.contains("Ethernet") || p.contains("LAN") => InterfaceKind::Ethernet,
        _ if starts(&["bridge"]) => InterfaceKind::Bridge,
        _ if starts(&[
            "utun",
            "ipsec",
            "ppp",
            "tun",
            "tap",
            "wg",
            "zt",
            "tailscale",
        ]) =>
        {
            InterfaceKind::Vpn
        }
        _ if starts(&[
            "awdl", "llw", "anpi", "ap", "gif", "stf", "vmenet", "vmnet", "feth",
        ]) =>
        {
            InterfaceKind::Virtual
        }
        Some(_) => InterfaceKind::Ethernet,
        None => InterfaceKind::Other,
    }
}

/// The gateway of `route -n get default` (or `-inet6 default`); a
/// link-local IPv6 gateway loses its zone (`fe80::1%en0`).
pub fn route_default(text: &str) -> Option<Gateway> {
    let field = |key: &str| {
        text.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k.trim() == key).then(|| v.trim())
        })
    };
    let address = field("gateway")?.split('%').next()?.parse().ok()?;
    Some(Gateway {
        address,
        interface: field("interface")
            .filter(|i| !i.is_empty())
            .map(String::from),
    })
}

/// Name servers and search domains of `scutil --dns`: the resolvers of the
/// unscoped section that serve every domain (those with a `domain` line
/// serve one zone: `local`, a VPN's company domain).
pub fn scutil_dns(text: &str) -> (Vec<IpAddr>, Vec<String>) {
    let mut servers = Vec::new();
    let mut search = Vec::new();
    let mut block: Vec<(&str, &str)> = Vec::new();
    let mut flush = |block: &mut Vec<(&str, &str)>| {
        if !block.iter().any(|(k, _)| *k == "domain") {
            for (k, v) in block.iter() {
                if k.starts_with("nameserver[")
                    && let Ok(a) = v.split('%').next().unwrap_or("").parse::<IpAddr>()
                    && !servers.contains(&a)
                {
                    servers.push(a);
                } else if k.starts_with("search domain[") && !search.iter().any(|s| s == v) {
                    search.push(v.to_string());
                }
            }
        }
        block.clear();
    };
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("DNS configuration (") {
            break; // scoped and per-service resolvers repeat the ones above
        }
        if t.starts_with("resolver #") {
            flush(&mut block);
        } else if let Some((k, v)) = t.split_once(" : ").or_else(|| t.split_once(':')) {
            block.push((k.trim(), v.trim()));
        }
    }
    flush(&mut block);
    (servers, search)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let p = format!("{}/fixtures/macos/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(p).unwrap()
    }

    fn net(a: &IpNet) -> String {
        format!("{}/{}", a.address, a.prefix_len)
    }

    #[test]
    fn interfaces() {
        let ports = hardware_ports(&fixture("networksetup_hardwareports.txt"));
        assert_eq!(ports.len(), 4);
        assert_eq!(ports["en0"], "Wi-Fi");
        assert_eq!(ports["bridge0"], "Thunderbolt Bridge");
        let all = ifconfig(&fixture("ifconfig_a.txt"));
        let summary: Vec<(&str, InterfaceKind, bool)> = all
            .iter()
            .map(|i| {
                let k = kind(&i.name, ports.get(&i.name).map(String::as_str));
                (i.name.as_str(), k, i.up)
            })
            .collect();
        use InterfaceKind::*;
        assert_eq!(
            summary,
            [
                ("lo0", Loopback, true),
                ("gif0", Virtual, false),
                ("stf0", Virtual, false),
                ("anpi0", Virtual, true),
                ("en4", Ethernet, true),
                ("en0", Wifi, true),
                ("en1", Other, true),
                ("bridge0", Bridge, false),
                ("awdl0", Virtual, true),
                ("utun0", Vpn, true),
                ("utun4", Vpn, true),
            ]
        );
        let en0 = &all[5];
        assert_eq!(en0.mac.unwrap().to_string(), "a4:83:e7:12:34:56");
        assert_eq!(en0.mtu, Some(1500));
        assert_eq!(en0.speed_mbps, None);
        let addrs: Vec<String> = en0.addresses.iter().map(net).collect();
        assert_eq!(
            addrs,
            [
                "fe80::1c2b:3d4e:5f60:7182/64",
                "192.168.1.23/24",
                "2001:db8:1:0:10a2:b3c4:d5e6:f708/64"
            ]
        );
        let en4 = &all[4];
        assert_eq!(en4.speed_mbps, Some(1000));
        assert_eq!(net(&en4.addresses[0]), "10.0.20.31/24");
        assert_eq!(all[0].mtu, Some(16384));
        assert_eq!(all[0].addresses.len(), 3);
        assert_eq!(net(&all[10].addresses[0]), "10.8.0.2/32");
        assert_eq!(all[9].mac, None);
        assert_eq!(
            media_speed("media: autoselect (10GbaseT <full-duplex>)"),
            Some(10_000)
        );
        assert_eq!(
            media_speed("media: autoselect (2500Base-T <full-duplex>)"),
            Some(2500)
        );
        assert_eq!(media_speed("media: autoselect"), None);
    }

    #[test]
    fn gateways_and_dns() {
        let g = route_default(&fixture("route_get_default.txt")).unwrap();
        assert_eq!(g.address.to_string(), "192.168.1.1");
        assert_eq!(g.interface.as_deref(), Some("en0"));
        let g6 = route_default(&fixture("route_get_default_inet6.txt")).unwrap();
        assert_eq!(g6.address.to_string(), "fe80::1");
        assert_eq!(
            route_default("route: writing to routing socket: not in table\n"),
            None
        );
        let (servers, search) = scutil_dns(&fixture("scutil_dns.txt"));
        let servers: Vec<String> = servers.iter().map(|s| s.to_string()).collect();
        assert_eq!(servers, ["192.168.1.1", "2001:db8:1::1"]);
        assert_eq!(search, ["kantoor.example.nl", "example.nl"]);
        assert_eq!(
            scutil_dns("No DNS configuration available\n"),
            (vec![], vec![])
        );
    }

    #[test]
    fn garbage_and_truncated_input() {
        let text = fixture("ifconfig_a.txt");
        for cut in (0..text.len()).step_by(7) {
            let part = &text[..cut];
            assert!(ifconfig(part).len() <= 11);
            let _ = scutil_dns(part);
            let _ = route_default(part);
            let _ = hardware_ports(part);
        }
        let junk = "\tether\n: flags=\nen0: flags=8863<UP mtu\n\tinet 300.1.1.1 netmask 0xzz\n\tinet6 ::1 prefixlen 999\n\tmedia: (G\n\tmedia: (99999999999G\n";
        let v = ifconfig(junk);
        assert_eq!(v.len(), 1);
        assert_eq!(net(&v[0].addresses[0]), "::1/128");
        assert_eq!(v[0].speed_mbps, None);
        assert_eq!(route_default("gateway:\n"), None);
        assert_eq!(
            scutil_dns("resolver #1\n  nameserver[0] : bogus\n:\n"),
            (vec![], vec![])
        );
        assert!(hardware_ports("Device: en0\nHardware Port: Wi-Fi\n").is_empty());
    }
}
