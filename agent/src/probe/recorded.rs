//! The recorded side of the probe: answers that a fixture tree carries for
//! what cannot be a file (commands, `statvfs`, interface addresses).
//!
//! `<root>/.census-fixture/system.json` holds
//! `{"euid": 0, "statvfs": {"/": {"size_bytes": N, "free_bytes": N}},
//!   "ip_addr": <the output of `ip -j addr`>, "commands": {"rpm -qa ...": "output"}}`.
//! Every key is optional. Commands are looked up by their exact command line;
//! a command without a recording is "not installed". `tests/fixtures/record.sh`
//! writes this file on a real machine.

use super::{FsSpace, System};
use census_shared::report::IpNet;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io;
use std::net::IpAddr;
use std::path::Path;

/// Folder inside a fixture tree that holds the recorded answers.
pub const FIXTURE_DIR: &str = ".census-fixture";

#[derive(Debug, Default, Deserialize)]
struct SystemJson {
    euid: Option<u32>,
    #[serde(default)]
    statvfs: BTreeMap<String, Space>,
    #[serde(default)]
    ip_addr: Vec<IpLink>,
    #[serde(default)]
    commands: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct Space {
    size_bytes: u64,
    free_bytes: u64,
}

#[derive(Debug, Deserialize)]
struct IpLink {
    ifname: String,
    #[serde(default)]
    addr_info: Vec<IpAddrInfo>,
}

#[derive(Debug, Deserialize)]
struct IpAddrInfo {
    local: IpAddr,
    prefixlen: u8,
}

/// Recorded answers for a fixture tree.
pub struct Recorded {
    data: SystemJson,
    load_error: Option<String>,
}

impl Recorded {
    /// Load `<root>/.census-fixture/system.json`; a tree without one answers
    /// "nothing known" to everything.
    pub fn new(root: &Path) -> Recorded {
        let path = root.join(FIXTURE_DIR).join("system.json");
        match std::fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(data) => Recorded {
                    data,
                    load_error: None,
                },
                Err(e) => Recorded {
                    data: SystemJson::default(),
                    load_error: Some(format!("{}: {e}", path.display())),
                },
            },
            Err(_) => Recorded {
                data: SystemJson::default(),
                load_error: None,
            },
        }
    }

    fn check(&self) -> io::Result<()> {
        match &self.load_error {
            Some(e) => Err(io::Error::new(io::ErrorKind::InvalidData, e.clone())),
            None => Ok(()),
        }
    }
}

impl System for Recorded {
    fn run(&self, program: &str, args: &[&str]) -> io::Result<Option<String>> {
        self.check()?;
        let mut line = program.to_string();
        for a in args {
            line.push(' ');
            line.push_str(a);
        }
        Ok(self.data.commands.get(&line).cloned())
    }

    fn statvfs(&self, mount_point: &str) -> Option<FsSpace> {
        self.data.statvfs.get(mount_point).map(|s| FsSpace {
            size_bytes: s.size_bytes,
            free_bytes: s.free_bytes,
        })
    }

    fn if_addresses(&self) -> io::Result<Vec<(String, IpNet)>> {
        self.check()?;
        Ok(self
            .data
            .ip_addr
            .iter()
            .flat_map(|l| {
                l.addr_info.iter().map(|a| {
                    (
                        l.ifname.clone(),
                        IpNet {
                            address: a.local,
                            prefix_len: a.prefixlen,
                        },
                    )
                })
            })
            .collect())
    }

    fn euid(&self) -> Option<u32> {
        self.data.euid
    }
}
