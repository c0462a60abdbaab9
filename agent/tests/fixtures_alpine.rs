//! `tests/fixtures/hosts/alpine319-container`: Alpine 3.19 in Docker Desktop
//! on an Apple-silicon Mac (aarch64 LinuxKit VM without DMI): apk database,
//! veth `eth0`, Docker's bind-mounted `/etc/hosts` and friends.

mod common;

use census_shared::HostReport;
use census_shared::report::{ChassisType, DiskKind, InterfaceKind, SoftwareSource, VirtKind};
use common::*;
use std::sync::OnceLock;

fn report() -> &'static HostReport {
    static R: OnceLock<HostReport> = OnceLock::new();
    R.get_or_init(|| collect("alpine319-container"))
}

#[test]
fn alpine_nothing_fails() {
    // No DMI and no firmware tables at all: nothing to complain about.
    assert_eq!(report().collection_errors, []);
}

#[test]
fn alpine_system() {
    let r = report();
    assert_eq!(r.host.hostname.as_deref(), Some("3f4e5d6c7b8a"));
    assert_eq!(r.host.fqdn, None);
    assert_eq!(r.host.domain, None);
    assert_eq!(r.host.virtualization.kind, Some(VirtKind::Container));
    assert_eq!(r.host.virtualization.technology.as_deref(), Some("docker"));
    assert_eq!(r.os.name.as_deref(), Some("Alpine Linux"));
    assert_eq!(r.os.version.as_deref(), Some("3.19.1"));
    assert_eq!(r.os.pretty_name.as_deref(), Some("Alpine Linux v3.19"));
    assert_eq!(r.os.id.as_deref(), Some("alpine"));
    assert!(r.os.id_like.is_empty());
    assert_eq!(r.os.arch.as_deref(), Some("aarch64"));
    assert_eq!(r.os.kernel.as_deref(), Some("6.6.22-linuxkit"));
    assert_eq!(r.os.install_date, None);
}

#[test]
fn alpine_hardware_unavailable() {
    let r = report();
    let hw = &r.hardware;
    assert_eq!(
        (&hw.manufacturer, &hw.model, &hw.serial, &hw.uuid),
        (&None, &None, &None, &None)
    );
    assert_eq!(hw.source, None);
    assert_eq!(hw.chassis_type, Some(ChassisType::Container));
    let why = hw.unavailable_reason.as_deref().unwrap();
    assert!(why.contains("/sys/class/dmi/id is absent"), "{why}");
    // ARM cpuinfo: implementer 0x61 is Apple; no model name, no clock.
    let c = &r.cpu;
    assert_eq!(c.vendor.as_deref(), Some("Apple"));
    assert_eq!(c.model, None);
    assert_eq!((c.sockets, c.logical_cores), (Some(1), Some(8)));
    assert_eq!(c.mhz, None);
    assert_eq!(r.memory.total_bytes, Some(8_131_772 * 1024));
    assert!(r.memory.modules.is_empty());
}

#[test]
fn alpine_storage() {
    let r = report();
    // The VM's disk, seen through the container's read-only sysfs.
    assert_eq!(disk_names(r), ["vda"]);
    assert_eq!(disk(r, "vda").kind, Some(DiskKind::Virtual));
    assert_eq!(disk(r, "vda").bus.as_deref(), Some("virtio"));
    // overlay root is not a block device; /etc/hosts, /etc/hostname and
    // /etc/resolv.conf are bind-mounted files, not volumes.
    assert!(r.storage.volumes.is_empty(), "{:?}", r.storage.volumes);
    assert_eq!(r.security.disk_encryption_complete, None);
}

#[test]
fn alpine_network() {
    let r = report();
    let eth = iface(r, "eth0");
    assert_eq!(eth.kind, InterfaceKind::Virtual); // veth: no device directory
    assert!(eth.up);
    assert_eq!(eth.driver, None);
    assert_eq!(mac(r, "eth0").as_deref(), Some("02:42:ac:11:00:02"));
    assert_eq!(addrs(r, "eth0"), ["172.17.0.2/16"]);
    assert_eq!(iface(r, "lo").kind, InterfaceKind::Loopback);
    assert_eq!(gateways(r), [("172.17.0.1".to_string(), Some("eth0"))]);
    assert_eq!(ips(&r.network.dns_servers), ["192.168.65.7"]);
    assert!(r.network.search_domains.is_empty());
}

#[test]
fn alpine_apk_packages() {
    let r = report();
    assert_eq!(count(r, SoftwareSource::Apk), 15);
    assert_eq!(r.software.len(), 15);
    let musl = package(r, SoftwareSource::Apk, "musl");
    assert_eq!(musl.version.as_deref(), Some("1.2.4_git20230717-r4"));
    assert_eq!(musl.arch.as_deref(), Some("aarch64"));
    assert_eq!(musl.publisher.as_deref(), Some("Timo Teräs"));
    assert_eq!(musl.install_date, None); // apk records none
    let bb = package(r, SoftwareSource::Apk, "busybox");
    assert_eq!(bb.version.as_deref(), Some("1.36.1-r15"));
    assert_eq!(bb.publisher.as_deref(), Some("Sören Tempel"));
    let crypto = package(r, SoftwareSource::Apk, "libcrypto3");
    assert_eq!(crypto.version.as_deref(), Some("3.1.4-r5"));
    assert_eq!(crypto.publisher.as_deref(), Some("Ariadne Conill"));
    assert!(has(r, "ca-certificates-bundle") && has(r, "ssl_client"));
}

#[test]
fn alpine_users_and_security() {
    let r = report();
    assert!(r.users.accounts.is_empty()); // root and service accounts only
    assert_eq!(r.users.last_login, None);
    let fw = r.security.firewall.as_ref().unwrap();
    assert!(!fw.active);
    assert_eq!(fw.product, None);
    let up = r.security.automatic_updates.as_ref().unwrap();
    assert!(!up.enabled);
    assert_eq!(up.mechanism, None);
    assert!(r.security.antivirus.is_empty());
}
