//! `census-lab-udp mdns HOST TYPE INSTANCE PORT [KEY=VALUE...]` and
//! `census-lab-udp sip USER-AGENT`: UDP services of a lab device inside a
//! test namespace, written from the RFCs for the scanner's tests (no
//! Debian package runs an mDNS responder without dbus, or answers SIP
//! OPTIONS headless, as simply).
//!
//! mDNS (RFC 6762, 6763): answers unicast ("legacy unicast", §6.7)
//! queries on UDP 5353 for the service enumeration, the announced type
//! (and `_http._tcp`, which every such printer also has), the instance's
//! SRV and TXT, the host's A and reverse-address PTR, with the instance's
//! SRV/TXT/A as additional records, names compressed. SIP (RFC 3261):
//! answers OPTIONS on UDP 5060 with 200 OK and the given User-Agent. Runs
//! until killed; never sends to anyone who did not ask.

use std::collections::HashMap;
use std::net::{Ipv4Addr, UdpSocket};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("mdns") if args.len() >= 5 => mdns(&args[1..]),
        Some("sip") if args.len() == 2 => sip(&args[1]),
        _ => panic!("usage: census-lab-udp mdns HOST TYPE INSTANCE PORT [K=V...] | sip USER-AGENT"),
    }
}

/// Builds a DNS message with name compression.
struct Writer {
    buf: Vec<u8>,
    names: HashMap<String, u16>,
}

impl Writer {
    fn name(&mut self, name: &str) {
        let labels: Vec<&str> = name.split('.').filter(|l| !l.is_empty()).collect();
        for i in 0..labels.len() {
            let suffix = labels[i..].join(".").to_ascii_lowercase();
            if let Some(&at) = self.names.get(&suffix) {
                self.buf.extend_from_slice(&(0xc000 | at).to_be_bytes());
                return;
            }
            if self.buf.len() < 0x3fff {
                self.names.insert(suffix, self.buf.len() as u16);
            }
            self.buf.push(labels[i].len() as u8);
            self.buf.extend_from_slice(labels[i].as_bytes());
        }
        self.buf.push(0);
    }

    fn record(&mut self, name: &str, rtype: u16, rdata: impl FnOnce(&mut Writer)) {
        self.name(name);
        self.buf.extend_from_slice(&rtype.to_be_bytes());
        // Class IN; TTL 10 s as §6.7 asks for legacy unicast answers.
        self.buf.extend_from_slice(&[0, 1, 0, 0, 0, 10, 0, 0]);
        let len_at = self.buf.len() - 2;
        rdata(self);
        let len = (self.buf.len() - len_at - 2) as u16;
        self.buf[len_at..len_at + 2].copy_from_slice(&len.to_be_bytes());
    }
}

/// `(name, type)` of each question of a query; None when malformed.
fn questions(q: &[u8]) -> Option<Vec<(String, u16)>> {
    if q.len() < 12 || q[2] & 0x80 != 0 {
        return None;
    }
    let count = u16::from_be_bytes([q[4], q[5]]);
    let mut pos = 12;
    let mut out = Vec::new();
    for _ in 0..count.min(32) {
        let mut labels = Vec::new();
        loop {
            let len = *q.get(pos)? as usize;
            pos += 1;
            if len == 0 {
                break;
            }
            if len > 63 {
                return None; // queries we get are not compressed
            }
            labels.push(String::from_utf8_lossy(q.get(pos..pos + len)?).into_owned());
            pos += len;
        }
        let qtype = u16::from_be_bytes([*q.get(pos)?, *q.get(pos + 1)?]);
        pos += 4;
        out.push((labels.join("."), qtype));
    }
    Some(out)
}

fn mdns(args: &[String]) {
    let (host, stype, instance) = (&args[0], &args[1], &args[2]);
    let port: u16 = args[3].parse().expect("PORT");
    let txt: Vec<&String> = args[4..].iter().collect();
    let sock = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 5353)).expect("bind UDP 5353");
    let full = format!("{instance}.{stype}.local");
    let host_local = format!("{host}.local");
    let mut buf = [0u8; 9000];
    loop {
        let Ok((n, from)) = sock.recv_from(&mut buf) else {
            continue;
        };
        let Some(qs) = questions(&buf[..n]) else {
            continue;
        };
        let std::net::IpAddr::V4(me) = local_address(&sock, from) else {
            continue;
        };
        let o = me.octets();
        let reverse = format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0]);
        let mut w = Writer {
            buf: Vec::new(),
            names: HashMap::new(),
        };
        w.buf.extend_from_slice(&buf[..2]);
        w.buf.extend_from_slice(&[0x84, 0x00]);
        w.buf.extend_from_slice(&(qs.len() as u16).to_be_bytes());
        w.buf.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        for (name, t) in &qs {
            w.name(name);
            w.buf.extend_from_slice(&t.to_be_bytes());
            w.buf.extend_from_slice(&[0, 1]);
        }
        let (mut answers, mut additional) = (0u16, 0u16);
        let srv = |w: &mut Writer| {
            w.buf.extend_from_slice(&[0, 0, 0, 0]);
            w.buf.extend_from_slice(&port.to_be_bytes());
            w.name(&host_local);
        };
        let txt_data = |w: &mut Writer| {
            for kv in &txt {
                w.buf.push(kv.len().min(255) as u8);
                w.buf.extend_from_slice(&kv.as_bytes()[..kv.len().min(255)]);
            }
        };
        let mut with_details = false;
        for (name, t) in &qs {
            let is = |s: &str| name.eq_ignore_ascii_case(s);
            match *t {
                12 if is("_services._dns-sd._udp.local") => {
                    for s in [stype.as_str(), "_http._tcp"] {
                        w.record(name, 12, |w| w.name(&format!("{s}.local")));
                        answers += 1;
                    }
                }
                12 if is(&format!("{stype}.local")) => {
                    w.record(name, 12, |w| w.name(&full));
                    answers += 1;
                    with_details = true;
                }
                12 if is("_http._tcp.local") => {
                    w.record(name, 12, |w| {
                        w.name(&format!("{instance}._http._tcp.local"))
                    });
                    answers += 1;
                }
                12 if is(&reverse) => {
                    w.record(name, 12, |w| w.name(&host_local));
                    answers += 1;
                }
                33 if is(&full) => {
                    w.record(name, 33, srv);
                    answers += 1;
                }
                16 if is(&full) => {
                    w.record(name, 16, txt_data);
                    answers += 1;
                }
                1 if is(&host_local) => {
                    w.record(name, 1, |w| w.buf.extend_from_slice(&o));
                    answers += 1;
                }
                _ => {}
            }
        }
        if answers == 0 {
            continue; // mDNS responders stay silent when they know nothing
        }
        if with_details {
            w.record(&full, 33, srv);
            w.record(&full, 16, txt_data);
            w.record(&host_local, 1, |w| w.buf.extend_from_slice(&o));
            additional += 3;
        }
        w.buf[6..8].copy_from_slice(&answers.to_be_bytes());
        w.buf[10..12].copy_from_slice(&additional.to_be_bytes());
        let _ = sock.send_to(&w.buf, from);
    }
}

/// The address a reply to `peer` leaves from.
fn local_address(sock: &UdpSocket, peer: std::net::SocketAddr) -> std::net::IpAddr {
    let probe = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).and_then(|s| {
        s.connect(peer)?;
        s.local_addr()
    });
    probe
        .or_else(|_| sock.local_addr())
        .map(|a| a.ip())
        .unwrap_or(Ipv4Addr::UNSPECIFIED.into())
}

fn sip(agent: &str) {
    let sock = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 5060)).expect("bind UDP 5060");
    let mut buf = [0u8; 4096];
    loop {
        let Ok((n, from)) = sock.recv_from(&mut buf) else {
            continue;
        };
        let req = String::from_utf8_lossy(&buf[..n]);
        if !req.starts_with("OPTIONS ") {
            continue;
        }
        let mut reply = String::from("SIP/2.0 200 OK\r\n");
        for line in req.split("\r\n").take_while(|l| !l.is_empty()).skip(1) {
            let key = line
                .split(':')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            match key.as_str() {
                "via" | "from" | "call-id" | "cseq" => reply.push_str(&format!("{line}\r\n")),
                "to" => reply.push_str(&format!("{line};tag=lab{}\r\n", n)),
                _ => {}
            }
        }
        reply.push_str(&format!(
            "User-Agent: {agent}\r\nAllow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, NOTIFY\r\nAccept: application/sdp\r\nContent-Length: 0\r\n\r\n"
        ));
        let _ = sock.send_to(reply.as_bytes(), from);
    }
}
