//! `census-collector db …`: moving a collector's data between databases.
//! `db migrate-to URL` copies the configured SQLite database into an empty
//! PostgreSQL database (`store::migrate`), prints per table the rows and
//! checksums on both sides, and fails unless every table matches. It
//! changes nothing in the SQLite database and does not switch the
//! configuration over: pointing the collector at PostgreSQL is the
//! person's step, printed at the end.

use crate::config::Config;
use crate::store::Database;
use crate::store::migrate::{TableCheck, migrate};
use crate::store::open::{open_postgres, open_sqlite};
use anyhow::{Result, bail};

/// `db` subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum DbCmd {
    /// Copy this collector's SQLite database into an empty PostgreSQL
    /// database, then verify row counts and checksums of every table.
    MigrateTo {
        /// The target: postgres://USER:PASSWORD@HOST:PORT/DATABASE.
        url: String,
        /// Replace whatever the PostgreSQL database already holds.
        #[arg(long)]
        force: bool,
        /// Print the verification as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Run a `db` subcommand.
pub async fn run(cfg: Config, cmd: DbCmd) -> Result<()> {
    match cmd {
        DbCmd::MigrateTo { url, force, json } => migrate_to(cfg, &url, force, json).await,
    }
}

async fn migrate_to(cfg: Config, url: &str, force: bool, json: bool) -> Result<()> {
    let Some(path) = cfg.database.sqlite_path() else {
        bail!(
            "`db migrate-to` copies a SQLite database; this collector already uses the {}",
            cfg.database
        );
    };
    if !path.is_file() {
        bail!(
            "no SQLite database at {}: nothing to migrate (check --config / --data-dir)",
            path.display()
        );
    }
    let target_db = Database::parse(url)?;
    if !target_db.is_postgres() {
        bail!("`db migrate-to` needs a postgres://USER:PASSWORD@HOST:PORT/DATABASE URL");
    }
    let source = open_sqlite(path).await?;
    let target = open_postgres(&target_db).await?;
    eprintln!(
        "copying the SQLite database {} to the {target_db}",
        path.display()
    );
    let checks = migrate(&source, &target, force, &|table, rows| {
        eprintln!("  {table}: {rows} rows copied")
    })
    .await?;
    source.close().await;
    target.pool().close().await;
    if json {
        println!("{}", serde_json::to_string_pretty(&checks)?);
    } else {
        print!("{}", table(&checks));
    }
    let differ: Vec<&str> = checks
        .iter()
        .filter(|c| !c.matches())
        .map(|c| c.table)
        .collect();
    if !differ.is_empty() {
        bail!(
            "the copy differs from the SQLite database in {}: do not switch over; run again with --force",
            differ.join(", ")
        );
    }
    let rows: i64 = checks.iter().map(|c| c.postgres_rows).sum();
    eprintln!(
        "{rows} rows in {} tables copied and verified. To use PostgreSQL, stop the collector, set \
         database = \"{}\" in its config (or pass --database / CENSUS_DATABASE) and start it again; \
         the SQLite file is left as it was.",
        checks.len(),
        crate::store::open::redact(url)
    );
    Ok(())
}

/// The verification as a text table (checksums shortened to 16 digits).
pub fn table(checks: &[TableCheck]) -> String {
    use std::fmt::Write;
    let mut out = format!(
        "{:<20} {:>12} {:>12}  {:<16}  {:<16}  RESULT\n",
        "TABLE", "SQLITE", "POSTGRESQL", "SHA-256 SQLITE", "SHA-256 POSTGRES"
    );
    for c in checks {
        let _ = writeln!(
            out,
            "{:<20} {:>12} {:>12}  {:<16}  {:<16}  {}",
            c.table,
            c.sqlite_rows,
            c.postgres_rows,
            &c.sqlite_sha256[..16],
            &c.postgres_sha256[..16],
            if c.matches() { "ok" } else { "DIFFERS" }
        );
    }
    out
}
