//! Report parts about the physical (or virtual) hardware: identity
//! (make, model, serials, UUID), chassis, BIOS, CPU, memory and storage.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Hardware identity as firmware (SMBIOS/DMI) reports it. Serials and the
/// UUID are reported verbatim (trimmed); whether they are usable as identity
/// keys is judged by [`crate::check_serial`] / [`crate::check_uuid`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Hardware {
    /// System manufacturer (`Dell Inc.`, `LENOVO`, `QEMU`).
    pub manufacturer: Option<String>,
    /// Product name (`OptiPlex 7090`, `20XW0055MH`).
    pub model: Option<String>,
    /// Product family or marketing name (`ThinkPad T14 Gen 2i`), when given.
    pub family: Option<String>,
    /// Stock keeping unit, when given.
    pub sku: Option<String>,
    /// System serial number (service tag).
    pub serial: Option<String>,
    /// SMBIOS system UUID, canonical lower-case form.
    pub uuid: Option<String>,
    /// Main board.
    pub board: Board,
    /// Chassis form factor.
    pub chassis_type: Option<ChassisType>,
    /// Chassis serial number, when it differs from nothing.
    pub chassis_serial: Option<String>,
    /// Chassis asset tag, when set.
    pub asset_tag: Option<String>,
    /// BIOS / UEFI firmware.
    pub bios: Bios,
    /// Where the values came from: `smbios` (raw tables, needs root),
    /// `dmi-sysfs` (`/sys/class/dmi/id`, serials need root), `wmi`, `ioreg`.
    pub source: Option<String>,
    /// Why some identity values are missing, when known: not root, no DMI
    /// in a container, no firmware tables on this platform.
    pub unavailable_reason: Option<String>,
}

/// Main board (SMBIOS type 2).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Board {
    /// Board manufacturer.
    pub vendor: Option<String>,
    /// Board product name.
    pub model: Option<String>,
    /// Board version.
    pub version: Option<String>,
    /// Board serial number.
    pub serial: Option<String>,
}

/// BIOS / UEFI firmware (SMBIOS type 0).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Bios {
    /// Firmware vendor.
    pub vendor: Option<String>,
    /// Firmware version string.
    pub version: Option<String>,
    /// Release date, `YYYY-MM-DD` when it could be parsed, else verbatim.
    pub date: Option<String>,
}

/// Chassis form factor, from SMBIOS chassis type codes and virtualisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChassisType {
    Desktop,
    Tower,
    Mini,
    AllInOne,
    Laptop,
    Tablet,
    Convertible,
    Server,
    Blade,
    Rack,
    Embedded,
    Vm,
    Container,
    Other,
}

impl ChassisType {
    /// Map an SMBIOS chassis type code (DMTF DSP0134, 7.4.1). The top bit
    /// (chassis lock) is ignored.
    pub fn from_smbios(code: u8) -> Option<ChassisType> {
        use ChassisType::*;
        Some(match code & 0x7f {
            0x03 | 0x04 | 0x05 | 0x0f | 0x18 => Desktop,
            0x06 | 0x07 => Tower,
            0x10 | 0x23 | 0x24 => Mini,
            0x0d => AllInOne,
            0x08..=0x0b | 0x0e => Laptop,
            0x1e => Tablet,
            0x1f | 0x20 => Convertible,
            0x11 | 0x19 => Server,
            0x17 => Rack,
            0x1c | 0x1d => Blade,
            0x1a | 0x1b | 0x21 | 0x22 => Embedded,
            0x01 | 0x02 => return None,
            _ => Other,
        })
    }
}

/// Processors.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Cpu {
    /// Model name (`Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz`).
    pub model: Option<String>,
    /// Vendor (`GenuineIntel`, `AuthenticAMD`, `ARM`).
    pub vendor: Option<String>,
    /// Populated sockets.
    pub sockets: Option<u32>,
    /// Physical cores over all sockets.
    pub physical_cores: Option<u32>,
    /// Logical processors (threads) the OS can use.
    pub logical_cores: Option<u32>,
    /// Maximum (or else current) clock in MHz.
    pub mhz: Option<u32>,
}

/// Memory.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Memory {
    /// Memory the OS sees, in bytes.
    pub total_bytes: Option<u64>,
    /// Installed modules (empty slots are left out).
    pub modules: Vec<MemoryModule>,
}

/// One installed memory module (SMBIOS type 17).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MemoryModule {
    /// Slot label (`DIMM A1`, `ChannelA-DIMM0`).
    pub slot: Option<String>,
    /// Size in bytes.
    pub size_bytes: Option<u64>,
    /// `DDR4`, `LPDDR5`, …
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `DIMM`, `SODIMM`, …
    pub form_factor: Option<String>,
    /// Configured (else rated) speed in MT/s.
    pub speed_mts: Option<u32>,
    /// Module manufacturer.
    pub manufacturer: Option<String>,
    /// Part number.
    pub part_number: Option<String>,
    /// Module serial number.
    pub serial: Option<String>,
}

/// Physical disks and mounted volumes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Storage {
    /// Physical (or virtual) block devices, partitions excluded.
    pub disks: Vec<Disk>,
    /// Mounted file systems backed by a block device or network share.
    pub volumes: Vec<Volume>,
}

/// A disk.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Disk {
    /// Kernel or OS name (`sda`, `nvme0n1`, `\\.\PHYSICALDRIVE0`).
    pub name: String,
    /// Model.
    pub model: Option<String>,
    /// Vendor, when the bus reports one separately.
    pub vendor: Option<String>,
    /// Serial number.
    pub serial: Option<String>,
    /// Firmware revision.
    pub firmware: Option<String>,
    /// Size in bytes.
    pub size_bytes: Option<u64>,
    /// `ssd`, `hdd`, `nvme`, `virtual`, or `null` when unknown.
    pub kind: Option<DiskKind>,
    /// Removable media or USB-attached.
    pub removable: bool,
    /// Bus: `sata`, `nvme`, `usb`, `virtio`, `scsi`, `mmc`.
    pub bus: Option<String>,
}

/// Disk technology.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiskKind {
    Ssd,
    Hdd,
    Nvme,
    Virtual,
}

/// A mounted file system.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Volume {
    /// Mount point (`/`, `/home`, `C:\`).
    pub mount_point: String,
    /// Source device (`/dev/nvme0n1p2`, `/dev/mapper/root`, `//nas/share`).
    pub device: Option<String>,
    /// File system (`ext4`, `xfs`, `ntfs`, `apfs`, `cifs`).
    pub filesystem: Option<String>,
    /// Size in bytes.
    pub size_bytes: Option<u64>,
    /// Free bytes (available to unprivileged users).
    pub free_bytes: Option<u64>,
    /// Whether the volume is encrypted at rest; `null` when unknown.
    pub encrypted: Option<bool>,
    /// Encryption technology (`luks`, `bitlocker`, `filevault`).
    pub encryption: Option<String>,
}

/// Convenience: a timestamp from seconds since the Unix epoch.
pub fn unix_time(secs: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(secs, 0)
}
