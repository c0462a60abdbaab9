//! The scan command's shell over the namespace lab: Ctrl-C (SIGINT) prints
//! the hosts examined so far as valid JSON and says it was interrupted; the
//! progress bar is drawn on a terminal and stays quiet when stderr is a
//! pipe. Needs root; the lab is torn down even on failure.

use census_tests::lab::Lab;
use census_tests::lab::office::office;
use serde_json::Value;
use std::process::Stdio;
use std::time::Duration;

const NET: &str = "192.0.2";

#[test]
fn ctrl_c_prints_partial_results_and_piped_stderr_has_no_bar() {
    let listener = census_tests::workspace_bin("census-lab-listener");
    let lab = Lab::build(NET, &office(), &listener, &[]);
    // At 2 probes per second the eight hosts take about 20 s (ARP, one TCP
    // port and three UDP questions each); hosts finish one after another.
    let child = lab
        .in_scanner(&census_tests::bin("census-collector"))
        .args(["scan", &format!("{NET}.11-18"), "--json", "--no-dns"])
        .args(["--ports", "22", "--rate", "2", "--timeout", "500"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // At 2 probes/s the 8 hosts need about 30 s (discovery, then port 22 and
    // the UDP questions per host): 16 s leaves some done and some not, with
    // room on both sides for a loaded CI machine.
    std::thread::sleep(Duration::from_secs(16));
    // `ip netns exec` execs the scanner: the child is census-collector.
    // SAFETY: kill has no memory preconditions; the pid is our child's.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let found: Vec<Value> = serde_json::from_slice(&out.stdout).expect("valid JSON after Ctrl-C");
    assert!(
        !found.is_empty() && found.len() < 8,
        "some but not all of the 8 hosts: {} ({err})",
        found.len()
    );
    for o in &found {
        let ip = o["ip"].as_str().unwrap();
        let last: u8 = ip.rsplit('.').next().unwrap().parse().unwrap();
        assert!(ip.starts_with(NET) && (11..=18).contains(&last), "{ip}");
    }
    assert!(
        err.contains(&format!("interrupted: showing the {} host(s)", found.len())),
        "{err}"
    );
    // Stderr is a pipe here: no progress bar, no terminal control.
    assert!(
        !err.contains("probed") && !err.contains('\r') && !err.contains('\x1b'),
        "progress output on a pipe: {err:?}"
    );

    // On a terminal (script(1) gives it one) the bar is drawn.
    let cmd = format!(
        "ip netns exec {} {} scan {NET}.10-29 --no-ports --no-dns",
        lab.scanner(),
        census_tests::bin("census-collector").display()
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .expect("script (Debian package bsdutils)");
    let tty = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{tty}");
    assert!(
        tty.contains("probed"),
        "a progress bar on a terminal: {tty:?}"
    );
    drop(lab);
}
