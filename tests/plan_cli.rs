//! `census-collector plan` end to end: agents from fixture machines report
//! to a collector on 127.0.0.1 and `plan` writes a plan whose device
//! sections hold exactly their assets, finds the site file next to the
//! config or takes `--site`, writes md/html/csv (a directory, or a zip of
//! the same files), and refuses bad formats, languages and site files
//! naming what is wrong.

use census_tests::{Agent, Collector, err, fixture, free_port, ok, workspace};
use serde_json::Value;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

fn device_ids(plan: &Value, kind: &str) -> BTreeSet<String> {
    plan["devices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| kind.is_empty() || s["kind"] == kind)
        .flat_map(|s| s["devices"].as_array().unwrap().iter())
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn cli_writes_a_plan_of_exactly_the_collectors_assets() {
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(
        &dir.path().join("collector"),
        free_port(),
        "assets_interval = \"1s\"\n",
    );
    let machines = ["rhel9-server", "ubuntu2204-laptop", "kvm-vm-placeholders"];
    for (i, m) in machines.iter().enumerate() {
        let a = Agent::enroll(&c, &dir.path().join(format!("agent{i}")), &fixture(m));
        ok(a.run_once());
    }
    let start = Instant::now();
    let assets: Vec<Value> = loop {
        let a: Vec<Value> =
            serde_json::from_str(&ok(c.admin(&["assets", "list", "--json"]))).unwrap();
        if a.len() >= 3 {
            break a;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no assets: {a:#?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    let of = |cat: &str| -> BTreeSet<String> {
        assets
            .iter()
            .filter(|a| a["category"]["value"] == cat)
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    let all: BTreeSet<String> = assets
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();

    // No site file yet: the plan says so.
    let v: Value = serde_json::from_str(&ok(c.admin(&["plan", "--format", "json"]))).unwrap();
    assert_eq!(v["site_facts"], false);
    assert_eq!(v["to_complete"][0]["kind"], "no_site_file");
    assert_eq!(device_ids(&v, ""), all);
    assert_eq!(device_ids(&v, "servers"), of("server"));
    assert_eq!(device_ids(&v, "office_pcs"), of("laptop"));
    assert_eq!(
        v["ip_plan"].as_array().unwrap().len(),
        assets
            .iter()
            .map(|a| a["ips"].as_array().unwrap().len())
            .sum::<usize>()
    );
    assert!(
        v["software"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["installs"].as_u64() >= Some(2)),
        "software aggregated across agents"
    );
    let server = v["devices"][1]["devices"][0].clone();
    assert!(
        server["cpu"].is_string() && server["memory_bytes"].is_u64(),
        "{server:#}"
    );

    // The site file next to the config is found; --site names another.
    let example = workspace().join("deploy/examples/site.toml");
    std::fs::copy(&example, c.config.parent().unwrap().join("site.toml")).unwrap();
    let v: Value = serde_json::from_str(&ok(c.admin(&["plan", "--format", "json"]))).unwrap();
    assert_eq!(v["site_facts"], true);
    assert_eq!(v["organisation"]["name"], "Bakkerij Voorbeeld B.V.");
    assert_eq!(device_ids(&v, ""), all);

    // Markdown and HTML to a file, CSV to a directory.
    let md = dir.path().join("plan.md");
    ok(c.admin(&["plan", "--lang", "en", "--out", md.to_str().unwrap()]));
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(
        text.starts_with("# IT disaster-recovery plan: inventory"),
        "{text}"
    );
    assert!(text.contains("srv-app01"), "{text}");
    let html = ok(c.admin(&["plan", "--format", "html"]));
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("Kantoor-pc"));
    let csv = dir.path().join("csv");
    ok(c.admin(&["plan", "--format", "csv", "--out", csv.to_str().unwrap()]));
    assert!(csv.join("03-servers.csv").exists());
    assert!(std::fs::read_dir(&csv).unwrap().count() > 20);
    // --out FILE.zip: one zip of the same files, byte for byte.
    let zip_file = dir.path().join("plan-csv.ZIP");
    ok(c.admin(&[
        "plan",
        "--format",
        "csv",
        "--out",
        zip_file.to_str().unwrap(),
    ]));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_file).unwrap()).unwrap();
    let mut names = BTreeSet::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        assert_eq!(bytes, std::fs::read(csv.join(&name)).unwrap(), "{name}");
        names.insert(name);
    }
    let on_disk: BTreeSet<String> = std::fs::read_dir(&csv)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, on_disk);

    // A licence key in the site file is printed only when asked.
    let keyed = dir.path().join("keyed.toml");
    let text = std::fs::read_to_string(&example).unwrap().replace(
        "# key = \"XXXXX-XXXXX-XXXXX-XXXXX\"",
        "key = \"ZQX7-LICENCE-KEY-4711\"",
    );
    assert!(text.contains("ZQX7"), "the example's commented key moved");
    std::fs::write(&keyed, text).unwrap();
    let keyed = keyed.to_str().unwrap();
    for format in ["md", "json"] {
        let out = ok(c.admin(&["plan", "--format", format, "--site", keyed]));
        assert!(!out.contains("ZQX7-LICENCE-KEY-4711"), "{format}: {out}");
        let out = ok(c.admin(&[
            "plan",
            "--format",
            format,
            "--site",
            keyed,
            "--show-licence-keys",
        ]));
        assert!(out.contains("ZQX7-LICENCE-KEY-4711"), "{format}: {out}");
    }

    // Refusals.
    let e = err(c.admin(&["plan", "--format", "docx"]));
    assert!(
        e.contains("writes a Word document, not text: give --out FILE"),
        "{e}"
    );
    let e = err(c.admin(&["plan", "--format", "csv"]));
    assert!(e.contains("--out DIRECTORY"), "{e}");
    let e = err(c.admin(&["plan", "--lang", "de"]));
    assert!(e.contains("\"de\" is not a language"), "{e}");
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[team]\n[[team.members]]\nname = \"A\"\nroles = [\"boss\"]\n",
    )
    .unwrap();
    let e = err(c.admin(&["plan", "--site", bad.to_str().unwrap()]));
    assert!(
        e.contains("bad.toml:4:")
            && e.contains("team.members[0].roles[0]")
            && e.contains("unknown variant `boss`"),
        "{e}"
    );
    let e = err(c.admin(&["plan", "--site", "/nonexistent/site.toml"]));
    assert!(e.contains("/nonexistent/site.toml"), "{e}");
    c.stop();
}
