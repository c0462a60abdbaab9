//! A LAN built from Linux network namespaces for the scanner's tests: one
//! bridge namespace, one scanner namespace, and host namespaces joined to
//! the bridge by veth pairs, each with a chosen MAC and listeners on chosen
//! ports. Everything lives in namespaces this process created, under a
//! unique prefix, and is deleted on drop — also when a test fails. Needs
//! root (CI runs as root), iproute2, nftables, dnsmasq, snmpd and samba's
//! nmbd (NetBIOS); mDNS and SIP come from `census-lab-udp` (`responder.rs`),
//! recorded SNMP devices from snmpsim (`snmpsim.rs`).

pub mod office;
pub mod routed;
pub mod snmpsim;

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
    /// Run samba's nmbd with this NetBIOS name and workgroup.
    pub netbios: Option<(String, String)>,
    /// Answer mDNS: `[host, type, instance, port, key=value...]` (see
    /// `census-lab-udp mdns`).
    pub mdns: Vec<String>,
    /// Answer SIP OPTIONS with this User-Agent.
    pub sip: Option<String>,
}

/// A running lab.
pub struct Lab {
    prefix: String,
    namespaces: Vec<String>,
    children: Vec<Child>,
    /// Private directories of lab daemons, removed on drop.
    dirs: Vec<std::path::PathBuf>,
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
            dirs: Vec::new(),
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
            if let Some((name, group)) = &h.netbios {
                lab.nmbd(&ns, h.octet, name, group);
            }
            let udp = listener.with_file_name("census-lab-udp");
            let mut responders: Vec<Vec<String>> = Vec::new();
            if !h.mdns.is_empty() {
                responders.push([vec!["mdns".to_string()], h.mdns.clone()].concat());
            }
            if let Some(agent) = &h.sip {
                responders.push(vec!["sip".into(), agent.clone()]);
            }
            for args in responders {
                let mut cmd = Command::new("ip");
                cmd.args(["netns", "exec", &ns]).arg(&udp).args(args);
                lab.children
                    .push(cmd.spawn().expect("start a lab UDP responder"));
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
        // nmbd answers node status only once it has registered its names.
        for h in hosts.iter().filter(|h| h.netbios.is_some()) {
            lab.wait_for_nmbd(h.octet);
        }
        lab
    }

    /// Start samba's nmbd in `ns`, everything it writes under a private
    /// directory (removed on drop), bound to the lab address only.
    fn nmbd(&mut self, ns: &str, octet: u8, name: &str, group: &str) {
        let dir = std::env::temp_dir().join(format!("{ns}-nmbd"));
        std::fs::create_dir_all(&dir).unwrap();
        let d = dir.display();
        let conf = dir.join("smb.conf");
        std::fs::write(
            &conf,
            format!(
                "[global]\nnetbios name = {name}\nworkgroup = {group}\n\
                 interfaces = {}.{octet}/24\nbind interfaces only = yes\n\
                 local master = no\ndomain master = no\npreferred master = no\n\
                 pid directory = {d}\nlock directory = {d}\nstate directory = {d}\n\
                 cache directory = {d}\nprivate dir = {d}\nncalrpc dir = {d}\n\
                 log file = {d}/log\n",
                self.net
            ),
        )
        .unwrap();
        let mut cmd = Command::new("ip");
        cmd.args([
            "netns",
            "exec",
            ns,
            "nmbd",
            "--foreground",
            "--no-process-group",
        ])
        .arg("-s")
        .arg(&conf)
        .stdout(std::process::Stdio::null());
        self.children.push(
            cmd.spawn()
                .expect("nmbd (Debian package samba) is needed for NetBIOS lab hosts"),
        );
        self.dirs.push(dir);
    }

    /// Poll with `nmblookup -A` from the scanner until nmbd answers (10 s at most).
    fn wait_for_nmbd(&self, octet: u8) {
        let addr = format!("{}.{octet}", self.net);
        for _ in 0..20 {
            let out = Command::new("ip")
                .args(["netns", "exec", &self.scanner(), "nmblookup", "-A", &addr])
                .output();
            if out.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("<00>")) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
        panic!("nmbd on {addr} did not answer node status within 10 s");
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

    /// The namespace of the host with last octet `octet`.
    pub fn host_ns(&self, octet: u8) -> String {
        format!("{}-h{octet}", self.prefix)
    }

    /// Scan the lab's /24 from the scanner namespace into the store of the
    /// collector whose configuration is `config` (`scan --save`, no DNS),
    /// which recomputes the assets; its stderr.
    pub fn save_scan(&self, config: &std::path::Path) -> String {
        let out = self
            .in_scanner(&crate::bin("census-collector"))
            .args(["--config", config.to_str().unwrap(), "--log", "warn"])
            .args(["scan", &format!("{}.0/24", self.net), "--timeout", "500"])
            .args(["--no-dns", "--save"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{err}");
        assert!(err.contains("assets recomputed"), "{err}");
        err
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
        for d in &self.dirs {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}
