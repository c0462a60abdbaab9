//! `security` on Linux, from configuration files only (no root-only kernel
//! queries): ufw, firewalld, nftables and iptables-persistent for the
//! firewall; unattended-upgrades and dnf-automatic for updates; antivirus
//! from the package list and enabled systemd units.

use super::{antivirus_from_software, encryption_complete};
use crate::facets::{Facet, FacetError};
use crate::probe::Probe;
use census_shared::HostReport;
use census_shared::report::{AutomaticUpdates, Firewall};

/// The Linux `security` facet.
pub struct Security;

/// Directories where enabled systemd units are linked.
const WANTS: &[&str] = &[
    "/etc/systemd/system/multi-user.target.wants",
    "/etc/systemd/system/sysinit.target.wants",
    "/etc/systemd/system/timers.target.wants",
    "/etc/systemd/system/network-pre.target.wants",
];

fn unit_enabled(p: &Probe, unit: &str) -> bool {
    WANTS.iter().any(|w| p.exists(&format!("{w}/{unit}")))
}

impl Facet for Security {
    fn name(&self) -> &'static str {
        "security"
    }

    fn collect(&self, p: &Probe, r: &mut HostReport) -> Result<(), FacetError> {
        r.security.firewall = Some(firewall(p));
        r.security.automatic_updates = Some(updates(p, r));
        let mut av = antivirus_from_software(&r.software);
        for a in &mut av {
            let units: &[&str] = match a.name.as_str() {
                "ClamAV" => &[
                    "clamav-daemon.service",
                    "clamd@scan.service",
                    "clamav-freshclam.service",
                ],
                "Microsoft Defender for Endpoint" => &["mdatp.service"],
                "CrowdStrike Falcon" => &["falcon-sensor.service"],
                "Sophos Protection for Linux" => &["sophos-spl.service"],
                _ => &[],
            };
            if !units.is_empty() {
                a.active = Some(units.iter().any(|u| unit_enabled(p, u)));
            }
        }
        r.security.antivirus = av;
        r.security.disk_encryption_complete = encryption_complete(&r.storage.volumes);
        Ok(())
    }
}

fn firewall(p: &Probe) -> Firewall {
    let fw = |active, product: &str, evidence: &str| Firewall {
        active,
        product: Some(product.into()),
        evidence: Some(evidence.into()),
    };
    if let Some(conf) = p.read_opt("/etc/ufw/ufw.conf") {
        let enabled = conf
            .lines()
            .any(|l| l.trim().eq_ignore_ascii_case("ENABLED=yes"));
        if enabled {
            return fw(true, "ufw", "/etc/ufw/ufw.conf: ENABLED=yes");
        }
    }
    if unit_enabled(p, "firewalld.service") {
        return fw(true, "firewalld", "firewalld.service is enabled");
    }
    if unit_enabled(p, "nftables.service") {
        let rules = p.read("/etc/nftables.conf").unwrap_or_default();
        if rules.contains("hook input") && (rules.contains("policy drop") || rules.contains("drop"))
        {
            return fw(
                true,
                "nftables",
                "nftables.service enabled; /etc/nftables.conf filters input",
            );
        }
    }
    if unit_enabled(p, "netfilter-persistent.service") || unit_enabled(p, "iptables.service") {
        let rules = p
            .read("/etc/iptables/rules.v4")
            .or_else(|_| p.read("/etc/sysconfig/iptables"))
            .unwrap_or_default();
        if rules
            .lines()
            .any(|l| l.starts_with("-A INPUT") || l.contains(":INPUT DROP"))
        {
            return fw(
                true,
                "iptables",
                "saved iptables rules filter INPUT and are loaded at boot",
            );
        }
    }
    if p.exists("/etc/ufw/ufw.conf") {
        return fw(
            false,
            "ufw",
            "ufw is installed but not enabled (ENABLED=no)",
        );
    }
    Firewall {
        active: false,
        product: None,
        evidence: Some(
            "no enabled ufw, firewalld, nftables or iptables configuration found".into(),
        ),
    }
}

fn updates(p: &Probe, r: &HostReport) -> AutomaticUpdates {
    let has = |name: &str| r.software.iter().any(|s| s.name == name);
    if p.exists("/etc/apt") {
        let periodic = p
            .list("/etc/apt/apt.conf.d")
            .iter()
            .filter_map(|f| p.read(&format!("/etc/apt/apt.conf.d/{f}")).ok())
            .any(|t| {
                t.lines().any(|l| {
                    let l = l.trim();
                    !l.starts_with("//")
                        && l.contains("APT::Periodic::Unattended-Upgrade")
                        && l.contains("\"1\"")
                })
            });
        let installed = has("unattended-upgrades");
        return AutomaticUpdates {
            enabled: periodic && installed,
            mechanism: Some("unattended-upgrades".into()),
            evidence: Some(match (installed, periodic) {
                (true, true) => {
                    "unattended-upgrades installed and APT::Periodic::Unattended-Upgrade \"1\""
                        .into()
                }
                (true, false) => {
                    "unattended-upgrades installed but not enabled in /etc/apt/apt.conf.d".into()
                }
                _ => "unattended-upgrades is not installed".into(),
            }),
        };
    }
    if p.exists("/etc/dnf") || p.exists("/etc/yum.repos.d") {
        let timer = [
            "dnf-automatic.timer",
            "dnf-automatic-install.timer",
            "dnf5-automatic.timer",
        ]
        .iter()
        .any(|t| unit_enabled(p, t));
        let apply = p
            .read("/etc/dnf/automatic.conf")
            .is_ok_and(|c| c.lines().any(|l| l.replace(' ', "") == "apply_updates=yes"));
        return AutomaticUpdates {
            enabled: timer && (apply || unit_enabled(p, "dnf-automatic-install.timer")),
            mechanism: Some("dnf-automatic".into()),
            evidence: Some(if timer {
                "dnf-automatic timer enabled".into()
            } else {
                "no dnf-automatic timer enabled".into()
            }),
        };
    }
    AutomaticUpdates {
        enabled: false,
        mechanism: None,
        evidence: Some("no automatic update mechanism found for this distribution".into()),
    }
}
