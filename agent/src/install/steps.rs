//! The [`Step`]s install and uninstall are made of, how each is said, and
//! how each is carried out: files written atomically with their modes,
//! links, users and `systemctl`, with errors that name the step. Building
//! the list is `install`'s and `uninstall`'s; this file only runs it.

use super::*;

/// One thing install or uninstall does.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Ask the collector for an id and secret (done before any file is written).
    Enrol { collector: String },
    /// An existing enrolment with the same collector is kept.
    KeepEnrolment { agent_id: String, config: PathBuf },
    /// Create a directory (and its parents) and set its mode.
    Mkdir { path: PathBuf, mode: u32 },
    /// Write a file atomically with this mode.
    Write {
        path: PathBuf,
        mode: u32,
        what: &'static str,
        bytes: Vec<u8>,
    },
    /// Copy a file atomically (works over a running binary).
    Copy { from: PathBuf, to: PathBuf },
    /// Create (or replace) a symbolic link.
    Symlink { link: PathBuf, target: PathBuf },
    /// Create the service's system user (only on `/`, only if missing).
    AddUser { name: String, home: String },
    /// Delete the service's system user (uninstall --purge on `/`).
    DelUser { name: String },
    /// Run a program; `tolerate` failures that mean "already so".
    Run {
        program: String,
        args: Vec<String>,
        tolerate: bool,
    },
    /// Remove a file or link.
    Remove { path: PathBuf, what: &'static str },
    /// Remove a directory and everything in it.
    RemoveTree { path: PathBuf, what: &'static str },
    /// Remove a directory if it is empty.
    RemoveEmptyDir { path: PathBuf },
    /// A service or ACL step only Windows carries out.
    Windows(super::windows::WinStep),
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Enrol { collector } => write!(f, "enrol with the collector {collector}"),
            Step::KeepEnrolment { agent_id, config } => write!(
                f,
                "keep the enrolment as {agent_id} in {} (same collector and key)",
                config.display()
            ),
            Step::Mkdir { path, mode } => {
                write!(f, "create directory {} ({mode:04o})", path.display())
            }
            Step::Write {
                path, mode, what, ..
            } => write!(f, "write {} ({mode:04o}): {what}", path.display()),
            Step::Copy { from, to } => {
                write!(f, "copy {} to {} (0755)", from.display(), to.display())
            }
            Step::Symlink { link, target } => {
                write!(f, "link {} -> {}", link.display(), target.display())
            }
            Step::AddUser { name, home } => {
                write!(f, "create system user {name} (home {home}, no login shell)")
            }
            Step::DelUser { name } => write!(f, "delete system user {name}"),
            Step::Run { program, args, .. } => write!(f, "run {program} {}", args.join(" ")),
            Step::Remove { path, what } => write!(f, "remove {}: {what}", path.display()),
            Step::RemoveTree { path, what } => {
                write!(f, "remove {} and all it holds: {what}", path.display())
            }
            Step::RemoveEmptyDir { path } => {
                write!(f, "remove {} if empty", path.display())
            }
            Step::Windows(s) => write!(f, "{s}"),
        }
    }
}

pub(super) fn say(out: &mut dyn Write, step: &Step) -> Result<(), InstallError> {
    writeln!(out, "{step}").map_err(InstallError::Output)
}

/// Print every step (`dry_run`), or print and carry out each in turn.
pub fn run_steps(steps: &[Step], dry_run: bool, out: &mut dyn Write) -> Result<(), InstallError> {
    for step in steps {
        if dry_run {
            writeln!(out, "would {step}").map_err(InstallError::Output)?;
        } else {
            say(out, step)?;
            carry_out(step)?;
        }
    }
    Ok(())
}

pub(super) fn carry_out(step: &Step) -> Result<(), InstallError> {
    let io = |source: std::io::Error| InstallError::Io {
        step: step.to_string(),
        source,
    };
    match step {
        Step::Enrol { .. } | Step::KeepEnrolment { .. } => Ok(()),
        Step::Mkdir { path, mode } => {
            std::fs::create_dir_all(path).map_err(io)?;
            set_mode(path, *mode).map_err(io)
        }
        Step::Write {
            path, mode, bytes, ..
        } => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(io)?;
            }
            write_atomic(path, bytes, *mode).map_err(io)
        }
        Step::Copy { from, to } => {
            let bytes = std::fs::read(from).map_err(io)?;
            if let Some(dir) = to.parent() {
                std::fs::create_dir_all(dir).map_err(io)?;
            }
            write_atomic(to, &bytes, 0o755).map_err(io)
        }
        Step::Symlink { link, target } => {
            if let Some(dir) = link.parent() {
                std::fs::create_dir_all(dir).map_err(io)?;
            }
            if link.symlink_metadata().is_ok() {
                std::fs::remove_file(link).map_err(io)?;
            }
            symlink(target, link).map_err(io)
        }
        Step::AddUser { name, home } => run(
            "useradd",
            &[
                "--system",
                "--user-group",
                "--home-dir",
                home,
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                "--comment",
                "Census agent",
                name,
            ],
            false,
        ),
        Step::DelUser { name } => run("userdel", &[name.as_str()], true),
        Step::Run {
            program,
            args,
            tolerate,
        } => {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            run(program, &args, *tolerate)
        }
        Step::Remove { path, .. } => match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(e)),
            _ => Ok(()),
        },
        Step::RemoveTree { path, .. } => match std::fs::remove_dir_all(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(e)),
            _ => Ok(()),
        },
        Step::RemoveEmptyDir { path } => {
            // Other Census files (the collector's configuration) may live there.
            let _ = std::fs::remove_dir(path);
            Ok(())
        }
        Step::Windows(s) => super::windows::carry_out(s).map_err(io),
    }
}

pub(super) fn run(program: &str, args: &[&str], tolerate: bool) -> Result<(), InstallError> {
    let command = format!("{program} {}", args.join(" "));
    match Command::new(program).args(args).output() {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => {
            let message = format!(
                "{} ({})",
                String::from_utf8_lossy(&o.stderr).trim(),
                o.status
            );
            if tolerate {
                Ok(())
            } else {
                Err(InstallError::Command { command, message })
            }
        }
        Err(e) => Err(InstallError::Command {
            command,
            message: format!("{e}: is {program} installed?"),
        }),
    }
}

/// Write `bytes` to a temporary file beside `path`, set `mode`, rename over
/// `path`: readers never see half a file, and a running binary can be
/// replaced.
pub(super) fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.census-tmp"));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(mode);
    }
    let mut f = opts.open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    set_mode(&tmp, mode)?;
    std::fs::rename(&tmp, path)
}

pub(super) fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

#[cfg(unix)]
pub(super) fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
pub(super) fn symlink(_target: &Path, _link: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("symbolic links need a Unix system"))
}

/// Both paths name the same existing file.
pub(super) fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The user exists on this machine (`getent passwd`, so NSS is asked too).
pub(super) fn user_exists(name: &str) -> bool {
    Command::new("getent")
        .args(["passwd", name])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}
