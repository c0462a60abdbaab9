//! The agent's live output on the machine running the tests must agree with
//! what the OS's own tools say: dpkg-query, `ip -j addr`, `/proc/meminfo`,
//! `nproc` and `uname -n`.

use census_shared::HostReport;
use census_shared::report::SoftwareSource;
use std::collections::BTreeSet;
use std::process::Command;

fn live_report() -> HostReport {
    let out = Command::new(env!("CARGO_BIN_EXE_census-agent"))
        .arg("collect")
        .output()
        .expect("run census-agent");
    assert!(
        out.status.success(),
        "census-agent failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    HostReport::from_json(&out.stdout).expect("valid report")
}

fn sh(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd)
        .args(args)
        .env("LC_ALL", "C")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn software_matches_dpkg_query() {
    let Some(listing) = sh(
        "dpkg-query",
        &["-W", "-f=${Package}:${Architecture}\t${Status}\n"],
    ) else {
        // Not a dpkg system: the fixture tests cover the other package managers.
        assert!(
            !std::path::Path::new("/var/lib/dpkg/status").exists(),
            "dpkg status exists but dpkg-query failed"
        );
        return;
    };
    let want: BTreeSet<String> = listing
        .lines()
        .filter(|l| l.ends_with(" ok installed"))
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    let r = live_report();
    let got: BTreeSet<String> = r
        .software
        .iter()
        .filter(|p| p.source == SoftwareSource::Dpkg)
        .map(|p| format!("{}:{}", p.name, p.arch.as_deref().unwrap_or("")))
        .collect();
    assert!(!want.is_empty());
    assert_eq!(
        got.len(),
        r.software
            .iter()
            .filter(|p| p.source == SoftwareSource::Dpkg)
            .count(),
        "duplicates"
    );
    assert_eq!(got, want);
}

#[test]
fn interfaces_and_addresses_match_ip_addr() {
    let json = sh("ip", &["-j", "addr"]).expect("`ip` from iproute2 is needed for this test");
    let links: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let mut want = BTreeSet::new();
    let mut want_macs = BTreeSet::new();
    for l in &links {
        let name = l["ifname"].as_str().unwrap().to_string();
        if let Some(mac) = l["address"]
            .as_str()
            .filter(|m| l["link_type"] == "ether" && *m != "00:00:00:00:00:00")
        {
            want_macs.insert((name.clone(), mac.to_string()));
        }
        for a in l["addr_info"].as_array().unwrap() {
            want.insert((
                name.clone(),
                a["local"].as_str().unwrap().to_string(),
                a["prefixlen"].as_u64().unwrap() as u8,
            ));
        }
    }
    let r = live_report();
    let names: BTreeSet<&str> = r
        .network
        .interfaces
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    let want_names: BTreeSet<&str> = links
        .iter()
        .map(|l| l["ifname"].as_str().unwrap())
        .collect();
    assert_eq!(names, want_names);
    let got: BTreeSet<(String, String, u8)> = r
        .network
        .interfaces
        .iter()
        .flat_map(|i| {
            i.addresses
                .iter()
                .map(move |a| (i.name.clone(), a.address.to_string(), a.prefix_len))
        })
        .collect();
    assert_eq!(got, want);
    let got_macs: BTreeSet<(String, String)> = r
        .network
        .interfaces
        .iter()
        .filter_map(|i| Some((i.name.clone(), i.mac?.to_string())))
        .collect();
    assert!(
        want_macs.is_subset(&got_macs),
        "ip: {want_macs:?}\nagent: {got_macs:?}"
    );
}

#[test]
fn memory_cpus_and_hostname_match_the_os() {
    let r = live_report();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap();
    let kb: u64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .unwrap()
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .unwrap();
    assert_eq!(r.memory.total_bytes, Some(kb * 1024));
    let nproc: u32 = sh("nproc", &[]).unwrap().trim().parse().unwrap();
    assert_eq!(r.cpu.logical_cores, Some(nproc));
    let uname = sh("uname", &["-n"]).unwrap();
    assert_eq!(r.host.hostname.as_deref(), Some(uname.trim()));
    let kernel = sh("uname", &["-r"]).unwrap();
    assert_eq!(r.os.kernel.as_deref(), Some(kernel.trim()));
    assert!(r.collection_errors.is_empty(), "{:?}", r.collection_errors);
}

#[test]
fn volumes_match_df() {
    let r = live_report();
    let df = sh("df", &["-P", "-B1", "/"]).unwrap();
    let fields: Vec<&str> = df.lines().nth(1).unwrap().split_whitespace().collect();
    let size: u64 = fields[1].parse().unwrap();
    let root = r.storage.volumes.iter().find(|v| v.mount_point == "/");
    if let Some(root) = root {
        assert_eq!(root.size_bytes, Some(size));
    } else {
        // The root is not a block device (overlay in a container): df still
        // sees it, the agent rightly does not report it as a volume.
        assert!(
            !fields[0].starts_with("/dev/"),
            "root on {} missing",
            fields[0]
        );
    }
}
