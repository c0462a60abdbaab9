//! `census-agent`: the command-line shell over the agent library.
//! `collect` prints one report; `enroll`, `run` and `status` deliver reports
//! to the collector and say how that is going; `install` and `uninstall`
//! set the agent up as a service and take it away again.

use anyhow::{Context, Result, bail};
use census_agent::config::{AgentConfig, default_config_path, default_state_dir};
use census_agent::enroll::EnrollParams;
use census_agent::install::{self, InstallOptions, UninstallOptions};
use census_agent::probe::Probe;
use census_agent::run::{self, State};
use census_agent::spool::Spool;
use census_agent::transport::Transport;
use census_shared::pin::parse_fingerprint;
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Parser)]
#[command(
    name = "census-agent",
    version,
    about = "Inventories this machine for the Census IT recovery plan"
)]
struct Cli {
    /// Log level (error, warn, info, debug, trace); logs go to stderr.
    #[arg(long, global = true, env = "CENSUS_LOG", default_value = "info")]
    log: String,
    /// Configuration file [default: /etc/census/agent.toml].
    #[arg(long, global = true, env = "CENSUS_AGENT_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print this machine's inventory as one JSON report on stdout. Reads
    /// local state only: no network traffic.
    Collect {
        /// Read the machine from this directory tree instead of `/` (a
        /// recorded machine or a mounted disk; commands and system calls
        /// then come from DIR/.census-fixture/system.json).
        #[arg(long, default_value = "/")]
        root: PathBuf,
        /// Indent the JSON for people.
        #[arg(long)]
        pretty: bool,
    },
    /// Enrol with a collector and write the configuration (mode 0600).
    Enroll {
        /// The collector's URL, e.g. https://192.0.2.10:8443.
        #[arg(long)]
        collector: String,
        /// An enrolment token (`census-collector token create`).
        #[arg(long, env = "CENSUS_TOKEN")]
        token: String,
        /// SHA-256 of the collector's public key, as the collector prints it.
        #[arg(long)]
        fingerprint: String,
        /// Time between reports.
        #[arg(long, default_value = "24h")]
        interval: String,
        /// Directory for state and the spool [default: /var/lib/census-agent].
        #[arg(long)]
        state_dir: Option<PathBuf>,
        /// Inventory this directory tree instead of / (tests, packaging).
        #[arg(long, default_value = "/")]
        root: PathBuf,
    },
    /// Enrol and install the agent as a service that starts at boot: the
    /// configuration in /etc/census/agent.toml (0600), state and spool in
    /// /var/lib/census-agent, the binary in /usr/local/bin, a hardened
    /// systemd unit running as the user census-agent. On Windows: the
    /// configuration in %ProgramData%\Census (SYSTEM and Administrators
    /// only), the binary in %ProgramFiles%\Census, the census-agent
    /// service. Running it again keeps an existing enrolment with the
    /// same collector.
    Install {
        /// The collector's URL, e.g. https://192.0.2.10:8443.
        #[arg(long)]
        collector: String,
        /// An enrolment token (`census-collector token create`).
        #[arg(long, env = "CENSUS_TOKEN", hide_env_values = true)]
        token: String,
        /// SHA-256 of the collector's public key, as the collector prints it.
        #[arg(long)]
        fingerprint: String,
        /// Time between reports [default: 24h, or what an existing
        /// enrolment says].
        #[arg(long)]
        interval: Option<String>,
        /// Install into this directory tree instead of / (packaging,
        /// images, tests): nothing on the running machine changes.
        #[arg(long, default_value = "/")]
        root: PathBuf,
        /// Print every step without doing any (no enrolment either).
        #[arg(long)]
        dry_run: bool,
    },
    /// Stop and remove the service and the binary install copied; the
    /// configuration and state stay unless --purge.
    Uninstall {
        /// Also remove the configuration (id and secret), state, spool and
        /// the census-agent user.
        #[arg(long)]
        purge: bool,
        /// Uninstall from this directory tree instead of /.
        #[arg(long, default_value = "/")]
        root: PathBuf,
        /// Print every step without doing any.
        #[arg(long)]
        dry_run: bool,
    },
    /// Collect and report now and then at every interval, until stopped.
    Run {
        /// One cycle, then exit: non-zero if the report was neither
        /// delivered nor spooled.
        #[arg(long)]
        once: bool,
    },
    /// Show enrolment, collector, last success and the spool.
    Status,
    /// The Windows service entry point: started by the service control
    /// manager (as `install` registers it), runs `run` until stopped.
    #[command(hide = true)]
    Service,
    /// Scan this agent's site now, as the collector assigned it (a
    /// `[[site]]` naming this agent), and upload what answered.
    #[cfg(all(target_os = "linux", feature = "site-scanner"))]
    SiteScan,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let config_path = cli.config.clone().unwrap_or_else(default_config_path);
    let logs = tracing_subscriber::fmt().with_env_filter(
        // The SNMP library logs every unanswered request as an error; a
        // site scan expects most hosts not to answer SNMP.
        tracing_subscriber::EnvFilter::try_new(if cli.log.contains("async_snmp") {
            cli.log.clone()
        } else {
            format!("{},async_snmp=off", cli.log)
        })
        .unwrap_or_else(|_| "info".into()),
    );
    #[cfg(windows)]
    if matches!(cli.command, Command::Service) {
        // A service has no console: its log is a file beside the config.
        let file = census_agent::service::log_file(&config_path)
            .with_context(|| format!("opening the log beside {}", config_path.display()))?;
        logs.with_ansi(false)
            .with_writer(std::sync::Mutex::new(file))
            .init();
        return census_agent::service::run(config_path);
    }
    logs.with_writer(std::io::stderr).init();
    match cli.command {
        Command::Collect { root, pretty } => collect(&root, pretty),
        Command::Enroll {
            collector,
            token,
            fingerprint,
            interval,
            state_dir,
            root,
        } => {
            let cfg = census_agent::enroll::enroll(&EnrollParams {
                collector,
                token,
                fingerprint,
                interval,
                state_dir: state_dir.unwrap_or_else(default_state_dir),
                root,
            })?;
            // The secret is in it, and %ProgramData% lets Users read:
            // SYSTEM and Administrators only, before and after writing.
            #[cfg(windows)]
            let protect = || {
                census_agent::install::protect_private(&config_path).with_context(|| {
                    format!(
                        "limiting {} to SYSTEM and Administrators",
                        config_path.display()
                    )
                })
            };
            #[cfg(windows)]
            protect()?;
            cfg.save(&config_path)?;
            #[cfg(windows)]
            protect()?;
            eprintln!(
                "enrolled as {} at {}; configuration written to {}",
                cfg.agent_id,
                cfg.collector,
                config_path.display()
            );
            println!("{}", cfg.agent_id);
            Ok(())
        }
        Command::Install {
            collector,
            token,
            fingerprint,
            interval,
            root,
            dry_run,
        } => {
            if cli.config.is_some() {
                bail!(
                    "install writes /etc/census/agent.toml under --root; --config does not apply"
                );
            }
            let opts = InstallOptions {
                collector,
                token,
                fingerprint,
                interval,
                root,
                dry_run,
            };
            let done = install::install(&opts, &mut std::io::stdout().lock())?;
            if dry_run {
                println!("dry run: nothing was changed");
            } else {
                println!("{}", done.next);
            }
            Ok(())
        }
        Command::Uninstall {
            purge,
            root,
            dry_run,
        } => {
            let opts = UninstallOptions {
                purge,
                root,
                dry_run,
            };
            let next = install::uninstall(&opts, &mut std::io::stdout().lock())?;
            if dry_run {
                println!("dry run: nothing was changed");
            } else if !next.is_empty() {
                println!("{next}");
            }
            Ok(())
        }
        Command::Run { once } => {
            let cfg = AgentConfig::load(&config_path)?;
            let pin = parse_fingerprint(&cfg.fingerprint).expect("checked by load");
            let transport = Transport::new(&cfg.collector, pin)?;
            let rt = runtime()?;
            if once {
                let o = rt.block_on(run::cycle(&cfg, &transport))?;
                eprintln!(
                    "delivered {}, refused {}, pending in spool {}",
                    o.delivered, o.rejected, o.pending
                );
                if let Some(e) = o.error {
                    eprintln!("pending because: {e}");
                }
            } else {
                rt.block_on(run::run_forever(&cfg, &transport));
            }
            Ok(())
        }
        Command::Status => status(&config_path),
        Command::Service => bail!(
            "`service` is the Windows service entry point; elsewhere run `census-agent run` \
             under the init system (`install` sets that up)"
        ),
        #[cfg(all(target_os = "linux", feature = "site-scanner"))]
        Command::SiteScan => site_scan(&config_path),
    }
}

/// `census-agent site-scan`.
#[cfg(all(target_os = "linux", feature = "site-scanner"))]
fn site_scan(config_path: &Path) -> Result<()> {
    use census_agent::site_scan;
    let cfg = AgentConfig::load(config_path)?;
    let pin = parse_fingerprint(&cfg.fingerprint).expect("checked by load");
    let transport = Transport::new(&cfg.collector, pin)?;
    let rt = runtime()?;
    let Some(a) = rt.block_on(site_scan::assignment(&cfg, &transport))? else {
        println!(
            "this agent ({}) scans no site: the collector at {} has no [[site]] naming it",
            cfg.agent_id, cfg.collector
        );
        return Ok(());
    };
    eprintln!(
        "scanning site {} ({}) for {}",
        a.site,
        a.targets.join(" "),
        cfg.collector
    );
    let (scan, stored) = rt.block_on(site_scan::scan_and_upload(&cfg, &transport, &a))?;
    for note in &scan.notes {
        eprintln!("note: {note}");
    }
    println!(
        "site {}: {} host(s) answered, {} with a MAC address; stored at the collector as scan #{}",
        a.site,
        stored.hosts,
        scan.observations.iter().filter(|o| o.mac.is_some()).count(),
        stored.scan_id
    );
    Ok(())
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

fn collect(root: &Path, pretty: bool) -> Result<()> {
    if !root.is_dir() {
        bail!("--root {}: not a directory", root.display());
    }
    let report = census_agent::collect(&Probe::at(root), None);
    for e in &report.collection_errors {
        tracing::warn!(facet = %e.facet, "{}", e.message);
    }
    let mut out = std::io::stdout().lock();
    if pretty {
        serde_json::to_writer_pretty(&mut out, &report)?;
    } else {
        serde_json::to_writer(&mut out, &report)?;
    }
    writeln!(out).context("writing the report to stdout")
}

fn status(config_path: &Path) -> Result<()> {
    let cfg = AgentConfig::load(config_path)?;
    let state = State::load(&cfg.state_file());
    let (n, bytes) =
        Spool::new(&cfg.spool_dir(), cfg.spool_max_reports, cfg.spool_max_bytes).stats();
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.to_rfc3339()).unwrap_or_else(|| "never".into())
    };
    println!("enrolled:      yes, agent id {}", cfg.agent_id);
    println!("collector:     {}", cfg.collector);
    println!("fingerprint:   {}", cfg.fingerprint);
    println!("interval:      {}", cfg.interval);
    println!("last attempt:  {}", when(state.last_attempt));
    println!("last success:  {}", when(state.last_success));
    if let Some(e) = state.last_error {
        println!("last error:    {e}");
    }
    println!(
        "spool:         {n} report(s), {bytes} bytes in {}",
        cfg.spool_dir().display()
    );
    Ok(())
}
