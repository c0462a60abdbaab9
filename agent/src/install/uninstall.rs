//! `census-agent uninstall`: the steps that stop and disable the service
//! and remove what install put in place; with `--purge` also the
//! configuration, state, spool and service user.

use super::steps::*;
use super::*;

/// Stop and disable the service, remove the unit and the copied binary;
/// with `purge` also the configuration, state, spool and service user.
/// Returns what the person should know next.
pub fn uninstall(opts: &UninstallOptions, out: &mut dyn Write) -> Result<String, InstallError> {
    if cfg!(windows) {
        return super::windows_install::uninstall(opts, out);
    }
    if cfg!(target_os = "macos") {
        return macos::uninstall(opts, out);
    }
    let target = Target::new(&opts.root);
    if target.is_live() && !opts.dry_run && euid() != 0 {
        return Err(InstallError::NotRoot(euid()));
    }
    let present = |p: &PathBuf| p.symlink_metadata().is_ok();
    let systemd = target.systemd_running();
    let unit = target.path(systemd::UNIT_PATH);
    let agent_id = AgentConfig::load(&target.path(CONFIG))
        .ok()
        .map(|c| c.agent_id);
    let mut steps = Vec::new();
    if systemd && present(&unit) {
        steps.push(Step::Run {
            program: "systemctl".into(),
            args: vec!["disable".into(), "--now".into(), systemd::UNIT_NAME.into()],
            tolerate: true,
        });
    }
    for (p, what) in [
        (target.path(systemd::WANTS_LINK), "the service's boot link"),
        (unit.clone(), "the systemd unit"),
    ] {
        if present(&p) {
            steps.push(Step::Remove { path: p, what });
        }
    }
    if systemd {
        steps.push(Step::Run {
            program: "systemctl".into(),
            args: vec!["daemon-reload".into()],
            tolerate: false,
        });
    }
    let local = target.path(LOCAL_BIN);
    if present(&local) {
        steps.push(Step::Remove {
            path: local,
            what: "the agent binary install copied",
        });
    }
    if opts.purge {
        for (p, what) in [
            (target.path(CONFIG), "the configuration (id and secret)"),
            (
                target.path(systemd::SYSUSERS_PATH),
                "the service user's sysusers entry",
            ),
        ] {
            if present(&p) {
                steps.push(Step::Remove { path: p, what });
            }
        }
        let state = target.path(STATE_DIR);
        if present(&state) {
            steps.push(Step::RemoveTree {
                path: state,
                what: "state and spooled reports",
            });
        }
        if present(&target.path("/etc/census")) {
            steps.push(Step::RemoveEmptyDir {
                path: target.path("/etc/census"),
            });
        }
        if target.is_live() && user_exists(systemd::USER) {
            steps.push(Step::DelUser {
                name: systemd::USER.into(),
            });
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
    let packaged = present(&target.path(PACKAGED_BIN));
    let mut next = String::new();
    if !opts.purge {
        next.push_str(&format!(
            "kept {CONFIG} and {STATE_DIR} (`census-agent uninstall --purge` removes them). "
        ));
    }
    if let Some(id) = agent_id {
        next.push_str(&format!(
            "The collector still lists agent {id}: revoke it there with `census-collector agents revoke {id}`. "
        ));
    }
    if packaged {
        next.push_str(&format!(
            "{PACKAGED_BIN} belongs to the census-agent package: remove it with `apt remove census-agent`."
        ));
    }
    Ok(next.trim_end().to_string())
}
