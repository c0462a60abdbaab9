//! Identity rules on PCs, laptops, servers and VMs: the tricky cases from
//! issue 6 (agent plus scan, rename, replaced NIC, wifi plus ethernet,
//! placeholder serials, cloned VMs, docker and hypervisor bridges, VPN
//! adapters, consecutive MACs).

use super::*;

const ANNA_ETH: &str = "3c:7c:3f:12:34:56";

fn anna(at: DateTime<Utc>) -> Pc {
    Pc::new("PC-ANNA", at)
        .hw("Dell Inc.", "OptiPlex 7090", "5CD1234XYZ")
        .uuid("4c4c4544-0042-3510-8052-b4c04f4e4d32")
        .eth(ANNA_ETH, "192.168.1.20")
}

#[test]
fn pc_with_agent_found_by_scan_is_one_asset_by_mac() {
    let res = run(&[
        anna(t(0)).obs("report:1", "ag-anna"),
        Seen::new("192.168.1.20", ANNA_ETH, t(0))
            .name("pc-anna.office.lan", "dns")
            .obs("scan:1", 1),
    ]);
    assert_eq!(groups(&res), vec![vec!["report:1", "scan:1"]]);
    let a = &res.assets[0];
    assert!(!a.unknown);
    assert_eq!(a.category.as_ref().unwrap().value, Category::OfficePc);
    assert!(explained(&res, "scan:1").contains(&format!("mac:{ANNA_ETH}")));
}

#[test]
fn pc_with_agent_seen_through_a_router_joins_by_address_and_name() {
    // A routed subnet: the scan sees no MAC, only the address and the name.
    let res = run(&[
        anna(t(0)).obs("report:1", "ag-anna"),
        Seen::new("192.168.1.20", "", t(0))
            .name("PC-ANNA", "netbios")
            .obs("scan:1", 1),
    ]);
    assert_eq!(groups(&res), vec![vec!["report:1", "scan:1"]]);
}

#[test]
fn a_renamed_pc_stays_one_asset() {
    let first = run_at(
        &[
            anna(t(0)).obs("report:1", "ag-anna"),
            Seen::new("192.168.1.20", ANNA_ETH, t(0))
                .name("pc-anna", "dns")
                .obs("scan:1", 1),
        ],
        &[],
        &Previous::default(),
        t(1),
    );
    let id = first.assets[0].id.clone();
    let mut renamed = anna(t(30));
    renamed.report.host.hostname = Some("ACC-02".into());
    let second = run_at(
        &[
            renamed.obs("report:2", "ag-anna"),
            Seen::new("192.168.1.20", ANNA_ETH, t(30))
                .name("acc-02", "dns")
                .obs("scan:2", 2),
        ],
        &[],
        &previous(&first),
        t(31),
    );
    assert_eq!(second.assets.len(), 1);
    assert_eq!(second.assets[0].id, id);
    assert_eq!(second.assets[0].name.as_ref().unwrap().value, "ACC-02");
    let changes: Vec<_> = second.events.iter().map(|e| &e.kind).collect();
    assert!(
        changes
            .iter()
            .any(|k| matches!(k, EventKind::FieldChanged { field, .. } if field == "name")),
        "{changes:?}"
    );
}

#[test]
fn a_replaced_network_card_keeps_the_asset() {
    let first = run(&[anna(t(0)).obs("report:1", "ag-anna")]);
    let mut new_nic = Pc::new("PC-ANNA", t(40))
        .hw("Dell Inc.", "OptiPlex 7090", "5CD1234XYZ")
        .uuid("4c4c4544-0042-3510-8052-b4c04f4e4d32")
        .eth("a0:36:9f:00:11:22", "192.168.1.20");
    new_nic.report.report_id = "r2".into();
    let second = run_at(
        &[
            new_nic.obs("report:2", "ag-anna"),
            Seen::new("192.168.1.20", "a0:36:9f:00:11:22", t(40)).obs("scan:2", 2),
        ],
        &[],
        &previous(&first),
        t(41),
    );
    assert_eq!(second.assets.len(), 1);
    assert_eq!(second.assets[0].id, first.assets[0].id);
    assert!(
        second
            .events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::FieldChanged { field, .. } if field == "macs"))
    );
}

#[test]
fn a_laptop_on_wifi_and_ethernet_is_one_asset() {
    let laptop = Pc::new("LT-BOB", t(0))
        .chassis(ChassisType::Laptop)
        .hw("LENOVO", "20XW0055MH", "PF2ABC12")
        .nic(
            "enp0s31f6",
            InterfaceKind::Ethernet,
            "54:05:db:aa:bb:01",
            "192.168.1.31",
        )
        .nic(
            "wlp0s20f3",
            InterfaceKind::Wifi,
            "f8:e4:e3:aa:bb:02",
            "192.168.1.32",
        );
    let res = run(&[
        laptop.obs("report:1", "ag-bob"),
        Seen::new("192.168.1.31", "54:05:db:aa:bb:01", t(0)).obs("scan:1", 1),
        Seen::new("192.168.1.32", "f8:e4:e3:aa:bb:02", t(0)).obs("scan:2", 1),
    ]);
    assert_eq!(groups(&res), vec![vec!["report:1", "scan:1", "scan:2"]]);
    assert_eq!(
        res.assets[0].category.as_ref().unwrap().value,
        Category::Laptop
    );
    assert_eq!(res.assets[0].ips.len(), 2);
}

#[test]
fn a_laptop_with_a_randomised_wifi_mac_joins_by_address_and_name() {
    let laptop = Pc::new("LT-BOB", t(0)).chassis(ChassisType::Laptop).nic(
        "wlan0",
        InterfaceKind::Wifi,
        "da:a1:19:00:11:22",
        "192.168.1.32",
    );
    let res = run(&[
        laptop.obs("report:1", "ag-bob"),
        Seen::new("192.168.1.32", "da:a1:19:00:11:22", t(0))
            .name("lt-bob", "mdns")
            .obs("scan:1", 1),
    ]);
    assert_eq!(groups(&res), vec![vec!["report:1", "scan:1"]]);
    let why = explained(&res, "scan:1");
    assert!(why.contains("locally administered"), "{why}");
    assert!(
        !res.observation_keys[&ObservationId("scan:1".into())]
            .iter()
            .any(|k| matches!(k, IdentityKey::Mac(_)))
    );
}

#[test]
fn two_pcs_with_the_same_placeholder_serial_stay_two() {
    let a = Pc::new("PC-1", t(0))
        .hw(
            "To Be Filled By O.E.M.",
            "To Be Filled By O.E.M.",
            "To be filled by O.E.M.",
        )
        .uuid("03000200-0400-0500-0006-000700080009")
        .eth("3c:7c:3f:00:00:10", "192.168.1.40");
    let b = Pc::new("PC-2", t(0))
        .hw(
            "To Be Filled By O.E.M.",
            "To Be Filled By O.E.M.",
            "To be filled by O.E.M.",
        )
        .uuid("03000200-0400-0500-0006-000700080009")
        .eth("3c:7c:3f:00:00:77", "192.168.1.41");
    let res = run(&[a.obs("report:1", "ag-1"), b.obs("report:2", "ag-2")]);
    assert_eq!(res.assets.len(), 2);
    let why = explained(&res, "report:1");
    assert!(why.contains("known placeholder"), "{why}");
    // The placeholder is still shown verbatim: unknown is not invented.
    assert_eq!(
        asset_of(&res, "report:1").serial.as_ref().unwrap().value,
        "To be filled by O.E.M."
    );
}

#[test]
fn cloned_vms_sharing_a_uuid_stay_two_and_scans_find_each() {
    let vm = |name: &str, m: &str, ip: &str| {
        Pc::new(name, t(0))
            .chassis(ChassisType::Vm)
            .os("linux", "Debian GNU/Linux 12")
            .hw(
                "VMware, Inc.",
                "VMware Virtual Platform",
                "VMware-42 1a 2b 3c 4d 5e 6f 70-81 92 a3 b4 c5 d6 e7 f8",
            )
            .uuid("421a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8")
            .eth(m, ip)
    };
    let res = run(&[
        vm("web1", "00:50:56:aa:00:01", "192.168.1.50").obs("report:1", "ag-web1"),
        vm("web2", "00:50:56:aa:00:02", "192.168.1.51").obs("report:2", "ag-web2"),
        Seen::new("192.168.1.51", "00:50:56:aa:00:02", t(0))
            .name("web2", "dns")
            .obs("scan:1", 1),
    ]);
    assert_eq!(
        groups(&res),
        vec![vec!["report:1"], vec!["report:2", "scan:1"]]
    );
    let why = explained(&res, "report:1");
    assert!(why.contains("reported by different agents"), "{why}");
    assert!(why.contains("virtual NIC prefix (VMware)"), "{why}");
    assert_eq!(
        asset_of(&res, "report:1").category.as_ref().unwrap().value,
        Category::Server
    );
}

#[test]
fn docker_and_hypervisor_bridges_on_pcs_are_not_identities() {
    // Two developers' PCs: identical docker0 and VirtualBox host-only
    // adapters (same MAC and address on both), different real NICs.
    let dev = |name: &str, m: &str, ip: &str| {
        Pc::new(name, t(0))
            .eth(m, ip)
            .nic(
                "docker0",
                InterfaceKind::Bridge,
                "02:42:ac:11:00:01",
                "172.17.0.1",
            )
            .nic("vethab12", InterfaceKind::Virtual, "ae:12:00:00:00:01", "")
            .nic(
                "VirtualBox Host-Only Ethernet Adapter",
                InterfaceKind::Ethernet,
                "0a:00:27:00:00:00",
                "192.168.56.1",
            )
            .nic(
                "vmnet8",
                InterfaceKind::Ethernet,
                "00:50:56:c0:00:08",
                "192.168.200.1",
            )
    };
    let res = run(&[
        dev("DEV-1", "3c:7c:3f:00:01:01", "192.168.1.60").obs("report:1", "ag-dev1"),
        dev("DEV-2", "3c:7c:3f:00:02:02", "192.168.1.61").obs("report:2", "ag-dev2"),
        // A scan from inside one of them sees the docker bridge address.
        Seen::new("172.17.0.1", "02:42:ac:11:00:01", t(0)).obs("scan:1", 1),
    ]);
    assert_eq!(res.assets.len(), 3, "{:#?}", groups(&res));
    let keys = &res.observation_keys[&ObservationId("report:1".into())];
    assert!(keys.contains(&IdentityKey::Mac(mac("3c:7c:3f:00:01:01"))));
    assert!(
        !keys
            .iter()
            .any(|k| matches!(k, IdentityKey::Mac(m) if *m != mac("3c:7c:3f:00:01:01"))),
        "{keys:?}"
    );
    assert!(!keys.contains(&IdentityKey::Ip("172.17.0.1".parse().unwrap())));
    let why = explained(&res, "report:1");
    assert!(why.contains("not physical"), "{why}");
}

#[test]
fn a_vpn_adapter_is_neither_a_mac_nor_an_address_key() {
    let laptop = Pc::new("LT-CARL", t(0))
        .chassis(ChassisType::Laptop)
        .nic(
            "wlan0",
            InterfaceKind::Wifi,
            "f8:e4:e3:00:00:05",
            "192.168.1.70",
        )
        .nic(
            "TAP-Windows Adapter V9",
            InterfaceKind::Vpn,
            "00:ff:12:34:56:78",
            "10.8.0.6",
        )
        .nic("tun0", InterfaceKind::Vpn, "", "10.8.0.10");
    // Another office's printer happens to have 10.8.0.6.
    let res = run(&[
        laptop.obs("report:1", "ag-carl"),
        Seen::new("10.8.0.6", "", t(0))
            .guess(DeviceKind::Printer)
            .obs("scan:1", 1),
    ]);
    assert_eq!(res.assets.len(), 2);
    let keys = &res.observation_keys[&ObservationId("report:1".into())];
    assert!(!keys.contains(&IdentityKey::Mac(mac("00:ff:12:34:56:78"))));
    assert!(
        !keys
            .iter()
            .any(|k| matches!(k, IdentityKey::Ip(ip) if ip.to_string().starts_with("10.8.")))
    );
    assert!(
        asset_of(&res, "report:1")
            .ips
            .iter()
            .all(|ip| !ip.value.to_string().starts_with("10.8."))
    );
}

#[test]
fn consecutive_macs_mean_nothing() {
    // One server with two NICs :01 and :02; a scan-only device with :03.
    let srv = Pc::new("SRV-1", t(0))
        .chassis(ChassisType::Rack)
        .nic(
            "eno1",
            InterfaceKind::Ethernet,
            "ac:1f:6b:00:00:01",
            "192.168.1.80",
        )
        .nic("eno2", InterfaceKind::Ethernet, "ac:1f:6b:00:00:02", "");
    let res = run(&[
        srv.obs("report:1", "ag-srv"),
        Seen::new("192.168.1.81", "ac:1f:6b:00:00:02", t(0)).obs("scan:1", 1),
        Seen::new("192.168.1.82", "ac:1f:6b:00:00:03", t(0)).obs("scan:2", 1),
    ]);
    assert_eq!(
        groups(&res),
        vec![vec!["report:1", "scan:1"], vec!["scan:2"]]
    );
}

#[test]
fn a_dual_homed_server_is_one_asset() {
    let srv = Pc::new("FILES", t(0))
        .os("windows", "Windows Server 2022 Standard")
        .hw("HPE", "ProLiant DL380 Gen10", "CZJ1234ABC")
        .nic(
            "LAN",
            InterfaceKind::Ethernet,
            "94:40:c9:00:00:01",
            "192.168.1.10",
        )
        .nic(
            "Backup",
            InterfaceKind::Ethernet,
            "94:40:c9:00:00:02",
            "10.10.0.10",
        );
    let res = run(&[
        srv.obs("report:1", "ag-files"),
        Seen::new("192.168.1.10", "94:40:c9:00:00:01", t(0))
            .name("files", "dns")
            .obs("scan:1", 1),
        // The backup network is routed: no MAC, same name.
        Seen::new("10.10.0.10", "", t(0))
            .name("files.backup.lan", "dns")
            .obs("scan:2", 2),
    ]);
    assert_eq!(groups(&res), vec![vec!["report:1", "scan:1", "scan:2"]]);
    assert_eq!(
        res.assets[0].category.as_ref().unwrap().value,
        Category::Server
    );
    assert_eq!(res.assets[0].ips.len(), 2);
}

#[test]
fn two_agents_never_merge_automatically() {
    // A re-imaged PC enrolled again: same hardware, same name, two agents.
    let old = anna(t(0)).obs("report:1", "ag-old");
    let new = anna(t(2)).obs("report:2", "ag-new");
    let res = run_at(
        &[
            old,
            new,
            Seen::new("192.168.1.20", ANNA_ETH, t(2)).obs("scan:1", 1),
        ],
        &[],
        &Previous::default(),
        t(3),
    );
    assert_eq!(res.assets.len(), 3, "{:#?}", groups(&res));
    let why = explained(&res, "report:2");
    assert!(
        why.contains("reported by different agents (ag-new, ag-old)"),
        "{why}"
    );
}

#[test]
fn an_address_never_joins_against_different_macs() {
    let res = run(&[
        anna(t(0)).obs("report:1", "ag-anna"),
        // Another machine now has Anna's address.
        Seen::new("192.168.1.20", "3c:7c:3f:99:99:99", t(0)).obs("scan:1", 1),
    ]);
    assert_eq!(res.assets.len(), 2);
    let why = explained(&res, "scan:1");
    assert!(why.contains("different MAC addresses"), "{why}");
}
