//! Which observations are one thing: a union-find over observations with
//! constraints, in a fixed order so the result never depends on the order
//! of the input.
//!
//! 1. A person's merges join unconditionally.
//! 2. Strong keys join, strongest kind first (agent, serial, UUID, MAC),
//!    unless the union would put two different agents, two different valid
//!    serials of one vendor, or both sides of a person's split in one group
//!    (agents or serials a person merged do not count against each other).
//! 3. Weak keys (names, then addresses) join observations seen within the
//!    time window of each other, under the same constraints and never
//!    against a conflicting strong key: both groups having MACs, none in
//!    common, or UUIDs, none in common; an address join also needs the
//!    names (when both have some) to agree.
//!
//! Refused joins are kept with their reason. Ids, fields and events are not
//! here.

use super::MergeConfig;
use super::decisions::{Action, Decision, Side, obs_side};
use super::keys::ObsKeys;
use super::observation::Observation;
use census_shared::MacAddr;
use census_shared::asset::IdentityKey;
use std::collections::{BTreeMap, BTreeSet};

/// A join, by observation index.
#[derive(Debug, Clone, PartialEq)]
pub enum Link {
    Key(IdentityKey),
    Person(String),
}

/// The grouping, by observation index (into the sorted observations).
#[derive(Debug, Default)]
pub struct Grouping {
    /// Groups, each sorted, ordered by their first member.
    pub groups: Vec<Vec<usize>>,
    /// Successful joins.
    pub joins: Vec<(usize, usize, Link)>,
    /// Refused joins with their reason.
    pub refused: Vec<(usize, usize, IdentityKey, String)>,
    /// Person merges that joined something (decision ids).
    pub merges_applied: BTreeSet<String>,
}

#[derive(Debug, Default, Clone)]
struct Facts {
    /// (agent id, group after person merges)
    agents: BTreeSet<(String, usize)>,
    /// (vendor, serial, group after person merges)
    serials: BTreeSet<(String, String, usize)>,
    macs: BTreeSet<MacAddr>,
    uuids: BTreeSet<String>,
    names: BTreeSet<String>,
    /// (split index, side)
    sides: BTreeSet<(usize, Side)>,
}

impl Facts {
    fn absorb(&mut self, other: Facts) {
        self.agents.extend(other.agents);
        self.serials.extend(other.serials);
        self.macs.extend(other.macs);
        self.uuids.extend(other.uuids);
        self.names.extend(other.names);
        self.sides.extend(other.sides);
    }

    /// Why these two groups may never be one (person merges excepted).
    fn hard_conflict(&self, o: &Facts) -> Option<String> {
        for (a, ra) in &self.agents {
            for (b, rb) in &o.agents {
                if a != b && ra != rb {
                    return Some(format!(
                        "different agents ({a}, {b}) never merge automatically"
                    ));
                }
            }
        }
        for (va, sa, ra) in &self.serials {
            for (vb, sb, rb) in &o.serials {
                if va == vb && sa != sb && ra != rb {
                    return Some(format!("different serials of one vendor ({sa}, {sb})"));
                }
            }
        }
        for (d, s) in &self.sides {
            let other = if *s == Side::Stay {
                Side::Out
            } else {
                Side::Stay
            };
            if o.sides.contains(&(*d, other)) {
                return Some(format!("a person split them (split #{d})"));
            }
        }
        None
    }

    /// Why a weak key may not join these two groups.
    fn weak_conflict(&self, o: &Facts, key: &IdentityKey) -> Option<String> {
        if let Some(r) = self.hard_conflict(o) {
            return Some(r);
        }
        if !self.macs.is_empty() && !o.macs.is_empty() && self.macs.is_disjoint(&o.macs) {
            return Some("different MAC addresses".into());
        }
        if !self.uuids.is_empty() && !o.uuids.is_empty() && self.uuids.is_disjoint(&o.uuids) {
            return Some("different UUIDs".into());
        }
        if matches!(key, IdentityKey::Ip(_))
            && !self.names.is_empty()
            && !o.names.is_empty()
            && self.names.is_disjoint(&o.names)
        {
            return Some("same address, different names".into());
        }
        None
    }
}

struct Uf {
    parent: Vec<usize>,
    facts: Vec<Facts>,
}

impl Uf {
    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Join the groups of a and b (the smaller root survives).
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        let (keep, gone) = (ra.min(rb), ra.max(rb));
        self.parent[gone] = keep;
        let f = std::mem::take(&mut self.facts[gone]);
        self.facts[keep].absorb(f);
    }
}

/// Group `obs` (sorted by id) with their keys under the active decisions.
pub fn group(
    obs: &[&Observation],
    keys: &[ObsKeys],
    decisions: &[&Decision],
    config: &MergeConfig,
) -> Grouping {
    let n = obs.len();
    let mut uf = Uf {
        parent: (0..n).collect(),
        facts: vec![Facts::default(); n],
    };
    let mut out = Grouping::default();

    // 1. A person's merges.
    for d in decisions {
        let Action::Merge {
            into_keys,
            from_keys,
            ..
        } = &d.action
        else {
            continue;
        };
        let carriers = |anchor: &[IdentityKey]| -> Vec<usize> {
            (0..n)
                .filter(|&i| keys[i].all().any(|k| anchor.contains(k)))
                .collect()
        };
        let (a, b) = (carriers(into_keys), carriers(from_keys));
        if a.is_empty() || b.is_empty() {
            continue;
        }
        out.merges_applied.insert(d.id.clone());
        for &j in a.iter().chain(&b).skip(1) {
            if uf.find(a[0]) != uf.find(j) {
                out.joins.push((a[0], j, Link::Person(d.id.clone())));
                uf.union(a[0], j);
            }
        }
    }
    let person_group: Vec<usize> = (0..n).map(|i| uf.find(i)).collect();

    // Facts of every observation.
    let splits: Vec<(&[IdentityKey], &[IdentityKey])> = decisions
        .iter()
        .filter_map(|d| match &d.action {
            Action::Split { out, stay, .. } => Some((out.as_slice(), stay.as_slice())),
            _ => None,
        })
        .collect();
    for i in 0..n {
        let mut f = Facts::default();
        for k in keys[i].strong.iter().chain(&keys[i].weak) {
            match k {
                IdentityKey::Agent(a) => _ = f.agents.insert((a.clone(), person_group[i])),
                IdentityKey::Serial { vendor, serial } => {
                    f.serials
                        .insert((vendor.clone(), serial.clone(), person_group[i]));
                }
                IdentityKey::Uuid(u) => _ = f.uuids.insert(u.clone()),
                IdentityKey::Mac(m) => _ = f.macs.insert(*m),
                IdentityKey::Name(nm) => _ = f.names.insert(nm.clone()),
                IdentityKey::Ip(_) => {}
            }
        }
        for (s, (o, st)) in splits.iter().enumerate() {
            if let Some(side) = obs_side(&keys[i], o, st) {
                f.sides.insert((s, side));
            }
        }
        let r = uf.find(i);
        uf.facts[r].absorb(f);
    }

    // 2. Strong keys, strongest kind first.
    let mut carriers: BTreeMap<(std::cmp::Reverse<u8>, &IdentityKey), Vec<usize>> = BTreeMap::new();
    for (i, k) in keys.iter().enumerate() {
        for key in &k.strong {
            carriers
                .entry((std::cmp::Reverse(key.rank()), key))
                .or_default()
                .push(i);
        }
    }
    for ((_, key), list) in &carriers {
        for &j in &list[1..] {
            try_join(&mut uf, &mut out, list[0], j, key, false);
        }
    }

    // 3. Weak keys, within the window, names before addresses.
    let mut weak: BTreeMap<(std::cmp::Reverse<u8>, &IdentityKey), Vec<usize>> = BTreeMap::new();
    for (i, k) in keys.iter().enumerate() {
        for key in &k.weak {
            weak.entry((std::cmp::Reverse(key.rank()), key))
                .or_default()
                .push(i);
        }
    }
    for ((_, key), list) in &mut weak {
        list.sort_by(|&a, &b| obs[a].at.cmp(&obs[b].at).then(a.cmp(&b)));
        for x in 0..list.len() {
            for y in x + 1..list.len() {
                let (a, b) = (list[x], list[y]);
                if obs[b].at - obs[a].at > config.weak_window {
                    break;
                }
                try_join(&mut uf, &mut out, a, b, key, true);
            }
        }
    }

    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        groups.entry(uf.find(i)).or_default().push(i);
    }
    out.groups = groups.into_values().collect();
    out.groups.sort_by_key(|g| g[0]);
    out
}

fn try_join(uf: &mut Uf, out: &mut Grouping, a: usize, b: usize, key: &IdentityKey, weak: bool) {
    let (ra, rb) = (uf.find(a), uf.find(b));
    if ra == rb {
        return;
    }
    let why = if weak {
        uf.facts[ra].weak_conflict(&uf.facts[rb], key)
    } else {
        uf.facts[ra].hard_conflict(&uf.facts[rb])
    };
    match why {
        Some(reason) => out.refused.push((a, b, key.clone(), reason)),
        None => {
            out.joins.push((a, b, Link::Key(key.clone())));
            uf.union(a, b);
        }
    }
}
