//! The kernel's neighbour (ARP) table, `/proc/net/arp`: after the scanner's
//! first probe of an address on a directly attached subnet, the kernel has
//! asked for its MAC; a complete entry means the host answered at layer 2,
//! even if it ignores ICMP and has no open port. Reading the table needs no
//! privilege and sends nothing.

use census_shared::MacAddr;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};

/// Complete entries (flag ATF_COM) of a `/proc/net/arp` text.
pub fn parse_proc_arp(text: &str) -> HashMap<IpAddr, MacAddr> {
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let ip: Ipv4Addr = f.first()?.parse().ok()?;
            let flags = u32::from_str_radix(f.get(2)?.trim_start_matches("0x"), 16).ok()?;
            let mac: MacAddr = f.get(3)?.parse().ok()?;
            (flags & 0x2 != 0 && mac.0 != [0; 6]).then_some((IpAddr::V4(ip), mac))
        })
        .collect()
}

/// This network namespace's table now; empty where there is none.
pub fn read() -> HashMap<IpAddr, MacAddr> {
    std::fs::read_to_string("/proc/net/arp")
        .map(|t| parse_proc_arp(&t))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn complete_entries_only() {
        let t = "IP address       HW type     Flags       HW address            Mask     Device\n\
                 192.0.2.1        0x1         0x2         aa:bb:cc:dd:ee:01     *        eth0\n\
                 192.0.2.7        0x1         0x0         00:00:00:00:00:00     *        eth0\n\
                 garbage line\n";
        let m = super::parse_proc_arp(t);
        assert_eq!(m.len(), 1);
        assert_eq!(
            m[&"192.0.2.1".parse().unwrap()].to_string(),
            "aa:bb:cc:dd:ee:01"
        );
    }
}
