//! Identity rules on network devices: printers whose DHCP address changes,
//! switches whose MAC shows up in other switches' forwarding tables, a
//! router whose MAC answers for many addresses, serials that tell devices
//! apart, and the time window of weak keys.

use super::*;

const PRINTER: &str = "30:05:5c:11:22:33";

fn printer(ip: &str, at: DateTime<Utc>) -> Seen {
    Seen::new(ip, PRINTER, at)
        .vendor("Brother Industries, Ltd.")
        .guess(DeviceKind::Printer)
        .snmp(
            DeviceType::Printer,
            "Brother",
            "HL-L2350DW",
            "E74215M4N123456",
            &[PRINTER],
        )
}

#[test]
fn a_printer_whose_dhcp_address_changes_is_one_asset() {
    let first = run_at(
        &[printer("192.168.1.30", t(0)).obs("scan:1", 1)],
        &[],
        &Previous::default(),
        t(1),
    );
    let second = run_at(
        &[
            printer("192.168.1.30", t(0)).obs("scan:1", 1),
            printer("192.168.1.31", t(24)).obs("scan:9", 2),
        ],
        &[],
        &previous(&first),
        t(25),
    );
    assert_eq!(groups(&second), vec![vec!["scan:1", "scan:9"]]);
    let a = &second.assets[0];
    assert_eq!(a.id, first.assets[0].id);
    // Only the current address is listed.
    let ips: Vec<String> = a.ips.iter().map(|f| f.value.to_string()).collect();
    assert_eq!(ips, ["192.168.1.31"]);
    // Exactly one change: the address.
    assert_eq!(second.events.len(), 1, "{:#?}", second.events);
    assert!(matches!(&second.events[0].kind,
        EventKind::FieldChanged { field, old, new, .. }
            if field == "ips" && old.as_deref() == Some("192.168.1.30") && new.as_deref() == Some("192.168.1.31")));
    assert_eq!(a.category.as_ref().unwrap().value, Category::Printer);
    assert_eq!(
        a.category.as_ref().unwrap().provenance.source,
        SourceKind::Snmp
    );
}

#[test]
fn a_printer_with_a_new_network_card_is_found_by_its_serial() {
    let res = run(&[
        printer("192.168.1.30", t(0)).obs("scan:1", 1),
        Seen::new("192.168.1.30", "30:05:5c:99:99:99", t(1))
            .snmp(
                DeviceType::Printer,
                "Brother Industries",
                "HL-L2350DW",
                "e74215m4n123456",
                &[],
            )
            .obs("scan:2", 2),
    ]);
    assert_eq!(groups(&res), vec![vec!["scan:1", "scan:2"]]);
    assert!(explained(&res, "scan:1").contains("serial:brother/E74215M4N123456"));
}

#[test]
fn two_printers_with_different_serials_never_merge() {
    // Routed: no MACs; the same address a day apart, same model, two serials.
    let p = |serial: &str, at| {
        Seen::new("10.1.0.30", "", at)
            .name("printer-2f", "dns")
            .snmp(DeviceType::Printer, "HP", "LaserJet M404", serial, &[])
    };
    let res = run_at(
        &[
            p("PHBBB12345", t(0)).obs("scan:1", 1),
            p("PHBCC67890", t(20)).obs("scan:2", 2),
        ],
        &[],
        &Previous::default(),
        t(21),
    );
    assert_eq!(res.assets.len(), 2);
    assert!(explained(&res, "scan:1").contains("different serials of one vendor"));
}

#[test]
fn a_switch_mac_in_other_switches_forwarding_tables_is_not_their_identity() {
    use census_shared::device::{FdbEntry, SwitchDetails};
    let core_mac = "00:1b:21:00:00:01";
    let edge_mac = "00:1b:21:00:00:99";
    let pc_mac = "3c:7c:3f:12:34:56";
    let fdb = |macs: &[&str]| SwitchDetails {
        fdb: macs
            .iter()
            .map(|m| FdbEntry {
                mac: m.to_string(),
                vlan: Some(1),
                if_index: Some(1),
                port: None,
            })
            .collect(),
        ..SwitchDetails::default()
    };
    let mut core = Seen::new("192.168.1.2", core_mac, t(0)).snmp(
        DeviceType::Switch,
        "Cisco",
        "C9200",
        "FOC2233X0AB",
        &[core_mac],
    );
    core.s.snmp.as_mut().unwrap().switch = Some(fdb(&[edge_mac, pc_mac]));
    let mut edge = Seen::new("192.168.1.3", edge_mac, t(0)).snmp(
        DeviceType::Switch,
        "Cisco",
        "C1000",
        "FOC2244Y0CD",
        &[edge_mac],
    );
    edge.s.snmp.as_mut().unwrap().switch = Some(fdb(&[core_mac, pc_mac]));
    let res = run(&[
        core.obs("scan:1", 1),
        edge.obs("scan:2", 1),
        Pc::new("PC-ANNA", t(0))
            .eth(pc_mac, "192.168.1.20")
            .obs("report:1", "ag-anna"),
    ]);
    assert_eq!(
        groups(&res),
        vec![vec!["report:1"], vec!["scan:1"], vec!["scan:2"]]
    );
    assert_eq!(
        asset_of(&res, "scan:1").category.as_ref().unwrap().value,
        Category::NetworkSwitch
    );
    assert_eq!(asset_of(&res, "scan:1").macs.len(), 1);
}

#[test]
fn a_router_mac_on_many_addresses_identifies_none_of_them() {
    let router = "00:0d:b9:40:00:01";
    let res = run(&[
        Seen::new("192.168.1.1", router, t(0))
            .snmp(DeviceType::Router, "PC Engines", "APU2", "", &[router])
            .obs("scan:1", 1),
        // Proxy ARP: the router answers for hosts behind it.
        Seen::new("192.168.1.200", router, t(0))
            .name("cam-1", "dns")
            .obs("scan:2", 1),
        Seen::new("192.168.1.201", router, t(0))
            .name("cam-2", "dns")
            .obs("scan:3", 1),
    ]);
    assert_eq!(res.assets.len(), 3, "{:#?}", groups(&res));
    assert!(explained(&res, "scan:2").contains("saw it on 3 addresses at once"));
    // The router keeps its identity through its own SNMP interface list.
    assert!(
        res.observation_keys[&ObservationId("scan:1".into())]
            .contains(&IdentityKey::Mac(mac(router)))
    );
}

#[test]
fn weak_keys_only_join_within_the_window() {
    // No MACs (routed), same address and name, three days apart.
    let seen = |at| Seen::new("10.1.0.44", "", at).name("kiosk", "dns");
    let res = run_at(
        &[seen(t(0)).obs("scan:1", 1), seen(t(72)).obs("scan:2", 2)],
        &[],
        &Previous::default(),
        t(73),
    );
    assert_eq!(res.assets.len(), 2);
    let res = run_at(
        &[seen(t(0)).obs("scan:1", 1), seen(t(12)).obs("scan:2", 2)],
        &[],
        &Previous::default(),
        t(13),
    );
    assert_eq!(res.assets.len(), 1);
}

#[test]
fn an_address_with_a_different_name_is_a_different_device() {
    let res = run(&[
        Seen::new("10.1.0.50", "", t(0))
            .name("tablet-7", "mdns")
            .obs("scan:1", 1),
        Seen::new("10.1.0.50", "", t(1))
            .name("phone-3", "mdns")
            .obs("scan:2", 2),
    ]);
    assert_eq!(res.assets.len(), 2);
    assert!(explained(&res, "scan:1").contains("same address, different names"));
}

#[test]
fn an_unknown_device_found_by_scan_is_highlighted() {
    let res = run(&[Seen::new("192.168.1.99", "b8:27:eb:00:00:01", t(0)).obs("scan:1", 1)]);
    assert!(res.assets[0].unknown);
    assert!(matches!(
        res.events[0].kind,
        EventKind::NewUnknownDevice { .. }
    ));
}
