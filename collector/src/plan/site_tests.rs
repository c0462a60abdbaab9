use super::*;

fn problems(text: &str) -> Vec<String> {
    match parse(text, Path::new("site.toml")) {
        Ok(_) => vec![],
        Err(SiteError::Invalid(p)) => p.iter().map(|p| p.to_string()).collect(),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_example_loads() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/examples/site.toml");
    let f = load(&file).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(f.organisation.unwrap().name, "Bakkerij Voorbeeld B.V.");
    assert_eq!(f.team.unwrap().members.len(), 2);
    let p = f.processes.unwrap();
    assert_eq!(p.departments[0].systems[0].priority, Some(1));
    assert_eq!(
        f.tests.unwrap().yearly[0]
            .last_done
            .as_ref()
            .unwrap()
            .date(),
        chrono::NaiveDate::from_ymd_opt(2026, 2, 15)
    );
}

#[test]
fn syntax_and_type_errors_name_line_and_field() {
    assert_eq!(
        problems("[organisation]\nname = \"A\"\nphone = 12\n"),
        ["site.toml:3:9: organisation.phone: invalid type: integer `12`, expected a string"]
    );
    assert_eq!(
        problems("[team]\n\n[[team.members]]\nname = \"A\"\nroles = [\"janitor\"]\n"),
        [
            "site.toml:5:10: team.members[0].roles[0]: unknown variant `janitor`, expected one of `it_administrator`, `privacy_officer`, `department_head`, `management`, `communications`, `other`"
        ]
    );
    let p = problems("[organisaton]\nname = \"A\"\n");
    assert!(
        p[0].starts_with("site.toml:1:2: ") && p[0].contains("unknown field `organisaton`"),
        "{p:?}"
    );
    let p = problems("[organisation\n");
    assert!(p[0].starts_with("site.toml:1:"), "{p:?}");
}

#[test]
fn semantic_errors_point_at_the_offending_key() {
    let text = "\
[organisation]
name = \"A\"
reviewed = \"2026-02-30\"

[processes]
[[processes.departments]]
name = \"Sales\"
[[processes.departments.systems]]
name = \"CRM\"
priority = 9
";
    assert_eq!(
        problems(text),
        [
            "site.toml:3:1: organisation.reviewed: \"2026-02-30\" is not a date (expected YYYY-MM-DD)",
            "site.toml:10:1: processes.departments[0].systems[0].priority: priority 9 is not allowed (1 = restore first … 4 = can wait; 1–4)",
        ]
    );
}

#[test]
fn bare_toml_dates_are_checked_too() {
    let p = problems("[tests]\nreviewed = 2026-02-29\n");
    assert!(p.len() == 1 && p[0].starts_with("site.toml:2:"), "{p:?}");
}

#[test]
fn a_missing_file_names_it() {
    let e = load(Path::new("/nonexistent/site.toml")).unwrap_err();
    assert!(e.to_string().contains("/nonexistent/site.toml"), "{e}");
}
