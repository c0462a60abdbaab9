//! ARP sweeps on directly attached subnets, over a raw link-layer socket
//! (root or `CAP_NET_RAW`). On its own link every host must answer ARP to
//! be reachable at all, so an ARP sweep is both the fastest and the most
//! complete discovery there, and it does not fill the kernel's neighbour
//! table (which overflows on large ranges).
//!
//! Frames are built and parsed here by hand ([`request`], [`parse_reply`]:
//! pure, never panic); `pnet_datalink` only moves them.

use census_shared::MacAddr;
use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// An interface with an IPv4 network that some targets are on.
#[derive(Debug, Clone)]
pub struct Link {
    pub interface: String,
    pub mac: MacAddr,
    pub ip: Ipv4Addr,
    pub prefix: u8,
}

impl Link {
    /// Whether `ip` is on this link's subnet.
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        let mask = if self.prefix == 0 {
            0
        } else {
            u32::MAX << (32 - self.prefix)
        };
        u32::from(ip) & mask == u32::from(self.ip) & mask
    }
}

/// A 42-byte Ethernet broadcast frame asking who has `target`.
pub fn request(src_mac: MacAddr, src_ip: Ipv4Addr, target: Ipv4Addr) -> [u8; 42] {
    let mut f = [0u8; 42];
    f[0..6].copy_from_slice(&[0xff; 6]);
    f[6..12].copy_from_slice(&src_mac.0);
    f[12..14].copy_from_slice(&[0x08, 0x06]); // ARP
    f[14..22].copy_from_slice(&[0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01]); // Ethernet/IPv4, request
    f[22..28].copy_from_slice(&src_mac.0);
    f[28..32].copy_from_slice(&src_ip.octets());
    // target hardware address stays zero
    f[38..42].copy_from_slice(&target.octets());
    f
}

/// `(sender IP, sender MAC)` of an ARP reply frame (VLAN tags skipped).
pub fn parse_reply(frame: &[u8]) -> Option<(Ipv4Addr, MacAddr)> {
    let mut off = 12;
    let mut ethertype = u16::from_be_bytes([*frame.get(off)?, *frame.get(off + 1)?]);
    while ethertype == 0x8100 || ethertype == 0x88a8 {
        off += 4;
        ethertype = u16::from_be_bytes([*frame.get(off)?, *frame.get(off + 1)?]);
    }
    if ethertype != 0x0806 {
        return None;
    }
    let arp = frame.get(off + 2..off + 30)?;
    if arp[0..6] != [0x00, 0x01, 0x08, 0x00, 6, 4] || arp[6..8] != [0x00, 0x02] {
        return None;
    }
    let mac = MacAddr::from_bytes(&arp[8..14])?;
    let ip = Ipv4Addr::new(arp[14], arp[15], arp[16], arp[17]);
    Some((ip, mac))
}

/// The attached IPv4 links (up, not loopback, with a MAC).
pub fn links() -> Vec<Link> {
    pnet_datalink::interfaces()
        .into_iter()
        .filter(|i| i.is_up() && !i.is_loopback())
        .filter_map(|i| {
            let mac = MacAddr(i.mac?.octets());
            (mac.0 != [0; 6]).then_some(())?;
            Some(
                i.ips
                    .iter()
                    .filter_map(|n| match n.ip() {
                        IpAddr::V4(ip) => Some(Link {
                            interface: i.name.clone(),
                            mac,
                            ip,
                            prefix: n.prefix(),
                        }),
                        IpAddr::V6(_) => None,
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .flatten()
        .collect()
}

/// Ask every target on `link`, `gap` apart, and collect replies until
/// `wait` after the last request. Blocking: run it on a blocking thread.
pub fn sweep(
    link: &Link,
    targets: &[Ipv4Addr],
    gap: Duration,
    wait: Duration,
) -> Result<HashMap<IpAddr, (MacAddr, Duration)>, String> {
    let iface = pnet_datalink::interfaces()
        .into_iter()
        .find(|i| i.name == link.interface)
        .ok_or_else(|| format!("interface {} disappeared", link.interface))?;
    let config = pnet_datalink::Config {
        read_timeout: Some(Duration::from_millis(5)),
        ..Default::default()
    };
    let (mut tx, mut rx) = match pnet_datalink::channel(&iface, config) {
        Ok(pnet_datalink::Channel::Ethernet(tx, rx)) => (tx, rx),
        Ok(_) => return Err(format!("{}: not an Ethernet interface", link.interface)),
        Err(e) => {
            return Err(format!(
                "cannot open a raw socket on {} for ARP ({e}): run as root or grant CAP_NET_RAW \
                 (setcap cap_net_raw+ep census-collector); falling back to ICMP and TCP probes",
                link.interface
            ));
        }
    };
    let wanted: Arc<HashSet<Ipv4Addr>> = Arc::new(targets.iter().copied().collect());
    let sent_at: Arc<Mutex<HashMap<Ipv4Addr, Instant>>> = Arc::default();
    let found: Arc<Mutex<HashMap<IpAddr, (MacAddr, Duration)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let listener = {
        let (wanted, sent_at, found, stop) =
            (wanted.clone(), sent_at.clone(), found.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let Ok(frame) = rx.next() else { continue }; // read timeouts too
                if let Some((ip, mac)) = parse_reply(frame)
                    && wanted.contains(&ip)
                    && let Some(t) = sent_at
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .get(&ip)
                        .copied()
                {
                    found
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .entry(IpAddr::V4(ip))
                        .or_insert((mac, t.elapsed()));
                }
            }
        })
    };
    let mut next = Instant::now();
    for ip in targets {
        let ahead = next.saturating_duration_since(Instant::now());
        if ahead > Duration::from_millis(1) {
            std::thread::sleep(ahead);
        }
        next += gap;
        sent_at
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(*ip, Instant::now());
        if let Some(Err(e)) = tx.send_to(&request(link.mac, link.ip, *ip), None) {
            tracing::debug!("ARP to {ip}: {e}");
        }
    }
    let deadline = Instant::now() + wait;
    while Instant::now() < deadline
        && found.lock().unwrap_or_else(|p| p.into_inner()).len() < wanted.len()
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    stop.store(true, Ordering::Relaxed);
    let _ = listener.join();
    let result = std::mem::take(&mut *found.lock().unwrap_or_else(|p| p.into_inner()));
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_and_reply_frames() {
        let me: MacAddr = "02:00:00:00:00:01".parse().unwrap();
        let f = request(me, Ipv4Addr::new(192, 0, 2, 1), Ipv4Addr::new(192, 0, 2, 9));
        assert_eq!(&f[12..14], &[0x08, 0x06]);
        assert_eq!(parse_reply(&f), None, "a request is not a reply");
        // Turn it into the reply of 192.0.2.9 / 00:1b:a9:00:00:09.
        let mut r = f;
        r[21] = 2;
        r[22..28].copy_from_slice(&[0x00, 0x1b, 0xa9, 0, 0, 9]);
        r[28..32].copy_from_slice(&[192, 0, 2, 9]);
        assert_eq!(
            parse_reply(&r),
            Some((
                Ipv4Addr::new(192, 0, 2, 9),
                "00:1b:a9:00:00:09".parse().unwrap()
            ))
        );
        // With an 802.1Q tag.
        let mut tagged = r[..12].to_vec();
        tagged.extend([0x81, 0x00, 0x00, 0x05]);
        tagged.extend(&r[12..]);
        assert!(parse_reply(&tagged).is_some());
        let link = Link {
            interface: "eth0".into(),
            mac: me,
            ip: Ipv4Addr::new(192, 0, 2, 1),
            prefix: 24,
        };
        assert!(
            link.contains(Ipv4Addr::new(192, 0, 2, 200))
                && !link.contains(Ipv4Addr::new(192, 0, 3, 1))
        );
    }

    #[test]
    fn garbage_never_panics() {
        let mut x: u32 = 3;
        for n in 0..4000usize {
            let mut buf: Vec<u8> = (0..n % 90)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    (x >> 16) as u8
                })
                .collect();
            if buf.len() > 14 && n % 3 == 0 {
                buf[12] = 0x08;
                buf[13] = 0x06;
            }
            let _ = parse_reply(&buf);
        }
    }
}
