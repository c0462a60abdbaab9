//! `census-collector snmp identify`: the shell over the `snmp` library —
//! credentials from flags or the config, the remembered credential first,
//! one device identified and printed as a short report or JSON.
//! `--recording FILE` identifies an snmpsim recording instead of a live agent.

use crate::config::Config;
use crate::snmp::credentials::{Credential, V3User, credential_list, remembered_first};
use crate::snmp::recording::Recording;
use crate::snmp::{Depth, Patience, identify, identify_host};
use anyhow::{Context, Result, anyhow, bail};
use census_shared::device::SnmpDevice;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// `snmp` subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum SnmpCmd {
    /// Identify one device: type, vendor, model, serial, firmware, MACs and details.
    Identify(IdentifyArgs),
}

#[derive(clap::Args, Debug)]
pub struct IdentifyArgs {
    /// The device: address or host name, with an optional port (printer:161, [::1]:1161).
    #[arg(required_unless_present = "recording")]
    pub target: Option<String>,
    /// SNMPv2c community (repeat for more; tried in order) [default: the config's].
    #[arg(long = "community")]
    pub communities: Vec<String>,
    /// Speak SNMPv1 with the communities (old printers and UPS cards).
    #[arg(long, requires = "communities")]
    pub v1: bool,
    /// SNMPv3 user name.
    #[arg(long)]
    pub v3_user: Option<String>,
    /// SNMPv3 auth protocol: md5, sha, sha224, sha256, sha384, sha512.
    #[arg(long, requires = "v3_user")]
    pub auth_proto: Option<String>,
    /// SNMPv3 auth password.
    #[arg(long, requires = "auth_proto")]
    pub auth_pass: Option<String>,
    /// SNMPv3 privacy protocol: des, aes, aes192, aes256, aes192c, aes256c.
    #[arg(long, requires = "auth_proto")]
    pub priv_proto: Option<String>,
    /// SNMPv3 privacy password.
    #[arg(long, requires = "priv_proto")]
    pub priv_pass: Option<String>,
    /// SNMPv3 context name.
    #[arg(long, requires = "v3_user")]
    pub context: Option<String>,
    /// Wait for one answer, in milliseconds.
    #[arg(long, default_value_t = 1500)]
    pub timeout: u64,
    /// Extra tries after a timeout.
    #[arg(long, default_value_t = 1)]
    pub retries: u32,
    /// Identity only: skip supplies, ports, MAC table, storage.
    #[arg(long)]
    pub brief: bool,
    /// Identify an snmpsim recording (.snmprec) instead of a live device.
    #[arg(long, conflicts_with = "target")]
    pub recording: Option<std::path::PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Resolve `HOST[:PORT]` (default port 161). Only the named host is looked up.
pub async fn resolve(target: &str) -> Result<SocketAddr> {
    if let Ok(a) = target.parse::<SocketAddr>() {
        return Ok(a);
    }
    if let Ok(ip) = target.trim_matches(['[', ']']).parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, 161));
    }
    let (host, port) = match target.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => (
            h,
            p.parse::<u16>()
                .map_err(|_| anyhow!("{target:?}: the port {p:?} is not a number"))?,
        ),
        _ => (target, 161),
    };
    tokio::net::lookup_host((host, port))
        .await
        .with_context(|| format!("cannot resolve {host:?}: check the name, or give an address"))?
        .next()
        .ok_or_else(|| anyhow!("{host:?} has no address"))
}

fn credentials(cfg: &Config, a: &IdentifyArgs) -> Result<(Vec<Credential>, bool)> {
    let from_flags = !a.communities.is_empty() || a.v3_user.is_some();
    let v3: Vec<V3User> = match &a.v3_user {
        Some(user) => vec![V3User {
            user: user.clone(),
            auth_proto: a.auth_proto.clone(),
            auth_pass: a.auth_pass.clone(),
            priv_proto: a.priv_proto.clone(),
            priv_pass: a.priv_pass.clone(),
            context: a.context.clone(),
        }],
        None if from_flags => vec![],
        None => cfg.snmp_v3.clone(),
    };
    let communities = if from_flags {
        a.communities.clone()
    } else {
        cfg.snmp_communities.clone()
    };
    let mut list = if a.v1 {
        let mut l = Vec::new();
        for (i, c) in communities.iter().enumerate() {
            l.push(Credential::v1(c, i + 1)?);
        }
        l.extend(credential_list(&[], &v3)?);
        l
    } else {
        credential_list(&communities, &v3)?
    };
    list.dedup_by(|a, b| a.id() == b.id());
    Ok((list, from_flags))
}

/// Run `snmp identify`.
pub async fn run(cfg: Config, cmd: SnmpCmd) -> Result<()> {
    let SnmpCmd::Identify(a) = cmd;
    let depth = if a.brief {
        Depth::Identity
    } else {
        Depth::Full
    };
    let device = if let Some(path) = &a.recording {
        let text =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let rec = Recording::parse(&path.display().to_string(), &String::from_utf8_lossy(&text))?;
        let mut d = identify(&rec, depth).await?;
        d.snmp_version = "recording".into();
        d.credential = "none".into();
        d
    } else {
        let target = resolve(a.target.as_deref().unwrap_or_default()).await?;
        let (list, from_flags) = credentials(&cfg, &a)?;
        if list.is_empty() {
            bail!(
                "no SNMP credentials: pass --community or --v3-user, or set snmp_communities in the config"
            );
        }
        // Remember per device which configured credential worked (best effort:
        // an unwritable data directory only costs the shortcut).
        let store = if from_flags {
            None
        } else {
            open_store(&cfg).await
        };
        let key = target.to_string();
        let remembered = match &store {
            Some(s) => s.snmp_credential(key.clone()).await.ok().flatten(),
            None => None,
        };
        let ordered = remembered_first(&list, remembered.as_deref());
        let patience = Patience {
            timeout: Duration::from_millis(a.timeout.max(1)),
            retries: a.retries,
            walk_budget: Duration::from_secs(60),
        };
        let (d, id) = identify_host(target, &ordered, patience, depth).await?;
        if let Some(s) = &store
            && let Err(e) = s.remember_snmp_credential(key, id).await
        {
            tracing::debug!("cannot remember the SNMP credential: {e}");
        }
        d
    };
    if a.json {
        println!("{}", serde_json::to_string_pretty(&device)?);
    } else {
        print!("{}", render(&device));
    }
    Ok(())
}

async fn open_store(cfg: &Config) -> Option<std::sync::Arc<dyn crate::store::Store>> {
    match crate::serve::open_store(cfg).await {
        Ok(s) => Some(s),
        Err(e) => {
            tracing::debug!("no database for remembering SNMP credentials: {e}");
            None
        }
    }
}

/// The human report.
pub fn render(d: &SnmpDevice) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let _ = writeln!(o, "{:<13}{}", "type", d.device_type.as_str());
    for (k, v) in [
        ("vendor", &d.vendor),
        ("model", &d.model),
        ("serial", &d.serial),
        ("firmware", &d.firmware),
        ("os", &d.os),
        ("sysName", &d.sys_name),
        ("sysDescr", &d.sys_descr),
        ("sysObjectID", &d.sys_object_id),
        ("location", &d.sys_location),
        ("contact", &d.sys_contact),
    ] {
        let _ = writeln!(o, "{k:<13}{}", opt(v));
    }
    let _ = writeln!(
        o,
        "{:<13}{}",
        "MACs",
        if d.mac_addresses.is_empty() {
            "-".into()
        } else {
            d.mac_addresses.join(", ")
        }
    );
    let _ = writeln!(o, "{:<13}{} ({})", "SNMP", d.snmp_version, d.credential);
    if let Some(p) = &d.printer {
        let yn = |b: Option<bool>| b.map(|b| if b { "yes" } else { "no" }).unwrap_or("?");
        let pages = p
            .page_count
            .map(|n| n.to_string())
            .unwrap_or_else(|| "?".into());
        let _ = writeln!(
            o,
            "{:<13}pages {pages}, colour {}, duplex {}",
            "printer",
            yn(p.colour),
            yn(p.duplex)
        );
        for s in &p.supplies {
            let level = s
                .level_percent
                .map(|l| format!("{l}%"))
                .or_else(|| s.level_note.clone())
                .unwrap_or_default();
            let _ = writeln!(o, "  {:<40} {:<12} {level}", s.description, s.kind);
        }
    }
    if let Some(sw) = &d.switch {
        let _ = writeln!(
            o,
            "{:<13}{} ports, {} MACs learned, {} neighbours, {} VLANs",
            "switch",
            sw.ports.len(),
            sw.fdb.len(),
            sw.neighbours.len(),
            sw.vlans.len()
        );
        for n in &sw.neighbours {
            let _ = writeln!(
                o,
                "  {} {} -> {} {}",
                n.protocol,
                opt(&n.local_port),
                opt(&n.remote_name),
                opt(&n.remote_port)
            );
        }
    }
    if let Some(u) = &d.ups {
        let _ = writeln!(
            o,
            "{:<13}battery {}, charge {}%, runtime {} min, output {}",
            "ups",
            opt(&u.battery_status),
            u.charge_percent
                .map(|c| c.to_string())
                .unwrap_or_else(|| "?".into()),
            u.runtime_minutes
                .map(|c| c.to_string())
                .unwrap_or_else(|| "?".into()),
            opt(&u.output_source)
        );
    }
    if let Some(h) = &d.host {
        for s in &h.storage {
            let gb = |b: u64| b as f64 / 1e9;
            let _ = writeln!(
                o,
                "{:<13}{} {:.1} GB, {:.1} GB used",
                "storage",
                s.description,
                gb(s.size_bytes),
                gb(s.used_bytes)
            );
        }
    }
    for e in &d.evidence {
        let _ = writeln!(o, "{:<13}{e}", "why");
    }
    o
}
