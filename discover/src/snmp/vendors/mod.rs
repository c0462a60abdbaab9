//! The vendor table: what `discover/data/snmp_vendors.toml` knows about
//! makes (enterprise numbers, names and aliases, per-vendor OIDs for model,
//! serial and firmware, sysDescr patterns, type hints), compiled in and
//! parsed once. The file's header documents every key; adding a make is an
//! edit there, not here.
//!
//! This module only answers lookups; deciding between sources is
//! `identify.rs`'s job and choosing the type is `classify.rs`'s.

use super::oid::Oid;
use census_shared::device::DeviceType;
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The data file, as shipped.
pub const DATA: &str = include_str!("../../../data/snmp_vendors.toml");

mod spec;
pub(crate) use spec::*;

/// A sysDescr rule: named groups `model`, `firmware`, `serial`, `os_version`.
#[derive(Debug)]
pub struct DescrRule {
    pub re: Regex,
    pub ty: Option<DeviceType>,
    /// OS name; `{v}` is replaced by the `os_version` group.
    pub os: Option<String>,
}

/// One make.
#[derive(Debug)]
pub struct Vendor {
    pub name: String,
    pub aliases: Vec<String>,
    pub enterprises: Vec<u32>,
    pub maker: bool,
    pub probe: Vec<Oid>,
    pub default_type: Option<DeviceType>,
    pub object_ids: Vec<(Oid, DeviceType)>,
    pub subtrees: Vec<(Oid, DeviceType)>,
    pub model_oids: Vec<Oid>,
    pub serial_oids: Vec<Oid>,
    pub firmware_oids: Vec<Oid>,
    pub device_id_oids: Vec<Oid>,
    pub descr: Vec<DescrRule>,
    /// Scalars whose value gives the make away (named groups as in `descr`).
    pub fingerprints: Vec<(Oid, Regex)>,
    pub sysname_model: Option<Regex>,
    pub rewrites: Vec<(Regex, String)>,
}

/// The compiled table.
#[derive(Debug)]
pub struct Table {
    pub vendors: Vec<Vendor>,
    pub generic: Vec<DescrRule>,
    by_enterprise: BTreeMap<u32, usize>,
}

fn ty(s: &str, ctx: &str) -> Result<DeviceType, String> {
    DeviceType::parse(s).ok_or_else(|| format!("{ctx}: unknown type {s:?}"))
}

fn oid(s: &str, ctx: &str) -> Result<Oid, String> {
    Oid::parse(s).ok_or_else(|| format!("{ctx}: bad OID {s:?}"))
}

fn re(s: &str, ctx: &str) -> Result<Regex, String> {
    Regex::new(s).map_err(|e| format!("{ctx}: bad pattern {s:?}: {e}"))
}

fn oids(list: &[String], ctx: &str) -> Result<Vec<Oid>, String> {
    list.iter().map(|s| oid(s, ctx)).collect()
}

impl Table {
    /// Parse and check a table; errors name the vendor and key.
    pub fn parse(text: &str) -> Result<Table, String> {
        let spec: FileSpec = toml::from_str(text).map_err(|e| e.to_string())?;
        Self::compile(&spec)
    }

    pub(crate) fn compile(spec: &FileSpec) -> Result<Table, String> {
        let mut vendors = Vec::new();
        let mut by_enterprise = BTreeMap::new();
        for v in &spec.vendor {
            let ctx = |k: &str| format!("vendor {:?} {k}", v.name);
            let descr = v
                .descr
                .iter()
                .map(|d| {
                    Ok(DescrRule {
                        re: re(&d.pattern, &ctx("descr"))?,
                        ty: d.ty.as_deref().map(|t| ty(t, &ctx("descr"))).transpose()?,
                        os: d.os.clone(),
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            let vendor = Vendor {
                name: v.name.clone(),
                aliases: v.aliases.clone(),
                enterprises: v.enterprises.clone(),
                maker: v.maker,
                probe: oids(&v.probe, &ctx("probe"))?,
                default_type: v
                    .default_type
                    .as_deref()
                    .map(|t| ty(t, &ctx("default_type")))
                    .transpose()?,
                object_ids: v
                    .object_ids
                    .iter()
                    .map(|p| {
                        Ok((
                            oid(&p.prefix, &ctx("object_ids"))?,
                            ty(&p.ty, &ctx("object_ids"))?,
                        ))
                    })
                    .collect::<Result<_, String>>()?,
                subtrees: v
                    .subtrees
                    .iter()
                    .map(|p| Ok((oid(&p.oid, &ctx("subtrees"))?, ty(&p.ty, &ctx("subtrees"))?)))
                    .collect::<Result<_, String>>()?,
                model_oids: oids(&v.model_oids, &ctx("model_oids"))?,
                serial_oids: oids(&v.serial_oids, &ctx("serial_oids"))?,
                firmware_oids: oids(&v.firmware_oids, &ctx("firmware_oids"))?,
                device_id_oids: oids(&v.device_id_oids, &ctx("device_id_oids"))?,
                descr,
                fingerprints: v
                    .fingerprints
                    .iter()
                    .map(|f| {
                        Ok((
                            oid(&f.oid, &ctx("fingerprints"))?,
                            re(&f.pattern, &ctx("fingerprints"))?,
                        ))
                    })
                    .collect::<Result<_, String>>()?,
                sysname_model: v
                    .sysname_model
                    .as_deref()
                    .map(|p| re(p, &ctx("sysname_model")))
                    .transpose()?,
                rewrites: v
                    .model_rewrite
                    .iter()
                    .map(|r| Ok((re(&r.pattern, &ctx("model_rewrite"))?, r.replace.clone())))
                    .collect::<Result<_, String>>()?,
            };
            for &e in &vendor.enterprises {
                if by_enterprise.insert(e, vendors.len()).is_some() {
                    return Err(format!(
                        "enterprise {e} is listed twice (again at {:?})",
                        v.name
                    ));
                }
            }
            vendors.push(vendor);
        }
        let generic = spec
            .generic
            .iter()
            .map(|g| {
                Ok(DescrRule {
                    re: re(&g.pattern, "generic")?,
                    ty: g.ty.as_deref().map(|t| ty(t, "generic")).transpose()?,
                    os: g.os.clone(),
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Table {
            vendors,
            generic,
            by_enterprise,
        })
    }

    /// The make that owns enterprise number `n`.
    pub fn by_enterprise(&self, n: u32) -> Option<&Vendor> {
        self.by_enterprise.get(&n).map(|&i| &self.vendors[i])
    }

    /// A make by its name or an alias (case-insensitive, whole string).
    pub fn by_name(&self, s: &str) -> Option<&Vendor> {
        let s = s.trim();
        self.vendors
            .iter()
            .filter(|v| v.maker)
            .find(|v| v.names().any(|n| n.eq_ignore_ascii_case(s)))
    }

    /// The make whose name or alias starts `text` (as a whole word), and
    /// the rest of the text after it: "KONICA MINOLTA bizhub C250i" →
    /// (Konica Minolta, "bizhub C250i"). The longest name wins.
    pub fn prefixed<'t>(&self, text: &'t str) -> Option<(&Vendor, &'t str)> {
        let mut best: Option<(&Vendor, usize)> = None;
        for v in self.vendors.iter().filter(|v| v.maker) {
            for n in v.names() {
                let Some(head) = text.get(..n.len()) else {
                    continue;
                };
                let boundary = text[n.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                if head.eq_ignore_ascii_case(n) && boundary && best.is_none_or(|(_, l)| n.len() > l)
                {
                    best = Some((v, n.len()));
                }
            }
        }
        best.map(|(v, l)| (v, text[l..].trim_start_matches([' ', ',', '-', ':']).trim()))
    }

    /// Every OID some vendor's fingerprint reads, once each.
    pub fn fingerprint_oids(&self) -> Vec<Oid> {
        let mut v: Vec<Oid> = self
            .vendors
            .iter()
            .flat_map(|v| v.fingerprints.iter().map(|(o, _)| o.clone()))
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// Every (probe subtree, vendor) pair, for generic sysObjectIDs.
    pub fn probes(&self) -> Vec<(&Oid, &Vendor)> {
        self.vendors
            .iter()
            .flat_map(|v| v.probe.iter().map(move |o| (o, v)))
            .collect()
    }
}

impl Vendor {
    /// Name, then aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// The type for a sysObjectID by the longest matching prefix.
    pub fn type_for_object_id(&self, id: &Oid) -> Option<DeviceType> {
        self.object_ids
            .iter()
            .filter(|(p, _)| id.starts_with(p))
            .max_by_key(|(p, _)| p.0.len())
            .map(|(_, t)| *t)
    }

    /// Tidy a model string: drop a leading brand, apply the rewrites.
    pub fn tidy_model(&self, model: &str) -> String {
        let mut m = model.trim().to_string();
        for n in self.names() {
            if m.len() > n.len()
                && m[..n.len()].eq_ignore_ascii_case(n)
                && m[n.len()..].starts_with(' ')
            {
                m = m[n.len()..].trim().to_string();
                break;
            }
        }
        for (re, with) in &self.rewrites {
            if re.is_match(&m) {
                m = re.replace(&m, with.as_str()).into_owned();
            }
        }
        m
    }
}

/// The shipped table.
pub fn table() -> &'static Table {
    static TABLE: LazyLock<Table> = LazyLock::new(|| {
        Table::parse(DATA).expect("discover/data/snmp_vendors.toml is checked by its unit tests")
    });
    &TABLE
}

/// Parse an IEEE 1284 device id (`MFG:HP;MDL:LaserJet M130;CLS:PRINTER;`)
/// into (manufacturer, model); keys may be spelled out (`MANUFACTURER`, `MODEL`).
pub fn parse_device_id(s: &str) -> (Option<String>, Option<String>) {
    let mut mfg = None;
    let mut mdl = None;
    for part in s.split(';') {
        let Some((k, v)) = part.split_once(':') else {
            continue;
        };
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        match k.trim().to_ascii_uppercase().as_str() {
            "MFG" | "MANUFACTURER" => mfg = Some(v.to_string()),
            "MDL" | "MODEL" => mdl = Some(v.to_string()),
            _ => {}
        }
    }
    (mfg, mdl)
}

#[cfg(test)]
mod tests;
