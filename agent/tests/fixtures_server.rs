//! `tests/fixtures/hosts/rhel9-server`: Rocky Linux 9.4 on a Dell PowerEdge
//! R650 with two Xeon Silver 4310, four 32 GiB RDIMMs, SATA disks on the
//! chipset, static addresses, rpm (recorded `rpm -qa` output), firewalld,
//! dnf-automatic and CrowdStrike Falcon.

mod common;

use census_shared::report::{ChassisType, DiskKind, InterfaceKind, SoftwareSource, VirtKind};
use census_shared::{HostReport, check_serial, check_uuid};
use common::*;
use std::sync::OnceLock;

fn report() -> &'static HostReport {
    static R: OnceLock<HostReport> = OnceLock::new();
    R.get_or_init(|| collect("rhel9-server"))
}

#[test]
fn server_nothing_fails() {
    assert_eq!(report().collection_errors, []);
}

#[test]
fn server_system() {
    let r = report();
    // Anaconda sets the fully qualified name as the kernel host name.
    assert_eq!(
        r.host.hostname.as_deref(),
        Some("srv-app01.kantoor.example.nl")
    );
    assert_eq!(r.host.fqdn.as_deref(), Some("srv-app01.kantoor.example.nl"));
    assert_eq!(r.host.domain.as_deref(), Some("kantoor.example.nl"));
    assert_eq!(
        rfc3339(r.host.boot_time).as_deref(),
        Some("2024-05-29T06:00:00Z")
    );
    assert_eq!(r.host.virtualization.kind, Some(VirtKind::Physical));
    assert_eq!(r.os.name.as_deref(), Some("Rocky Linux"));
    assert_eq!(r.os.version.as_deref(), Some("9.4"));
    assert_eq!(
        r.os.pretty_name.as_deref(),
        Some("Rocky Linux 9.4 (Blue Onyx)")
    );
    assert_eq!(r.os.id.as_deref(), Some("rocky"));
    assert_eq!(r.os.id_like, ["rhel", "centos", "fedora"]);
    assert_eq!(r.os.build, None); // no VERSION_CODENAME or BUILD_ID
    assert_eq!(r.os.support_end.as_deref(), Some("2032-05-31"));
    assert_eq!(r.os.kernel.as_deref(), Some("5.14.0-427.18.1.el9_4.x86_64"));
    assert!(r.os.install_date.is_some()); // /root/anaconda-ks.cfg (mtime: not asserted)
}

#[test]
fn server_hardware() {
    let hw = &report().hardware;
    assert_eq!(hw.source.as_deref(), Some("smbios"));
    assert_eq!(hw.manufacturer.as_deref(), Some("Dell Inc."));
    assert_eq!(hw.model.as_deref(), Some("PowerEdge R650"));
    assert_eq!(hw.family.as_deref(), Some("PowerEdge"));
    assert_eq!(hw.sku.as_deref(), Some("SKU=090E;ModelName=PowerEdge R650"));
    assert_eq!(hw.serial.as_deref(), Some("7XJ4K93"));
    assert_eq!(
        hw.uuid.as_deref(),
        Some("4c4c4544-0058-4a10-8034-b7c04f4b3933")
    );
    assert_eq!(hw.chassis_type, Some(ChassisType::Rack));
    assert_eq!(hw.chassis_serial.as_deref(), Some("7XJ4K93"));
    assert_eq!(hw.asset_tag, None);
    assert_eq!(hw.board.model.as_deref(), Some("0Y2K8N"));
    assert_eq!(hw.board.serial.as_deref(), Some(".7XJ4K93.CNFCP0034A00FQ."));
    assert_eq!(hw.bios.vendor.as_deref(), Some("Dell Inc."));
    assert_eq!(hw.bios.version.as_deref(), Some("1.13.2"));
    assert_eq!(hw.bios.date.as_deref(), Some("2024-03-14"));
    assert_eq!(check_serial("7XJ4K93").valid(), Some("7XJ4K93"));
    assert_eq!(
        check_uuid(hw.uuid.as_deref().unwrap()).valid(),
        Some("4c4c4544-0058-4a10-8034-b7c04f4b3933")
    );
}

#[test]
fn server_cpu_and_memory() {
    let r = report();
    let c = &r.cpu;
    assert_eq!(
        c.model.as_deref(),
        Some("Intel(R) Xeon(R) Silver 4310 CPU @ 2.10GHz")
    );
    assert_eq!(
        (c.sockets, c.physical_cores, c.logical_cores),
        (Some(2), Some(24), Some(48))
    );
    assert_eq!(c.mhz, Some(3300)); // cpuinfo_max_freq 3300000 kHz
    assert_eq!(r.memory.total_bytes, Some(131_454_812 * 1024));
    let m = &r.memory.modules;
    // 32 slots in the table, A1 A2 B1 B2 populated.
    let slots: Vec<_> = m.iter().map(|m| m.slot.as_deref().unwrap()).collect();
    assert_eq!(slots, ["A1", "A2", "B1", "B2"]);
    for module in m {
        // 32 GiB needs the extended size field (size word 0x7FFF).
        assert_eq!(module.size_bytes, Some(32 * GIB));
        assert_eq!(module.kind.as_deref(), Some("DDR4"));
        assert_eq!(module.form_factor.as_deref(), Some("DIMM"));
        // Rated 3200 MT/s, configured 2666 MT/s (the Silver 4310's limit).
        assert_eq!(module.speed_mts, Some(2666));
        assert_eq!(module.manufacturer.as_deref(), Some("Hynix Semiconductor"));
        assert_eq!(module.part_number.as_deref(), Some("HMA84GR7CJR4N-XN"));
    }
    assert_eq!(m[0].serial.as_deref(), Some("80AD0132A1B2C3D4"));
    assert_eq!(m[3].serial.as_deref(), Some("80AD0132A1B2C42F"));
}

#[test]
fn server_storage() {
    let r = report();
    assert_eq!(disk_names(r), ["sda", "sdb"]);
    let hdd = disk(r, "sda");
    assert_eq!(hdd.kind, Some(DiskKind::Hdd));
    assert_eq!(hdd.bus.as_deref(), Some("sata"));
    assert_eq!(hdd.vendor, None); // "ATA" is the bus, not a vendor
    // The full ATA model from udev, not sysfs's 16-character "ST2000NM0055-1V4".
    assert_eq!(hdd.model.as_deref(), Some("ST2000NM0055-1V4104"));
    assert_eq!(hdd.serial.as_deref(), Some("ZC20K8QM"));
    assert_eq!(hdd.firmware.as_deref(), Some("DB62"));
    assert_eq!(hdd.size_bytes, Some(3_907_029_168 * 512));
    let ssd = disk(r, "sdb");
    assert_eq!(ssd.kind, Some(DiskKind::Ssd));
    assert_eq!(ssd.model.as_deref(), Some("MZ7LH480HBHQ0D3"));
    assert_eq!(ssd.serial.as_deref(), Some("S45PNA0M912345"));
    assert!(!hdd.removable && !ssd.removable);

    assert_eq!(
        mount_points(r),
        ["/", "/boot", "/boot/efi", "/data", "/home"]
    );
    for v in &r.storage.volumes {
        assert_eq!(v.encrypted, Some(false), "{}", v.mount_point);
    }
    assert_eq!(
        volume(r, "/").device.as_deref(),
        Some("/dev/mapper/rl-root")
    );
    assert_eq!(volume(r, "/").filesystem.as_deref(), Some("xfs"));
    assert_eq!(volume(r, "/data").size_bytes, Some(1_999_709_298_688));
    assert_eq!(r.security.disk_encryption_complete, Some(false));
}

#[test]
fn server_network() {
    let r = report();
    for (name, want_mac, addr) in [
        ("eno1", "b0:7b:25:d4:8e:a0", "10.20.30.11/24"),
        ("eno2", "b0:7b:25:d4:8e:a1", "10.20.40.11/24"),
    ] {
        let i = iface(r, name);
        assert_eq!(i.kind, InterfaceKind::Ethernet);
        assert!(i.up);
        assert_eq!(i.driver.as_deref(), Some("tg3"));
        assert_eq!(i.speed_mbps, Some(1000));
        assert_eq!(mac(r, name).as_deref(), Some(want_mac));
        assert!(addrs(r, name).contains(&addr.to_string()), "{name}");
    }
    assert_eq!(iface(r, "lo").kind, InterfaceKind::Loopback);
    assert_eq!(gateways(r), [("10.20.30.1".to_string(), Some("eno1"))]);
    assert_eq!(ips(&r.network.dns_servers), ["10.20.30.2", "10.20.30.3"]);
    assert_eq!(r.network.search_domains, ["kantoor.example.nl"]);
    assert_eq!(r.network.wifi, None);
}

#[test]
fn server_rpm_packages() {
    let r = report();
    // 27 lines of recorded `rpm -qa` output, two of them gpg-pubkey.
    assert_eq!(count(r, SoftwareSource::Rpm), 25);
    assert_eq!(r.software.len(), 25);
    assert!(!has(r, "gpg-pubkey"));
    let nm = package(r, SoftwareSource::Rpm, "NetworkManager");
    assert_eq!(nm.version.as_deref(), Some("1:1.46.0-8.el9_4"));
    assert_eq!(
        nm.publisher.as_deref(),
        Some("Rocky Enterprise Software Foundation")
    );
    assert_eq!(nm.arch.as_deref(), Some("x86_64"));
    assert_eq!(
        package(r, SoftwareSource::Rpm, "perl-libs")
            .version
            .as_deref(),
        Some("4:5.32.1-481.el9")
    );
    let bash = package(r, SoftwareSource::Rpm, "bash");
    assert_eq!(bash.version.as_deref(), Some("5.1.8-9.el9")); // epoch (none)
    assert_eq!(
        rfc3339(bash.install_date).as_deref(),
        Some("2024-05-29T09:00:16Z")
    );
    assert_eq!(
        package(r, SoftwareSource::Rpm, "firewalld").arch.as_deref(),
        Some("noarch")
    );
    let falcon = package(r, SoftwareSource::Rpm, "falcon-sensor");
    assert_eq!(falcon.version.as_deref(), Some("7.14.0-16703.el9"));
    assert_eq!(falcon.publisher.as_deref(), Some("CrowdStrike, Inc."));
    assert_eq!(
        rfc3339(falcon.install_date).as_deref(),
        Some("2024-05-30T09:27:14Z")
    );
}

#[test]
fn server_users_and_security() {
    let r = report();
    // backup-svc (uid 1002) has /sbin/nologin; sync/shutdown/halt are system ids.
    assert_eq!(
        humans(r),
        [("beheer", Some(1000), true), ("deploy", Some(1001), false)]
    );
    let last = r.users.last_login.as_ref().unwrap();
    assert_eq!(last.user, "beheer");
    assert_eq!(rfc3339(last.at).as_deref(), Some("2024-05-30T06:20:00Z"));
    assert_eq!(last.from.as_deref(), Some("10.20.30.5"));

    let s = &r.security;
    let fw = s.firewall.as_ref().unwrap();
    assert!(fw.active);
    assert_eq!(fw.product.as_deref(), Some("firewalld"));
    let up = s.automatic_updates.as_ref().unwrap();
    assert!(up.enabled);
    assert_eq!(up.mechanism.as_deref(), Some("dnf-automatic"));
    let av: Vec<_> = s
        .antivirus
        .iter()
        .map(|a| (a.name.as_str(), a.active))
        .collect();
    assert_eq!(av, [("CrowdStrike Falcon", Some(true))]);
}
