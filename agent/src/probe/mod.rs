//! The agent's only window on the machine: files under a root directory,
//! a few system calls, and a few commands, all behind one [`Probe`].
//!
//! Facets never touch `std::fs` or `std::process` directly. That is what lets
//! the tests run every facet against a tree recorded from another machine
//! (`census-agent collect --root tests/fixtures/hosts/alpine`), and keeps the
//! promise that the agent sends no packets: the only socket opened here is
//! the netlink query inside `getifaddrs(3)`, which talks to the kernel only.
//!
//! With the root `/` the probe is *live*: system calls and commands run on
//! this machine. With any other root it is *recorded*: the answers to system
//! calls and commands come from `<root>/.census-fixture/` (see
//! [`recorded::Recorded`]) and a command with no recording counts as not
//! installed. A root that is a mounted disk image therefore never runs this
//! machine's `rpm` against the wrong database.

mod live;
mod recorded;

pub use recorded::FIXTURE_DIR;

use census_shared::report::IpNet;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Sizes of a mounted file system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FsSpace {
    /// Total bytes.
    pub size_bytes: u64,
    /// Bytes available to unprivileged users.
    pub free_bytes: u64,
}

/// System calls and commands, live or recorded.
pub trait System: Send + Sync {
    /// Run a program; `Ok(None)` when it is not installed.
    fn run(&self, program: &str, args: &[&str]) -> io::Result<Option<String>>;
    /// Size and free space of the file system mounted at `mount_point`.
    fn statvfs(&self, mount_point: &str) -> Option<FsSpace>;
    /// Every address on every interface, by interface name.
    fn if_addresses(&self) -> io::Result<Vec<(String, IpNet)>>;
    /// Effective user id of the agent (live) or of the recording.
    fn euid(&self) -> Option<u32>;
}

/// Access to one machine, live or recorded.
pub struct Probe {
    root: PathBuf,
    system: Box<dyn System>,
}

impl Probe {
    /// A probe of the machine the agent runs on.
    pub fn live() -> Probe {
        Probe {
            root: PathBuf::from("/"),
            system: Box::new(live::Live),
        }
    }

    /// A probe of a tree: live when `root` is `/`, recorded otherwise.
    pub fn at(root: &Path) -> Probe {
        if root == Path::new("/") {
            return Probe::live();
        }
        Probe {
            root: root.to_path_buf(),
            system: Box::new(recorded::Recorded::new(root)),
        }
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// True when probing the running machine.
    pub fn is_live(&self) -> bool {
        self.root == Path::new("/")
    }

    /// `path` (absolute, as on the probed machine) under the root.
    pub fn path(&self, path: &str) -> PathBuf {
        self.root.join(path.trim_start_matches('/'))
    }

    /// Read a text file; invalid UTF-8 is replaced, not an error.
    pub fn read(&self, path: &str) -> io::Result<String> {
        let bytes = std::fs::read(self.path(path))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Read a text file, `None` when absent or unreadable; trimmed.
    pub fn read_opt(&self, path: &str) -> Option<String> {
        self.read(path)
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    /// Read a binary file.
    pub fn read_bytes(&self, path: &str) -> io::Result<Vec<u8>> {
        std::fs::read(self.path(path))
    }

    /// Names in a directory, sorted; empty when it does not exist.
    pub fn list(&self, path: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.path(path))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Whether a path exists (symlinks followed within the tree when they
    /// are relative; absolute links in recorded trees are not followed).
    pub fn exists(&self, path: &str) -> bool {
        let p = self.path(path);
        p.exists() || p.symlink_metadata().is_ok()
    }

    /// Whether a path is a regular file (symlinks followed).
    pub fn is_file(&self, path: &str) -> bool {
        self.path(path).is_file()
    }

    /// Target of a symlink.
    pub fn read_link(&self, path: &str) -> Option<PathBuf> {
        std::fs::read_link(self.path(path)).ok()
    }

    /// Modification time of a file.
    pub fn modified(&self, path: &str) -> Option<SystemTime> {
        std::fs::metadata(self.path(path)).ok()?.modified().ok()
    }

    /// The system-call and command side.
    pub fn system(&self) -> &dyn System {
        self.system.as_ref()
    }

    /// Run a command through the system.
    pub fn run(&self, program: &str, args: &[&str]) -> io::Result<Option<String>> {
        self.system.run(program, args)
    }
}
