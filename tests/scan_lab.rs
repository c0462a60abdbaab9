//! The scanner against a LAN of 20 devices in network namespaces
//! (198.51.100.0/24, reachable only from the lab's scanner namespace):
//! recall and precision of hosts, MACs and vendors, open ports, banners and
//! first type guesses, and of what the UDP probes learn (nmbd's NetBIOS
//! names, an mDNS printer announcement, SIP User-Agents). Hosts without any
//! open port are found through the neighbour table. Needs root; the lab is
//! torn down even on failure.

use census_tests::lab::Lab;
use census_tests::lab::office::{PRINTER_MODEL, office as lab_hosts};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const NET: &str = "198.51.100";

#[test]
fn scan_finds_every_lab_device_and_nothing_else() {
    let hosts = lab_hosts();
    let listener = census_tests::workspace_bin("census-lab-listener");
    let lab = Lab::build(
        NET,
        &hosts,
        &listener,
        &[(10, "printer.lab.example"), (11, "nas.lab.example")],
    );
    let data = tempfile::tempdir().unwrap();
    let out = lab
        .in_scanner(&census_tests::bin("census-collector"))
        .args(["--data-dir", data.path().to_str().unwrap()])
        .args([
            "scan",
            &format!("{NET}.0/24"),
            "--json",
            "--timeout",
            "500",
            "--save",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let by_ip: BTreeMap<String, &Value> = found
        .iter()
        .map(|o| (o["ip"].as_str().unwrap().to_string(), o))
        .collect();

    // Recall and precision of hosts: exactly the lab's 20 devices, its DNS
    // server, and the scanner itself (.1), as nmap reports its own host too.
    let mut want: BTreeSet<String> = hosts.iter().map(|h| format!("{NET}.{}", h.octet)).collect();
    want.insert(format!("{NET}.1"));
    want.insert(format!("{NET}.2")); // the lab's DNS server
    let got: BTreeSet<String> = by_ip.keys().cloned().collect();
    assert_eq!(got, want, "hosts found vs present");

    for h in &hosts {
        let o = by_ip[&format!("{NET}.{}", h.octet)];
        // MACs: every device shares the scanner's link.
        assert_eq!(
            o["mac"].as_str(),
            Some(h.mac.as_str()),
            "MAC of .{}",
            h.octet
        );
        // Open ports: exactly the listeners (all are in the default list).
        let open: Vec<u16> = o["open_tcp"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_u64().unwrap() as u16)
            .collect();
        let mut want_ports = h.ports.clone();
        want_ports.sort();
        assert_eq!(open, want_ports, "open ports of .{}", h.octet);
        // As root the whole on-link range is settled by ARP.
        let udp = h.snmp.is_some() || h.netbios.is_some() || h.sip.is_some() || !h.mdns.is_empty();
        let mut how = vec!["arp"];
        if !h.silent {
            if !h.ports.is_empty() {
                how.push("tcp_open");
            }
            how.push("tcp_reset");
            if udp {
                how.push("udp");
            }
        }
        assert_eq!(
            o["found_by"],
            serde_json::json!(how),
            "how .{} was found",
            h.octet
        );
        // UDP services: exactly the responders each host runs.
        let got: BTreeSet<&str> = o["services"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["protocol"] == "udp")
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        let mut want = BTreeSet::new();
        for (on, name) in [
            (h.snmp.is_some(), "snmp"),
            (h.netbios.is_some(), "netbios"),
            (!h.mdns.is_empty(), "mdns"),
            (h.sip.is_some(), "sip"),
        ] {
            if on {
                want.insert(name);
            }
        }
        assert_eq!(got, want, "UDP services of .{}", h.octet);
        // Names from NetBIOS and mDNS: exactly where they were announced.
        let sources: Vec<&str> = o["names"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["source"].as_str().unwrap())
            .collect();
        assert_eq!(
            sources.contains(&"netbios"),
            h.netbios.is_some(),
            "NetBIOS name of .{}",
            h.octet
        );
        assert_eq!(
            sources.contains(&"mdns"),
            !h.mdns.is_empty(),
            "mDNS name of .{}",
            h.octet
        );
    }

    let kind = |octet: u8| {
        by_ip[&format!("{NET}.{octet}")]["guess"]["kind"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(kind(10), "printer");
    assert_eq!(kind(11), "nas");
    assert_eq!(kind(12), "windows_pc");
    assert_eq!(kind(13), "server");
    assert_eq!(kind(14), "phone");
    assert_eq!(kind(15), "camera");
    assert_eq!(kind(16), "switch_router");
    assert_eq!(kind(17), "unknown");
    assert_eq!(kind(18), "phone", "by its SIP User-Agent alone");
    assert_eq!(kind(19), "windows_pc", "by its NetBIOS workgroup alone");
    let why = |octet: u8| by_ip[&format!("{NET}.{octet}")]["guess"]["evidence"].clone();
    assert_eq!(
        why(10),
        serde_json::json!([format!("mDNS announces _ipp._tcp: {PRINTER_MODEL}")])
    );
    assert_eq!(
        why(18),
        serde_json::json!(["SIP User-Agent \"Grandstream GXP2170 1.0.11.23\""])
    );
    assert_eq!(
        why(19),
        serde_json::json!(["NetBIOS name in workgroup LABGROUP, nothing stronger"])
    );

    // Vendors from the IEEE registry, and banners.
    let o = by_ip[&format!("{NET}.10")];
    assert!(
        o["mac_vendor"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("brother"),
        "{o}"
    );
    let http = o["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["port"] == 80)
        .expect("http service");
    assert_eq!(http["detail"], "Brother HL-L2350DW series");
    let o = by_ip[&format!("{NET}.11")];
    assert!(
        o["mac_vendor"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("synology"),
        "{o}"
    );
    let ssh = o["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["port"] == 22)
        .expect("ssh service");
    assert_eq!(ssh["product"], "OpenSSH_9.2p1 Debian-2+deb12u3");
    assert_eq!(by_ip[&format!("{NET}.13")]["mac_local"], true);
    // Names by reverse DNS from the lab's DNS server.
    let name = |octet: u8| by_ip[&format!("{NET}.{octet}")]["names"].clone();
    assert_eq!(
        name(10),
        serde_json::json!([
            {"name": "brn-lab10.local", "source": "mdns"},
            {"name": "printer.lab.example", "source": "dns"}
        ])
    );
    assert_eq!(
        name(11),
        serde_json::json!([{"name": "nas.lab.example", "source": "dns"}])
    );
    assert_eq!(
        name(12),
        serde_json::json!([{"name": "ACCT-PC12", "source": "netbios"}])
    );
    assert_eq!(name(13), serde_json::json!([]));
    // What the UDP services said: nmbd's workgroup (nmbd reports no MAC,
    // so the ARP one stands), the printer's model and TXT, SIP agents.
    let service = |octet: u8, name: &str| -> Vec<Value> {
        by_ip[&format!("{NET}.{octet}")]["services"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["name"] == name)
            .cloned()
            .collect()
    };
    let nb = &service(12, "netbios")[0];
    assert_eq!(
        (nb["port"].as_u64(), nb["detail"].as_str()),
        (Some(137), Some("workgroup LABGROUP"))
    );
    let ipp = service(10, "mdns")
        .into_iter()
        .find(|s| s["detail"].as_str().unwrap().starts_with("_ipp._tcp"))
        .expect("the _ipp._tcp announcement");
    assert_eq!(ipp["product"], PRINTER_MODEL);
    let detail = ipp["detail"].as_str().unwrap();
    assert!(
        detail.contains("port 631")
            && detail.contains("ty=Brother HL-L2350DW series")
            && detail.contains("rp=ipp/print"),
        "{detail}"
    );
    let sip = &service(14, "sip")[0];
    assert_eq!(
        (
            sip["port"].as_u64(),
            sip["product"].as_str(),
            sip["detail"].as_str()
        ),
        (
            Some(5060),
            Some("Yealink SIP-T46U 108.86.0.20"),
            Some("OPTIONS answered 200")
        )
    );
    // HTTPS: the title of the TLS page on 8443 (self-signed certificate).
    let https = &service(29, "https")[0];
    assert_eq!(
        (https["port"].as_u64(), https["detail"].as_str()),
        (Some(8443), Some("Service"))
    );
    // The first SNMP question: sysName, sysDescr, sysObjectID.
    assert_eq!(
        name(16),
        serde_json::json!([{"name": "lab-router", "source": "snmp"}])
    );
    let o = by_ip[&format!("{NET}.16")];
    let snmp = o["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "snmp")
        .expect("snmp service");
    assert_eq!(
        (snmp["port"].as_u64(), snmp["protocol"].as_str()),
        (Some(161), Some("udp"))
    );
    assert_eq!(snmp["product"], "RouterOS RB750Gr3");
    // The scan identifies what answers SNMP: net-snmp's generic sysObjectID,
    // but the sysDescr names the make and model.
    assert_eq!(snmp["detail"], "MikroTik RB750Gr3");
    let id = &o["snmp"];
    assert_eq!(id["sys_object_id"], "1.3.6.1.4.1.8072.3.2.10");
    assert_eq!(
        (id["vendor"].as_str(), id["model"].as_str()),
        (Some("MikroTik"), Some("RB750Gr3"))
    );
    assert_eq!(id["device_type"], "router", "{id}");
    assert_eq!(o["guess"]["kind"], "switch_router", "{}", o["guess"]);
    // The human table shows the UDP answers too.
    let out = lab
        .in_scanner(&census_tests::bin("census-collector"))
        .args(["--data-dir", data.path().to_str().unwrap()])
        .args(["scan", &format!("{NET}.10-19"), "--timeout", "500"])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    for want in [
        "udp: 137/netbios \"workgroup LABGROUP\"",
        "udp: 5353/mdns \"Brother HL-L2350DW series\" \"_ipp._tcp",
        "udp: 5060/sip \"Grandstream GXP2170 1.0.11.23\"",
        "name: ACCT-PC12 (netbios)",
        "name: brn-lab10.local (mdns)",
        "snmp: router MikroTik RB750Gr3 (community #1 (v2c))",
    ] {
        assert!(table.contains(want), "{want:?} in\n{table}");
    }
    drop(lab);

    // --save stored the scan and one observation per host.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let store = rt
        .block_on(census_collector::store::sqlite::SqliteStore::open(
            &data.path().join("census.db"),
        ))
        .unwrap();
    use census_collector::store::Store;
    let counts = rt.block_on(store.counts()).unwrap();
    assert_eq!(
        (counts.scans, counts.scan_observations),
        (1, found.len() as i64)
    );
}

/// Without privileges (no raw sockets, no ICMP datagram sockets in a fresh
/// namespace) the scan says what it fell back to and still finds every
/// device: TCP resets and open ports, and the kernel's neighbour table for
/// the two that drop all IP traffic.
#[test]
fn unprivileged_scan_falls_back_and_still_finds_everything() {
    let hosts = lab_hosts();
    let listener = census_tests::workspace_bin("census-lab-listener");
    // No DNS server behind the resolver's address: a dead DNS server.
    let lab = Lab::build("203.0.113", &hosts, &listener, &[]);
    let out = std::process::Command::new("ip")
        .args([
            "netns",
            "exec",
            &lab.scanner(),
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
        ])
        .args(["--inh-caps=-all", "--bounding-set=-all"])
        .arg(census_tests::bin("census-collector"))
        .args([
            "scan",
            "203.0.113.0/24",
            "--no-ports",
            "--json",
            "--timeout",
            "500",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("CAP_NET_RAW") && err.contains("falling back"),
        "says what it fell back to: {err}"
    );
    let found: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let by_ip: BTreeMap<String, &Value> = found
        .iter()
        .map(|o| (o["ip"].as_str().unwrap().to_string(), o))
        .collect();
    let mut want: BTreeSet<String> = hosts
        .iter()
        .map(|h| format!("203.0.113.{}", h.octet))
        .collect();
    want.insert("203.0.113.1".into());
    assert_eq!(by_ip.keys().cloned().collect::<BTreeSet<_>>(), want);
    for h in &hosts {
        let o = by_ip[&format!("203.0.113.{}", h.octet)];
        assert_eq!(
            o["mac"].as_str(),
            Some(h.mac.as_str()),
            "MAC of .{} from the neighbour table",
            h.octet
        );
        let how: Vec<&str> = o["found_by"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        if h.silent {
            assert_eq!(how, ["neighbour"], ".{}", h.octet);
        } else {
            assert!(
                how.contains(&"neighbour") && !how.contains(&"icmp") && !how.contains(&"arp"),
                ".{}: {how:?}",
                h.octet
            );
        }
    }
    drop(lab);
}
