//! `GET /install.ps1`: the Windows install script (template `install.ps1`
//! beside this file), every value single-quoted for PowerShell, and
//! [`one_line`], the command people paste into an elevated PowerShell.
//! Windows PowerShell 5.1 cannot pin a key the way curl does, so the
//! script and the line pin the certificate itself (its SHA-256, which never
//! changes: the collector makes its self-signed certificate once); the agent
//! it installs then pins the key fingerprint as on Linux. Nothing here runs
//! PowerShell: the script is text, executed only on the Windows machine.

use super::{AGENT_WINDOWS_X86_64, AppState, fill, requested_host, script_response};
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};

const TEMPLATE: &str = include_str!("install.ps1");

/// `GET /install.ps1`.
pub async fn handler(State(st): State<AppState>, req: Request) -> Response {
    match fill(
        &st,
        requested_host(&req),
        "/install.ps1",
        AGENT_WINDOWS_X86_64,
    )
    .await
    {
        Ok(f) => {
            let body = script(&Script {
                url: &f.url,
                fingerprint: &f.fingerprint,
                cert_sha256: &f.cert_sha256,
                sha256: &f.sha256,
                missing: &f.missing,
            });
            script_response("text/plain; charset=utf-8", body)
        }
        Err(f) => f.into_response(),
    }
}

/// What the script is filled in with.
pub struct Script<'a> {
    /// `https://host:port`.
    pub url: &'a str,
    /// The key fingerprint, hex (for `census-agent install`).
    pub fingerprint: &'a str,
    /// SHA-256 of the collector's certificate, hex.
    pub cert_sha256: &'a str,
    /// SHA-256 of the agent binary, hex (empty when there is none).
    pub sha256: &'a str,
    /// Why there is no binary (empty when there is one).
    pub missing: &'a str,
}

/// Quote text as a PowerShell single-quoted string. PowerShell also ends
/// such a string at the typographic single quotes (U+2018–U+201B), so each
/// of those is doubled like `'`.
pub fn ps_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// The install script.
pub fn script(s: &Script) -> String {
    TEMPLATE
        .replace("@URL@", &ps_quote(s.url))
        .replace("@FINGERPRINT@", &ps_quote(s.fingerprint))
        .replace("@CERT_SHA256@", &ps_quote(s.cert_sha256))
        .replace("@SHA256@", &ps_quote(s.sha256))
        .replace("@MISSING@", &ps_quote(s.missing))
        .replace("@BINARY@", AGENT_WINDOWS_X86_64)
}

/// The one line for an elevated Windows PowerShell: pin the certificate,
/// fetch `/install.ps1`, run it with the token.
pub fn one_line(url: &str, cert_sha256: &str, token: &str) -> String {
    format!(
        "[Net.ServicePointManager]::SecurityProtocol='Tls12'; \
         [Net.ServicePointManager]::ServerCertificateValidationCallback={{param($s,$c) \
         [BitConverter]::ToString([Security.Cryptography.SHA256]::Create().ComputeHash($c.GetRawCertData())).Replace('-','') -eq {}}}; \
         & ([scriptblock]::Create((New-Object Net.WebClient).DownloadString({}))) -Token {}",
        ps_quote(&cert_sha256.to_ascii_uppercase()),
        ps_quote(&format!("{url}/install.ps1")),
        ps_quote(token),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_for_powershell() {
        assert_eq!(ps_quote("it's"), "'it''s'");
        assert_eq!(ps_quote("a\u{2019}b"), "'a\u{2019}\u{2019}b'");
        let s = script(&Script {
            url: "https://192.0.2.1:8443",
            fingerprint: &"ab".repeat(32),
            cert_sha256: &"CD".repeat(32),
            sha256: "",
            missing: "it's not there",
        });
        assert!(s.contains("\n$Collector = 'https://192.0.2.1:8443'\n"));
        assert!(s.contains(&format!("\n$CertSha256 = '{}'\n", "CD".repeat(32))));
        assert!(s.contains("$Missing = 'it''s not there'"));
        assert!(s.contains("$Binary = 'census-agent-windows-x86_64.exe'"));
        for p in [
            "@URL@",
            "@FINGERPRINT@",
            "@CERT_SHA256@",
            "@SHA256@",
            "@MISSING@",
            "@BINARY@",
        ] {
            assert!(!s.contains(p), "{p} is filled");
        }
    }

    #[test]
    fn the_one_line_pins_the_certificate_and_passes_the_token() {
        let line = one_line("https://192.0.2.1:8443", &"cd".repeat(32), "cen_x'y");
        assert!(line.contains(&format!("-eq '{}'", "CD".repeat(32))));
        assert!(line.contains("DownloadString('https://192.0.2.1:8443/install.ps1')"));
        assert!(line.ends_with("-Token 'cen_x''y'"));
        assert!(!line.contains('\n'));
    }
}
