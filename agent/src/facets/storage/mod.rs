//! The `storage` facet: physical disks (model, serial, size, technology,
//! removable) and mounted volumes (size, free, encryption).
//! Parsers of `/proc/mounts` and udev database entries are here; macOS's
//! `diskutil` and `system_profiler` in `apple.rs`.

pub mod apple;
#[cfg(target_os = "linux")]
pub mod linux;
#[cfg(target_os = "macos")]
pub mod macos;
pub mod win_volumes;
#[cfg(windows)]
pub mod windows;

use std::collections::BTreeMap;

/// One line of `/proc/mounts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub device: String,
    pub mount_point: String,
    pub fstype: String,
}

/// File systems that are shares on another machine.
pub const NETWORK_FS: &[&str] = &["nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p"];

/// Parse `/proc/mounts`, decoding the octal escapes (`\040` is a space).
pub fn parse_mounts(text: &str) -> Vec<Mount> {
    text.lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            Some(Mount {
                device: unescape(it.next()?),
                mount_point: unescape(it.next()?),
                fstype: it.next()?.to_string(),
            })
        })
        .collect()
}

fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            let v = (b[i + 1] - b'0') as u32 * 64
                + (b[i + 2] - b'0') as u32 * 8
                + (b[i + 3] - b'0') as u32;
            out.push(v as u8);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Volumes worth reporting: block-device file systems (loop devices and
/// snap images excluded) and network shares; one entry per mount point.
pub fn interesting(mounts: Vec<Mount>) -> Vec<Mount> {
    let mut seen = BTreeMap::new();
    for m in mounts {
        let block = m.device.starts_with("/dev/") && !m.device.starts_with("/dev/loop");
        let network = NETWORK_FS.contains(&m.fstype.as_str());
        if (block || network) && m.fstype != "squashfs" {
            seen.insert(m.mount_point.clone(), m);
        }
    }
    seen.into_values().collect()
}

/// `E:KEY=VALUE` properties of a udev database entry (`/run/udev/data/b8:0`).
pub fn udev_properties(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("E:")?.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Decode udev's `\xNN` escapes (`ID_MODEL_ENC`), trimmed; unlike
/// `ID_MODEL` it keeps real underscores apart from spaces.
pub fn udev_decode(enc: &str) -> String {
    let mut out = Vec::with_capacity(enc.len());
    let b = enc.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && b.get(i + 1) == Some(&b'x')
            && let Some(v) = enc
                .get(i + 2..i + 4)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mounts_are_filtered_and_unescaped() {
        let m = parse_mounts(
            "proc /proc proc rw 0 0\n/dev/nvme0n1p2 / ext4 rw 0 0\n/dev/loop3 /snap/core/1 squashfs ro 0 0\n/dev/sdb1 /media/USB\\040Stick vfat rw 0 0\n//nas/data /mnt/data cifs rw 0 0\ntmpfs /run tmpfs rw 0 0\n/dev/nvme0n1p2 / ext4 rw 0 0\n",
        );
        let v = interesting(m);
        let points: Vec<&str> = v.iter().map(|m| m.mount_point.as_str()).collect();
        assert_eq!(points, ["/", "/media/USB Stick", "/mnt/data"]);
    }

    #[test]
    fn udev_db() {
        let p = udev_properties(
            "S:disk/by-id/ata-X\nE:ID_BUS=ata\nE:ID_SERIAL_SHORT=S4EWNX0R123456\nG:systemd\n",
        );
        assert_eq!(p["ID_BUS"], "ata");
        assert_eq!(p["ID_SERIAL_SHORT"], "S4EWNX0R123456");
        assert_eq!(p.len(), 2);
        assert_eq!(
            udev_decode("Micron_5300_MTFDDAK480TDS\\x20\\x20"),
            "Micron_5300_MTFDDAK480TDS"
        );
        assert_eq!(udev_decode("Ultra\\x20Fit\\x20\\x20"), "Ultra Fit");
    }
}
