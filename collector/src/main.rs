//! `census-collector`: the command-line shell of the collector.
//!
//! For now it can inventory its own host with the agent library
//! (`census-collector self-inventory`); the daemon, enrolment, ingest, scans
//! and the plan arrive as their issues land (see ARCHITECTURE.md).

use anyhow::Result;
use census_agent::probe::Probe;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "census-collector",
    version,
    about = "Census collector: the office's inventory for its IT recovery plan"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Inventory the collector's own host (in-process, with the agent's
    /// collection code) and print the report as JSON.
    SelfInventory {
        /// Indent the JSON.
        #[arg(long)]
        pretty: bool,
    },
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::SelfInventory { pretty } => {
            let report = census_agent::collect(&Probe::live(), None);
            let json = if pretty {
                serde_json::to_string_pretty(&report)?
            } else {
                serde_json::to_string(&report)?
            };
            println!("{json}");
        }
    }
    Ok(())
}
