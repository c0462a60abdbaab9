//! The agent's configuration file (TOML, mode 0600: it holds the agent's
//! secret). Written by `census-agent enroll`, read by `run` and `status`.
//! Default place: `/etc/census/agent.toml` (Windows:
//! `%ProgramData%\Census\agent.toml`, macOS: `/Library/Application
//! Support/Census/agent.toml`); state and spool under
//! `/var/lib/census-agent` (Windows and macOS: `state` beside the config).

use census_shared::duration::{format_duration, parse_duration};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the config lives when `--config` is not given.
pub fn default_config_path() -> PathBuf {
    if cfg!(windows) {
        let base = std::env::var_os("ProgramData").unwrap_or_else(|| "C:\\ProgramData".into());
        PathBuf::from(base).join("Census").join("agent.toml")
    } else if cfg!(target_os = "macos") {
        PathBuf::from("/Library/Application Support/Census/agent.toml")
    } else {
        PathBuf::from("/etc/census/agent.toml")
    }
}

/// Where state and spool live when the config does not say.
pub fn default_state_dir() -> PathBuf {
    if cfg!(windows) {
        let base = std::env::var_os("ProgramData").unwrap_or_else(|| "C:\\ProgramData".into());
        PathBuf::from(base).join("Census").join("state")
    } else if cfg!(target_os = "macos") {
        PathBuf::from("/Library/Application Support/Census/state")
    } else {
        PathBuf::from("/var/lib/census-agent")
    }
}

/// Why the configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "cannot read {path}: {source} (enrol first: census-agent enroll --collector URL --token TOKEN --fingerprint SHA256)"
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a valid agent configuration: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The agent's configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentConfig {
    /// Collector base URL, e.g. `https://collector.example:8443`.
    pub collector: String,
    /// SHA-256 of the collector's public key (SPKI), hex.
    pub fingerprint: String,
    /// This agent's id at the collector.
    pub agent_id: String,
    /// This agent's secret (bearer token).
    pub secret: String,
    /// Time between reports (`24h`); each wait is jittered by ±10%.
    #[serde(default = "default_interval")]
    pub interval: String,
    /// Directory for state and the spool of undelivered reports.
    #[serde(default = "default_state_dir")]
    pub state_dir: PathBuf,
    /// At most this many reports wait in the spool (oldest dropped first).
    #[serde(default = "default_spool_reports")]
    pub spool_max_reports: usize,
    /// At most this many bytes wait in the spool (oldest dropped first).
    #[serde(default = "default_spool_bytes")]
    pub spool_max_bytes: u64,
    /// Inventory this directory tree instead of `/` (tests, packaging).
    #[serde(default = "default_root")]
    pub root: PathBuf,
}

fn default_interval() -> String {
    "24h".into()
}
fn default_spool_reports() -> usize {
    100
}
fn default_spool_bytes() -> u64 {
    64 * 1024 * 1024
}
fn default_root() -> PathBuf {
    PathBuf::from("/")
}

impl AgentConfig {
    /// The reporting interval.
    pub fn interval(&self) -> Duration {
        parse_duration(&self.interval).unwrap_or(Duration::from_secs(86_400))
    }

    /// Spool directory.
    pub fn spool_dir(&self) -> PathBuf {
        self.state_dir.join("spool")
    }

    /// State file (last success, last error).
    pub fn state_file(&self) -> PathBuf {
        self.state_dir.join("state.json")
    }

    /// Read and check a config file.
    pub fn load(path: &Path) -> Result<AgentConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.into(),
            source,
        })?;
        let cfg: AgentConfig = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: path.into(),
            message: e.to_string(),
        })?;
        let invalid = |message: String| ConfigError::Invalid {
            path: path.into(),
            message,
        };
        parse_duration(&cfg.interval).map_err(|e| invalid(format!("interval: {e}")))?;
        census_shared::pin::parse_fingerprint(&cfg.fingerprint)
            .ok_or_else(|| invalid("fingerprint: expected 64 hex digits (SHA-256)".into()))?;
        if !cfg.collector.starts_with("https://") {
            return Err(invalid(format!(
                "collector {:?}: must be an https:// URL",
                cfg.collector
            )));
        }
        Ok(cfg)
    }

    /// The configuration file's text, with comments.
    pub fn to_toml(&self) -> String {
        let q = |s: &str| toml::Value::String(s.to_string()).to_string();
        format!(
            "# census-agent configuration, written by `census-agent enroll`.\n\
             # Keep it readable by root only: it holds this agent's secret.\n\n\
             # The collector this agent reports to.\n\
             collector = {}\n\
             # SHA-256 of the collector's public key. Every connection checks it;\n\
             # a collector presenting another key is refused.\n\
             fingerprint = {}\n\
             # This agent's identity at the collector.\n\
             agent_id = {}\n\
             secret = {}\n\n\
             # Time between reports (s, m, h, d), jittered by 10%.\n\
             interval = {}\n\
             # State and the spool of reports waiting for the collector.\n\
             state_dir = {}\n\
             spool_max_reports = {}\n\
             spool_max_bytes = {}\n\
             # Inventory this directory tree instead of / (for tests and packaging).\n\
             root = {}\n",
            q(&self.collector),
            q(&self.fingerprint),
            q(&self.agent_id),
            q(&self.secret),
            q(&format_duration(self.interval())),
            q(&self.state_dir.to_string_lossy()),
            self.spool_max_reports,
            self.spool_max_bytes,
            q(&self.root.to_string_lossy()),
        )
    }

    /// Write the config with comments, readable by its owner only.
    pub fn save(&self, path: &Path) -> Result<(), ConfigError> {
        let text = self.to_toml();
        let err = |source| ConfigError::Write {
            path: path.into(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        write_private(path, text.as_bytes()).map_err(err)
    }
}

/// Write a file that only its owner can read (0600 on Unix), atomically.
pub fn write_private(path: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("tmp");
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&tmp)?;
    f.write_all(data)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_load_round_trip_with_private_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("etc/agent.toml");
        let cfg = AgentConfig {
            collector: "https://127.0.0.1:8443".into(),
            fingerprint: "ab".repeat(32),
            agent_id: "agt_1".into(),
            secret: "s\"ecret".into(),
            interval: "1h30m".into(),
            state_dir: dir.path().join("state"),
            spool_max_reports: 5,
            spool_max_bytes: 1000,
            root: "/".into(),
        };
        cfg.save(&path).unwrap();
        assert_eq!(AgentConfig::load(&path).unwrap(), cfg);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "collector = 1").unwrap();
        let e = AgentConfig::load(&path).unwrap_err().to_string();
        assert!(e.contains("not a valid agent configuration"), "{e}");
    }
}
