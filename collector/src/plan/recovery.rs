//! Business processes and the recovery order. Processes are the site
//! file's departments, each system with its data and restore priority. The
//! order: a system needed by a more urgent one takes that urgency (so a
//! file server that the priority-1 bookkeeping depends on comes first),
//! then systems are listed by that priority (unknown last), dependencies
//! before what needs them, then by name. The site checks refuse cycles and
//! unknown dependencies before this runs; a leftover cycle is broken by name.

use super::model::{ProcessRow, RecoveryStep};
use census_shared::site::Processes;
use std::collections::{BTreeMap, BTreeSet};

/// Department → system rows, in file order.
pub fn processes(p: &Processes) -> Vec<ProcessRow> {
    p.departments
        .iter()
        .flat_map(|d| {
            d.systems.iter().map(|s| ProcessRow {
                department: d.name.clone(),
                head: d.head.clone(),
                system: s.name.clone(),
                data: s.data.clone(),
                priority: s.priority,
            })
        })
        .collect()
}

#[derive(Default)]
struct Sys {
    priority: Option<u8>,
    departments: BTreeSet<String>,
    depends_on: BTreeSet<String>,
}

/// The systems in the order to restore them.
pub fn order(p: &Processes) -> Vec<RecoveryStep> {
    let mut systems: BTreeMap<String, Sys> = BTreeMap::new();
    for d in &p.departments {
        for s in &d.systems {
            let e = systems.entry(s.name.clone()).or_default();
            e.priority = match (e.priority, s.priority) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            e.departments.insert(d.name.clone());
            e.depends_on.extend(s.depends_on.iter().cloned());
        }
    }
    // Propagate urgency to dependencies until nothing changes.
    let mut changed = true;
    let mut rounds = 0;
    while changed && rounds <= systems.len() {
        changed = false;
        rounds += 1;
        let edges: Vec<(String, Option<u8>)> = systems
            .values()
            .flat_map(|s| s.depends_on.iter().map(|d| (d.clone(), s.priority)))
            .collect();
        for (dep, prio) in edges {
            if let (Some(d), Some(p)) = (systems.get_mut(&dep), prio)
                && d.priority.is_none_or(|q| p < q)
            {
                d.priority = Some(p);
                changed = true;
            }
        }
    }
    // Priority order; a system is placed once everything it needs is.
    let mut pending: Vec<&String> = systems.keys().collect();
    pending.sort_by_key(|n| (systems[*n].priority.unwrap_or(u8::MAX), n.as_str()));
    let mut placed: Vec<&String> = Vec::new();
    while !pending.is_empty() {
        let ready = pending.iter().position(|n| {
            systems[*n]
                .depends_on
                .iter()
                .all(|d| !systems.contains_key(d) || placed.contains(&d))
        });
        placed.push(pending.remove(ready.unwrap_or(0)));
    }
    placed
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let s = &systems[name];
            RecoveryStep {
                order: i + 1,
                system: name.clone(),
                priority: s.priority,
                departments: s.departments.iter().cloned().collect(),
                depends_on: s.depends_on.iter().cloned().collect(),
            }
        })
        .collect()
}
