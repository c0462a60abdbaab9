//! `census-agent install` and `uninstall`: enrol, write the configuration,
//! put the binary in place and register the service with the init system,
//! or take it all away again. One module per init system: [`systemd`]
//! (Linux), [`windows`] (the service control manager; `windows_install.rs`
//! is its install and uninstall) and [`launchd`] (macOS; [`macos`] is its
//! install and uninstall).
//!
//! Everything is a list of [`Step`]s, built first and then either printed
//! (`--dry-run`) or carried out and printed as it goes, so what a dry run
//! shows is exactly what an install does. With a `root` other than `/` the
//! steps write into that directory tree and never touch the running
//! machine: no user is created and no `systemctl` runs; the service is
//! enabled by its `multi-user.target.wants` link, as `systemctl enable`
//! would. On `/` without a running systemd (containers) the files are
//! written and enabled the same way, and the outcome says how to start it.

pub mod launchd;
pub mod macos;
mod steps;
pub mod systemd;
mod uninstall;
pub mod windows;
mod windows_install;
#[cfg(windows)]
mod windows_scm;
#[cfg(windows)]
pub use windows_scm::{dacl_sddl, protect_private};

pub use steps::{Step, run_steps};
use steps::{same_file, say, user_exists};
pub use uninstall::uninstall;

use crate::config::AgentConfig;
use crate::enroll::{EnrollError, EnrollParams};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The configuration, as the running service sees it.
pub const CONFIG: &str = "/etc/census/agent.toml";
/// State and spool, as the running service sees them.
pub const STATE_DIR: &str = "/var/lib/census-agent";
/// Where `install` copies its own binary.
pub const LOCAL_BIN: &str = "/usr/local/bin/census-agent";
/// Where the `.deb` puts the binary (used in place, never removed here).
pub const PACKAGED_BIN: &str = "/usr/bin/census-agent";

/// Why installing or uninstalling stopped. Steps already carried out stay
/// done; running the command again continues from where it is.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error(
        "installing into / needs root (this runs as user id {0}): run it with sudo, or pass --root DIR to install into a directory tree"
    )]
    NotRoot(u32),
    #[error(transparent)]
    Enroll(#[from] EnrollError),
    #[error("cannot {step}: {source}")]
    Io {
        step: String,
        source: std::io::Error,
    },
    #[error("`{command}` failed: {message}")]
    Command { command: String, message: String },
    #[error("cannot find this program's own binary to copy ({0}): run it by its full path")]
    OwnBinary(std::io::Error),
    #[error("cannot write the report of what was done: {0}")]
    Output(std::io::Error),
}

/// Where files go: `/` or a directory tree standing for it.
#[derive(Debug, Clone)]
pub struct Target {
    root: PathBuf,
}

impl Target {
    /// Install into `root`.
    pub fn new(root: &Path) -> Target {
        Target { root: root.into() }
    }

    /// True when installing onto this running machine.
    pub fn is_live(&self) -> bool {
        self.root == Path::new("/")
    }

    /// The place of `path` (absolute, as the service sees it) in the tree.
    pub fn path(&self, path: &str) -> PathBuf {
        self.root.join(path.trim_start_matches('/'))
    }

    /// systemd runs this machine: `systemctl` can start the service now.
    pub fn systemd_running(&self) -> bool {
        self.is_live() && Path::new("/run/systemd/system").is_dir()
    }
}

/// What `census-agent install` was asked.
#[derive(Debug, Clone)]
pub struct InstallOptions {
    pub collector: String,
    pub token: String,
    pub fingerprint: String,
    /// Time between reports; `None` keeps an existing enrolment's (or 24h).
    pub interval: Option<String>,
    /// Install into this tree (`/` for this machine).
    pub root: PathBuf,
    pub dry_run: bool,
}

/// What `census-agent uninstall` was asked.
#[derive(Debug, Clone)]
pub struct UninstallOptions {
    /// Also remove configuration, state, spool and the service user.
    pub purge: bool,
    pub root: PathBuf,
    pub dry_run: bool,
}

/// How an install ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Installed {
    /// The agent's id at the collector (`None` in a dry run of a new enrolment).
    pub agent_id: Option<String>,
    /// The service runs now.
    pub started: bool,
    /// What the person should know or do next.
    pub next: String,
}

#[cfg(unix)]
fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() }
}

/// No uid on Windows: writing under `%ProgramData%` and the service manager
/// refuse without administrator rights themselves.
#[cfg(not(unix))]
fn euid() -> u32 {
    0
}

/// Enrol (unless this tree is already enrolled with the same collector and
/// key), write the configuration (0600), the binary, the user entry and the
/// unit, and start the service when systemd runs this machine.
pub fn install(opts: &InstallOptions, out: &mut dyn Write) -> Result<Installed, InstallError> {
    if cfg!(windows) {
        return windows_install::install(opts, out);
    }
    if cfg!(target_os = "macos") {
        return macos::install(opts, out);
    }
    let target = Target::new(&opts.root);
    if target.is_live() && !opts.dry_run && euid() != 0 {
        return Err(InstallError::NotRoot(euid()));
    }
    let config_path = target.path(CONFIG);
    let cfg = enrol_or_keep(opts, &config_path, STATE_DIR, out)?;
    let agent_id = cfg.as_ref().map(|c| c.agent_id.clone());
    let config_bytes = cfg
        .as_ref()
        .map(|c| c.to_toml().into_bytes())
        .unwrap_or_default();

    // Files and the service, once enrolled.
    let own = std::env::current_exe().map_err(InstallError::OwnBinary)?;
    let packaged = target.path(PACKAGED_BIN);
    let uses_package = same_file(&own, &packaged);
    let exec = if uses_package {
        PACKAGED_BIN
    } else {
        LOCAL_BIN
    };
    let mut steps = vec![
        Step::Mkdir {
            path: target.path("/etc/census"),
            mode: 0o755,
        },
        Step::Write {
            path: config_path.clone(),
            mode: 0o600,
            what: "the agent's configuration (collector, pinned key, id, secret)",
            bytes: config_bytes,
        },
        Step::Mkdir {
            path: target.path(STATE_DIR),
            mode: 0o700,
        },
    ];
    if !uses_package && !same_file(&own, &target.path(LOCAL_BIN)) {
        steps.push(Step::Copy {
            from: own.clone(),
            to: target.path(LOCAL_BIN),
        });
    }
    steps.push(Step::Write {
        path: target.path(systemd::SYSUSERS_PATH),
        mode: 0o644,
        what: "the service user, for systemd-sysusers",
        bytes: systemd::sysusers(STATE_DIR).into_bytes(),
    });
    if target.is_live() && !user_exists(systemd::USER) {
        steps.push(Step::AddUser {
            name: systemd::USER.into(),
            home: STATE_DIR.into(),
        });
    }
    steps.push(Step::Write {
        path: target.path(systemd::UNIT_PATH),
        mode: 0o644,
        what: "the systemd unit",
        bytes: systemd::unit(exec, CONFIG, STATE_DIR).into_bytes(),
    });
    let started = target.systemd_running();
    if started {
        for args in [
            vec!["daemon-reload"],
            vec!["enable", systemd::UNIT_NAME],
            vec!["restart", systemd::UNIT_NAME],
        ] {
            steps.push(Step::Run {
                program: "systemctl".into(),
                args: args.into_iter().map(String::from).collect(),
                tolerate: false,
            });
        }
    } else {
        steps.push(Step::Symlink {
            link: target.path(systemd::WANTS_LINK),
            target: systemd::UNIT_PATH.into(),
        });
    }
    run_steps(&steps, opts.dry_run, out)?;

    let next = if started {
        format!(
            "the agent runs now and at every boot; see `census-agent status` and `journalctl -u {}`",
            systemd::SERVICE_NAME
        )
    } else if target.is_live() {
        format!(
            "systemd is not running on this machine (no /run/systemd/system), so the service was \
             written and enabled but not started. Start the agent under your init system with \
             `{exec} --config {CONFIG} run` (as root, or as {} with CAP_DAC_READ_SEARCH), or \
             run `systemctl start {}` once systemd runs.",
            systemd::USER,
            systemd::SERVICE_NAME
        )
    } else {
        format!(
            "installed into {}: the service is enabled and starts when that tree boots \
             (systemd-sysusers creates the {} user from {}). On a running system: \
             `systemctl daemon-reload && systemctl start {}`.",
            opts.root.display(),
            systemd::USER,
            systemd::SYSUSERS_PATH,
            systemd::SERVICE_NAME
        )
    };
    Ok(Installed {
        agent_id,
        started,
        next,
    })
}

/// Enrolment, before anything is written (so a refused token leaves no
/// trace): keep the configuration at `config_path` when it names the same
/// collector and key (applying a new `--interval`), else enrol with the
/// token, the service's state in `state_dir`. `None` in a dry run of a new
/// enrolment. Every platform's install starts here.
pub(crate) fn enrol_or_keep(
    opts: &InstallOptions,
    config_path: &Path,
    state_dir: &str,
    out: &mut dyn Write,
) -> Result<Option<AgentConfig>, InstallError> {
    let params = EnrollParams {
        collector: opts.collector.clone(),
        token: opts.token.clone(),
        fingerprint: opts.fingerprint.clone(),
        interval: opts.interval.clone().unwrap_or_else(|| "24h".into()),
        state_dir: state_dir.into(),
        root: "/".into(),
    };
    let pin = params.check()?;
    let existing = AgentConfig::load(config_path).ok().filter(|c| {
        c.collector == params.collector_url()
            && census_shared::pin::parse_fingerprint(&c.fingerprint) == Some(pin)
    });
    let announce = |s: &Step, out: &mut dyn Write| {
        if opts.dry_run {
            writeln!(out, "would {s}").map_err(InstallError::Output)
        } else {
            say(out, s)
        }
    };
    match existing {
        Some(mut cfg) => {
            announce(
                &Step::KeepEnrolment {
                    agent_id: cfg.agent_id.clone(),
                    config: config_path.to_path_buf(),
                },
                out,
            )?;
            if let Some(i) = &opts.interval {
                cfg.interval = i.clone();
            }
            Ok(Some(cfg))
        }
        None => {
            announce(
                &Step::Enrol {
                    collector: params.collector_url(),
                },
                out,
            )?;
            if opts.dry_run {
                return Ok(None);
            }
            let cfg = crate::enroll::enroll(&params)?;
            writeln!(out, "  enrolled as {}", cfg.agent_id).map_err(InstallError::Output)?;
            Ok(Some(cfg))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_is_not_the_live_machine() {
        let t = Target::new(Path::new("/tmp/x"));
        assert!(!t.is_live() && !t.systemd_running());
        assert_eq!(
            t.path(CONFIG),
            PathBuf::from("/tmp/x/etc/census/agent.toml")
        );
        assert!(Target::new(Path::new("/")).is_live());
    }

    #[test]
    fn steps_carry_out_what_they_print() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a/b/file");
        let steps = vec![
            Step::Write {
                path: f.clone(),
                mode: 0o600,
                what: "a file",
                bytes: b"x".to_vec(),
            },
            Step::Symlink {
                link: dir.path().join("l/link"),
                target: f.clone(),
            },
        ];
        let mut out = Vec::new();
        run_steps(&steps, true, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("would write "), "{text}");
        assert!(text.contains("(0600): a file"), "{text}");
        assert!(!f.exists(), "a dry run writes nothing");
        let mut out = Vec::new();
        run_steps(&steps, false, &mut out).unwrap();
        assert_eq!(std::fs::read(&f).unwrap(), b"x");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(f.metadata().unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert_eq!(std::fs::read_link(dir.path().join("l/link")).unwrap(), f);
        // Replacing a link works too.
        run_steps(&steps, false, &mut Vec::new()).unwrap();
        let err = run_steps(
            &[Step::Run {
                program: "false".into(),
                args: vec![],
                tolerate: false,
            }],
            false,
            &mut Vec::new(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("`false ` failed"), "{err}");
    }
}
