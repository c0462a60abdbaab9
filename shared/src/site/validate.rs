//! Semantic checks of site facts that the file's syntax cannot express:
//! real dates, priorities within [`super::PRIORITIES`], names that are not
//! empty, dependencies on systems that exist and do not form a cycle, each
//! yearly test listed once. Each issue names its field by path
//! (`processes.departments[0].systems[1].priority`) so that the loader can
//! point at the line. Missing information is not an issue here: the plan
//! lists it under "To complete".

use super::{SiteDate, SiteFacts};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// One step of a path into the site file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSeg {
    Key(&'static str),
    Index(usize),
}

/// A field whose value is not acceptable, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteIssue {
    pub path: Vec<PathSeg>,
    pub message: String,
}

impl SiteIssue {
    /// The path as text: `team.members[2].name`.
    pub fn field(&self) -> String {
        let mut s = String::new();
        for seg in &self.path {
            match seg {
                PathSeg::Key(k) if s.is_empty() => s.push_str(k),
                PathSeg::Key(k) => {
                    s.push('.');
                    s.push_str(k);
                }
                PathSeg::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }
}

impl fmt::Display for SiteIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field(), self.message)
    }
}

use PathSeg::{Index as I, Key as K};

struct Checker {
    issues: Vec<SiteIssue>,
}

impl Checker {
    fn issue(&mut self, path: Vec<PathSeg>, message: impl Into<String>) {
        self.issues.push(SiteIssue {
            path,
            message: message.into(),
        });
    }

    fn date(&mut self, d: &Option<SiteDate>, path: Vec<PathSeg>) {
        if let Some(d) = d
            && d.date().is_none()
        {
            self.issue(
                path,
                format!("{:?} is not a date (expected YYYY-MM-DD)", d.0),
            );
        }
    }

    fn name(&mut self, s: &str, path: Vec<PathSeg>) {
        if s.trim().is_empty() {
            self.issue(path, "must not be empty");
        }
    }
}

impl SiteFacts {
    /// Every semantic problem, in file order of sections.
    pub fn check(&self) -> Vec<SiteIssue> {
        let mut c = Checker { issues: Vec::new() };
        if let Some(o) = &self.organisation {
            c.name(&o.name, vec![K("organisation"), K("name")]);
            c.date(&o.reviewed, vec![K("organisation"), K("reviewed")]);
        }
        if let Some(t) = &self.team {
            for (i, m) in t.members.iter().enumerate() {
                c.name(&m.name, vec![K("team"), K("members"), I(i), K("name")]);
            }
            c.date(&t.reviewed, vec![K("team"), K("reviewed")]);
        }
        if let Some(e) = &self.external {
            for (i, p) in e.parties.iter().enumerate() {
                c.name(&p.name, vec![K("external"), K("parties"), I(i), K("name")]);
            }
            c.date(&e.reviewed, vec![K("external"), K("reviewed")]);
        }
        for (section, reviewed) in [
            ("internet", self.internet.as_ref().map(|s| &s.reviewed)),
            ("phone", self.phone.as_ref().map(|s| &s.reviewed)),
            ("cloud", self.cloud.as_ref().map(|s| &s.reviewed)),
            ("mobile", self.mobile.as_ref().map(|s| &s.reviewed)),
        ] {
            if let Some(r) = reviewed {
                c.date(r, vec![K(section), K("reviewed")]);
            }
        }
        if let Some(csv) = self.mobile.as_ref().and_then(|m| m.csv.as_ref()) {
            c.name(csv, vec![K("mobile"), K("csv")]);
        }
        if let Some(l) = &self.licences {
            for (i, item) in l.items.iter().enumerate() {
                let at = |k| vec![K("licences"), K("items"), I(i), K(k)];
                c.name(&item.product, at("product"));
                c.date(&item.expires, at("expires"));
            }
            c.date(&l.reviewed, vec![K("licences"), K("reviewed")]);
        }
        if let Some(p) = &self.processes {
            check_processes(&mut c, p);
        }
        if let Some(b) = &self.backup {
            c.date(
                &b.last_restore_test,
                vec![K("backup"), K("last_restore_test")],
            );
            c.date(&b.reviewed, vec![K("backup"), K("reviewed")]);
        }
        if let Some(f) = &self.fallback {
            c.date(&f.reviewed, vec![K("fallback"), K("reviewed")]);
        }
        if let Some(r) = &self.replacement {
            c.date(&r.reviewed, vec![K("replacement"), K("reviewed")]);
        }
        if let Some(t) = &self.tests {
            let mut seen = BTreeSet::new();
            for (i, y) in t.yearly.iter().enumerate() {
                let at = |k| vec![K("tests"), K("yearly"), I(i), K(k)];
                if !seen.insert(y.kind) {
                    c.issue(at("kind"), format!("{} is listed twice", y.kind.as_str()));
                }
                c.date(&y.last_done, at("last_done"));
            }
            c.date(&t.reviewed, vec![K("tests"), K("reviewed")]);
        }
        c.issues
    }
}

fn check_processes(c: &mut Checker, p: &super::Processes) {
    let known: BTreeSet<&str> = p
        .departments
        .iter()
        .flat_map(|d| d.systems.iter().map(|s| s.name.as_str()))
        .collect();
    let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (d, dept) in p.departments.iter().enumerate() {
        let base = || vec![K("processes"), K("departments"), I(d)];
        c.name(&dept.name, [base(), vec![K("name")]].concat());
        for (s, sys) in dept.systems.iter().enumerate() {
            let at = |k| [base(), vec![K("systems"), I(s), K(k)]].concat();
            c.name(&sys.name, at("name"));
            if let Some(prio) = sys.priority
                && !super::PRIORITIES.contains(&prio)
            {
                c.issue(
                    at("priority"),
                    format!(
                        "priority {prio} is not allowed (1 = restore first … 4 = can wait; {}–{})",
                        super::PRIORITIES.start(),
                        super::PRIORITIES.end()
                    ),
                );
            }
            for dep in &sys.depends_on {
                if !known.contains(dep.as_str()) {
                    c.issue(
                        at("depends_on"),
                        format!("{dep:?} is not a system of any department"),
                    );
                } else if dep == &sys.name {
                    c.issue(at("depends_on"), format!("{dep:?} depends on itself"));
                } else {
                    edges.entry(&sys.name).or_default().insert(dep);
                }
            }
        }
    }
    if let Some(cycle) = find_cycle(&edges) {
        c.issue(
            vec![K("processes")],
            format!(
                "systems depend on each other in a circle: {}",
                cycle.join(" → ")
            ),
        );
    }
}

/// A dependency cycle, as the names along it (first repeated at the end).
fn find_cycle<'a>(edges: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Option<Vec<&'a str>> {
    fn visit<'a>(
        n: &'a str,
        edges: &BTreeMap<&'a str, BTreeSet<&'a str>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<&'a str>> {
        if let Some(pos) = stack.iter().position(|s| *s == n) {
            let mut cycle = stack[pos..].to_vec();
            cycle.push(n);
            return Some(cycle);
        }
        if !done.insert(n) {
            return None;
        }
        stack.push(n);
        for m in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, edges, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    for n in edges.keys() {
        if let Some(c) = visit(n, edges, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}
