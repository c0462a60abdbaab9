//! The one-line agent install: `GET /install.sh` is a POSIX shell script
//! with this collector's URL (from the request's host), key fingerprint
//! and the agent binary's SHA-256 filled in; `GET /downloads/{name}` hands
//! out that binary. Neither needs a login: they hold nothing secret, and
//! the script trusts nothing it did not check — it downloads with the same
//! curl key pin it was fetched with and refuses a binary whose SHA-256
//! differs from the one it carries, then runs `census-agent install` with
//! the token given as `sh -s -- --token TOKEN`.
//!
//! The binary is looked up in the configuration's `downloads_dir` only,
//! when set; else beside the collector's executable (the sibling
//! `census-agent` too, as the packages install them), then in
//! `/usr/lib/census-collector/downloads`. It is read once into memory
//! (with its hash) and read again only when its size or time changes.

use super::{AppState, Failure};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// The one platform there is an agent binary for today.
pub const AGENT_LINUX_X86_64: &str = "census-agent-linux-x86_64";
/// Where the package puts the agent binary it ships for downloads.
pub const PACKAGED_DOWNLOADS: &str = "/usr/lib/census-collector/downloads";

/// `/install.sh` and `/downloads/{name}`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/install.sh", get(install_sh))
        .route("/downloads/{name}", get(download))
}

/// The places the agent binary is looked for, in order.
pub fn candidates(downloads_dir: Option<&Path>) -> Vec<PathBuf> {
    if let Some(dir) = downloads_dir {
        return vec![dir.join(AGENT_LINUX_X86_64)];
    }
    let mut out = Vec::new();
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        out.push(dir.join(AGENT_LINUX_X86_64));
        out.push(dir.join("census-agent"));
    }
    out.push(Path::new(PACKAGED_DOWNLOADS).join(AGENT_LINUX_X86_64));
    out
}

/// A binary in memory with its SHA-256.
struct Cached {
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
    bytes: Bytes,
    sha256: String,
}

static CACHE: Mutex<Option<Arc<Cached>>> = Mutex::new(None);

/// The agent binary and its hash, or the refusal naming where to put it.
async fn agent_binary(st: &AppState) -> Result<Arc<Cached>, Failure> {
    let places = candidates(st.cfg.downloads_dir.as_deref());
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
                "this collector has no agent binary for linux-x86_64 (looked at {}): put the \
                 census-agent binary at {first}, or set downloads_dir in the collector's \
                 configuration to a directory holding {AGENT_LINUX_X86_64}",
                list.join(", ")
            ),
        ));
    };
    if let Some(c) = CACHE.lock().unwrap_or_else(|p| p.into_inner()).as_ref()
        && c.path == path
        && c.len == len
        && c.modified == modified
    {
        return Ok(c.clone());
    }
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| Failure::internal(format!("reading {}: {e}", path.display())))?;
    let digest =
        census_shared::pin::to_hex(ring::digest::digest(&ring::digest::SHA256, &bytes).as_ref());
    let cached = Arc::new(Cached {
        path,
        len: bytes.len() as u64,
        modified,
        bytes: Bytes::from(bytes),
        sha256: digest,
    });
    *CACHE.lock().unwrap_or_else(|p| p.into_inner()) = Some(cached.clone());
    Ok(cached)
}

/// `GET /downloads/{name}`.
async fn download(State(st): State<AppState>, UrlPath(name): UrlPath<String>) -> Response {
    if name != AGENT_LINUX_X86_64 {
        return Failure::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no download {name:?}: this collector offers {AGENT_LINUX_X86_64}"),
        )
        .into_response();
    }
    match agent_binary(&st).await {
        Ok(c) => (
            [
                (header::CONTENT_TYPE, "application/octet-stream".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"census-agent\"".to_string(),
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
fn requested_host(req: &Request) -> Option<String> {
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

/// `GET /install.sh`.
async fn install_sh(State(st): State<AppState>, req: Request) -> Response {
    let Some(host) = requested_host(&req) else {
        return Failure::bad_request(
            "the request names no usable host: fetch /install.sh by the collector's address, e.g. https://192.0.2.10:8443/install.sh",
        )
        .into_response();
    };
    let Some(raw) = census_shared::pin::parse_fingerprint(&st.fingerprint) else {
        return Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "no_fingerprint",
            "this collector does not know its own key fingerprint, so it cannot write an install script that pins it",
        )
        .into_response();
    };
    let pin = format!("sha256//{}", census_shared::pin::base64_encode(&raw));
    let (sha256, missing) = match agent_binary(&st).await {
        Ok(c) => (c.sha256.clone(), String::new()),
        Err(f) => (String::new(), f.message().to_string()),
    };
    let script = script(&Script {
        url: &format!("https://{host}"),
        fingerprint: &census_shared::pin::to_hex(&raw),
        pin: &pin,
        sha256: &sha256,
        missing: &missing,
    });
    (
        [
            (header::CONTENT_TYPE, "text/x-shellscript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        script,
    )
        .into_response()
}

/// What the script is filled in with.
pub struct Script<'a> {
    /// `https://host:port`.
    pub url: &'a str,
    /// The key fingerprint, hex.
    pub fingerprint: &'a str,
    /// curl's `sha256//BASE64` pin.
    pub pin: &'a str,
    /// SHA-256 of the agent binary, hex (empty when there is none).
    pub sha256: &'a str,
    /// Why there is no binary (empty when there is one).
    pub missing: &'a str,
}

/// Quote text for a POSIX shell: single quotes, `'` as `'\''`.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The install script.
pub fn script(s: &Script) -> String {
    TEMPLATE
        .replace("@URL@", &sh_quote(s.url))
        .replace("@FINGERPRINT@", &sh_quote(s.fingerprint))
        .replace("@PIN@", &sh_quote(s.pin))
        .replace("@SHA256@", &sh_quote(s.sha256))
        .replace("@MISSING@", &sh_quote(s.missing))
        .replace("@BINARY@", AGENT_LINUX_X86_64)
}

const TEMPLATE: &str = r#"#!/bin/sh
# Census agent installer, written by the collector for this collector.
#
#   curl -fsSk --pinnedpubkey "$PIN" "$COLLECTOR/install.sh" | sudo sh -s -- --token TOKEN
#
# Downloads the agent from the same collector with the same key pin,
# refuses it unless its SHA-256 is the one below, and runs
# `census-agent install` with this collector's URL and key fingerprint.
# Other arguments go to `census-agent install` (--interval 6h, --root DIR,
# --dry-run). The token may also come from the CENSUS_TOKEN variable.
set -eu

COLLECTOR=@URL@
FINGERPRINT=@FINGERPRINT@
PIN=@PIN@
SHA256=@SHA256@
MISSING=@MISSING@

die() {
    echo "census install: $*" >&2
    exit 1
}

TOKEN=${CENSUS_TOKEN:-}
n=$#
while [ "$n" -gt 0 ]; do
    case $1 in
        --token)
            [ "$n" -ge 2 ] || die "--token needs a value"
            TOKEN=$2
            shift 2
            n=$((n - 2))
            continue
            ;;
        --token=*) TOKEN=${1#--token=} ;;
        *) set -- "$@" "$1" ;;
    esac
    shift
    n=$((n - 1))
done

[ -n "$TOKEN" ] || die "no enrolment token: run it as ... | sudo sh -s -- --token TOKEN (census-collector token create prints one)"
[ -z "$MISSING" ] || die "$MISSING"
[ "$(uname -s)" = Linux ] || die "this script installs the Linux agent; this is $(uname -s)"
case $(uname -m) in
    x86_64 | amd64) ;;
    *) die "there is no agent for $(uname -m) yet, only for x86_64" ;;
esac
command -v curl >/dev/null 2>&1 || die "curl is missing: install it (apt install curl) and run this again"
if command -v sha256sum >/dev/null 2>&1; then
    sum() { sha256sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
    sum() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
else
    die "sha256sum is missing (package coreutils): the download cannot be checked"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/census-install.XXXXXX") || die "cannot create a temporary directory"
trap 'rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM
echo "census install: downloading the agent from $COLLECTOR" >&2
curl -fsS --insecure --pinnedpubkey "$PIN" -o "$dir/census-agent" "$COLLECTOR/downloads/@BINARY@" ||
    die "downloading $COLLECTOR/downloads/@BINARY@ failed (the collector must present the key $PIN)"
got=$(sum "$dir/census-agent")
[ "$got" = "$SHA256" ] || die "the downloaded agent's SHA-256 is $got, not $SHA256: not installing it"
chmod 0755 "$dir/census-agent"
status=0
CENSUS_TOKEN=$TOKEN "$dir/census-agent" install --collector "$COLLECTOR" --fingerprint "$FINGERPRINT" "$@" || status=$?
if [ "$status" -eq 126 ]; then
    die "cannot run $dir/census-agent (is ${TMPDIR:-/tmp} mounted noexec? set TMPDIR to another directory)"
fi
exit "$status"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_for_the_shell() {
        assert_eq!(sh_quote("a'b"), r"'a'\''b'");
        let s = script(&Script {
            url: "https://192.0.2.1:8443",
            fingerprint: &"ab".repeat(32),
            pin: "sha256//q0=",
            sha256: "",
            missing: "it's not there",
        });
        assert!(s.starts_with("#!/bin/sh\n"));
        assert!(s.contains("\nCOLLECTOR='https://192.0.2.1:8443'\n"));
        assert!(s.contains("\nPIN='sha256//q0='\n"));
        assert!(s.contains(r"MISSING='it'\''s not there'"));
        assert!(s.contains("/downloads/census-agent-linux-x86_64"));
        for p in [
            "@URL@",
            "@FINGERPRINT@",
            "@PIN@",
            "@SHA256@",
            "@MISSING@",
            "@BINARY@",
        ] {
            assert!(!s.contains(p), "{p} is filled");
        }
    }

    #[test]
    fn a_configured_directory_is_the_only_place_looked_at() {
        let c = candidates(Some(Path::new("/srv/dl")));
        assert_eq!(c, [PathBuf::from("/srv/dl/census-agent-linux-x86_64")]);
        let c = candidates(None);
        assert_eq!(c.len(), 3);
        assert!(c[2].starts_with(PACKAGED_DOWNLOADS));
    }
}
