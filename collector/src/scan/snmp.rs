//! The scanner's first SNMP question: sysDescr, sysObjectID and sysName,
//! asked with each configured community in turn (SNMPv2c, one attempt, a
//! short timeout — this is a sweep). Deep identification is the `snmp`
//! library's job; this only says "this host speaks SNMP, and what it is".
//! The client is async-snmp (pinned in DEPENDENCIES.md), used through this
//! one function.

use async_snmp::{Auth, Client, Retry, oid};
use std::net::IpAddr;
use std::time::Duration;

/// What a device's SNMP agent said about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnmpFirst {
    pub sys_descr: Option<String>,
    pub sys_object_id: Option<String>,
    pub sys_name: Option<String>,
    /// Which community worked (its position in the list; never logged).
    pub community: usize,
}

fn text(v: &async_snmp::Value) -> Option<String> {
    let s = v.as_str().map(String::from).or_else(|| {
        v.as_bytes()
            .map(|b| String::from_utf8_lossy(b).into_owned())
    })?;
    let s: String = s.chars().filter(|c| !c.is_control()).take(512).collect();
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// Ask `ip:port` with each community until one answers.
pub async fn first_get(
    ip: IpAddr,
    port: u16,
    communities: &[String],
    timeout: Duration,
) -> Option<SnmpFirst> {
    let oids = [
        oid!(1, 3, 6, 1, 2, 1, 1, 1, 0),
        oid!(1, 3, 6, 1, 2, 1, 1, 2, 0),
        oid!(1, 3, 6, 1, 2, 1, 1, 5, 0),
    ];
    for (i, community) in communities.iter().enumerate() {
        let client = Client::builder((ip.to_string(), port), Auth::v2c(community.as_str()))
            .request_timeout(timeout)
            .retry(Retry::none())
            .connect()
            .await
            .ok()?;
        let Ok(resp) = client.get_many(&oids).await else {
            continue;
        };
        let get = |n: usize| {
            resp.varbinds
                .iter()
                .find(|vb| vb.oid == oids[n])
                .map(|vb| &vb.value)
        };
        let first = SnmpFirst {
            sys_descr: get(0).and_then(text),
            sys_object_id: get(1).and_then(|v| v.as_oid()).map(|o| o.to_string()),
            sys_name: get(2).and_then(text),
            community: i,
        };
        if first.sys_descr.is_some() || first.sys_object_id.is_some() || first.sys_name.is_some() {
            return Some(first);
        }
    }
    None
}
