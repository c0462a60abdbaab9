//! Field precedence: person > agent > SNMP > scan, each value with its
//! provenance; lists keep every value once; categories from every source.

use super::*;

#[test]
fn agent_beats_snmp_beats_scan_and_provenance_is_kept() {
    let m = "3c:7c:3f:12:34:56";
    let mut snmp_seen = Seen::new("192.168.1.20", m, t(0))
        .vendor("Intel Corporate")
        .name("pc-anna.office.lan", "dns")
        .guess(DeviceKind::LinuxMac)
        .snmp(DeviceType::Workstation, "Net-SNMP", "Linux box", "", &[m]);
    snmp_seen.s.snmp.as_mut().unwrap().os = Some("Linux 6.1".into());
    snmp_seen.s.snmp.as_mut().unwrap().sys_name = Some("anna-snmp".into());
    let mut pc = Pc::new("PC-ANNA", t(0))
        .chassis(ChassisType::Laptop)
        .eth(m, "192.168.1.20");
    pc.report.hardware.manufacturer = Some("Dell Inc.".into());
    let res = run(&[pc.obs("report:1", "ag-anna"), snmp_seen.obs("scan:1", 1)]);
    let a = &res.assets[0];
    let src = |f: &Option<census_shared::asset::Field<String>>| {
        let f = f.as_ref().unwrap();
        (
            f.value.clone(),
            f.provenance.source,
            f.provenance.observation.0.clone(),
        )
    };
    assert_eq!(
        src(&a.name),
        ("PC-ANNA".into(), SourceKind::Agent, "report:1".into())
    );
    assert_eq!(
        src(&a.vendor),
        ("Dell Inc.".into(), SourceKind::Agent, "report:1".into())
    );
    // The agent has no model: SNMP's.
    assert_eq!(
        src(&a.model),
        ("Linux box".into(), SourceKind::Snmp, "scan:1".into())
    );
    assert_eq!(
        src(&a.os),
        (
            "Windows 11 Pro 23H2".into(),
            SourceKind::Agent,
            "report:1".into()
        )
    );
    assert_eq!(a.category.as_ref().unwrap().value, Category::Laptop);
    // Every name, best source first.
    let names: Vec<&str> = a.names.iter().map(|n| n.value.as_str()).collect();
    assert_eq!(names, ["pc-anna", "anna-snmp"]);
    // One MAC, credited to the agent.
    assert_eq!(a.macs.len(), 1);
    assert_eq!(a.macs[0].provenance.source, SourceKind::Agent);
}

#[test]
fn a_scan_only_device_uses_guesses_and_the_best_name() {
    let res = run(&[Seen::new("192.168.1.60", "00:0e:58:00:00:01", t(0))
        .vendor("Sonos, Inc.")
        .name("sonos-kitchen", "mdns")
        .name("kitchen.office.lan", "dns")
        .guess(DeviceKind::Camera)
        .obs("scan:1", 1)]);
    let a = &res.assets[0];
    assert_eq!(a.name.as_ref().unwrap().value, "kitchen.office.lan");
    assert_eq!(a.vendor.as_ref().unwrap().value, "Sonos, Inc.");
    assert_eq!(
        a.vendor.as_ref().unwrap().provenance.source,
        SourceKind::Scan
    );
    assert_eq!(a.category.as_ref().unwrap().value, Category::CameraIot);
    assert_eq!(
        a.category.as_ref().unwrap().provenance.source,
        SourceKind::Scan
    );
    assert!(
        a.serial.is_none() && a.model.is_none(),
        "unknown stays unknown"
    );
}

#[test]
fn snmp_category_beats_the_scan_guess() {
    let res = run(&[Seen::new("192.168.1.5", "00:11:32:00:00:01", t(0))
        .guess(DeviceKind::LinuxMac)
        .snmp(DeviceType::Nas, "Synology", "DS920+", "2080PCN123456", &[])
        .obs("scan:1", 1)]);
    assert_eq!(
        res.assets[0].category.as_ref().unwrap().value,
        Category::NasBackup
    );
}

#[test]
fn a_virtual_mac_vendor_is_not_the_device_vendor() {
    let res = run(&[Seen::new("192.168.1.8", "00:50:56:00:00:08", t(0))
        .vendor("VMware, Inc.")
        .obs("scan:1", 1)]);
    assert!(res.assets[0].vendor.is_none());
}

#[test]
fn a_real_serial_from_snmp_beats_an_agent_placeholder() {
    let m = "3c:7c:3f:12:34:57";
    let seen = Seen::new("192.168.1.21", m, t(0)).snmp(
        DeviceType::Workstation,
        "Dell",
        "OptiPlex 7090",
        "7XK2Q1J",
        &[m],
    );
    let mut pc = Pc::new("PC-BOB", t(0)).eth(m, "192.168.1.21");
    pc.report.hardware.serial = Some("To be filled by O.E.M.".into());
    let res = run(&[pc.obs("report:1", "ag-bob"), seen.obs("scan:1", 1)]);
    assert_eq!(res.assets.len(), 1, "joined by MAC");
    let s = res.assets[0].serial.as_ref().unwrap();
    assert_eq!(
        (s.value.as_str(), s.provenance.source),
        ("7XK2Q1J", SourceKind::Snmp)
    );
}

#[test]
fn the_site_comes_from_the_newest_site_scan_and_joins_the_agents_host() {
    let m = "3c:7c:3f:12:34:57";
    let mut early = Seen::new("10.2.0.20", m, t(0));
    early.s.site = Some("Zwolle".into());
    let mut late = Seen::new("10.2.0.20", m, t(1));
    late.s.site = Some("Utrecht".into());
    late.s.scanner = Some("ag-site".into());
    let pc = Pc::new("PC-REMOTE", t(0)).eth(m, "10.2.0.20");
    let res = run(&[
        pc.obs("report:1", "ag-remote"),
        early.obs("scan:1", 1),
        late.obs("scan:2", 2),
    ]);
    assert_eq!(
        res.assets.len(),
        1,
        "one PC, seen by its agent and a site scan"
    );
    let site = res.assets[0].site.as_ref().unwrap();
    assert_eq!(site.value, "Utrecht");
    assert_eq!(site.provenance.observation.0, "scan:2");
    // The collector's own scans name no site.
    let res = run(&[Seen::new("192.168.1.9", "", t(0)).obs("scan:3", 3)]);
    assert!(res.assets[0].site.is_none());
}
