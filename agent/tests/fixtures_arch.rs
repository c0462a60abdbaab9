//! `tests/fixtures/hosts/arch-desktop-nonroot`: an Arch Linux desktop on an
//! ASUS PRIME B550M-A with a Ryzen 5 5600X, recorded by an unprivileged user:
//! the root-only DMI files and the SMBIOS table are missing.

mod common;

use census_shared::report::{ChassisType, DiskKind, InterfaceKind, SoftwareSource, VirtKind};
use census_shared::{HostReport, SerialVerdict, check_serial};
use common::*;
use std::sync::OnceLock;

fn report() -> &'static HostReport {
    static R: OnceLock<HostReport> = OnceLock::new();
    R.get_or_init(|| collect("arch-desktop-nonroot"))
}

#[test]
fn arch_only_memory_modules_fail() {
    let e = &report().collection_errors;
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].facet, "memory");
    assert!(e[0].message.contains("run as root"), "{}", e[0].message);
}

#[test]
fn arch_system() {
    let r = report();
    assert_eq!(r.host.hostname.as_deref(), Some("kees-desktop"));
    assert_eq!(r.host.fqdn, None);
    assert_eq!(r.host.domain.as_deref(), Some("fritz.box")); // resolv.conf search
    assert_eq!(
        rfc3339(r.host.boot_time).as_deref(),
        Some("2024-06-03T15:53:20Z")
    );
    assert_eq!(r.host.virtualization.kind, Some(VirtKind::Physical));
    assert_eq!(r.os.name.as_deref(), Some("Arch Linux"));
    assert_eq!(r.os.version, None); // rolling release
    assert_eq!(r.os.id.as_deref(), Some("arch"));
    assert_eq!(r.os.build.as_deref(), Some("rolling"));
    assert_eq!(r.os.kernel.as_deref(), Some("6.9.3-arch1-1"));
    // First line of /var/log/pacman.log: [2023-03-02T10:15:41+0100].
    assert_eq!(
        rfc3339(r.os.install_date).as_deref(),
        Some("2023-03-02T09:15:41Z")
    );
}

#[test]
fn arch_hardware_without_root() {
    let hw = &report().hardware;
    assert_eq!(hw.source.as_deref(), Some("dmi-sysfs"));
    let why = hw.unavailable_reason.as_deref().unwrap();
    assert!(why.contains("readable by root only"), "{why}");
    assert_eq!(hw.manufacturer.as_deref(), Some("ASUS"));
    assert_eq!(hw.model.as_deref(), Some("System Product Name"));
    assert_eq!(hw.board.vendor.as_deref(), Some("ASUSTeK COMPUTER INC."));
    assert_eq!(hw.board.model.as_deref(), Some("PRIME B550M-A"));
    assert_eq!(hw.board.version.as_deref(), Some("Rev X.0x"));
    assert_eq!(
        (&hw.serial, &hw.uuid, &hw.board.serial),
        (&None, &None, &None)
    );
    assert_eq!(hw.chassis_serial, None);
    assert_eq!(hw.chassis_type, Some(ChassisType::Desktop));
    assert_eq!(hw.bios.vendor.as_deref(), Some("American Megatrends Inc."));
    assert_eq!(hw.bios.version.as_deref(), Some("3621"));
    assert_eq!(hw.bios.date.as_deref(), Some("2024-01-12"));
    // The world-readable identity strings this board does show are the
    // firmware's placeholders, never keys.
    assert_eq!(hw.asset_tag.as_deref(), Some("Default string"));
    assert_eq!(hw.family.as_deref(), Some("To be filled by O.E.M."));
    for s in [
        hw.asset_tag.as_deref().unwrap(),
        hw.family.as_deref().unwrap(),
    ] {
        assert!(
            matches!(check_serial(s), SerialVerdict::Placeholder(_)),
            "{s}"
        );
    }
}

#[test]
fn arch_cpu_memory_storage() {
    let r = report();
    let c = &r.cpu;
    assert_eq!(
        c.model.as_deref(),
        Some("AMD Ryzen 5 5600X 6-Core Processor")
    );
    assert_eq!(c.vendor.as_deref(), Some("AuthenticAMD"));
    assert_eq!(
        (c.sockets, c.physical_cores, c.logical_cores),
        (Some(1), Some(6), Some(12))
    );
    assert_eq!(c.mhz, Some(4650));
    assert_eq!(r.memory.total_bytes, Some(32_790_944 * 1024));
    assert!(r.memory.modules.is_empty());

    assert_eq!(disk_names(r), ["nvme0n1"]); // zram0 is not a disk
    let d = disk(r, "nvme0n1");
    assert_eq!(d.kind, Some(DiskKind::Nvme));
    assert_eq!(d.model.as_deref(), Some("Samsung SSD 980 PRO 1TB"));
    assert_eq!(d.serial.as_deref(), Some("S5GXNF0W123456A"));
    assert_eq!(d.size_bytes, Some(1_953_525_168 * 512));
    assert_eq!(mount_points(r), ["/", "/boot", "/home"]);
    assert_eq!(volume(r, "/").filesystem.as_deref(), Some("btrfs"));
    assert_eq!(volume(r, "/home").device.as_deref(), Some("/dev/nvme0n1p2"));
    assert_eq!(volume(r, "/").encrypted, Some(false));
    assert_eq!(r.security.disk_encryption_complete, Some(false));
}

#[test]
fn arch_network() {
    let r = report();
    let e = iface(r, "enp5s0");
    assert_eq!(e.kind, InterfaceKind::Ethernet);
    assert_eq!(e.driver.as_deref(), Some("r8169"));
    assert!(e.up);
    assert_eq!(e.speed_mbps, Some(1000));
    assert_eq!(mac(r, "enp5s0").as_deref(), Some("04:42:1a:8c:5d:e3"));
    assert_eq!(
        addrs(r, "enp5s0"),
        [
            "192.168.1.34/24",
            "fd00::1c2b:9e4d:7a3f:6b58/64",
            "fe80::a2c1:7d3e:52f0:8b14/64"
        ]
    );
    assert_eq!(
        gateways(r),
        [
            ("192.168.1.1".to_string(), Some("enp5s0")),
            ("fe80::3681:c4ff:fe12:3456".to_string(), Some("enp5s0")),
        ]
    );
    assert_eq!(
        ips(&r.network.dns_servers),
        ["192.168.1.1", "fd00::3681:c4ff:fe12:3456"]
    );
    assert_eq!(r.network.search_domains, ["fritz.box"]);
}

#[test]
fn arch_pacman_packages() {
    let r = report();
    assert_eq!(count(r, SoftwareSource::Pacman), 16);
    assert_eq!(r.software.len(), 16);
    let linux = package(r, SoftwareSource::Pacman, "linux");
    assert_eq!(linux.version.as_deref(), Some("6.9.3.arch1-1"));
    assert_eq!(linux.arch.as_deref(), Some("x86_64"));
    assert_eq!(
        linux.publisher.as_deref(),
        Some("Jan Alexander Steffens (heftig)")
    );
    assert_eq!(
        rfc3339(linux.install_date).as_deref(),
        Some("2024-06-03T19:05:31Z")
    );
    let base = package(r, SoftwareSource::Pacman, "base");
    assert_eq!(base.arch.as_deref(), Some("any"));
    assert_eq!(
        rfc3339(base.install_date).as_deref(),
        Some("2023-03-02T09:15:47Z")
    );
    let nft = package(r, SoftwareSource::Pacman, "nftables");
    assert_eq!(nft.version.as_deref(), Some("1:1.0.9-1")); // epoch kept
    assert_eq!(nft.publisher.as_deref(), Some("Sébastien Luttringer"));
    let yay = package(r, SoftwareSource::Pacman, "yay"); // built from the AUR
    assert_eq!(yay.publisher.as_deref(), Some("Unknown Packager"));
}

#[test]
fn arch_users_and_security() {
    let r = report();
    assert_eq!(humans(r), [("kees", Some(1000), true)]);
    assert_eq!(
        r.users.accounts[0].full_name.as_deref(),
        Some("Kees Bakker")
    );
    let last = r.users.last_login.as_ref().unwrap();
    assert_eq!(last.user, "kees");
    assert_eq!(rfc3339(last.at).as_deref(), Some("2024-06-03T15:55:00Z"));
    assert_eq!(last.from.as_deref(), Some(":0"));
    let fw = r.security.firewall.as_ref().unwrap();
    assert!(fw.active);
    assert_eq!(fw.product.as_deref(), Some("nftables"));
    let up = r.security.automatic_updates.as_ref().unwrap();
    assert!(!up.enabled);
    assert_eq!(up.mechanism, None);
    assert!(r.security.antivirus.is_empty());
}
