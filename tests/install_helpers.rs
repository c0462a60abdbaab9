//! What the install tests share: running `census-agent install` into a
//! tree against a collector, and checking what it wrote (every file with
//! its mode, a configuration that delivers). Used by `install.rs`,
//! `install_sh.rs` and `install_deb.rs`.

use crate::{Collector, bin};
use census_agent::config::AgentConfig;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

/// Run `census-agent ARGS` (token only from the arguments).
pub fn agent(args: &[&str]) -> Output {
    Command::new(bin("census-agent"))
        .args(["--log", "warn"])
        .args(args)
        .env_remove("CENSUS_TOKEN")
        .output()
        .unwrap()
}

/// `census-agent install` into `root` against `c`, plus `extra` arguments.
pub fn install(c: &Collector, root: &Path, extra: &[&str]) -> Output {
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

/// Permission bits of `path`.
pub fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o7777
}

/// Every file an install writes into `root`, with its mode; the config
/// names `c` and the agent's id, and the binary is the one that ran.
pub fn assert_installed(root: &Path, c: &Collector, binary: &Path) -> AgentConfig {
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
pub fn tree(root: &Path) -> Vec<String> {
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
pub fn assert_config_delivers(cfg: &AgentConfig, dir: &Path) {
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

/// `sh -c` a command line; stdout and stderr together for messages.
pub fn shell(cmd: &str) -> Output {
    Command::new("sh").args(["-c", cmd]).output().unwrap()
}

pub fn combined(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
