//! The Windows agent under wine: cross-builds `census-agent.exe` for
//! `x86_64-pc-windows-gnu`, runs `collect` in a throw-away wine prefix whose
//! registry `tests/windows/run.sh` seeded with programs in the 64-bit view,
//! the 32-bit view and the user's hive, and checks the report. WMI answers
//! under wine are wine's own ("The Wine Project"), so hardware and OS are
//! checked for shape and non-emptiness; exact values are the unit tests' job
//! (recorded WMI and registry data in `agent/fixtures/windows/`), which
//! also run here, built for Windows, under wine.
//!
//! Needs `gcc-mingw-w64-x86-64`, `wine`, `wine64` and the Rust target
//! (tests/run.sh and .ci/run install them); without them it fails, never
//! skips. Runs only on Linux hosts.
#![cfg(target_os = "linux")]

use census_shared::HostReport;
use census_shared::report::SoftwareSource;
use std::path::PathBuf;
use std::process::Command;

const TARGET: &str = "x86_64-pc-windows-gnu";

/// Cross-build the agent and its unit tests; (agent, unit-test executable).
fn windows_exes() -> (PathBuf, PathBuf) {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../target"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let st = Command::new(cargo)
        .args(["build", "-p", "census-agent", "--target", TARGET])
        .current_dir(&manifest)
        .env("CARGO_TARGET_DIR", &target_dir)
        .status()
        .expect("run cargo");
    assert!(
        st.success(),
        "cross-build for {TARGET} failed (needs `rustup target add {TARGET}` and gcc-mingw-w64-x86-64)"
    );
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "test",
            "-p",
            "census-agent",
            "--lib",
            "--no-run",
            "--message-format=json",
        ])
        .args(["--target", TARGET])
        .current_dir(&manifest)
        .env("CARGO_TARGET_DIR", &target_dir)
        .output()
        .expect("run cargo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let unit = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find_map(|m| {
            (m["reason"] == "compiler-artifact" && m["profile"]["test"] == true)
                .then(|| m["executable"].as_str().map(PathBuf::from))
                .flatten()
        })
        .expect("the unit-test executable");
    (target_dir.join(TARGET).join("debug/census-agent.exe"), unit)
}

#[test]
fn agent_under_wine_reports_seeded_programs_and_wine_hardware() {
    let (exe, unit) = windows_exes();
    let work = tempfile::tempdir().unwrap();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/windows/run.sh");
    let out = Command::new("bash")
        .arg(&script)
        .arg(&exe)
        .arg(work.path())
        .arg(&unit)
        .output()
        .expect("run tests/windows/run.sh");
    let log = std::fs::read_to_string(work.path().join("agent.log")).unwrap_or_default();
    let unit_log = std::fs::read_to_string(work.path().join("unit.log")).unwrap_or_default();
    assert!(
        out.status.success(),
        "run.sh failed: {}\n{}\nagent log:\n{log}\nunit tests:\n{unit_log}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The agent's unit tests (the portable parsers, the WMI and registry
    // conversions) pass on Windows too.
    assert!(unit_log.contains("test result: ok."), "{unit_log}");
    assert!(!unit_log.contains(" 0 passed"), "{unit_log}");
    let text = std::fs::read_to_string(work.path().join("report.json")).unwrap();
    let r = HostReport::from_json(text.as_bytes()).expect("the report parses and validates");

    // The seeded programs, each with name, version and publisher.
    let find = |name: &str| {
        r.software
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name} missing from {:#?}", r.software))
    };
    for (name, version, publisher, arch) in [
        (
            "Census Wine App",
            "1.2.3",
            "Census Test Publisher 64",
            Some("x64"),
        ),
        (
            "Census Wine Legacy Tool",
            "4.5.6",
            "Census Test Publisher 32",
            Some("x86"),
        ),
        (
            "Census Wine User App",
            "7.8.9",
            "Census Test Publisher User",
            None,
        ),
    ] {
        let p = find(name);
        assert_eq!(p.version.as_deref(), Some(version), "{name}");
        assert_eq!(p.publisher.as_deref(), Some(publisher), "{name}");
        assert_eq!(p.arch.as_deref(), arch, "{name}");
        assert_eq!(p.source, SoftwareSource::Registry);
    }
    assert!(
        !r.software
            .iter()
            .any(|p| p.name.contains("Hidden Component")),
        "system components are left out"
    );
    let names: Vec<&str> = r.software.iter().map(|p| p.name.as_str()).collect();
    let mut dedup = names.clone();
    dedup.dedup();
    assert_eq!(names, dedup, "one entry per name and version");

    // OS and hardware: wine's own answers, so shape and non-emptiness.
    assert_eq!(r.os.family.as_deref(), Some("windows"));
    assert!(
        r.os.name.as_deref().is_some_and(|n| n.contains("Windows")),
        "{:?}",
        r.os
    );
    assert!(
        r.os.version
            .as_deref()
            .is_some_and(|v| v.split('.').count() >= 3)
    );
    assert!(r.os.build.is_some() && r.os.arch.is_some());
    assert!(r.host.hostname.as_deref().is_some_and(|h| !h.is_empty()));
    assert!(r.host.boot_time.is_some());
    let hw = &r.hardware;
    assert_eq!(hw.source.as_deref(), Some("wmi"));
    assert!(
        hw.manufacturer.as_deref().is_some_and(|m| !m.is_empty()),
        "{hw:?}"
    );
    assert!(hw.model.is_some() && hw.bios.vendor.is_some() && hw.bios.version.is_some());
    assert!(hw.uuid.as_deref().is_some_and(|u| u.len() == 36), "{hw:?}");
    assert!(
        r.cpu.model.is_some() && r.cpu.logical_cores.unwrap_or(0) >= 1,
        "{:?}",
        r.cpu
    );
    assert!(r.memory.total_bytes.unwrap_or(0) > 0);
    assert!(!r.storage.disks.is_empty(), "Win32_DiskDrive rows");
    assert!(
        r.storage
            .disks
            .iter()
            .all(|d| d.name.starts_with("PHYSICALDRIVE")),
        "{:?}",
        r.storage.disks
    );
    // GetAdaptersAddresses under wine lists the host's interfaces: a loopback at least.
    assert!(
        r.network
            .interfaces
            .iter()
            .any(|i| i.addresses.iter().any(|a| a.address.is_loopback())),
        "{:?}",
        r.network.interfaces
    );
    // Volumes from the volume API (Win32_LogicalDisk is empty under wine).
    let c = r
        .storage
        .volumes
        .iter()
        .find(|v| v.mount_point == "C:\\")
        .unwrap_or_else(|| panic!("no C:\\ in {:?}", r.storage.volumes));
    assert_eq!(c.device.as_deref(), Some("C:"));
    assert!(c.filesystem.is_some(), "{c:?}");
    let size = c.size_bytes.expect("C: size");
    assert!(size > 0 && c.free_bytes.is_some_and(|f| f <= size), "{c:?}");
    // Local accounts: wine's user, an administrator (found through the
    // group's well-known SID, S-1-5-32-544).
    assert!(
        r.users.accounts.iter().any(|a| a.admin),
        "{:?}",
        r.users.accounts
    );
    // The seeded update policy (AUOptions = 2: notify before downloading).
    let au = r
        .security
        .automatic_updates
        .as_ref()
        .expect("update settings");
    assert!(!au.enabled, "{au:?}");
    assert_eq!(au.mechanism.as_deref(), Some("Windows Update"));
    assert!(
        au.evidence
            .as_deref()
            .is_some_and(|e| e.contains("AUOptions = 2")),
        "{au:?}"
    );
    // Only what wine lacks may fail, each as a clean entry: Security
    // Center and BitLocker namespaces, the licensing query (wine's WMI
    // refuses it; a timeout would be such an entry too). The disk-kind
    // namespace's absence is silent; the core facets may not fail.
    for e in &r.collection_errors {
        let expected = e.facet == "security"
            || (e.facet == "system" && e.message.starts_with("activation state unknown"));
        assert!(expected, "unexpected collection error: {e:?}");
    }
    assert!(
        r.os.activation.is_some()
            || r.collection_errors
                .iter()
                .any(|e| e.message.starts_with("activation state unknown")),
        "activation is either known or said to be unknown"
    );
}
