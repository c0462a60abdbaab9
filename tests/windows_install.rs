//! `census-agent install` and `uninstall` on Windows, under wine: the agent
//! cross-built for `x86_64-pc-windows-gnu` (by cargo, from here) installs
//! itself in a throw-away wine prefix (`agent/tests/windows/prefix.sh`)
//! against a Linux collector on 127.0.0.1. wine has a service control
//! manager, so the service is really registered (its registry key under
//! `HKLM\System\CurrentControlSet\Services\census-agent`), really started
//! by it, and its report reaches the collector; uninstall stops it through
//! the SCM (the service logs its clean stop), deletes it and the binary,
//! and `--purge` the data; `enroll` alone writes the same configuration.
//! What wine cannot show: delayed start and
//! restart-after-error-exit (its SCM refuses those settings, which install
//! says and tolerates), and the ACLs (wine accepts them but reads back ones
//! made from the Unix mode; `install::windows_scm`'s unit test checks the
//! SDDL on Windows itself).
//!
//! Needs `gcc-mingw-w64-x86-64`, `wine`, `wine64` and the Rust target
//! (tests/run.sh installs them); without them it fails, never skips.
#![cfg(target_os = "linux")]

use census_tests::{Collector, free_port};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const TARGET: &str = "x86_64-pc-windows-gnu";
const SERVICE_KEY: &str = r"HKLM\System\CurrentControlSet\Services\census-agent";

fn agent_exe() -> PathBuf {
    let ws = census_tests::workspace();
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| ws.join("target"));
    let st = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "-p", "census-agent", "--target", TARGET])
        .current_dir(&ws)
        .env("CARGO_TARGET_DIR", &target_dir)
        .status()
        .expect("run cargo");
    assert!(st.success(), "cross-build for {TARGET} failed");
    target_dir.join(TARGET).join("debug/census-agent.exe")
}

/// A wine prefix kept alive (wine ends the service manager and its
/// services when the last ordinary program exits) and stopped on drop.
struct Prefix {
    work: PathBuf,
    keepalive: Option<Child>,
}

impl Prefix {
    fn new(work: &Path) -> Prefix {
        let mut p = Prefix {
            work: work.into(),
            keepalive: None,
        };
        let script = census_tests::workspace().join("agent/tests/windows/prefix.sh");
        let out = p.cmd("bash").arg(&script).arg(work).output().unwrap();
        assert!(out.status.success(), "prefix.sh: {out:?}");
        // `cmd` waiting on an open pipe keeps the prefix's services running.
        p.keepalive = Some(
            p.cmd("wine")
                .arg("cmd")
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        // The session's first programs (wineserver, the service manager)
        // inherit the output of whichever command starts them; they must
        // not hold a later command's pipes open, so start them here with
        // none.
        let st = p
            .cmd("timeout")
            .args(["120", "wine", "cmd", "/c", "exit"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(st.success(), "wine cmd /c exit: {st}");
        p
    }

    fn cmd(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.current_dir(&self.work)
            .env("WINEPREFIX", self.work.join("prefix"))
            .env("WINEDEBUG", "-all")
            .env("DISPLAY", "")
            .env("WAYLAND_DISPLAY", "")
            .env("WINEDLLOVERRIDES", "bcryptprimitives=n,b;mscoree=;mshtml=")
            .env("RUST_BACKTRACE", "0")
            .env_remove("CENSUS_TOKEN");
        c
    }

    fn wine(&self, args: &[&str]) -> Output {
        self.cmd("timeout")
            .arg("240")
            .arg("wine")
            .args(args)
            .output()
            .unwrap()
    }

    /// A path on the prefix's C: drive.
    fn c(&self, path: &str) -> PathBuf {
        self.work.join("prefix/drive_c").join(path)
    }

    fn service_key(&self) -> Option<String> {
        let out = self.wine(&["reg", "query", SERVICE_KEY]);
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn service_state(&self) -> String {
        let out = self.wine(&["sc", "query", "census-agent"]);
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find(|l| l.trim_start().starts_with("STATE"))
            .map(|l| l.split_whitespace().last().unwrap_or("").to_string())
            .unwrap_or_default()
    }
}

impl Drop for Prefix {
    fn drop(&mut self) {
        if let Some(mut k) = self.keepalive.take() {
            let _ = k.kill();
            let _ = k.wait();
        }
        let _ = self.cmd("wineserver").arg("-k").status();
    }
}

fn text(out: &Output) -> String {
    format!(
        "status {}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn install_registers_and_starts_a_reporting_service_and_uninstall_removes_it() {
    let exe = agent_exe();
    let work = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let collector = Collector::start(data.path(), free_port(), "");
    std::fs::copy(&exe, work.path().join("census-agent.exe")).unwrap();
    let prefix = Prefix::new(work.path());
    let install = |extra: &[&str]| {
        let mut args = vec![
            "./census-agent.exe",
            "--log",
            "warn",
            "install",
            "--collector",
            &collector.url,
            "--token",
            &collector.token,
            "--fingerprint",
            &collector.fingerprint,
            "--interval",
            "1h",
        ];
        args.extend_from_slice(extra);
        prefix.wine(&args)
    };

    // A dry run says every step and does none.
    let dry = install(&["--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry));
    let said = String::from_utf8_lossy(&dry.stdout);
    for step in [
        r"would enrol with the collector https://127.0.0.1:",
        r"would limit C:\ProgramData\Census to SYSTEM and Administrators",
        r"would write C:\ProgramData\Census\agent.toml",
        r"to C:\Program Files\Census\census-agent.exe",
        r#"would register the Windows service census-agent ("C:\Program Files\Census\census-agent.exe" --config C:\ProgramData\Census\agent.toml service"#,
        "would start the service census-agent",
    ] {
        assert!(said.contains(step), "{step} in\n{said}");
    }
    assert_eq!(prefix.service_key(), None, "a dry run registers nothing");
    assert!(!prefix.c("ProgramData/Census").exists());
    assert!(collector.agents().is_empty(), "a dry run does not enrol");

    // The install: enrolled, files in place, the service registered, running
    // and reporting.
    let out = install(&[]);
    assert!(out.status.success(), "{}", text(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("enrolled as agt_"), "{said}");
    assert!(
        said.contains("the agent runs now as the Windows service"),
        "{said}"
    );
    let config = prefix.c("ProgramData/Census/agent.toml");
    let cfg = census_agent::config::AgentConfig::load(&config).unwrap();
    assert_eq!(cfg.collector, collector.url);
    assert_eq!(cfg.state_dir, Path::new(r"C:\ProgramData\Census\state"));
    assert_eq!(
        std::fs::read(prefix.c("Program Files/Census/census-agent.exe")).unwrap(),
        std::fs::read(&exe).unwrap()
    );
    let key = prefix.service_key().expect("the service's registry key");
    for value in [
        r#"ImagePath    REG_SZ    "C:\Program Files\Census\census-agent.exe" --config C:\ProgramData\Census\agent.toml service"#,
        "Start    REG_DWORD    0x2", // automatic
        "ObjectName    REG_SZ    LocalSystem",
        "Type    REG_DWORD    0x10", // own process
        "DisplayName    REG_SZ    Census agent",
    ] {
        assert!(key.contains(value), "{value} in\n{key}");
    }
    assert_eq!(prefix.service_state(), "RUNNING");
    let deadline = Instant::now() + Duration::from_secs(90);
    let agents = loop {
        let a = collector.agents();
        if a.first()
            .and_then(|a| a["reports_received"].as_u64())
            .unwrap_or(0)
            >= 1
            || Instant::now() > deadline
        {
            break a;
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    assert_eq!(agents.len(), 1, "{agents:?}");
    assert!(
        agents[0]["reports_received"].as_u64().unwrap_or(0) >= 1,
        "the service delivered no report: {agents:?}\nlog:\n{}",
        std::fs::read_to_string(prefix.c("ProgramData/Census/agent.log")).unwrap_or_default()
    );
    let id = agents[0]["id"].as_str().unwrap().to_string();
    assert!(said.contains(&id));

    // Again: the enrolment is kept, the running service stopped before its
    // binary is replaced, and started again.
    let again = install(&[]);
    assert!(again.status.success(), "{}", text(&again));
    let said = String::from_utf8_lossy(&again.stdout);
    assert!(
        said.contains(&format!("keep the enrolment as {id}")),
        "{said}"
    );
    assert!(
        said.contains("stop the service census-agent if it runs"),
        "{said}"
    );
    assert_eq!(prefix.service_state(), "RUNNING");
    assert_eq!(collector.agents().len(), 1);

    // Uninstall: the SCM stops the service (which says so in its log), the
    // service and the binary are gone, the configuration stays.
    let un = prefix.wine(&["./census-agent.exe", "--log", "warn", "uninstall"]);
    assert!(un.status.success(), "{}", text(&un));
    let said = String::from_utf8_lossy(&un.stdout);
    assert!(said.contains("delete the service census-agent"), "{said}");
    assert!(said.contains(&format!("agents revoke {id}")), "{said}");
    assert_eq!(prefix.service_key(), None, "the service is deleted");
    assert!(!prefix.c("Program Files/Census").exists());
    assert!(config.is_file(), "kept without --purge");
    let log = std::fs::read_to_string(prefix.c("ProgramData/Census/agent.log")).unwrap();
    assert!(log.contains("started as a service"), "{log}");
    assert!(log.trim_end().ends_with("service stopped"), "{log}");

    // --purge takes the data directory too.
    let purge = prefix.wine(&[
        "./census-agent.exe",
        "--log",
        "warn",
        "uninstall",
        "--purge",
    ]);
    assert!(purge.status.success(), "{}", text(&purge));
    assert!(!prefix.c("ProgramData/Census").exists());

    // `enroll` alone writes the default configuration, in the same
    // protected directory.
    let enrol = prefix.wine(&[
        "./census-agent.exe",
        "--log",
        "warn",
        "enroll",
        "--collector",
        &collector.url,
        "--token",
        &collector.token,
        "--fingerprint",
        &collector.fingerprint,
    ]);
    assert!(enrol.status.success(), "{}", text(&enrol));
    let cfg = census_agent::config::AgentConfig::load(&config).unwrap();
    assert_eq!(cfg.state_dir, Path::new(r"C:\ProgramData\Census\state"));
    assert_eq!(collector.agents().len(), 2);
}
