//! Helpers for Census's end-to-end tests: finding the built binaries,
//! running a collector on loopback as a real process (start, SIGTERM,
//! SIGKILL, restart on the same port and data), enrolling agents, and
//! talking to the API with the agent's pinned TLS client. [`Backend`] runs
//! a test on SQLite and on a real PostgreSQL server ([`postgres`]).
//!
//! Every address used is 127.0.0.1.

pub mod install_helpers;
pub mod lab;
pub mod postgres;
pub mod snmp_peers;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A recorded machine under `tests/fixtures/hosts`.
pub fn fixture(name: &str) -> PathBuf {
    workspace().join("tests/fixtures/hosts").join(name)
}

/// Path of a product binary (`census-agent`, `census-collector`). Cargo
/// builds this package's `e2e-` copies of them fresh for its integration
/// tests and puts them beside the test executables' `deps` directory.
pub fn bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap(); // target/<profile>
    let path = dir.join(format!("e2e-{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} was not built (run the tests through cargo)",
        path.display()
    );
    path
}

/// Path of one of this package's own helper binaries (`census-lab-listener`).
pub fn workspace_bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let path = exe.parent().unwrap().parent().unwrap().join(name);
    assert!(
        path.exists(),
        "{} was not built (run the tests through cargo)",
        path.display()
    );
    path
}

/// The stdout of a command that must succeed (its stderr in the panic otherwise).
pub fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The stderr of a command that must be refused.
pub fn err(out: Output) -> String {
    assert!(
        !out.status.success(),
        "expected a refusal: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr).unwrap()
}

/// A free TCP port on 127.0.0.1 (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The database a test runs on.
pub enum Backend {
    /// `census.db` in the collector's data directory (the default).
    Sqlite,
    /// A fresh database on the test PostgreSQL server.
    Postgres(postgres::Postgres),
}

impl Backend {
    pub fn sqlite() -> Backend {
        Backend::Sqlite
    }

    pub fn postgres() -> Backend {
        Backend::Postgres(postgres::Postgres::new())
    }

    /// The config line selecting it (none for SQLite in the data dir).
    pub fn config(&self) -> String {
        match self {
            Backend::Sqlite => String::new(),
            Backend::Postgres(pg) => format!("database = {:?}\n", pg.url),
        }
    }

    /// What `--database` would say for it, with `data_dir` SQLite's home.
    pub fn database(&self, data_dir: &Path) -> census_collector::store::Database {
        match self {
            Backend::Sqlite => census_collector::store::Database::in_data_dir(data_dir),
            Backend::Postgres(pg) => census_collector::store::Database::parse(&pg.url).unwrap(),
        }
    }

    /// The store, opened as a collector opens it.
    pub async fn open(
        &self,
        data_dir: &Path,
    ) -> std::sync::Arc<dyn census_collector::store::Store> {
        std::fs::create_dir_all(data_dir).unwrap();
        census_collector::store::open(&self.database(data_dir))
            .await
            .unwrap()
    }
}

/// For each `name`, two tests, `name::sqlite` and `name::postgres`, that
/// run `fn name(backend: Backend)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                super::$name($crate::Backend::sqlite())
            }
            #[test]
            fn postgres() {
                super::$name($crate::Backend::postgres())
            }
        }
    )*};
}

/// A collector process on 127.0.0.1.
pub struct Collector {
    pub child: Child,
    pub data_dir: PathBuf,
    pub config: PathBuf,
    pub port: u16,
    pub url: String,
    pub fingerprint: String,
    pub token: String,
    /// The one-line agent install the collector printed (`curl … | sudo sh …`).
    pub install_command: String,
    /// The PowerShell line it printed for Windows PCs.
    pub windows_install_command: String,
}

impl Collector {
    /// Start a collector with `extra` lines of config (TOML) in `data_dir`.
    /// Self-inventory is off unless `extra` turns it on.
    pub fn start(data_dir: &Path, port: u16, extra: &str) -> Collector {
        Collector::start_in(None, "127.0.0.1", data_dir, port, extra)
    }

    /// The same, inside network namespace `netns` (a lab's), listening on
    /// `ip` there. Admin commands still run here: they only open the files.
    pub fn start_in(
        netns: Option<&str>,
        ip: &str,
        data_dir: &Path,
        port: u16,
        extra: &str,
    ) -> Collector {
        std::fs::create_dir_all(data_dir).unwrap();
        let config = data_dir.join("collector.toml");
        let mut text = format!(
            "listen = \"{ip}:{port}\"\ndata_dir = {:?}\n",
            data_dir.to_str().unwrap()
        );
        if !extra.contains("self_inventory_interval") {
            text.push_str("self_inventory_interval = \"0\"\n");
        }
        text.push_str(extra);
        std::fs::write(&config, text).unwrap();
        let mut command = match netns {
            Some(ns) => {
                let mut c = Command::new("ip");
                c.args(["netns", "exec", ns]).arg(bin("census-collector"));
                c
            }
            None => Command::new(bin("census-collector")),
        };
        let mut child = command
            .args([
                "--config",
                config.to_str().unwrap(),
                "--log",
                "warn",
                "serve",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start census-collector");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // Drain stdout for the process's whole life: a closed pipe would
            // make the collector's next line fail.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let (mut fingerprint, mut token) = (String::new(), String::new());
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut install_command = String::new();
        let windows_install_command = loop {
            let line = rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("collector did not print its enrolment details in time");
            if let Some(f) = line.strip_prefix("certificate key fingerprint (SHA-256): ") {
                fingerprint = f.trim().to_string();
            }
            if let Some(t) = line
                .split("enrolment token")
                .nth(1)
                .and_then(|t| t.split(": ").nth(1))
            {
                token = t.trim().to_string();
            }
            if line.trim_start().starts_with("curl ") {
                install_command = line.trim().to_string();
            }
            if line.trim_start().starts_with("[Net.ServicePointManager]") {
                break line.trim().to_string();
            }
        };
        assert_eq!(fingerprint.len(), 64, "fingerprint {fingerprint:?}");
        assert!(token.starts_with("cen_"), "token {token:?}");
        Collector {
            child,
            data_dir: data_dir.to_path_buf(),
            config,
            port,
            url: format!("https://{ip}:{port}"),
            fingerprint,
            token,
            install_command,
            windows_install_command,
        }
    }

    /// Stop with SIGTERM and wait.
    pub fn stop(mut self) {
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let _ = self.child.wait();
    }

    /// Kill with SIGKILL (no chance to flush anything) and wait.
    pub fn kill9(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Run a collector admin subcommand against the same config.
    pub fn admin(&self, args: &[&str]) -> Output {
        Command::new(bin("census-collector"))
            .args(["--config", self.config.to_str().unwrap(), "--log", "warn"])
            .args(args)
            .output()
            .unwrap()
    }

    /// `agents list --json`.
    pub fn agents(&self) -> Vec<serde_json::Value> {
        let out = self.admin(&["agents", "list", "--json"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// An HTTPS client that pins this collector's key, like the agent's.
    pub fn client(&self) -> reqwest::Client {
        self.client_builder().build().unwrap()
    }

    /// The same, not following redirects (to see a page's own answer).
    pub fn client_no_redirects(&self) -> reqwest::Client {
        self.client_builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    fn client_builder(&self) -> reqwest::ClientBuilder {
        let pin = census_shared::pin::parse_fingerprint(&self.fingerprint).unwrap();
        let verifier = std::sync::Arc::new(census_agent::transport::pin::PinVerifier::new(pin));
        let tls = census_agent::transport::pin::client_config(verifier).unwrap();
        reqwest::Client::builder().tls_backend_preconfigured(tls)
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An agent process environment: its config file and state directory.
pub struct Agent {
    pub config: PathBuf,
    pub state: PathBuf,
    pub id: String,
}

impl Agent {
    /// Enrol an agent that inventories fixture `root`, with its files in `dir`.
    pub fn enroll(c: &Collector, dir: &Path, root: &Path) -> Agent {
        let config = dir.join("agent.toml");
        let state = dir.join("state");
        let out = Command::new(bin("census-agent"))
            .args([
                "--config",
                config.to_str().unwrap(),
                "enroll",
                "--collector",
                &c.url,
                "--token",
                &c.token,
            ])
            .args([
                "--fingerprint",
                &c.fingerprint,
                "--state-dir",
                state.to_str().unwrap(),
            ])
            .args(["--root", root.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "enrol failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let id = String::from_utf8(out.stdout).unwrap().trim().to_string();
        Agent { config, state, id }
    }

    /// `census-agent run --once`.
    pub fn run_once(&self) -> Output {
        Command::new(bin("census-agent"))
            .args([
                "--config",
                self.config.to_str().unwrap(),
                "--log",
                "warn",
                "run",
                "--once",
            ])
            .output()
            .unwrap()
    }

    /// Reports waiting in the spool.
    pub fn spooled(&self) -> usize {
        std::fs::read_dir(self.state.join("spool"))
            .map(|d| d.count())
            .unwrap_or(0)
    }
}

/// gzip bytes.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}
