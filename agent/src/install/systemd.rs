//! The agent's systemd service: the unit text, the `sysusers.d` entry for
//! its user, and the paths both live at.
//!
//! The service runs as the dedicated user `census-agent`, not root. Every
//! facet but one reads world-readable files; `hardware` wants the raw
//! SMBIOS tables (`/sys/firmware/dmi/tables`, mode 0400) and the serial
//! numbers and UUID in `/sys/class/dmi/id` (0400), which are the strongest
//! identity keys the collector merges on. The unit grants exactly the
//! capability that reads them, `CAP_DAC_READ_SEARCH` (read any file, write
//! none), and nothing else; everything outside the state directory is
//! read-only to the service (`ProtectSystem=strict`), so the agent reads
//! the machine but can change nothing on it but its own spool.

/// Service name (`systemctl status census-agent`).
pub const SERVICE_NAME: &str = "census-agent";
/// Unit name.
pub const UNIT_NAME: &str = "census-agent.service";
/// Where `install` writes the unit.
pub const UNIT_PATH: &str = "/etc/systemd/system/census-agent.service";
/// What `systemctl enable` links: the service starts with the machine.
pub const WANTS_LINK: &str = "/etc/systemd/system/multi-user.target.wants/census-agent.service";
/// The user the service runs as.
pub const USER: &str = "census-agent";
/// `systemd-sysusers` creates the user from this file at boot (images
/// built with `--root`) and on request.
pub const SYSUSERS_PATH: &str = "/etc/sysusers.d/census-agent.conf";

/// The `sysusers.d` line for the service user: a system user with its
/// own group, home at the state directory, no login.
pub fn sysusers(state_dir: &str) -> String {
    format!(
        "# The Census agent's service user (written by `census-agent install`).\n\
         u {USER} - \"Census agent\" {state_dir} /usr/sbin/nologin\n"
    )
}

/// The hardened unit that runs `binary --config config run`. `state_dir`
/// must be the configuration's `state_dir` (the only writable place).
pub fn unit(binary: &str, config: &str, state_dir: &str) -> String {
    let state_name = state_dir
        .strip_prefix("/var/lib/")
        .unwrap_or("census-agent");
    format!(
        "# Written by `census-agent install`; `census-agent uninstall` removes it.\n\
# Census agent: inventories this machine and reports to the collector named\n\
# in {config}.\n\
[Unit]\n\
Description=Census agent (inventory for the IT recovery plan)\n\
After=network-online.target\n\
Wants=network-online.target\n\
\n\
[Service]\n\
Type=simple\n\
ExecStart={binary} --config {config} run\n\
Restart=on-failure\n\
RestartSec=30s\n\
# Logs go to the journal: journalctl -u census-agent\n\
StandardOutput=journal\n\
StandardError=journal\n\
SyslogIdentifier=census-agent\n\
# Inventory is background work.\n\
Nice=10\n\
IOSchedulingClass=idle\n\
\n\
# A dedicated user. Serial numbers, UUIDs and raw SMBIOS tables are\n\
# readable by root only: CAP_DAC_READ_SEARCH reads them (and the 0600\n\
# configuration), and grants no write access anywhere.\n\
User={USER}\n\
Group={USER}\n\
AmbientCapabilities=CAP_DAC_READ_SEARCH\n\
CapabilityBoundingSet=CAP_DAC_READ_SEARCH\n\
NoNewPrivileges=yes\n\
\n\
# State and the spool are the only writable place.\n\
StateDirectory={state_name}\n\
StateDirectoryMode=0700\n\
ReadWritePaths={state_dir}\n\
UMask=0077\n\
ProtectSystem=strict\n\
ProtectHome=read-only\n\
PrivateTmp=yes\n\
PrivateDevices=yes\n\
PrivateMounts=yes\n\
RemoveIPC=yes\n\
# Not ProtectProc=invisible: the storage facet reads init's mount table\n\
# (/proc/1/mounts), the machine's volumes rather than this namespace's.\n\
ProtectKernelTunables=yes\n\
ProtectKernelModules=yes\n\
ProtectKernelLogs=yes\n\
ProtectControlGroups=yes\n\
ProtectClock=yes\n\
ProtectHostname=yes\n\
# IP to the collector, UNIX for name resolution, NETLINK for the\n\
# interface list (getifaddrs).\n\
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK\n\
RestrictNamespaces=yes\n\
RestrictRealtime=yes\n\
RestrictSUIDSGID=yes\n\
LockPersonality=yes\n\
MemoryDenyWriteExecute=yes\n\
SystemCallArchitectures=native\n\
SystemCallFilter=@system-service\n\
SystemCallFilter=~@privileged @resources\n\
SystemCallErrorNumber=EPERM\n\
\n\
[Install]\n\
WantedBy=multi-user.target\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_runs_the_binary_hardened_as_its_own_user() {
        let u = unit(
            "/usr/local/bin/census-agent",
            "/etc/census/agent.toml",
            "/var/lib/census-agent",
        );
        for line in [
            "ExecStart=/usr/local/bin/census-agent --config /etc/census/agent.toml run",
            "User=census-agent",
            "NoNewPrivileges=yes",
            "ProtectSystem=strict",
            "ProtectHome=read-only",
            "PrivateTmp=yes",
            "StateDirectory=census-agent",
            "ReadWritePaths=/var/lib/census-agent",
            "CapabilityBoundingSet=CAP_DAC_READ_SEARCH",
            "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK",
            "WantedBy=multi-user.target",
        ] {
            assert!(u.lines().any(|l| l == line), "missing {line:?} in\n{u}");
        }
        // One capability, and nothing that grants more.
        assert!(!u.contains("CAP_SYS_ADMIN") && !u.contains("User=root"));
        assert!(sysusers("/var/lib/census-agent").contains("u census-agent - "));
    }
}
