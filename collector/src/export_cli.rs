//! `census-collector export` and `import`: the shell over [`crate::export`].
//!
//! `export` stages, in a private temporary directory, the plan in every
//! format `plan` builds (through `plan_cli::run`, so it is the same plan
//! `plan --format` writes; formats it refuses as not built are left out), a `VACUUM INTO` copy of the database, the TLS key
//! and certificate and the site file, then writes them as one age-encrypted
//! tar. `import` decrypts one, verifies it and restores the data directory.
//! Passphrases come from `CENSUS_EXPORT_PASSPHRASE` or the terminal (echo
//! off), never from a flag.

use crate::config::Config;
use crate::export::{self, Key, Recipients};
use crate::plan_cli::{self, PlanArgs};
use age::secrecy::{ExposeSecret, SecretString};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// The environment variable a passphrase is read from before asking.
pub const PASSPHRASE_ENV: &str = "CENSUS_EXPORT_PASSPHRASE";

/// Every format name the plan might offer, with its name under `plan/`.
/// Each is asked of `plan_cli::run` (the `plan --format` contract): written
/// when built, skipped when `plan` refuses it as "not built yet", any other
/// failure is the export's. CSV comes twice: a directory to read after
/// unpacking, and the one zip of the same files to hand on as it is.
const PLAN_FORMATS: [(&str, &str); 7] = [
    ("md", "plan.md"),
    ("html", "plan.html"),
    ("json", "plan.json"),
    ("csv", "csv"),
    ("csv", "plan-csv.zip"),
    ("xlsx", "plan.xlsx"),
    ("docx", "plan.docx"),
];

/// `export` arguments.
#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("to").required(true).args(["recipients", "passphrase"])))]
pub struct ExportArgs {
    /// The encrypted archive to write.
    #[arg(long)]
    pub out: PathBuf,
    /// An age public key (age1…) to encrypt to; repeat for several.
    #[arg(long = "recipient", value_name = "AGE_PUBLIC_KEY")]
    pub recipients: Vec<String>,
    /// Encrypt with a passphrase (from CENSUS_EXPORT_PASSPHRASE, else asked on the terminal).
    #[arg(long)]
    pub passphrase: bool,
    /// ASCII-armored output (PEM-like text) instead of binary.
    #[arg(long)]
    pub armor: bool,
    /// The plan's language: nl or en.
    #[arg(long, default_value = "nl")]
    pub lang: String,
    /// Site facts [default: site.toml next to the config, else in the data dir].
    #[arg(long)]
    pub site: Option<PathBuf>,
}

/// `import` arguments.
#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("key").required(true).args(["identity", "passphrase"])))]
pub struct ImportArgs {
    /// The encrypted archive `export` wrote.
    pub file: PathBuf,
    /// An age identity file (AGE-SECRET-KEY-…, as age-keygen writes it).
    #[arg(long, value_name = "KEYFILE")]
    pub identity: Option<PathBuf>,
    /// The archive was encrypted with a passphrase (CENSUS_EXPORT_PASSPHRASE, else asked).
    #[arg(long)]
    pub passphrase: bool,
    /// Replace an existing database (and TLS identity and site file).
    #[arg(long)]
    pub force: bool,
}

/// Run `export`. The archive always holds a SQLite `census.db`: on
/// PostgreSQL, a verified copy of the database made for it.
pub async fn export(cfg: Config, config_file: Option<PathBuf>, args: ExportArgs) -> Result<()> {
    let db = cfg.database.sqlite_path().map(Path::to_path_buf);
    if let Some(db) = db.as_ref().filter(|db| !db.is_file()) {
        bail!(
            "no database at {}: nothing to export (check --config / --data-dir)",
            db.display()
        );
    }
    let to = if args.passphrase {
        Recipients::Passphrase(passphrase(true)?)
    } else {
        Recipients::Keys(args.recipients.clone())
    };
    // Check the keys before the work.
    if let Recipients::Keys(keys) = &to {
        for k in keys {
            if k.trim().parse::<age::x25519::Recipient>().is_err() {
                bail!("--recipient {k:?} is not an age public key (age1…, from age-keygen -y)");
            }
        }
    }
    let staging = tempfile::Builder::new()
        .prefix("census-export-")
        .tempdir()
        .context("cannot create a private temporary directory")?;
    let root = staging.path();
    export::create_private_dir(&root.join("plan"))?;
    export::create_private_dir(&root.join("data"))?;

    let site = args
        .site
        .clone()
        .or_else(|| {
            Some(plan_cli::default_site(
                config_file.as_deref(),
                &cfg.data_dir,
            ))
        })
        .filter(|s| s.is_file());
    for (name, file) in PLAN_FORMATS {
        let out = root.join("plan").join(file);
        let written = plan_cli::run(
            cfg.clone(),
            config_file.clone(),
            PlanArgs {
                format: name.to_string(),
                lang: args.lang.clone(),
                out: Some(out),
                site: site.clone(),
                // The site file itself, with any keys, is in the archive.
                show_licence_keys: false,
            },
        )
        .await;
        match written {
            Ok(()) => {}
            Err(e) if format!("{e:#}").contains("not built yet") => {
                tracing::debug!("plan format {name} not built: not exported");
            }
            Err(e) => return Err(e.context(format!("writing the plan as {name}"))),
        }
    }

    let staged_db = root.join("data/census.db");
    match &db {
        Some(db) => export::snapshot_database(db, &staged_db).await?,
        None => {
            let pg = crate::store::open::open_postgres(&cfg.database).await?;
            let checks = crate::store::migrate::pg_to_sqlite(&pg, &staged_db).await;
            pg.pool().close().await;
            let differ: Vec<&str> = checks?
                .iter()
                .filter(|c| !c.matches())
                .map(|c| c.table)
                .collect();
            if !differ.is_empty() {
                bail!(
                    "the copy of the {} differs in {}: nothing exported",
                    cfg.database,
                    differ.join(", ")
                );
            }
        }
    }
    let tls = cfg.data_dir.join("tls");
    for name in ["cert.pem", "key.pem"] {
        let from = tls.join(name);
        if from.is_file() {
            export::create_private_dir(&root.join("data/tls"))?;
            std::fs::copy(&from, root.join("data/tls").join(name))
                .with_context(|| format!("cannot read {}", from.display()))?;
        }
    }
    if let Some(site) = &site {
        std::fs::copy(site, root.join("data/site.toml"))
            .with_context(|| format!("cannot read {}", site.display()))?;
        // Files the site file names travel with it (its `[mobile] csv`).
        let dir = site.parent().unwrap_or(Path::new("."));
        for rel in export::site_companions(site) {
            let to = root.join("data").join(export::SITE_FILES).join(&rel);
            if let Some(parent) = to.parent() {
                export::create_private_dir(parent)?;
            }
            std::fs::copy(dir.join(&rel), &to)
                .with_context(|| format!("cannot read {}", dir.join(&rel).display()))?;
        }
    }
    let manifest = export::manifest_of(root, chrono::Utc::now())?;
    export::write_archive(root, &manifest, &to, args.armor, &args.out)?;
    eprintln!(
        "wrote {} ({} files, encrypted {}); decrypt with `age -d {} {} | tar x`",
        args.out.display(),
        manifest.files.len() + 1,
        match &to {
            Recipients::Keys(k) => format!("to {} age key(s)", k.len()),
            Recipients::Passphrase(_) => "with a passphrase".into(),
        },
        match &to {
            Recipients::Keys(_) => "-i KEYFILE",
            Recipients::Passphrase(_) => "",
        },
        args.out.display()
    );
    Ok(())
}

/// Run `import`.
pub async fn import(cfg: Config, config_file: Option<PathBuf>, args: ImportArgs) -> Result<()> {
    let Some(db) = cfg.database.sqlite_path().map(Path::to_path_buf) else {
        bail!(
            "`import` restores into a SQLite data directory; this collector uses the {}: import \
             with --data-dir DIR and without --database, then `db migrate-to` from there",
            cfg.database
        );
    };
    let refuse = |what: &Path| -> Result<()> {
        bail!(
            "{} already exists and is not empty: refusing to overwrite it (stop the collector; --force replaces it)",
            what.display()
        )
    };
    if export::database_in_use(&db) && !args.force {
        refuse(&db)?;
    }
    let site = plan_cli::default_site(config_file.as_deref(), &cfg.data_dir);
    let key = match &args.identity {
        Some(file) => Key::IdentityFile(file.clone()),
        None => Key::Passphrase(passphrase(false)?),
    };
    cfg.ensure_data_dir()?;
    let staging = tempfile::Builder::new()
        .prefix(".census-import-")
        .tempdir_in(&cfg.data_dir)
        .context("cannot create a private directory in the data directory")?;
    let manifest = export::read_archive(&args.file, &key, staging.path())?;
    if staging.path().join("data/site.toml").is_file()
        && site.is_file()
        && !args.force
        && std::fs::read(&site)? != std::fs::read(staging.path().join("data/site.toml"))?
    {
        refuse(&site)?;
    }
    let restored = export::restore(staging.path(), &cfg.data_dir, &db, &site)?;
    eprintln!(
        "restored from {} (written {} by Census {}, {} files verified):",
        args.file.display(),
        manifest.created_at.format("%Y-%m-%d %H:%M UTC"),
        manifest.census_version,
        manifest.files.len()
    );
    for f in restored.files {
        eprintln!("  {}", f.display());
    }
    Ok(())
}

/// A passphrase: `CENSUS_EXPORT_PASSPHRASE`, else asked on the terminal
/// with echo off (twice when `confirm`).
fn passphrase(confirm: bool) -> Result<SecretString> {
    if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        if p.is_empty() {
            bail!("{PASSPHRASE_ENV} is empty");
        }
        return Ok(SecretString::from(p));
    }
    let p = ask("passphrase: ")?;
    if p.expose_secret().is_empty() {
        bail!("an empty passphrase is refused");
    }
    if confirm && ask("passphrase again: ")?.expose_secret() != p.expose_secret() {
        bail!("the passphrases differ");
    }
    Ok(p)
}

/// Ask on the terminal, echo off.
fn ask(prompt: &str) -> Result<SecretString> {
    crate::terminal::ask_secret(prompt, PASSPHRASE_ENV).map(SecretString::from)
}
