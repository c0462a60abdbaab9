//! The one-line agent install: `GET /install.sh` (Linux, POSIX sh) and
//! `GET /install.ps1` (Windows, PowerShell) are scripts with this
//! collector's URL (from the request's host), key fingerprint, certificate
//! hash and the agent binary's SHA-256 filled in; `GET /downloads/{name}`
//! hands out the binaries. Neither needs a login: they hold nothing
//! secret, and the scripts trust nothing they did not check — each
//! downloads over a connection pinned to this collector's key (curl's
//! `--pinnedpubkey`; PowerShell compares the certificate's SHA-256),
//! refuses a binary whose SHA-256 differs from the one it carries, then runs
//! `census-agent install` with the token it was given.
//!
//! The filling-in lives in [`sh`] and [`ps1`]; the templates beside them
//! (`install.sh`, `install.ps1`) are plain scripts a reviewer can read.
//! Binaries are looked up by [`candidates`] and kept in memory with their
//! hash until their size or time changes. This module does not build
//! binaries: the packages (`deploy/deb/build.sh`) or the operator put them
//! in place.

pub mod ps1;
pub mod sh;

use super::{AppState, Failure};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// The Linux agent (static musl build in the packages).
pub const AGENT_LINUX_X86_64: &str = "census-agent-linux-x86_64";
/// The Windows agent (`x86_64-pc-windows-gnu`).
pub const AGENT_WINDOWS_X86_64: &str = "census-agent-windows-x86_64.exe";
/// Every download this collector can offer.
pub const DOWNLOADS: [&str; 2] = [AGENT_LINUX_X86_64, AGENT_WINDOWS_X86_64];
/// Where the package puts the agent binaries it ships for downloads.
pub const PACKAGED_DOWNLOADS: &str = "/usr/lib/census-collector/downloads";

/// `/install.sh`, `/install.ps1` and `/downloads/{name}`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/install.sh", get(sh::handler))
        .route("/install.ps1", get(ps1::handler))
        .route("/downloads/{name}", get(download))
}

/// The places the download `name` is looked for, in order: only the
/// configured `downloads_dir` when set; else beside the collector's
/// executable (for the Linux agent also a sibling `census-agent`, as a
/// cargo build leaves it), then [`PACKAGED_DOWNLOADS`].
pub fn candidates(downloads_dir: Option<&Path>, name: &str) -> Vec<PathBuf> {
    if let Some(dir) = downloads_dir {
        return vec![dir.join(name)];
    }
    let mut out = Vec::new();
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        out.push(dir.join(name));
        if name == AGENT_LINUX_X86_64 {
            out.push(dir.join("census-agent"));
        }
    }
    out.push(Path::new(PACKAGED_DOWNLOADS).join(name));
    out
}

/// A binary in memory with its SHA-256.
pub struct Cached {
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
    bytes: Bytes,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
}

static CACHE: Mutex<Option<HashMap<&'static str, Arc<Cached>>>> = Mutex::new(None);

/// The binary `name` (one of [`DOWNLOADS`]) and its hash, or the refusal
/// naming where to put it.
pub async fn agent_binary(st: &AppState, name: &'static str) -> Result<Arc<Cached>, Failure> {
    let places = candidates(st.cfg.downloads_dir.as_deref(), name);
    let found = places.iter().find_map(|p| {
        let meta = std::fs::metadata(p).ok().filter(|m| m.is_file())?;
        Some((p.clone(), meta.len(), meta.modified().ok()))
    });
    let Some((path, len, modified)) = found else {
        let list: Vec<String> = places.iter().map(|p| p.display().to_string()).collect();
        let first = places
            .first()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        return Err(Failure::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!(
                "this collector has no agent binary {name} (looked at {}): put it at {first}, \
                 or set downloads_dir in the collector's configuration to a directory holding {name}",
                list.join(", ")
            ),
        ));
    };
    {
        let cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = cache.as_ref().and_then(|m| m.get(name))
            && c.path == path
            && c.len == len
            && c.modified == modified
        {
            return Ok(c.clone());
        }
    }
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| Failure::internal(format!("reading {}: {e}", path.display())))?;
    let cached = Arc::new(Cached {
        path,
        len: bytes.len() as u64,
        modified,
        sha256: sha256_hex(&bytes),
        bytes: Bytes::from(bytes),
    });
    CACHE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get_or_insert_with(HashMap::new)
        .insert(name, cached.clone());
    Ok(cached)
}

/// SHA-256, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    census_shared::pin::to_hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

/// `GET /downloads/{name}`.
async fn download(State(st): State<AppState>, UrlPath(name): UrlPath<String>) -> Response {
    let Some(&name) = DOWNLOADS.iter().find(|d| **d == name) else {
        return Failure::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!(
                "no download {name:?}: this collector offers {}",
                DOWNLOADS.join(", ")
            ),
        )
        .into_response();
    };
    let file = if name.ends_with(".exe") {
        "census-agent.exe"
    } else {
        "census-agent"
    };
    match agent_binary(&st, name).await {
        Ok(c) => (
            [
                (header::CONTENT_TYPE, "application/octet-stream".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file}\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            Body::from(c.bytes.clone()),
        )
            .into_response(),
        Err(f) => f.into_response(),
    }
}

/// The host the client asked for (`Host`, or HTTP/2's `:authority`), if it
/// is a plain host name or address with an optional port.
pub fn requested_host(req: &Request) -> Option<String> {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()))?;
    let ok = !host.is_empty()
        && host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    ok.then_some(host)
}

/// What every script is filled in with, read from the request and state.
pub struct Filled {
    /// `https://host:port`.
    pub url: String,
    /// The key (SPKI) fingerprint, hex: what `census-agent` pins.
    pub fingerprint: String,
    /// The raw fingerprint.
    pub raw: [u8; 32],
    /// SHA-256 of the whole certificate, hex (what PowerShell can check).
    pub cert_sha256: String,
    /// SHA-256 of the agent binary, hex (empty when there is none).
    pub sha256: String,
    /// Why there is no binary (empty when there is one).
    pub missing: String,
}

/// Fill in what a script for download `binary` needs, or the refusal.
/// `host` is [`requested_host`] of the request (a `Request` is not `Sync`,
/// so it is not held across the wait for the binary).
async fn fill(
    st: &AppState,
    host: Option<String>,
    script: &str,
    binary: &'static str,
) -> Result<Filled, Failure> {
    let Some(host) = host else {
        return Err(Failure::bad_request(format!(
            "the request names no usable host: fetch {script} by the collector's address, e.g. https://192.0.2.10:8443{script}"
        )));
    };
    let Some(raw) = census_shared::pin::parse_fingerprint(&st.fingerprint) else {
        return Err(Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "no_fingerprint",
            "this collector does not know its own key fingerprint, so it cannot write an install script that pins it",
        ));
    };
    let (sha256, missing) = match agent_binary(st, binary).await {
        Ok(c) => (c.sha256.clone(), String::new()),
        Err(f) => (String::new(), f.message().to_string()),
    };
    Ok(Filled {
        url: format!("https://{host}"),
        fingerprint: census_shared::pin::to_hex(&raw),
        raw,
        cert_sha256: st.cert_sha256.clone(),
        sha256,
        missing,
    })
}

/// A script as a response.
fn script_response(content_type: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_directory_is_the_only_place_looked_at() {
        let c = candidates(Some(Path::new("/srv/dl")), AGENT_LINUX_X86_64);
        assert_eq!(c, [PathBuf::from("/srv/dl/census-agent-linux-x86_64")]);
        let c = candidates(None, AGENT_LINUX_X86_64);
        assert_eq!(c.len(), 3);
        assert!(c[2].starts_with(PACKAGED_DOWNLOADS));
        let c = candidates(None, AGENT_WINDOWS_X86_64);
        assert_eq!(c.len(), 2);
        assert!(c[1].ends_with(AGENT_WINDOWS_X86_64));
    }
}
