//! What a host announces over mDNS/DNS-SD (RFC 6762, RFC 6763), asked by
//! unicast queries to its UDP 5353 from an ordinary port ("legacy unicast",
//! RFC 6762 §6.7, answered directly to us): the service-type enumeration,
//! the printer types (`_ipp._tcp`, `_ipps._tcp`, `_pdl-datastream._tcp`,
//! `_printer._tcp`), and the host's reverse-address name. [`Announcements`]
//! collects the answers — service types, instances, their ports and TXT
//! records, where printers put their model (`ty=`, `product=`, `usb_MDL=`)
//! — and says which follow-up questions are worth a second round. All
//! collections are bounded; the wire format is [`dnsmsg`]. Hosts that only
//! answer by multicast are not seen: this module never joins the group.

use super::dnsmsg::{self, Message, RData};
use std::collections::{BTreeSet, HashSet};
use std::net::IpAddr;

/// The mDNS port.
pub const PORT: u16 = 5353;
/// The DNS-SD service-type enumeration name (RFC 6763 §9).
pub const ENUMERATION: &str = "_services._dns-sd._udp.local";
/// Service types asked for directly: the ones printers announce.
pub const PRINTER_TYPES: &[&str] = &[
    "_ipp._tcp",
    "_ipps._tcp",
    "_pdl-datastream._tcp",
    "_printer._tcp",
];
/// Most service types, instances, and TXT pairs per instance kept.
const MAX_TYPES: usize = 32;
const MAX_INSTANCES: usize = 32;
const MAX_TXT: usize = 48;
/// Most follow-up questions in one round.
const MAX_QUESTIONS: usize = 16;

/// One announced service instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    /// `_ipp._tcp`
    pub service_type: String,
    /// `Brother HL-L2350DW series`
    pub name: String,
    pub port: Option<u16>,
    /// TXT `key=value` pairs, in order (a key without `=` has an empty value).
    pub txt: Vec<(String, String)>,
    /// Whether a TXT record was seen at all.
    pub txt_seen: bool,
}

impl Instance {
    fn full_name(&self) -> String {
        format!("{}.{}.local", self.name, self.service_type)
    }

    /// The model a printer announces: `ty`, else `product` without its
    /// parentheses, else `usb_MFG usb_MDL`.
    pub fn model(&self) -> Option<String> {
        let get = |k: &str| {
            self.txt
                .iter()
                .find(|(key, v)| key.eq_ignore_ascii_case(k) && !v.trim().is_empty())
                .map(|(_, v)| v.trim().to_string())
        };
        get("ty")
            .or_else(|| get("product").map(|p| p.trim_matches(['(', ')']).trim().to_string()))
            .or_else(|| match (get("usb_MFG"), get("usb_MDL")) {
                (Some(f), Some(m)) => Some(format!("{f} {m}")),
                (None, Some(m)) => Some(m),
                _ => None,
            })
            .filter(|m| !m.is_empty())
    }
}

/// What one host announced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Announcements {
    /// Its `.local` name (reverse-address PTR, else an SRV target or A owner).
    pub host_name: Option<String>,
    /// Service types (`_ipp._tcp`), from the enumeration and from answers.
    pub types: BTreeSet<String>,
    pub instances: Vec<Instance>,
}

/// `d.c.b.a.in-addr.arpa` (or the IPv6 nibble form).
pub fn reverse_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0])
        }
        IpAddr::V6(v6) => {
            let mut s = String::new();
            for b in v6.octets().iter().rev() {
                s.push_str(&format!("{:x}.{:x}.", b & 0x0f, b >> 4));
            }
            s + "ip6.arpa"
        }
    }
}

/// The first round: enumeration, printer types, the reverse name.
pub fn first_questions(ip: IpAddr) -> Vec<(String, u16)> {
    let mut q = vec![(ENUMERATION.to_string(), dnsmsg::PTR)];
    q.extend(
        PRINTER_TYPES
            .iter()
            .map(|t| (format!("{t}.local"), dnsmsg::PTR)),
    );
    q.push((reverse_name(ip), dnsmsg::PTR));
    q
}

/// `"_ipp._tcp"` when `name` is `_ipp._tcp.local`.
fn service_type(name: &str) -> Option<&str> {
    let t = strip_suffix_ci(name, ".local")?;
    let (svc, proto) = t.rsplit_once('.')?;
    (svc.starts_with('_')
        && (proto.eq_ignore_ascii_case("_tcp") || proto.eq_ignore_ascii_case("_udp")))
    .then_some(t)
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    (s.is_char_boundary(cut) && s[cut..].eq_ignore_ascii_case(suffix)).then(|| &s[..cut])
}

impl Announcements {
    /// Take what a reply says about the host at `ip`.
    pub fn absorb(&mut self, msg: &Message, ip: IpAddr) {
        let reverse = reverse_name(ip);
        let mut fallback_name = None;
        for r in &msg.records {
            match &r.data {
                RData::Ptr(target) if r.name.eq_ignore_ascii_case(&reverse) => {
                    self.host_name = Some(target.clone());
                }
                RData::Ptr(target) if r.name.eq_ignore_ascii_case(ENUMERATION) => {
                    if let Some(t) = service_type(target) {
                        self.add_type(t);
                    }
                }
                RData::Ptr(target) => {
                    let Some(t) = service_type(&r.name) else {
                        continue;
                    };
                    let Some(name) = strip_suffix_ci(target, &format!(".{}", r.name)) else {
                        continue;
                    };
                    self.add_type(t);
                    self.instance(t, name);
                }
                RData::Txt(strings) => {
                    if let Some(i) = self.find(&r.name) {
                        i.txt_seen = true;
                        if i.txt.is_empty() {
                            i.txt = strings
                                .iter()
                                .take(MAX_TXT)
                                .map(|s| {
                                    let s = String::from_utf8_lossy(s);
                                    let (k, v) = s.split_once('=').unwrap_or((&s, ""));
                                    (clean(k), clean(v))
                                })
                                .collect();
                        }
                    }
                }
                RData::Srv { port, target } => {
                    if let Some(i) = self.find(&r.name) {
                        i.port = Some(*port);
                        fallback_name.get_or_insert(target.clone());
                    }
                }
                RData::A(a) if IpAddr::V4(*a) == ip => {
                    fallback_name.get_or_insert(r.name.clone());
                }
                _ => {}
            }
        }
        if self.host_name.is_none() {
            self.host_name = fallback_name.filter(|n| !n.is_empty());
        }
    }

    fn add_type(&mut self, t: &str) {
        if self.types.len() < MAX_TYPES {
            self.types.insert(t.to_string());
        }
    }

    fn instance(&mut self, t: &str, name: &str) {
        let known = self
            .instances
            .iter()
            .any(|i| i.service_type.eq_ignore_ascii_case(t) && i.name.eq_ignore_ascii_case(name));
        if !known && self.instances.len() < MAX_INSTANCES {
            self.instances.push(Instance {
                service_type: t.to_string(),
                name: name.to_string(),
                port: None,
                txt: Vec::new(),
                txt_seen: false,
            });
        }
    }

    fn find(&mut self, full: &str) -> Option<&mut Instance> {
        self.instances
            .iter_mut()
            .find(|i| i.full_name().eq_ignore_ascii_case(full))
    }

    /// Questions worth another round: instances of enumerated types not
    /// asked yet, TXT and SRV of instances whose TXT was not given.
    pub fn follow_up(&self, asked: &HashSet<(String, u16)>) -> Vec<(String, u16)> {
        let types = self
            .types
            .iter()
            .map(|t| (format!("{t}.local"), dnsmsg::PTR));
        let details = self
            .instances
            .iter()
            .filter(|i| !i.txt_seen)
            .flat_map(|i| [(i.full_name(), dnsmsg::TXT), (i.full_name(), dnsmsg::SRV)]);
        types
            .chain(details)
            .filter(|q| !asked.contains(q))
            .take(MAX_QUESTIONS)
            .collect()
    }
}

/// Printable, one line, at most 200 characters.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .chars()
        .take(200)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::dnsmsg::Record;

    fn rec(name: &str, data: RData) -> Record {
        Record {
            name: name.into(),
            rtype: 0,
            data,
        }
    }

    #[test]
    fn a_printer_announcement() {
        let ip: IpAddr = "192.0.2.10".parse().unwrap();
        let mut a = Announcements::default();
        let msg = Message {
            id: 1,
            records: vec![
                rec(ENUMERATION, RData::Ptr("_ipp._tcp.local".into())),
                rec(ENUMERATION, RData::Ptr("_http._tcp.local".into())),
                rec(
                    "_ipp._tcp.local",
                    RData::Ptr("Brother HL-L2350DW series._ipp._tcp.local".into()),
                ),
                rec(
                    "10.2.0.192.in-addr.arpa",
                    RData::Ptr("brn1234.local".into()),
                ),
                rec(
                    "Brother HL-L2350DW series._ipp._tcp.local",
                    RData::Srv {
                        port: 631,
                        target: "brn1234.local".into(),
                    },
                ),
            ],
        };
        a.absorb(&msg, ip);
        assert_eq!(a.host_name.as_deref(), Some("brn1234.local"));
        assert_eq!(a.types.len(), 2);
        assert_eq!(a.instances[0].port, Some(631));
        let mut asked: HashSet<_> = first_questions(ip).into_iter().collect();
        let next = a.follow_up(&asked);
        assert!(next.contains(&("_http._tcp.local".into(), dnsmsg::PTR)));
        assert!(next.contains(&(
            "Brother HL-L2350DW series._ipp._tcp.local".into(),
            dnsmsg::TXT
        )));
        asked.extend(next);
        a.absorb(
            &Message {
                id: 2,
                records: vec![rec(
                    "brother hl-l2350dw series._ipp._tcp.local",
                    RData::Txt(vec![
                        b"txtvers=1".to_vec(),
                        b"product=(Brother HL-L2350DW series)".to_vec(),
                        b"usb_MDL=HL-L2350DW".to_vec(),
                    ]),
                )],
            },
            ip,
        );
        assert_eq!(
            a.instances[0].model().as_deref(),
            Some("Brother HL-L2350DW series")
        );
        assert!(a.follow_up(&asked).is_empty());
    }

    #[test]
    fn models_and_bounds() {
        let mut i = Instance {
            service_type: "_pdl-datastream._tcp".into(),
            name: "x".into(),
            port: None,
            txt: vec![
                ("usb_MFG".into(), "HP".into()),
                ("usb_MDL".into(), "LaserJet M130".into()),
            ],
            txt_seen: true,
        };
        assert_eq!(i.model().as_deref(), Some("HP LaserJet M130"));
        i.txt
            .insert(0, ("ty".into(), "HP LaserJet MFP M130nw".into()));
        assert_eq!(i.model().as_deref(), Some("HP LaserJet MFP M130nw"));
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let mut a = Announcements::default();
        let records = (0..1000)
            .map(|n| rec("_x._tcp.local", RData::Ptr(format!("i{n}._x._tcp.local"))))
            .collect();
        a.absorb(&Message { id: 0, records }, ip);
        assert_eq!(a.instances.len(), MAX_INSTANCES);
        assert!(a.follow_up(&HashSet::new()).len() <= MAX_QUESTIONS);
        assert_eq!(service_type("é"), None);
        assert_eq!(reverse_name("::1".parse().unwrap()).len(), 72);
    }

    /// Random records (names, pointers, TXT) through the parser and into
    /// the announcements: never a panic, always within the bounds.
    #[test]
    fn garbage_never_panics() {
        let ip: IpAddr = "192.0.2.10".parse().unwrap();
        let mut x: u32 = 11;
        let mut next = || {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (x >> 24) as u8
        };
        let pieces: [&[u8]; 6] = [
            b"\x04_ipp\x04_tcp\x05local\x00",
            b"\x09_services\x07_dns-sd\x04_udp\x05local\x00",
            b"\x00\x0c\x00\x01\x00\x00\x00\x0a\x00\x05",
            b"\x00\x10\x00\x01\x00\x00\x00\x0a\x00\x07\x06ty=abc",
            b"\xc0\x0c",
            b"\x03x=y",
        ];
        let mut a = Announcements::default();
        for _ in 0..3000 {
            let mut m = vec![0, 1, 0x84, 0, 0, 0, 0, next() % 8, 0, 0, 0, next() % 4];
            for _ in 0..next() % 12 {
                match next() % 8 {
                    k @ 0..6 => m.extend_from_slice(pieces[k as usize]),
                    _ => m.push(next()),
                }
            }
            if let Ok(msg) = dnsmsg::parse(&m) {
                a.absorb(&msg, ip);
                let _ = a.follow_up(&HashSet::new());
                let _ = a.instances.iter().map(Instance::model).count();
            }
        }
        assert!(a.instances.len() <= MAX_INSTANCES && a.types.len() <= MAX_TYPES);
    }
}
