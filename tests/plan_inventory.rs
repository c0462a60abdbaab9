//! The fixed inventory of the plan's golden tests: seven assets (a PC, a
//! laptop whose agent went silent, an end-of-life server with RDP and SMB
//! open, a printer whose SNMP strings are hostile and which answers
//! `public`, a switch, a Windows 10 PC nobody enrolled, an unclassified
//! device) with
//! their agent reports and scan observations, and the example site file
//! with a few hostile and missing entries added. Fixed clock: 2026-06-01.

use census_collector::merge::Observation;
use census_shared::HostReport;
use census_shared::asset::{
    Asset, AssetId, AssetStatus, Category, Field, ObservationId, Provenance, SourceKind,
};
use census_shared::observation::ScanObservation;
use census_shared::report::AgentInfo;
use census_shared::site::{Licence, Member, Party, SiteDate, SiteFacts};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;

pub const HOSTILE_NAME: &str = "<script>alert(1)</script>";
pub const HOSTILE_VENDOR: &str = "=HYPERLINK(\"http://evil.example\",\"x\")";
pub const HOSTILE_MODEL: &str = "Laser|Jet\nPro";

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
}

fn day(m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, 8, 0, 0).unwrap()
}

fn field<T>(value: T, source: SourceKind, obs: &str) -> Field<T> {
    Field {
        value,
        provenance: Provenance {
            source,
            observation: ObservationId(obs.into()),
            at: day(5, 30),
        },
    }
}

struct A<'a> {
    id: &'a str,
    category: Option<Category>,
    name: &'a str,
    vendor: &'a str,
    model: &'a str,
    serial: Option<&'a str>,
    os: Option<&'a str>,
    ip: &'a str,
    mac: &'a str,
    agent: Option<&'a str>,
    obs: Vec<&'a str>,
}

fn asset(a: A) -> Asset {
    let src = if a.agent.is_some() {
        SourceKind::Agent
    } else {
        SourceKind::Snmp
    };
    let o = a.obs[0];
    let s = |v: &str| Some(field(v.to_string(), src, o));
    Asset {
        id: AssetId(a.id.into()),
        category: a.category.map(|c| field(c, src, o)),
        name: s(a.name),
        vendor: s(a.vendor),
        model: s(a.model),
        serial: a.serial.and_then(s),
        uuid: None,
        os: a.os.and_then(s),
        agent_ids: a.agent.into_iter().map(str::to_string).collect(),
        macs: vec![field(a.mac.parse().unwrap(), src, o)],
        ips: vec![field(a.ip.parse().unwrap(), src, o)],
        names: vec![field(a.name.to_lowercase(), src, o)],
        department: None,
        owner: None,
        criticality: None,
        location: Some(field(
            "Kantoor 1".to_string(),
            SourceKind::Person,
            "person:d1",
        )),
        notes: None,
        site: None,
        first_seen: day(1, 5),
        last_seen: day(5, 30),
        status: AssetStatus::Active,
        unknown: a.agent.is_none(),
        observations: a.obs.iter().map(|o| ObservationId(o.to_string())).collect(),
    }
}

fn report(id: &str, at: DateTime<Utc>, v: serde_json::Value) -> HostReport {
    let base = HostReport::new(
        id.into(),
        AgentInfo {
            id: None,
            version: "0.1.0".into(),
        },
        at,
    );
    let mut whole = serde_json::to_value(base).unwrap();
    for (k, val) in v.as_object().unwrap() {
        whole[k] = val.clone();
    }
    serde_json::from_value(whole).unwrap()
}

fn sw(names: &[(&str, &str)]) -> serde_json::Value {
    names
        .iter()
        .map(|(n, v)| json!({"name": n, "version": v, "source": "dpkg"}))
        .collect()
}

fn scan(ip: &str, ports: &[u16], snmp: Option<serde_json::Value>) -> ScanObservation {
    serde_json::from_value(json!({
        "ip": ip, "mac": null, "mac_vendor": null, "mac_local": false, "names": [],
        "found_by": [], "rtt_ms": 1.0, "open_tcp": ports, "services": [],
        "guess": {"kind": "unknown", "evidence": []}, "snmp": snmp,
        "seen_at": day(5, 30),
    }))
    .unwrap()
}

/// Assets and the observations they were merged from.
pub fn inventory() -> (Vec<Asset>, Vec<Observation>) {
    let disk = |model: &str, size: u64| json!({"name": "sda", "model": model, "size_bytes": size, "removable": false});
    let pc = report(
        "r-pc",
        day(5, 30),
        json!({
            "os": {"family": "windows", "name": "Windows 11 Pro", "id_like": []},
            "cpu": {"model": "Intel Core i5-11500", "physical_cores": 6},
            "memory": {"total_bytes": 17179869184u64, "modules": []},
            "storage": {"disks": [disk("Samsung SSD 980", 512110190592)], "volumes": []},
            "software": sw(&[("Boekhouding Pro 2026", "26.1"), ("Firefox", "126.0")]),
            "security": {"firewall": {"active": true}, "disk_encryption_complete": false,
                         "antivirus": [{"name": "Defender", "active": true}]},
        }),
    );
    let laptop = report(
        "r-lt",
        day(4, 1),
        json!({
            "os": {"family": "linux", "name": "Ubuntu", "id_like": [], "support_end": "2027-05-31"},
            "cpu": {"model": "AMD Ryzen 5 PRO", "physical_cores": 8},
            "memory": {"total_bytes": 34359738368u64, "modules": []},
            "software": sw(&[("boekhouding-pro", "26.0"), ("firefox", "125.0")]),
            "security": {"automatic_updates": {"enabled": false}, "antivirus": []},
        }),
    );
    let server = report(
        "r-srv",
        day(5, 31),
        json!({
            "os": {"family": "linux", "name": "Debian", "id_like": [], "support_end": "2024-06-30"},
            "cpu": {"model": "Intel Xeon E-2314", "physical_cores": 4},
            "memory": {"total_bytes": 68719476736u64, "modules": []},
            "storage": {"disks": [disk("HPE 2TB SAS", 2000398934016), disk("HPE 2TB SAS", 2000398934016)], "volumes": []},
            "software": sw(&[("Boekhouding Pro Server", "26.1"), ("samba", "4.17")]),
            "security": {"firewall": {"active": false}, "antivirus": []},
        }),
    );
    let printer_snmp = json!({
        "device_type": "printer", "vendor": HOSTILE_VENDOR, "model": HOSTILE_MODEL,
        "serial": "CNB1234567", "mac_addresses": [], "snmp_version": "v2c",
        "credential": "community #1 (v2c)", "evidence": [],
    });
    let obs = vec![
        Observation::agent("report:r-pc", "ag-pc", pc),
        Observation::agent("report:r-lt", "ag-lt", laptop),
        Observation::agent("report:r-srv", "ag-srv", server),
        Observation::scan("scan:3", 1, scan("192.168.1.10", &[22, 445, 3389], None)),
        Observation::scan(
            "scan:4",
            1,
            scan("192.168.1.30", &[80, 9100], Some(printer_snmp)),
        ),
        Observation::scan("scan:5", 1, scan("192.168.1.2", &[22, 80], None)),
        Observation::scan("scan:6", 1, scan("192.168.1.40", &[23, 139], None)),
        Observation::scan("scan:7", 1, scan("192.168.1.99", &[], None)),
    ];
    let assets = vec![
        asset(A {
            id: "a-000000000001",
            category: Some(Category::OfficePc),
            name: "pc-anna",
            vendor: "Dell Inc.",
            model: "OptiPlex 7090",
            serial: Some("5CG1234XYZ"),
            os: Some("Windows 11 Pro"),
            ip: "192.168.1.21",
            mac: "00:1b:63:84:45:e6",
            agent: Some("ag-pc"),
            obs: vec!["report:r-pc"],
        }),
        asset(A {
            id: "a-000000000002",
            category: Some(Category::Laptop),
            name: "lt-bram",
            vendor: "LENOVO",
            model: "ThinkPad T14",
            serial: Some("To be filled by O.E.M."),
            os: Some("Ubuntu 24.04 LTS"),
            ip: "192.168.1.22",
            mac: "00:1b:63:84:45:e7",
            agent: Some("ag-lt"),
            obs: vec!["report:r-lt"],
        }),
        asset(A {
            id: "a-000000000003",
            category: Some(Category::Server),
            name: "srv-files",
            vendor: "HPE",
            model: "ProLiant ML30 Gen10",
            serial: Some("CZJ0123ABC"),
            os: Some("Debian GNU/Linux 10"),
            ip: "192.168.1.10",
            mac: "00:1b:63:84:45:e8",
            agent: Some("ag-srv"),
            obs: vec!["report:r-srv", "scan:3"],
        }),
        asset(A {
            id: "a-000000000004",
            category: Some(Category::Printer),
            name: HOSTILE_NAME,
            vendor: HOSTILE_VENDOR,
            model: HOSTILE_MODEL,
            serial: Some("CNB1234567"),
            os: None,
            ip: "192.168.1.30",
            mac: "00:1b:63:84:45:e9",
            agent: None,
            obs: vec!["scan:4"],
        }),
        asset(A {
            id: "a-000000000005",
            category: Some(Category::NetworkSwitch),
            name: "sw-core",
            vendor: "Netgear",
            model: "GS724T",
            serial: None,
            os: None,
            ip: "192.168.1.2",
            mac: "00:1b:63:84:45:ea",
            agent: None,
            obs: vec!["scan:5"],
        }),
        asset(A {
            id: "a-000000000006",
            category: Some(Category::OfficePc),
            name: "pc-balie",
            vendor: "HP",
            model: "ProDesk 400",
            serial: None,
            os: Some("Windows 10 Pro"),
            ip: "192.168.1.40",
            mac: "00:1b:63:84:45:eb",
            agent: None,
            obs: vec!["scan:6"],
        }),
        asset(A {
            id: "a-000000000007",
            category: None,
            name: "192.168.1.99",
            vendor: "Espressif",
            model: "",
            serial: None,
            os: None,
            ip: "192.168.1.99",
            mac: "00:1b:63:84:45:ec",
            agent: None,
            obs: vec!["scan:7"],
        }),
    ];
    (assets, obs)
}

/// The example site file with the example CSV of mobile devices merged in
/// (as `csv = "mobiles.csv"` would), a hostile team member, a supplier
/// without an out-of-hours number whose name is hostile, an expired licence
/// and a system without a priority.
pub fn site() -> SiteFacts {
    use census_collector::plan::site_csv;
    let examples = census_tests::workspace().join("deploy/examples");
    let mut s = census_collector::plan::site::load(&examples.join("site.toml")).unwrap();
    let rows = site_csv::load(&examples.join("mobiles.csv")).unwrap();
    site_csv::merge(&mut s.mobile.as_mut().unwrap().devices, rows);
    s.team.as_mut().unwrap().members.push(Member {
        name: "=cmd|' /C calc'!A0".into(),
        roles: vec![],
        phone: Some("+31 6 5550 0003".into()),
        email: None,
        first_contact: false,
        decides: false,
        communicates: false,
        informs: vec![],
    });
    s.external.as_mut().unwrap().parties.push(Party {
        kind: census_shared::site::ExternalKind::PhoneProvider,
        name: "<b>Bel</b> | Voorbeeld\nB.V.".into(),
        contact: None,
        phone: Some("@+31 20 555 0500".into()),
        out_of_hours_phone: None,
        email: None,
        contract: None,
    });
    s.licences.as_mut().unwrap().items.push(Licence {
        product: "Oude CAD".into(),
        quantity: 1,
        expires: Some(SiteDate("2025-12-31".into())),
        key_location: None,
        key: None,
        packages: vec!["cad".into()],
    });
    let p = s.processes.as_mut().unwrap();
    p.departments[1].systems.push(census_shared::site::System {
        name: "Weegschaal".into(),
        data: None,
        priority: None,
        depends_on: vec![],
    });
    s
}
