//! `census-collector export` and `import` end to end: a collector with
//! fixture agents and a site file is exported (while it runs) to keys from
//! `age-keygen`; the `age` CLI decrypts it and `tar` unpacks it without
//! Census; the manifest's hashes hold, the plan is there in every format
//! (the zipped CSV holding the CSV directory's files); `import` restores a fresh data
//! directory whose `assets list` is the original's; a passphrase round
//! trip; wrong keys, wrong passphrases, an existing database and altered
//! archives are refused.

use census_tests::{Agent, Collector, bin, err, fixture, free_port, ok, workspace};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn run(cmd: &str, args: &[&str]) -> Output {
    Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e} (Debian package `age`; tests/run.sh installs it)"))
}

/// An age key pair from `age-keygen`: (identity file, public key).
fn keygen(dir: &Path, name: &str) -> (PathBuf, String) {
    let key = dir.join(name);
    ok(run("age-keygen", &["-o", key.to_str().unwrap()]));
    let public = ok(run("age-keygen", &["-y", key.to_str().unwrap()]));
    (key, public.trim().to_string())
}

/// A collector admin command against another config, with environment.
fn census(config: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(bin("census-collector"))
        .args(["--config", config.to_str().unwrap(), "--log", "warn"])
        .args(args)
        .env_remove("CENSUS_EXPORT_PASSPHRASE")
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

/// A config file for a fresh data directory `dir` (not started).
fn fresh(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let config = dir.join("collector.toml");
    std::fs::write(
        &config,
        format!("data_dir = {:?}\n", dir.join("data").to_str().unwrap()),
    )
    .unwrap();
    config
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn sha256(path: &Path) -> String {
    let out = ok(run("sha256sum", &[path.to_str().unwrap()]));
    out.split_whitespace().next().unwrap().to_string()
}

/// `age -d -i KEY FILE | tar x -C DIR`, with the standard tools only.
fn unpack_with_standard_tools(file: &Path, key: &Path, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let tar = dir.with_extension("tar");
    ok(run(
        "age",
        &[
            "-d",
            "-i",
            key.to_str().unwrap(),
            "-o",
            tar.to_str().unwrap(),
            file.to_str().unwrap(),
        ],
    ));
    ok(run(
        "tar",
        &["-xf", tar.to_str().unwrap(), "-C", dir.to_str().unwrap()],
    ));
}

#[test]
fn export_decrypts_with_age_and_imports_into_a_fresh_collector() {
    let dir = tempfile::tempdir().unwrap();
    let c = Collector::start(
        &dir.path().join("collector"),
        free_port(),
        "assets_interval = \"1s\"\n",
    );
    // The example site file with its CSV list of phones switched on: the
    // list must travel with the site file and come back beside it.
    let site = std::fs::read_to_string(workspace().join("deploy/examples/site.toml"))
        .unwrap()
        .replace("# csv = \"mobiles.csv\"", "csv = \"mobiles.csv\"");
    assert!(site.contains("\ncsv = \"mobiles.csv\""));
    std::fs::write(c.config.parent().unwrap().join("site.toml"), site).unwrap();
    std::fs::copy(
        workspace().join("deploy/examples/mobiles.csv"),
        c.config.parent().unwrap().join("mobiles.csv"),
    )
    .unwrap();
    let machines = ["rhel9-server", "ubuntu2204-laptop", "kvm-vm-placeholders"];
    for (i, m) in machines.iter().enumerate() {
        let a = Agent::enroll(&c, &dir.path().join(format!("agent{i}")), &fixture(m));
        ok(a.run_once());
    }
    let start = Instant::now();
    loop {
        let a: Vec<Value> =
            serde_json::from_str(&ok(c.admin(&["assets", "list", "--json"]))).unwrap();
        if a.len() >= 3 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "no assets");
        std::thread::sleep(Duration::from_millis(200));
    }
    let assets = ok(c.admin(&["assets", "list", "--json"]));
    let ids: BTreeSet<String> = serde_json::from_str::<Vec<Value>>(&assets)
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();

    // Export while the collector runs, to two recipients, armored.
    let (key, public) = keygen(dir.path(), "key.txt");
    let (key2, public2) = keygen(dir.path(), "key2.txt");
    let copy = dir.path().join("census.age");
    let copy_s = copy.to_str().unwrap();
    ok(c.admin(&[
        "export",
        "--out",
        copy_s,
        "--recipient",
        &public,
        "--recipient",
        &public2,
        "--armor",
    ]));
    assert_eq!(mode(&copy), 0o600);
    let text = std::fs::read_to_string(&copy).unwrap();
    assert!(
        text.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"),
        "{text:.80}"
    );
    assert!(!text.contains("SQLite"));

    // Either key opens it with the age CLI; tar unpacks it.
    let out = dir.path().join("unpacked");
    unpack_with_standard_tools(&copy, &key, &out);
    unpack_with_standard_tools(&copy, &key2, &dir.path().join("unpacked2"));
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("MANIFEST.json")).unwrap()).unwrap();
    assert_eq!(manifest["version"], 1);
    assert!(manifest["created_at"].as_str().unwrap().starts_with("20"));
    let files = manifest["files"].as_array().unwrap();
    let paths: BTreeSet<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    for p in [
        "plan/plan.md",
        "plan/plan.html",
        "plan/plan.json",
        "plan/plan.xlsx",
        "plan/plan.docx",
        "plan/plan-csv.zip",
        "data/census.db",
        "data/tls/cert.pem",
        "data/tls/key.pem",
        "data/site.toml",
        "data/site-files/mobiles.csv",
    ] {
        assert!(paths.contains(p), "{p} missing from {paths:?}");
    }
    assert!(
        paths
            .iter()
            .any(|p| p.starts_with("plan/csv/") && p.ends_with(".csv")),
        "{paths:?}"
    );
    // The zipped CSV holds the directory's files, byte for byte.
    let csv: BTreeSet<String> = paths
        .iter()
        .filter_map(|p| p.strip_prefix("plan/csv/"))
        .map(str::to_string)
        .collect();
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(out.join("plan/plan-csv.zip")).unwrap()).unwrap();
    let mut zipped = BTreeSet::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        assert_eq!(
            bytes,
            std::fs::read(out.join("plan/csv").join(&name)).unwrap(),
            "{name}"
        );
        zipped.insert(name);
    }
    assert_eq!(zipped, csv);
    for f in files {
        let path = out.join(f["path"].as_str().unwrap());
        assert_eq!(sha256(&path), f["sha256"], "{}", path.display());
        assert_eq!(std::fs::metadata(&path).unwrap().len(), f["size"]);
    }
    let db = std::fs::read(out.join("data/census.db")).unwrap();
    assert!(db.starts_with(b"SQLite format 3\0"));
    let plan: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("plan/plan.json")).unwrap())
            .unwrap();
    assert_eq!(plan["site_facts"], true);
    let planned: BTreeSet<String> = plan["devices"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["devices"].as_array().unwrap().iter())
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(planned, ids);
    assert!(
        std::fs::read_to_string(out.join("plan/plan.html"))
            .unwrap()
            .contains("<html")
    );

    // Import into a fresh data directory: the same assets.
    let restored = dir.path().join("restored");
    let config = fresh(&restored);
    let key_s = key.to_str().unwrap();
    ok(census(
        &config,
        &["import", copy_s, "--identity", key_s],
        &[],
    ));
    let data = restored.join("data");
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("census.db")), 0o600);
    assert_eq!(mode(&data.join("tls")), 0o700);
    assert_eq!(mode(&data.join("tls/key.pem")), 0o600);
    assert_eq!(
        std::fs::read(data.join("tls/key.pem")).unwrap(),
        std::fs::read(c.data_dir.join("tls/key.pem")).unwrap()
    );
    assert_eq!(
        std::fs::read(restored.join("site.toml")).unwrap(),
        std::fs::read(c.config.parent().unwrap().join("site.toml")).unwrap()
    );
    assert_eq!(
        std::fs::read(restored.join("mobiles.csv")).unwrap(),
        std::fs::read(c.config.parent().unwrap().join("mobiles.csv")).unwrap()
    );
    assert_eq!(
        ok(census(&config, &["assets", "list", "--json"], &[])),
        assets
    );

    // An existing database is not overwritten without --force.
    let e = err(census(
        &config,
        &["import", copy_s, "--identity", key_s],
        &[],
    ));
    assert!(e.contains("already exists") && e.contains("--force"), "{e}");
    ok(census(
        &config,
        &["import", copy_s, "--identity", key_s, "--force"],
        &[],
    ));
    assert_eq!(
        ok(census(&config, &["assets", "list", "--json"], &[])),
        assets
    );

    // A key it was not encrypted to: a clear refusal, nothing written.
    let (other, _) = keygen(dir.path(), "other.txt");
    let elsewhere = fresh(&dir.path().join("elsewhere"));
    let e = err(census(
        &elsewhere,
        &["import", copy_s, "--identity", other.to_str().unwrap()],
        &[],
    ));
    assert!(e.contains("cannot open this archive"), "{e}");
    assert!(!dir.path().join("elsewhere/data/census.db").exists());

    // Bytes flipped in the encrypted file: refused by age's authentication.
    let binary = dir.path().join("binary.age");
    ok(c.admin(&[
        "export",
        "--out",
        binary.to_str().unwrap(),
        "--recipient",
        &public,
    ]));
    let mut bytes = std::fs::read(&binary).unwrap();
    let at = bytes.len() - 100;
    bytes[at] ^= 0x55;
    let tampered = dir.path().join("tampered.age");
    std::fs::write(&tampered, &bytes).unwrap();
    let e = err(census(
        &elsewhere,
        &["import", tampered.to_str().unwrap(), "--identity", key_s],
        &[],
    ));
    assert!(e.contains("damaged or was altered"), "{e}");
    assert!(!dir.path().join("elsewhere/data/census.db").exists());

    // A file changed inside a well-encrypted archive: the manifest refuses it.
    let inner = dir.path().join("inner");
    unpack_with_standard_tools(&binary, &key, &inner);
    let mut site = std::fs::read_to_string(inner.join("data/site.toml")).unwrap();
    site.push_str("\n# altered\n");
    std::fs::write(inner.join("data/site.toml"), site).unwrap();
    let retar = dir.path().join("retar.tar");
    ok(run(
        "tar",
        &[
            "-cf",
            retar.to_str().unwrap(),
            "-C",
            inner.to_str().unwrap(),
            "MANIFEST.json",
            "plan",
            "data",
        ],
    ));
    let forged = dir.path().join("forged.age");
    ok(run(
        "age",
        &[
            "-r",
            &public,
            "-o",
            forged.to_str().unwrap(),
            retar.to_str().unwrap(),
        ],
    ));
    let e = err(census(
        &elsewhere,
        &["import", forged.to_str().unwrap(), "--identity", key_s],
        &[],
    ));
    assert!(
        e.contains("data/site.toml") && e.contains("does not match"),
        "{e}"
    );
    assert!(!dir.path().join("elsewhere/data/census.db").exists());

    // Passphrase round trip (the passphrase from the environment).
    let secret = [("CENSUS_EXPORT_PASSPHRASE", "correct horse battery staple")];
    let sealed = dir.path().join("sealed.age");
    let sealed_s = sealed.to_str().unwrap();
    ok(census(
        &c.config,
        &["export", "--out", sealed_s, "--passphrase", "--lang", "en"],
        &secret,
    ));
    let e = err(census(
        &elsewhere,
        &["import", sealed_s, "--passphrase"],
        &[("CENSUS_EXPORT_PASSPHRASE", "wrong horse")],
    ));
    assert!(e.contains("wrong passphrase"), "{e}");
    let e = err(census(
        &elsewhere,
        &["import", sealed_s, "--identity", key_s],
        &[],
    ));
    assert!(e.contains("use --passphrase"), "{e}");
    let e = err(census(
        &elsewhere,
        &["import", copy_s, "--passphrase"],
        &secret,
    ));
    assert!(e.contains("use --identity"), "{e}");
    ok(census(
        &elsewhere,
        &["import", sealed_s, "--passphrase"],
        &secret,
    ));
    assert_eq!(
        ok(census(&elsewhere, &["assets", "list", "--json"], &[])),
        assets
    );

    // Neither recipients nor a passphrase, or a bad key: refused up front.
    let e = err(c.admin(&["export", "--out", sealed_s]));
    assert!(
        e.contains("--recipient") || e.contains("--passphrase"),
        "{e}"
    );
    let e = err(c.admin(&["export", "--out", sealed_s, "--recipient", "age1nope"]));
    assert!(e.contains("not an age public key"), "{e}");
    c.stop();
}
