//! `tests/fixtures/hosts/ubuntu2204-laptop`: a ThinkPad T14 Gen 2i with
//! Ubuntu 22.04, LUKS + LVM root, wifi, docker, wireguard, snaps, a flatpak,
//! a USB stick and a raw SMBIOS 3.2 table (made by
//! `tests/fixtures/smbios/make_smbios.py`).

mod common;

use census_shared::report::{ChassisType, DiskKind, InterfaceKind, SoftwareSource, VirtKind};
use census_shared::{HostReport, SerialVerdict, check_serial, check_uuid};
use common::*;
use std::sync::OnceLock;

fn report() -> &'static HostReport {
    static R: OnceLock<HostReport> = OnceLock::new();
    R.get_or_init(|| collect("ubuntu2204-laptop"))
}

#[test]
fn laptop_nothing_fails() {
    assert_eq!(report().collection_errors, []);
}

#[test]
fn laptop_system() {
    let r = report();
    assert_eq!(r.host.hostname.as_deref(), Some("t14-jan"));
    assert_eq!(r.host.fqdn, None); // /etc/hosts has only the short name
    assert_eq!(r.host.domain.as_deref(), Some("kantoor.example.nl"));
    assert_eq!(
        rfc3339(r.host.boot_time).as_deref(),
        Some("2024-06-03T06:00:00Z")
    );
    assert_eq!(r.host.virtualization.kind, Some(VirtKind::Physical));
    assert_eq!(r.host.virtualization.technology, None);
    assert_eq!(r.os.name.as_deref(), Some("Ubuntu"));
    assert_eq!(r.os.version.as_deref(), Some("22.04"));
    assert_eq!(r.os.pretty_name.as_deref(), Some("Ubuntu 22.04.4 LTS"));
    assert_eq!(r.os.id.as_deref(), Some("ubuntu"));
    assert_eq!(r.os.id_like, ["debian"]);
    assert_eq!(r.os.build.as_deref(), Some("jammy"));
    assert_eq!(r.os.kernel.as_deref(), Some("6.5.0-35-generic"));
    assert_eq!(r.os.arch.as_deref(), Some("x86_64"));
    // /var/log/installer/syslog exists; its mtime is not kept by git.
    assert!(r.os.install_date.is_some());
}

#[test]
fn laptop_hardware_from_smbios() {
    let hw = &report().hardware;
    assert_eq!(hw.source.as_deref(), Some("smbios"));
    assert_eq!(hw.unavailable_reason, None);
    assert_eq!(hw.manufacturer.as_deref(), Some("LENOVO"));
    assert_eq!(hw.model.as_deref(), Some("20W000QXMH"));
    assert_eq!(hw.family.as_deref(), Some("ThinkPad T14 Gen 2i"));
    assert_eq!(
        hw.sku.as_deref(),
        Some("LENOVO_MT_20W0_BU_Think_FM_ThinkPad T14 Gen 2i")
    );
    assert_eq!(hw.serial.as_deref(), Some("PF2ABC12"));
    assert_eq!(
        hw.uuid.as_deref(),
        Some("5e8b4a2c-2b4d-11b2-a85c-9f3d1e2a7b41")
    );
    assert_eq!(hw.chassis_type, Some(ChassisType::Laptop));
    assert_eq!(hw.chassis_serial.as_deref(), Some("PF2ABC12"));
    assert_eq!(hw.board.vendor.as_deref(), Some("LENOVO"));
    assert_eq!(hw.board.version.as_deref(), Some("SDK0J40697 WIN"));
    assert_eq!(hw.board.serial.as_deref(), Some("L1HF1AB02CD"));
    assert_eq!(hw.bios.vendor.as_deref(), Some("LENOVO"));
    assert_eq!(hw.bios.version.as_deref(), Some("N34ET56W (1.56 )"));
    assert_eq!(hw.bios.date.as_deref(), Some("2023-03-15"));
    // Real identity values, usable as keys.
    assert_eq!(
        check_serial("PF2ABC12"),
        SerialVerdict::Valid("PF2ABC12".into())
    );
    assert!(
        check_serial(hw.board.serial.as_deref().unwrap())
            .valid()
            .is_some()
    );
    assert!(check_uuid(hw.uuid.as_deref().unwrap()).valid().is_some());
}

#[test]
fn laptop_cpu_and_memory() {
    let r = report();
    let c = &r.cpu;
    assert_eq!(
        c.model.as_deref(),
        Some("11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz")
    );
    assert_eq!(c.vendor.as_deref(), Some("GenuineIntel"));
    assert_eq!(
        (c.sockets, c.physical_cores, c.logical_cores),
        (Some(1), Some(4), Some(8))
    );
    // cpufreq's cpuinfo_max_freq (4400000 kHz) wins over SMBIOS Max Speed (4700).
    assert_eq!(c.mhz, Some(4400));

    assert_eq!(r.memory.total_bytes, Some(15_896_220 * 1024));
    let m = &r.memory.modules;
    // Three type-17 slots in the table; ChannelA-DIMM1 is empty.
    let slots: Vec<_> = m.iter().map(|m| m.slot.as_deref().unwrap()).collect();
    assert_eq!(slots, ["ChannelA-DIMM0", "ChannelB-DIMM0"]);
    for (module, serial) in m.iter().zip(["36A1B2C3", "36A1B2D7"]) {
        assert_eq!(module.size_bytes, Some(8 * GIB));
        assert_eq!(module.kind.as_deref(), Some("DDR4"));
        assert_eq!(module.form_factor.as_deref(), Some("SODIMM"));
        assert_eq!(module.speed_mts, Some(3200));
        assert_eq!(module.manufacturer.as_deref(), Some("Samsung"));
        // The table pads the part number with spaces.
        assert_eq!(module.part_number.as_deref(), Some("M471A1K43DB1-CWE"));
        assert_eq!(module.serial.as_deref(), Some(serial));
    }
}

#[test]
fn laptop_disks() {
    let r = report();
    assert_eq!(disk_names(r), ["nvme0n1", "sda"]); // dm-* and loop* are not disks
    let nvme = disk(r, "nvme0n1");
    assert_eq!(nvme.kind, Some(DiskKind::Nvme));
    assert_eq!(nvme.bus.as_deref(), Some("nvme"));
    assert_eq!(nvme.model.as_deref(), Some("SAMSUNG MZVL2512HCJQ-00BL7"));
    assert_eq!(nvme.serial.as_deref(), Some("S64ENX0T512345"));
    assert_eq!(nvme.firmware.as_deref(), Some("GXA7401Q"));
    assert_eq!(nvme.size_bytes, Some(1_000_215_216 * 512));
    assert!(!nvme.removable);
    let usb = disk(r, "sda");
    assert_eq!(usb.bus.as_deref(), Some("usb"));
    assert!(usb.removable);
    assert_eq!(usb.vendor.as_deref(), Some("SanDisk"));
    assert_eq!(usb.model.as_deref(), Some("Ultra Fit"));
    assert_eq!(usb.serial.as_deref(), Some("4C530001230918112093")); // from the udev db
    assert_eq!(usb.size_bytes, Some(60_088_320 * 512));
    // A flash stick that the USB bridge calls rotational: technology unknown.
    assert_eq!(usb.kind, None);
}

#[test]
fn laptop_volumes_and_encryption() {
    let r = report();
    // squashfs snap images and pseudo file systems are left out.
    assert_eq!(
        mount_points(r),
        ["/", "/boot", "/boot/efi", "/media/jan/USB STICK"]
    );
    let root = volume(r, "/");
    assert_eq!(root.device.as_deref(), Some("/dev/mapper/vgubuntu-root"));
    assert_eq!(root.filesystem.as_deref(), Some("ext4"));
    // LVM volume dm-1 on top of LUKS2 dm-0.
    assert_eq!(root.encrypted, Some(true));
    assert_eq!(root.encryption.as_deref(), Some("luks"));
    assert_eq!(root.size_bytes, Some(499_374_895_104));
    assert_eq!(root.free_bytes, Some(341_296_738_304));
    for plain in ["/boot", "/boot/efi", "/media/jan/USB STICK"] {
        assert_eq!(volume(r, plain).encrypted, Some(false), "{plain}");
    }
    assert_eq!(volume(r, "/boot/efi").filesystem.as_deref(), Some("vfat"));
    assert_eq!(
        volume(r, "/media/jan/USB STICK").device.as_deref(),
        Some("/dev/sda1")
    );
    // /boot, the ESP and removable media do not count against full encryption.
    assert_eq!(r.security.disk_encryption_complete, Some(true));
}

#[test]
fn laptop_network() {
    let r = report();
    let kinds: Vec<_> = r
        .network
        .interfaces
        .iter()
        .map(|i| (i.name.as_str(), i.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("docker0", InterfaceKind::Bridge),
            ("enp0s31f6", InterfaceKind::Ethernet),
            ("lo", InterfaceKind::Loopback),
            ("wg0", InterfaceKind::Vpn),
            ("wlp0s20f3", InterfaceKind::Wifi),
        ]
    );
    let wifi = iface(r, "wlp0s20f3");
    assert!(wifi.up);
    assert_eq!(wifi.driver.as_deref(), Some("iwlwifi"));
    assert_eq!(mac(r, "wlp0s20f3").as_deref(), Some("74:97:79:d2:3a:5f"));
    assert_eq!(
        addrs(r, "wlp0s20f3"),
        [
            "192.168.178.42/24",
            "fd00::7a4f:2c1e:9b3d:5a61/64",
            "fe80::3c5e:8a1f:d24b:71e9/64"
        ]
    );
    let eth = iface(r, "enp0s31f6");
    assert!(!eth.up);
    assert_eq!(eth.driver.as_deref(), Some("e1000e"));
    assert_eq!(mac(r, "enp0s31f6").as_deref(), Some("8c:8c:aa:4e:1b:90"));
    assert!(eth.addresses.is_empty());
    assert_eq!(mac(r, "docker0").as_deref(), Some("02:42:5f:3a:9b:1c"));
    assert_eq!(
        addrs(r, "docker0"),
        ["172.17.0.1/16", "fe80::42:5fff:fe3a:9b1c/64"]
    );
    let wg = iface(r, "wg0");
    assert_eq!((wg.mac, wg.up, wg.addresses.len()), (None, false, 0));
    assert_eq!(iface(r, "lo").mac, None);
    assert_eq!(addrs(r, "lo"), ["127.0.0.1/8", "::1/128"]);

    assert_eq!(
        gateways(r),
        [
            ("192.168.178.1".to_string(), Some("wlp0s20f3")),
            ("fe80::ca0e:14ff:fe5a:1b2c".to_string(), Some("wlp0s20f3")),
        ]
    );
    // systemd-resolved's upstream servers, not the 127.0.0.53 stub.
    assert_eq!(
        ips(&r.network.dns_servers),
        ["192.168.178.1", "fd00::ca0e:14ff:fe5a:1b2c"]
    );
    assert_eq!(r.network.search_domains, ["kantoor.example.nl"]);
    let w = r.network.wifi.as_ref().expect("wifi");
    assert_eq!(w.interface, "wlp0s20f3");
    assert_eq!(w.ssid.as_deref(), Some("Kantoor-WiFi"));
    assert_eq!(
        w.bssid.map(|b| b.to_string()).as_deref(),
        Some("3c:a6:2f:8e:51:d4")
    );
}

#[test]
fn laptop_software() {
    let r = report();
    // 35 installed debs (one more is "deinstall ok config-files"), 6 snaps, 1 flatpak.
    assert_eq!(count(r, SoftwareSource::Dpkg), 35);
    assert_eq!(count(r, SoftwareSource::Snap), 6);
    assert_eq!(count(r, SoftwareSource::Flatpak), 1);
    assert_eq!(r.software.len(), 42);
    assert!(!has(r, "linux-image-6.5.0-28-generic"));
    let libc = package(r, SoftwareSource::Dpkg, "libc6");
    assert_eq!(libc.version.as_deref(), Some("2.35-0ubuntu3.7"));
    assert_eq!(libc.arch.as_deref(), Some("amd64"));
    assert_eq!(libc.publisher.as_deref(), Some("Ubuntu Developers"));
    let crypt = package(r, SoftwareSource::Dpkg, "cryptsetup");
    assert_eq!(crypt.version.as_deref(), Some("2:2.4.3-1ubuntu1.2"));
    let code = package(r, SoftwareSource::Dpkg, "code");
    assert_eq!(code.publisher.as_deref(), Some("Microsoft Corporation"));
    assert_eq!(
        package(r, SoftwareSource::Dpkg, "ufw").arch.as_deref(),
        Some("all")
    );
    // Ubuntu's firefox deb is a transitional package; the browser is the snap.
    let deb = package(r, SoftwareSource::Dpkg, "firefox");
    assert_eq!(deb.version.as_deref(), Some("1:1snap1-0ubuntu2"));
    let snap = package(r, SoftwareSource::Snap, "firefox");
    assert_eq!(snap.version.as_deref(), Some("125.0.2-1"));
    assert_eq!(
        package(r, SoftwareSource::Snap, "core22")
            .version
            .as_deref(),
        Some("20240408")
    );
    let lo = package(r, SoftwareSource::Flatpak, "org.libreoffice.LibreOffice");
    assert_eq!(lo.version.as_deref(), Some("24.2.3.2"));
    assert_eq!(lo.publisher.as_deref(), Some("The Document Foundation"));
    assert_eq!(lo.arch.as_deref(), Some("x86_64"));
}

#[test]
fn laptop_users() {
    let r = report();
    assert_eq!(
        humans(r),
        [("jan", Some(1000), true), ("anouk", Some(1001), false)]
    );
    let jan = &r.users.accounts[0];
    assert_eq!(jan.full_name.as_deref(), Some("Jan de Vries"));
    assert_eq!(jan.home.as_deref(), Some("/home/jan"));
    // wtmp: anouk logged in over ssh after boot, jan on tty2 after her.
    let last = r.users.last_login.as_ref().expect("last login");
    assert_eq!(last.user, "jan");
    assert_eq!(rfc3339(last.at).as_deref(), Some("2024-06-03T06:30:00Z"));
    assert_eq!(last.from.as_deref(), Some("tty2"));
}

#[test]
fn laptop_security() {
    let s = &report().security;
    let fw = s.firewall.as_ref().unwrap();
    assert!(fw.active);
    assert_eq!(fw.product.as_deref(), Some("ufw"));
    let up = s.automatic_updates.as_ref().unwrap();
    assert!(up.enabled);
    assert_eq!(up.mechanism.as_deref(), Some("unattended-upgrades"));
    let av: Vec<_> = s
        .antivirus
        .iter()
        .map(|a| (a.name.as_str(), a.active))
        .collect();
    assert_eq!(av, [("ClamAV", Some(true))]); // clamav-daemon.service is enabled
}
