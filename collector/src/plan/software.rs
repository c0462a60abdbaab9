//! Software across agents: every package name (case folded) with the number of machines
//! it is installed on and the versions seen, and the site file's licences
//! compared with those counts (over-use: more machines than licences;
//! expired: past the expiry date). A licence counts a machine when any
//! installed package's name contains one of its `packages` patterns (the
//! product name when none), ignoring case. Nothing here guesses which
//! packages need a licence. A licence's key stays out of the plan unless
//! it is asked for ([`show_keys`]).

use super::devices::Seen;
use super::model::{LicenceRow, SoftwareRow};
use census_shared::site::Licence;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// Installed software, by name ignoring case (shown as first seen in
/// asset order).
pub fn installed(seen: &[Seen]) -> Vec<SoftwareRow> {
    type Entry<'a> = (&'a str, BTreeSet<&'a str>, BTreeSet<&'a str>);
    let mut by_name: BTreeMap<String, Entry> = BTreeMap::new();
    for s in seen {
        let Some((report, _)) = s.report else {
            continue;
        };
        for p in &report.software {
            let (_, assets, versions) = by_name
                .entry(p.name.to_lowercase())
                .or_insert_with(|| (p.name.as_str(), BTreeSet::new(), BTreeSet::new()));
            assets.insert(&s.asset.id.0);
            if let Some(v) = &p.version {
                versions.insert(v);
            }
        }
    }
    by_name
        .into_values()
        .map(|(name, assets, versions)| SoftwareRow {
            name: name.to_string(),
            installs: assets.len(),
            versions: versions.into_iter().map(str::to_string).collect(),
        })
        .collect()
}

/// Machines with a package matching the licence.
fn machines_with(licence: &Licence, seen: &[Seen]) -> usize {
    let patterns: Vec<String> = if licence.packages.is_empty() {
        vec![licence.product.to_lowercase()]
    } else {
        licence.packages.iter().map(|p| p.to_lowercase()).collect()
    };
    seen.iter()
        .filter(|s| {
            s.report.is_some_and(|(r, _)| {
                r.software.iter().any(|p| {
                    let name = p.name.to_lowercase();
                    patterns.iter().any(|pat| name.contains(pat.as_str()))
                })
            })
        })
        .count()
}

/// The site's licences against the installations.
pub fn licences(items: &[Licence], seen: &[Seen], today: NaiveDate) -> Vec<LicenceRow> {
    items
        .iter()
        .map(|l| {
            let installed = machines_with(l, seen);
            LicenceRow {
                product: l.product.clone(),
                quantity: l.quantity,
                installed,
                expires: l.expires.as_ref().map(|d| d.0.clone()),
                key_location: l.key_location.clone(),
                // Never here: see `show_keys`.
                key: None,
                over_use: installed > l.quantity as usize,
                expired: l
                    .expires
                    .as_ref()
                    .and_then(|d| d.date())
                    .is_some_and(|d| d < today),
            }
        })
        .collect()
}

/// Fill in the keys the site file holds, for a plan that is asked to show
/// them: the n-th row of a product gets the n-th licence of that product
/// (rows are built one per licence, in order).
pub fn show_keys(rows: &mut [LicenceRow], items: &[Licence]) {
    let mut taken = vec![false; items.len()];
    for row in rows.iter_mut() {
        let Some(i) = (0..items.len()).find(|&i| !taken[i] && items[i].product == row.product)
        else {
            continue;
        };
        taken[i] = true;
        row.key = items[i].key.clone().filter(|k| !k.trim().is_empty());
    }
}
