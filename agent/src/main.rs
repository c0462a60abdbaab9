//! `census-agent`: the command-line shell over the agent library.
//! `collect` prints one report; later subcommands (enrol, run, status)
//! deliver it to the collector.

use anyhow::{Context, Result, bail};
use census_agent::probe::Probe;
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "census-agent",
    version,
    about = "Inventories this machine for the Census IT recovery plan"
)]
struct Cli {
    /// Log level (error, warn, info, debug, trace); logs go to stderr.
    #[arg(long, global = true, env = "CENSUS_LOG", default_value = "warn")]
    log: String,
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
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(&cli.log).unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match cli.command {
        Command::Collect { root, pretty } => {
            if !root.is_dir() {
                bail!("--root {}: not a directory", root.display());
            }
            let report = census_agent::collect(&Probe::at(&root), None);
            for e in &report.collection_errors {
                tracing::warn!(facet = %e.facet, "{}", e.message);
            }
            let mut out = std::io::stdout().lock();
            if pretty {
                serde_json::to_writer_pretty(&mut out, &report)?;
            } else {
                serde_json::to_writer(&mut out, &report)?;
            }
            writeln!(out).context("writing the report to stdout")?;
        }
    }
    Ok(())
}
