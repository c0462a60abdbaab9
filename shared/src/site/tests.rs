use super::*;
use serde_json::json;

fn facts(v: serde_json::Value) -> SiteFacts {
    serde_json::from_value(v).unwrap()
}

fn fields(f: &SiteFacts) -> Vec<String> {
    f.check().iter().map(|i| i.to_string()).collect()
}

#[test]
fn a_complete_section_has_no_issues() {
    let f = facts(json!({
        "organisation": {"name": "Voorbeeld B.V.", "reviewed": "2026-01-31"},
        "processes": {"departments": [{"name": "Sales", "systems": [
            {"name": "CRM", "priority": 1, "depends_on": ["Mail"]},
            {"name": "Mail", "priority": 2}
        ]}]},
        "tests": {"yearly": [{"kind": "restore_backup", "last_done": "2026-02-01"}]}
    }));
    assert_eq!(f.check(), []);
    assert_eq!(
        f.organisation.unwrap().reviewed.unwrap().date(),
        chrono::NaiveDate::from_ymd_opt(2026, 1, 31)
    );
}

#[test]
fn bad_dates_priorities_and_names_are_named_by_path() {
    let f = facts(json!({
        "organisation": {"name": " ", "reviewed": "2026-02-30"},
        "licences": {"items": [{"product": "Office", "quantity": 3, "expires": "soon"}]},
        "processes": {"departments": [{"name": "Sales", "systems": [
            {"name": "CRM", "priority": 7, "depends_on": ["Nope"]}
        ]}]},
        "tests": {"yearly": [
            {"kind": "restore_backup"}, {"kind": "restore_backup", "last_done": "2026-13-01"}
        ]}
    }));
    assert_eq!(
        fields(&f),
        [
            "organisation.name: must not be empty",
            "organisation.reviewed: \"2026-02-30\" is not a date (expected YYYY-MM-DD)",
            "licences.items[0].expires: \"soon\" is not a date (expected YYYY-MM-DD)",
            "processes.departments[0].systems[0].priority: priority 7 is not allowed (1 = restore first … 4 = can wait; 1–4)",
            "processes.departments[0].systems[0].depends_on: \"Nope\" is not a system of any department",
            "tests.yearly[1].kind: restore_backup is listed twice",
            "tests.yearly[1].last_done: \"2026-13-01\" is not a date (expected YYYY-MM-DD)",
        ]
    );
}

#[test]
fn dependency_cycles_are_refused() {
    let f = facts(json!({"processes": {"departments": [
        {"name": "A", "systems": [{"name": "X", "depends_on": ["Y"]}]},
        {"name": "B", "systems": [{"name": "Y", "depends_on": ["X"]}, {"name": "Z", "depends_on": ["Z"]}]}
    ]}}));
    assert_eq!(
        fields(&f),
        [
            "processes.departments[1].systems[1].depends_on: \"Z\" depends on itself",
            "processes: systems depend on each other in a circle: X → Y → X",
        ]
    );
}

#[test]
fn unknown_keys_and_roles_are_refused() {
    let e = serde_json::from_value::<SiteFacts>(json!({"team": {"members": [
        {"name": "A", "roles": ["janitor"]}
    ]}}))
    .unwrap_err();
    assert!(e.to_string().contains("unknown variant `janitor`"), "{e}");
    let e = serde_json::from_value::<SiteFacts>(json!({"organisaton": {}})).unwrap_err();
    assert!(e.to_string().contains("unknown field `organisaton`"), "{e}");
}

#[test]
fn a_date_arrives_as_text_or_as_a_one_entry_map() {
    let d: SiteDate = serde_json::from_value(json!("2026-03-01")).unwrap();
    assert_eq!(d.0, "2026-03-01");
    let d: SiteDate =
        serde_json::from_value(json!({"$__toml_private_datetime": "2026-03-02"})).unwrap();
    assert_eq!(d.date(), chrono::NaiveDate::from_ymd_opt(2026, 3, 2));
}

#[test]
fn reviewed_lists_every_section() {
    let f = facts(json!({"team": {"reviewed": "2025-01-01"}, "backup": {}}));
    let r = f.reviewed();
    assert_eq!(r.len(), 13);
    assert_eq!(
        r[1],
        (
            SectionName::Team,
            Some(Some(&SiteDate("2025-01-01".into())))
        )
    );
    assert_eq!(r[9], (SectionName::Backup, Some(None)));
    assert_eq!(r[0], (SectionName::Organisation, None));
}
