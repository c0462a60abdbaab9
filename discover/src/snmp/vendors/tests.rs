//! Unit tests of the vendor table: it compiles, every rich entry has an
//! example, lookups and refusals behave.

use super::*;

#[test]
fn the_shipped_table_compiles_and_every_rich_entry_has_an_example() {
    let spec: FileSpec = toml::from_str(DATA).unwrap();
    let t = Table::compile(&spec).unwrap();
    assert!(t.vendors.len() >= 60, "{} vendors", t.vendors.len());
    for v in &spec.vendor {
        let rich = !v.probe.is_empty()
            || v.default_type.is_some()
            || !v.object_ids.is_empty()
            || !v.subtrees.is_empty()
            || !v.model_oids.is_empty()
            || !v.serial_oids.is_empty()
            || !v.firmware_oids.is_empty()
            || !v.device_id_oids.is_empty()
            || !v.descr.is_empty()
            || v.sysname_model.is_some()
            || !v.fingerprints.is_empty()
            || !v.model_rewrite.is_empty();
        assert!(
            !rich || !v.example.is_empty(),
            "vendor {:?} has rules but no example",
            v.name
        );
        assert!(
            !v.enterprises.is_empty() || !v.descr.is_empty(),
            "vendor {:?} has neither an enterprise number nor sysDescr rules",
            v.name
        );
    }
}

#[test]
fn lookups() {
    let t = table();
    assert_eq!(t.by_enterprise(318).unwrap().name, "APC");
    assert_eq!(t.by_enterprise(8072).map(|v| v.maker), Some(false));
    assert_eq!(t.by_name("Hewlett-Packard").unwrap().name, "HP");
    assert_eq!(t.by_name("net-snmp").map(|v| v.name.as_str()), None);
    let (v, rest) = t.prefixed("KONICA MINOLTA bizhub C250i").unwrap();
    assert_eq!((v.name.as_str(), rest), ("Konica Minolta", "bizhub C250i"));
    assert!(t.prefixed("HPX 3000").is_none());
    assert_eq!(
        t.by_enterprise(12356).unwrap().tidy_model("FGT_60F"),
        "FortiGate 60F"
    );
    assert_eq!(
        t.by_enterprise(2435)
            .unwrap()
            .tidy_model("Brother MFC-L2710DW series"),
        "MFC-L2710DW series"
    );
}

#[test]
fn duplicate_enterprises_and_bad_types_are_refused() {
    let e = Table::parse(
        "[[vendor]]\nname='A'\nenterprises=[1]\n[[vendor]]\nname='B'\nenterprises=[1]\n",
    )
    .unwrap_err();
    assert!(e.contains("enterprise 1 is listed twice"), "{e}");
    let e = Table::parse("[[vendor]]\nname='A'\nenterprises=[1]\ndefault_type='toaster'\n")
        .unwrap_err();
    assert!(
        e.contains("vendor \"A\" default_type: unknown type \"toaster\""),
        "{e}"
    );
}

#[test]
fn device_ids_parse() {
    let (m, d) = parse_device_id("MFG:HP;CMD:PJL,PML;MDL:HP LaserJet MFP M129-M134;CLS:PRINTER;");
    assert_eq!(
        (m.as_deref(), d.as_deref()),
        (Some("HP"), Some("HP LaserJet MFP M129-M134"))
    );
    assert_eq!(parse_device_id("garbage"), (None, None));
}
