//! The Windows one-line install from the collector's side: the PowerShell
//! line `serve` prints, `GET /install.ps1` and the Windows download, against
//! a collector on 127.0.0.1. The pins they carry are checked against what
//! the collector really presents (its certificate as curl received it) and
//! serves (the download's bytes). No PowerShell runs here (there is none
//! on Debian): the script is checked as text; the agent's own Windows
//! install is tested under wine in `agent/tests/windows.rs`.

use census_collector::api::install::sha256_hex;
use census_tests::{Collector, free_port, ok};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use std::process::Command;

fn curl(args: &[&str]) -> String {
    ok(Command::new("curl").args(args).output().unwrap())
}

/// A collector whose downloads directory holds `windows` as the Windows
/// agent (when given).
fn collector(dir: &std::path::Path, windows: Option<&[u8]>) -> (Collector, std::path::PathBuf) {
    let downloads = dir.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let exe = downloads.join("census-agent-windows-x86_64.exe");
    if let Some(bytes) = windows {
        std::fs::write(&exe, bytes).unwrap();
    }
    let c = Collector::start(
        &dir.join("collector"),
        free_port(),
        &format!("downloads_dir = {:?}\n", downloads.to_str().unwrap()),
    );
    (c, exe)
}

fn pin(c: &Collector) -> String {
    let raw = census_shared::pin::parse_fingerprint(&c.fingerprint).unwrap();
    format!("sha256//{}", census_shared::pin::base64_encode(&raw))
}

/// SHA-256 of the certificate the collector presents, upper-case hex as
/// Windows prints it.
fn presented_certificate_sha256(c: &Collector) -> String {
    let pem = curl(&[
        "-fsSk",
        "--pinnedpubkey",
        &pin(c),
        "-o",
        "/dev/null",
        "-w",
        "%{certs}",
        &format!("{}/install.ps1", c.url),
    ]);
    let der = CertificateDer::from_pem_slice(pem.as_bytes()).expect("curl printed the certificate");
    sha256_hex(&der).to_ascii_uppercase()
}

#[test]
fn the_powershell_line_and_script_pin_this_collectors_certificate_and_agent() {
    let dir = tempfile::tempdir().unwrap();
    // Stand-in bytes: what is checked is that the script's hash is the
    // served file's (the real Windows binary is built by agent/tests).
    let agent = b"MZ\x90\0 a stand-in for census-agent.exe".repeat(1000);
    let (c, _) = collector(dir.path(), Some(&agent));
    let cert = presented_certificate_sha256(&c);

    // The printed line: pins that certificate, fetches this collector's
    // script, passes the token; one line.
    let line = &c.windows_install_command;
    assert!(line.contains(&format!("-eq '{cert}'")), "{line}");
    assert!(
        line.contains(&format!("DownloadString('{}/install.ps1')", c.url)),
        "{line}"
    );
    assert!(line.ends_with(&format!("-Token '{}'", c.token)), "{line}");

    // The script carries URL, key fingerprint, certificate and binary hash.
    let script = curl(&[
        "-fsSk",
        "--pinnedpubkey",
        &pin(&c),
        &format!("{}/install.ps1", c.url),
    ]);
    let has = |l: &str| assert!(script.lines().any(|x| x == l), "missing {l:?} in\n{script}");
    has(&format!("$Collector = '{}'", c.url));
    has(&format!("$Fingerprint = '{}'", c.fingerprint));
    has(&format!("$CertSha256 = '{}'", cert.to_ascii_lowercase()));
    has(&format!("$Sha256 = '{}'", sha256_hex(&agent)));
    has("$Missing = ''");
    has("$Binary = 'census-agent-windows-x86_64.exe'");
    assert!(script.contains("Get-FileHash -Algorithm SHA256"));
    assert!(script.contains("& $exe @arguments"));

    // The download is those bytes, named for Windows.
    let path = dir.path().join("got.exe");
    let headers = curl(&[
        "-fsSk",
        "--pinnedpubkey",
        &pin(&c),
        "-D",
        "-",
        "-o",
        path.to_str().unwrap(),
        &format!("{}/downloads/census-agent-windows-x86_64.exe", c.url),
    ]);
    assert_eq!(std::fs::read(&path).unwrap(), agent);
    assert!(
        headers
            .to_ascii_lowercase()
            .contains("content-disposition: attachment; filename=\"census-agent.exe\""),
        "{headers}"
    );

    // A new binary in place: the next script carries its hash.
    let newer = b"MZ a newer build".to_vec();
    let exe = dir.path().join("downloads/census-agent-windows-x86_64.exe");
    std::fs::write(&exe, &newer).unwrap();
    let script = curl(&[
        "-fsSk",
        "--pinnedpubkey",
        &pin(&c),
        &format!("{}/install.ps1", c.url),
    ]);
    assert!(script.contains(&format!("$Sha256 = '{}'", sha256_hex(&newer))));
}

#[test]
fn without_a_windows_agent_the_script_stops_and_says_where_to_put_it() {
    let dir = tempfile::tempdir().unwrap();
    let (c, exe) = collector(dir.path(), None);
    let script = curl(&[
        "-fsSk",
        "--pinnedpubkey",
        &pin(&c),
        &format!("{}/install.ps1", c.url),
    ]);
    assert!(script.contains("$Sha256 = ''"), "{script}");
    let missing = script
        .lines()
        .find_map(|l| l.strip_prefix("$Missing = "))
        .unwrap();
    assert!(
        missing.contains(&format!(
            "no agent binary census-agent-windows-x86_64.exe (looked at {0}): put it at {0}",
            exe.display()
        )),
        "{missing}"
    );
    assert!(script.contains("if ($Missing) { Stop-Install $Missing }"));
    let o = Command::new("curl")
        .args([
            "-sk",
            "--pinnedpubkey",
            &pin(&c),
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
        ])
        .arg(format!(
            "{}/downloads/census-agent-windows-x86_64.exe",
            c.url
        ))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "404");
}
