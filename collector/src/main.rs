//! `census-collector`: the daemon and the admin CLI, a thin shell over the
//! collector library. Every subcommand finds the same database through
//! `--config` / `--data-dir` / `--database` (or `CENSUS_CONFIG` /
//! `CENSUS_DATA_DIR` / `CENSUS_DATABASE`).

use anyhow::{Result, bail};
use census_agent::probe::Probe;
use census_collector::admin_cli::when;
use census_collector::config::{Config, Overrides};
use census_collector::store::NewToken;
use census_collector::{admin_cli, secrets, serve};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "census-collector",
    version,
    about = "Census collector: the office's inventory for its IT recovery plan"
)]
struct Cli {
    /// Configuration file [default: /etc/census/collector.toml when it exists].
    #[arg(long, global = true, env = "CENSUS_CONFIG")]
    config: Option<PathBuf>,
    /// Data directory (database, TLS key) [default: /var/lib/census-collector].
    #[arg(long, global = true, env = "CENSUS_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Database: postgres://USER:PASSWORD@HOST:PORT/DATABASE, or sqlite:PATH
    /// [default: census.db in the data directory].
    #[arg(long, global = true, env = "CENSUS_DATABASE", value_name = "URL")]
    database: Option<String>,
    /// Log level (error, warn, info, debug, trace); logs go to stderr.
    #[arg(long, global = true, env = "CENSUS_LOG", default_value = "info")]
    log: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the collector: HTTPS API for agents, self-inventory.
    Serve {
        /// Address to listen on, e.g. 0.0.0.0:8443.
        #[arg(long, env = "CENSUS_LISTEN")]
        listen: Option<String>,
    },
    /// Enrolment tokens.
    #[command(subcommand)]
    Token(TokenCmd),
    /// Enrolled agents.
    #[command(subcommand)]
    Agents(AgentsCmd),
    /// Find devices on the network: only the targets named, at a bounded rate.
    Scan(census_collector::scan_cli::ScanArgs),
    /// Ask SNMP agents what they are.
    #[command(subcommand)]
    Snmp(census_collector::snmp_cli::SnmpCmd),
    /// Assets: one per real thing, merged from agents, scans and a person's corrections.
    #[command(subcommand)]
    Assets(census_collector::assets_cli::AssetsCmd),
    /// What changed: new assets, new unknown devices, changed fields, assets not seen.
    Changes {
        /// How far back, e.g. 24h, 7d.
        #[arg(long, default_value = "7d")]
        since: String,
        #[arg(long)]
        json: bool,
    },
    /// The recovery plan's inventory: assets and site facts, in md, html, csv or json.
    Plan(census_collector::plan_cli::PlanArgs),
    /// Write an age-encrypted offline copy: the plan in every format, the database, the TLS identity.
    Export(census_collector::export_cli::ExportArgs),
    /// Restore a collector's data directory from an `export` archive.
    Import(census_collector::export_cli::ImportArgs),
    /// The web interface's administrator and the admin API tokens.
    #[command(subcommand)]
    Admin(census_collector::admin_cli::AdminCmd),
    /// Move the collector's data to another database (`db migrate-to postgres://…`).
    #[command(subcommand)]
    Db(census_collector::db_cli::DbCmd),
    /// Inventory the collector's own host (in-process) and print it as JSON.
    SelfInventory {
        /// Indent the JSON.
        #[arg(long)]
        pretty: bool,
    },
}

#[derive(Subcommand)]
enum TokenCmd {
    /// Create a token; prints only the token on stdout (details on stderr).
    Create {
        /// How many agents may enrol with it [default: unlimited].
        #[arg(long)]
        uses: Option<i64>,
        /// How long it stays valid, e.g. 24h or 7d [default: never expires].
        #[arg(long)]
        expires: Option<String>,
        /// A note for `token list`.
        #[arg(long)]
        label: Option<String>,
    },
    /// List tokens (never their values: only hashes are stored).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token by its id.
    Revoke { id: i64 },
}

#[derive(Subcommand)]
enum AgentsCmd {
    /// List enrolled agents.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Revoke an agent: its reports are refused from now on.
    Revoke { id: String },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        // async-snmp reports every unanswered sweep probe as an error: silence
        // it unless asked for by name.
        .with_env_filter({
            let filter = if cli.log.contains("async_snmp") {
                cli.log.clone()
            } else {
                format!("{},async_snmp=off", cli.log)
            };
            tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| "info".into())
        })
        .with_writer(std::io::stderr)
        .init();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let listen = match &cli.command {
        Command::Serve { listen } => listen.clone(),
        _ => None,
    };
    let overrides = Overrides {
        config: cli.config.clone(),
        data_dir: cli.data_dir.clone(),
        listen,
        database: cli.database.clone(),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match cli.command {
        Command::SelfInventory { pretty } => {
            let report = census_agent::collect(&Probe::live(), None);
            let json = if pretty {
                serde_json::to_string_pretty(&report)?
            } else {
                serde_json::to_string(&report)?
            };
            println!("{json}");
            Ok(())
        }
        Command::Serve { .. } => {
            rt.block_on(serve::serve(Config::load(&overrides)?, cli.config.clone()))
        }
        Command::Token(cmd) => rt.block_on(token(Config::load(&overrides)?, cmd)),
        Command::Agents(cmd) => rt.block_on(agents(Config::load(&overrides)?, cmd)),
        Command::Scan(args) => rt.block_on(census_collector::scan_cli::run(
            Config::load(&overrides)?,
            args,
        )),
        Command::Snmp(cmd) => rt.block_on(census_collector::snmp_cli::run(
            Config::load(&overrides)?,
            cmd,
        )),
        Command::Assets(cmd) => rt.block_on(census_collector::assets_cli::run(
            Config::load(&overrides)?,
            cmd,
        )),
        Command::Plan(args) => rt.block_on(census_collector::plan_cli::run(
            Config::load(&overrides)?,
            cli.config.clone(),
            args,
        )),
        Command::Export(args) => rt.block_on(census_collector::export_cli::export(
            Config::load(&overrides)?,
            cli.config.clone(),
            args,
        )),
        Command::Import(args) => rt.block_on(census_collector::export_cli::import(
            Config::load(&overrides)?,
            cli.config.clone(),
            args,
        )),
        Command::Db(cmd) => rt.block_on(census_collector::db_cli::run(
            Config::load(&overrides)?,
            cmd,
        )),
        Command::Admin(cmd) => rt.block_on(census_collector::admin_cli::run(
            Config::load(&overrides)?,
            cmd,
        )),
        Command::Changes { since, json } => rt.block_on(census_collector::assets_cli::changes(
            Config::load(&overrides)?,
            &since,
            json,
        )),
    }
}

async fn token(cfg: Config, cmd: TokenCmd) -> Result<()> {
    let store = serve::open_store(&cfg).await?;
    match cmd {
        TokenCmd::Create {
            uses,
            expires,
            label,
        } => {
            if uses.is_some_and(|u| u < 1) {
                bail!("--uses must be at least 1");
            }
            let expires_at = admin_cli::expiry(expires)?;
            let token = secrets::new_token();
            let info = store
                .create_token(NewToken {
                    token_hash: secrets::hash(&token),
                    label,
                    uses,
                    expires_at,
                })
                .await?;
            eprintln!(
                "token {} created: uses {}, expires {}",
                info.id,
                uses.map(|u| u.to_string())
                    .unwrap_or_else(|| "unlimited".into()),
                when(info.expires_at)
            );
            println!("{token}");
        }
        TokenCmd::List { json } => {
            let tokens = store.list_tokens().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&tokens)?);
            } else {
                println!(
                    "{:>4}  {:<16}  {:>9}  {:>5}  {:<16}  {:<16}  LABEL",
                    "ID", "STATE", "USES LEFT", "USED", "EXPIRES", "CREATED"
                );
                for t in tokens {
                    let state = t.state(chrono::Utc::now());
                    let left = t
                        .uses_left
                        .map(|u| u.to_string())
                        .unwrap_or_else(|| "unlimited".into());
                    println!(
                        "{:>4}  {:<16}  {:>9}  {:>5}  {:<16}  {:<16}  {}",
                        t.id,
                        state,
                        left,
                        t.uses,
                        when(t.expires_at),
                        when(Some(t.created_at)),
                        t.label.unwrap_or_default()
                    );
                }
            }
        }
        TokenCmd::Revoke { id } => {
            if !store.revoke_token(id).await? {
                bail!("no token with id {id} (see `census-collector token list`)");
            }
            eprintln!("token {id} revoked");
        }
    }
    store.close().await;
    Ok(())
}

async fn agents(cfg: Config, cmd: AgentsCmd) -> Result<()> {
    let store = serve::open_store(&cfg).await?;
    match cmd {
        AgentsCmd::List { json } => {
            let agents = store.list_agents().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&agents)?);
            } else {
                println!(
                    "{:<20}  {:<24}  {:<32}  {:<16}  {:>7}  STATE",
                    "ID", "HOSTNAME", "OS", "LAST SEEN", "REPORTS"
                );
                for a in agents {
                    let state = if a.revoked_at.is_some() {
                        "revoked"
                    } else if a.kind == "collector" {
                        "collector"
                    } else if a.outdated() {
                        "outdated version"
                    } else {
                        "active"
                    };
                    println!(
                        "{:<20}  {:<24}  {:<32}  {:<16}  {:>7}  {state}",
                        a.id,
                        a.hostname,
                        a.os.unwrap_or_default(),
                        when(a.last_seen),
                        a.reports_received
                    );
                }
            }
        }
        AgentsCmd::Revoke { id } => {
            if !store.revoke_agent(id.clone()).await? {
                bail!("no agent with id {id} (see `census-collector agents list`)");
            }
            eprintln!("agent {id} revoked: its reports are refused from now on");
        }
    }
    store.close().await;
    Ok(())
}
