//! The lab half of `tests/assets.rs` (a module of that test, not a test
//! target of its own): a namespace LAN where three agent hosts (their
//! fixture MACs), two printers and a switch (snmpsim serving their
//! recordings inside their namespaces) and one PC without agent answer a
//! scan; the collector runs on 127.0.0.1 and shares its database with the
//! scan. Needs root; everything is torn down on drop.

use super::{events, list, ok, str_of};
use census_tests::lab::Lab;
use census_tests::lab::office::host;
use census_tests::lab::snmpsim::SimDevice;
use census_tests::{Agent, Collector, fixture, free_port};
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Command;

const NET: &str = "192.0.2";

fn ip(args: &[&str]) {
    let out = Command::new("ip").args(args).output().unwrap();
    assert!(out.status.success(), "ip {args:?}");
}

/// Assets by the last octet of their lab address.
fn by_octet(assets: &[Value]) -> BTreeMap<u8, &Value> {
    let mut m = BTreeMap::new();
    for a in assets {
        for i in a["ips"].as_array().unwrap() {
            if let Some(o) = str_of(&i["value"]).strip_prefix(&format!("{NET}.")) {
                let prev = m.insert(o.parse().unwrap(), a);
                assert!(prev.is_none(), "two assets at .{o}");
            }
        }
    }
    m
}

#[test]
fn a_lab_scan_merges_with_agents_and_a_new_address_is_no_new_asset() {
    let mut hosts = vec![
        host(21, "b0:7b:25:d4:8e:a0", &[22], "", ""), // rhel9-server eno1
        host(22, "74:97:79:d2:3a:5f", &[], "", ""),   // ubuntu laptop wifi
        host(23, "04:42:1a:8c:5d:e3", &[22], "", ""), // arch desktop
        host(30, "3c:2a:f4:bf:f5:1b", &[631, 9100], "", ""), // Brother
        host(31, "14:cb:19:95:2e:a0", &[9100], "", ""), // HP JetDirect
        host(32, "00:1e:13:00:00:32", &[], "", ""),   // Cisco switch
        host(40, "3c:7c:3f:00:00:40", &[135, 139, 445, 3389], "", ""), // no agent
    ];
    hosts.sort_by_key(|h| h.octet);
    let listener = census_tests::workspace_bin("census-lab-listener");
    let lab = Lab::build(NET, &hosts, &listener, &[]);
    let _sims = [
        SimDevice::start(&lab, 30, "brother.snmprec"),
        SimDevice::start(&lab, 31, "jetdirect_m130nw.snmprec"),
        SimDevice::start(&lab, 32, "ciscosb_cbs250-24p-4x-v3.snmprec"),
    ];
    let dir = tempfile::tempdir().unwrap();
    // Recomputed here only by the scans (the periodic check is slow).
    let c = Collector::start(
        &dir.path().join("collector"),
        free_port(),
        "assets_interval = \"1h\"\n",
    );
    let machines = ["rhel9-server", "ubuntu2204-laptop", "arch-desktop-nonroot"];
    let agents: Vec<Agent> = machines
        .iter()
        .enumerate()
        .map(|(i, m)| Agent::enroll(&c, &dir.path().join(format!("a{i}")), &fixture(m)))
        .collect();
    for a in &agents {
        ok(a.run_once());
    }
    lab.save_scan(&c.config);

    let assets = list(&c);
    let at = by_octet(&assets);
    // Exactly: three agent hosts, two printers, a switch, the PC, and the
    // scanner itself (.1).
    assert_eq!(
        at.keys().copied().collect::<Vec<_>>(),
        [1, 21, 22, 23, 30, 31, 32, 40]
    );
    assert_eq!(assets.len(), 8, "{assets:#?}");
    let category = |o: u8| str_of(&at[&o]["category"]["value"]).to_string();
    let want = [
        (21, "server"),
        (22, "laptop"),
        (23, "office_pc"),
        (30, "printer"),
        (31, "printer"),
        (32, "network_switch"),
        (40, "office_pc"),
    ];
    for (o, cat) in want {
        assert_eq!(category(o), cat, "category of .{o}: {:#}", at[&o]);
    }
    // The agent hosts: one asset each with their agent and the scan's sighting.
    for (o, a) in [21, 22, 23].into_iter().zip(&agents) {
        let asset = at[&o];
        assert_eq!(asset["agent_ids"], serde_json::json!([a.id]));
        assert_eq!(asset["unknown"], false);
        let obs: Vec<&str> = asset["observations"]
            .as_array()
            .unwrap()
            .iter()
            .map(str_of)
            .collect();
        assert!(obs.iter().any(|o| o.starts_with("report:")), "{obs:?}");
        assert!(obs.iter().any(|o| o.starts_with("scan:")), "{obs:?}");
    }
    assert_eq!(at[&21]["serial"]["value"], "7XJ4K93");
    // The rest nobody enrolled; SNMP identity for the recorded devices.
    for o in [1, 30, 31, 32, 40] {
        assert_eq!(at[&o]["unknown"], true, ".{o}");
        assert!(at[&o]["agent_ids"].as_array().unwrap().is_empty());
    }
    assert_eq!(at[&30]["serial"]["value"], "000A5J431816");
    assert_eq!(at[&30]["serial"]["source"], "snmp");
    assert_eq!(at[&31]["serial"]["value"], "VNCRC48198");
    assert_eq!(at[&32]["serial"]["value"], "FOC2533L5YZ");
    let ev = events(&c);
    let count = |k: &str| ev.iter().filter(|e| e["event"] == k).count();
    assert_eq!(count("new_asset"), 3, "{ev:#?}");
    assert_eq!(count("new_unknown_device"), 5, "{ev:#?}");
    let text = ok(c.admin(&["changes"]));
    assert_eq!(text.matches("!! NEW UNKNOWN DEVICE").count(), 5, "{text}");

    // The PC gets another address from DHCP; the scanner forgets the old one.
    let pc = lab.host_ns(40);
    ip(&[
        "-n",
        &pc,
        "addr",
        "del",
        &format!("{NET}.40/24"),
        "dev",
        "eth0",
    ]);
    ip(&[
        "-n",
        &pc,
        "addr",
        "add",
        &format!("{NET}.41/24"),
        "dev",
        "eth0",
    ]);
    ip(&["-n", &lab.scanner(), "neigh", "flush", "all"]);
    let before = ev.len();
    lab.save_scan(&c.config);
    let again = list(&c);
    let ids = |v: &[Value]| {
        let mut i: Vec<String> = v.iter().map(|a| str_of(&a["id"]).to_string()).collect();
        i.sort();
        i
    };
    assert_eq!(ids(&again), ids(&assets), "no new asset, same ids");
    let pc_id = str_of(&at[&40]["id"]);
    let moved = again.iter().find(|a| a["id"] == pc_id).unwrap();
    let ips: Vec<&str> = moved["ips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| str_of(&i["value"]))
        .collect();
    assert!(ips.contains(&"192.0.2.41"), "{ips:?}");
    let ev = events(&c);
    let new: Vec<&Value> = ev[before..].iter().collect();
    assert_eq!(new.len(), 1, "one change event: {new:#?}");
    assert_eq!(new[0]["event"], "field_changed");
    assert_eq!(new[0]["field"], "ips");
    assert_eq!(new[0]["asset"], pc_id);
}
