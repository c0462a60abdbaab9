//! The packages and the static agent: the `.deb`s built by
//! `deploy/deb/build.sh`, installed, removed and purged on this machine with
//! dpkg (as root; it says so and cleans up), and the agent built for
//! `x86_64-unknown-linux-musl` (no libc needed, the same reports).

use census_tests::install_helpers::*;
use census_tests::{Collector, bin, free_port, ok, workspace};
use std::path::Path;
use std::process::{Command, Output};

/// Purges the packages and deletes the users this test created, however
/// it ends.
struct Packages {
    users_created: Vec<&'static str>,
}

impl Drop for Packages {
    fn drop(&mut self) {
        let _ = Command::new("dpkg")
            .args(["--purge", "census-agent", "census-collector"])
            .output();
        for u in &self.users_created {
            let _ = Command::new("userdel").arg(u).output();
        }
    }
}

fn user_exists(name: &str) -> bool {
    Command::new("getent")
        .args(["passwd", name])
        .output()
        .unwrap()
        .status
        .success()
}

fn owner(path: &Path) -> String {
    ok(Command::new("stat")
        .args(["-c", "%U:%G"])
        .arg(path)
        .output()
        .unwrap())
    .trim()
    .to_string()
}

fn dpkg(args: &[&str]) -> String {
    combined_ok(Command::new("dpkg").args(args).output().unwrap())
}

fn combined_ok(o: Output) -> String {
    let text = combined(&o);
    assert!(o.status.success(), "{text}");
    text
}

/// CHANGES THIS MACHINE (root only): installs, removes and purges the
/// census-agent and census-collector packages with dpkg, runs a live
/// `census-agent install` into / against a loopback collector, and cleans
/// up after itself (purge, and the users it created). Skipped, saying why,
/// when not root or when Census is installed here already.
#[test]
fn debs_install_keep_data_on_remove_and_delete_it_on_purge() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: installing packages needs root");
        return;
    }
    for p in [
        "/etc/census",
        "/var/lib/census-agent",
        "/var/lib/census-collector",
        "/usr/bin/census-agent",
        "/usr/bin/census-collector",
    ] {
        if Path::new(p).exists() {
            eprintln!("skipped: {p} exists, Census is installed on this machine");
            return;
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("debs");
    // A stand-in for the cross-built Windows agent: the package must carry
    // these bytes for /install.ps1.
    let windows = dir.path().join("census-agent.exe");
    std::fs::write(&windows, b"MZ stand-in for the Windows agent").unwrap();
    let built = combined_ok(
        Command::new(workspace().join("deploy/deb/build.sh"))
            .arg("--agent")
            .arg(bin("census-agent"))
            .arg("--collector")
            .arg(bin("census-collector"))
            .arg("--windows-agent")
            .arg(&windows)
            .arg("--out")
            .arg(&out)
            .arg("--fast")
            .output()
            .unwrap(),
    );
    let version = env!("CARGO_PKG_VERSION");
    let arch = ok(Command::new("dpkg")
        .arg("--print-architecture")
        .output()
        .unwrap());
    let agent_deb = out.join(format!("census-agent_{version}_{}.deb", arch.trim()));
    let collector_deb = out.join(format!("census-collector_{version}_{}.deb", arch.trim()));
    assert!(agent_deb.is_file() && collector_deb.is_file(), "{built}");
    let _cleanup = Packages {
        users_created: ["census-agent", "census-collector"]
            .into_iter()
            .filter(|u| !user_exists(u))
            .collect(),
    };

    // The agent package: binary, user, state directory.
    let said = dpkg(&["--install", agent_deb.to_str().unwrap()]);
    assert!(
        said.contains("census-agent install --collector URL"),
        "{said}"
    );
    assert_eq!(mode(Path::new("/usr/bin/census-agent")), 0o755);
    let pw = ok(Command::new("getent")
        .args(["passwd", "census-agent"])
        .output()
        .unwrap());
    let f: Vec<&str> = pw.trim().split(':').collect();
    assert!(f[2].parse::<u32>().unwrap() < 1000, "a system user: {pw}");
    assert_eq!((f[5], f[6]), ("/var/lib/census-agent", "/usr/sbin/nologin"));
    let state = Path::new("/var/lib/census-agent");
    assert_eq!(mode(state), 0o700);
    assert_eq!(owner(state), "census-agent:census-agent");

    // Enrolled and installed as a service on this machine, with the
    // packaged binary (no systemd runs here: written and enabled).
    let c = Collector::start(&dir.path().join("collector"), free_port(), "");
    let said = combined_ok(
        Command::new("/usr/bin/census-agent")
            .args(["install", "--collector", &c.url, "--token", &c.token])
            .args(["--fingerprint", &c.fingerprint])
            .output()
            .unwrap(),
    );
    let unit = Path::new("/etc/systemd/system/census-agent.service");
    let link = Path::new("/etc/systemd/system/multi-user.target.wants/census-agent.service");
    if Path::new("/run/systemd/system").is_dir() {
        assert!(said.contains("the agent runs now"), "{said}");
    } else {
        assert!(
            said.contains("systemd is not running on this machine"),
            "{said}"
        );
        assert!(link.symlink_metadata().is_ok());
    }
    assert!(
        std::fs::read_to_string(unit)
            .unwrap()
            .contains("\nExecStart=/usr/bin/census-agent --config /etc/census/agent.toml run\n")
    );
    assert!(!Path::new("/usr/local/bin/census-agent").exists());
    let config = Path::new("/etc/census/agent.toml");
    assert_eq!(mode(config), 0o600);
    assert_eq!(c.agents().len(), 1);
    std::fs::write(state.join("state.json"), "{}").unwrap();

    // Remove: service and binary go, configuration and state stay.
    dpkg(&["--remove", "census-agent"]);
    assert!(!Path::new("/usr/bin/census-agent").exists());
    assert!(unit.symlink_metadata().is_err() && link.symlink_metadata().is_err());
    assert!(state.join("state.json").is_file(), "remove keeps the state");
    assert!(config.is_file(), "remove keeps the configuration");
    // Purge: they go too.
    dpkg(&["--purge", "census-agent"]);
    assert!(!state.exists() && !config.exists());
    assert!(!Path::new("/etc/census").exists());
    assert!(!Path::new("/etc/sysusers.d/census-agent.conf").exists());

    // The collector package: binary, the agent it hands out, unit, config.
    dpkg(&["--install", collector_deb.to_str().unwrap()]);
    assert_eq!(mode(Path::new("/usr/bin/census-collector")), 0o755);
    let served = Path::new("/usr/lib/census-collector/downloads/census-agent-linux-x86_64");
    let v = ok(Command::new(served).arg("--version").output().unwrap());
    assert!(v.starts_with("census-agent "), "{v}");
    let exe = Path::new("/usr/lib/census-collector/downloads/census-agent-windows-x86_64.exe");
    assert_eq!(
        std::fs::read(exe).unwrap(),
        std::fs::read(&windows).unwrap()
    );
    assert_eq!(mode(exe), 0o644);
    let unit = Path::new("/lib/systemd/system/census-collector.service");
    assert_eq!(
        std::fs::read_to_string(unit).unwrap(),
        std::fs::read_to_string(workspace().join("deploy/systemd/census-collector.service"))
            .unwrap()
    );
    let config = Path::new("/etc/census/collector.toml");
    assert_eq!(
        std::fs::read_to_string(config).unwrap(),
        std::fs::read_to_string(workspace().join("deploy/collector.toml")).unwrap()
    );
    assert_eq!(mode(config), 0o600);
    assert_eq!(owner(config), "census-collector:census-collector");
    assert_eq!(mode(Path::new("/etc/census")), 0o1775);
    assert_eq!(owner(Path::new("/etc/census")), "root:census-collector");
    let data = Path::new("/var/lib/census-collector");
    assert_eq!(mode(data), 0o700);
    assert_eq!(owner(data), "census-collector:census-collector");
    assert!(user_exists("census-collector"));
    // systemd accepts the installed unit as it is on this machine.
    let o = Command::new("systemd-analyze")
        .args(["verify", "census-collector.service"])
        .output()
        .unwrap();
    assert!(
        o.status.success() && o.stderr.is_empty(),
        "{}",
        combined(&o)
    );
    // The service user can use what the package set up: its configuration,
    // a database in its data directory, a site file beside the config.
    let listed = combined_ok(
        Command::new("runuser")
            .args(["-u", "census-collector", "--"])
            .args(["/usr/bin/census-collector", "agents", "list", "--json"])
            .output()
            .unwrap(),
    );
    assert!(listed.trim_end().ends_with("[]"), "{listed}");
    assert!(data.join("census.db").is_file());
    combined_ok(
        Command::new("runuser")
            .args([
                "-u",
                "census-collector",
                "--",
                "touch",
                "/etc/census/site.toml",
            ])
            .output()
            .unwrap(),
    );

    // Remove keeps the database and the configuration; purge deletes them.
    dpkg(&["--remove", "census-collector"]);
    assert!(!Path::new("/usr/bin/census-collector").exists());
    assert!(
        data.join("census.db").is_file(),
        "remove keeps the database"
    );
    assert!(config.is_file(), "remove keeps the configuration");
    dpkg(&["--purge", "census-collector"]);
    assert!(!data.exists() && !config.exists());
    assert!(!Path::new("/etc/census").exists());
    assert!(
        Path::new("/etc/systemd/system/multi-user.target.wants/census-collector.service")
            .symlink_metadata()
            .is_err()
    );
}

const MUSL: &str = "x86_64-unknown-linux-musl";

/// Build the agent for musl (static); its path.
fn musl_agent() -> std::path::PathBuf {
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let st = Command::new(cargo)
        .args(["build", "-p", "census-agent", "--target", MUSL])
        .current_dir(workspace())
        .env("CARGO_TARGET_DIR", &target_dir)
        .status()
        .expect("run cargo");
    assert!(
        st.success(),
        "the build for {MUSL} failed (needs `rustup target add {MUSL}` and the Debian package musl-tools; tests/run.sh installs both)"
    );
    target_dir.join(MUSL).join("debug/census-agent")
}

/// The program headers of a 64-bit little-endian ELF file: their types.
fn elf_segment_types(bytes: &[u8]) -> Vec<u32> {
    assert_eq!(&bytes[..4], b"\x7fELF", "not an ELF file");
    assert_eq!((bytes[4], bytes[5]), (2, 1), "not 64-bit little-endian");
    let u16_at = |o: usize| u16::from_le_bytes([bytes[o], bytes[o + 1]]) as usize;
    let phoff = u64::from_le_bytes(bytes[32..40].try_into().unwrap()) as usize;
    let (size, count) = (u16_at(54), u16_at(56));
    (0..count)
        .map(|i| {
            let o = phoff + i * size;
            u32::from_le_bytes(bytes[o..o + 4].try_into().unwrap())
        })
        .collect()
}

/// A report without what changes from run to run.
fn stable(report: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(report).unwrap();
    for k in ["report_id", "collected_at", "collection_duration_ms"] {
        v.as_object_mut().unwrap().remove(k);
    }
    v
}

#[test]
fn the_static_musl_agent_needs_no_libc_and_reports_like_the_glibc_one() {
    let musl = musl_agent();
    // No program interpreter: nothing of the distribution is loaded.
    const PT_INTERP: u32 = 3;
    let types = elf_segment_types(&std::fs::read(&musl).unwrap());
    assert!(
        !types.is_empty() && !types.contains(&PT_INTERP),
        "{types:?}"
    );
    // The same report as the glibc build from every recorded machine.
    for host in ["debian12-container", "alpine319-container", "rhel9-server"] {
        let root = census_tests::fixture(host);
        let run = |b: &Path| {
            ok(Command::new(b)
                .args(["collect", "--root", root.to_str().unwrap()])
                .output()
                .unwrap())
        };
        assert_eq!(
            stable(&run(&musl)),
            stable(&run(&bin("census-agent"))),
            "{host}"
        );
    }
    // It enrols over TLS with the key pinned and delivers.
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(&dir.path().join("collector"), free_port(), "");
    let config = dir.path().join("agent.toml");
    let state = dir.path().join("state");
    ok(Command::new(&musl)
        .args(["--config", config.to_str().unwrap(), "enroll"])
        .args(["--collector", &c.url, "--token", &c.token])
        .args(["--fingerprint", &c.fingerprint])
        .args(["--state-dir", state.to_str().unwrap()])
        .output()
        .unwrap());
    let o = Command::new(&musl)
        .args(["--config", config.to_str().unwrap(), "run", "--once"])
        .output()
        .unwrap();
    assert!(
        o.status.success() && combined(&o).contains("delivered 1"),
        "{}",
        combined(&o)
    );
    assert_eq!(c.agents()[0]["reports_received"], 1);
}
