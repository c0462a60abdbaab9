//! A person's corrections: merges and splits survive recomputation with new
//! observations, later decisions undo earlier ones they contradict, values
//! a person set win and follow a merge.

use super::*;

fn reimaged() -> Vec<Observation> {
    // The same PC enrolled twice (re-imaged): two agents, never merged
    // automatically.
    let pc = |at| Pc::new("PC-RECEPTION", at).hw("HP", "EliteDesk 800 G6", "CZC0123ABC");
    vec![
        pc(t(0))
            .eth("3c:7c:3f:00:00:01", "192.168.1.20")
            .obs("report:1", "ag-old"),
        pc(t(5))
            .eth("3c:7c:3f:00:00:01", "192.168.1.20")
            .obs("report:2", "ag-new"),
    ]
}

#[test]
fn a_person_merge_survives_recomputation() {
    let first = run_at(&reimaged(), &[], &Previous::default(), t(6));
    assert_eq!(first.assets.len(), 2);
    let into = asset_of(&first, "report:2").id.clone();
    let from = asset_of(&first, "report:1").id.clone();
    let merge = merge_decision(&first, &into, &from, "d1", t(7)).unwrap();
    let second = run_at(
        &reimaged(),
        std::slice::from_ref(&merge),
        &previous(&first),
        t(8),
    );
    assert_eq!(groups(&second), vec![vec!["report:1", "report:2"]]);
    assert_eq!(second.assets[0].id, into);
    assert_eq!(second.assets[0].agent_ids, ["ag-new", "ag-old"]);
    assert!(matches!(
        second.explanations[0].id_origin,
        IdOrigin::PersonMerge
    ));
    assert!(
        second
            .events
            .iter()
            .any(|e| e.asset == from && e.kind == EventKind::Absorbed { into: into.clone() })
    );

    // The next run brings a new report and a scan: still one asset, same id.
    let mut obs = reimaged();
    obs.push(
        Pc::new("PC-RECEPTION", t(30))
            .hw("HP", "EliteDesk 800 G6", "CZC0123ABC")
            .eth("3c:7c:3f:00:00:01", "192.168.1.20")
            .obs("report:3", "ag-new"),
    );
    obs.push(Seen::new("192.168.1.20", "3c:7c:3f:00:00:01", t(30)).obs("scan:1", 1));
    let third = run_at(&obs, &[merge], &previous(&second), t(31));
    assert_eq!(third.assets.len(), 1, "{:#?}", groups(&third));
    assert_eq!(third.assets[0].id, into);
}

fn wrongly_joined(scan_id: &str, at: DateTime<Utc>) -> Vec<Observation> {
    // No MACs (routed): a phone got the PC's old address and the same
    // name (a hostname clash), so weak keys joined them.
    vec![
        Pc::new("PC-ANNA", t(0))
            .hw("Dell Inc.", "OptiPlex", "5CD1234XYZ")
            .eth("", "10.1.0.20")
            .obs("report:1", "ag-anna"),
        Seen::new("10.1.0.20", "", at)
            .name("pc-anna", "mdns")
            .guess(DeviceKind::Phone)
            .obs(scan_id, 1),
    ]
}

#[test]
fn a_person_split_survives_recomputation() {
    let first = run_at(
        &wrongly_joined("scan:1", t(1)),
        &[],
        &Previous::default(),
        t(2),
    );
    assert_eq!(first.assets.len(), 1);
    let id = first.assets[0].id.clone();
    let split = split_decision(&first, &id, &ObservationId("scan:1".into()), "d1", t(3)).unwrap();
    let second = run_at(
        &wrongly_joined("scan:1", t(1)),
        std::slice::from_ref(&split),
        &previous(&first),
        t(4),
    );
    assert_eq!(groups(&second), vec![vec!["report:1"], vec!["scan:1"]]);
    assert_eq!(
        asset_of(&second, "report:1").id,
        id,
        "the agent side keeps the id"
    );
    assert!(explained(&second, "scan:1").contains("a person split them"));

    // A new scan sees the phone again (new observation id): still apart.
    let third = run_at(
        &wrongly_joined("scan:2", t(6)),
        &[split],
        &previous(&second),
        t(7),
    );
    assert_eq!(groups(&third), vec![vec!["report:1"], vec!["scan:2"]]);
    assert_eq!(asset_of(&third, "report:1").id, id);
    assert_eq!(
        asset_of(&third, "scan:2").id,
        asset_of(&second, "scan:1").id
    );
}

#[test]
fn a_later_decision_undoes_an_earlier_one_it_contradicts() {
    let first = run_at(&reimaged(), &[], &Previous::default(), t(6));
    let into = asset_of(&first, "report:2").id.clone();
    let from = asset_of(&first, "report:1").id.clone();
    let merge = merge_decision(&first, &into, &from, "d1", t(7)).unwrap();
    let merged = run_at(
        &reimaged(),
        std::slice::from_ref(&merge),
        &previous(&first),
        t(8),
    );
    let split = split_decision(
        &merged,
        &into,
        &ObservationId("report:1".into()),
        "d2",
        t(9),
    )
    .unwrap();
    let decisions = [merge.clone(), split.clone()];
    let res = run_at(&reimaged(), &decisions, &previous(&merged), t(10));
    assert_eq!(res.assets.len(), 2, "the later split wins");
    // And a merge after that split wins again.
    let again = Decision {
        id: "d3".into(),
        at: t(11),
        ..merge
    };
    let res = run_at(
        &reimaged(),
        &[decisions[0].clone(), split, again],
        &previous(&res),
        t(12),
    );
    assert_eq!(res.assets.len(), 1, "the later merge wins");
}

#[test]
fn values_a_person_set_win_and_follow_a_merge() {
    let first = run_at(&reimaged(), &[], &Previous::default(), t(6));
    let into = asset_of(&first, "report:2").id.clone();
    let from = asset_of(&first, "report:1").id.clone();
    let set = |id: &str, asset: &AssetId, f: FieldName, v: Option<&str>, h| {
        set_decision(&first, asset, f, v.map(str::to_string), id, t(h)).unwrap()
    };
    let decisions = vec![
        set("d1", &from, FieldName::Owner, Some("Reception desk"), 7),
        set("d2", &into, FieldName::Name, Some("Reception PC"), 7),
        set("d3", &into, FieldName::Category, Some("server"), 7),
        set("d4", &into, FieldName::Category, None, 8),
        merge_decision(&first, &into, &from, "d5", t(9)).unwrap(),
    ];
    let res = run_at(&reimaged(), &decisions, &previous(&first), t(10));
    let a = &res.assets[0];
    assert_eq!(
        a.owner.as_ref().unwrap().value,
        "Reception desk",
        "set on the absorbed id"
    );
    assert_eq!(a.name.as_ref().unwrap().value, "Reception PC");
    assert_eq!(
        a.name.as_ref().unwrap().provenance.source,
        SourceKind::Person
    );
    assert_eq!(
        a.name.as_ref().unwrap().provenance.observation.0,
        "person:d2"
    );
    // The category was set, then taken back: the agent's value again.
    assert_eq!(a.category.as_ref().unwrap().value, Category::OfficePc);
    assert_eq!(
        a.category.as_ref().unwrap().provenance.source,
        SourceKind::Agent
    );
}

#[test]
fn decisions_refuse_what_cannot_be_remembered() {
    let res = run(&reimaged());
    let a = asset_of(&res, "report:1").id.clone();
    let nope = AssetId("a-000000000000".into());
    assert_eq!(
        merge_decision(&res, &a, &a, "d", t(2)),
        Err(DecisionError::SameAsset(a.clone()))
    );
    assert!(matches!(
        merge_decision(&res, &a, &nope, "d", t(2)),
        Err(DecisionError::UnknownAsset(_))
    ));
    assert!(matches!(
        split_decision(&res, &a, &ObservationId("report:1".into()), "d", t(2)),
        Err(DecisionError::OnlyObservation(_))
    ));
    assert!(matches!(
        split_decision(&res, &a, &ObservationId("report:2".into()), "d", t(2)),
        Err(DecisionError::NotInAsset { .. })
    ));
    let bad = set_decision(
        &res,
        &a,
        FieldName::Category,
        Some("toaster".into()),
        "d",
        t(2),
    );
    assert!(matches!(bad, Err(DecisionError::BadCategory { .. })));
    // Decisions are stored as JSON.
    let d = set_decision(&res, &a, FieldName::Owner, Some("x".into()), "d", t(2)).unwrap();
    let json = serde_json::to_string(&d).unwrap();
    assert!(json.contains("\"action\":\"set\""), "{json}");
    assert_eq!(serde_json::from_str::<Decision>(&json).unwrap(), d);
}

#[test]
fn a_person_can_annotate_an_asset_not_seen_this_run() {
    let first = run(&reimaged());
    let old = asset_of(&first, "report:1").id.clone();
    let owner = set_decision(
        &first,
        &old,
        FieldName::Owner,
        Some("Storage room".into()),
        "d1",
        t(3),
    )
    .unwrap();
    // Nothing of it is observed in this run: it is kept, with the value.
    let res = run_at(&reimaged()[1..], &[owner], &previous(&first), t(4));
    let a = res.asset(&old).unwrap();
    assert_eq!(a.owner.as_ref().unwrap().value, "Storage room");
    assert!(res.events.iter().any(|e| e.asset == old && matches!(&e.kind, EventKind::FieldChanged { field, source: SourceKind::Person, .. } if field == "owner")));
}
