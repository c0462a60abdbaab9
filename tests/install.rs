//! Deploying Census: `census-agent install` and `uninstall` into temporary
//! directory trees (`--root`) against a collector on 127.0.0.1, checking
//! every file and mode; the units checked by the real `systemd-analyze
//! verify`; the collector's `/install.sh` fetched with curl's key pin and
//! run to a working enrolment; the `.deb` packages built by
//! `deploy/deb/build.sh`; the static musl agent (built here by cargo for
//! `x86_64-unknown-linux-musl`: no libc needed, the same reports).
//!
//! Only the package test changes this machine (it installs and purges the
//! packages with dpkg, as root, and says so); every other test writes only
//! inside its own temporary directory.

use census_agent::config::AgentConfig;
use census_tests::{Collector, bin, err, free_port, ok, workspace};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

fn agent(args: &[&str]) -> Output {
    Command::new(bin("census-agent"))
        .args(["--log", "warn"])
        .args(args)
        .env_remove("CENSUS_TOKEN")
        .output()
        .unwrap()
}

fn install(c: &Collector, root: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "install",
        "--collector",
        &c.url,
        "--token",
        &c.token,
        "--fingerprint",
        &c.fingerprint,
        "--root",
        root.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    agent(&args)
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o7777
}

/// Every file an install writes into `root`, with its mode; the config
/// names `c` and the agent's id, and the binary is the one that ran.
fn assert_installed(root: &Path, c: &Collector, binary: &Path) -> AgentConfig {
    let config = root.join("etc/census/agent.toml");
    assert_eq!(mode(&config), 0o600);
    let cfg = AgentConfig::load(&config).unwrap();
    assert_eq!(cfg.collector, c.url);
    assert_eq!(cfg.fingerprint, c.fingerprint);
    assert_eq!(cfg.state_dir, Path::new("/var/lib/census-agent"));
    assert_eq!(cfg.root, Path::new("/"));
    assert_eq!(mode(&root.join("etc/census")), 0o755);
    assert_eq!(mode(&root.join("var/lib/census-agent")), 0o700);
    let installed = root.join("usr/local/bin/census-agent");
    assert_eq!(mode(&installed), 0o755);
    assert_eq!(
        std::fs::read(&installed).unwrap(),
        std::fs::read(binary).unwrap()
    );
    let unit = root.join("etc/systemd/system/census-agent.service");
    assert_eq!(mode(&unit), 0o644);
    let text = std::fs::read_to_string(&unit).unwrap();
    assert!(
        text.contains(
            "\nExecStart=/usr/local/bin/census-agent --config /etc/census/agent.toml run\n"
        ),
        "{text}"
    );
    assert!(text.contains("\nUser=census-agent\n"), "{text}");
    let link = root.join("etc/systemd/system/multi-user.target.wants/census-agent.service");
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        Path::new("/etc/systemd/system/census-agent.service")
    );
    let sysusers = root.join("etc/sysusers.d/census-agent.conf");
    assert_eq!(mode(&sysusers), 0o644);
    assert!(
        std::fs::read_to_string(&sysusers)
            .unwrap()
            .contains("u census-agent - \"Census agent\" /var/lib/census-agent")
    );
    cfg
}

/// Files under `root`, relative, sorted (links and directories included).
fn tree(root: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            out.push(p.strip_prefix(base).unwrap().display().to_string());
            if e.file_type().unwrap().is_dir() {
                walk(base, &p, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// The installed configuration works: a copy pointing its state into the
/// tree (the real one names /var/lib/census-agent) delivers a report.
fn assert_config_delivers(cfg: &AgentConfig, dir: &Path) {
    let mut cfg = cfg.clone();
    cfg.state_dir = dir.join("state");
    let path = dir.join("check.toml");
    cfg.save(&path).unwrap();
    let out = agent(&["--config", path.to_str().unwrap(), "run", "--once"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.contains("delivered 1"),
        "{stderr}"
    );
}

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

/// `sh -c` a command line; stdout and stderr together for messages.
fn shell(cmd: &str) -> Output {
    Command::new("sh").args(["-c", cmd]).output().unwrap()
}

fn combined(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn the_printed_one_line_install_enrols_this_machine_through_install_sh() {
    let dir = tempfile::tempdir().unwrap();
    let downloads = dir.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let served = downloads.join("census-agent-linux-x86_64");
    std::fs::copy(bin("census-agent"), &served).unwrap();
    let c = Collector::start(
        &dir.path().join("collector"),
        free_port(),
        &format!("downloads_dir = {:?}\n", downloads.to_str().unwrap()),
    );
    // The line the collector printed, pinning its key.
    let fp = census_shared::pin::parse_fingerprint(&c.fingerprint).unwrap();
    let pin = format!("sha256//{}", census_shared::pin::base64_encode(&fp));
    assert_eq!(
        c.install_command,
        format!(
            "curl -fsSk --pinnedpubkey '{pin}' {}/install.sh | sudo sh -s -- --token {}",
            c.url, c.token
        )
    );

    // Another key pinned: curl refuses the connection, even with -k.
    let wrong = format!("sha256//{}", census_shared::pin::base64_encode(&[7u8; 32]));
    let o = shell(&format!(
        "curl -fsSk --pinnedpubkey '{wrong}' {}/install.sh",
        c.url
    ));
    assert!(
        !o.status.success() && o.stdout.is_empty(),
        "{}",
        combined(&o)
    );

    // The script carries the collector's URL, key and the binary's hash.
    let script = ok(shell(&format!(
        "curl -fsSk --pinnedpubkey '{pin}' {}/install.sh",
        c.url
    )));
    let sha = ok(Command::new("sha256sum").arg(&served).output().unwrap());
    let sha = sha.split_whitespace().next().unwrap();
    assert!(script.starts_with("#!/bin/sh\n"));
    assert!(
        script.contains(&format!("\nCOLLECTOR='{}'\n", c.url)),
        "{script}"
    );
    assert!(script.contains(&format!("\nFINGERPRINT='{}'\n", c.fingerprint)));
    assert!(script.contains(&format!("\nPIN='{pin}'\n")));
    assert!(script.contains(&format!("\nSHA256='{sha}'\n")));

    // The printed line as a person runs it, into a tree instead of / (and
    // without sudo: the tree is ours).
    let root = dir.path().join("root");
    let line = c.install_command.replace("| sudo sh", "| sh").to_string()
        + &format!(" --interval 2h --root {}", root.display());
    let o = shell(&line);
    assert!(o.status.success(), "{}", combined(&o));
    let out = combined(&o);
    assert!(out.contains("downloading the agent from"), "{out}");
    let cfg = assert_installed(&root, &c, &served);
    assert_eq!(cfg.interval, "2h");
    let agents = c.agents();
    assert_eq!(agents.len(), 1, "{agents:?}");
    assert_eq!(agents[0]["id"], cfg.agent_id.as_str());
    assert!(!out.contains(&c.token), "the token is not echoed: {out}");
    assert_config_delivers(&cfg, dir.path());

    // A binary that does not match the hash the script carries is refused
    // and nothing is installed.
    let script_path = dir.path().join("install.sh");
    std::fs::write(&script_path, &script).unwrap();
    let mut bytes = std::fs::read(&served).unwrap();
    bytes.extend_from_slice(b"tampered");
    std::fs::write(&served, bytes).unwrap();
    let other = dir.path().join("other");
    let o = Command::new("sh")
        .arg(&script_path)
        .args(["--token", &c.token, "--root", other.to_str().unwrap()])
        .output()
        .unwrap();
    let out = combined(&o);
    assert!(!o.status.success(), "{out}");
    assert!(
        out.contains("SHA-256") && out.contains("not installing it"),
        "{out}"
    );
    assert!(!other.exists());
    assert_eq!(c.agents().len(), 1);

    // No token: said before anything is downloaded.
    let o = Command::new("sh")
        .arg(&script_path)
        .env_remove("CENSUS_TOKEN")
        .output()
        .unwrap();
    assert!(
        combined(&o).contains("no enrolment token"),
        "{}",
        combined(&o)
    );
}

#[test]
fn without_an_agent_binary_the_collector_says_where_to_put_it() {
    let dir = tempfile::tempdir().unwrap();
    let downloads = dir.path().join("empty");
    std::fs::create_dir_all(&downloads).unwrap();
    let c = Collector::start(
        &dir.path().join("collector"),
        free_port(),
        &format!("downloads_dir = {:?}\n", downloads.to_str().unwrap()),
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let client = c.client();
    let get = |path: &str| {
        rt.block_on(async {
            let r = client.get(format!("{}{path}", c.url)).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        })
    };
    let (status, body) = get("/downloads/census-agent-linux-x86_64");
    assert_eq!(status, 404);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["error"], "not_found");
    let expected = downloads.join("census-agent-linux-x86_64");
    let msg = v["message"].as_str().unwrap();
    assert!(
        msg.contains(&format!(
            "no agent binary census-agent-linux-x86_64 (looked at {0}): put it at {0}",
            expected.display()
        )),
        "{msg}"
    );
    let (status, body) = get("/downloads/census-agent-windows.exe");
    assert_eq!(status, 404);
    assert!(
        body.contains("this collector offers census-agent-linux-x86_64"),
        "{body}"
    );
    // The script is served and stops with the same explanation.
    let (status, script) = get("/install.sh");
    assert_eq!(status, 200);
    let path = dir.path().join("install.sh");
    std::fs::write(&path, script).unwrap();
    let o = Command::new("sh")
        .arg(&path)
        .args(["--token", &c.token, "--root"])
        .arg(dir.path().join("root"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        combined(&o).contains("no agent binary census-agent-linux-x86_64"),
        "{}",
        combined(&o)
    );
    assert!(c.agents().is_empty());
}

/// Purges the packages and deletes the users this test created, however
/// it ends.
struct Packages {
    users_created: Vec<&'static str>,
}

impl Drop for Packages {
    fn drop(&mut self) {
        let _ = Command::new("dpkg")
            .args(["--purge", "census-agent", "census-collector"])
            .output();
        for u in &self.users_created {
            let _ = Command::new("userdel").arg(u).output();
        }
    }
}

fn user_exists(name: &str) -> bool {
    Command::new("getent")
        .args(["passwd", name])
        .output()
        .unwrap()
        .status
        .success()
}

fn owner(path: &Path) -> String {
    ok(Command::new("stat")
        .args(["-c", "%U:%G"])
        .arg(path)
        .output()
        .unwrap())
    .trim()
    .to_string()
}

fn dpkg(args: &[&str]) -> String {
    combined_ok(Command::new("dpkg").args(args).output().unwrap())
}

fn combined_ok(o: Output) -> String {
    let text = combined(&o);
    assert!(o.status.success(), "{text}");
    text
}

/// CHANGES THIS MACHINE (root only): installs, removes and purges the
/// census-agent and census-collector packages with dpkg, runs a live
/// `census-agent install` into / against a loopback collector, and cleans
/// up after itself (purge, and the users it created). Skipped, saying why,
/// when not root or when Census is installed here already.
#[test]
fn debs_install_keep_data_on_remove_and_delete_it_on_purge() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: installing packages needs root");
        return;
    }
    for p in [
        "/etc/census",
        "/var/lib/census-agent",
        "/var/lib/census-collector",
        "/usr/bin/census-agent",
        "/usr/bin/census-collector",
    ] {
        if Path::new(p).exists() {
            eprintln!("skipped: {p} exists, Census is installed on this machine");
            return;
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("debs");
    // A stand-in for the cross-built Windows agent: the package must carry
    // these bytes for /install.ps1.
    let windows = dir.path().join("census-agent.exe");
    std::fs::write(&windows, b"MZ stand-in for the Windows agent").unwrap();
    let built = combined_ok(
        Command::new(workspace().join("deploy/deb/build.sh"))
            .arg("--agent")
            .arg(bin("census-agent"))
            .arg("--collector")
            .arg(bin("census-collector"))
            .arg("--windows-agent")
            .arg(&windows)
            .arg("--out")
            .arg(&out)
            .arg("--fast")
            .output()
            .unwrap(),
    );
    let version = env!("CARGO_PKG_VERSION");
    let arch = ok(Command::new("dpkg")
        .arg("--print-architecture")
        .output()
        .unwrap());
    let agent_deb = out.join(format!("census-agent_{version}_{}.deb", arch.trim()));
    let collector_deb = out.join(format!("census-collector_{version}_{}.deb", arch.trim()));
    assert!(agent_deb.is_file() && collector_deb.is_file(), "{built}");
    let _cleanup = Packages {
        users_created: ["census-agent", "census-collector"]
            .into_iter()
            .filter(|u| !user_exists(u))
            .collect(),
    };

    // The agent package: binary, user, state directory.
    let said = dpkg(&["--install", agent_deb.to_str().unwrap()]);
    assert!(
        said.contains("census-agent install --collector URL"),
        "{said}"
    );
    assert_eq!(mode(Path::new("/usr/bin/census-agent")), 0o755);
    let pw = ok(Command::new("getent")
        .args(["passwd", "census-agent"])
        .output()
        .unwrap());
    let f: Vec<&str> = pw.trim().split(':').collect();
    assert!(f[2].parse::<u32>().unwrap() < 1000, "a system user: {pw}");
    assert_eq!((f[5], f[6]), ("/var/lib/census-agent", "/usr/sbin/nologin"));
    let state = Path::new("/var/lib/census-agent");
    assert_eq!(mode(state), 0o700);
    assert_eq!(owner(state), "census-agent:census-agent");

    // Enrolled and installed as a service on this machine, with the
    // packaged binary (no systemd runs here: written and enabled).
    let c = Collector::start(&dir.path().join("collector"), free_port(), "");
    let said = combined_ok(
        Command::new("/usr/bin/census-agent")
            .args(["install", "--collector", &c.url, "--token", &c.token])
            .args(["--fingerprint", &c.fingerprint])
            .output()
            .unwrap(),
    );
    let unit = Path::new("/etc/systemd/system/census-agent.service");
    let link = Path::new("/etc/systemd/system/multi-user.target.wants/census-agent.service");
    if Path::new("/run/systemd/system").is_dir() {
        assert!(said.contains("the agent runs now"), "{said}");
    } else {
        assert!(
            said.contains("systemd is not running on this machine"),
            "{said}"
        );
        assert!(link.symlink_metadata().is_ok());
    }
    assert!(
        std::fs::read_to_string(unit)
            .unwrap()
            .contains("\nExecStart=/usr/bin/census-agent --config /etc/census/agent.toml run\n")
    );
    assert!(!Path::new("/usr/local/bin/census-agent").exists());
    let config = Path::new("/etc/census/agent.toml");
    assert_eq!(mode(config), 0o600);
    assert_eq!(c.agents().len(), 1);
    std::fs::write(state.join("state.json"), "{}").unwrap();

    // Remove: service and binary go, configuration and state stay.
    dpkg(&["--remove", "census-agent"]);
    assert!(!Path::new("/usr/bin/census-agent").exists());
    assert!(unit.symlink_metadata().is_err() && link.symlink_metadata().is_err());
    assert!(state.join("state.json").is_file(), "remove keeps the state");
    assert!(config.is_file(), "remove keeps the configuration");
    // Purge: they go too.
    dpkg(&["--purge", "census-agent"]);
    assert!(!state.exists() && !config.exists());
    assert!(!Path::new("/etc/census").exists());
    assert!(!Path::new("/etc/sysusers.d/census-agent.conf").exists());

    // The collector package: binary, the agent it hands out, unit, config.
    dpkg(&["--install", collector_deb.to_str().unwrap()]);
    assert_eq!(mode(Path::new("/usr/bin/census-collector")), 0o755);
    let served = Path::new("/usr/lib/census-collector/downloads/census-agent-linux-x86_64");
    let v = ok(Command::new(served).arg("--version").output().unwrap());
    assert!(v.starts_with("census-agent "), "{v}");
    let exe = Path::new("/usr/lib/census-collector/downloads/census-agent-windows-x86_64.exe");
    assert_eq!(
        std::fs::read(exe).unwrap(),
        std::fs::read(&windows).unwrap()
    );
    assert_eq!(mode(exe), 0o644);
    let unit = Path::new("/lib/systemd/system/census-collector.service");
    assert_eq!(
        std::fs::read_to_string(unit).unwrap(),
        std::fs::read_to_string(workspace().join("deploy/systemd/census-collector.service"))
            .unwrap()
    );
    let config = Path::new("/etc/census/collector.toml");
    assert_eq!(
        std::fs::read_to_string(config).unwrap(),
        std::fs::read_to_string(workspace().join("deploy/collector.toml")).unwrap()
    );
    assert_eq!(mode(config), 0o600);
    assert_eq!(owner(config), "census-collector:census-collector");
    assert_eq!(mode(Path::new("/etc/census")), 0o1775);
    assert_eq!(owner(Path::new("/etc/census")), "root:census-collector");
    let data = Path::new("/var/lib/census-collector");
    assert_eq!(mode(data), 0o700);
    assert_eq!(owner(data), "census-collector:census-collector");
    assert!(user_exists("census-collector"));
    // systemd accepts the installed unit as it is on this machine.
    let o = Command::new("systemd-analyze")
        .args(["verify", "census-collector.service"])
        .output()
        .unwrap();
    assert!(
        o.status.success() && o.stderr.is_empty(),
        "{}",
        combined(&o)
    );
    // The service user can use what the package set up: its configuration,
    // a database in its data directory, a site file beside the config.
    let listed = combined_ok(
        Command::new("runuser")
            .args(["-u", "census-collector", "--"])
            .args(["/usr/bin/census-collector", "agents", "list", "--json"])
            .output()
            .unwrap(),
    );
    assert!(listed.trim_end().ends_with("[]"), "{listed}");
    assert!(data.join("census.db").is_file());
    combined_ok(
        Command::new("runuser")
            .args([
                "-u",
                "census-collector",
                "--",
                "touch",
                "/etc/census/site.toml",
            ])
            .output()
            .unwrap(),
    );

    // Remove keeps the database and the configuration; purge deletes them.
    dpkg(&["--remove", "census-collector"]);
    assert!(!Path::new("/usr/bin/census-collector").exists());
    assert!(
        data.join("census.db").is_file(),
        "remove keeps the database"
    );
    assert!(config.is_file(), "remove keeps the configuration");
    dpkg(&["--purge", "census-collector"]);
    assert!(!data.exists() && !config.exists());
    assert!(!Path::new("/etc/census").exists());
    assert!(
        Path::new("/etc/systemd/system/multi-user.target.wants/census-collector.service")
            .symlink_metadata()
            .is_err()
    );
}

const MUSL: &str = "x86_64-unknown-linux-musl";

/// Build the agent for musl (static); its path.
fn musl_agent() -> std::path::PathBuf {
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let st = Command::new(cargo)
        .args(["build", "-p", "census-agent", "--target", MUSL])
        .current_dir(workspace())
        .env("CARGO_TARGET_DIR", &target_dir)
        .status()
        .expect("run cargo");
    assert!(
        st.success(),
        "the build for {MUSL} failed (needs `rustup target add {MUSL}` and the Debian package musl-tools; tests/run.sh installs both)"
    );
    target_dir.join(MUSL).join("debug/census-agent")
}

/// The program headers of a 64-bit little-endian ELF file: their types.
fn elf_segment_types(bytes: &[u8]) -> Vec<u32> {
    assert_eq!(&bytes[..4], b"\x7fELF", "not an ELF file");
    assert_eq!((bytes[4], bytes[5]), (2, 1), "not 64-bit little-endian");
    let u16_at = |o: usize| u16::from_le_bytes([bytes[o], bytes[o + 1]]) as usize;
    let phoff = u64::from_le_bytes(bytes[32..40].try_into().unwrap()) as usize;
    let (size, count) = (u16_at(54), u16_at(56));
    (0..count)
        .map(|i| {
            let o = phoff + i * size;
            u32::from_le_bytes(bytes[o..o + 4].try_into().unwrap())
        })
        .collect()
}

/// A report without what changes from run to run.
fn stable(report: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(report).unwrap();
    for k in ["report_id", "collected_at", "collection_duration_ms"] {
        v.as_object_mut().unwrap().remove(k);
    }
    v
}

#[test]
fn the_static_musl_agent_needs_no_libc_and_reports_like_the_glibc_one() {
    let musl = musl_agent();
    // No program interpreter: nothing of the distribution is loaded.
    const PT_INTERP: u32 = 3;
    let types = elf_segment_types(&std::fs::read(&musl).unwrap());
    assert!(
        !types.is_empty() && !types.contains(&PT_INTERP),
        "{types:?}"
    );
    // The same report as the glibc build from every recorded machine.
    for host in ["debian12-container", "alpine319-container", "rhel9-server"] {
        let root = census_tests::fixture(host);
        let run = |b: &Path| {
            ok(Command::new(b)
                .args(["collect", "--root", root.to_str().unwrap()])
                .output()
                .unwrap())
        };
        assert_eq!(
            stable(&run(&musl)),
            stable(&run(&bin("census-agent"))),
            "{host}"
        );
    }
    // It enrols over TLS with the key pinned and delivers.
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(&dir.path().join("collector"), free_port(), "");
    let config = dir.path().join("agent.toml");
    let state = dir.path().join("state");
    ok(Command::new(&musl)
        .args(["--config", config.to_str().unwrap(), "enroll"])
        .args(["--collector", &c.url, "--token", &c.token])
        .args(["--fingerprint", &c.fingerprint])
        .args(["--state-dir", state.to_str().unwrap()])
        .output()
        .unwrap());
    let o = Command::new(&musl)
        .args(["--config", config.to_str().unwrap(), "run", "--once"])
        .output()
        .unwrap();
    assert!(
        o.status.success() && combined(&o).contains("delivered 1"),
        "{}",
        combined(&o)
    );
    assert_eq!(c.agents()[0]["reports_received"], 1);
}
