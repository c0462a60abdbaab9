//! Site scanners, end to end (issue 11): a remote site (the lab's subnet
//! 198.51.100.0/24) and a head office (203.0.113.0/24) joined by a router,
//! all network namespaces this test creates. The collector runs at the head
//! office; an agent at the site (the lab's scanner namespace) is given the
//! site by a `[[site]]` table. A scan from the collector reaches the site's
//! machines only at layer 3 — no MAC addresses; the site agent's scan has
//! them, and the assets it brings carry the site, join the remote PC's own
//! agent report by MAC and carry the printer's SNMP serial. An agent
//! without a site gets nothing; an upload outside the site's targets is
//! refused and stores nothing; the agent's service loop scans by itself.
//! Needs root; everything is torn down on drop.

use census_tests::lab::Lab;
use census_tests::lab::office::host;
use census_tests::lab::snmpsim::SimDevice;
use census_tests::{Collector, bin, fixture, free_port, ok};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const SITE: &str = "198.51.100";
const HQ: &str = "203.0.113";
const PC_MAC: &str = "74:97:79:d2:3a:5f"; // ubuntu2204-laptop's wifi
const PRINTER_MAC: &str = "3c:2a:f4:bf:f5:1b";
const UNKNOWN_MAC: &str = "00:1c:c0:00:00:40";

/// `census-agent --config CONFIG ARGS` inside namespace `ns`.
fn agent_in(ns: &str, config: &Path, args: &[&str]) -> Command {
    let mut c = Lab::in_ns(ns, &bin("census-agent"));
    c.args(["--config", config.to_str().unwrap(), "--log", "warn"])
        .args(args);
    c
}

/// Enrol an agent from inside `ns`; its config path and id.
fn enroll_in(ns: &str, c: &Collector, dir: &Path, root: &Path) -> (PathBuf, String) {
    let config = dir.join("agent.toml");
    let out = agent_in(ns, &config, &["enroll", "--collector", &c.url])
        .args(["--token", &c.token, "--fingerprint", &c.fingerprint])
        .args(["--state-dir", dir.join("state").to_str().unwrap()])
        .args(["--root", root.to_str().unwrap()])
        .output()
        .unwrap();
    (config, ok(out).trim().to_string())
}

fn collector(hq: &str, data: &Path, port: u16, site_agent: Option<&str>) -> Collector {
    let mut extra = String::from("assets_interval = \"1h\"\n");
    if let Some(agent) = site_agent {
        extra.push_str(&format!(
            "[[site]]\nname = \"Utrecht\"\nagent = \"{agent}\"\ntargets = [\"{SITE}.0/24\"]\n\
             every = \"1h\"\nports = \"22,80,443,445,631,3389,9100\"\nrate = 1000\n"
        ));
    }
    Collector::start_in(Some(hq), &format!("{HQ}.1"), data, port, &extra)
}

/// Assets (`assets list --json`) after a recompute.
fn assets(c: &Collector) -> Vec<Value> {
    ok(c.admin(&["assets", "recompute"]));
    serde_json::from_str(&ok(c.admin(&["assets", "list", "--json"]))).unwrap()
}

fn with_mac<'a>(assets: &'a [Value], mac: &str) -> &'a Value {
    assets
        .iter()
        .find(|a| {
            a["macs"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["value"] == mac)
        })
        .unwrap_or_else(|| panic!("no asset with MAC {mac} in {assets:#?}"))
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn a_site_agent_scans_its_subnet_at_layer_2_for_a_collector_behind_a_router() {
    let hosts = vec![
        host(22, PC_MAC, &[22], "", ""),
        host(30, PRINTER_MAC, &[631, 9100], "", ""),
        host(40, UNKNOWN_MAC, &[445, 3389], "", ""),
    ];
    let listener = census_tests::workspace_bin("census-lab-listener");
    let mut lab = Lab::build(SITE, &hosts, &listener, &[]);
    let _printer = SimDevice::start(&lab, 30, "brother.snmprec");
    let hq = lab.head_office(HQ);
    let dir = tempfile::tempdir().unwrap();
    let (data, port) = (dir.path().join("collector"), free_port());

    // Enrol the site agent (the site's scanner namespace) and the remote
    // PC's own agent (its namespace), both across the router.
    let c = collector(&hq, &data, port, None);
    let site_dir = dir.path().join("site-agent");
    let (site_cfg, site_id) = enroll_in(&lab.scanner(), &c, &site_dir, &fixture("rhel9-server"));
    let pc_dir = dir.path().join("pc-agent");
    let (pc_cfg, _) = enroll_in(&lab.host_ns(22), &c, &pc_dir, &fixture("ubuntu2204-laptop"));
    ok(agent_in(&lab.host_ns(22), &pc_cfg, &["run", "--once"])
        .output()
        .unwrap());
    // Without a [[site]] the agent has nothing to scan.
    let o = agent_in(&lab.scanner(), &site_cfg, &["site-scan"])
        .output()
        .unwrap();
    assert!(text(&o).contains("scans no site"), "{}", text(&o));
    c.stop();
    let c = collector(&hq, &data, port, Some(&site_id));

    // The collector alone, from the head office: the site's hosts answer,
    // but no MAC crosses the router.
    let o = Lab::in_ns(&hq, &bin("census-collector"))
        .args(["--config", c.config.to_str().unwrap(), "--log", "warn"])
        .args([
            "scan",
            &format!("{SITE}.0/24"),
            "--json",
            "--no-dns",
            "--timeout",
            "500",
        ])
        .output()
        .unwrap();
    let seen: Vec<Value> = serde_json::from_str(&ok(o)).unwrap();
    let ips: Vec<&str> = seen.iter().map(|o| o["ip"].as_str().unwrap()).collect();
    for octet in [22, 30, 40] {
        assert!(ips.contains(&format!("{SITE}.{octet}").as_str()), "{ips:?}");
    }
    assert!(seen.iter().all(|o| o["mac"].is_null()), "{seen:#?}");

    // The site agent's scan: the same hosts, with their MACs.
    let o = agent_in(&lab.scanner(), &site_cfg, &["site-scan"])
        .output()
        .unwrap();
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("site Utrecht: "), "{out}");
    let list = assets(&c);
    let pc = with_mac(&list, PC_MAC);
    assert_eq!(pc["site"]["value"], "Utrecht", "{pc:#}");
    assert_eq!(
        pc["agent_ids"].as_array().unwrap().len(),
        1,
        "joined with its report: {pc:#}"
    );
    let printer = with_mac(&list, PRINTER_MAC);
    assert_eq!(printer["site"]["value"], "Utrecht");
    assert_eq!(printer["serial"]["value"], "000A5J431816", "{printer:#}");
    assert_eq!(printer["category"]["value"], "printer", "{printer:#}");
    let unknown = with_mac(&list, UNKNOWN_MAC);
    assert_eq!(unknown["site"]["value"], "Utrecht");
    assert_eq!(unknown["unknown"], true);
    // Its vendor is the OUI registry's (the collector's, when the agent's
    // engine has none).
    assert!(
        unknown["vendor"]["value"]
            .as_str()
            .is_some_and(|v| !v.is_empty()),
        "{unknown:#}"
    );
    let stored = list.len();

    // The plan lists the site's devices under their headings with the site.
    let plan: Value = serde_json::from_str(&ok(c.admin(&["plan", "--format", "json"]))).unwrap();
    let devices: Vec<&Value> = plan["devices"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["devices"].as_array().unwrap())
        .collect();
    for mac in [PC_MAC, PRINTER_MAC, UNKNOWN_MAC] {
        let d = devices
            .iter()
            .find(|d| d["macs"].as_array().unwrap().iter().any(|m| m == mac))
            .unwrap_or_else(|| panic!("{mac} not in the plan"));
        assert_eq!(d["site"], "Utrecht", "{d:#}");
    }
    let md = ok(c.admin(&["plan", "--format", "md", "--lang", "en"]));
    assert!(md.contains("| Site / department / location |"), "{md}");
    assert!(
        md.contains("000A5J431816") && md.contains("| Utrecht |"),
        "{md}"
    );

    // An agent that scans no site gets no assignment (and no credentials).
    let o = agent_in(&lab.host_ns(22), &pc_cfg, &["site-scan"])
        .output()
        .unwrap();
    assert!(text(&o).contains("scans no site"), "{}", text(&o));

    // An upload naming an address outside the site is refused whole.
    let secret = std::fs::read_to_string(&site_cfg)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("secret = "))
        .unwrap()
        .trim_matches('"')
        .to_string();
    let body = dir.path().join("outside.json");
    std::fs::write(
        &body,
        serde_json::json!({
            "site": "Utrecht", "started_at": "2026-11-29T10:00:00Z",
            "finished_at": "2026-11-29T10:01:00Z",
            "observations": [{
                "ip": "192.0.2.99", "mac": "00:1c:c0:00:00:99", "mac_vendor": null,
                "mac_local": false, "names": [], "found_by": [], "rtt_ms": null,
                "open_tcp": [], "services": [], "guess": {"kind": "unknown", "evidence": []},
                "seen_at": "2026-11-29T10:00:30Z"
            }]
        })
        .to_string(),
    )
    .unwrap();
    let pin = census_shared::pin::curl_pin(&c.fingerprint).unwrap();
    let o = Lab::in_ns(&lab.scanner(), Path::new("/usr/bin/curl"))
        .args(["-sk", "--pinnedpubkey", &pin, "-w", "\n%{http_code}"])
        .args(["-H", &format!("Authorization: Bearer {secret}")])
        .args(["-H", "Content-Type: application/json", "--data-binary"])
        .arg(format!("@{}", body.display()))
        .arg(format!("{}/api/v1/agent/scans", c.url))
        .output()
        .unwrap();
    let answer = ok(o);
    assert!(answer.ends_with("\n422"), "{answer}");
    assert!(
        answer.contains("192.0.2.99, which is not among the site's targets"),
        "{answer}"
    );
    assert_eq!(assets(&c).len(), stored, "nothing of it was stored");

    // The service loop: a report, then the site scan it is due for.
    let mut service = agent_in(&lab.scanner(), &site_cfg, &["run"])
        .spawn()
        .unwrap();
    let marker = site_dir.join("state/site-scan.json");
    let deadline = Instant::now() + Duration::from_secs(90);
    while !marker.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(500));
    }
    let _ = service.kill();
    let _ = service.wait();
    let last: Value = serde_json::from_slice(&std::fs::read(&marker).unwrap()).unwrap();
    assert_eq!(last["site"], "Utrecht");
    c.stop();
}
