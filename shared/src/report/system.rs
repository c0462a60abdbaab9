//! Report parts about the machine as a whole: names, operating system,
//! boot time and whether it is a virtual machine or a container.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Names and run state of the host.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HostInfo {
    /// Short host name (`uname -n`).
    pub hostname: Option<String>,
    /// Fully qualified name, when the host knows one without asking DNS.
    pub fqdn: Option<String>,
    /// DNS domain (from the FQDN, else the resolver's `domain`/first `search`).
    pub domain: Option<String>,
    /// When the OS booted.
    pub boot_time: Option<DateTime<Utc>>,
    /// Virtual machine or container detection.
    pub virtualization: Virtualization,
}

/// Whether the host runs on bare metal, in a VM or in a container.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Virtualization {
    /// `physical`, `vm`, `container`, or `null` when unknown.
    pub kind: Option<VirtKind>,
    /// The technology: `kvm`, `qemu`, `vmware`, `virtualbox`, `hyper-v`,
    /// `xen`, `docker`, `podman`, `lxc`, `wsl`, `firecracker`, …
    pub technology: Option<String>,
    /// What the verdict was based on (a file or a DMI value).
    pub evidence: Option<String>,
}

/// The kind of platform the OS runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VirtKind {
    /// Bare metal.
    Physical,
    /// A virtual machine.
    Vm,
    /// A container (shares the host's kernel).
    Container,
}

/// The operating system.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OsInfo {
    /// `linux`, `windows` or `macos`.
    pub family: Option<String>,
    /// Distribution or product name (`Debian GNU/Linux`, `Windows 11 Pro`).
    pub name: Option<String>,
    /// Version (`12`, `9.4`, `23H2`); rolling releases have none.
    pub version: Option<String>,
    /// Human name with version (`Debian GNU/Linux 12 (bookworm)`).
    pub pretty_name: Option<String>,
    /// Machine-readable distribution id (`debian`, `rhel`, `alpine`, `arch`).
    pub id: Option<String>,
    /// Families this distribution belongs to (`ID_LIKE`).
    pub id_like: Vec<String>,
    /// Build or codename (`bookworm`, Windows build `22631.3007`).
    pub build: Option<String>,
    /// Kernel release (`6.1.0-18-amd64`).
    pub kernel: Option<String>,
    /// CPU architecture as the OS names it (`x86_64`, `aarch64`).
    pub arch: Option<String>,
    /// When the OS was installed, when the OS records it.
    pub install_date: Option<DateTime<Utc>>,
    /// Date after which the vendor no longer supports this release, when
    /// the OS states it (`SUPPORT_END`), as `YYYY-MM-DD`.
    pub support_end: Option<String>,
    /// Licence activation (Windows); `null` where the OS has none or it
    /// could not be read. Absent in reports of older agents.
    #[serde(default)]
    pub activation: Option<Activation>,
}

/// Whether the OS licence is activated (Windows' `SoftwareLicensingProduct`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activation {
    /// Activated (licensed) now.
    pub activated: bool,
    /// `licensed`, `unlicensed`, `oob_grace`, `oot_grace`,
    /// `non_genuine_grace`, `notification`, `extended_grace`, or
    /// `status_<n>` for a code this agent does not know.
    pub status: String,
    /// The licensed product (`Windows(R), Professional edition`).
    pub product: Option<String>,
    /// Licence channel (`Retail`, `OEM:DM`, `Volume:MAK`, `Volume:GVLK`).
    pub channel: Option<String>,
}
