//! `census-collector plan`: the shell over [`crate::plan`]. Loads the
//! current assets and their observations from the store, the site file
//! (`--site`, else `site.toml` next to the configuration file, else in the
//! data directory; without one the plan says what is missing), builds the
//! plan and writes it to `--out` or stdout (CSV: a directory of files, or
//! one zip of them when `--out` ends in `.zip`; XLSX and DOCX: a workbook
//! or document file, never stdout).

use crate::assets;
use crate::config::{Config, DEFAULT_CONFIG};
use crate::plan::{self, Format, Inputs, Lang, Rendered};
use crate::store::Store;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// `plan` arguments.
#[derive(clap::Args, Debug)]
pub struct PlanArgs {
    /// md, html, csv, xlsx, docx or json.
    #[arg(long, default_value = "md")]
    pub format: String,
    /// nl or en.
    #[arg(long, default_value = "nl")]
    pub lang: String,
    /// Output file (for csv a directory, or a zip when it ends in .zip; required for csv, xlsx and docx) [default: stdout].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Site facts [default: site.toml next to the config, else in the data dir].
    #[arg(long)]
    pub site: Option<PathBuf>,
    /// Print the licence keys the site file holds (a key column in the
    /// licences table, `key` in JSON); without it no key is in any format.
    #[arg(long)]
    pub show_licence_keys: bool,
}

/// Where the site file is looked for when `--site` is not given.
pub fn default_site(config_file: Option<&Path>, data_dir: &Path) -> PathBuf {
    let config = config_file
        .map(Path::to_path_buf)
        .or_else(|| Some(PathBuf::from(DEFAULT_CONFIG)).filter(|p| p.exists()));
    match config.as_ref().and_then(|c| c.parent()) {
        Some(dir) => dir.join("site.toml"),
        None => data_dir.join("site.toml"),
    }
}

/// Run `plan`; `config_file` is the `--config` given, if any.
pub async fn run(cfg: Config, config_file: Option<PathBuf>, args: PlanArgs) -> Result<()> {
    // XLSX and DOCX are rendered here, from the layout, rather than by
    // `plan::render` (binary files, not text).
    let binary = match args.format.as_str() {
        "xlsx" => Some("a workbook"),
        "docx" => Some("a Word document"),
        _ => None,
    };
    let format: Format = match binary {
        Some(_) => Format::Json,
        None => args.format.parse().map_err(anyhow::Error::msg)?,
    };
    let lang: Lang = args.lang.parse().map_err(anyhow::Error::msg)?;
    if format == Format::Csv && args.out.is_none() {
        bail!("--format csv writes one file per section: give --out DIRECTORY (or --out FILE.zip)");
    }
    if let (Some(what), None) = (binary, &args.out) {
        bail!(
            "--format {} writes {what}, not text: give --out FILE",
            args.format
        );
    }
    let site = match &args.site {
        Some(file) => Some(plan::site::load(file)?),
        None => {
            let file = default_site(config_file.as_deref(), &cfg.data_dir);
            if file.exists() {
                Some(plan::site::load(&file)?)
            } else {
                eprintln!(
                    "no site file at {} (see deploy/examples/site.toml); the plan lists what it would hold under \"To complete\"",
                    file.display()
                );
                None
            }
        }
    };
    let store = crate::serve::open_store(&cfg).await?;
    let loaded = load(store.as_ref()).await;
    store.close().await;
    let (assets, observations) = loaded?;
    let now = chrono::Utc::now();
    let mut p = plan::build(&Inputs {
        assets: &assets,
        observations: &observations,
        site: site.as_ref(),
        default_communities: plan::default_communities(&cfg.snmp_communities),
        now,
    });
    if args.show_licence_keys {
        if let Some(site) = &site {
            plan::show_licence_keys(&mut p, site);
        }
        if p.licences.iter().all(|l| l.key.is_none()) {
            eprintln!("--show-licence-keys: no licence key in the site file");
        }
    }
    if let (Some(what), Some(out)) = (binary, &args.out) {
        let doc = plan::layout::layout(&p, lang);
        let bytes = match args.format.as_str() {
            "xlsx" => plan::xlsx::render(&doc).map_err(anyhow::Error::new),
            _ => plan::docx::render(&doc).map_err(anyhow::Error::new),
        }
        .with_context(|| format!("cannot write {what}"))?;
        return std::fs::write(out, bytes)
            .with_context(|| format!("cannot write {}", out.display()));
    }
    match (plan::render(&p, format, lang), &args.out) {
        (Rendered::Document(text), None) => print!("{text}"),
        (Rendered::Document(text), Some(out)) => {
            std::fs::write(out, text).with_context(|| format!("cannot write {}", out.display()))?
        }
        (Rendered::Files(files), Some(file)) if is_zip(file) => {
            let bytes =
                plan::csv::zipped(&files, now.naive_utc()).context("cannot write the zip")?;
            std::fs::write(file, bytes)
                .with_context(|| format!("cannot write {}", file.display()))?
        }
        (Rendered::Files(files), Some(dir)) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            for (name, text) in files {
                let path = dir.join(name);
                std::fs::write(&path, text)
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
        }
        (Rendered::Files(_), None) => unreachable!("csv without --out is refused above"),
    }
    Ok(())
}

/// Whether `--out` names a zip rather than a directory.
fn is_zip(out: &Path) -> bool {
    out.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

async fn load(
    store: &dyn Store,
) -> Result<(
    Vec<census_shared::asset::Asset>,
    Vec<crate::merge::Observation>,
)> {
    let since = chrono::Utc::now() - assets::scan_history();
    let observations = store.asset_observations(since).await?;
    let resolution = assets::current(store).await?;
    Ok((resolution.assets, observations))
}
