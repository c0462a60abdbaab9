//! Shared helpers for the fixture tests: run the real `census-agent collect`
//! binary against a tree under `tests/fixtures/hosts/` and look things up in
//! the report. Expected values in the tests come from the fixture files.

#![allow(dead_code)] // each test file uses a different subset

use census_shared::HostReport;
use census_shared::report::{Disk, Interface, SoftwarePackage, SoftwareSource, Volume};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::Command;

/// Path of a fixture tree.
pub fn tree(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/hosts")
        .join(name)
}

/// Run `census-agent collect --root <tree>` and parse the report exactly as
/// the collector would.
pub fn collect(name: &str) -> HostReport {
    let root = tree(name);
    assert!(root.is_dir(), "missing fixture tree {}", root.display());
    let out = Command::new(env!("CARGO_BIN_EXE_census-agent"))
        .arg("collect")
        .arg("--root")
        .arg(&root)
        .output()
        .expect("run census-agent");
    assert!(
        out.status.success(),
        "census-agent failed on {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    HostReport::from_json(&out.stdout).expect("the report parses and passes the collector's checks")
}

pub fn iface<'a>(r: &'a HostReport, name: &str) -> &'a Interface {
    r.network
        .interfaces
        .iter()
        .find(|i| i.name == name)
        .unwrap_or_else(|| panic!("no interface {name}"))
}

/// Addresses of an interface as `address/prefix` strings, sorted.
pub fn addrs(r: &HostReport, name: &str) -> Vec<String> {
    let mut v: Vec<String> = iface(r, name)
        .addresses
        .iter()
        .map(|a| format!("{}/{}", a.address, a.prefix_len))
        .collect();
    v.sort();
    v
}

pub fn mac(r: &HostReport, name: &str) -> Option<String> {
    iface(r, name).mac.map(|m| m.to_string())
}

pub fn disk<'a>(r: &'a HostReport, name: &str) -> &'a Disk {
    r.storage
        .disks
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no disk {name}"))
}

pub fn disk_names(r: &HostReport) -> Vec<&str> {
    r.storage.disks.iter().map(|d| d.name.as_str()).collect()
}

pub fn volume<'a>(r: &'a HostReport, mount_point: &str) -> &'a Volume {
    r.storage
        .volumes
        .iter()
        .find(|v| v.mount_point == mount_point)
        .unwrap_or_else(|| panic!("no volume {mount_point}"))
}

pub fn mount_points(r: &HostReport) -> Vec<&str> {
    r.storage
        .volumes
        .iter()
        .map(|v| v.mount_point.as_str())
        .collect()
}

pub fn package<'a>(r: &'a HostReport, source: SoftwareSource, name: &str) -> &'a SoftwarePackage {
    r.software
        .iter()
        .find(|p| p.source == source && p.name == name)
        .unwrap_or_else(|| panic!("no {source:?} package {name}"))
}

pub fn count(r: &HostReport, source: SoftwareSource) -> usize {
    r.software.iter().filter(|p| p.source == source).count()
}

pub fn has(r: &HostReport, name: &str) -> bool {
    r.software.iter().any(|p| p.name == name)
}

pub fn ips(list: &[IpAddr]) -> Vec<String> {
    list.iter().map(IpAddr::to_string).collect()
}

pub fn gateways(r: &HostReport) -> Vec<(String, Option<&str>)> {
    r.network
        .gateways
        .iter()
        .map(|g| (g.address.to_string(), g.interface.as_deref()))
        .collect()
}

/// `(name, uid, admin)` of the human accounts.
pub fn humans(r: &HostReport) -> Vec<(&str, Option<u32>, bool)> {
    r.users
        .accounts
        .iter()
        .map(|a| (a.name.as_str(), a.uid, a.admin))
        .collect()
}

pub fn rfc3339(t: Option<chrono::DateTime<chrono::Utc>>) -> Option<String> {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

pub const GIB: u64 = 1 << 30;
