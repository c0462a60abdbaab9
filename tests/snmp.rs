//! `census-collector snmp identify` against real agents on loopback:
//! snmpsim serving 16 real device recordings (every one must get the right
//! type, vendor, model and serial), net-snmp's snmpd with v2c and SHA-256
//! v3 users (authNoPriv, authPriv with AES-128), a wrong password and a dead
//! port (clear errors, quickly), and a hostile fake agent that answers with
//! garbage, wrong request ids, huge values and walks that loop back.

use census_collector::snmp::truth;
use census_shared::device::{DeviceType, SnmpDevice};
use census_tests::bin;
use census_tests::snmp_peers::{AUTH_PASS, PRIV_PASS, Snmpd, Snmpsim, free_udp_port};
use std::net::UdpSocket;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn identify(port: u16, args: &[&str]) -> (Output, Duration) {
    let start = Instant::now();
    let out = Command::new(bin("census-collector"))
        .args([
            "--data-dir",
            "/nonexistent-census",
            "snmp",
            "identify",
            "--json",
        ])
        .arg(format!("127.0.0.1:{port}"))
        .args(args)
        .output()
        .unwrap();
    (out, start.elapsed())
}

fn device(out: &Output) -> SnmpDevice {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn every_recorded_device_is_identified_over_snmpsim() {
    let sim = Snmpsim::start();
    let truth_file = Snmpsim::dev_dir().join("expected.json");
    let expected: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(truth_file).unwrap()).unwrap();
    assert_eq!(expected.len(), 16);
    let mut failures = Vec::new();
    for e in &expected {
        let community = e["community"].as_str().unwrap();
        let (out, _) = identify(sim.port, &["--community", community]);
        let d = device(&out);
        assert_eq!(d.snmp_version, "v2c");
        assert_eq!(
            d.sys_object_id.as_deref(),
            e["sysObjectID"].as_str(),
            "{community}"
        );
        if let Err(w) = truth::check(&d, e) {
            failures.push(format!("{community}: {w}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // SNMPv1 (no GETBULK; a GET with one missing OID fails whole).
    let (out, _) = identify(sim.port, &["--v1", "--community", "konica_c250i"]);
    let d = device(&out);
    assert_eq!(d.snmp_version, "v1");
    let e = expected
        .iter()
        .find(|e| e["community"] == "konica_c250i")
        .unwrap();
    assert_eq!(truth::check(&d, e), Ok(()));
    assert!(
        d.printer.is_some_and(|p| !p.supplies.is_empty()),
        "walks work over GETNEXT"
    );

    // SNMPv3 (MD5 + DES, snmpsim's built-in user; the context names the file).
    let (out, _) = identify(
        sim.port,
        &[
            "--v3-user",
            "simulator",
            "--auth-proto",
            "md5",
            "--auth-pass",
            "auctoritas",
            "--priv-proto",
            "des",
            "--priv-pass",
            "privatus",
            "--context",
            "brother",
        ],
    );
    let d = device(&out);
    assert_eq!(
        (d.device_type, d.vendor.as_deref()),
        (DeviceType::Printer, Some("Brother"))
    );
    assert_eq!(d.snmp_version, "v3");
    assert_eq!(d.credential, "v3 user \"simulator\" (authPriv)");
    let p = d.printer.expect("printer details over v3");
    assert!(!p.supplies.is_empty());
}

#[test]
fn net_snmp_v2c_and_v3_with_clear_errors() {
    let agent = Snmpd::start();
    let (out, _) = identify(
        agent.port,
        &[
            "--community",
            "wrong",
            "--community",
            "census-ro",
            "--timeout",
            "500",
        ],
    );
    let d = device(&out);
    assert_eq!(
        d.credential, "community #2 (v2c)",
        "the second community answered"
    );
    assert_eq!(d.sys_name.as_deref(), Some("census-snmpd"));
    assert_eq!(d.sys_location.as_deref(), Some("lab rack 1"));
    assert_eq!(
        d.device_type,
        DeviceType::Server,
        "a Linux host with HOST-RESOURCES: {:?}",
        d.evidence
    );
    assert!(
        d.os.as_deref().unwrap_or("").starts_with("Linux"),
        "{:?}",
        d.os
    );
    assert!(!d.mac_addresses.is_empty() || d.host.is_some());

    let priv_user = |auth: &'static str, privacy: &'static str| {
        vec![
            "--auth-proto",
            auth,
            "--auth-pass",
            AUTH_PASS,
            "--priv-proto",
            privacy,
            "--priv-pass",
            PRIV_PASS,
        ]
    };
    for (user, extra) in [
        ("strong", priv_user("sha512", "aes256")),
        ("middle", priv_user("sha224", "aes192")),
        ("classic", priv_user("sha", "des")),
        (
            "authonly",
            vec!["--auth-proto", "sha256", "--auth-pass", AUTH_PASS],
        ),
        (
            "private",
            vec![
                "--auth-proto",
                "sha256",
                "--auth-pass",
                AUTH_PASS,
                "--priv-proto",
                "aes",
                "--priv-pass",
                PRIV_PASS,
            ],
        ),
    ] {
        let mut args = vec!["--v3-user", user];
        args.extend(extra);
        let (out, _) = identify(agent.port, &args);
        let d = device(&out);
        assert_eq!(d.snmp_version, "v3", "{user}");
        assert_eq!(d.sys_name.as_deref(), Some("census-snmpd"), "{user}");
    }

    // A wrong password: agents drop what they cannot authenticate, so the
    // error comes after the timeout (1.5 s, one retry) and names the likely cause.
    let (out, took) = identify(
        agent.port,
        &[
            "--v3-user",
            "private",
            "--auth-proto",
            "sha256",
            "--auth-pass",
            "not-the-password",
            "--priv-proto",
            "aes",
            "--priv-pass",
            PRIV_PASS,
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("SNMPv3 user, protocols or passwords are wrong"),
        "{err}"
    );
    assert!(
        !err.contains("not-the-password"),
        "the password must never be printed: {err}"
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn a_dead_port_times_out_quickly() {
    let port = free_udp_port();
    let (out, took) = identify(
        port,
        &[
            "--community",
            "public",
            "--timeout",
            "400",
            "--retries",
            "1",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no SNMP answer"), "{err}");
    assert!(took < Duration::from_secs(3), "took {took:?}");
}

// ---------------------------------------------------------------- a hostile agent

/// Minimal BER for a v2c GetResponse.
fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    let n = body.len();
    if n < 128 {
        v.push(n as u8);
    } else if n < 256 {
        v.extend([0x81, n as u8]);
    } else {
        v.extend([0x82, (n >> 8) as u8, n as u8]);
    }
    v.extend_from_slice(body);
    v
}

fn int(i: u32) -> Vec<u8> {
    let b = i.to_be_bytes();
    let skip = b.iter().take(3).take_while(|&&x| x == 0).count();
    let mut body = b[skip..].to_vec();
    if body[0] & 0x80 != 0 {
        body.insert(0, 0);
    }
    tlv(0x02, &body)
}

fn oid(arcs: &[u32]) -> Vec<u8> {
    let mut body = vec![(arcs[0] * 40 + arcs[1]) as u8];
    for &a in &arcs[2..] {
        let mut chunk = vec![(a & 0x7f) as u8];
        let mut x = a >> 7;
        while x > 0 {
            chunk.insert(0, (x & 0x7f) as u8 | 0x80);
            x >>= 7;
        }
        body.extend(chunk);
    }
    tlv(0x06, &body)
}

/// Request id of a v2c request: message, version, community, then the PDU.
fn request_id(p: &[u8]) -> Option<u32> {
    fn skip_header(p: &[u8]) -> Option<(usize, usize)> {
        let len0 = *p.get(1)? as usize;
        Some(if len0 & 0x80 == 0 {
            (2, len0)
        } else {
            (2 + (len0 & 0x7f), 0)
        })
    }
    let (h, _) = skip_header(p)?; // SEQUENCE
    let mut i = h;
    for _ in 0..2 {
        // version, community
        let l = *p.get(i + 1)? as usize;
        i += 2 + l;
    }
    let (h, _) = skip_header(p.get(i..)?)?; // PDU
    i += h;
    let l = *p.get(i + 1)? as usize;
    let b = p.get(i + 2..i + 2 + l)?;
    Some(b.iter().fold(0u32, |a, &x| (a << 8) | x as u32))
}

fn response(id: u32, community: &[u8], varbinds: &[(Vec<u32>, Vec<u8>)]) -> Vec<u8> {
    let vbs: Vec<u8> = varbinds
        .iter()
        .flat_map(|(o, v)| tlv(0x30, &[oid(o), v.clone()].concat()))
        .collect();
    let pdu = tlv(0xa2, &[int(id), int(0), int(0), tlv(0x30, &vbs)].concat());
    tlv(0x30, &[int(1), tlv(0x04, community), pdu].concat())
}

#[test]
fn a_hostile_agent_never_hangs_or_crashes_identification() {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = sock.local_addr().unwrap().port();
    sock.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop2 = stop.clone();
    let served = std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        let mut n = 0u32;
        while !stop2.load(std::sync::atomic::Ordering::Relaxed) {
            let Ok((len, from)) = sock.recv_from(&mut buf) else {
                continue;
            };
            n += 1;
            let id = request_id(&buf[..len]).unwrap_or(0);
            let sys_descr = vec![1, 3, 6, 1, 2, 1, 1, 1, 0];
            // Rotate through hostile answers; every fourth is a usable one,
            // so identification gets far enough to start walking.
            let answer = match n % 4 {
                0 => (0..300u32).map(|i| (i * 7919 % 251) as u8).collect(), // garbage
                1 => response(
                    id.wrapping_add(1),
                    b"public",
                    &[(sys_descr.clone(), tlv(0x04, b"x"))],
                ), // wrong id
                2 => response(
                    id,
                    b"public",
                    &[(sys_descr.clone(), tlv(0x04, &vec![b'A'; 60_000]))],
                ), // huge value
                _ => response(
                    id,
                    b"public",
                    &[(sys_descr.clone(), tlv(0x04, b"Linux loop 1.0"))],
                ), // loops back
            };
            let _ = sock.send_to(&answer, from);
        }
        n
    });
    let (out, took) = identify(
        port,
        &[
            "--community",
            "public",
            "--timeout",
            "300",
            "--retries",
            "1",
        ],
    );
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let requests = served.join().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(took < Duration::from_secs(60), "took {took:?}");
    assert!(requests > 1, "the fake agent was asked {requests} times");
    if out.status.success() {
        let d: SnmpDevice = serde_json::from_slice(&out.stdout).unwrap();
        assert!(
            d.sys_descr.as_deref().unwrap_or("").len() <= 1024,
            "huge values are capped"
        );
    }
}
