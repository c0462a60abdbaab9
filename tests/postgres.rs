//! A real PostgreSQL server for tests: `initdb` and `postgres` from the
//! Debian package (`/usr/lib/postgresql/<version>/bin`) in a fresh
//! temporary directory, run as the `postgres` system user when the tests
//! run as root (the server refuses root), listening only on 127.0.0.1 at a
//! free port and on a unix socket in that directory. Password logins over
//! TCP (scram-sha-256) for the role `census`, which owns one fresh database
//! per [`Postgres`].
//!
//! The tests of one test binary share one server: it starts with the first
//! [`Postgres`] and stops (fast shutdown, directory removed) when the last
//! one is dropped. A test process killed before that leaves its server
//! behind; the next start stops such orphans (their directory names the
//! test process, which is gone) and removes their directories. Nothing here
//! is skipped: without PostgreSQL installed, the fixture panics saying what
//! to install.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

/// The password of the `census` role on test servers.
pub const PASSWORD: &str = "census-test-pw";

static SHARED: Mutex<Weak<Server>> = Mutex::new(Weak::new());
static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// One empty database, owned by `census`, on the shared test server.
pub struct Postgres {
    server: Arc<Server>,
    /// `postgres://census:PASSWORD@127.0.0.1:PORT/NAME`.
    pub url: String,
    pub name: String,
}

struct Server {
    child: Mutex<Child>,
    dir: tempfile::TempDir,
    port: u16,
    bin: PathBuf,
}

impl Postgres {
    /// A fresh database (starting the server if none runs in this process).
    pub fn new() -> Postgres {
        let server = {
            let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
            match shared.upgrade() {
                Some(s) => s,
                None => {
                    let s = Arc::new(Server::start());
                    *shared = Arc::downgrade(&s);
                    s
                }
            }
        };
        let name = format!(
            "census_{}_{}",
            std::process::id(),
            DATABASES.fetch_add(1, Ordering::SeqCst)
        );
        server.psql("postgres", &format!("CREATE DATABASE {name} OWNER census"));
        Postgres {
            url: server.url(&name, PASSWORD),
            server,
            name,
        }
    }

    /// This database's URL with another password (to see a refusal).
    pub fn url_with_password(&self, password: &str) -> String {
        self.server.url(&self.name, password)
    }

    /// The server's port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.server.port
    }

    /// Run SQL in this database as the superuser, over the unix socket;
    /// the rows as `psql -At` prints them.
    pub fn psql(&self, sql: &str) -> String {
        self.server.psql(&self.name, sql)
    }
}

impl Default for Postgres {
    fn default() -> Self {
        Postgres::new()
    }
}

/// The newest installed PostgreSQL's bin directory.
fn bin_dir() -> PathBuf {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, p)| p.join("postgres").exists())
        .collect();
    versions.sort();
    versions.pop().map(|(_, p)| p).expect(
        "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): \
         apt-get install postgresql (tests/run.sh does)",
    )
}

/// uid and gid of the `postgres` user, when running as root.
fn run_as() -> Option<(u32, u32)> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    // SAFETY: a NUL-terminated name; the result is read at once.
    let pw = unsafe { libc::getpwnam(c"postgres".as_ptr()) };
    assert!(
        !pw.is_null(),
        "running as root, PostgreSQL needs the `postgres` user (the Debian package creates it)"
    );
    // SAFETY: non-null result of getpwnam.
    Some(unsafe { ((*pw).pw_uid, (*pw).pw_gid) })
}

impl Server {
    fn command(&self, program: &str) -> Command {
        command(&self.bin, program, self.dir.path())
    }

    fn start() -> Server {
        let bin = bin_dir();
        reap_orphans();
        let dir = tempfile::Builder::new()
            .prefix(&format!("census-pg-{}-", std::process::id()))
            .tempdir()
            .unwrap();
        if let Some((uid, gid)) = run_as() {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).unwrap();
        }
        let data = dir.path().join("data");
        let pwfile = dir.path().join("pw");
        std::fs::write(&pwfile, "postgres-superuser\n").unwrap();
        if let Some((uid, gid)) = run_as() {
            std::os::unix::fs::chown(&pwfile, Some(uid), Some(gid)).unwrap();
        }
        let out = command(&bin, "initdb", dir.path())
            .args(["-D", data.to_str().unwrap(), "-U", "postgres", "-E", "UTF8"])
            .args(["--locale=C.UTF-8", "--no-sync", "--auth-local=trust"])
            .args([
                "--auth-host=scram-sha-256",
                "--pwfile",
                pwfile.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let port = crate::free_port();
        let log = std::fs::File::create(dir.path().join("postgres.log")).unwrap();
        if let Some((uid, gid)) = run_as() {
            std::os::unix::fs::chown(dir.path().join("postgres.log"), Some(uid), Some(gid))
                .unwrap();
        }
        let child = command(&bin, "postgres", dir.path())
            .args(["-D", data.to_str().unwrap(), "-p", &port.to_string()])
            .args(["-c", "listen_addresses=127.0.0.1"])
            .args([
                "-c",
                &format!("unix_socket_directories={}", dir.path().display()),
            ])
            .args(["-c", "max_connections=200", "-c", "fsync=off"])
            .args(["-c", "full_page_writes=off", "-c", "shared_buffers=32MB"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        let server = Server {
            child: Mutex::new(child),
            dir,
            port,
            bin,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ready = server
                .command("pg_isready")
                .args(["-q", "-h", "127.0.0.1", "-p", &port.to_string()])
                .status()
                .unwrap();
            if ready.success() {
                break;
            }
            let exited = server.child.lock().unwrap().try_wait().unwrap();
            if exited.is_some() || Instant::now() > deadline {
                panic!(
                    "PostgreSQL did not start ({exited:?}): {}",
                    std::fs::read_to_string(server.dir.path().join("postgres.log"))
                        .unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        server.psql(
            "postgres",
            &format!("CREATE ROLE census LOGIN PASSWORD '{PASSWORD}'"),
        );
        server
    }

    fn url(&self, db: &str, password: &str) -> String {
        format!("postgres://census:{password}@127.0.0.1:{}/{db}", self.port)
    }

    fn psql(&self, db: &str, sql: &str) -> String {
        let out = self
            .command("psql")
            .args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-U", "postgres"])
            .args(["-h", self.dir.path().to_str().unwrap()])
            .args(["-p", &self.port.to_string(), "-d", db, "-c", sql])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "psql {sql:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

/// Stop the servers of test processes that no longer run (killed before
/// their fixture was dropped), and remove their directories.
fn reap_orphans() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let Some(owner) = name
            .strip_prefix("census-pg-")
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if Path::new(&format!("/proc/{owner}")).exists() {
            continue;
        }
        let data = e.path().join("data");
        let ours = |pid: i32| {
            // Only a postgres serving that very directory.
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|c| String::from_utf8_lossy(&c).contains(data.to_str().unwrap_or("\0")))
                .unwrap_or(false)
        };
        if let Some(pid) = std::fs::read_to_string(data.join("postmaster.pid"))
            .ok()
            .and_then(|t| t.lines().next()?.trim().parse::<i32>().ok())
            .filter(|pid| ours(*pid))
        {
            // SAFETY: kill(2); SIGQUIT is PostgreSQL's immediate shutdown.
            unsafe { libc::kill(pid, libc::SIGQUIT) };
            let deadline = Instant::now() + Duration::from_secs(10);
            while Path::new(&format!("/proc/{pid}")).exists() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        let _ = std::fs::remove_dir_all(e.path());
    }
}

/// `program` of the PostgreSQL installation, as the `postgres` user when
/// root, working in `dir`.
fn command(bin: &Path, program: &str, dir: &Path) -> Command {
    let mut c = Command::new(bin.join(program));
    c.current_dir(dir).env_remove("PGPASSWORD");
    if let Some((uid, gid)) = run_as() {
        c.uid(uid).gid(gid).env("HOME", dir);
    }
    c
}

impl Drop for Server {
    fn drop(&mut self) {
        let mut child = self.child.lock().unwrap_or_else(|e| e.into_inner());
        // SIGINT: fast shutdown (ends sessions, no waiting for clients).
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
        let deadline = Instant::now() + Duration::from_secs(20);
        while child.try_wait().ok().flatten().is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
