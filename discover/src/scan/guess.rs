//! A first guess of what a device is, from its open ports, its MAC vendor,
//! what its services said and what it announced over UDP (mDNS service
//! types with the model, the SIP User-Agent, the NetBIOS workgroup) — always with the evidence, because a guess
//! is only a start (SNMP identification and people correct it). The rules
//! are the table below, most specific first.

use census_shared::observation::{DeviceGuess, DeviceKind, ScanObservation, Service};

/// Vendor name fragments (lower case) and the kind of device they make most.
const VENDORS: &[(&str, DeviceKind)] = &[
    ("hewlett packard", DeviceKind::Printer),
    ("brother", DeviceKind::Printer),
    ("canon", DeviceKind::Printer),
    ("ricoh", DeviceKind::Printer),
    ("kyocera", DeviceKind::Printer),
    ("konica", DeviceKind::Printer),
    ("sharp", DeviceKind::Printer),
    ("xerox", DeviceKind::Printer),
    ("lexmark", DeviceKind::Printer),
    ("seiko epson", DeviceKind::Printer),
    ("synology", DeviceKind::Nas),
    ("qnap", DeviceKind::Nas),
    ("western digital", DeviceKind::Nas),
    ("yealink", DeviceKind::Phone),
    ("grandstream", DeviceKind::Phone),
    ("polycom", DeviceKind::Phone),
    ("snom", DeviceKind::Phone),
    ("gigaset", DeviceKind::Phone),
    ("hikvision", DeviceKind::Camera),
    ("dahua", DeviceKind::Camera),
    ("axis communications", DeviceKind::Camera),
    ("ubiquiti", DeviceKind::AccessPoint),
    ("aruba", DeviceKind::AccessPoint),
    ("ruckus", DeviceKind::AccessPoint),
    ("cisco", DeviceKind::SwitchRouter),
    ("netgear", DeviceKind::SwitchRouter),
    ("tp-link", DeviceKind::SwitchRouter),
    ("mikrotik", DeviceKind::SwitchRouter),
    ("routerboard", DeviceKind::SwitchRouter),
    ("juniper", DeviceKind::SwitchRouter),
    ("zyxel", DeviceKind::SwitchRouter),
    ("fortinet", DeviceKind::SwitchRouter),
    ("draytek", DeviceKind::SwitchRouter),
];

/// Words in HTTP titles and server headers.
const BANNERS: &[(&str, DeviceKind)] = &[
    ("laserjet", DeviceKind::Printer),
    ("officejet", DeviceKind::Printer),
    ("printer", DeviceKind::Printer),
    ("web image monitor", DeviceKind::Printer),
    ("bizhub", DeviceKind::Printer),
    ("diskstation", DeviceKind::Nas),
    ("qnap", DeviceKind::Nas),
    ("unifi", DeviceKind::AccessPoint),
    ("routeros", DeviceKind::SwitchRouter),
    ("fortigate", DeviceKind::SwitchRouter),
    ("switch", DeviceKind::SwitchRouter),
    ("router", DeviceKind::SwitchRouter),
    ("ip camera", DeviceKind::Camera),
    ("network camera", DeviceKind::Camera),
];

/// mDNS service types and the kind of device that announces them. (A Mac
/// sharing a printer announces `_ipp._tcp` too: the guess is only a start.)
const ANNOUNCED: &[(&str, DeviceKind)] = &[
    ("_ipp._tcp", DeviceKind::Printer),
    ("_ipps._tcp", DeviceKind::Printer),
    ("_pdl-datastream._tcp", DeviceKind::Printer),
    ("_printer._tcp", DeviceKind::Printer),
    ("_axis-video._tcp", DeviceKind::Camera),
];

/// Words in a SIP User-Agent or Server header that mean a PBX, not a phone.
const PBX: &[&str] = &[
    "asterisk",
    "freeswitch",
    "kamailio",
    "opensips",
    "3cx",
    "pbx",
];

fn udp<'a>(o: &'a ScanObservation, name: &'a str) -> impl Iterator<Item = &'a Service> + 'a {
    o.services
        .iter()
        .filter(move |s| s.protocol == "udp" && s.name == name)
}

/// The first announced type of [`ANNOUNCED`], with the model when given.
fn announced(o: &ScanObservation) -> Option<DeviceGuess> {
    udp(o, "mdns").find_map(|s| {
        let detail = s.detail.as_deref()?;
        let words: Vec<&str> = detail.split([' ', ',']).collect();
        let (t, kind) = ANNOUNCED.iter().find(|(t, _)| words.contains(t))?;
        let model = s.product.as_deref().map(|m| format!(": {m}"));
        Some(DeviceGuess {
            kind: *kind,
            evidence: vec![format!("mDNS announces {t}{}", model.unwrap_or_default())],
        })
    })
}

/// Guess the kind of device behind an observation.
/// What SNMP identification said outranks every port and banner guess.
fn snmp_kind(o: &ScanObservation) -> Option<DeviceGuess> {
    use census_shared::device::DeviceType as T;
    let d = o.snmp.as_ref()?;
    let kind = match d.device_type {
        T::Printer => DeviceKind::Printer,
        T::Switch | T::Router | T::Firewall => DeviceKind::SwitchRouter,
        T::AccessPoint => DeviceKind::AccessPoint,
        T::Nas => DeviceKind::Nas,
        T::Ups => DeviceKind::Ups,
        T::Voip => DeviceKind::Phone,
        T::Camera => DeviceKind::Camera,
        T::Server => DeviceKind::Server,
        T::Workstation if d.os.as_deref().unwrap_or("").contains("Windows") => {
            DeviceKind::WindowsPc
        }
        T::Workstation => DeviceKind::LinuxMac,
        T::Other => return None,
    };
    let mut evidence = vec![format!("SNMP identifies a {}", d.device_type.as_str())];
    evidence.extend(d.evidence.first().cloned());
    Some(DeviceGuess { kind, evidence })
}

pub fn guess(o: &ScanObservation) -> DeviceGuess {
    let open = |p: u16| o.open_tcp.contains(&p);
    let g = |kind, evidence: String| DeviceGuess {
        kind,
        evidence: vec![evidence],
    };
    let text: String = o
        .services
        .iter()
        .flat_map(|s| [s.product.as_deref(), s.detail.as_deref()])
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if let Some(s) = snmp_kind(o) {
        return s;
    }
    if let Some(a) = announced(o) {
        return a;
    }
    if open(9100) {
        return g(DeviceKind::Printer, "port 9100 (raw printing) open".into());
    }
    if let Some((w, k)) = BANNERS.iter().find(|(w, _)| text.contains(w)) {
        return g(*k, format!("service banner mentions {w:?}"));
    }
    let vendor = o.mac_vendor.as_deref().unwrap_or("").to_lowercase();
    if let Some((v, k)) = VENDORS.iter().find(|(v, _)| vendor.contains(v)) {
        // HP makes PCs and servers too: only a printer if it also prints or serves web.
        let printing = open(515) || open(631) || open(80);
        if *k != DeviceKind::Printer || printing || !vendor.contains("hewlett") {
            return g(
                *k,
                format!("MAC vendor {}", o.mac_vendor.as_deref().unwrap_or(v)),
            );
        }
    }
    if open(515) || open(631) {
        return g(DeviceKind::Printer, "LPD/IPP printing port open".into());
    }
    if let Some(sip) = udp(o, "sip").next() {
        let agent = sip.product.as_deref().unwrap_or("");
        let lower = agent.to_lowercase();
        if let Some(w) = PBX.iter().find(|w| lower.contains(*w)) {
            return g(
                DeviceKind::Server,
                format!("SIP agent {agent:?} ({w}: a PBX)"),
            );
        }
        return g(
            DeviceKind::Phone,
            if agent.is_empty() {
                "answers SIP OPTIONS".into()
            } else {
                format!("SIP User-Agent {agent:?}")
            },
        );
    }
    if open(5060) {
        return g(DeviceKind::Phone, "SIP port 5060 open".into());
    }
    if open(554) {
        return g(DeviceKind::Camera, "RTSP port 554 open".into());
    }
    if open(88) && open(389)
        || open(1433)
        || open(3306)
        || open(5432)
        || open(25)
        || open(143)
        || open(993)
    {
        return g(
            DeviceKind::Server,
            "server ports open (directory, database or mail)".into(),
        );
    }
    if open(3389) || (open(135) && open(445)) {
        return g(
            DeviceKind::WindowsPc,
            "Windows ports open (RDP or RPC+SMB)".into(),
        );
    }
    if open(22) || open(548) {
        return g(
            DeviceKind::LinuxMac,
            "SSH or AFP open without Windows ports".into(),
        );
    }
    if open(23) || (open(53) && open(80)) {
        return g(
            DeviceKind::SwitchRouter,
            "telnet or DNS+web management open".into(),
        );
    }
    if let Some(wg) = udp(o, "netbios").find_map(|s| {
        s.detail
            .as_deref()
            .filter(|d| d.starts_with("workgroup") || d.starts_with("domain"))
    }) {
        let wg = wg.split(',').next().unwrap_or(wg);
        return g(
            DeviceKind::WindowsPc,
            format!("NetBIOS name in {wg}, nothing stronger"),
        );
    }
    DeviceGuess::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(ports: &[u16], vendor: Option<&str>, banner: Option<&str>) -> ScanObservation {
        ScanObservation {
            ip: "192.0.2.1".parse().unwrap(),
            mac: None,
            mac_vendor: vendor.map(String::from),
            mac_local: false,
            names: vec![],
            found_by: vec![],
            rtt_ms: None,
            open_tcp: ports.to_vec(),
            services: banner
                .map(|b| {
                    vec![Service {
                        port: 80,
                        protocol: "tcp".into(),
                        name: "http".into(),
                        product: None,
                        detail: Some(b.into()),
                    }]
                })
                .unwrap_or_default(),
            guess: DeviceGuess::default(),
            seen_at: chrono::Utc::now(),
            snmp: None,
            site: None,
            scanner: None,
        }
    }

    #[test]
    fn rules() {
        assert_eq!(
            guess(&obs(&[80, 9100], None, None)).kind,
            DeviceKind::Printer
        );
        assert_eq!(
            guess(&obs(&[5000, 5001], Some("Synology Incorporated"), None)).kind,
            DeviceKind::Nas
        );
        assert_eq!(
            guess(&obs(&[80], None, Some("Synology DiskStation"))).kind,
            DeviceKind::Nas
        );
        assert_eq!(guess(&obs(&[5060], None, None)).kind, DeviceKind::Phone);
        assert_eq!(
            guess(&obs(&[135, 139, 445], None, None)).kind,
            DeviceKind::WindowsPc
        );
        assert_eq!(guess(&obs(&[22], None, None)).kind, DeviceKind::LinuxMac);
        assert_eq!(
            guess(&obs(&[22, 5432], None, None)).kind,
            DeviceKind::Server
        );
        assert_eq!(guess(&obs(&[554], None, None)).kind, DeviceKind::Camera);
        assert_eq!(
            guess(&obs(&[22, 3389], Some("Hewlett Packard"), None)).kind,
            DeviceKind::WindowsPc
        );
        assert_eq!(guess(&obs(&[], None, None)).kind, DeviceKind::Unknown);
        let g = guess(&obs(&[80, 9100], None, None));
        assert!(g.evidence[0].contains("9100"));
    }

    fn with_udp(
        mut o: ScanObservation,
        name: &str,
        product: Option<&str>,
        detail: &str,
    ) -> ScanObservation {
        o.services.push(Service {
            port: 1,
            protocol: "udp".into(),
            name: name.into(),
            product: product.map(String::from),
            detail: Some(detail.into()),
        });
        o
    }

    #[test]
    fn udp_announcements() {
        let printer = with_udp(
            obs(&[80, 9100], None, None),
            "mdns",
            Some("Brother HL-L2350DW series"),
            "_ipp._tcp \"Brother HL-L2350DW series\" port 631; ty=Brother HL-L2350DW series",
        );
        let g = guess(&printer);
        assert_eq!(g.kind, DeviceKind::Printer);
        assert_eq!(
            g.evidence,
            ["mDNS announces _ipp._tcp: Brother HL-L2350DW series"]
        );
        let other = with_udp(
            obs(&[22], None, None),
            "mdns",
            None,
            "services: _ssh._tcp, _sftp-ssh._tcp",
        );
        assert_eq!(guess(&other).kind, DeviceKind::LinuxMac);
        let phone = with_udp(
            obs(&[], None, None),
            "sip",
            Some("Yealink SIP-T46U"),
            "OPTIONS answered 200",
        );
        let g = guess(&phone);
        assert_eq!(
            (g.kind, g.evidence[0].contains("Yealink")),
            (DeviceKind::Phone, true)
        );
        let pbx = with_udp(
            obs(&[], None, None),
            "sip",
            Some("Asterisk PBX 20.5"),
            "OPTIONS answered 404",
        );
        assert_eq!(guess(&pbx).kind, DeviceKind::Server);
        let pc = with_udp(
            obs(&[], None, None),
            "netbios",
            None,
            "workgroup LAB, MAC 00:11:22:33:44:55",
        );
        let g = guess(&pc);
        assert_eq!(
            (g.kind, g.evidence[0].as_str()),
            (
                DeviceKind::WindowsPc,
                "NetBIOS name in workgroup LAB, nothing stronger"
            )
        );
        // Something stronger wins: SSH without Windows ports.
        let samba = with_udp(obs(&[22], None, None), "netbios", None, "workgroup LAB");
        assert_eq!(guess(&samba).kind, DeviceKind::LinuxMac);
    }
}
