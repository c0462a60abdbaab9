//! A head office behind a router, for the site-scanner tests: the lab's
//! subnet becomes a remote site, and a second subnet (`hq_net`.0/24, one
//! namespace for the collector at `hq_net`.1) is joined to it by a router
//! namespace (`net`.254 on the lab's bridge, `hq_net`.254 towards the head
//! office) that forwards between the two. From the head office the lab's
//! hosts are reachable at layer 3 only — no ARP, no MACs — which is what
//! a site agent in the lab's scanner namespace makes up for. Everything
//! belongs to the lab and goes with it on drop.

use super::{Lab, ip};

impl Lab {
    /// Add the router and the head office; the head office's namespace.
    pub fn head_office(&mut self, hq_net: &str) -> String {
        let (rt, hq) = (format!("{}-rt", self.prefix), format!("{}-hq", self.prefix));
        self.add_ns(&rt);
        self.attach(&rt, "rt", 254, None);
        self.add_ns(&hq);
        let (inside, outside) = (format!("{}hqi", self.prefix), format!("{}hqo", self.prefix));
        ip(&[
            "link", "add", &inside, "type", "veth", "peer", "name", &outside,
        ]);
        ip(&["link", "set", &inside, "netns", &hq]);
        ip(&["link", "set", &outside, "netns", &rt]);
        ip(&["-n", &hq, "link", "set", &inside, "name", "eth0"]);
        ip(&["-n", &rt, "link", "set", &outside, "name", "eth1"]);
        ip(&[
            "-n",
            &hq,
            "addr",
            "add",
            &format!("{hq_net}.1/24"),
            "dev",
            "eth0",
        ]);
        ip(&[
            "-n",
            &rt,
            "addr",
            "add",
            &format!("{hq_net}.254/24"),
            "dev",
            "eth1",
        ]);
        ip(&["-n", &hq, "link", "set", "eth0", "up"]);
        ip(&["-n", &rt, "link", "set", "eth1", "up"]);
        let out = std::process::Command::new("ip")
            .args([
                "netns",
                "exec",
                &rt,
                "sysctl",
                "-qw",
                "net.ipv4.ip_forward=1",
            ])
            .output()
            .expect("sysctl (Debian package procps) is needed for the lab's router");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let gateway = format!("{}.254", self.net);
        ip(&[
            "-n",
            &hq,
            "route",
            "add",
            "default",
            "via",
            &format!("{hq_net}.254"),
        ]);
        // The site's machines answer the head office through the router.
        let sides: Vec<String> = self
            .namespaces
            .iter()
            .filter(|n| n.as_str() != rt && n.as_str() != hq && !n.ends_with("-br"))
            .cloned()
            .collect();
        for ns in sides {
            ip(&[
                "-n",
                &ns,
                "route",
                "add",
                &format!("{hq_net}.0/24"),
                "via",
                &gateway,
            ]);
        }
        hq
    }

    /// Run a command inside namespace `ns`.
    pub fn in_ns(ns: &str, program: &std::path::Path) -> std::process::Command {
        let mut c = std::process::Command::new("ip");
        c.args(["netns", "exec", ns]).arg(program);
        c
    }
}
