//! The standard lab office: 20 devices on one /24 — a printer announcing
//! itself over mDNS, a NAS, a Windows PC and a portless device running
//! nmbd, a server, a phone and a portless device answering SIP, a camera, a
//! router with SNMP, hosts with no open port, two that drop all IP traffic
//! and three that ignore ping. Only the description: `Lab::build` runs it.

use super::LabHost;

/// A device with TCP listeners on `ports` and nothing else.
pub fn host(octet: u8, mac: &str, ports: &[u16], title: &str, server: &str) -> LabHost {
    LabHost {
        octet,
        mac: mac.into(),
        ports: ports.to_vec(),
        title: title.into(),
        server: server.into(),
        silent: false,
        ignore_icmp: false,
        snmp: None,
        netbios: None,
        mdns: Vec::new(),
        sip: None,
    }
}

/// The model the printer announces.
pub const PRINTER_MODEL: &str = "Brother HL-L2350DW series";

/// The printer's mDNS announcement (as `census-lab-udp mdns` takes it).
pub fn printer_mdns() -> Vec<String> {
    [
        "brn-lab10",
        "_ipp._tcp",
        PRINTER_MODEL,
        "631",
        "txtvers=1",
        "ty=Brother HL-L2350DW series",
        "product=(Brother HL-L2350DW series)",
        "pdl=application/pdf,image/urf",
        "rp=ipp/print",
    ]
    .map(String::from)
    .to_vec()
}

/// The office's devices, octets 10 to 29.
pub fn office() -> Vec<LabHost> {
    let mut h = vec![
        host(
            10,
            "00:1b:a9:00:00:10",
            &[80, 515, 631, 9100],
            "Brother HL-L2350DW series",
            "debut/1.30",
        ),
        host(
            11,
            "00:11:32:00:00:11",
            &[22, 139, 445, 5000, 5001],
            "Synology DiskStation",
            "nginx",
        ),
        host(12, "3c:7c:3f:00:00:12", &[135, 139, 445, 3389], "", ""),
        host(
            13,
            "02:00:00:00:00:13",
            &[22, 80, 5432],
            "Intranet",
            "Apache/2.4.62 (Debian)",
        ),
        host(
            14,
            "80:5e:c0:00:00:14",
            &[80, 5060],
            "Yealink T46U",
            "yealink embed httpd",
        ),
        host(15, "02:00:00:00:00:15", &[80, 554], "IP Camera", "Boa/0.94"),
        host(
            16,
            "4c:5e:0c:00:00:16",
            &[23, 53, 80],
            "RouterOS router configuration page",
            "MikroTik",
        ),
    ];
    // Three hosts with no open port (they answer with resets), and two
    // firewalled ones that drop everything: only layer 2 shows those.
    for o in 17..=21 {
        let mut x = host(o, &format!("02:00:00:00:01:{o:02x}"), &[], "", "");
        x.silent = o >= 20;
        h.push(x);
    }
    // Eight hosts with one service each; three of them ignore ping.
    for (o, p) in (22..=29).zip([8080u16, 3306, 21, 25, 110, 143, 993, 8443]) {
        let mut x = host(
            o,
            &format!("02:00:00:00:02:{o:02x}"),
            &[p],
            "Service",
            "lab",
        );
        x.ignore_icmp = o >= 27;
        h.push(x);
    }
    // The router speaks SNMP (net-snmp's snmpd).
    h[6].snmp = Some(("lab-router".into(), "RouterOS RB750Gr3".into()));
    // UDP services: the printer announces itself over mDNS, the phone and a
    // portless device answer SIP, the Windows PC and a portless device run
    // samba's nmbd.
    h[0].mdns = printer_mdns();
    h[4].sip = Some("Yealink SIP-T46U 108.86.0.20".into());
    h[2].netbios = Some(("ACCT-PC12".into(), "LABGROUP".into()));
    let at = |o: u8| o as usize - 10;
    h[at(18)].sip = Some("Grandstream GXP2170 1.0.11.23".into());
    h[at(19)].netbios = Some(("LAB-PC19".into(), "LABGROUP".into()));
    h
}
