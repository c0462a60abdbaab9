//! `census-agent install` and `uninstall` as a Mac does them, into a
//! directory tree on Linux (`--root`; launchctl runs only on a live Mac):
//! enrolment against a collector on 127.0.0.1, the configuration (0600)
//! and state under `/Library/Application Support/Census`, the binary in
//! `/usr/local/bin`, the launchd plist read back by a plist parser, a dry
//! run that writes nothing, a second install that keeps the enrolment, and
//! uninstall that keeps (or with `--purge` removes) the configuration.

use census_agent::install::macos::{self, CONFIG, LOG_DIR, STATE_DIR, SUPPORT_DIR};
use census_agent::install::{InstallOptions, LOCAL_BIN, UninstallOptions, launchd};
use census_tests::install_helpers::mode;
use census_tests::{Collector, free_port};
use std::path::Path;

fn opts(c: &Collector, root: &Path, dry_run: bool) -> InstallOptions {
    InstallOptions {
        collector: c.url.clone(),
        token: c.token.clone(),
        fingerprint: c.fingerprint.clone(),
        interval: Some("6h".into()),
        root: root.to_path_buf(),
        dry_run,
    }
}

fn at(root: &Path, path: &str) -> std::path::PathBuf {
    root.join(path.trim_start_matches('/'))
}

#[test]
fn a_mac_install_writes_the_daemon_and_uninstall_takes_it_away() {
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(&dir.path().join("collector"), free_port(), "");
    let root = dir.path().join("mac");

    // A dry run says every step and writes nothing, not even an enrolment.
    let mut out = Vec::new();
    let done = macos::install(&opts(&c, &root, true), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(done.agent_id.is_none());
    assert!(text.lines().all(|l| l.starts_with("would ")), "{text}");
    assert!(text.contains(launchd::PLIST_PATH), "{text}");
    assert!(!root.exists());
    assert!(c.agents().is_empty());

    let mut out = Vec::new();
    let done = macos::install(&opts(&c, &root, false), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let id = done.agent_id.clone().unwrap();
    assert!(!done.started, "no launchctl outside a live Mac");
    assert!(!text.contains("launchctl"), "{text}");
    assert_eq!(c.agents().len(), 1);
    let cfg = census_agent::config::AgentConfig::load(&at(&root, CONFIG)).unwrap();
    assert_eq!(
        (cfg.agent_id.as_str(), cfg.interval.as_str()),
        (id.as_str(), "6h")
    );
    assert_eq!(cfg.state_dir, Path::new(STATE_DIR));
    assert_eq!(mode(&at(&root, CONFIG)), 0o600);
    assert_eq!(mode(&at(&root, STATE_DIR)), 0o700);
    assert_eq!(mode(&at(&root, SUPPORT_DIR)), 0o755);
    assert!(at(&root, LOG_DIR).is_dir());
    assert_eq!(
        std::fs::read(at(&root, LOCAL_BIN)).unwrap(),
        std::fs::read(std::env::current_exe().unwrap()).unwrap(),
        "the running binary is what gets installed"
    );
    assert_eq!(mode(&at(&root, LOCAL_BIN)) & 0o111, 0o111);

    // The plist, read back as launchd reads it.
    let plist_path = at(&root, launchd::PLIST_PATH);
    assert_eq!(mode(&plist_path), 0o644);
    let p = plist::Value::from_file(&plist_path).unwrap();
    let d = p.as_dictionary().unwrap();
    assert_eq!(d["Label"].as_string(), Some(launchd::LABEL));
    let args: Vec<&str> = d["ProgramArguments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_string().unwrap())
        .collect();
    assert_eq!(args, [LOCAL_BIN, "--config", CONFIG, "run"]);
    assert_eq!(d["RunAtLoad"].as_boolean(), Some(true));
    assert_eq!(
        d["StandardErrorPath"].as_string(),
        Some(format!("{LOG_DIR}/agent.log").as_str())
    );

    // Again: the same enrolment, no second agent at the collector.
    let again = macos::install(&opts(&c, &root, false), &mut Vec::new()).unwrap();
    assert_eq!(again.agent_id.as_deref(), Some(id.as_str()));
    assert_eq!(c.agents().len(), 1);

    // Uninstall keeps configuration and state; --purge takes them.
    let un = |purge| UninstallOptions {
        purge,
        root: root.clone(),
        dry_run: false,
    };
    let next = macos::uninstall(&un(false), &mut Vec::new()).unwrap();
    assert!(next.contains(&format!("kept {SUPPORT_DIR}")), "{next}");
    assert!(next.contains(&id), "says to revoke the agent: {next}");
    assert!(!plist_path.exists() && !at(&root, LOCAL_BIN).exists());
    assert!(at(&root, CONFIG).exists() && at(&root, STATE_DIR).exists());
    macos::uninstall(&un(true), &mut Vec::new()).unwrap();
    assert!(!at(&root, SUPPORT_DIR).exists() && !at(&root, LOG_DIR).exists());
    let mut out = Vec::new();
    macos::uninstall(&un(true), &mut out).unwrap();
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("nothing to remove")
    );
    c.stop();
}
