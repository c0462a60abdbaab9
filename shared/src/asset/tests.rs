use super::*;

#[test]
fn category_and_field_spellings_round_trip() {
    for c in Category::ALL {
        assert_eq!(Category::parse(c.as_str()), Some(c));
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            format!("\"{}\"", c.as_str())
        );
    }
    for f in FieldName::ALL {
        assert_eq!(FieldName::parse(f.as_str()), Some(f));
        assert_eq!(
            serde_json::to_string(&f).unwrap(),
            format!("\"{}\"", f.as_str())
        );
    }
    assert_eq!(Category::parse("toaster"), None);
    assert_eq!(
        Category::Laptop.plan_heading(),
        Category::OfficePc.plan_heading()
    );
}

#[test]
fn source_precedence_is_person_agent_snmp_scan() {
    assert!(SourceKind::Person > SourceKind::Agent);
    assert!(SourceKind::Agent > SourceKind::Snmp);
    assert!(SourceKind::Snmp > SourceKind::Scan);
}

#[test]
fn identity_keys_round_trip_as_text() {
    for s in [
        "agent:3f2a",
        "serial:dell/5CD1234XYZ",
        "serial:/AB/12",
        "uuid:4c4c4544-0042-3510-8052-b4c04f4e4d32",
        "mac:3c:7c:3f:12:34:56",
        "name:pc-anna",
        "ip:192.168.1.20",
        "ip:fd00::1",
    ] {
        let k: IdentityKey = s.parse().unwrap();
        assert_eq!(k.to_string(), s);
        let j = serde_json::to_string(&k).unwrap();
        assert_eq!(serde_json::from_str::<IdentityKey>(&j).unwrap(), k);
    }
    for bad in ["", "agent:", "mac:zz", "serial:nodelimiter", "colour:red"] {
        assert!(bad.parse::<IdentityKey>().is_err(), "{bad}");
    }
    assert!(IdentityKey::Agent("a".into()).is_strong());
    assert!(!IdentityKey::Name("a".into()).is_strong());
}

#[test]
fn field_serialises_flat_with_provenance() {
    let f = Field {
        value: Category::Printer,
        provenance: Provenance {
            source: SourceKind::Snmp,
            observation: ObservationId("scan:7".into()),
            at: DateTime::from_timestamp(0, 0).unwrap(),
        },
    };
    let j = serde_json::to_value(&f).unwrap();
    assert_eq!(j["value"], "printer");
    assert_eq!(j["source"], "snmp");
    assert_eq!(j["observation"], "scan:7");
    assert_eq!(serde_json::from_value::<Field<Category>>(j).unwrap(), f);
}

#[test]
fn events_are_tagged() {
    let e = Event {
        at: DateTime::from_timestamp(0, 0).unwrap(),
        asset: AssetId("a-1".into()),
        kind: EventKind::field(
            FieldName::Owner,
            None,
            Some("anna".into()),
            SourceKind::Person,
        ),
    };
    let j = serde_json::to_value(&e).unwrap();
    assert_eq!(j["event"], "field_changed");
    assert_eq!(j["field"], "owner");
    assert_eq!(serde_json::from_value::<Event>(j).unwrap(), e);
}
