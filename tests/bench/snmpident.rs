//! `census-snmpident`: identify many SNMP devices at once in one process,
//! the way a scan does, for `tests/bench/snmp.sh`. Each COMMUNITY names one
//! device on the same snmpsim endpoint (snmpsim maps community to
//! recording). Writes `DIR/out.N.json` per device and prints the wall time.
//! Use only against agents on loopback.
//!
//!   census-snmpident PORT DIR COMMUNITY...

use census_collector::snmp::credentials::Credential;
use census_collector::snmp::{Depth, Patience, identify_host};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: census-snmpident PORT DIR COMMUNITY...");
        std::process::exit(2);
    }
    let port: u16 = args[0].parse().expect("PORT is a number");
    let dir = std::path::PathBuf::from(&args[1]);
    let target = SocketAddr::from(([127, 0, 0, 1], port));
    let patience = Patience {
        // One retry: a single-threaded simulator under 50 clients drops some.
        timeout: Duration::from_secs(2),
        retries: 1,
        walk_budget: Duration::from_secs(30),
    };
    let start = Instant::now();
    let jobs = args[2..].iter().enumerate().map(|(i, c)| {
        let cred = Credential::v2c(c, 1).expect("community");
        let dir = dir.clone();
        tokio::spawn(async move {
            let r = identify_host(target, &[cred], patience, Depth::Full).await;
            match r {
                Ok((d, _)) => {
                    let json = serde_json::to_string(&d).unwrap();
                    std::fs::write(dir.join(format!("out.{i}.json")), json).unwrap();
                    true
                }
                Err(e) => {
                    eprintln!("device {i}: {e}");
                    false
                }
            }
        })
    });
    let results: Vec<bool> = futures_join(jobs.collect()).await;
    println!(
        "{:.3} {} {}",
        start.elapsed().as_secs_f64(),
        results.iter().filter(|ok| **ok).count(),
        results.len()
    );
}

async fn futures_join(handles: Vec<tokio::task::JoinHandle<bool>>) -> Vec<bool> {
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.unwrap_or(false));
    }
    out
}
