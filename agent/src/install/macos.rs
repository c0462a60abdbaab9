//! `census-agent install` and `uninstall` on macOS: enrol (or keep a
//! same-collector enrolment), the configuration (0600) and state under
//! `/Library/Application Support/Census`, the binary copied to
//! `/usr/local/bin`, the launchd daemon's property list (`launchd.rs`) in
//! `/Library/LaunchDaemons`, loaded and started with `launchctl bootstrap`
//! and `kickstart`; uninstall boots the daemon out and removes the plist and
//! the binary, and with `--purge` the configuration, state and logs.
//!
//! The same [`Step`] lists as on Linux, printed by `--dry-run`. The steps
//! are chosen here on any OS, so installing into a tree (`--root`) is tested
//! on Linux; `launchctl` runs only on a live Mac.

use super::steps::same_file;
use super::*;

/// The agent's directory: configuration and state.
pub const SUPPORT_DIR: &str = "/Library/Application Support/Census";
/// The configuration, as the daemon sees it.
pub const CONFIG: &str = "/Library/Application Support/Census/agent.toml";
/// State and spool.
pub const STATE_DIR: &str = "/Library/Application Support/Census/state";
/// Where launchd writes the daemon's output.
pub const LOG_DIR: &str = "/Library/Logs/Census";

fn log_file() -> String {
    format!("{LOG_DIR}/agent.log")
}

/// launchd runs this machine: the target is `/` on a Mac.
fn launchd_running(target: &Target) -> bool {
    target.is_live() && cfg!(target_os = "macos")
}

fn launchctl(args: &[&str], tolerate: bool) -> Step {
    Step::Run {
        program: "launchctl".into(),
        args: args.iter().map(|a| a.to_string()).collect(),
        tolerate,
    }
}

/// Enrol, write the configuration and the plist, copy the binary, load and
/// start the daemon.
pub fn install(opts: &InstallOptions, out: &mut dyn Write) -> Result<Installed, InstallError> {
    let target = Target::new(&opts.root);
    if target.is_live() && !opts.dry_run && euid() != 0 {
        return Err(InstallError::NotRoot(euid()));
    }
    let config_path = target.path(CONFIG);
    let cfg = enrol_or_keep(opts, &config_path, STATE_DIR, out)?;
    let agent_id = cfg.as_ref().map(|c| c.agent_id.clone());
    let own = std::env::current_exe().map_err(InstallError::OwnBinary)?;
    let mut steps = vec![
        Step::Mkdir {
            path: target.path(SUPPORT_DIR),
            mode: 0o755,
        },
        Step::Write {
            path: config_path,
            mode: 0o600,
            what: "the agent's configuration (collector, pinned key, id, secret)",
            bytes: cfg.map(|c| c.to_toml().into_bytes()).unwrap_or_default(),
        },
        Step::Mkdir {
            path: target.path(STATE_DIR),
            mode: 0o700,
        },
        Step::Mkdir {
            path: target.path(LOG_DIR),
            mode: 0o755,
        },
    ];
    if !same_file(&own, &target.path(LOCAL_BIN)) {
        steps.push(Step::Copy {
            from: own,
            to: target.path(LOCAL_BIN),
        });
    }
    let started = launchd_running(&target);
    if started {
        // A daemon loaded by an earlier install is taken out first, so the
        // new plist and binary are the ones that run.
        steps.push(launchctl(
            &["bootout", &format!("system/{}", launchd::LABEL)],
            true,
        ));
    }
    steps.push(Step::Write {
        path: target.path(launchd::PLIST_PATH),
        mode: 0o644,
        what: "the launchd daemon",
        bytes: launchd::plist(LOCAL_BIN, CONFIG, &log_file()).into_bytes(),
    });
    if started {
        steps.push(launchctl(
            &["bootstrap", "system", launchd::PLIST_PATH],
            false,
        ));
        steps.push(launchctl(
            &["kickstart", "-k", &format!("system/{}", launchd::LABEL)],
            false,
        ));
    }
    run_steps(&steps, opts.dry_run, out)?;
    let next = if started {
        format!(
            "the agent runs now and at every boot as the launchd daemon {}; see \
             `sudo census-agent --config '{CONFIG}' status` and {}",
            launchd::LABEL,
            log_file()
        )
    } else {
        format!(
            "installed into {}: launchd loads {} when that tree boots as a Mac",
            opts.root.display(),
            launchd::PLIST_PATH
        )
    };
    Ok(Installed {
        agent_id,
        started,
        next,
    })
}

/// Boot the daemon out, remove the plist and the binary; with `purge` the
/// configuration, state and logs. What the person should know next.
pub fn uninstall(opts: &UninstallOptions, out: &mut dyn Write) -> Result<String, InstallError> {
    let target = Target::new(&opts.root);
    if target.is_live() && !opts.dry_run && euid() != 0 {
        return Err(InstallError::NotRoot(euid()));
    }
    let present = |p: &PathBuf| p.symlink_metadata().is_ok();
    let agent_id = AgentConfig::load(&target.path(CONFIG))
        .ok()
        .map(|c| c.agent_id);
    let plist = target.path(launchd::PLIST_PATH);
    let mut steps = Vec::new();
    if launchd_running(&target) && present(&plist) {
        steps.push(launchctl(
            &["bootout", &format!("system/{}", launchd::LABEL)],
            true,
        ));
    }
    for (p, what) in [
        (plist, "the launchd daemon"),
        (target.path(LOCAL_BIN), "the agent binary install copied"),
    ] {
        if present(&p) {
            steps.push(Step::Remove { path: p, what });
        }
    }
    if opts.purge {
        for (p, what) in [
            (
                target.path(SUPPORT_DIR),
                "configuration (id and secret), state and spooled reports",
            ),
            (target.path(LOG_DIR), "the agent's log"),
        ] {
            if present(&p) {
                steps.push(Step::RemoveTree { path: p, what });
            }
        }
    }
    if steps.is_empty() {
        writeln!(
            out,
            "nothing to remove: the agent is not installed in {}",
            opts.root.display()
        )
        .map_err(InstallError::Output)?;
    }
    run_steps(&steps, opts.dry_run, out)?;
    let mut next = String::new();
    if !opts.purge {
        next.push_str(&format!(
            "kept {SUPPORT_DIR} (`census-agent uninstall --purge` removes it). "
        ));
    }
    if let Some(id) = agent_id {
        next.push_str(&format!(
            "The collector still lists agent {id}: revoke it there with `census-collector agents revoke {id}`. "
        ));
    }
    Ok(next.trim_end().to_string())
}
