//! The site-facts forms without a server: indexed names parsed into rows,
//! removed and empty rows dropped, a licence key kept and never shown,
//! problems put next to the input they name, and every section of the
//! documented example surviving a trip through its form unchanged.

use super::forms::{Node, build, field_of, node_of, parse};
use super::sections::{self, ALL, find};
use super::view::{FieldView, Input, Item, items};
use crate::plan::messages::Lang;
use census_shared::site::{
    ExternalKind, LineKind, MobileKind, Processes, Role, SiteFacts, Team, TestKind,
};
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn built(section: &str, list: &[(&str, &str)], stored: Option<&Value>) -> super::forms::Built {
    build(
        find(section).unwrap(),
        &parse(&pairs(list)),
        stored,
        Lang::En,
    )
}

#[test]
fn indexed_names_become_rows() {
    let n = parse(&pairs(&[
        ("csrf", "t"),
        ("reviewed", "2026-01-01"),
        ("system.make", "Acme"),
        ("members[1].name", "B"),
        ("members[0].name", "A"),
        ("members[0].roles", "management"),
        ("members[0].roles", "other"),
        ("departments[0].systems[2].priority", "1"),
        ("members[x].name", "not an index"),
        ("members[0]", "no field"),
        ("a.b[0].c", "a dotted list"),
        ("members[99999].name", "too far"),
    ]));
    assert_eq!(n.values["system.make"], ["Acme"]);
    let members = &n.lists["members"];
    assert_eq!(members.keys().copied().collect::<Vec<_>>(), [0, 1]);
    assert_eq!(members[&0].values["roles"], ["management", "other"]);
    assert_eq!(
        n.lists["departments"][&0].lists["systems"][&2].values["priority"],
        ["1"]
    );
    assert_eq!(n.lists.len(), 2, "{n:?}");
}

#[test]
fn rows_removed_or_left_empty_are_dropped() {
    let b = built(
        "team",
        &[
            ("reviewed", "2026-03-01"),
            ("members[0].name", "Anna"),
            ("members[0].remove", "1"),
            ("members[1].name", " Bram "),
            ("members[1].roles", "it_administrator"),
            ("members[1].roles", "privacy_officer"),
            ("members[1].phone", ""),
            ("members[1].first_contact", "1"),
            ("members[1].informs", "staff, , customers "),
            // The empty add row.
            ("members[2].name", ""),
            ("members[2].phone", " "),
            ("members[2].informs", ""),
        ],
        None,
    );
    assert!(b.errors.is_empty(), "{:?}", b.errors);
    let team: Team = serde_json::from_value(b.value.unwrap()).unwrap();
    assert_eq!(team.reviewed.unwrap().0, "2026-03-01");
    assert_eq!(team.members.len(), 1);
    let m = &team.members[0];
    assert_eq!(m.name, "Bram");
    assert_eq!(m.roles, [Role::ItAdministrator, Role::PrivacyOfficer]);
    assert_eq!(
        (m.phone.as_deref(), m.first_contact, m.decides),
        (None, true, false)
    );
    assert_eq!(m.informs, ["staff", "customers"]);
    assert_eq!(b.rows["members[0]"], "members[1]");

    // A form left empty removes the section.
    assert_eq!(built("team", &[("members[0].name", "")], None).value, None);
}

#[test]
fn nested_rows_and_priorities() {
    let b = built(
        "processes",
        &[
            ("departments[0].name", "Finance"),
            ("departments[0].systems[0].name", "Books"),
            ("departments[0].systems[0].priority", "2"),
            ("departments[0].systems[0].depends_on", "Mail"),
            ("departments[0].systems[1].name", ""),
            ("departments[0].systems[1].priority", ""),
            ("departments[1].name", "Sales"),
            ("departments[1].systems[0].name", "Mail"),
            ("departments[1].systems[0].priority", "1"),
            ("departments[2].name", ""),
            ("departments[2].systems[0].name", ""),
        ],
        None,
    );
    assert!(b.errors.is_empty(), "{:?}", b.errors);
    let p: Processes = serde_json::from_value(b.value.unwrap()).unwrap();
    assert_eq!(p.departments.len(), 2);
    assert_eq!(p.departments[0].systems.len(), 1);
    assert_eq!(p.departments[0].systems[0].priority, Some(2));
    assert_eq!(p.departments[0].systems[0].depends_on, ["Mail"]);
    assert_eq!(p.departments[1].systems[0].priority, Some(1));
}

#[test]
fn what_cannot_be_a_value_is_named_by_input() {
    let b = built(
        "licences",
        &[
            ("items[0].product", "Office"),
            ("items[0].quantity", "three"),
            ("items[1].product", "Books"),
            ("items[1].quantity", ""),
        ],
        None,
    );
    let fields: Vec<&str> = b.errors.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["items[0].quantity", "items[1].quantity"]);
    assert_eq!(b.errors[0].1, "\"three\" is not a whole number.");
    let b = built(
        "tests",
        &[
            ("yearly[0].kind", "<script>"),
            ("yearly[1].last_done", "2026-01-01"),
        ],
        None,
    );
    assert_eq!(b.errors[0].0, "yearly[0].kind");
    assert_eq!(b.errors[0].1, "\"<script>\" is not one of the choices.");
    assert_eq!(b.errors[1].0, "yearly[1].kind");
    let b = built(
        "processes",
        &[
            ("departments[0].name", "A"),
            ("departments[0].systems[0].name", "X"),
            ("departments[0].systems[0].priority", "first"),
        ],
        None,
    );
    assert_eq!(b.errors[0].0, "departments[0].systems[0].priority");
}

#[test]
fn issues_of_the_checks_land_on_the_input_they_name() {
    // Rows 0 and 1 removed: the third posted row is the section's first.
    let b = built(
        "processes",
        &[
            ("departments[0].name", "Gone"),
            ("departments[0].remove", "1"),
            ("departments[1].name", "Finance"),
            ("departments[1].systems[0].name", "Books"),
            ("departments[1].systems[0].remove", "1"),
            ("departments[1].systems[1].name", "Ledger"),
            ("departments[1].systems[1].priority", "7"),
            ("departments[1].systems[1].depends_on", "Nothing"),
        ],
        None,
    );
    let facts = SiteFacts {
        processes: Some(serde_json::from_value(b.value.unwrap()).unwrap()),
        organisation: serde_json::from_value(json!({"name": ""})).unwrap(),
        ..SiteFacts::default()
    };
    let placed: Vec<(String, Option<String>)> = facts
        .check()
        .iter()
        .map(|i| (i.field(), field_of(i, "processes", &b.rows)))
        .collect();
    let on = |f: &str| Some(f.to_string());
    assert_eq!(
        placed,
        [
            ("organisation.name".into(), None),
            (
                "processes.departments[0].systems[0].priority".into(),
                on("departments[1].systems[1].priority")
            ),
            (
                "processes.departments[0].systems[0].depends_on".into(),
                on("departments[1].systems[1].depends_on")
            ),
        ]
    );
    // On a page drawn from the file, rows keep their index; the section
    // as a whole is nobody's input.
    let whole = census_shared::site::SiteIssue {
        path: vec![census_shared::site::PathSeg::Key("processes")],
        message: "circle".into(),
    };
    assert_eq!(field_of(&whole, "processes", &BTreeMap::new()), None);
    let reviewed = &SiteFacts {
        team: serde_json::from_value(json!({"reviewed": "2026-02-30"})).unwrap(),
        ..SiteFacts::default()
    }
    .check()[0];
    assert_eq!(field_of(reviewed, "team", &BTreeMap::new()), on("reviewed"));
}

fn fields(items: &[Item]) -> Vec<&FieldView> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Field(f) => Some(f),
            _ => None,
        })
        .collect()
}

#[test]
fn a_licence_key_is_kept_replaced_or_forgotten_and_never_shown() {
    let stored = json!({"items": [{"product": "Office", "quantity": 5, "key": "SECRET-KEY-1"}]});
    let row = |extra: &[(&str, &str)]| {
        let mut l = vec![("items[0].product", "Office"), ("items[0].quantity", "5")];
        l.extend_from_slice(extra);
        built("licences", &l, Some(&stored)).value.unwrap()
    };
    assert_eq!(
        row(&[("items[0].key", "")])["items"][0]["key"],
        "SECRET-KEY-1"
    );
    assert_eq!(row(&[("items[0].key", "NEW")])["items"][0]["key"], "NEW");
    assert_eq!(
        row(&[("items[0].key.forget", "1")])["items"][0].get("key"),
        None
    );
    // An added row has no stored key to inherit.
    let b = built(
        "licences",
        &[("items[1].product", "Books"), ("items[1].quantity", "1")],
        Some(&stored),
    );
    assert_eq!(b.value.unwrap()["items"][0].get("key"), None);

    let section = find("licences").unwrap();
    let node = node_of(&section.shape, &stored);
    let drawn = items(
        section,
        &node,
        Some(&stored),
        &mut BTreeMap::new(),
        Lang::En,
    );
    assert!(!format!("{drawn:?}").contains("SECRET"), "{drawn:?}");
    let key = fields(&drawn)
        .into_iter()
        .find(|f| f.name == "items[0].key")
        .unwrap();
    assert!(
        matches!(&key.input, Input::Secret { forget: Some(_), hint } if hint.contains("stored")),
        "{key:?}"
    );
}

#[test]
fn the_form_shows_each_problem_at_its_input_and_one_empty_row_to_add() {
    let section = find("team").unwrap();
    let node = parse(&pairs(&[
        ("reviewed", "2026-02-30"),
        ("members[0].name", "<b>Anna</b>"),
        ("members[0].remove", "1"),
    ]));
    let mut errors = BTreeMap::from([
        ("reviewed".to_string(), vec!["not a date".to_string()]),
        ("elsewhere".to_string(), vec!["left over".to_string()]),
    ]);
    let drawn = items(section, &node, None, &mut errors, Lang::En);
    assert_eq!(errors.keys().collect::<Vec<_>>(), ["elsewhere"]);
    let f = fields(&drawn);
    assert_eq!(f[0].name, "reviewed");
    assert_eq!(f[0].errors, ["not a date"]);
    assert!(matches!(&f[0].input, Input::Text { value, .. } if value == "2026-02-30"));
    let names: Vec<&str> = f.iter().map(|f| f.name.as_str()).collect();
    assert!(names.contains(&"members[0].name") && names.contains(&"members[1].name"));
    assert!(
        !names.iter().any(|n| n.starts_with("members[2]")),
        "{names:?}"
    );
    let opens: Vec<(&String, bool)> = drawn
        .iter()
        .filter_map(|i| match i {
            Item::Open { legend, remove, .. } => {
                Some((legend, remove.as_ref().is_some_and(|r| r.on)))
            }
            _ => None,
        })
        .collect();
    assert_eq!(opens.len(), 2);
    assert_eq!(opens[0], (&"1 · <b>Anna</b>".to_string(), true));
}

/// Every section of `deploy/examples/site.toml`, drawn into its form and
/// posted back unchanged, is the same section.
#[test]
fn every_section_of_the_example_survives_its_form() {
    let text = include_str!("../../../../deploy/examples/site.toml");
    let facts: SiteFacts = toml::from_str(text).unwrap();
    let json = serde_json::to_value(&facts).unwrap();
    let mut seen = 0;
    for section in ALL {
        let Some(stored) = json.get(section.key).filter(|v| !v.is_null()) else {
            continue;
        };
        seen += 1;
        let node: Node = node_of(&section.shape, stored);
        let mut posted = Vec::new();
        flatten(&node, "", &mut posted);
        let b = build(section, &parse(&posted), Some(stored), Lang::Nl);
        assert!(b.errors.is_empty(), "{}: {:?}", section.key, b.errors);
        let mut again = json.clone();
        again[section.key] = b.value.unwrap();
        let again: SiteFacts = serde_json::from_value(again).unwrap();
        assert_eq!(again, facts, "{}", section.key);
    }
    assert_eq!(seen, ALL.len(), "the example fills in every section");
}

/// A node as the browser would post it.
fn flatten(n: &Node, prefix: &str, out: &mut Vec<(String, String)>) {
    for (k, vs) in &n.values {
        for v in vs {
            out.push((super::forms::join(prefix, k), v.clone()));
        }
    }
    for (k, rows) in &n.lists {
        for (i, row) in rows {
            flatten(row, &format!("{}[{i}]", super::forms::join(prefix, k)), out);
        }
    }
}

#[test]
fn every_choice_is_a_value_of_the_model() {
    fn all<T: serde::de::DeserializeOwned>(table: &[(&str, crate::plan::messages::Msg)]) -> Vec<T> {
        table
            .iter()
            .map(|(v, _)| serde_json::from_value(json!(v)).unwrap())
            .collect()
    }
    assert_eq!(all::<Role>(sections::ROLES), Role::ALL);
    assert_eq!(all::<TestKind>(sections::TEST_KINDS), TestKind::ALL);
    assert_eq!(all::<ExternalKind>(sections::PARTY_KINDS).len(), 7);
    assert_eq!(all::<LineKind>(sections::LINE_KINDS).len(), 5);
    assert_eq!(
        all::<MobileKind>(sections::MOBILE_KINDS),
        [MobileKind::Phone, MobileKind::Tablet]
    );
    for s in ALL {
        assert!(find(s.key).is_some());
        assert!(
            serde_json::from_value::<SiteFacts>(json!({ s.key: {} })).is_ok()
                || s.key == "organisation",
            "{}",
            s.key
        );
    }
}

/// Every section's page renders the example (with a licence key added
/// and a problem placed), and the key is nowhere in the HTML.
#[test]
fn every_section_page_renders_without_the_licence_key() {
    use askama::Template;
    let text = include_str!("../../../../deploy/examples/site.toml");
    let mut facts: SiteFacts = toml::from_str(text).unwrap();
    facts.licences.as_mut().unwrap().items[0].key = Some("KEY-<b>-SECRET".into());
    let json = super::as_json(&facts);
    let ui = crate::web::Ui {
        lang: Lang::Nl,
        user: Some("admin".into()),
        csrf: "token".into(),
        path: "/site".into(),
    };
    for section in ALL {
        let stored = json.get(section.key);
        let node = node_of(&section.shape, stored.unwrap());
        let bad = vec!["<i>bad</i>".to_string()];
        let mut errors = BTreeMap::from([("reviewed".to_string(), bad)]);
        let html = super::SectionPage {
            ui: &ui,
            key: section.key,
            title: ui.t(section.title),
            note: None,
            sections: Vec::new(),
            items: items(section, &node, stored, &mut errors, ui.lang),
            problems: Vec::new(),
            count: 1,
            saved: false,
        }
        .render()
        .unwrap();
        assert!(!html.contains("SECRET"), "{}", section.key);
        assert!(html.contains("&#60;i&#62;bad&#60;/i&#62;"), "{html}");
        assert!(html.contains(r#"name="csrf" value="token""#));
        let balanced = |open, close| html.matches(open).count() == html.matches(close).count();
        assert!(balanced("<fieldset", "</fieldset>"), "{}", section.key);
        assert!(balanced("<div", "</div>"), "{}", section.key);
    }
}
