//! Deploying Census: `census-agent install` and `uninstall` into temporary
//! directory trees (`--root`) against a collector on 127.0.0.1, checking
//! every file and mode; the units checked by the real `systemd-analyze
//! verify` and `systemd-analyze security`; the collector's default
//! configuration. Every test here writes only inside its own temporary
//! directory. The one-line `install.sh` is in `install_sh.rs`, the packages
//! and the static agent in `install_deb.rs` (a test binary of their own:
//! cargo runs test binaries one after another, so the package test, which
//! installs into this machine's /lib/systemd/system, never runs while the
//! verify tests here copy that directory).

use census_agent::config::AgentConfig;
use census_tests::install_helpers::*;
use census_tests::{Collector, bin, err, free_port, ok, workspace};
use std::path::Path;
use std::process::Command;

#[test]
fn install_into_a_tree_enrols_and_writes_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(&dir.path().join("collector"), free_port(), "");
    let root = dir.path().join("root");
    let out = ok(install(&c, &root, &["--interval", "6h"]));
    // No systemd runs a tree: the output says so and how to start it.
    assert!(out.contains("installed into"), "{out}");
    assert!(out.contains("systemctl daemon-reload && systemctl start census-agent"));
    let cfg = assert_installed(&root, &c, &bin("census-agent"));
    assert_eq!(cfg.interval, "6h");
    let agents = c.agents();
    assert_eq!(agents.len(), 1);
    assert_eq!(agents[0]["id"], cfg.agent_id.as_str());
    assert!(
        out.contains(&format!("enrolled as {}", cfg.agent_id)),
        "{out}"
    );
    assert_eq!(
        tree(&root),
        [
            "etc",
            "etc/census",
            "etc/census/agent.toml",
            "etc/systemd",
            "etc/systemd/system",
            "etc/systemd/system/census-agent.service",
            "etc/systemd/system/multi-user.target.wants",
            "etc/systemd/system/multi-user.target.wants/census-agent.service",
            "etc/sysusers.d",
            "etc/sysusers.d/census-agent.conf",
            "usr",
            "usr/local",
            "usr/local/bin",
            "usr/local/bin/census-agent",
            "var",
            "var/lib",
            "var/lib/census-agent",
        ]
    );
    assert_config_delivers(&cfg, dir.path());

    // Again: the same collector and key keep the enrolment; nothing new
    // is listed at the collector, the interval stays.
    let out = ok(install(&c, &root, &[]));
    assert!(out.contains("keep the enrolment as"), "{out}");
    let again = assert_installed(&root, &c, &bin("census-agent"));
    assert_eq!(again.agent_id, cfg.agent_id);
    assert_eq!(again.secret, cfg.secret);
    assert_eq!(again.interval, "6h");
    assert_eq!(c.agents().len(), 1);

    // The installed binary is a working agent.
    let v = Command::new(root.join("usr/local/bin/census-agent"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(ok(v).starts_with("census-agent "));
}

#[test]
fn dry_run_prints_every_step_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(&dir.path().join("collector"), free_port(), "");
    let root = dir.path().join("root");
    let out = ok(install(&c, &root, &["--dry-run"]));
    let r = root.display();
    for line in [
        format!("would enrol with the collector {}", c.url),
        format!("would write {r}/etc/census/agent.toml (0600)"),
        format!("would create directory {r}/var/lib/census-agent (0700)"),
        format!("to {r}/usr/local/bin/census-agent (0755)"),
        format!("would write {r}/etc/systemd/system/census-agent.service (0644)"),
        format!("would write {r}/etc/sysusers.d/census-agent.conf (0644)"),
        format!(
            "would link {r}/etc/systemd/system/multi-user.target.wants/census-agent.service -> /etc/systemd/system/census-agent.service"
        ),
        "dry run: nothing was changed".into(),
    ] {
        assert!(out.contains(&line), "missing {line:?} in\n{out}");
    }
    assert!(!root.exists(), "a dry run writes nothing");
    assert!(c.agents().is_empty(), "a dry run enrols nobody");
    assert!(!out.contains(&c.token), "the token is never printed");

    // Uninstall's dry run lists what it would remove, and removes nothing.
    ok(install(&c, &root, &[]));
    let before = tree(&root);
    let out = ok(agent(&[
        "uninstall",
        "--purge",
        "--dry-run",
        "--root",
        root.to_str().unwrap(),
    ]));
    assert!(
        out.contains(&format!(
            "would remove {r}/var/lib/census-agent and all it holds"
        )),
        "{out}"
    );
    assert_eq!(tree(&root), before);
}

#[test]
fn uninstall_keeps_configuration_and_state_unless_purged() {
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(&dir.path().join("collector"), free_port(), "");
    let root = dir.path().join("root");
    ok(install(&c, &root, &[]));
    let id = AgentConfig::load(&root.join("etc/census/agent.toml"))
        .unwrap()
        .agent_id;
    std::fs::write(root.join("var/lib/census-agent/state.json"), "{}").unwrap();
    let r = root.to_str().unwrap();
    let out = ok(agent(&["uninstall", "--root", r]));
    assert!(out.contains("kept /etc/census/agent.toml and /var/lib/census-agent"));
    assert!(
        out.contains(&format!("census-collector agents revoke {id}")),
        "{out}"
    );
    assert_eq!(
        tree(&root),
        [
            "etc",
            "etc/census",
            "etc/census/agent.toml",
            "etc/systemd",
            "etc/systemd/system",
            "etc/systemd/system/multi-user.target.wants",
            "etc/sysusers.d",
            "etc/sysusers.d/census-agent.conf",
            "usr",
            "usr/local",
            "usr/local/bin",
            "var",
            "var/lib",
            "var/lib/census-agent",
            "var/lib/census-agent/state.json",
        ]
    );
    // Reinstalling picks the kept enrolment up again.
    let out = ok(install(&c, &root, &[]));
    assert!(
        out.contains(&format!("keep the enrolment as {id}")),
        "{out}"
    );
    let out = ok(agent(&["uninstall", "--purge", "--root", r]));
    assert!(!out.contains("kept "), "{out}");
    assert_eq!(
        tree(&root),
        [
            "etc",
            "etc/systemd",
            "etc/systemd/system",
            "etc/systemd/system/multi-user.target.wants",
            "etc/sysusers.d",
            "usr",
            "usr/local",
            "usr/local/bin",
            "var",
            "var/lib",
        ]
    );
    let out = ok(agent(&["uninstall", "--purge", "--root", r]));
    assert!(out.contains("nothing to remove"), "{out}");
}

#[test]
fn a_refused_token_or_bad_pin_leaves_no_trace() {
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(&dir.path().join("collector"), free_port(), "");
    let root = dir.path().join("root");
    let r = root.to_str().unwrap();
    let e = err(agent(&[
        "install",
        "--collector",
        &c.url,
        "--token",
        "cen_not-a-token",
        "--fingerprint",
        &c.fingerprint,
        "--root",
        r,
    ]));
    assert!(e.contains("enrolment at https://127.0.0.1:"), "{e}");
    assert!(!root.exists());
    let e = err(agent(&[
        "install",
        "--collector",
        &c.url,
        "--token",
        &c.token,
        "--fingerprint",
        &"0".repeat(64),
        "--root",
        r,
    ]));
    assert!(e.contains("presented key SHA-256"), "{e}");
    assert!(!root.exists());
    let e = err(agent(&[
        "install",
        "--collector",
        &c.url,
        "--token",
        &c.token,
        "--fingerprint",
        "abc",
        "--root",
        r,
    ]));
    assert!(e.contains("64 hex digits"), "{e}");
    assert!(c.agents().is_empty());
}

/// `systemd-analyze verify` on a unit inside a tree that also holds the
/// binary it runs and the distribution's own units (the targets it names).
/// Returns stderr, which must be empty: verify reports unknown keys and bad
/// values only as warnings.
fn systemd_verify(root: &Path, unit: &str) -> String {
    let which = Command::new("sh")
        .args(["-c", "command -v systemd-analyze"])
        .output()
        .unwrap();
    assert!(
        which.status.success(),
        "systemd-analyze is missing: install the Debian package systemd (tests/run.sh does)"
    );
    copy_distribution_units(
        Path::new("/lib/systemd/system"),
        &root.join("usr/lib/systemd/system"),
    );
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(format!("--root={}", root.display()))
        .arg(unit)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{unit}: {stderr}");
    stderr
}

/// Copy the distribution's units (files, symlinks and `.wants` directories)
/// into a test tree, leaving out Census's own: the package test installs and
/// removes `census-*` units in the same directory while this runs, so an
/// entry that vanishes between listing and copying is skipped, not an error.
fn copy_distribution_units(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with("census-") {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if !dst.is_dir() && std::fs::symlink_metadata(&dst).is_ok() {
            continue; // copied by an earlier call on the same tree
        }
        let meta = match std::fs::symlink_metadata(&src) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => panic!("{}: {e}", src.display()),
        };
        let result = if meta.file_type().is_symlink() {
            std::fs::read_link(&src).and_then(|t| std::os::unix::fs::symlink(t, &dst))
        } else if meta.is_dir() {
            copy_distribution_units(&src, &dst);
            Ok(())
        } else {
            std::fs::copy(&src, &dst).map(|_| ())
        };
        match result {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                panic!("copy {}: {e}", src.display())
            }
            _ => {}
        }
    }
}

#[test]
fn the_agent_unit_passes_systemd_analyze_verify() {
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(&dir.path().join("collector"), free_port(), "");
    let root = dir.path().join("root");
    ok(install(&c, &root, &[]));
    let stderr = systemd_verify(&root, "/etc/systemd/system/census-agent.service");
    assert_eq!(stderr, "", "the unit has warnings");
    // systemd's own hardening review: exposure at most 2.5 of 10 ("OK").
    let out = systemd_security(&root, "/etc/systemd/system/census-agent.service", 25);
    assert!(
        out.contains("Overall exposure level for census-agent.service: "),
        "{out}"
    );
    // A typo would have been caught: verify does see the file.
    let unit = root.join("etc/systemd/system/census-agent.service");
    let text = std::fs::read_to_string(&unit).unwrap();
    std::fs::write(
        &unit,
        text.replace("ProtectSystem=strict", "ProtectSystem=strcit"),
    )
    .unwrap();
    let stderr = systemd_verify(&root, "/etc/systemd/system/census-agent.service");
    assert!(stderr.contains("strcit"), "{stderr}");
}

/// `systemd-analyze security --offline` on a unit in a tree: fails when
/// the exposure is over `threshold` tenths; returns the table.
fn systemd_security(root: &Path, unit: &str, threshold: u32) -> String {
    let out = Command::new("systemd-analyze")
        .args(["security", "--offline=yes", "--no-pager"])
        .arg(format!("--root={}", root.display()))
        .arg(format!("--threshold={threshold}"))
        .arg(unit)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{unit}: exposure over {threshold}/100\n{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

/// The keys serde accepts where `section` stands, from its own
/// "unknown field `…`, expected one of `a`, `b`" refusal.
fn config_keys(section: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.toml");
    std::fs::write(&path, format!("{section}zzz_not_a_key = 1\n")).unwrap();
    let e = census_collector::config::Config::load(&census_collector::config::Overrides {
        config: Some(path),
        ..Default::default()
    })
    .map(|_| ())
    .unwrap_err();
    let e = format!("{e:#}");
    let list = e
        .split("expected one of ")
        .nth(1)
        .unwrap_or_else(|| panic!("no key list in {e}"));
    list.split(", ")
        .map(|k| {
            k.trim()
                .trim_matches(|c: char| c == '`' || !c.is_ascii())
                .to_string()
        })
        .map(|k| k.split('`').next().unwrap().to_string())
        .collect()
}

#[test]
fn the_default_collector_config_documents_every_key_and_holds_the_defaults() {
    let path = workspace().join("deploy/collector.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let documented = |key: &str| {
        text.lines().any(|l| {
            let l = l.trim_start_matches("# ");
            l.starts_with(&format!("{key} =")) || l == format!("[[{key}]]")
        })
    };
    for (section, keys) in [
        ("", config_keys("")),
        ("[[scan]]\n", config_keys("[[scan]]\n")),
        ("[[snmp_v3]]\n", config_keys("[[snmp_v3]]\n")),
        ("[[site]]\n", config_keys("[[site]]\n")),
    ] {
        assert!(keys.len() > 3, "{section}: {keys:?}");
        for key in keys {
            assert!(
                documented(&key),
                "deploy/collector.toml lacks {section}{key}"
            );
        }
    }
    // Every comment block is above a key, and the file's values are the
    // built-in defaults: loading it equals loading an empty file.
    use census_collector::config::{Config, Overrides};
    let load = |p: &Path| {
        format!(
            "{:?}",
            Config::load(&Overrides {
                config: Some(p.to_path_buf()),
                ..Default::default()
            })
            .unwrap()
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "").unwrap();
    assert_eq!(load(&path), load(&empty));
}

#[test]
fn the_collector_unit_passes_systemd_analyze_verify() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let unit = workspace().join("deploy/systemd/census-collector.service");
    let text = std::fs::read_to_string(&unit).unwrap();
    for line in [
        "ExecStart=/usr/bin/census-collector --config /etc/census/collector.toml serve",
        "User=census-collector",
        "AmbientCapabilities=CAP_NET_RAW",
        "CapabilityBoundingSet=CAP_NET_RAW",
        "StateDirectory=census-collector",
        "ProtectSystem=strict",
        "NoNewPrivileges=yes",
        "StandardOutput=journal",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line:?}");
    }
    // No other capability anywhere.
    let caps: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains("CAP_"))
        .collect();
    assert_eq!(caps.len(), 2, "{caps:?}");
    std::fs::create_dir_all(root.join("usr/bin")).unwrap();
    std::fs::copy(
        bin("census-collector"),
        root.join("usr/bin/census-collector"),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("etc/systemd/system")).unwrap();
    std::fs::copy(
        &unit,
        root.join("etc/systemd/system/census-collector.service"),
    )
    .unwrap();
    let stderr = systemd_verify(root, "/etc/systemd/system/census-collector.service");
    assert_eq!(stderr, "", "the unit has warnings");
    systemd_security(root, "/etc/systemd/system/census-collector.service", 25);
}
