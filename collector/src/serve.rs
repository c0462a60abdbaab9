//! `census-collector serve`: open the store, load or create the TLS
//! identity, print how to enrol agents, inventory the collector's own host,
//! run the scheduled scans, keep the assets current, and serve the API over
//! HTTPS (HTTP/1.1 and HTTP/2) until SIGTERM/Ctrl-C.

use crate::api::{self, AppState};
use crate::config::Config;
use crate::secrets;
use crate::store::{NewToken, Store};
use anyhow::{Context, Result};
use census_agent::probe::Probe;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// Open the configured database (SQLite in the data directory, created if
/// needed, or PostgreSQL): the one way every subcommand gets its store.
/// Also sets the asset settings every command of this process then uses.
pub async fn open_store(cfg: &Config) -> Result<Arc<dyn Store>> {
    crate::assets::configure(cfg.assets_not_seen_after);
    if !cfg.database.is_postgres() {
        cfg.ensure_data_dir()?;
    }
    Ok(crate::store::open(&cfg.database).await?)
}

/// The host's names and non-loopback addresses, for the certificate and
/// the printed enrolment command.
fn host_identity() -> (Vec<String>, Vec<IpAddr>) {
    let report = census_agent::collect(&Probe::live(), None);
    let mut names: Vec<String> = report
        .host
        .hostname
        .into_iter()
        .chain(report.host.fqdn)
        .collect();
    names.dedup();
    let addrs = report
        .network
        .interfaces
        .iter()
        .flat_map(|i| i.addresses.iter().map(|a| a.address))
        .filter(|a| match a {
            IpAddr::V4(v4) => !v4.is_link_local(),
            IpAddr::V6(v6) => !v6.is_unicast_link_local(),
        })
        .collect();
    (names, addrs)
}

/// The URL agents should use: the listen address, or the host's first
/// non-loopback IPv4 address when listening on all addresses.
fn public_url(listen: SocketAddr, addrs: &[IpAddr]) -> String {
    let ip = if listen.ip().is_unspecified() {
        addrs
            .iter()
            .find(|a| a.is_ipv4() && !a.is_loopback())
            .copied()
            .unwrap_or(IpAddr::from([127, 0, 0, 1]))
    } else {
        listen.ip()
    };
    match ip {
        IpAddr::V6(v6) => format!("https://[{v6}]:{}", listen.port()),
        IpAddr::V4(v4) => format!("https://{v4}:{}", listen.port()),
    }
}

/// Inventory the collector's host and store it as its own agent.
pub async fn self_inventory(store: &dyn Store) -> Result<()> {
    let report =
        tokio::task::spawn_blocking(|| census_agent::collect(&Probe::live(), None)).await?;
    let host = report
        .host
        .hostname
        .clone()
        .unwrap_or_else(|| "collector".into());
    let id = store.self_agent(host).await?;
    let outcome = store
        .ingest(id.clone(), crate::ingest::prepare(&id, report))
        .await?;
    tracing::info!(agent = %id, changed = outcome.changed, "self-inventory stored");
    Ok(())
}

/// Run the daemon.
pub async fn serve(cfg: Config, config_file: Option<std::path::PathBuf>) -> Result<()> {
    let store = open_store(&cfg).await?;
    cfg.ensure_data_dir()?;
    let (names, addrs) = tokio::task::spawn_blocking(host_identity).await?;
    let identity = crate::tls::load_or_create(&cfg.data_dir, &names, &addrs)?;
    let tls = axum_server::tls_rustls::RustlsConfig::from_config(identity.server_config()?);

    let token = secrets::new_token();
    store
        .create_token(NewToken {
            token_hash: secrets::hash(&token),
            label: Some("printed at collector start".into()),
            uses: None,
            expires_at: Some(chrono::Utc::now() + chrono::Duration::hours(24)),
        })
        .await?;

    let handle = axum_server::Handle::<SocketAddr>::new();
    let mut server = axum_server::bind_rustls(cfg.listen, tls).handle(handle.clone());
    server
        .http_builder()
        .http1()
        .header_read_timeout(cfg.header_timeout);
    let site_file = crate::plan_cli::default_site(config_file.as_deref(), &cfg.data_dir);
    let mut state = AppState::new(store.clone(), &cfg, site_file);
    state.fingerprint = identity.fingerprint.clone();
    state.cert_sha256 = crate::api::install::sha256_hex(&identity.cert_der);
    let runs = state.scans.clone();
    let app =
        api::router(state, cfg.request_timeout).into_make_service_with_connect_info::<SocketAddr>();
    let mut serving = tokio::spawn(async move { server.serve(app).await });

    let bound = tokio::select! {
        a = handle.listening() => a.context("the server stopped before listening")?,
        r = &mut serving => {
            r?.with_context(|| format!("cannot listen on {}", cfg.listen))?;
            anyhow::bail!("the server stopped before listening");
        }
    };
    let url = public_url(bound, &addrs);
    println!("Census collector listening on https://{bound}");
    println!("data directory: {}", cfg.data_dir.display());
    println!("database: {}", cfg.database);
    println!(
        "certificate key fingerprint (SHA-256): {}",
        identity.fingerprint
    );
    println!("enrolment token (valid 24 h, any number of uses): {token}");
    println!("enrol an agent with:");
    println!(
        "  census-agent enroll --collector {url} --token {token} --fingerprint {}",
        identity.fingerprint
    );
    println!("or install an agent as a service on a Linux PC with:");
    println!(
        "  curl -fsSk --pinnedpubkey '{}' {url}/install.sh | sudo sh -s -- --token {token}",
        identity.curl_pin()
    );
    println!("or on a Windows PC, in an elevated PowerShell:");
    println!(
        "  {}",
        crate::api::install::ps1::one_line(
            &url,
            &crate::api::install::sha256_hex(&identity.cert_der),
            &token
        )
    );
    use std::io::Write;
    let _ = std::io::stdout().flush();

    if let Some(every) = cfg.self_inventory_interval {
        let store = store.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = self_inventory(store.as_ref()).await {
                    tracing::warn!("self-inventory failed: {e:#}");
                }
                tokio::time::sleep(every).await;
            }
        });
    }

    // Scheduled scans: only the targets in the config's [[scan]] jobs.
    if !cfg.scans.is_empty() {
        let creds = crate::snmp::credentials::credential_list(&cfg.snmp_communities, &cfg.snmp_v3)
            .context("SNMP credentials in the config")?;
        for job in cfg.scans.clone() {
            tracing::info!(job = %job.name, targets = %job.targets.join(" "), every = ?job.every, "scheduled scan");
            let store = store.clone();
            tokio::spawn(crate::scan::schedule::run_forever(
                store,
                job,
                creds.clone(),
                runs.clone(),
            ));
        }
    }

    // Assets: recomputed after each saved scheduled scan (in run_forever)
    // and when reports or scans arrived, at most once per assets_interval.
    tokio::spawn(crate::assets::keep_current(
        store.clone(),
        cfg.assets_interval,
    ));

    census_agent::run::shutdown_signal().await;
    tracing::info!("shutting down");
    handle.graceful_shutdown(Some(Duration::from_secs(10)));
    let _ = serving.await;
    store.close().await;
    Ok(())
}
