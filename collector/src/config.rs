//! The collector's configuration: a TOML file (all keys optional), then
//! environment variables, then command-line flags, each overriding the one
//! before. Every subcommand resolves the data directory and the database
//! (`database`, `--database`, `CENSUS_DATABASE`; SQLite in the data
//! directory by default) the same way, so `serve`, `token` and `agents`
//! always meet in the same database.

use crate::store::Database;
use anyhow::{Context, Result};
use census_shared::duration::parse_duration;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Default config file.
pub const DEFAULT_CONFIG: &str = "/etc/census/collector.toml";
/// Default data directory.
pub const DEFAULT_DATA_DIR: &str = "/var/lib/census-collector";

/// The settings, as the file spells them.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Address and port to listen on (`0.0.0.0:8443`).
    pub listen: Option<String>,
    /// Where the database, TLS key and certificate live.
    pub data_dir: Option<PathBuf>,
    /// The database: `postgres://USER:PASSWORD@HOST:PORT/DATABASE`, or
    /// `sqlite:PATH`; default `census.db` in the data directory.
    pub database: Option<String>,
    /// Largest accepted request body, in bytes (also after decompression).
    pub max_body_bytes: Option<usize>,
    /// Reports an agent may send per minute before getting 429.
    pub reports_per_minute: Option<u32>,
    /// Enrolment attempts per minute from one address before 429.
    pub enrollments_per_minute: Option<u32>,
    /// Requests served at once before new ones get 429.
    pub max_concurrent_requests: Option<usize>,
    /// Time a client has to send its request headers.
    pub header_timeout: Option<String>,
    /// Time a whole request may take.
    pub request_timeout: Option<String>,
    /// How often the collector inventories its own host (`24h`; `0` = never).
    pub self_inventory_interval: Option<String>,
    /// How often `serve` checks for new reports and scans and recomputes
    /// the assets when some arrived (`30s`).
    pub assets_interval: Option<String>,
    /// An asset not seen for this long is `missing` (a `not_seen` event).
    pub assets_not_seen_after: Option<String>,
    /// SNMPv2c communities scans try, in order (keep this file 0600).
    pub snmp_communities: Option<Vec<String>>,
    /// SNMPv3 users, tried after the communities (`[[snmp_v3]]` tables).
    pub snmp_v3: Option<Vec<crate::snmp::V3User>>,
    /// Scheduled scans (`[[scan]]` tables): the only scanning `serve` does.
    pub scan: Option<Vec<crate::scan::schedule::ScanJobSpec>>,
    /// Remote sites scanned by an agent there (`[[site]]` tables).
    pub site: Option<Vec<crate::site_scan::SiteSpec>>,
    /// Directory of the agent binaries `GET /downloads/…` hands out
    /// (`census-agent-linux-x86_64`); default: beside the collector's
    /// executable, then `/usr/lib/census-collector/downloads`.
    pub downloads_dir: Option<PathBuf>,
}

/// Resolved settings.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database: Database,
    pub max_body_bytes: usize,
    pub reports_per_minute: u32,
    pub enrollments_per_minute: u32,
    pub max_concurrent_requests: usize,
    pub header_timeout: Duration,
    pub request_timeout: Duration,
    pub self_inventory_interval: Option<Duration>,
    pub assets_interval: Duration,
    pub assets_not_seen_after: Duration,
    pub snmp_communities: Vec<String>,
    pub snmp_v3: Vec<crate::snmp::V3User>,
    pub scans: Vec<crate::scan::schedule::ScanJob>,
    /// Remote sites and the agents that scan them.
    pub sites: Vec<crate::site_scan::Site>,
    pub downloads_dir: Option<PathBuf>,
}

/// What the command line (and environment, through clap) said.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub listen: Option<String>,
    pub database: Option<String>,
}

impl Config {
    /// Read the config file (the default one only if it exists) and apply overrides.
    pub fn load(o: &Overrides) -> Result<Config> {
        let file = match &o.config {
            Some(path) => read_file(path)?,
            None if Path::new(DEFAULT_CONFIG).exists() => read_file(Path::new(DEFAULT_CONFIG))?,
            None => FileConfig::default(),
        };
        let dur = |v: &Option<String>, key: &str, default: &str| -> Result<Duration> {
            let s = v.clone().unwrap_or_else(|| default.to_string());
            parse_duration(&s).with_context(|| format!("config key {key}"))
        };
        let listen = o
            .listen
            .clone()
            .or(file.listen.clone())
            .unwrap_or_else(|| "0.0.0.0:8443".into());
        let listen: SocketAddr = listen.parse().with_context(|| {
            format!("listen address {listen:?}: expected IP:PORT, e.g. 0.0.0.0:8443")
        })?;
        let self_inv = dur(
            &file.self_inventory_interval,
            "self_inventory_interval",
            "24h",
        )?;
        let snmp_communities = file
            .snmp_communities
            .clone()
            .unwrap_or_else(|| vec!["public".into()]);
        let snmp_v3 = file.snmp_v3.clone().unwrap_or_default();
        let sites = crate::site_scan::check(
            file.site.as_deref().unwrap_or_default(),
            &snmp_communities,
            &snmp_v3,
        )
        .map_err(anyhow::Error::msg)?;
        let data_dir = o
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        let database = match o.database.as_deref().or(file.database.as_deref()) {
            Some(url) => Database::parse(url).context(
                "the database (--database, CENSUS_DATABASE or `database` in the config)",
            )?,
            None => Database::in_data_dir(&data_dir),
        };
        Ok(Config {
            listen,
            data_dir,
            database,
            max_body_bytes: file.max_body_bytes.unwrap_or(8 * 1024 * 1024),
            reports_per_minute: file.reports_per_minute.unwrap_or(60),
            enrollments_per_minute: file.enrollments_per_minute.unwrap_or(20),
            max_concurrent_requests: file.max_concurrent_requests.unwrap_or(512),
            header_timeout: dur(&file.header_timeout, "header_timeout", "10s")?,
            request_timeout: dur(&file.request_timeout, "request_timeout", "60s")?,
            self_inventory_interval: (!self_inv.is_zero()).then_some(self_inv),
            assets_interval: dur(&file.assets_interval, "assets_interval", "30s")?
                .max(Duration::from_millis(100)),
            assets_not_seen_after: dur(&file.assets_not_seen_after, "assets_not_seen_after", "7d")?,
            snmp_communities,
            snmp_v3,
            sites,
            scans: file
                .scan
                .iter()
                .flatten()
                .enumerate()
                .map(|(i, spec)| crate::scan::schedule::ScanJob::from_spec(spec, i + 1))
                .collect::<Result<_, String>>()
                .map_err(anyhow::Error::msg)?,
            downloads_dir: file.downloads_dir.clone(),
        })
    }

    /// Create the data directory (mode 0700) if needed.
    pub fn ensure_data_dir(&self) -> Result<()> {
        std::fs::create_dir_all(&self.data_dir).with_context(|| {
            format!(
                "cannot create the data directory {}: run as root, or pass --data-dir DIR (or CENSUS_DATA_DIR)",
                self.data_dir.display()
            )
        })?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ =
                std::fs::set_permissions(&self.data_dir, std::fs::Permissions::from_mode(0o700));
        }
        Ok(())
    }
}

fn read_file(path: &Path) -> Result<FileConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the config file {}", path.display()))?;
    let file: FileConfig = toml::from_str(&text)
        .with_context(|| format!("{} is not a valid collector configuration", path.display()))?;
    let has_secrets = file.snmp_v3.as_ref().is_some_and(|v| !v.is_empty())
        || file.site.as_ref().is_some_and(|s| {
            s.iter().any(|s| {
                s.snmp_v3.as_ref().is_some_and(|v| !v.is_empty())
                    || s.snmp_communities
                        .as_ref()
                        .is_some_and(|c| c.iter().any(|c| c != "public"))
            })
        })
        || file
            .snmp_communities
            .as_ref()
            .is_some_and(|c| c.iter().any(|c| c != "public"));
    #[cfg(unix)]
    if has_secrets {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(
                "{} holds SNMP credentials but other users can read it: run chmod 600 {}",
                path.display(),
                path.display()
            );
        }
    }
    let _ = has_secrets;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_then_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "listen = \"127.0.0.1:9000\"\ndata_dir = \"/tmp/x\"\nreports_per_minute = 5\nself_inventory_interval = \"0\"\n").unwrap();
        let c = Config::load(&Overrides {
            config: Some(path.clone()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(c.listen.port(), 9000);
        assert_eq!(c.reports_per_minute, 5);
        assert_eq!(c.self_inventory_interval, None);
        assert_eq!(c.database, Database::Sqlite("/tmp/x/census.db".into()));
        let c = Config::load(&Overrides {
            config: Some(path.clone()),
            data_dir: Some("/y".into()),
            listen: Some("127.0.0.1:1".into()),
            database: None,
        })
        .unwrap();
        assert_eq!(c.data_dir, PathBuf::from("/y"));
        assert_eq!(c.database, Database::Sqlite("/y/census.db".into()));
        assert_eq!(c.listen.port(), 1);
        std::fs::write(
            &path,
            "database = \"postgres://census:pw@db:5432/census\"\n",
        )
        .unwrap();
        let c = Config::load(&Overrides {
            config: Some(path.clone()),
            ..Default::default()
        })
        .unwrap();
        assert!(c.database.is_postgres());
        let c = Config::load(&Overrides {
            config: Some(path.clone()),
            database: Some("sqlite:/z.db".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            c.database,
            Database::Sqlite("/z.db".into()),
            "the flag wins"
        );
        std::fs::write(&path, "database = \"mysql://x\"\n").unwrap();
        let e = format!(
            "{:#}",
            Config::load(&Overrides {
                config: Some(path.clone()),
                ..Default::default()
            })
            .unwrap_err()
        );
        assert!(
            e.contains("CENSUS_DATABASE") && e.contains("postgres://"),
            "{e}"
        );
        std::fs::write(&path, "lissen = 1\n").unwrap();
        let e = format!(
            "{:#}",
            Config::load(&Overrides {
                config: Some(path),
                ..Default::default()
            })
            .unwrap_err()
        );
        assert!(e.contains("lissen"), "{e}");
    }

    #[test]
    fn snmp_v3_users_parse_and_typos_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            "snmp_communities = [\"s3cret\"]\n[[snmp_v3]]\nuser = \"ops\"\nauth_proto = \"sha256\"\nauth_pass = \"a\"\n",
        )
        .unwrap();
        let c = Config::load(&Overrides {
            config: Some(path.clone()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(c.snmp_v3.len(), 1);
        assert_eq!(c.snmp_v3[0].user, "ops");
        assert_eq!(c.snmp_communities, ["s3cret"]);
        std::fs::write(
            &path,
            "[[snmp_v3]]\nuser = \"ops\"\nauth_protocol = \"sha\"\n",
        )
        .unwrap();
        let e = format!(
            "{:#}",
            Config::load(&Overrides {
                config: Some(path),
                ..Default::default()
            })
            .unwrap_err()
        );
        assert!(e.contains("auth_protocol"), "{e}");
    }
}
