//! Putting an unpacked, verified archive back: the database (after its
//! old WAL and shared-memory files are gone), the TLS identity, the site
//! file and the files it names (its `[mobile] csv` list) beside it. Also
//! which files travel with the site file. It does not decrypt or verify:
//! `read_archive` did that before anything here runs.

use super::{create_private, create_private_dir, list_files};
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What [`restore`] wrote.
#[derive(Debug, Default)]
pub struct Restored {
    pub files: Vec<PathBuf>,
}

/// Whether `db` holds a database worth protecting (exists, not empty).
pub fn database_in_use(db: &Path) -> bool {
    std::fs::metadata(db).is_ok_and(|m| m.len() > 0)
}

/// Move the verified `data/` files unpacked under `staged` into place:
/// `data/census.db` → `db` (after removing a previous database's WAL and
/// shared-memory files), `data/tls/*` → `data_dir/tls/`, `data/site.toml`
/// → `site`. The plan files are for reading and are not restored.
pub fn restore(staged: &Path, data_dir: &Path, db: &Path, site: &Path) -> Result<Restored> {
    let mut restored = Restored::default();
    let from = staged.join("data");
    let staged_db = from.join("census.db");
    if !staged_db.is_file() {
        bail!("the archive holds no data/census.db");
    }
    create_private_dir(data_dir)?;
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = db.as_os_str().to_owned();
        side.push(suffix);
        let side = PathBuf::from(side);
        if side.exists() {
            std::fs::remove_file(&side)
                .with_context(|| format!("cannot remove {}", side.display()))?;
        }
    }
    move_file(&staged_db, db)?;
    restored.files.push(db.to_path_buf());
    let tls = from.join("tls");
    if tls.is_dir() {
        let dest = data_dir.join("tls");
        create_private_dir(&dest)?;
        for name in list_files(&tls)? {
            if name.contains('/') {
                continue;
            }
            move_file(&tls.join(&name), &dest.join(&name))?;
            restored.files.push(dest.join(&name));
        }
    }
    if from.join("site.toml").is_file() {
        if let Some(dir) = site.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        move_file(&from.join("site.toml"), site)?;
        restored.files.push(site.to_path_buf());
    }
    let companions = from.join(SITE_FILES);
    if let (true, Some(dir)) = (companions.is_dir(), site.parent()) {
        for name in list_files(&companions)? {
            let to = dir.join(safe_relative(&name)?);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            move_file(&companions.join(&name), &to)?;
            restored.files.push(to);
        }
    }
    Ok(restored)
}

/// Where files the site file names (its `[mobile] csv` list) travel in
/// the archive, under `data/`, by their path relative to the site file.
pub const SITE_FILES: &str = "site-files";

/// A relative path with no `..`, root or prefix: one that stays under the
/// directory it is joined to.
pub fn safe_relative(name: &str) -> Result<PathBuf> {
    let p = PathBuf::from(name);
    if p.as_os_str().is_empty()
        || !p
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
    {
        bail!("{name:?} is not a plain relative path under the site file's directory");
    }
    Ok(p)
}

/// The files a site file names (its `[mobile] csv`), relative to it, when
/// they exist; a site file that does not load names none.
pub fn site_companions(site: &Path) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(site) else {
        return Vec::new();
    };
    let Ok(facts) = crate::plan::site::parse(&text, site) else {
        return Vec::new();
    };
    let dir = site.parent().unwrap_or(Path::new("."));
    facts
        .mobile
        .and_then(|m| m.csv)
        .and_then(|c| safe_relative(&c).ok())
        .filter(|c| dir.join(c).is_file())
        .into_iter()
        .collect()
}

/// Rename, falling back to copy + remove across filesystems; 0600 either way.
fn move_file(from: &Path, to: &Path) -> Result<()> {
    if std::fs::rename(from, to).is_err() {
        let data = std::fs::read(from)?;
        let mut f = create_private(to)?;
        f.write_all(&data)?;
        f.sync_all()?;
        std::fs::remove_file(from)?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot restrict {}", to.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_plain_relative_paths_travel_with_the_site_file() {
        for good in ["mobiles.csv", "lists/mobiles.csv"] {
            assert!(super::safe_relative(good).is_ok(), "{good}");
        }
        for bad in ["", "/etc/passwd", "../mobiles.csv", "lists/../../x", "./x"] {
            assert!(super::safe_relative(bad).is_err(), "{bad}");
        }
    }
}
