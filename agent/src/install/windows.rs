//! The agent as a Windows service: where `install` puts things
//! (`%ProgramData%\Census` for configuration, state, spool and log,
//! `%ProgramFiles%\Census\census-agent.exe` for the binary), the service's
//! definition (name, command line, automatic delayed start as LocalSystem,
//! restart on failure) and the Windows-only [`WinStep`]s that install and
//! uninstall are made of.
//!
//! Portable: the steps are built, printed and unit-tested on any OS;
//! `windows_scm.rs` carries them out through the service control manager
//! and the Win32 security API, on Windows only. `windows_install.rs` builds
//! the lists; this file does not enrol or write anything.

use std::fmt;
use std::path::{Path, PathBuf};

/// The service name.
pub const SERVICE: &str = "census-agent";
/// The name the Services console shows.
pub const DISPLAY_NAME: &str = "Census agent";
/// The description the Services console shows.
pub const DESCRIPTION: &str = "Inventories this PC for the Census IT recovery plan";
/// Seconds after which the failure count starts again.
pub const FAILURE_RESET_SECS: u64 = 86_400;
/// Seconds before each restart after a failure: first, second, later ones.
pub const RESTART_DELAYS_SECS: [u64; 3] = [60, 60, 300];
/// The security descriptor of the data directory: a protected DACL (nothing
/// inherited from `%ProgramData%`, where Users may read) giving full control
/// to LocalSystem (`SY`, the service) and the Administrators group (`BA`)
/// only, inherited by everything created inside.
pub const DIR_SDDL: &str = "D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)";
/// The same for a single file (the configuration holds the agent's secret).
pub const FILE_SDDL: &str = "D:P(A;;FA;;;SY)(A;;FA;;;BA)";

/// Quote one argument for a Windows command line (the rules
/// `CommandLineToArgvW` undoes): backslashes before a quote are doubled.
pub fn quote(arg: &str) -> String {
    if !arg.is_empty() && !arg.contains([' ', '\t', '"']) {
        return arg.to_string();
    }
    let mut out = String::from("\"");
    let mut backslashes = 0;
    for c in arg.chars() {
        match c {
            '\\' => backslashes += 1,
            '"' => {
                out.push_str(&"\\".repeat(backslashes * 2 + 1));
                out.push('"');
                backslashes = 0;
            }
            _ => {
                out.push_str(&"\\".repeat(backslashes));
                out.push(c);
                backslashes = 0;
            }
        }
    }
    out.push_str(&"\\".repeat(backslashes * 2));
    out.push('"');
    out
}

/// The service's arguments after the binary.
pub fn service_args(config: &str) -> Vec<String> {
    vec!["--config".into(), config.into(), "service".into()]
}

/// The command line the service control manager runs (its `ImagePath`).
pub fn command_line(binary: &str, config: &str) -> String {
    std::iter::once(binary.to_string())
        .chain(service_args(config))
        .map(|a| quote(&a))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where install puts things: on this machine (`live`), or in a directory
/// tree standing for its system drive.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// `%ProgramData%\Census` (or its place in the tree).
    pub data_dir: PathBuf,
    /// `%ProgramFiles%\Census` (or its place in the tree).
    pub bin_dir: PathBuf,
    /// The data directory as the service sees it (written into the config).
    pub service_data_dir: String,
    /// Installing onto this running machine: the service is registered.
    pub live: bool,
}

impl Layout {
    /// The layout for `--root`: `/` is this machine (`%ProgramData%`,
    /// `%ProgramFiles%`), anything else a tree holding `ProgramData` and
    /// `Program Files` as a system drive would.
    pub fn for_root(root: &Path) -> Layout {
        if root == Path::new("/") {
            let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
            let data = format!("{}\\Census", env("ProgramData", "C:\\ProgramData"));
            let bin = format!("{}\\Census", env("ProgramFiles", "C:\\Program Files"));
            Layout {
                data_dir: data.clone().into(),
                bin_dir: bin.into(),
                service_data_dir: data,
                live: true,
            }
        } else {
            Layout {
                data_dir: root.join("ProgramData").join("Census"),
                bin_dir: root.join("Program Files").join("Census"),
                service_data_dir: "C:\\ProgramData\\Census".into(),
                live: false,
            }
        }
    }

    /// The configuration file.
    pub fn config(&self) -> PathBuf {
        self.data_dir.join("agent.toml")
    }

    /// The configuration file as the service sees it.
    pub fn service_config(&self) -> String {
        format!("{}\\agent.toml", self.service_data_dir)
    }

    /// State and spool.
    pub fn state_dir(&self) -> PathBuf {
        self.data_dir.join("state")
    }

    /// State and spool as the service sees them.
    pub fn service_state_dir(&self) -> String {
        format!("{}\\state", self.service_data_dir)
    }

    /// The installed binary.
    pub fn binary(&self) -> PathBuf {
        self.bin_dir.join("census-agent.exe")
    }
}

/// A step only Windows can carry out.
#[derive(Debug, Clone, PartialEq)]
pub enum WinStep {
    /// Replace the ACL of a file or directory: SYSTEM and Administrators
    /// only ([`DIR_SDDL`], [`FILE_SDDL`]).
    Protect { path: PathBuf, dir: bool },
    /// Create the service, or bring an existing one to this definition.
    Register { binary: String, config: String },
    /// Start the service and wait until it runs.
    Start,
    /// Stop the service if it runs, and wait until its process is gone.
    Stop,
    /// Delete the service.
    Delete,
}

impl fmt::Display for WinStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WinStep::Protect { path, .. } => write!(
                f,
                "limit {} to SYSTEM and Administrators (protected ACL)",
                path.display()
            ),
            WinStep::Register { binary, config } => write!(
                f,
                "register the Windows service {SERVICE} ({}, as LocalSystem, automatic delayed \
                 start, restarted 1, 1 and 5 minutes after failures)",
                command_line(binary, config)
            ),
            WinStep::Start => write!(f, "start the service {SERVICE}"),
            WinStep::Stop => write!(f, "stop the service {SERVICE} if it runs"),
            WinStep::Delete => write!(f, "delete the service {SERVICE}"),
        }
    }
}

/// Carry out a Windows step (on other systems: an error saying so).
pub(super) fn carry_out(step: &WinStep) -> std::io::Result<()> {
    #[cfg(windows)]
    {
        super::windows_scm::carry_out(step)
    }
    #[cfg(not(windows))]
    {
        Err(std::io::Error::other(format!(
            "{step}: only possible on Windows"
        )))
    }
}

/// This process may create services (elevated, an administrator): asked
/// before enrolling, so a plain user's attempt changes nothing.
pub fn check_admin() -> std::io::Result<()> {
    #[cfg(windows)]
    {
        super::windows_scm::check_admin()
    }
    #[cfg(not(windows))]
    {
        Ok(())
    }
}

/// The service is registered on this machine (false elsewhere).
pub fn service_exists() -> bool {
    #[cfg(windows)]
    {
        super::windows_scm::service_exists()
    }
    #[cfg(not(windows))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_with_spaces_are_quoted_in_the_command_line() {
        assert_eq!(
            command_line(
                r"C:\Program Files\Census\census-agent.exe",
                r"C:\ProgramData\Census\agent.toml",
            ),
            r#""C:\Program Files\Census\census-agent.exe" --config C:\ProgramData\Census\agent.toml service"#
        );
        assert_eq!(quote(r#"a "b""#), r#""a \"b\"""#);
        assert_eq!(quote(r"C:\dir with space\"), r#""C:\dir with space\\""#);
        assert_eq!(quote(""), "\"\"");
    }

    #[test]
    fn a_tree_stands_for_the_system_drive() {
        let l = Layout::for_root(Path::new("/tmp/img"));
        assert!(!l.live);
        assert_eq!(
            l.config(),
            PathBuf::from("/tmp/img/ProgramData/Census/agent.toml")
        );
        assert_eq!(
            l.binary(),
            PathBuf::from("/tmp/img/Program Files/Census/census-agent.exe")
        );
        assert_eq!(l.service_config(), r"C:\ProgramData\Census\agent.toml");
        assert_eq!(l.service_state_dir(), r"C:\ProgramData\Census\state");
        let text = WinStep::Register {
            binary: r"C:\Program Files\Census\census-agent.exe".into(),
            config: l.service_config(),
        }
        .to_string();
        assert!(text.contains("automatic delayed start"), "{text}");
        assert!(Layout::for_root(Path::new("/")).live);
    }
}
