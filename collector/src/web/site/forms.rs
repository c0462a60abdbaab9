//! The machinery behind every site-facts form, driven by one description
//! per section (`sections.rs`): which fields a section and its lists hold,
//! what each field is ([`Kind`]) and its label. The same description
//! renders the form, parses what the browser posts and turns it into the
//! section as JSON, which serde then reads as the section's struct, so no
//! section has code of its own.
//!
//! Without JavaScript a list is posted as indexed names
//! (`members[0].name`, `departments[1].systems[0].priority`): [`parse`]
//! reads them into a [`Node`] tree. A row ticked "remove" or left empty
//! (the add row) is dropped; [`build`] records which posted row became
//! which row of the section, so that a semantic issue of the checks
//! (`team.members[1].phone`) can be shown next to the input it concerns
//! ([`field_of`]). A secret (a licence key) is never put into the page:
//! an empty input keeps the stored value.
//!
//! This module does not read or write the site file and does not check
//! meaning (that is `SiteFacts::check`); it only reports what cannot be a
//! value at all (a quantity that is not a number, a missing choice).

use crate::plan::messages::{Lang, Msg};
use census_shared::site::{PathSeg, SiteIssue};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// What a field holds: its input, and how its text becomes a value.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// An optional text (`Option<String>`), left out when empty.
    Text,
    /// A required text (`String`): empty is the checks' "must not be empty".
    Name,
    /// An optional date (`Option<SiteDate>`), typed as `YYYY-MM-DD`.
    Date,
    /// A required whole number (`u32`).
    Count,
    /// An optional restore priority (`Option<u8>`), one of 1–4.
    Priority,
    /// Yes or no (`bool`, false when left out): a checkbox.
    Flag,
    /// One of the values (a required enum): a drop-down.
    Choice(&'static [(&'static str, Msg)]),
    /// Any of the values (`Vec` of an enum): checkboxes.
    Choices(&'static [(&'static str, Msg)]),
    /// Free words (`Vec<String>`), typed separated by commas.
    Words,
    /// A secret (`Option<String>`): never shown, kept when left empty.
    Secret,
}

/// One field: its key in the site file (`system.make` for a key of a
/// sub-table), its label and what it holds.
#[derive(Debug)]
pub struct Field {
    pub key: &'static str,
    pub label: Msg,
    pub kind: Kind,
}

/// The fields and lists of a section or of one row of a list.
#[derive(Debug)]
pub struct Shape {
    pub fields: &'static [Field],
    pub lists: &'static [List],
}

/// A list (`[[team.members]]`): its key, heading and the shape of a row.
#[derive(Debug)]
pub struct List {
    pub key: &'static str,
    pub label: Msg,
    pub shape: Shape,
}

/// A section of the site file and its page.
#[derive(Debug)]
pub struct Section {
    pub key: &'static str,
    pub title: Msg,
    pub shape: Shape,
    /// A remark shown above the form.
    pub note: Option<Msg>,
}

/// What the browser posted, as a tree: the values of this level by field
/// key (several for checkboxes) and the rows of each list by index.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Node {
    pub values: BTreeMap<String, Vec<String>>,
    pub lists: BTreeMap<String, BTreeMap<usize, Node>>,
}

/// Rows beyond this index are not read (a form has a handful).
const MAX_INDEX: usize = 9_999;
/// The checkbox that drops a row.
pub const REMOVE: &str = "remove";
/// Appended to a secret's key: the checkbox that forgets the stored value.
pub const FORGET: &str = ".forget";

impl Node {
    pub(super) fn first(&self, key: &str) -> &str {
        self.values
            .get(key)
            .and_then(|v| v.first())
            .map_or("", |s| s.trim())
    }

    pub(super) fn ticked(&self, key: &str) -> bool {
        !self.first(key).is_empty()
    }

    /// Nothing typed or ticked here or in any row below.
    fn blank(&self) -> bool {
        self.values
            .iter()
            .filter(|(k, _)| k.as_str() != REMOVE)
            .all(|(_, v)| v.iter().all(|s| s.trim().is_empty()))
            && self
                .lists
                .values()
                .flat_map(|rows| rows.values())
                .all(|r| r.ticked(REMOVE) || r.blank())
    }
}

/// Read posted `name=value` pairs into a tree. Names that are not
/// `key`, `key.sub` or `list[i].…` are ignored.
pub fn parse(pairs: &[(String, String)]) -> Node {
    let mut root = Node::default();
    'pairs: for (name, value) in pairs {
        let mut node = &mut root;
        let mut rest = name.as_str();
        while let Some(open) = rest.find('[') {
            let key = &rest[..open];
            let Some(len) = rest[open..].find(']') else {
                continue 'pairs;
            };
            let index = rest[open + 1..open + len].parse::<usize>();
            let after = rest[open + len + 1..].strip_prefix('.');
            let (Ok(index), Some(after)) = (index, after) else {
                continue 'pairs;
            };
            if key.is_empty() || key.contains('.') || index > MAX_INDEX {
                continue 'pairs;
            }
            node = node
                .lists
                .entry(key.to_string())
                .or_default()
                .entry(index)
                .or_default();
            rest = after;
        }
        if !rest.is_empty() {
            node.values
                .entry(rest.to_string())
                .or_default()
                .push(value.clone());
        }
    }
    root
}

/// A value at a dotted key (`system.make`).
fn lookup<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    key.split('.').try_fold(v, |v, k| v.get(k))
}

/// The stored section (JSON of its struct) as the tree a form posts.
pub fn node_of(shape: &Shape, v: &Value) -> Node {
    let mut n = Node::default();
    for f in shape.fields {
        let Some(x) = lookup(v, f.key) else {
            continue;
        };
        let texts: Vec<String> = match (f.kind, x) {
            (Kind::Secret, _) | (_, Value::Null) => continue,
            (Kind::Flag, Value::Bool(b)) => vec![if *b { "1" } else { "" }.to_string()],
            (Kind::Words, Value::Array(xs)) => {
                vec![xs.iter().map(text).collect::<Vec<_>>().join(", ")]
            }
            (_, Value::Array(xs)) => xs.iter().map(text).collect(),
            (_, x) => vec![text(x)],
        };
        n.values.insert(f.key.to_string(), texts);
    }
    for l in shape.lists {
        if let Some(Value::Array(rows)) = v.get(l.key) {
            let rows = rows.iter().map(|r| node_of(&l.shape, r)).enumerate();
            n.lists.insert(l.key.to_string(), rows.collect());
        }
    }
    n
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `prefix.key`, or `key` at the top.
pub fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// A posted section turned into JSON for serde.
#[derive(Debug, Default)]
pub struct Built {
    /// The section, `None` when the whole form was left empty.
    pub value: Option<Value>,
    /// What cannot be a value at all: (input name, message).
    pub errors: Vec<(String, String)>,
    /// Each kept row's path in the section (`members[0]`) → its name in
    /// the form (`members[2]`, when rows before it were removed).
    pub rows: BTreeMap<String, String>,
}

/// Turn what was posted for `section` into the section's JSON. `stored`
/// is the section as it is now (for the secrets left empty).
pub fn build(section: &Section, node: &Node, stored: Option<&Value>, lang: Lang) -> Built {
    let mut b = Built::default();
    if !node.blank() {
        let obj = object(&mut b, lang, &section.shape, node, stored, "", "");
        b.value = Some(Value::Object(obj));
    }
    b
}

/// Set a dotted key, making the sub-tables on the way.
fn set(obj: &mut Map<String, Value>, key: &str, v: Value) {
    match key.split_once('.') {
        None => {
            obj.insert(key.to_string(), v);
        }
        Some((head, rest)) => {
            let sub = obj
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(sub) = sub {
                set(sub, rest, v);
            }
        }
    }
}

fn object(
    b: &mut Built,
    lang: Lang,
    shape: &Shape,
    node: &Node,
    stored: Option<&Value>,
    form: &str,
    built: &str,
) -> Map<String, Value> {
    let mut obj = Map::new();
    for f in shape.fields {
        let name = join(form, f.key);
        let first = node.first(f.key);
        let mut error = |m: Msg| {
            let msg = m.fill(lang, &[("value", &format!("{first:?}"))]);
            b.errors.push((name.clone(), msg));
        };
        let value = match f.kind {
            Kind::Text | Kind::Date if first.is_empty() => None,
            Kind::Text | Kind::Date | Kind::Name => Some(Value::from(first)),
            Kind::Count => Some(Value::from(match first.parse::<u32>() {
                Ok(n) => n,
                Err(_) if first.is_empty() => {
                    error(Msg::WebChoose);
                    0
                }
                Err(_) => {
                    error(Msg::WebNotANumber);
                    0
                }
            })),
            Kind::Priority if first.is_empty() => None,
            Kind::Priority => match first.parse::<u8>() {
                Ok(n) => Some(Value::from(n)),
                Err(_) => {
                    error(Msg::WebNotAPriority);
                    None
                }
            },
            Kind::Flag => node.ticked(f.key).then_some(Value::Bool(true)),
            Kind::Choice(options) => {
                if first.is_empty() {
                    error(Msg::WebChoose);
                } else if !options.iter().any(|(v, _)| *v == first) {
                    error(Msg::WebNotAChoice);
                }
                // A stand-in after an error, so the other checks still run.
                let known = options.iter().find(|(v, _)| *v == first);
                known.or(options.first()).map(|(v, _)| Value::from(*v))
            }
            Kind::Choices(options) => {
                let sent = node.values.get(f.key).cloned().unwrap_or_default();
                for s in &sent {
                    if !s.trim().is_empty() && !options.iter().any(|(v, _)| v == s) {
                        let msg = Msg::WebNotAChoice.fill(lang, &[("value", &format!("{s:?}"))]);
                        b.errors.push((name.clone(), msg));
                    }
                }
                let on: Vec<Value> = options
                    .iter()
                    .filter(|(v, _)| sent.iter().any(|s| s == v))
                    .map(|(v, _)| Value::from(*v))
                    .collect();
                (!on.is_empty()).then_some(Value::Array(on))
            }
            Kind::Words => {
                let words: Vec<Value> = first
                    .split(',')
                    .map(str::trim)
                    .filter(|w| !w.is_empty())
                    .map(Value::from)
                    .collect();
                (!words.is_empty()).then_some(Value::Array(words))
            }
            Kind::Secret if node.ticked(&format!("{}{FORGET}", f.key)) => None,
            Kind::Secret if first.is_empty() => stored
                .and_then(|s| lookup(s, f.key))
                .filter(|v| v.is_string())
                .cloned(),
            Kind::Secret => Some(Value::from(first)),
        };
        if let Some(v) = value {
            set(&mut obj, f.key, v);
        }
    }
    for l in shape.lists {
        let mut rows = Vec::new();
        for (i, row) in node.lists.get(l.key).into_iter().flatten() {
            if row.ticked(REMOVE) || row.blank() {
                continue;
            }
            let form_row = format!("{}[{i}]", join(form, l.key));
            let built_row = format!("{}[{}]", join(built, l.key), rows.len());
            b.rows.insert(built_row.clone(), form_row.clone());
            let stored_row = stored.and_then(|s| s.get(l.key)).and_then(|a| a.get(*i));
            let o = object(b, lang, &l.shape, row, stored_row, &form_row, &built_row);
            rows.push(Value::Object(o));
        }
        if !rows.is_empty() {
            obj.insert(l.key.to_string(), Value::Array(rows));
        }
    }
    obj
}

/// The input an issue of the checks is about: `team.members[1].phone` on
/// the team page → `members[3].phone` when rows 1 and 2 were removed
/// (`rows` from [`build`]; a row it does not know keeps its index).
/// `None` for an issue of another section or of the section as a whole.
pub fn field_of(
    issue: &SiteIssue,
    section: &str,
    rows: &BTreeMap<String, String>,
) -> Option<String> {
    let mut path = issue.path.iter();
    if !matches!(path.next(), Some(PathSeg::Key(k)) if *k == section) {
        return None;
    }
    let (mut built, mut form) = (String::new(), String::new());
    for seg in path {
        match seg {
            PathSeg::Key(k) => {
                built = join(&built, k);
                form = join(&form, k);
            }
            PathSeg::Index(i) => {
                built = format!("{built}[{i}]");
                form = rows
                    .get(&built)
                    .cloned()
                    .unwrap_or_else(|| format!("{form}[{i}]"));
            }
        }
    }
    (!form.is_empty()).then_some(form)
}
