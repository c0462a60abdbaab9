//! Assets end to end: agents enrolled from fixture machines report to a
//! collector on 127.0.0.1, `serve` recomputes the assets after ingests, and
//! the `assets` / `changes` commands list, show, explain and correct them
//! (a person's merge, split and values survive recomputation; bad input is
//! refused naming what is wrong), on SQLite and on PostgreSQL. The lab test adds a scan of a namespace
//! LAN where the agents' MACs appear, two printers and a switch answer SNMP
//! from recordings (snmpsim) and one PC has no agent: exactly the expected
//! assets, agents merged with their scan observations, and a re-scan after
//! a DHCP address change gives no new asset and one change event. The lab
//! needs root and is torn down on drop.

use census_tests::{Agent, Backend, Collector, err, fixture, free_port, ok, on_both_backends};
use serde_json::Value;
use std::time::{Duration, Instant};

fn list(c: &Collector) -> Vec<Value> {
    serde_json::from_str(&ok(c.admin(&["assets", "list", "--json"]))).unwrap()
}

fn show(c: &Collector, id: &str) -> Value {
    serde_json::from_str(&ok(c.admin(&["assets", "show", id, "--json"]))).unwrap()
}

fn events(c: &Collector) -> Vec<Value> {
    serde_json::from_str(&ok(c.admin(&["changes", "--since", "1h", "--json"]))).unwrap()
}

/// The asset whose agents include `agent`.
fn of_agent<'a>(assets: &'a [Value], agent: &str) -> &'a Value {
    assets
        .iter()
        .find(|a| {
            a["agent_ids"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x == agent)
        })
        .unwrap_or_else(|| panic!("no asset for agent {agent}: {assets:#?}"))
}

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// Wait until `serve` has recomputed assets for `n` agents.
fn wait_for_assets(c: &Collector, n: usize) -> Vec<Value> {
    let start = Instant::now();
    loop {
        let a = list(c);
        if a.len() >= n {
            return a;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "serve did not recompute the assets after reports: {a:#?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

on_both_backends!(agents_become_assets_and_a_persons_corrections_stick);

fn agents_become_assets_and_a_persons_corrections_stick(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(
        &dir.path().join("collector"),
        free_port(),
        &format!("{}assets_interval = \"1s\"\n", backend.config()),
    );
    let machines = ["rhel9-server", "ubuntu2204-laptop", "kvm-vm-placeholders"];
    let agents: Vec<Agent> = machines
        .iter()
        .enumerate()
        .map(|(i, m)| Agent::enroll(&c, &dir.path().join(format!("agent{i}")), &fixture(m)))
        .collect();
    for a in &agents {
        ok(a.run_once());
    }
    // serve recomputes after ingests, without being asked.
    let assets = wait_for_assets(&c, 3);
    assert_eq!(assets.len(), 3, "{assets:#?}");
    let (server, laptop, vm) = (
        of_agent(&assets, &agents[0].id),
        of_agent(&assets, &agents[1].id),
        of_agent(&assets, &agents[2].id),
    );
    assert_eq!(server["category"]["value"], "server");
    assert_eq!(laptop["category"]["value"], "laptop");
    for a in [server, laptop, vm] {
        assert_eq!(a["unknown"], false);
        assert_eq!(a["status"], "active");
    }
    let (sid, lid, vid) = (
        str_of(&server["id"]).to_string(),
        str_of(&laptop["id"]).to_string(),
        str_of(&vm["id"]).to_string(),
    );

    // list --category, and a bad category naming the valid ones.
    let servers: Vec<Value> = serde_json::from_str(&ok(c.admin(&[
        "assets",
        "list",
        "--category",
        "server",
        "--json",
    ])))
    .unwrap();
    // The server and the VM (a virtual machine counts as a server).
    let mut ids: Vec<&str> = servers.iter().map(|a| str_of(&a["id"])).collect();
    ids.sort();
    let mut want = vec![sid.as_str(), vid.as_str()];
    want.sort();
    assert_eq!(ids, want);
    let e = err(c.admin(&["assets", "list", "--category", "toaster"]));
    assert!(
        e.contains("\"toaster\" is not a category") && e.contains("office_pc"),
        "{e}"
    );
    let table = ok(c.admin(&["assets", "list"]));
    assert!(
        table.contains(&sid) && table.contains("srv-app01"),
        "{table}"
    );

    // show: every field with its provenance.
    let s = show(&c, &sid);
    assert_eq!(s["serial"]["value"], "7XJ4K93");
    assert_eq!(s["serial"]["source"], "agent");
    assert!(str_of(&s["serial"]["observation"]).starts_with("report:"));
    let text = ok(c.admin(&["assets", "show", &sid]));
    assert!(text.contains("7XJ4K93  [agent report:"), "{text}");
    let e = err(c.admin(&["assets", "show", "a-000000000000"]));
    assert!(e.contains("no asset \"a-000000000000\""), "{e}");

    // explain: the observations and where the id came from.
    let text = ok(c.admin(&["assets", "explain", &sid]));
    assert!(text.contains("id: new, derived from agent:"), "{text}");
    assert!(text.contains("report:"), "{text}");

    // A person merges the laptop and the VM: one asset, the laptop's id.
    ok(c.admin(&["assets", "merge", &lid, &vid]));
    let after = list(&c);
    assert_eq!(after.len(), 2, "{after:#?}");
    let merged = show(&c, &lid);
    assert_eq!(merged["agent_ids"].as_array().unwrap().len(), 2);
    let text = ok(c.admin(&["assets", "explain", &lid]));
    assert!(text.contains("by a person (decision d-"), "{text}");
    let e = err(c.admin(&["assets", "show", &vid]));
    assert!(e.contains(&format!("was merged into {lid}")), "{e}");
    // It survives new reports and recomputation.
    for a in &agents {
        ok(a.run_once());
    }
    ok(c.admin(&["assets", "recompute"]));
    assert_eq!(list(&c).len(), 2);
    let e = err(c.admin(&["assets", "merge", &lid, &lid]));
    assert!(e.contains("cannot be merged with itself"), "{e}");
    let e = err(c.admin(&["assets", "merge", &lid, "a-nothing"]));
    assert!(e.contains("no asset \"a-nothing\""), "{e}");

    // ... until the person splits the VM's report out again.
    // The laptop's real serial wins over the VM's placeholder, so the
    // other report is the VM's.
    let m = show(&c, &lid);
    let vm_obs = m["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| str_of(o).to_string())
        .find(|o| o.starts_with("report:") && m["serial"]["observation"] != o.as_str())
        .unwrap();
    let e = err(c.admin(&["assets", "split", &lid, "--observation", "report:nothing"]));
    assert!(e.contains("not part of asset"), "{e}");
    ok(c.admin(&["assets", "split", &lid, "--observation", &vm_obs]));
    ok(c.admin(&["assets", "recompute"]));
    let after = list(&c);
    assert_eq!(after.len(), 3, "{after:#?}");
    for a in &agents {
        assert_eq!(
            of_agent(&after, &a.id)["agent_ids"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }
    assert_eq!(str_of(&of_agent(&after, &agents[1].id)["id"]), lid);

    // A person's values win and are kept.
    ok(c.admin(&["assets", "set", &sid, "owner", "Jan de Vries"]));
    ok(c.admin(&["assets", "set", &lid, "category", "office_pc"]));
    ok(c.admin(&["assets", "recompute"]));
    let s = show(&c, &sid);
    assert_eq!(s["owner"]["value"], "Jan de Vries");
    assert_eq!(s["owner"]["source"], "person");
    assert!(str_of(&s["owner"]["observation"]).starts_with("person:d-"));
    assert_eq!(show(&c, &lid)["category"]["value"], "office_pc");
    let e = err(c.admin(&["assets", "set", &sid, "category", "toaster"]));
    assert!(
        e.contains("not a category") && e.contains("nas_backup"),
        "{e}"
    );
    let e = err(c.admin(&["assets", "set", &sid, "colour", "red"]));
    assert!(
        e.contains("\"colour\" is not a field") && e.contains("criticality"),
        "{e}"
    );
    let e = err(c.admin(&["assets", "set", "a-nothing", "owner", "x"]));
    assert!(e.contains("no asset \"a-nothing\""), "{e}");

    // changes: new assets, the merge and split, the person's values.
    let ev = events(&c);
    let kinds = |k: &str| ev.iter().filter(|e| e["event"] == k).count();
    assert_eq!(
        kinds("new_asset"),
        3 + 1,
        "three agents, then the split: {ev:#?}"
    );
    assert!(kinds("absorbed") >= 1, "{ev:#?}");
    assert!(ev.iter().any(|e| e["event"] == "field_changed"
        && e["field"] == "owner"
        && e["new"] == "Jan de Vries"
        && e["source"] == "person"));
    let text = ok(c.admin(&["changes"]));
    assert!(text.contains("new asset: server srv-app01"), "{text}");
    assert!(text.contains("owner: - -> Jan de Vries (person)"), "{text}");
    let e = err(c.admin(&["changes", "--since", "soon"]));
    assert!(e.contains("--since"), "{e}");
}

#[test]
fn a_scheduled_scan_is_followed_by_a_recomputation() {
    let dir = tempfile::tempdir().unwrap();
    // The periodic check is hourly: after the start-up recomputation only
    // the scheduled scan's own hook recomputes (the start-up run may come
    // after a fast scan, so this shows the outcome, not which of the two
    // ran). Loopback only, discovery only.
    let c = Collector::start(
        &dir.path().join("collector"),
        free_port(),
        "assets_interval = \"1h\"\n[[scan]]\ntargets = [\"127.0.0.1\"]\nevery = \"1h\"\nports = \"\"\n",
    );
    let assets = wait_for_assets(&c, 1);
    assert_eq!(assets.len(), 1, "{assets:#?}");
    assert_eq!(assets[0]["unknown"], true);
    assert_eq!(assets[0]["ips"][0]["value"], "127.0.0.1");
    let ev = events(&c);
    assert_eq!(ev.len(), 1, "{ev:#?}");
    assert_eq!(ev[0]["event"], "new_unknown_device");
}

#[path = "assets_lab.rs"]
mod lab;
