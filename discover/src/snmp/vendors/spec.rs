//! The vendor table's file format, as serde reads it: one struct per TOML
//! table of `discover/data/snmp_vendors.toml` (the file's header documents
//! every key). Compiling it into lookups is `mod.rs`'s job.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileSpec {
    pub vendor: Vec<VendorSpec>,
    #[serde(default)]
    pub generic: Vec<GenericSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct VendorSpec {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub enterprises: Vec<u32>,
    #[serde(default = "yes")]
    pub maker: bool,
    #[serde(default)]
    pub probe: Vec<String>,
    pub default_type: Option<String>,
    #[serde(default)]
    pub object_ids: Vec<PrefixSpec>,
    #[serde(default)]
    pub subtrees: Vec<SubtreeSpec>,
    #[serde(default)]
    pub model_oids: Vec<String>,
    #[serde(default)]
    pub serial_oids: Vec<String>,
    #[serde(default)]
    pub firmware_oids: Vec<String>,
    #[serde(default)]
    pub device_id_oids: Vec<String>,
    #[serde(default)]
    pub descr: Vec<DescrSpec>,
    #[serde(default)]
    pub fingerprints: Vec<FingerprintSpec>,
    pub sysname_model: Option<String>,
    #[serde(default)]
    pub model_rewrite: Vec<RewriteSpec>,
    /// Read by the unit tests, which run every example.
    #[serde(default)]
    #[cfg_attr(not(test), allow(dead_code))]
    pub example: Vec<ExampleSpec>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PrefixSpec {
    pub prefix: String,
    #[serde(rename = "type")]
    pub ty: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SubtreeSpec {
    pub oid: String,
    #[serde(rename = "type")]
    pub ty: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DescrSpec {
    pub pattern: String,
    #[serde(rename = "type")]
    pub ty: Option<String>,
    pub os: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FingerprintSpec {
    pub oid: String,
    pub pattern: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RewriteSpec {
    pub pattern: String,
    pub replace: String,
}

/// A minimal agent and what identification must say about it (tests only).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct ExampleSpec {
    pub sys_object_id: Option<String>,
    pub sys_descr: Option<String>,
    pub sys_name: Option<String>,
    #[serde(default)]
    pub oids: BTreeMap<String, toml::Value>,
    pub expect: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GenericSpec {
    pub pattern: String,
    #[serde(rename = "type")]
    pub ty: Option<String>,
    pub os: Option<String>,
    #[cfg_attr(not(test), allow(dead_code))]
    pub example: String,
}
