//! Reverse DNS for the hosts a scan found, through the system's resolvers
//! (hickory-resolver). A dead or silent DNS server must not stall a scan:
//! one probe query decides whether the resolvers answer at all within the
//! patience allowed; if not, reverse lookups are skipped with a note.

use hickory_resolver::TokioResolver;
use hickory_resolver::proto::rr::RData;
use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

/// Names by address, and a note when lookups were skipped or failed.
pub async fn reverse_names(
    ips: &[IpAddr],
    patience: Duration,
) -> (HashMap<IpAddr, String>, Option<String>) {
    let mut names = HashMap::new();
    if ips.is_empty() {
        return (names, None);
    }
    let resolver = match TokioResolver::builder_tokio() {
        Ok(mut b) => {
            let o = b.options_mut();
            o.timeout = patience;
            o.attempts = 1;
            match b.build() {
                Ok(r) => r,
                Err(e) => {
                    return (
                        names,
                        Some(format!("reverse DNS skipped: no usable resolver ({e})")),
                    );
                }
            }
        }
        Err(e) => {
            return (
                names,
                Some(format!(
                    "reverse DNS skipped: cannot read the resolver configuration ({e})"
                )),
            );
        }
    };
    // One query first: a server that does not answer at all is found out
    // once, not once per host.
    let first = ips[0];
    match tokio::time::timeout(patience, resolver.reverse_lookup(first)).await {
        Err(_) => {
            return (
                names,
                Some(format!(
                    "the DNS server did not answer within {} ms: reverse DNS skipped (use --no-dns to skip it on purpose)",
                    patience.as_millis()
                )),
            );
        }
        Ok(Ok(lookup)) => {
            if let Some(n) = first_ptr(&lookup) {
                names.insert(first, n);
            }
        }
        Ok(Err(_)) => {} // an answer without a name: the server is alive
    }
    let mut set = tokio::task::JoinSet::new();
    for ip in ips.iter().skip(1).copied() {
        let r = resolver.clone();
        set.spawn(async move {
            let name = match tokio::time::timeout(patience, r.reverse_lookup(ip)).await {
                Ok(Ok(l)) => first_ptr(&l),
                _ => None,
            };
            (ip, name)
        });
    }
    while let Some(Ok((ip, name))) = set.join_next().await {
        if let Some(n) = name {
            names.insert(ip, n);
        }
    }
    (names, None)
}

fn first_ptr(l: &hickory_resolver::lookup::Lookup) -> Option<String> {
    l.answers().iter().find_map(|r| match &r.data {
        RData::PTR(p) => {
            let n = p.0.to_string();
            let n = n.trim_end_matches('.');
            (!n.is_empty()).then(|| n.chars().take(255).collect())
        }
        _ => None,
    })
}
