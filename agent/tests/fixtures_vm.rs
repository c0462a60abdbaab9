//! `tests/fixtures/hosts/kvm-vm-placeholders`: a Debian 12 file server in a
//! QEMU/KVM guest (Proxmox-style q35 + SeaBIOS) whose firmware fills identity
//! fields with placeholders: "Not Specified" serials and an all-zero UUID.

mod common;

use census_shared::report::{ChassisType, DiskKind, InterfaceKind, SoftwareSource, VirtKind};
use census_shared::{HostReport, SerialVerdict, UuidVerdict, check_serial, check_uuid};
use common::*;
use std::sync::OnceLock;

fn report() -> &'static HostReport {
    static R: OnceLock<HostReport> = OnceLock::new();
    R.get_or_init(|| collect("kvm-vm-placeholders"))
}

#[test]
fn vm_nothing_fails() {
    assert_eq!(report().collection_errors, []);
}

#[test]
fn vm_system() {
    let r = report();
    assert_eq!(r.host.hostname.as_deref(), Some("deb-files01"));
    assert_eq!(
        r.host.fqdn.as_deref(),
        Some("deb-files01.kantoor.example.nl")
    );
    assert_eq!(r.host.domain.as_deref(), Some("kantoor.example.nl"));
    assert_eq!(
        rfc3339(r.host.boot_time).as_deref(),
        Some("2024-05-20T10:13:20Z")
    );
    assert_eq!(r.host.virtualization.kind, Some(VirtKind::Vm));
    assert_eq!(r.host.virtualization.technology.as_deref(), Some("qemu"));
    assert_eq!(r.os.name.as_deref(), Some("Debian GNU/Linux"));
    assert_eq!(r.os.version.as_deref(), Some("12"));
    assert_eq!(r.os.id.as_deref(), Some("debian"));
    assert_eq!(r.os.build.as_deref(), Some("bookworm"));
}

#[test]
fn vm_placeholder_identity() {
    let hw = &report().hardware;
    assert_eq!(hw.source.as_deref(), Some("smbios"));
    assert_eq!(hw.manufacturer.as_deref(), Some("QEMU"));
    assert_eq!(hw.model.as_deref(), Some("Standard PC (Q35 + ICH9, 2009)"));
    // Placeholders are reported verbatim; the merge engine judges them.
    assert_eq!(hw.serial.as_deref(), Some("Not Specified"));
    assert_eq!(hw.board.serial.as_deref(), Some("Not Specified"));
    for s in [
        hw.serial.as_deref().unwrap(),
        hw.board.serial.as_deref().unwrap(),
    ] {
        assert!(
            matches!(check_serial(s), SerialVerdict::Placeholder(_)),
            "{s}"
        );
    }
    // The table's UUID is all zeros: never reported as a value (and the
    // kernel leaves product_uuid out of sysfs for it).
    assert_eq!(hw.uuid, None);
    assert!(matches!(
        check_uuid("00000000-0000-0000-0000-000000000000"),
        UuidVerdict::Placeholder(_)
    ));
    // Chassis code 1 ("Other") gives way to what the host is: a VM.
    assert_eq!(hw.chassis_type, Some(ChassisType::Vm));
    assert_eq!(hw.chassis_serial, None);
    assert_eq!(hw.bios.vendor.as_deref(), Some("SeaBIOS"));
    assert_eq!(
        hw.bios.version.as_deref(),
        Some("rel-1.16.3-0-ga6ed6b701f0a-prebuilt.qemu.org")
    );
    assert_eq!(hw.bios.date.as_deref(), Some("2014-04-01"));
}

#[test]
fn vm_cpu_and_memory() {
    let r = report();
    let c = &r.cpu;
    assert_eq!(
        c.model.as_deref(),
        Some("Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz")
    );
    assert_eq!(
        (c.sockets, c.physical_cores, c.logical_cores),
        (Some(1), Some(4), Some(4))
    );
    assert_eq!(c.mhz, Some(2400)); // cpu MHz 2399.998; a guest has no cpufreq
    assert_eq!(r.memory.total_bytes, Some(4_010_224 * 1024));
    let m = &r.memory.modules;
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].slot.as_deref(), Some("DIMM 0"));
    assert_eq!(m[0].size_bytes, Some(4 * GIB));
    assert_eq!(m[0].kind.as_deref(), Some("RAM"));
    assert_eq!(m[0].form_factor.as_deref(), Some("DIMM"));
    assert_eq!(m[0].speed_mts, None);
    assert_eq!(m[0].manufacturer.as_deref(), Some("QEMU"));
    assert_eq!((&m[0].part_number, &m[0].serial), (&None, &None));
}

#[test]
fn vm_storage() {
    let r = report();
    assert_eq!(disk_names(r), ["vda", "vdb"]); // sr0 is not a disk
    for name in ["vda", "vdb"] {
        let d = disk(r, name);
        assert_eq!(d.kind, Some(DiskKind::Virtual));
        assert_eq!(d.bus.as_deref(), Some("virtio"));
        assert_eq!((&d.model, &d.serial, &d.vendor), (&None, &None, &None));
    }
    assert_eq!(disk(r, "vda").size_bytes, Some(32 * GIB));
    assert_eq!(mount_points(r), ["/", "/srv"]);
    assert_eq!(volume(r, "/srv").device.as_deref(), Some("/dev/vdb1"));
    assert_eq!(volume(r, "/").encrypted, Some(false));
    assert_eq!(r.security.disk_encryption_complete, Some(false));
}

#[test]
fn vm_network() {
    let r = report();
    let e = iface(r, "ens18");
    assert_eq!(e.kind, InterfaceKind::Ethernet);
    assert_eq!(e.driver.as_deref(), Some("virtio_net"));
    assert_eq!(e.speed_mbps, None); // virtio reports -1
    assert!(e.up);
    assert_eq!(mac(r, "ens18").as_deref(), Some("52:54:00:6b:3c:a1"));
    assert_eq!(
        addrs(r, "ens18"),
        ["10.20.30.21/24", "fe80::5054:ff:fe6b:3ca1/64"]
    );
    assert_eq!(gateways(r), [("10.20.30.1".to_string(), Some("ens18"))]);
    assert_eq!(ips(&r.network.dns_servers), ["10.20.30.2", "10.20.30.3"]);
    assert_eq!(r.network.search_domains, ["kantoor.example.nl"]);
}

#[test]
fn vm_software_users_security() {
    let r = report();
    assert_eq!(count(r, SoftwareSource::Dpkg), 22);
    assert_eq!(r.software.len(), 22);
    let qga = package(r, SoftwareSource::Dpkg, "qemu-guest-agent");
    assert_eq!(qga.version.as_deref(), Some("1:7.2+dfsg-7+deb12u6"));
    let ssh = package(r, SoftwareSource::Dpkg, "openssh-server");
    assert_eq!(ssh.version.as_deref(), Some("1:9.2p1-2+deb12u2"));
    assert_eq!(ssh.publisher.as_deref(), Some("Debian OpenSSH Maintainers"));

    assert_eq!(humans(r), [("beheerder", Some(1000), true)]);
    let last = r.users.last_login.as_ref().unwrap();
    assert_eq!(last.user, "beheerder");
    assert_eq!(rfc3339(last.at).as_deref(), Some("2024-05-20T11:13:20Z"));
    assert_eq!(last.from.as_deref(), Some("10.20.30.5"));

    let fw = r.security.firewall.as_ref().unwrap();
    assert!(!fw.active);
    assert_eq!(fw.product, None);
    let up = r.security.automatic_updates.as_ref().unwrap();
    assert!(up.enabled);
    assert_eq!(up.mechanism.as_deref(), Some("unattended-upgrades"));
    assert!(r.security.antivirus.is_empty());
}
