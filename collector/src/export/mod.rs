//! The offline encrypted copy: one age-encrypted tar holding the plan in
//! every built format, a consistent copy of the database, the TLS identity,
//! the site file and a `MANIFEST.json` with each file's SHA-256.
//!
//! Decryptable without Census: `age -d -i key.txt FILE | tar x`. The library
//! half: snapshotting the live database (`VACUUM INTO`), packing a staged
//! directory into the encrypted archive, and unpacking one (entry paths
//! checked, every file's hash checked against the manifest) into a staging
//! directory that [`restore`] moves into a data directory. Planning what to
//! stage, passphrases and messages are `export_cli.rs`'s.

use age::secrecy::SecretString;
use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::io::{BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};

mod restore;

pub use restore::{Restored, SITE_FILES, database_in_use, restore, safe_relative, site_companions};

/// The archive layout's version, in `MANIFEST.json`.
pub const FORMAT_VERSION: u32 = 1;
/// The manifest's name at the archive's root.
pub const MANIFEST: &str = "MANIFEST.json";
/// Largest manifest accepted on import.
const MAX_MANIFEST_BYTES: u64 = 4 * 1024 * 1024;

/// `MANIFEST.json`: what the archive holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    /// [`FORMAT_VERSION`].
    pub version: u32,
    /// The Census version that wrote it.
    pub census_version: String,
    pub created_at: DateTime<Utc>,
    /// Every other file in the archive, sorted by path.
    pub files: Vec<ManifestFile>,
}

/// One file of the archive.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ManifestFile {
    /// Path inside the archive (`plan/plan.md`, `data/census.db`, …).
    pub path: String,
    pub size: u64,
    /// SHA-256 of the content, lowercase hex.
    pub sha256: String,
}

/// Whom the archive is encrypted to.
pub enum Recipients {
    /// `age1…` public keys.
    Keys(Vec<String>),
    /// A passphrase (age's scrypt recipient).
    Passphrase(SecretString),
}

/// What decrypts an archive.
pub enum Key {
    /// An age identity file (as `age-keygen` writes it).
    IdentityFile(PathBuf),
    Passphrase(SecretString),
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 and size of a file, streamed.
pub fn hash_file(path: &Path) -> Result<(u64, String)> {
    let mut f =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        ctx.update(&buf[..n]);
    }
    Ok((size, hex(ctx.finish().as_ref())))
}

/// A transactionally consistent copy of the live SQLite database at `db`
/// into `dest` (which must not exist): SQLite's `VACUUM INTO`, safe while
/// the collector runs and writes.
pub async fn snapshot_database(db: &Path, dest: &Path) -> Result<()> {
    use sqlx::Connection;
    let opts = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .create_if_missing(false)
        .busy_timeout(std::time::Duration::from_secs(30));
    let mut conn = sqlx::SqliteConnection::connect_with(&opts)
        .await
        .with_context(|| format!("opening the database {}", db.display()))?;
    let dest_text = dest
        .to_str()
        .with_context(|| format!("{} is not UTF-8", dest.display()))?;
    sqlx::query("VACUUM INTO ?")
        .bind(dest_text)
        .execute(&mut conn)
        .await
        .with_context(|| format!("copying the database into {}", dest.display()))?;
    conn.close().await?;
    Ok(())
}

/// Every file under `dir`, as archive paths (`/`-separated), sorted.
pub(crate) fn list_files(dir: &Path) -> Result<Vec<String>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
        for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                walk(root, &path, out)?;
            } else {
                let rel = path.strip_prefix(root).expect("under root");
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

/// The manifest of the files staged under `dir`.
pub fn manifest_of(dir: &Path, created_at: DateTime<Utc>) -> Result<Manifest> {
    let mut files = Vec::new();
    for path in list_files(dir)? {
        if path == MANIFEST {
            continue;
        }
        let (size, sha256) = hash_file(&dir.join(&path))?;
        files.push(ManifestFile { path, size, sha256 });
    }
    Ok(Manifest {
        version: FORMAT_VERSION,
        census_version: env!("CARGO_PKG_VERSION").to_string(),
        created_at,
        files,
    })
}

/// Pack the files staged under `dir` with their manifest into a tar,
/// encrypt it to `to` (ASCII-armored when `armor`) and write it to `out`
/// (0600, through a temporary file renamed into place).
pub fn write_archive(
    dir: &Path,
    manifest: &Manifest,
    to: &Recipients,
    armor: bool,
    out: &Path,
) -> Result<()> {
    let encryptor = match to {
        Recipients::Keys(keys) => {
            if keys.is_empty() {
                bail!("no recipient: give --recipient age1… or --passphrase");
            }
            let parsed = keys
                .iter()
                .map(|k| {
                    k.trim().parse::<age::x25519::Recipient>().map_err(|e| {
                        anyhow::anyhow!("--recipient {k:?} is not an age public key (age1…): {e}")
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            age::Encryptor::with_recipients(parsed.iter().map(|r| r as &dyn age::Recipient))
                .context("cannot encrypt to these recipients")?
        }
        Recipients::Passphrase(p) => age::Encryptor::with_user_passphrase(p.clone()),
    };
    let tmp = out.with_file_name(format!(
        ".{}.tmp",
        out.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "census-export".into())
    ));
    let file = create_private(&tmp)?;
    let result = (|| -> Result<()> {
        let format = if armor {
            age::armor::Format::AsciiArmor
        } else {
            age::armor::Format::Binary
        };
        let armored =
            age::armor::ArmoredWriter::wrap_output(std::io::BufWriter::new(file), format)?;
        let stream = encryptor.wrap_output(armored)?;
        let mut tar = tar::Builder::new(stream);
        let mtime = manifest.created_at.timestamp().max(0) as u64;
        let header = |size: u64| {
            let mut h = tar::Header::new_ustar();
            h.set_size(size);
            h.set_mode(0o600);
            h.set_mtime(mtime);
            h.set_entry_type(tar::EntryType::Regular);
            h
        };
        let json = serde_json::to_vec_pretty(manifest)?;
        tar.append_data(&mut header(json.len() as u64), MANIFEST, json.as_slice())?;
        for f in &manifest.files {
            let src = std::fs::File::open(dir.join(&f.path))
                .with_context(|| format!("reading staged {}", f.path))?;
            tar.append_data(&mut header(f.size), &f.path, src.take(f.size))
                .with_context(|| format!("archiving {}", f.path))?;
        }
        let stream = tar.into_inner()?;
        let armored = stream.finish()?;
        let buffered = armored.finish()?;
        let file = buffered.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.context(format!("writing {}", out.display())));
    }
    std::fs::rename(&tmp, out).with_context(|| format!("writing {}", out.display()))?;
    Ok(())
}

/// Create a file only its owner can read and write.
pub(crate) fn create_private(path: &Path) -> Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
        .with_context(|| format!("cannot create {}", path.display()))
}

/// Create a directory (and parents) only its owner can enter.
pub fn create_private_dir(path: &Path) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

fn decrypt_error(e: age::DecryptError, key: &Key) -> anyhow::Error {
    use age::DecryptError as E;
    match (e, key) {
        (E::NoMatchingKeys, Key::IdentityFile(f)) => anyhow::anyhow!(
            "the key in {} cannot open this archive: it was encrypted to other recipients (or with a passphrase: use --passphrase)",
            f.display()
        ),
        (E::NoMatchingKeys | E::DecryptionFailed | E::KeyDecryptionFailed, Key::Passphrase(_)) => {
            anyhow::anyhow!(
                "wrong passphrase, or the archive was encrypted to age keys (use --identity KEYFILE)"
            )
        }
        (E::InvalidHeader | E::UnknownFormat, _) => {
            anyhow::anyhow!("not an age-encrypted Census archive (bad age header)")
        }
        (E::InvalidMac, _) => {
            anyhow::anyhow!("the archive's header was altered (MAC check failed): refused")
        }
        (e, _) => anyhow::anyhow!("cannot decrypt the archive: {e}"),
    }
}

/// Decrypt `file` with `key` and unpack it into the empty directory
/// `dest` (files 0600, directories 0700). Refuses entries outside the
/// layout, files missing from or not in the manifest, and any hash that
/// does not match. Returns the verified manifest.
pub fn read_archive(file: &Path, key: &Key, dest: &Path) -> Result<Manifest> {
    let f = std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    let reader = age::armor::ArmoredReader::new(BufReader::new(f));
    let decryptor = age::Decryptor::new(reader).map_err(|e| decrypt_error(e, key))?;
    let identities: Vec<Box<dyn age::Identity>> = match key {
        Key::IdentityFile(path) => {
            if decryptor.is_scrypt() {
                bail!(
                    "{} is encrypted with a passphrase: use --passphrase",
                    file.display()
                );
            }
            let ids = age::IdentityFile::from_file(path.to_string_lossy().into_owned())
                .with_context(|| format!("cannot read the identity file {}", path.display()))?
                .into_identities()
                .map_err(|e| anyhow::anyhow!("identity file {}: {e}", path.display()))?;
            if ids.is_empty() {
                bail!("no age identity (AGE-SECRET-KEY-…) in {}", path.display());
            }
            ids.into_iter()
                .map(|i| i as Box<dyn age::Identity>)
                .collect()
        }
        Key::Passphrase(p) => {
            if !decryptor.is_scrypt() {
                bail!(
                    "{} is encrypted to age keys, not a passphrase: use --identity KEYFILE",
                    file.display()
                );
            }
            vec![Box::new(age::scrypt::Identity::new(p.clone()))]
        }
    };
    let stream = decryptor
        .decrypt(identities.iter().map(|i| i.as_ref()))
        .map_err(|e| decrypt_error(e, key))?;
    let mut archive = tar::Archive::new(stream);
    let mut seen: Vec<ManifestFile> = Vec::new();
    let mut manifest: Option<Manifest> = None;
    let damaged = |e: std::io::Error| {
        anyhow::anyhow!("the archive is damaged or was altered (decryption failed: {e}): refused")
    };
    for entry in archive.entries().map_err(damaged)? {
        let mut entry = entry.map_err(damaged)?;
        let raw = entry.path().map_err(damaged)?.into_owned();
        let path = archive_path(&raw)?;
        match entry.header().entry_type() {
            tar::EntryType::Directory => continue,
            tar::EntryType::Regular | tar::EntryType::Continuous => {}
            other => bail!("{path}: a {other:?} entry has no place in a Census archive: refused"),
        }
        if path == MANIFEST {
            let mut text = Vec::new();
            (&mut entry)
                .take(MAX_MANIFEST_BYTES + 1)
                .read_to_end(&mut text)
                .map_err(damaged)?;
            if text.len() as u64 > MAX_MANIFEST_BYTES {
                bail!("{MANIFEST} is too large: refused");
            }
            let m: Manifest = serde_json::from_slice(&text)
                .with_context(|| format!("{MANIFEST} is not a Census manifest"))?;
            if m.version != FORMAT_VERSION {
                bail!(
                    "archive format {} is not supported by this Census (format {FORMAT_VERSION}): use the Census version that wrote it ({})",
                    m.version,
                    m.census_version
                );
            }
            manifest = Some(m);
            continue;
        }
        if !(path.starts_with("plan/") || path.starts_with("data/")) {
            bail!("{path}: outside plan/ and data/: refused");
        }
        if seen.iter().any(|s| s.path == path) {
            bail!("{path} appears twice in the archive: refused");
        }
        let target = dest.join(&path);
        create_private_dir(target.parent().expect("has a parent"))?;
        let mut out = create_private(&target)?;
        let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
        let mut buf = vec![0u8; 64 * 1024];
        let mut size = 0u64;
        loop {
            let n = entry.read(&mut buf).map_err(damaged)?;
            if n == 0 {
                break;
            }
            ctx.update(&buf[..n]);
            out.write_all(&buf[..n])?;
            size += n as u64;
        }
        out.sync_all()?;
        seen.push(ManifestFile {
            path,
            size,
            sha256: hex(ctx.finish().as_ref()),
        });
    }
    let manifest = manifest.with_context(|| format!("no {MANIFEST} in the archive: refused"))?;
    for s in &seen {
        match manifest.files.iter().find(|m| m.path == s.path) {
            None => bail!("{} is not in {MANIFEST}: refused", s.path),
            Some(m) if m.sha256 != s.sha256 || m.size != s.size => bail!(
                "{}: SHA-256 {} does not match {MANIFEST} ({}): the archive was altered, refused",
                s.path,
                s.sha256,
                m.sha256
            ),
            Some(_) => {}
        }
    }
    for m in &manifest.files {
        if !seen.iter().any(|s| s.path == m.path) {
            bail!(
                "{} is in {MANIFEST} but not in the archive: refused",
                m.path
            );
        }
    }
    Ok(manifest)
}

/// An entry's path as `/`-separated text, refusing anything that is not
/// plain names (absolute paths, `..`, `.`).
fn archive_path(raw: &Path) -> Result<String> {
    let mut parts = Vec::new();
    for c in raw.components() {
        match c {
            Component::Normal(n) => parts.push(
                n.to_str()
                    .with_context(|| format!("{}: not UTF-8: refused", raw.display()))?
                    .to_string(),
            ),
            Component::CurDir if parts.is_empty() => {}
            _ => bail!("{}: not a plain relative path: refused", raw.display()),
        }
    }
    if parts.is_empty() {
        bail!("an entry without a name: refused");
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_paths_are_plain_relative_names() {
        assert_eq!(
            archive_path(Path::new("data/census.db")).unwrap(),
            "data/census.db"
        );
        assert_eq!(
            archive_path(Path::new("./MANIFEST.json")).unwrap(),
            MANIFEST
        );
        for bad in ["/etc/passwd", "data/../../x", "../x", ""] {
            assert!(archive_path(Path::new(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn round_trip_with_a_key_and_tampering_refused() {
        let dir = tempfile::tempdir().unwrap();
        let staged = dir.path().join("staged");
        create_private_dir(&staged.join("data")).unwrap();
        std::fs::write(staged.join("data/census.db"), b"db bytes").unwrap();
        create_private_dir(&staged.join("plan")).unwrap();
        std::fs::write(staged.join("plan/plan.md"), b"# plan").unwrap();
        let m = manifest_of(&staged, Utc::now()).unwrap();
        assert_eq!(m.files.len(), 2);
        let id = age::x25519::Identity::generate();
        let key_file = dir.path().join("key.txt");
        {
            use age::secrecy::ExposeSecret;
            std::fs::write(&key_file, id.to_string().expose_secret()).unwrap();
        }
        let out = dir.path().join("copy.age");
        let to = Recipients::Keys(vec![id.to_public().to_string()]);
        write_archive(&staged, &m, &to, true, &out).unwrap();
        let key = Key::IdentityFile(key_file);
        let unpacked = dir.path().join("unpacked");
        create_private_dir(&unpacked).unwrap();
        assert_eq!(read_archive(&out, &key, &unpacked).unwrap(), m);
        assert_eq!(
            std::fs::read(unpacked.join("data/census.db")).unwrap(),
            b"db bytes"
        );

        // A manifest that disagrees with the content is refused.
        let mut wrong = m.clone();
        wrong.files[0].sha256 = "00".repeat(32);
        write_archive(&staged, &wrong, &to, false, &out).unwrap();
        let again = dir.path().join("again");
        create_private_dir(&again).unwrap();
        let e = read_archive(&out, &key, &again).unwrap_err().to_string();
        assert!(e.contains("does not match"), "{e}");
    }
}
