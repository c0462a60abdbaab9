//! Unit tests of the plan's rules that the golden files do not isolate:
//! the recovery order, the yearly tests' staleness, the community labels.

use super::*;
use census_shared::site::{
    Department, Processes, SiteDate, SiteFacts, System, TestKind, Tests, YearlyTest,
};

fn sys(name: &str, priority: Option<u8>, deps: &[&str]) -> System {
    System {
        name: name.into(),
        data: None,
        priority,
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
    }
}

#[test]
fn dependencies_take_the_urgency_of_what_needs_them_and_come_first() {
    let p = Processes {
        departments: vec![
            Department {
                name: "Sales".into(),
                head: None,
                systems: vec![sys("CRM", Some(1), &["Mail"]), sys("Web", Some(3), &[])],
            },
            Department {
                name: "Office".into(),
                head: None,
                systems: vec![
                    sys("Mail", Some(2), &["DNS"]),
                    sys("DNS", None, &[]),
                    sys("Archive", None, &[]),
                    sys("CRM", Some(2), &[]),
                ],
            },
        ],
        reviewed: None,
    };
    let order: Vec<(String, Option<u8>, Vec<String>)> = recovery::order(&p)
        .into_iter()
        .map(|s| (s.system, s.priority, s.departments))
        .collect();
    let names: Vec<&str> = order.iter().map(|o| o.0.as_str()).collect();
    assert_eq!(names, ["DNS", "Mail", "CRM", "Web", "Archive"]);
    assert_eq!(order[0].1, Some(1));
    assert_eq!(order[2].2, ["Office", "Sales"]);
    assert_eq!(order[4].1, None);
}

#[test]
fn yearly_tests_are_overdue_after_a_year_or_when_never_done() {
    let site = SiteFacts {
        tests: Some(Tests {
            yearly: vec![
                YearlyTest {
                    kind: TestKind::RestoreBackup,
                    last_done: Some(SiteDate("2025-06-01".into())),
                    notes: None,
                },
                YearlyTest {
                    kind: TestKind::PhishingExercise,
                    last_done: Some(SiteDate("2025-05-31".into())),
                    notes: None,
                },
            ],
            reviewed: None,
        }),
        ..SiteFacts::default()
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let rows = findings::tests(Some(&site), today);
    let overdue: Vec<(TestKind, bool)> = rows.iter().map(|r| (r.kind, r.overdue)).collect();
    assert_eq!(
        overdue,
        [
            (TestKind::RestoreBackup, false),
            (TestKind::ReachSuppliersOutOfHours, true),
            (TestKind::WorkFromFallback, true),
            (TestKind::PhishingExercise, true),
            (TestKind::UsbDropExercise, true),
        ]
    );
    assert!(findings::tests(None, today).iter().all(|r| r.overdue));
}

#[test]
fn default_communities_are_named_by_their_label() {
    let list = ["s3cret", "public", "private"].map(String::from);
    assert_eq!(
        default_communities(&list),
        ["community #2 ", "community #3 "]
    );
}

#[test]
fn an_empty_plan_still_has_every_section_and_says_the_site_file_is_missing() {
    let p = build(&Inputs {
        assets: &[],
        observations: &[],
        site: None,
        default_communities: vec![],
        now: chrono::DateTime::UNIX_EPOCH,
    });
    assert_eq!(p.devices.len(), model::DeviceKind::ALL.len());
    assert_eq!(p.to_complete[0].kind, model::FindingKind::NoSiteFile);
    for lang in Lang::ALL {
        let doc = layout::layout(&p, lang);
        assert_eq!(doc.sections.len(), 21);
        let md = markdown::render(&doc);
        assert!(md.contains(messages::Msg::NotInSiteFile.text(lang)));
    }
}
