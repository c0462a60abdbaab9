//! `census-agent install` and `uninstall` on Windows: enrol (or keep a
//! same-collector enrolment), the data directory `%ProgramData%\Census`
//! limited to SYSTEM and Administrators, the configuration in it, the
//! binary copied to `%ProgramFiles%\Census`, the service registered (see
//! `windows.rs`) and started; uninstall stops and deletes the service and
//! removes the binary, and with `--purge` the data directory.
//!
//! The same [`Step`] lists as on Linux, printed by `--dry-run`; with a
//! `--root` other than `/` the files go into that tree (`ProgramData\…`,
//! `Program Files\…`) and no service is registered. The steps are chosen
//! here on any OS (so a dry run is unit-tested on Linux); the service and
//! ACL steps run only on Windows (`windows_scm.rs`).

use super::steps::same_file;
use super::windows::{Layout, WinStep, check_admin, service_exists};
use super::*;

/// Enrol, write the configuration, copy the binary, register and start
/// the service.
pub fn install(opts: &InstallOptions, out: &mut dyn Write) -> Result<Installed, InstallError> {
    let layout = Layout::for_root(&opts.root);
    admin_first(&layout, opts.dry_run)?;
    let config_path = layout.config();
    // Enrolment first: a refused token leaves no trace on the machine.
    let cfg = enrol_or_keep(opts, &config_path, &layout.service_state_dir(), out)?;
    let agent_id = cfg.as_ref().map(|c| c.agent_id.clone());
    let config_bytes = cfg
        .as_ref()
        .map(|c| c.to_toml().into_bytes())
        .unwrap_or_default();
    let own = std::env::current_exe().map_err(InstallError::OwnBinary)?;
    let steps = install_steps(&layout, &own, config_bytes, layout.live && service_exists());
    run_steps(&steps, opts.dry_run, out)?;
    let next = if layout.live {
        format!(
            "the agent runs now as the Windows service {} and at every boot; see \
             `census-agent status` (as administrator) and {}",
            windows::SERVICE,
            layout.data_dir.join("agent.log").display()
        )
    } else {
        format!(
            "installed into {}: no service was registered (that needs the running Windows); \
             register it there with `census-agent install` or `sc.exe create`",
            opts.root.display()
        )
    };
    Ok(Installed {
        agent_id,
        started: layout.live,
        next,
    })
}

/// On this machine, refuse before anything happens unless the service
/// manager accepts changes from this process (an elevated prompt).
fn admin_first(layout: &Layout, dry_run: bool) -> Result<(), InstallError> {
    if !layout.live || dry_run {
        return Ok(());
    }
    check_admin().map_err(|source| InstallError::Io {
        step: "open the service control manager for changes".into(),
        source,
    })
}

/// The steps after enrolment: data directory and configuration (ACL
/// first, so the secret is never readable by others), state directory,
/// the binary (the running service stopped first, since Windows does not
/// replace a running program), the service registered and started.
pub fn install_steps(layout: &Layout, own: &Path, config: Vec<u8>, exists: bool) -> Vec<Step> {
    let win = Step::Windows;
    let mut steps = vec![
        Step::Mkdir {
            path: layout.data_dir.clone(),
            mode: 0o700,
        },
        win(WinStep::Protect {
            path: layout.data_dir.clone(),
            dir: true,
        }),
        Step::Write {
            path: layout.config(),
            mode: 0o600,
            what: "the agent's configuration (collector, pinned key, id, secret)",
            bytes: config,
        },
        win(WinStep::Protect {
            path: layout.config(),
            dir: false,
        }),
        Step::Mkdir {
            path: layout.state_dir(),
            mode: 0o700,
        },
    ];
    if exists {
        steps.push(win(WinStep::Stop));
    }
    if !same_file(own, &layout.binary()) {
        steps.push(Step::Copy {
            from: own.into(),
            to: layout.binary(),
        });
    }
    if layout.live {
        steps.push(win(WinStep::Register {
            binary: layout.binary().to_string_lossy().into_owned(),
            config: layout.service_config(),
        }));
        steps.push(win(WinStep::Start));
    }
    steps
}

/// Stop and delete the service, remove the binary; with `purge` the data
/// directory (configuration, state, spool, log) too.
pub fn uninstall(opts: &UninstallOptions, out: &mut dyn Write) -> Result<String, InstallError> {
    let layout = Layout::for_root(&opts.root);
    admin_first(&layout, opts.dry_run)?;
    let agent_id = AgentConfig::load(&layout.config()).ok().map(|c| c.agent_id);
    let own = std::env::current_exe().ok();
    let running_installed = own
        .as_deref()
        .is_some_and(|o| same_file(o, &layout.binary()));
    let steps = uninstall_steps(
        &layout,
        opts.purge,
        layout.live && service_exists(),
        running_installed,
    );
    if steps.is_empty() {
        writeln!(
            out,
            "nothing to remove: the agent is not installed in {}",
            layout.data_dir.display()
        )
        .map_err(InstallError::Output)?;
    }
    run_steps(&steps, opts.dry_run, out)?;
    let mut next = String::new();
    if running_installed {
        next.push_str(&format!(
            "{} is this running program, which Windows cannot delete: remove it once this \
             command has ended. ",
            layout.binary().display()
        ));
    }
    if !opts.purge {
        next.push_str(&format!(
            "kept {} (`census-agent uninstall --purge` removes it). ",
            layout.data_dir.display()
        ));
    }
    if let Some(id) = agent_id {
        next.push_str(&format!(
            "The collector still lists agent {id}: revoke it there with \
             `census-collector agents revoke {id}`."
        ));
    }
    Ok(next.trim_end().to_string())
}

/// The uninstall steps, for what is present.
pub fn uninstall_steps(
    layout: &Layout,
    purge: bool,
    exists: bool,
    running_installed: bool,
) -> Vec<Step> {
    let present = |p: &Path| p.symlink_metadata().is_ok();
    let mut steps = Vec::new();
    if exists {
        steps.push(Step::Windows(WinStep::Stop));
        steps.push(Step::Windows(WinStep::Delete));
    }
    if present(&layout.binary()) && !running_installed {
        steps.push(Step::Remove {
            path: layout.binary(),
            what: "the agent binary install copied",
        });
        steps.push(Step::RemoveEmptyDir {
            path: layout.bin_dir.clone(),
        });
    }
    if purge && present(&layout.data_dir) {
        steps.push(Step::RemoveTree {
            path: layout.data_dir.clone(),
            what: "configuration (id and secret), state, spooled reports and the log",
        });
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_install_protects_before_writing_and_stops_before_replacing() {
        let layout = Layout {
            data_dir: r"C:\ProgramData\Census".into(),
            bin_dir: r"C:\Program Files\Census".into(),
            service_data_dir: r"C:\ProgramData\Census".into(),
            live: true,
        };
        let steps = install_steps(&layout, Path::new("/nonexistent/agent.exe"), vec![], true);
        let text: Vec<String> = steps.iter().map(|s| s.to_string()).collect();
        let at = |needle: &str| {
            text.iter()
                .position(|t| t.contains(needle))
                .unwrap_or_else(|| panic!("{needle} in {text:#?}"))
        };
        assert!(at("limit C:\\ProgramData\\Census to SYSTEM") < at("write C:\\ProgramData"));
        assert!(at("stop the service") < at("copy "));
        assert!(at("copy ") < at("register the Windows service"));
        assert!(at("register") < at("start the service"));
        // (Joined with `/` when this test runs on Linux.)
        let register = &text[at("register")];
        assert!(
            register.contains(r#"census-agent.exe" --config"#),
            "{register}"
        );
        assert!(
            register.contains(r"--config C:\ProgramData\Census\agent.toml service"),
            "{register}"
        );
        // A fresh install has no service to stop.
        let fresh = install_steps(&layout, Path::new("/x"), vec![], false);
        assert!(!fresh.contains(&Step::Windows(WinStep::Stop)));
    }

    #[test]
    fn a_tree_install_writes_files_only_and_uninstall_keeps_data_unless_purged() {
        let root = tempfile::tempdir().unwrap();
        let layout = Layout::for_root(root.path());
        let own = std::env::current_exe().unwrap();
        let steps = install_steps(&layout, &own, b"cfg".to_vec(), false);
        assert!(
            !steps
                .iter()
                .any(|s| matches!(s, Step::Windows(WinStep::Register { .. } | WinStep::Start)))
        );
        // Carry out the file steps (ACLs are Windows-only).
        let files: Vec<Step> = steps
            .into_iter()
            .filter(|s| !matches!(s, Step::Windows(_)))
            .collect();
        run_steps(&files, false, &mut Vec::new()).unwrap();
        assert_eq!(std::fs::read(layout.config()).unwrap(), b"cfg");
        assert!(layout.binary().is_file() && layout.state_dir().is_dir());

        let keep = uninstall_steps(&layout, false, false, false);
        run_steps(&keep, false, &mut Vec::new()).unwrap();
        assert!(!layout.binary().exists() && !layout.bin_dir.exists());
        assert!(layout.config().is_file(), "kept without --purge");
        let purge = uninstall_steps(&layout, true, false, false);
        assert_eq!(purge.len(), 1, "{purge:?}");
        run_steps(&purge, false, &mut Vec::new()).unwrap();
        assert!(!layout.data_dir.exists());
        assert!(uninstall_steps(&layout, true, false, false).is_empty());
    }
}
