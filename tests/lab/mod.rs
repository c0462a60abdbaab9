//! A LAN built from Linux network namespaces for the scanner's tests: one
//! bridge namespace, one scanner namespace, and host namespaces joined to
//! the bridge by veth pairs, each with a chosen MAC and listeners on chosen
//! ports. Everything lives in namespaces this process created, under a
//! unique prefix, and is deleted on drop — also when a test fails. Needs
//! root (CI runs as root), iproute2, nftables, dnsmasq and snmpd.

use std::process::{Child, Command};

/// One device in the lab.
#[derive(Debug, Clone)]
pub struct LabHost {
    /// Last octet of its address in the lab subnet.
    pub octet: u8,
    /// Its MAC address.
    pub mac: String,
    /// TCP ports it listens on.
    pub ports: Vec<u16>,
    /// Web page title and Server header, for web ports.
    pub title: String,
    pub server: String,
    /// Drop every IP packet addressed to it (a firewalled host that still
    /// answers ARP): only layer 2 shows it.
    pub silent: bool,
    /// Drop ICMP only (a host that ignores ping).
    pub ignore_icmp: bool,
    /// Run net-snmp's snmpd (community "public") with this sysName and sysDescr.
    pub snmp: Option<(String, String)>,
}

/// A running lab.
pub struct Lab {
    prefix: String,
    namespaces: Vec<String>,
    children: Vec<Child>,
    /// The subnet's first three octets, e.g. "198.51.100".
    pub net: String,
}

fn ip(args: &[&str]) {
    let out = Command::new("ip")
        .args(args)
        .output()
        .expect("iproute2 `ip` is needed for lab tests");
    assert!(
        out.status.success(),
        "ip {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Lab {
    /// Build the lab: `hosts` on `net`.0/24, the scanner at `net`.1. The
    /// scanner's resolver is `net`.2: a dnsmasq serving `ptr` (last octet,
    /// name) when given, else nothing (a dead DNS server).
    pub fn build(
        net: &str,
        hosts: &[LabHost],
        listener: &std::path::Path,
        ptr: &[(u8, &str)],
    ) -> Lab {
        // SAFETY: geteuid has no preconditions.
        assert_eq!(
            unsafe { libc::geteuid() },
            0,
            "the namespace lab needs root (CI runs tests as root)"
        );
        static LABS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = LABS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let prefix = format!("cs{}{n}", std::process::id() % 10_000);
        let mut lab = Lab {
            prefix: prefix.clone(),
            namespaces: Vec::new(),
            children: Vec::new(),
            net: net.to_string(),
        };
        let br = format!("{prefix}-br");
        lab.add_ns(&br);
        ip(&["-n", &br, "link", "add", "br0", "type", "bridge"]);
        ip(&["-n", &br, "link", "set", "br0", "up"]);
        let scanner = lab.scanner();
        lab.add_ns(&scanner);
        lab.attach(&scanner, "sc", 1, None);
        // `ip netns exec` mounts /etc/netns/NAME/resolv.conf over /etc/resolv.conf.
        let etc = std::path::Path::new("/etc/netns").join(&scanner);
        std::fs::create_dir_all(&etc).unwrap();
        std::fs::write(
            etc.join("resolv.conf"),
            format!("nameserver {net}.2\noptions timeout:1 attempts:1\n"),
        )
        .unwrap();
        if !ptr.is_empty() {
            let dns = format!("{prefix}-dns");
            lab.add_ns(&dns);
            lab.attach(&dns, "dns", 2, None);
            let mut cmd = Command::new("ip");
            cmd.args([
                "netns",
                "exec",
                &dns,
                "dnsmasq",
                "--keep-in-foreground",
                "--conf-file=/dev/null",
            ]);
            cmd.args([
                "--no-resolv",
                "--no-hosts",
                "--no-poll",
                "--bind-interfaces",
                "--user=root",
                "--pid-file",
            ]);
            cmd.arg(format!("--listen-address={net}.2"));
            for (octet, name) in ptr {
                let o: Vec<&str> = net.split('.').rev().collect();
                cmd.arg(format!(
                    "--ptr-record={octet}.{}.in-addr.arpa,{name}",
                    o.join(".")
                ));
            }
            lab.children.push(
                cmd.spawn()
                    .expect("dnsmasq (Debian package dnsmasq-base) is needed for the lab's DNS"),
            );
        }
        for h in hosts {
            let ns = format!("{prefix}-h{}", h.octet);
            lab.add_ns(&ns);
            lab.attach(&ns, &format!("h{}", h.octet), h.octet, Some(&h.mac));
            let rules: &[&str] = if h.silent {
                &[
                    "add table inet lab",
                    "add chain inet lab input { type filter hook input priority 0 ; policy drop ; }",
                ]
            } else if h.ignore_icmp {
                &[
                    "add table inet lab",
                    "add chain inet lab input { type filter hook input priority 0 ; policy accept ; }",
                    "add rule inet lab input ip protocol icmp drop",
                ]
            } else {
                &[]
            };
            for rule in rules {
                let out = Command::new("ip")
                    .args(["netns", "exec", &ns, "nft", rule])
                    .output()
                    .expect("nft (Debian package nftables) is needed for firewalled lab hosts");
                assert!(
                    out.status.success(),
                    "nft {rule}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            if let Some((name, descr)) = &h.snmp {
                let conf = std::env::temp_dir().join(format!("{ns}-snmpd.conf"));
                std::fs::write(
                    &conf,
                    format!("agentaddress udp:{net}.{}:161\nrocommunity public\nsysname {name}\nsysdescr {descr}\nsysobjectid .1.3.6.1.4.1.8072.3.2.10\n", h.octet),
                )
                .unwrap();
                let mut cmd = Command::new("ip");
                cmd.args(["netns", "exec", &ns, "snmpd", "-f", "-C", "-Ln", "-c"])
                    .arg(&conf);
                lab.children.push(
                    cmd.spawn()
                        .expect("snmpd (Debian package snmpd) is needed for SNMP lab hosts"),
                );
            }
            if !h.ports.is_empty() {
                let mut cmd = Command::new("ip");
                cmd.args(["netns", "exec", &ns]).arg(listener);
                cmd.args(h.ports.iter().map(|p| p.to_string()));
                cmd.args(["--title", &h.title, "--server", &h.server]);
                lab.children
                    .push(cmd.spawn().expect("start a lab listener"));
            }
        }
        // Let the listeners bind.
        std::thread::sleep(std::time::Duration::from_millis(300));
        lab
    }

    /// The scanner's namespace name.
    pub fn scanner(&self) -> String {
        format!("{}-sc", self.prefix)
    }

    fn add_ns(&mut self, name: &str) {
        let _ = Command::new("ip").args(["netns", "del", name]).output();
        ip(&["netns", "add", name]);
        self.namespaces.push(name.to_string());
        ip(&["-n", name, "link", "set", "lo", "up"]);
    }

    fn attach(&self, ns: &str, short: &str, octet: u8, mac: Option<&str>) {
        let br = format!("{}-br", self.prefix);
        let (outside, inside) = (
            format!("{}{short}b", self.prefix),
            format!("{}{short}i", self.prefix),
        );
        ip(&[
            "link", "add", &inside, "type", "veth", "peer", "name", &outside,
        ]);
        ip(&["link", "set", &outside, "netns", &br]);
        ip(&["-n", &br, "link", "set", &outside, "master", "br0", "up"]);
        ip(&["link", "set", &inside, "netns", ns]);
        ip(&["-n", ns, "link", "set", &inside, "name", "eth0"]);
        if let Some(m) = mac {
            ip(&["-n", ns, "link", "set", "eth0", "address", m]);
        }
        ip(&[
            "-n",
            ns,
            "addr",
            "add",
            &format!("{}.{octet}/24", self.net),
            "dev",
            "eth0",
        ]);
        ip(&["-n", ns, "link", "set", "eth0", "up"]);
    }

    /// Run a command inside the scanner namespace.
    pub fn in_scanner(&self, program: &std::path::Path) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.scanner()]).arg(program);
        c
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
        for ns in self.namespaces.iter().rev() {
            let _ = Command::new("ip").args(["netns", "del", ns]).output();
        }
        let _ = std::fs::remove_dir_all(std::path::Path::new("/etc/netns").join(self.scanner()));
    }
}
