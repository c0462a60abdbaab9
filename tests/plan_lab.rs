//! The plan of a scanned office, end to end: a namespace LAN (203.0.113.0/24,
//! reachable only from the lab's scanner namespace) with two hosts that
//! carry the MACs of fixture machines whose agents report to a collector on
//! 127.0.0.1, and a printer, a switch, a router and a NAS answering SNMP
//! from real recordings (snmpsim in their namespaces). After `scan --save`,
//! `plan --format json` must list exactly the lab's devices, each under the
//! heading its kind belongs to, with the agents' specifications and every
//! serial number — no device more, none fewer. Needs root; the lab, the
//! SNMP simulators and the collector are torn down on drop, also when an
//! assertion fails.

use census_tests::lab::Lab;
use census_tests::lab::office::host;
use census_tests::lab::snmpsim::SimDevice;
use census_tests::{Agent, Collector, fixture, free_port, ok};
use serde_json::Value;
use std::collections::BTreeMap;

const NET: &str = "203.0.113";

/// One lab device as the plan must show it: its heading, its serial, and
/// whether an agent reports for it.
struct Want {
    octet: u8,
    section: &'static str,
    serial: &'static str,
    agent: bool,
}

const WANT: [Want; 6] = [
    // rhel9-server (eno1's MAC): a rack server.
    Want {
        octet: 21,
        section: "servers",
        serial: "7XJ4K93",
        agent: true,
    },
    // ubuntu2204-laptop (its wifi MAC).
    Want {
        octet: 22,
        section: "office_pcs",
        serial: "PF2ABC12",
        agent: true,
    },
    Want {
        octet: 30,
        section: "printers",
        serial: "000A5J431816",
        agent: false,
    },
    Want {
        octet: 32,
        section: "network",
        serial: "FOC2533L5YZ",
        agent: false,
    },
    Want {
        octet: 33,
        section: "network",
        serial: "6F3A071688EA",
        agent: false,
    },
    Want {
        octet: 34,
        section: "backup_units",
        serial: "139M8N0094",
        agent: false,
    },
];

/// Every device row of the plan with its heading, keyed by the last
/// octet of its lab address (each device has exactly one).
fn by_octet(plan: &Value) -> BTreeMap<u8, (String, Value)> {
    let mut out = BTreeMap::new();
    for section in plan["devices"].as_array().unwrap() {
        let kind = section["kind"].as_str().unwrap().to_string();
        for d in section["devices"].as_array().unwrap() {
            let lab: Vec<u8> = d["ips"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|ip| ip.as_str()?.strip_prefix(&format!("{NET}.")))
                .map(|o| o.parse().unwrap())
                .collect();
            assert_eq!(lab.len(), 1, "one lab address per device: {d:#}");
            let prev = out.insert(lab[0], (kind.clone(), d.clone()));
            assert!(prev.is_none(), "two devices at .{}", lab[0]);
        }
    }
    out
}

#[test]
fn the_plan_of_a_scanned_lab_holds_exactly_its_devices_under_their_headings() {
    let mut hosts = vec![
        host(21, "b0:7b:25:d4:8e:a0", &[22], "", ""),
        host(22, "74:97:79:d2:3a:5f", &[], "", ""),
        host(30, "3c:2a:f4:bf:f5:1b", &[631, 9100], "", ""),
        host(32, "00:1e:13:00:00:32", &[], "", ""),
        host(33, "4c:5e:0c:00:00:33", &[80], "", ""),
        host(34, "00:11:32:00:00:34", &[5000, 5001], "", ""),
    ];
    hosts.sort_by_key(|h| h.octet);
    let listener = census_tests::workspace_bin("census-lab-listener");
    let lab = Lab::build(NET, &hosts, &listener, &[]);
    let _sims = [
        SimDevice::start(&lab, 30, "brother.snmprec"),
        SimDevice::start(&lab, 32, "ciscosb_cbs250-24p-4x-v3.snmprec"),
        SimDevice::start(&lab, 33, "routeros_rb750gr3.snmprec"),
        SimDevice::start(&lab, 34, "dsm_ds214se-dsm6.snmprec"),
    ];
    let dir = tempfile::tempdir().unwrap();
    // Only the scan recomputes the assets here (the periodic check is slow).
    let c = Collector::start(
        &dir.path().join("collector"),
        free_port(),
        "assets_interval = \"1h\"\n",
    );
    for (i, m) in ["rhel9-server", "ubuntu2204-laptop"].iter().enumerate() {
        let a = Agent::enroll(&c, &dir.path().join(format!("agent{i}")), &fixture(m));
        ok(a.run_once());
    }
    lab.save_scan(&c.config);

    let plan: Value = serde_json::from_str(&ok(c.admin(&["plan", "--format", "json"]))).unwrap();
    let at = by_octet(&plan);
    // Exactly the lab's devices and the scanner itself (.1, which the
    // scan reports as every scanner does), no more, no fewer.
    let mut want_octets: Vec<u8> = WANT.iter().map(|w| w.octet).collect();
    want_octets.insert(0, 1);
    assert_eq!(
        at.keys().copied().collect::<Vec<_>>(),
        want_octets,
        "{at:#?}"
    );
    for w in &WANT {
        let (section, d) = &at[&w.octet];
        assert_eq!(section, w.section, "heading of .{}: {d:#}", w.octet);
        assert_eq!(d["serial"], w.serial, ".{}", w.octet);
        assert_eq!(d["agent"], w.agent, ".{}", w.octet);
        if w.agent {
            // Specifications come from the agent's report.
            assert!(d["cpu"].is_string() && d["memory_bytes"].is_u64(), "{d:#}");
            assert!(!d["disks"].as_array().unwrap().is_empty(), "{d:#}");
        }
    }
    // The scanner runs no agent and answers nothing: unclassified.
    assert_eq!(at[&1].0, "other", "{:#}", at[&1].1);
    // Every heading is there, and the ones without a lab device are empty.
    let sections: Vec<&str> = plan["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(sections.len(), 9, "{sections:?}");
    // The IP plan: each lab address once, under its device's heading.
    let lab_ips: BTreeMap<u8, &str> = plan["ip_plan"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| {
            let o = r["ip"].as_str()?.strip_prefix(&format!("{NET}."))?;
            Some((o.parse().unwrap(), r["section"].as_str().unwrap()))
        })
        .collect();
    let from_devices: BTreeMap<u8, &str> = at.iter().map(|(o, (s, _))| (*o, s.as_str())).collect();
    assert_eq!(lab_ips, from_devices);
    // Both agents' machines are PCs or servers with an agent: no
    // "computer without an agent" risk names them.
    let not_enrolled: Vec<&Value> = plan["risks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "not_enrolled")
        .collect();
    for w in WANT.iter().filter(|w| w.agent) {
        let name = &at[&w.octet].1["name"];
        assert!(
            !not_enrolled.iter().any(|r| &r["subject"] == name),
            "{not_enrolled:#?}"
        );
    }
    c.stop();
}
