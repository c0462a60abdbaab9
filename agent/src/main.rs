//! `census-agent`: the command-line shell over the agent library.
//! `collect` prints one report; `enroll`, `run` and `status` deliver reports
//! to the collector and say how that is going.

use anyhow::{Context, Result, bail};
use census_agent::config::{AgentConfig, default_config_path, default_state_dir};
use census_agent::probe::Probe;
use census_agent::run::{self, State};
use census_agent::spool::Spool;
use census_agent::transport::Transport;
use census_shared::api::EnrollRequest;
use census_shared::duration::parse_duration;
use census_shared::pin::{parse_fingerprint, to_hex};
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
    /// Collect and report now and then at every interval, until stopped.
    Run {
        /// One cycle, then exit: non-zero if the report was neither
        /// delivered nor spooled.
        #[arg(long)]
        once: bool,
    },
    /// Show enrolment, collector, last success and the spool.
    Status,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(&cli.log).unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let config_path = cli.config.clone().unwrap_or_else(default_config_path);
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
            let pin = parse_fingerprint(&fingerprint)
                .context("--fingerprint: expected the 64 hex digits of a SHA-256, as the collector prints it")?;
            parse_duration(&interval).context("--interval")?;
            let collector = collector.trim_end_matches('/').to_string();
            let transport = Transport::new(&collector, pin)?;
            let facts = census_agent::collect(&Probe::at(&root), None);
            let req = EnrollRequest {
                token,
                hostname: facts
                    .host
                    .hostname
                    .clone()
                    .unwrap_or_else(|| "unknown".into()),
                os: facts.os.pretty_name.clone(),
                agent_version: Some(census_agent::VERSION.into()),
            };
            let resp = runtime()?
                .block_on(transport.enroll(&req))
                .context("enrolment failed")?;
            let cfg = AgentConfig {
                collector,
                fingerprint: to_hex(&pin),
                agent_id: resp.agent_id.clone(),
                secret: resp.secret,
                interval,
                state_dir: state_dir.unwrap_or_else(default_state_dir),
                spool_max_reports: 100,
                spool_max_bytes: 64 * 1024 * 1024,
                root,
            };
            cfg.save(&config_path)?;
            eprintln!(
                "enrolled as {} at {}; configuration written to {}",
                resp.agent_id,
                cfg.collector,
                config_path.display()
            );
            println!("{}", resp.agent_id);
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
    }
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
