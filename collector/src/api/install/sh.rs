//! `GET /install.sh`: the Linux install script (template `install.sh`
//! beside this file), every value single-quoted for a POSIX shell. The
//! script pins curl to the collector's key (`--pinnedpubkey sha256//…`),
//! checks the binary's SHA-256 and runs `census-agent install`; it does
//! not install anything itself.

use super::{AGENT_LINUX_X86_64, AppState, fill, requested_host, script_response};
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};

const TEMPLATE: &str = include_str!("install.sh");

/// `GET /install.sh`.
pub async fn handler(State(st): State<AppState>, req: Request) -> Response {
    match fill(&st, requested_host(&req), "/install.sh", AGENT_LINUX_X86_64).await {
        Ok(f) => {
            let pin = format!("sha256//{}", census_shared::pin::base64_encode(&f.raw));
            let body = script(&Script {
                url: &f.url,
                fingerprint: &f.fingerprint,
                pin: &pin,
                sha256: &f.sha256,
                missing: &f.missing,
            });
            script_response("text/x-shellscript; charset=utf-8", body)
        }
        Err(f) => f.into_response(),
    }
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
}
