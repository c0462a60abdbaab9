//! An SNMP device inside a lab host: snmpsim serving one recording from
//! `tests/fixtures/snmp/dev` as community `public` on the host's lab
//! address, started and waited for (the scanner namespace's `snmp identify`
//! must answer), killed on drop. Needs snmpsim (Debian package `snmpsim`).

use super::Lab;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// snmpsim serving one recording inside a lab host.
pub struct SimDevice {
    child: Child,
    _dir: tempfile::TempDir,
}

impl SimDevice {
    /// Serve `recording` (a file name under `tests/fixtures/snmp/dev`) at
    /// the lab host with last octet `octet`.
    pub fn start(lab: &Lab, octet: u8, recording: &str) -> SimDevice {
        let dir = tempfile::Builder::new()
            .prefix("census-lab-sim")
            .tempdir()
            .unwrap();
        let (data, cache) = (dir.path().join("data"), dir.path().join("cache"));
        std::fs::create_dir_all(&data).unwrap();
        std::fs::create_dir_all(&cache).unwrap();
        let rec = crate::workspace()
            .join("tests/fixtures/snmp/dev")
            .join(recording);
        std::fs::copy(rec, data.join("public.snmprec")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        for p in [dir.path(), data.as_path(), cache.as_path()] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o777)).unwrap();
        }
        let addr = format!("{}.{octet}", lab.net);
        let child = Command::new("ip")
            .args(["netns", "exec", &lab.host_ns(octet), "snmpsimd"])
            .arg(format!("--data-dir={}", data.display()))
            .arg(format!("--agent-udpv4-endpoint={addr}:161"))
            .arg(format!("--cache-dir={}", cache.display()))
            .args(["--logging-method=null", "--process-user=nobody"])
            .arg("--process-group=nogroup")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("snmpsimd (Debian package snmpsim) is needed");
        let sim = SimDevice { child, _dir: dir };
        let start = Instant::now();
        loop {
            let out = lab
                .in_scanner(&crate::bin("census-collector"))
                .args(["--data-dir", "/nonexistent-census", "snmp", "identify"])
                .args(["--brief", "--timeout", "500", "--retries", "0"])
                .args([&addr, "--community", "public"])
                .output()
                .unwrap();
            if out.status.success() {
                return sim;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "snmpsimd for {recording} did not answer"
            );
            std::thread::sleep(Duration::from_millis(300));
        }
    }
}

impl Drop for SimDevice {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
