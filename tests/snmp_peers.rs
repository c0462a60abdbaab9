//! Real SNMP agents on loopback for the tests: `snmpsim` serving the device
//! recordings in `tests/fixtures/snmp/dev` (community = file name), and
//! net-snmp's `snmpd` with a v2c community and SHA-256 v3 users. Both are
//! started on a free 127.0.0.1 port and killed on drop.

use std::net::UdpSocket;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A free UDP port on 127.0.0.1 (bound, then released).
pub fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Wait until `census-collector snmp identify` gets an answer.
fn wait_until_answers(port: u16, args: &[&str], what: &str, log: &Path) {
    let start = Instant::now();
    loop {
        let out = Command::new(crate::bin("census-collector"))
            .args([
                "--data-dir",
                "/nonexistent-census",
                "snmp",
                "identify",
                "--brief",
                "--timeout",
                "500",
            ])
            .args(["--retries", "0"])
            .arg(format!("127.0.0.1:{port}"))
            .args(args)
            .output()
            .unwrap();
        if out.status.success() {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "{what} did not answer within 90 s; its log:\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// snmpsim serving the dev recordings.
pub struct Snmpsim {
    child: Child,
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl Snmpsim {
    pub fn dev_dir() -> PathBuf {
        crate::workspace().join("tests/fixtures/snmp/dev")
    }

    /// Start it and wait until it serves (the first start indexes every file).
    pub fn start() -> Snmpsim {
        let dir = tempfile::Builder::new()
            .prefix("census-snmpsim")
            .tempdir()
            .unwrap();
        let data = dir.path().join("data");
        let cache = dir.path().join("cache");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::create_dir_all(&cache).unwrap();
        for f in std::fs::read_dir(Self::dev_dir()).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|e| e == "snmprec") {
                std::fs::copy(&f, data.join(f.file_name().unwrap())).unwrap();
            }
        }
        // snmpsim drops to nobody when root: it must read the data and write the cache.
        use std::os::unix::fs::PermissionsExt;
        for p in [dir.path(), data.as_path(), cache.as_path()] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o777)).unwrap();
        }
        let port = free_udp_port();
        let log = dir.path().join("snmpsimd.log");
        let mut cmd = Command::new("snmpsimd");
        cmd.arg(format!("--data-dir={}", data.display()))
            .arg(format!("--agent-udpv4-endpoint=127.0.0.1:{port}"))
            .arg(format!("--cache-dir={}", cache.display()))
            .arg("--logging-method=null");
        if is_root() {
            cmd.args(["--process-user=nobody", "--process-group=nogroup"]);
        }
        let child = cmd
            .stdout(Stdio::from(std::fs::File::create(&log).unwrap()))
            .stderr(Stdio::from(
                std::fs::File::create(dir.path().join("snmpsimd.err")).unwrap(),
            ))
            .spawn()
            .expect("snmpsimd (Debian package snmpsim) is needed for the SNMP tests");
        let sim = Snmpsim {
            child,
            port,
            _dir: dir,
        };
        wait_until_answers(port, &["--community", "linux"], "snmpsimd", &log);
        sim
    }
}

impl Drop for Snmpsim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// net-snmp's snmpd with community `census-ro` and v3 users `authonly`
/// (SHA-256), `private` (SHA-256 + AES-128), `strong` (SHA-512 + AES-256),
/// `middle` (SHA-224 + AES-192) and `classic` (SHA-1 + DES).
pub struct Snmpd {
    child: Child,
    pub port: u16,
    _dir: tempfile::TempDir,
}

pub const AUTH_PASS: &str = "census-auth-pass";
pub const PRIV_PASS: &str = "census-priv-pass";

impl Snmpd {
    pub fn start() -> Snmpd {
        let dir = tempfile::Builder::new()
            .prefix("census-snmpd")
            .tempdir()
            .unwrap();
        let port = free_udp_port();
        let conf = dir.path().join("snmpd.conf");
        std::fs::write(
            &conf,
            format!(
                "agentAddress udp:127.0.0.1:{port}\n\
                 rocommunity census-ro 127.0.0.1\n\
                 sysName census-snmpd\n\
                 sysLocation lab rack 1\n\
                 sysContact it@example.org\n\
                 createUser authonly SHA-256 \"{AUTH_PASS}\"\n\
                 createUser private SHA-256 \"{AUTH_PASS}\" AES \"{PRIV_PASS}\"\n\
                 createUser strong SHA-512 \"{AUTH_PASS}\" AES-256 \"{PRIV_PASS}\"\n\
                 createUser middle SHA-224 \"{AUTH_PASS}\" AES-192 \"{PRIV_PASS}\"\n\
                 createUser classic SHA \"{AUTH_PASS}\" DES \"{PRIV_PASS}\"\n\
                 rouser authonly auth\n\
                 rouser private priv\n\
                 rouser strong priv\n\
                 rouser middle priv\n\
                 rouser classic priv\n"
            ),
        )
        .unwrap();
        let log = dir.path().join("snmpd.log");
        let child = Command::new("snmpd")
            .args(["-f", "-C", "-c"])
            .arg(&conf)
            .arg("-Lf")
            .arg(&log)
            .env("SNMP_PERSISTENT_DIR", dir.path())
            .env("SNMPCONFPATH", dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("snmpd (Debian package snmpd) is needed for the SNMP tests");
        let d = Snmpd {
            child,
            port,
            _dir: dir,
        };
        wait_until_answers(port, &["--community", "census-ro"], "snmpd", &log);
        d
    }
}

impl Drop for Snmpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
