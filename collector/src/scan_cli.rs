//! `census-collector scan`: the shell over the scan library — target
//! expansion, a progress bar on a terminal (quiet when piped), Ctrl-C that
//! prints what was found so far, a table or JSON, and `--save`.

use crate::config::Config;
use crate::scan::engine::{ScanOptions, ScanProgress, scan};
use crate::scan::{ports, target};
use crate::snmp::credentials::credential_list;
use anyhow::{Context, Result};
use census_shared::observation::ScanObservation;
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// The `scan` subcommand's arguments.
#[derive(clap::Args, Debug)]
pub struct ScanArgs {
    /// What to scan: CIDR (192.168.1.0/24), range (10.0.0.10-10.0.0.50), address or host name.
    #[arg(required = true)]
    pub targets: Vec<String>,
    /// TCP ports for live hosts, e.g. 22,80,8000-8100 [default: the office list].
    #[arg(long, conflicts_with = "no_ports")]
    pub ports: Option<String>,
    /// Only find hosts: no port sweep and no SNMP, NetBIOS, mDNS or SIP question.
    #[arg(long)]
    pub no_ports: bool,
    /// Connection attempts per second.
    #[arg(long, default_value_t = 2000)]
    pub rate: u32,
    /// Longest wait for one answer, in milliseconds.
    #[arg(long, default_value_t = 1000)]
    pub timeout: u64,
    /// SNMPv2c community for the first SNMP question (repeat for more; tried
    /// in order) [default: the config's snmp_communities, else "public"].
    #[arg(long = "community")]
    pub communities: Vec<String>,
    /// Do not ask SNMP at all.
    #[arg(long)]
    pub no_snmp: bool,
    /// Do not ask NetBIOS, mDNS and SIP (UDP 137, 5353, 5060).
    #[arg(long)]
    pub no_udp: bool,
    /// Do not look names up by reverse DNS.
    #[arg(long)]
    pub no_dns: bool,
    /// Print JSON (one array of observations) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Store the observations in the collector database.
    #[arg(long)]
    pub save: bool,
    /// Allow more than a /16.
    #[arg(long)]
    pub force: bool,
}

/// Run a scan from the command line.
pub async fn run(cfg: Config, args: ScanArgs) -> Result<()> {
    let targets = target::expand(&args.targets, args.force)?;
    let ports = match (&args.ports, args.no_ports) {
        (_, true) => Vec::new(),
        (Some(list), _) => ports::parse(list)
            .map_err(anyhow::Error::msg)
            .context("--ports")?,
        (None, _) => ports::DEFAULT_TCP.to_vec(),
    };
    let snmp = if args.no_snmp || args.no_ports {
        Vec::new()
    } else if args.communities.is_empty() {
        credential_list(&cfg.snmp_communities, &cfg.snmp_v3)
            .context("SNMP credentials in the config")?
    } else {
        credential_list(&args.communities, &[]).context("--community")?
    };
    // With --save, the database also remembers which credential each device
    // answered to, and the next scan asks with that one first.
    let store = match args.save {
        true => Some(crate::serve::open_store(&cfg).await?),
        false => None,
    };
    let snmp_remembered = match &store {
        Some(s) => s.all_snmp_credentials().await?.into_iter().collect(),
        None => Default::default(),
    };
    let opts = ScanOptions {
        ports,
        rate: args.rate.max(1),
        timeout: Duration::from_millis(args.timeout.max(10)),
        concurrency: fd_budget(),
        icmp: true,
        arp: true,
        dns: !args.no_dns,
        // --no-ports is host discovery only: no service questions either.
        snmp: snmp.clone(),
        snmp_remembered,
        udp: !(args.no_udp || args.no_ports),
    };
    eprintln!(
        "scanning {} address(es): ARP on attached subnets, ICMP echo, TCP connects",
        targets.len()
    );
    let progress = Arc::new(ScanProgress::default());
    let started = chrono::Utc::now();
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = indicatif::ProgressBar::new(targets.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {pos}/{len} probed, {msg} found, ETA {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let work = scan(targets, &opts, progress.clone());
    tokio::pin!(work);
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    let (observations, interrupted) = loop {
        tokio::select! {
            r = &mut work => break (r, false),
            _ = tokio::signal::ctrl_c() => {
                let partial = progress.results.lock().unwrap_or_else(|p| p.into_inner()).clone();
                break (partial, true);
            }
            _ = tick.tick() => {
                if let Some(b) = &bar {
                    b.set_position(progress.probed.load(Ordering::Relaxed) as u64);
                    b.set_message(progress.found.load(Ordering::Relaxed).to_string());
                }
            }
        }
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    for note in progress
        .notes
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
    {
        eprintln!("note: {note}");
    }
    if interrupted {
        eprintln!(
            "interrupted: showing the {} host(s) examined so far",
            observations.len()
        );
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&observations)?);
    } else {
        print_table(&observations);
    }
    eprintln!(
        "{} host(s) found in {:.1} s",
        observations.len(),
        (chrono::Utc::now() - started).as_seconds_f64()
    );
    if let Some(store) = store {
        let targets = args.targets.join(" ");
        let id = crate::scan::schedule::save(store.as_ref(), started, targets, observations, &snmp)
            .await?;
        eprintln!("saved as scan {id} in the {}", cfg.database);
        let s = crate::assets::recompute(store.as_ref())
            .await
            .context("recomputing the assets")?;
        eprintln!(
            "assets recomputed: {} assets from {} observations, {} events ({} new unknown devices)",
            s.assets, s.observations, s.events, s.new_unknown_devices
        );
        store.close().await;
    }
    Ok(())
}

/// Connections in flight: half the open-file limit, at most 1024.
fn fd_budget() -> usize {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into `lim`.
    let cur = if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0 {
        lim.rlim_cur as usize
    } else {
        1024
    };
    (cur / 2).clamp(32, 1024)
}

fn print_table(obs: &[ScanObservation]) {
    for o in obs {
        let mac = o
            .mac
            .map(|m| match &o.mac_vendor {
                Some(v) => format!("{m} ({v})"),
                None if o.mac_local => format!("{m} (locally administered)"),
                None => m.to_string(),
            })
            .unwrap_or_else(|| "-".into());
        let how: Vec<String> = o
            .found_by
            .iter()
            .map(|f| format!("{f:?}").to_lowercase())
            .collect();
        let rtt = o
            .rtt_ms
            .map(|r| format!("{r:.1} ms"))
            .unwrap_or_else(|| "-".into());
        println!(
            "{:<16} {:<40} {:<14} found by {} · rtt {rtt}",
            o.ip,
            mac,
            format!("{:?}", o.guess.kind).to_lowercase(),
            how.join("+")
        );
        for n in &o.names {
            println!("{:<16} name: {} ({})", "", n.name, n.source);
        }
        if !o.open_tcp.is_empty() {
            let ports: Vec<String> = o
                .open_tcp
                .iter()
                .map(|p| match o.services.iter().find(|s| s.port == *p) {
                    Some(s) => {
                        let mut t = format!("{p}/{}", s.name);
                        for x in [&s.product, &s.detail].into_iter().flatten() {
                            t.push_str(&format!(" {x:?}"));
                        }
                        t
                    }
                    None => p.to_string(),
                })
                .collect();
            println!("{:<16} open: {}", "", ports.join(", "));
        }
        let udp: Vec<String> = o
            .services
            .iter()
            .filter(|s| s.protocol == "udp")
            .map(|s| {
                let mut t = format!("{}/{}", s.port, s.name);
                for x in [&s.product, &s.detail].into_iter().flatten() {
                    t.push_str(&format!(" {x:?}"));
                }
                t
            })
            .collect();
        for u in udp {
            println!("{:<16} udp: {u}", "");
        }
        if let Some(d) = &o.snmp {
            let what: Vec<&str> = [d.vendor.as_deref(), d.model.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            let mut line = format!("{} {}", d.device_type.as_str(), what.join(" "));
            if let Some(s) = &d.serial {
                line.push_str(&format!(", serial {s}"));
            }
            if let Some(f) = &d.firmware {
                line.push_str(&format!(", firmware {f}"));
            }
            println!("{:<16} snmp: {} ({})", "", line.trim(), d.credential);
        }
        if !o.guess.evidence.is_empty() {
            println!("{:<16} why: {}", "", o.guess.evidence.join("; "));
        }
    }
}
