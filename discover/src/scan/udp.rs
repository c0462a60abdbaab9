//! UDP probes that expect an answer, other than SNMP (`snmp`): NetBIOS
//! node status (137), mDNS/DNS-SD (5353, up to three rounds of questions)
//! and SIP OPTIONS (5060), asked of one live host at once, each send paced
//! by the scan's [`Pace`]. Replies are read from a connected socket (so
//! only the probed address and port can answer), at most [`MAX_REPLY`]
//! bytes, and handed to the parsers in `netbios`, `mdns`/`dnsmsg` and
//! `sip`; what they say becomes names and services of the observation.

use super::pace::Pace;
use super::{dnsmsg, mdns, netbios, sip};
use census_shared::MacAddr;
use census_shared::observation::{Name, Service};
use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;
use tokio::net::UdpSocket;

/// Largest reply read (mDNS allows 9000-byte packets).
pub const MAX_REPLY: usize = dnsmsg::MAX_MSG;
/// Rounds of mDNS questions at most.
const MDNS_ROUNDS: usize = 3;

/// What the UDP probes learned about one host.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct UdpFindings {
    pub names: Vec<Name>,
    pub services: Vec<Service>,
    /// The MAC a NetBIOS node status gave (Windows fills it in).
    pub mac: Option<MacAddr>,
}

impl UdpFindings {
    pub fn answered(&self) -> bool {
        !self.services.is_empty()
    }
}

/// A socket connected to `ip:port`.
async fn connect(ip: IpAddr, port: u16) -> Option<UdpSocket> {
    let local: SocketAddr = match ip {
        IpAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        IpAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let s = UdpSocket::bind(local).await.ok()?;
    s.connect((ip, port)).await.ok()?;
    Some(s)
}

/// Open a socket connected to `ip:port` and send what `payload` makes of
/// its local address (after our turn at the gate, holding a slot until the
/// end), then wait up to `timeout` for a reply that `accept` takes. An ICMP
/// port-unreachable ends the wait.
async fn exchange(
    pace: &Pace,
    ip: IpAddr,
    port: u16,
    timeout: Duration,
    payload: impl FnOnce(SocketAddr) -> Vec<u8>,
    accept: impl Fn(&[u8]) -> bool,
) -> Option<Vec<u8>> {
    let _slot = pace.turn().await;
    let sock = connect(ip, port).await?;
    sock.send(&payload(sock.local_addr().ok()?)).await.ok()?;
    let mut buf = vec![0u8; MAX_REPLY];
    let wait = async {
        loop {
            let n = sock.recv(&mut buf).await.ok()?;
            if accept(&buf[..n]) {
                return Some(buf[..n].to_vec());
            }
        }
    };
    tokio::time::timeout(timeout, wait).await.ok().flatten()
}

fn nonce() -> u32 {
    getrandom::u32().unwrap_or(0x6365_6e73)
}

/// Ask NetBIOS, mDNS and SIP at once.
pub async fn ask(pace: &Pace, ip: IpAddr, timeout: Duration) -> UdpFindings {
    let (nb, md, sp) = tokio::join!(
        ask_netbios(pace, ip, timeout),
        ask_mdns(pace, ip, timeout),
        ask_sip(pace, ip, timeout)
    );
    let mut f = UdpFindings::default();
    if let Some(s) = nb {
        if let Some(n) = s.host_name() {
            f.names.push(Name {
                name: n.to_string(),
                source: "netbios".into(),
            });
        }
        let mut detail: Vec<String> = Vec::new();
        if let Some((kind, g)) = s.workgroup() {
            detail.push(format!("{kind} {g}"));
        }
        if let Some(m) = s.mac {
            detail.push(format!("MAC {m}"));
        }
        f.mac = s.mac;
        f.services.push(Service {
            port: netbios::PORT,
            protocol: "udp".into(),
            name: "netbios".into(),
            product: None,
            detail: (!detail.is_empty()).then(|| detail.join(", ")),
        });
    }
    if let Some(a) = md {
        if let Some(n) = &a.host_name {
            f.names.push(Name {
                name: n.clone(),
                source: "mdns".into(),
            });
        }
        f.services.extend(mdns_services(&a));
    }
    if let Some(r) = sp {
        f.services.push(Service {
            port: sip::PORT,
            protocol: "udp".into(),
            name: "sip".into(),
            product: r.agent,
            detail: Some(format!("OPTIONS answered {}", r.status)),
        });
    }
    f
}

async fn ask_netbios(pace: &Pace, ip: IpAddr, timeout: Duration) -> Option<netbios::NodeStatus> {
    let id = nonce() as u16;
    let query = |_| netbios::query(id);
    let accept = |b: &[u8]| netbios::parse(b, id).is_some();
    let reply = exchange(pace, ip, netbios::PORT, timeout, query, accept).await?;
    netbios::parse(&reply, id)
}

async fn ask_sip(pace: &Pace, ip: IpAddr, timeout: Duration) -> Option<sip::SipReply> {
    let target = match ip {
        IpAddr::V6(v6) => format!("[{v6}]"),
        v4 => v4.to_string(),
    };
    let n = nonce();
    let request = |local: SocketAddr| sip::options(&local.to_string(), &target, n);
    let accept = |b: &[u8]| sip::parse(b).is_some();
    let reply = exchange(pace, ip, sip::PORT, timeout, request, accept).await?;
    sip::parse(&reply)
}

async fn ask_mdns(pace: &Pace, ip: IpAddr, timeout: Duration) -> Option<mdns::Announcements> {
    let mut ann = mdns::Announcements::default();
    let mut asked = HashSet::new();
    let mut questions = mdns::first_questions(ip);
    let mut answered = false;
    for _ in 0..MDNS_ROUNDS {
        if questions.is_empty() {
            break;
        }
        let id = nonce() as u16;
        let q: Vec<(&str, u16)> = questions.iter().map(|(n, t)| (n.as_str(), *t)).collect();
        let query = |_| dnsmsg::query(id, &q);
        let accept = |b: &[u8]| dnsmsg::parse(b).is_ok_and(|m| m.id == id);
        let Some(reply) = exchange(pace, ip, mdns::PORT, timeout, query, accept).await else {
            break;
        };
        let Ok(msg) = dnsmsg::parse(&reply) else {
            break;
        };
        answered = true;
        ann.absorb(&msg, ip);
        asked.extend(questions);
        questions = ann.follow_up(&asked);
    }
    answered.then_some(ann)
}

/// One service per announced instance (product: the announced model;
/// detail: type, instance, port and TXT), one listing types without
/// instances, or a bare one when the host only told its name.
pub fn mdns_services(a: &mdns::Announcements) -> Vec<Service> {
    let svc = |product, detail| Service {
        port: mdns::PORT,
        protocol: "udp".into(),
        name: "mdns".into(),
        product,
        detail,
    };
    let mut out: Vec<Service> = a
        .instances
        .iter()
        .map(|i| {
            let mut d = format!("{} \"{}\"", i.service_type, i.name);
            if let Some(p) = i.port {
                d.push_str(&format!(" port {p}"));
            }
            let txt: Vec<String> = i
                .txt
                .iter()
                .map(|(k, v)| {
                    if v.is_empty() {
                        k.clone()
                    } else {
                        format!("{k}={v}")
                    }
                })
                .collect();
            if !txt.is_empty() {
                d.push_str(&format!("; {}", txt.join("; ")));
            }
            svc(i.model(), Some(d.chars().take(600).collect()))
        })
        .collect();
    let bare: Vec<&str> = a
        .types
        .iter()
        .filter(|t| !a.instances.iter().any(|i| &i.service_type == *t))
        .map(String::as_str)
        .collect();
    if !bare.is_empty() {
        out.push(svc(None, Some(format!("services: {}", bare.join(", ")))));
    }
    if out.is_empty() {
        out.push(svc(None, None));
    }
    out
}
