use super::*;
use crate::plan::findings::end_of_life;
use census_shared::report::OsInfo;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn named(os: &str) -> Option<NaiveDate> {
    support_end(&OsSeen {
        names: vec![os],
        ..OsSeen::default()
    })
}

#[test]
fn every_example_in_the_table_holds_and_every_block_has_one() {
    let spec: FileSpec = toml::from_str(DATA).unwrap();
    for s in &spec.os {
        assert!(!s.examples.is_empty(), "{}: no example", s.name);
        assert!(!s.matches.is_empty(), "{}: no match", s.name);
        let by_version = !s.ends.is_empty() || s.before.is_some();
        assert!(
            s.end.is_some() != by_version,
            "{}: either end, or ends/before",
            s.name
        );
        for e in &s.examples {
            let want = e.end.as_ref().map(|d| date(d, &s.name));
            assert_eq!(named(&e.os), want, "{}: example {:?}", s.name, e.os);
        }
    }
    assert_eq!(TABLE.len(), spec.os.len());
}

/// Operating systems as agents report them (`OsInfo`: family, name,
/// version, pretty name, os-release id, build).
fn os(family: &str, name: &str, version: &str, pretty: &str, id: &str, build: &str) -> OsInfo {
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    OsInfo {
        family: some(family),
        name: some(name),
        version: some(version),
        pretty_name: some(pretty),
        id: some(id),
        build: some(build),
        ..OsInfo::default()
    }
}

#[test]
fn reported_systems_past_their_end_at_a_fixed_date() {
    let today = day("2026-11-29");
    let cases: [(OsInfo, Option<(&str, &str)>); 14] = [
        (
            os("windows", "Windows 10 Pro", "22H2", "", "", "19045.4291"),
            Some(("Windows 10 Pro 22H2", "2025-10-14")),
        ),
        (
            os("windows", "Windows 7 Professional", "6.1", "", "", "7601"),
            Some(("Windows 7 Professional 6.1", "2020-01-14")),
        ),
        (
            os("windows", "Windows 8.1 Pro", "6.3", "", "", "9600"),
            Some(("Windows 8.1 Pro 6.3", "2023-01-10")),
        ),
        (
            os(
                "windows",
                "Windows Server 2012 R2 Standard",
                "6.3",
                "",
                "",
                "",
            ),
            Some(("Windows Server 2012 R2 Standard 6.3", "2023-10-10")),
        ),
        // Supported until 2027-01-12: not yet.
        (
            os(
                "windows",
                "Windows Server 2016 Standard",
                "1607",
                "",
                "",
                "",
            ),
            None,
        ),
        (
            os("windows", "Windows 11 Pro", "24H2", "", "", "26100"),
            Some(("Windows 11 Pro 24H2", "2026-10-13")),
        ),
        (
            os("windows", "Windows 11 Enterprise", "24H2", "", "", "26100"),
            None,
        ),
        (
            os(
                "linux",
                "Debian GNU/Linux",
                "11",
                "Debian GNU/Linux 11 (bullseye)",
                "debian",
                "bullseye",
            ),
            Some(("Debian GNU/Linux 11 (bullseye)", "2026-08-31")),
        ),
        (
            os(
                "linux",
                "Debian GNU/Linux",
                "12",
                "Debian GNU/Linux 12 (bookworm)",
                "debian",
                "bookworm",
            ),
            None,
        ),
        (
            os(
                "linux",
                "Ubuntu",
                "20.04",
                "Ubuntu 20.04.6 LTS",
                "ubuntu",
                "focal",
            ),
            Some(("Ubuntu 20.04.6 LTS", "2025-05-29")),
        ),
        (
            os(
                "linux",
                "CentOS Linux",
                "7",
                "CentOS Linux 7 (Core)",
                "centos",
                "",
            ),
            Some(("CentOS Linux 7 (Core)", "2024-06-30")),
        ),
        (
            os(
                "linux",
                "Red Hat Enterprise Linux Server",
                "7.9",
                "Red Hat Enterprise Linux Server 7.9 (Maipo)",
                "rhel",
                "",
            ),
            Some(("Red Hat Enterprise Linux Server 7.9 (Maipo)", "2024-06-30")),
        ),
        (
            os("macos", "macOS", "12.7.4", "", "", "21H1123"),
            Some(("macOS 12.7.4", "2024-09-16")),
        ),
        // Not in the table: unknown is no risk.
        (
            os(
                "linux",
                "Rocky Linux",
                "9.4",
                "Rocky Linux 9.4 (Blue Onyx)",
                "rocky",
                "",
            ),
            None,
        ),
    ];
    for (info, want) in cases {
        let got = end_of_life(Some(&info), None, today);
        let want = want.map(|(name, d)| (name.to_string(), day(d)));
        assert_eq!(got, want, "{info:?}");
    }
}

#[test]
fn the_agents_own_end_of_support_wins_and_the_plans_date_decides() {
    // Debian 10 by the table ended 2024-06-30; the agent says otherwise.
    let mut info = os(
        "linux",
        "Debian GNU/Linux",
        "10",
        "Debian GNU/Linux 10 (buster)",
        "debian",
        "",
    );
    let today = day("2026-11-29");
    assert_eq!(
        end_of_life(Some(&info), None, today).unwrap().1,
        day("2024-06-30")
    );
    info.support_end = Some("2027-06-30".into());
    assert_eq!(end_of_life(Some(&info), None, today), None);
    // The same system, a day before and a day after its last day.
    let w10 = os("windows", "Windows 10 Pro", "22H2", "", "", "");
    assert_eq!(end_of_life(Some(&w10), None, day("2025-10-14")), None);
    assert!(end_of_life(Some(&w10), None, day("2025-10-15")).is_some());
}

#[test]
fn without_an_agent_the_scanned_os_name_is_looked_up() {
    let today = day("2026-11-29");
    assert_eq!(
        end_of_life(None, Some("Microsoft Windows XP Professional"), today),
        Some((
            "Microsoft Windows XP Professional".into(),
            day("2014-04-08")
        ))
    );
    assert_eq!(end_of_life(None, Some("Linux 4.9.0"), today), None);
    assert_eq!(end_of_life(None, None, today), None);
}

#[test]
fn names_match_as_whole_words_and_the_narrower_block_first() {
    assert_eq!(named("Windows 8.1 Pro"), Some(day("2023-01-10")));
    assert_eq!(named("Windows 8"), Some(day("2016-01-12")));
    assert_eq!(named("Windows 80"), None);
    assert_eq!(
        named("Windows 10 Enterprise LTSC 2021"),
        Some(day("2027-01-12"))
    );
    assert_eq!(named("xubuntu-ish 20.04"), None);
    // An os-release ID alone is enough, with the agent's version.
    let seen = OsSeen {
        id: Some("ubuntu"),
        version: Some("18.04"),
        ..OsSeen::default()
    };
    assert_eq!(support_end(&seen), Some(day("2023-05-31")));
    assert!(covers(&parts("10"), &parts("10.13")));
    assert!(!covers(&parts("10"), &parts("1")));
    assert!(older(&parts("6.0.10"), &parts("7")) && !older(&parts("7.1"), &parts("7")));
    assert!(!older(&parts("trixie"), &parts("7")));
}
