//! A first guess of what a device is, from its open ports, its MAC vendor
//! and what its services said — always with the evidence, because a guess
//! is only a start (SNMP identification and people correct it). The rules
//! are the table below, most specific first.

use census_shared::observation::{DeviceGuess, DeviceKind, ScanObservation};

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

/// Guess the kind of device behind an observation.
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
    DeviceGuess::default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use census_shared::observation::Service;

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
}
