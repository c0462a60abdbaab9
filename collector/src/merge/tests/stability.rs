//! Stable ids and events across runs: input order does not matter, ids are
//! reused by key strength, assets not observed are kept, statuses and
//! events follow sightings.

use super::*;

/// A small office: two PCs with agents and their scans, a printer, a
/// switch, an unknown device.
fn office(at: DateTime<Utc>, scan: i64, suffix: &str) -> Vec<Observation> {
    let id = |s: &str| format!("{s}{suffix}");
    vec![
        Pc::new("PC-ANNA", at)
            .hw("Dell Inc.", "OptiPlex 7090", "5CD1234XYZ")
            .eth("3c:7c:3f:12:34:56", "192.168.1.20")
            .obs(&id("report:anna"), "ag-anna"),
        Pc::new("LT-BOB", at)
            .chassis(ChassisType::Laptop)
            .hw("LENOVO", "20XW", "PF2ABC12")
            .nic(
                "wlan0",
                InterfaceKind::Wifi,
                "f8:e4:e3:aa:bb:02",
                "192.168.1.32",
            )
            .obs(&id("report:bob"), "ag-bob"),
        Seen::new("192.168.1.20", "3c:7c:3f:12:34:56", at)
            .name("pc-anna", "dns")
            .obs(&id("scan:a"), scan),
        Seen::new("192.168.1.32", "f8:e4:e3:aa:bb:02", at).obs(&id("scan:b"), scan),
        Seen::new("192.168.1.30", "30:05:5c:11:22:33", at)
            .snmp(
                DeviceType::Printer,
                "Brother",
                "HL-L2350DW",
                "E74215M4N123456",
                &[],
            )
            .obs(&id("scan:p"), scan),
        Seen::new("192.168.1.2", "00:1b:21:00:00:01", at)
            .snmp(
                DeviceType::Switch,
                "Cisco",
                "C9200",
                "FOC2233X0AB",
                &["00:1b:21:00:00:01"],
            )
            .obs(&id("scan:s"), scan),
        Seen::new("192.168.1.99", "b8:27:eb:00:00:01", at)
            .name("mystery", "mdns")
            .obs(&id("scan:u"), scan),
    ]
}

#[test]
fn input_order_does_not_matter() {
    let obs = office(t(0), 1, "");
    let base = run(&obs);
    assert_eq!(base.assets.len(), 5);
    let mut reversed = obs.clone();
    reversed.reverse();
    let mut rotated = obs.clone();
    rotated.rotate_left(3);
    for other in [reversed, rotated] {
        assert_eq!(run(&other), base);
    }
}

#[test]
fn ids_are_stable_across_runs_with_new_observations_in_any_order() {
    let first = run(&office(t(0), 1, ""));
    let mut next = office(t(24), 2, "-2");
    next.reverse();
    let second = run_at(&next, &[], &previous(&first), t(25));
    let ids = |r: &Resolution| r.assets.iter().map(|a| a.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&second), ids(&first));
    assert!(
        second.events.is_empty(),
        "nothing changed: {:#?}",
        second.events
    );
    // A third run with the old and the new observations: still the same.
    let mut both = office(t(0), 1, "");
    both.extend(office(t(24), 2, "-2"));
    both.rotate_left(5);
    let third = run_at(&both, &[], &previous(&second), t(26));
    assert_eq!(ids(&third), ids(&first));
}

#[test]
fn the_strongest_claim_keeps_the_id() {
    // Anna's old NIC went into another (agentless) machine.
    let first = run(&office(t(0), 1, "")[..1]);
    let anna = first.assets[0].id.clone();
    let second = run_at(
        &[
            Pc::new("PC-ANNA", t(24))
                .hw("Dell Inc.", "OptiPlex 7090", "5CD1234XYZ")
                .eth("a0:36:9f:00:11:22", "192.168.1.20")
                .obs("report:2", "ag-anna"),
            Seen::new("192.168.1.77", "3c:7c:3f:12:34:56", t(24)).obs("scan:9", 2),
        ],
        &[],
        &previous(&first),
        t(25),
    );
    assert_eq!(
        asset_of(&second, "report:2").id,
        anna,
        "the agent's claim beats the MAC's"
    );
    assert_ne!(asset_of(&second, "scan:9").id, anna);
    assert!(
        matches!(&second.explanation(&anna).unwrap().id_origin, IdOrigin::Reused { key } if *key == IdentityKey::Agent("ag-anna".into()))
    );
}

#[test]
fn an_unknown_device_that_gets_an_agent_keeps_its_id() {
    let m = "3c:7c:3f:00:00:42";
    let first = run(&[Seen::new("192.168.1.42", m, t(0)).obs("scan:1", 1)]);
    assert!(matches!(
        first.events[0].kind,
        EventKind::NewUnknownDevice { .. }
    ));
    let second = run_at(
        &[
            Seen::new("192.168.1.42", m, t(0)).obs("scan:1", 1),
            Pc::new("PC-NEW", t(2))
                .eth(m, "192.168.1.42")
                .obs("report:1", "ag-new"),
        ],
        &[],
        &previous(&first),
        t(3),
    );
    assert_eq!(second.assets.len(), 1);
    assert_eq!(second.assets[0].id, first.assets[0].id);
    assert!(!second.assets[0].unknown);
    assert!(
        second.events.iter().any(
            |e| matches!(&e.kind, EventKind::FieldChanged { field, .. } if field == "agent_ids")
        )
    );
    assert!(
        !second
            .events
            .iter()
            .any(|e| matches!(e.kind, EventKind::NewAsset { .. }))
    );
}

#[test]
fn first_run_reports_new_assets_and_unknown_devices() {
    let res = run(&office(t(0), 1, ""));
    let new = res
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::NewAsset { .. }))
        .count();
    let unknown = res
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::NewUnknownDevice { .. }))
        .count();
    // Two PCs have agents; printer, switch and the mystery device do not.
    assert_eq!((new, unknown), (2, 3));
}

#[test]
fn a_field_change_is_one_event_with_its_source() {
    let first = run(&office(t(0), 1, "")[..1]);
    let upgraded = Pc::new("PC-ANNA", t(24))
        .hw("Dell Inc.", "OptiPlex 7090", "5CD1234XYZ")
        .os("windows", "Windows 11 Pro 24H2")
        .eth("3c:7c:3f:12:34:56", "192.168.1.20")
        .obs("report:2", "ag-anna");
    let second = run_at(&[upgraded], &[], &previous(&first), t(25));
    assert_eq!(second.events.len(), 1, "{:#?}", second.events);
    assert!(matches!(&second.events[0].kind,
        EventKind::FieldChanged { field, new, source: SourceKind::Agent, .. }
            if field == "os" && new.as_deref() == Some("Windows 11 Pro 24H2")));
}

#[test]
fn assets_not_seen_are_kept_flagged_once_and_welcomed_back() {
    let first = run(&office(t(0), 1, ""));
    let n = first.assets.len();
    // Eight days later only Anna's PC reports; nothing else is fed.
    let anna = office(t(0), 1, "").remove(0);
    let later = run_at(
        std::slice::from_ref(&anna),
        &[],
        &previous(&first),
        t(24 * 8),
    );
    assert_eq!(later.assets.len(), n, "unobserved assets are kept");
    let missing: Vec<_> = later
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::NotSeen { .. }))
        .collect();
    // Anna's report itself is eight days old too: every asset is missing.
    assert_eq!(missing.len(), n);
    let printer = asset_of(&first, "scan:p").id.clone();
    assert!(matches!(
        later.explanation(&printer).unwrap().id_origin,
        IdOrigin::Carried
    ));
    // Flagged once.
    let again = run_at(
        std::slice::from_ref(&anna),
        &[],
        &previous(&later),
        t(24 * 9),
    );
    assert!(again.events.is_empty(), "{:#?}", again.events);
    // The printer comes back.
    let back = run_at(
        &[Seen::new("192.168.1.30", "30:05:5c:11:22:33", t(24 * 9)).obs("scan:p2", 3)],
        &[],
        &previous(&again),
        t(24 * 9 + 1),
    );
    let p = back.asset(&printer).unwrap();
    assert_eq!(p.status, census_shared::asset::AssetStatus::Active);
    assert!(
        back.events
            .iter()
            .any(|e| e.asset == printer && e.kind == EventKind::Reappeared)
    );
}

#[test]
fn a_scan_only_asset_absorbed_by_new_evidence_is_retired() {
    // First the scan sees a device with no MAC (routed) named pc-dora; then
    // its agent reports the same name and address: one asset, the agent's
    // id, and the scan-only id retired.
    let first = run(&[Seen::new("10.1.0.7", "", t(0))
        .name("pc-dora", "dns")
        .obs("scan:1", 1)]);
    let old = first.assets[0].id.clone();
    let second = run_at(
        &[
            Seen::new("10.1.0.7", "", t(0))
                .name("pc-dora", "dns")
                .obs("scan:1", 1),
            Pc::new("PC-DORA", t(1))
                .eth("3c:7c:3f:00:00:d0", "10.1.0.7")
                .obs("report:1", "ag-dora"),
        ],
        &[],
        &previous(&first),
        t(2),
    );
    assert_eq!(second.assets.len(), 1);
    let id = second.assets[0].id.clone();
    assert_ne!(
        id, old,
        "weak keys do not lend their id to a group with strong keys"
    );
    assert!(
        second
            .events
            .iter()
            .any(|e| e.asset == old && e.kind == EventKind::Absorbed { into: id.clone() })
    );
}

#[test]
fn a_large_office_over_many_scans_resolves_quickly() {
    // 300 devices seen by 10 scans (a day apart inside the window chain),
    // 100 of them with agents: 3,100 observations.
    let mut obs = Vec::new();
    for d in 0..300u32 {
        let m = format!("3c:7c:3f:00:{:02x}:{:02x}", d / 256, d % 256);
        let ip = format!("10.0.{}.{}", d / 200, d % 200 + 10);
        for s in 0..10i64 {
            let seen = Seen::new(&ip, &m, t(s * 12)).name(&format!("host-{d}"), "dns");
            obs.push(seen.obs(&format!("scan:{d}-{s}"), s));
        }
        if d % 3 == 0 {
            obs.push(
                Pc::new(&format!("HOST-{d}"), t(100))
                    .eth(&m, &ip)
                    .obs(&format!("report:{d}"), &format!("ag-{d}")),
            );
        }
    }
    let start = std::time::Instant::now();
    let res = run_at(&obs, &[], &Previous::default(), t(110));
    assert_eq!(res.assets.len(), 300);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
}
