//! `system` on Linux: `/proc/sys/kernel`, `/etc/os-release`, `/etc/hosts`,
//! `/proc/stat` and the virtualisation markers under the probe's root.

use super::virt::{VirtEvidence, detect};
use super::{fqdn_from_hosts, parse_os_release};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;
use census_shared::report::unix_time;
use chrono::{DateTime, NaiveDateTime, Utc};

/// The Linux `system` facet.
pub struct System;

impl Facet for System {
    fn name(&self) -> &'static str {
        "system"
    }

    fn collect(&self, p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        let hostname = p
            .read_opt("/proc/sys/kernel/hostname")
            .or_else(|| p.read_opt("/etc/hostname"));
        let hosts = p.read("/etc/hosts").unwrap_or_default();
        let fqdn = hostname.as_deref().and_then(|h| fqdn_from_hosts(&hosts, h));
        let domain = fqdn
            .as_deref()
            .and_then(|f| f.split_once('.').map(|(_, d)| d.to_string()))
            .or_else(|| resolv_domain(&p.read("/etc/resolv.conf").unwrap_or_default()));
        r.host.hostname = hostname;
        r.host.fqdn = fqdn;
        r.host.domain = domain;
        r.host.boot_time = p
            .read("/proc/stat")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("btime ").map(|v| v.trim().parse::<i64>()))
            })
            .and_then(Result::ok)
            .and_then(unix_time);

        let os_release = p
            .read("/etc/os-release")
            .or_else(|_| p.read("/usr/lib/os-release"))
            .map_err(|e| FacetError::read("/etc/os-release", e));
        let kernel = p.read_opt("/proc/sys/kernel/osrelease");
        let os = &mut r.os;
        os.family = Some("linux".into());
        os.kernel = kernel.clone();
        os.arch = p
            .read_opt("/proc/sys/kernel/arch")
            .or_else(|| p.is_live().then(|| std::env::consts::ARCH.to_string()));
        os.install_date = install_date(p);
        match os_release {
            Ok(text) => {
                let m = parse_os_release(&text);
                let get = |k: &str| m.get(k).cloned().filter(|v| !v.is_empty());
                os.name = get("NAME");
                os.version = get("VERSION_ID");
                os.pretty_name = get("PRETTY_NAME");
                os.id = get("ID");
                os.id_like = get("ID_LIKE")
                    .map(|v| v.split_whitespace().map(String::from).collect())
                    .unwrap_or_default();
                os.build = get("VERSION_CODENAME").or_else(|| get("BUILD_ID"));
                os.support_end = get("SUPPORT_END");
            }
            Err(e) => r.error("system", format!("{e}; OS name and version unknown")),
        }

        let dmi_keys = ["sys_vendor", "product_name", "board_vendor", "bios_vendor"];
        let ev = VirtEvidence {
            dockerenv: p.exists("/.dockerenv"),
            containerenv: p.exists("/run/.containerenv"),
            container_var: p.read_opt("/run/systemd/container").or_else(|| {
                p.read("/proc/1/environ").ok().and_then(|env| {
                    env.split('\0')
                        .find_map(|kv| kv.strip_prefix("container=").map(String::from))
                })
            }),
            wsl_kernel: kernel.is_some_and(|k| k.to_lowercase().contains("microsoft")),
            dmi: dmi_keys
                .iter()
                .filter_map(|k| p.read_opt(&format!("/sys/class/dmi/id/{k}")))
                .collect(),
            hypervisor_type: p.read_opt("/sys/hypervisor/type"),
            cpu_hypervisor_flag: p.read("/proc/cpuinfo").is_ok_and(|c| {
                c.lines().any(|l| {
                    l.starts_with("flags") && l.split_whitespace().any(|f| f == "hypervisor")
                })
            }),
            has_dmi: p.exists("/sys/class/dmi/id"),
        };
        r.host.virtualization = detect(&ev);
        Ok(())
    }
}

fn resolv_domain(resolv: &str) -> Option<String> {
    let mut search = None;
    for line in resolv.lines() {
        let mut it = line.split_whitespace();
        match it.next() {
            Some("domain") => return it.next().map(String::from),
            Some("search") if search.is_none() => search = it.next().map(String::from),
            _ => {}
        }
    }
    search.filter(|s| s != ".")
}

/// When the OS was installed: the installer's own logs, where it keeps them.
fn install_date(p: &Probe) -> Option<DateTime<Utc>> {
    for marker in [
        "/var/log/installer/syslog",
        "/var/log/installer",
        "/root/anaconda-ks.cfg",
        "/var/log/anaconda",
    ] {
        if let Some(t) = p.modified(marker) {
            return Some(t.into());
        }
    }
    // Arch: the first line of pacman.log is the bootstrap of the system.
    let log = p.read("/var/log/pacman.log").ok()?;
    let first = log.lines().next()?;
    let stamp = first.strip_prefix('[')?.split(']').next()?;
    DateTime::parse_from_str(stamp, "%Y-%m-%dT%H:%M:%S%z")
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(stamp, "%Y-%m-%d %H:%M")
                .ok()
                .map(|n| n.and_utc())
        })
}
