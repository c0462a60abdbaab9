//! The discovery engine: which addresses are alive, their MACs, names, open
//! ports and banners, at a bounded rate and concurrency.
//!
//! Phases: (0a) an ARP sweep settles every target on a directly attached
//! subnet (raw socket); (0b) an ICMP echo sweep covers the rest; (1) what
//! stayed silent gets TCP connects to 80 and 443 — an open port or a reset
//! proves a host, and the kernel neighbour table, watched meanwhile, shows
//! on-link hosts that answer nothing else (the unprivileged path); then
//! reverse DNS for the live hosts; (2) live hosts get the port list with
//! timeouts fitted to their round trip; (3) open web and SSH ports are asked
//! what they are. Alongside phase 2, the UDP probes: the first SNMP get
//! (`snmp`) and NetBIOS, mDNS and SIP (`udp`). Pacing is `pace`, TCP
//! connects are `tcp`.

#[cfg(unix)]
use super::arp;
use super::pace::Pace;
use super::tcp::{Probe, probe_ports};
use super::{dns, guess, icmp, neighbours, services, snmp, udp};
use census_shared::MacAddr;
use census_shared::observation::{FoundBy, Name, ScanObservation, Service};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// TCP ports tried on addresses that did not answer ICMP: a reset from a
/// closed port proves a host as well as an open one.
pub const DISCOVERY_PORTS: &[u16] = &[80, 443];

/// Most silent addresses that get a second TCP try.
const RETRY_LIMIT: usize = 4096;

/// How a scan runs.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// TCP ports for live hosts; empty = discovery only.
    pub ports: Vec<u16>,
    /// Connection attempts per second, over the whole scan.
    pub rate: u32,
    /// Longest wait for one answer.
    pub timeout: Duration,
    /// Connection attempts in flight at once.
    pub concurrency: usize,
    /// Sweep with ICMP echo first (when a socket can be opened).
    pub icmp: bool,
    /// Sweep attached subnets with ARP (when a raw socket can be opened).
    pub arp: bool,
    /// Look names up by reverse DNS.
    pub dns: bool,
    /// SNMP credentials (communities, v3 users), tried in order on every
    /// live host (empty: SNMP is not asked).
    pub snmp: Vec<crate::snmp::Credential>,
    /// Address → id of the credential that device answered to last.
    pub snmp_remembered: HashMap<String, String>,
    /// Ask NetBIOS, mDNS and SIP (UDP 137, 5353, 5060).
    pub udp: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            ports: super::ports::DEFAULT_TCP.to_vec(),
            rate: 2000,
            timeout: Duration::from_millis(1000),
            concurrency: 512,
            icmp: true,
            arp: true,
            dns: true,
            snmp: crate::snmp::credentials::credential_list(&["public".into()], &[])
                .unwrap_or_default(),
            snmp_remembered: HashMap::new(),
            udp: true,
        }
    }
}

/// Live counters and partial results, for progress bars and Ctrl-C.
#[derive(Default)]
pub struct ScanProgress {
    pub total: AtomicUsize,
    pub probed: AtomicUsize,
    pub found: AtomicUsize,
    pub results: Mutex<Vec<ScanObservation>>,
    /// Things the user should know once (fallbacks and why).
    pub notes: Mutex<Vec<String>>,
}

impl ScanProgress {
    fn note(&self, what: String) {
        self.notes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(what);
    }
}

/// Scan `targets`; results also accumulate in `progress.results`.
pub async fn scan(
    targets: Vec<IpAddr>,
    opts: &ScanOptions,
    progress: Arc<ScanProgress>,
) -> Vec<ScanObservation> {
    let ctx = Arc::new(Pace::new(opts.rate, opts.concurrency));
    progress.total.store(targets.len(), Ordering::Relaxed);
    let gap = Duration::from_secs_f64(1.0 / opts.rate.max(1) as f64);

    // The neighbour table is read all through discovery: on large on-link
    // ranges the kernel recycles entries before the sweep ends.
    let neigh: Arc<Mutex<HashMap<IpAddr, MacAddr>>> = Arc::default();
    let watcher = {
        let neigh = neigh.clone();
        tokio::spawn(async move {
            loop {
                let now = neighbours::read();
                neigh.lock().unwrap_or_else(|p| p.into_inner()).extend(now);
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        })
    };

    // Phase 0a: ARP on attached subnets (raw socket). Where it ran, it is
    // the whole truth about which addresses are in use.
    let mut arp: HashMap<IpAddr, (MacAddr, Duration)> = HashMap::new();
    let mut settled: HashSet<IpAddr> = HashSet::new();
    #[cfg(unix)]
    if opts.arp {
        for link in arp::links() {
            let on_link: Vec<Ipv4Addr> = targets
                .iter()
                .filter_map(|t| match t {
                    IpAddr::V4(v4)
                        if link.contains(*v4) && *v4 != link.ip && !settled.contains(t) =>
                    {
                        Some(*v4)
                    }
                    _ => None,
                })
                .collect();
            if on_link.is_empty() {
                continue;
            }
            let wait = opts.timeout.min(Duration::from_millis(500));
            let list = on_link.clone();
            match tokio::task::spawn_blocking(move || arp::sweep(&link, &list, gap, wait)).await {
                Ok(Ok(found)) => {
                    arp.extend(found);
                    settled.extend(on_link.into_iter().map(IpAddr::V4));
                }
                Ok(Err(e)) => {
                    progress.note(e);
                    break;
                }
                Err(e) => tracing::warn!("ARP sweep failed: {e}"),
            }
        }
    }
    progress.probed.fetch_add(settled.len(), Ordering::Relaxed);
    let rest: Vec<IpAddr> = targets
        .iter()
        .copied()
        .filter(|t| !settled.contains(t))
        .collect();

    // Phase 0b: one ICMP echo per remaining address, when a socket can be had.
    let mut icmp: HashMap<IpAddr, Duration> = HashMap::new();
    if opts.icmp && !rest.is_empty() {
        match icmp::Pinger::open() {
            Ok(p) => {
                let p = Arc::new(p);
                tracing::debug!(mode = ?p.mode(), "ICMP sweep");
                icmp = p.sweep(&rest, gap, opts.timeout).await;
            }
            Err(e) => progress.note(e),
        }
    }
    // Round trips seen so far set the patience for the TCP probes.
    let max_rtt = icmp
        .values()
        .chain(arp.values().map(|(_, t)| t))
        .max()
        .copied();
    let discovery_timeout = max_rtt.map_or(opts.timeout, |t| {
        (t * 10 + Duration::from_millis(150)).min(opts.timeout)
    });

    // Phase 1: TCP connects, like nmap's -sn probes, for what ICMP did not show.
    let mut phase1 = tokio::task::JoinSet::new();
    for ip in rest.iter().copied() {
        if icmp.contains_key(&ip) {
            progress.probed.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        let (ctx, timeout, progress) = (ctx.clone(), discovery_timeout, progress.clone());
        phase1.spawn(async move {
            let answers = probe_ports(&ctx, ip, DISCOVERY_PORTS, timeout).await;
            progress.probed.fetch_add(1, Ordering::Relaxed);
            (ip, answers)
        });
    }
    let mut answered: HashMap<IpAddr, Vec<(u16, Probe)>> = HashMap::new();
    while let Some(Ok((ip, answers))) = phase1.join_next().await {
        answered.insert(ip, answers);
    }
    // A second chance, with the full timeout, for what stayed silent: a
    // busy gateway (resolving a whole routed range at once) can be slower
    // than the round trips seen so far. Only for ranges small enough that
    // the retry stays cheap.
    let silent: Vec<IpAddr> = answered
        .iter()
        .filter(|(_, a)| a.iter().all(|(_, r)| *r == Probe::Silent))
        .map(|(ip, _)| *ip)
        .collect();
    if discovery_timeout < opts.timeout && !silent.is_empty() && silent.len() <= RETRY_LIMIT {
        let mut retry = tokio::task::JoinSet::new();
        for ip in silent {
            let (ctx, timeout) = (ctx.clone(), opts.timeout);
            retry.spawn(async move { (ip, probe_ports(&ctx, ip, DISCOVERY_PORTS, timeout).await) });
        }
        while let Some(Ok((ip, answers))) = retry.join_next().await {
            if answers.iter().any(|(_, r)| *r != Probe::Silent) {
                answered.insert(ip, answers);
            }
        }
    }
    // Give late ARP replies a moment, then take the neighbour table.
    tokio::time::sleep(Duration::from_millis(100)).await;
    watcher.abort();
    let mut neigh = std::mem::take(&mut *neigh.lock().unwrap_or_else(|p| p.into_inner()));
    neigh.extend(neighbours::read());

    let mut live: Vec<Live> = Vec::new();
    for ip in &targets {
        let answers = answered.remove(ip).unwrap_or_default();
        let tcp = answers.iter().any(|(_, r)| *r != Probe::Silent);
        let by_arp = arp.get(ip).copied();
        let mac = by_arp.map(|(m, _)| m).or_else(|| neigh.get(ip).copied());
        let ping = icmp.get(ip).copied();
        if tcp || mac.is_some() || ping.is_some() {
            progress.found.fetch_add(1, Ordering::Relaxed);
            live.push(Live {
                ip: *ip,
                answers,
                mac,
                ping,
                arp: by_arp.map(|(_, t)| t),
            });
        }
    }

    // Names by reverse DNS, all at once, with bounded patience.
    let names = if opts.dns {
        let ips: Vec<IpAddr> = live.iter().map(|l| l.ip).collect();
        let (names, note) =
            dns::reverse_names(&ips, opts.timeout.min(Duration::from_millis(500))).await;
        if let Some(n) = note {
            progress.note(n);
        }
        Arc::new(names)
    } else {
        Arc::default()
    };

    // Phases 2 and 3 per live host.
    let mut hosts = tokio::task::JoinSet::new();
    for Live {
        ip,
        answers,
        mac,
        ping,
        arp,
    } in live
    {
        let (ctx, opts, progress, names) =
            (ctx.clone(), opts.clone(), progress.clone(), names.clone());
        hosts.spawn(async move {
            let mut o = examine(&ctx, ip, answers, mac, ping, arp, &opts).await;
            if let Some(n) = names.get(&ip) {
                o.names.push(Name {
                    name: n.clone(),
                    source: "dns".into(),
                });
            }
            progress
                .results
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(o.clone());
            o
        });
    }
    let mut out = Vec::new();
    while let Some(Ok(o)) = hosts.join_next().await {
        out.push(o);
    }
    out.sort_by_key(|o| o.ip);
    out
}

/// A host that answered discovery.
struct Live {
    ip: IpAddr,
    answers: Vec<(u16, Probe)>,
    mac: Option<MacAddr>,
    ping: Option<Duration>,
    arp: Option<Duration>,
}

async fn examine(
    ctx: &Arc<Pace>,
    ip: IpAddr,
    first: Vec<(u16, Probe)>,
    mac: Option<MacAddr>,
    ping: Option<Duration>,
    arp: Option<Duration>,
    opts: &ScanOptions,
) -> ScanObservation {
    let mut found_by = BTreeSet::new();
    let mut rtt: Option<Duration> = ping.or(arp);
    if ping.is_some() {
        found_by.insert(FoundBy::Icmp);
    }
    if arp.is_some() {
        found_by.insert(FoundBy::Arp);
    }
    let mut open = BTreeSet::new();
    let mut note =
        |port: u16, r: Probe, found_by: &mut BTreeSet<FoundBy>, rtt: &mut Option<Duration>| match r
        {
            Probe::Open(t) => {
                open.insert(port);
                found_by.insert(FoundBy::TcpOpen);
                *rtt = Some(rtt.map_or(t, |x: Duration| x.min(t)));
            }
            Probe::Reset(t) => {
                found_by.insert(FoundBy::TcpReset);
                *rtt = Some(rtt.map_or(t, |x: Duration| x.min(t)));
            }
            Probe::Silent => {}
        };
    for (p, r) in &first {
        note(*p, *r, &mut found_by, &mut rtt);
    }
    if mac.is_some() && arp.is_none() {
        found_by.insert(FoundBy::Neighbour);
    }
    // Full port list, with a timeout fitted to this host's round trip.
    let timeout = rtt.map_or(opts.timeout, |t| {
        (t * 8 + Duration::from_millis(150)).min(opts.timeout)
    });
    let rest: Vec<u16> = opts
        .ports
        .iter()
        .copied()
        .filter(|p| !first.iter().any(|(q, _)| q == p))
        .collect();
    // SNMP identification runs alongside the port sweep, not after it.
    let snmp_wait = timeout.max(Duration::from_millis(300));
    let ask_snmp = async {
        if opts.snmp.is_empty() {
            None
        } else {
            let remembered = opts
                .snmp_remembered
                .get(&ip.to_string())
                .map(String::as_str);
            snmp::identify(ip, 161, &opts.snmp, remembered, snmp_wait).await
        }
    };
    let ask_udp = async {
        if opts.udp {
            udp::ask(ctx, ip, snmp_wait).await
        } else {
            udp::UdpFindings::default()
        }
    };
    let (answers, snmp_found, udp_found) =
        tokio::join!(probe_ports(ctx, ip, &rest, timeout), ask_snmp, ask_udp);
    for (p, r) in answers {
        note(p, r, &mut found_by, &mut rtt);
    }
    let open_tcp: Vec<u16> = open
        .into_iter()
        .filter(|p| opts.ports.is_empty() || opts.ports.contains(p) || DISCOVERY_PORTS.contains(p))
        .collect();
    let mut services = Vec::new();
    let mut names = Vec::new();
    if let Some((d, _)) = &snmp_found {
        found_by.insert(FoundBy::Udp);
        if let Some(n) = &d.sys_name {
            names.push(Name {
                name: n.clone(),
                source: "snmp".into(),
            });
        }
        let what: Vec<&str> = [d.vendor.as_deref(), d.model.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        services.push(Service {
            port: 161,
            protocol: "udp".into(),
            name: "snmp".into(),
            product: d.sys_descr.clone(),
            detail: (!what.is_empty())
                .then(|| what.join(" "))
                .or_else(|| d.sys_object_id.clone()),
        });
    }
    if udp_found.answered() {
        found_by.insert(FoundBy::Udp);
    }
    names.extend(udp_found.names);
    services.extend(udp_found.services);
    // A NetBIOS MAC stands in only where layer 2 gave none (routed hosts).
    let mac = mac.or(udp_found.mac);
    for &port in &open_tcp {
        if let Some(s) = services::identify(ip, port, opts.timeout).await {
            services.push(s);
        }
    }
    let mac_vendor = mac.and_then(|m| crate::oui::organization(&m.to_string()));
    let mut o = ScanObservation {
        ip,
        mac,
        mac_vendor,
        mac_local: mac.is_some_and(|m| m.flags().locally_administered),
        names,
        found_by: found_by.into_iter().collect(),
        rtt_ms: rtt.map(|t| t.as_secs_f64() * 1000.0),
        open_tcp,
        services,
        guess: Default::default(),
        seen_at: chrono::Utc::now(),
        snmp: snmp_found.map(|(d, _)| d),
        site: None,
        scanner: None,
    };
    o.guess = guess::guess(&o);
    o
}
