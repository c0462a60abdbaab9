//! The one-line Linux install: the `curl … /install.sh | sudo sh` line a
//! collector on 127.0.0.1 prints, run as a person runs it (into a tree),
//! with curl's key pin, the binary's checksum and the refusals when either
//! is wrong or the binary is missing.

use census_tests::install_helpers::*;
use census_tests::{Collector, bin, free_port, ok};
use std::process::Command;

#[test]
fn the_printed_one_line_install_enrols_this_machine_through_install_sh() {
    let dir = tempfile::tempdir().unwrap();
    let downloads = dir.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let served = downloads.join("census-agent-linux-x86_64");
    std::fs::copy(bin("census-agent"), &served).unwrap();
    let c = Collector::start(
        &dir.path().join("collector"),
        free_port(),
        &format!("downloads_dir = {:?}\n", downloads.to_str().unwrap()),
    );
    // The line the collector printed, pinning its key.
    let fp = census_shared::pin::parse_fingerprint(&c.fingerprint).unwrap();
    let pin = format!("sha256//{}", census_shared::pin::base64_encode(&fp));
    assert_eq!(
        c.install_command,
        format!(
            "curl -fsSk --pinnedpubkey '{pin}' {}/install.sh | sudo sh -s -- --token {}",
            c.url, c.token
        )
    );

    // Another key pinned: curl refuses the connection, even with -k.
    let wrong = format!("sha256//{}", census_shared::pin::base64_encode(&[7u8; 32]));
    let o = shell(&format!(
        "curl -fsSk --pinnedpubkey '{wrong}' {}/install.sh",
        c.url
    ));
    assert!(
        !o.status.success() && o.stdout.is_empty(),
        "{}",
        combined(&o)
    );

    // The script carries the collector's URL, key and the binary's hash.
    let script = ok(shell(&format!(
        "curl -fsSk --pinnedpubkey '{pin}' {}/install.sh",
        c.url
    )));
    let sha = ok(Command::new("sha256sum").arg(&served).output().unwrap());
    let sha = sha.split_whitespace().next().unwrap();
    assert!(script.starts_with("#!/bin/sh\n"));
    assert!(
        script.contains(&format!("\nCOLLECTOR='{}'\n", c.url)),
        "{script}"
    );
    assert!(script.contains(&format!("\nFINGERPRINT='{}'\n", c.fingerprint)));
    assert!(script.contains(&format!("\nPIN='{pin}'\n")));
    assert!(script.contains(&format!("\nSHA256='{sha}'\n")));

    // The printed line as a person runs it, into a tree instead of / (and
    // without sudo: the tree is ours).
    let root = dir.path().join("root");
    let line = c.install_command.replace("| sudo sh", "| sh").to_string()
        + &format!(" --interval 2h --root {}", root.display());
    let o = shell(&line);
    assert!(o.status.success(), "{}", combined(&o));
    let out = combined(&o);
    assert!(out.contains("downloading the agent from"), "{out}");
    let cfg = assert_installed(&root, &c, &served);
    assert_eq!(cfg.interval, "2h");
    let agents = c.agents();
    assert_eq!(agents.len(), 1, "{agents:?}");
    assert_eq!(agents[0]["id"], cfg.agent_id.as_str());
    assert!(!out.contains(&c.token), "the token is not echoed: {out}");
    assert_config_delivers(&cfg, dir.path());

    // A binary that does not match the hash the script carries is refused
    // and nothing is installed.
    let script_path = dir.path().join("install.sh");
    std::fs::write(&script_path, &script).unwrap();
    let mut bytes = std::fs::read(&served).unwrap();
    bytes.extend_from_slice(b"tampered");
    std::fs::write(&served, bytes).unwrap();
    let other = dir.path().join("other");
    let o = Command::new("sh")
        .arg(&script_path)
        .args(["--token", &c.token, "--root", other.to_str().unwrap()])
        .output()
        .unwrap();
    let out = combined(&o);
    assert!(!o.status.success(), "{out}");
    assert!(
        out.contains("SHA-256") && out.contains("not installing it"),
        "{out}"
    );
    assert!(!other.exists());
    assert_eq!(c.agents().len(), 1);

    // No token: said before anything is downloaded.
    let o = Command::new("sh")
        .arg(&script_path)
        .env_remove("CENSUS_TOKEN")
        .output()
        .unwrap();
    assert!(
        combined(&o).contains("no enrolment token"),
        "{}",
        combined(&o)
    );
}

#[test]
fn without_an_agent_binary_the_collector_says_where_to_put_it() {
    let dir = tempfile::tempdir().unwrap();
    let downloads = dir.path().join("empty");
    std::fs::create_dir_all(&downloads).unwrap();
    let c = Collector::start(
        &dir.path().join("collector"),
        free_port(),
        &format!("downloads_dir = {:?}\n", downloads.to_str().unwrap()),
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let client = c.client();
    let get = |path: &str| {
        rt.block_on(async {
            let r = client.get(format!("{}{path}", c.url)).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        })
    };
    let (status, body) = get("/downloads/census-agent-linux-x86_64");
    assert_eq!(status, 404);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["error"], "not_found");
    let expected = downloads.join("census-agent-linux-x86_64");
    let msg = v["message"].as_str().unwrap();
    assert!(
        msg.contains(&format!(
            "no agent binary census-agent-linux-x86_64 (looked at {0}): put it at {0}",
            expected.display()
        )),
        "{msg}"
    );
    let (status, body) = get("/downloads/census-agent-windows.exe");
    assert_eq!(status, 404);
    assert!(
        body.contains("this collector offers census-agent-linux-x86_64"),
        "{body}"
    );
    // The script is served and stops with the same explanation.
    let (status, script) = get("/install.sh");
    assert_eq!(status, 200);
    let path = dir.path().join("install.sh");
    std::fs::write(&path, script).unwrap();
    let o = Command::new("sh")
        .arg(&path)
        .args(["--token", &c.token, "--root"])
        .arg(dir.path().join("root"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        combined(&o).contains("no agent binary census-agent-linux-x86_64"),
        "{}",
        combined(&o)
    );
    assert!(c.agents().is_empty());
}
