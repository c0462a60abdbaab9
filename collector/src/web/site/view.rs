//! A section's form as a flat list of [`Item`]s for the template: the
//! section's fields, then each list with a heading, a fieldset per row
//! (with its "remove" box) and one empty row to add, nested lists inside
//! their rows. Values come from a [`Node`] — the stored section on a GET,
//! what was posted when it is shown again with its problems — and each
//! problem is put next to the input it names. Labels are the catalogue's.
//!
//! Values are plain strings here: the template escapes them. A secret's
//! value is never put into an item, only whether one is stored.

use super::forms::{FORGET, Field, Kind, Node, REMOVE, Section, Shape, join};
use crate::plan::messages::{Lang, Msg};
use serde_json::Value;
use std::collections::BTreeMap;

/// One piece of the form, in page order.
#[derive(Debug)]
pub enum Item {
    /// A list's heading (level 2 for a section's list, 3 inside a row).
    Heading {
        level: u8,
        text: String,
    },
    /// A row's fieldset opens: its legend and, for a stored or posted
    /// row, its "remove" box.
    Open {
        legend: String,
        remove: Option<Check>,
        add: bool,
    },
    Close,
    Field(FieldView),
}

/// A checkbox: its input name, element id, label and state.
#[derive(Debug)]
pub struct Check {
    pub name: String,
    pub id: String,
    pub label: String,
    pub value: String,
    pub on: bool,
}

/// What an input looks like.
#[derive(Debug)]
pub enum Input {
    /// A text input; `numeric` asks for a number keypad.
    Text {
        value: String,
        hint: String,
        numeric: bool,
    },
    Flag {
        on: bool,
    },
    Select {
        options: Vec<Check>,
    },
    Checks {
        options: Vec<Check>,
    },
    /// A password input, empty; `forget` offered when a value is stored.
    Secret {
        hint: String,
        forget: Option<Check>,
    },
}

/// One labelled input and the problems with its value.
#[derive(Debug)]
pub struct FieldView {
    pub name: String,
    pub id: String,
    pub label: String,
    pub input: Input,
    pub errors: Vec<String>,
}

/// An element id for an input name: `members[0].name` → `f-members-0-name`.
pub fn id_of(name: &str) -> String {
    let mut id = String::from("f-");
    for c in name.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '_' => id.push(c),
            ']' => {}
            _ => id.push('-'),
        }
    }
    id
}

/// The items of a section's form. `errors` are by input name; those
/// shown are taken out (what is left belongs to no input).
pub fn items(
    section: &Section,
    node: &Node,
    stored: Option<&Value>,
    errors: &mut BTreeMap<String, Vec<String>>,
    lang: Lang,
) -> Vec<Item> {
    let mut out = Vec::new();
    shape(&mut out, &section.shape, node, stored, "", 2, errors, lang);
    out
}

#[allow(clippy::too_many_arguments)]
fn shape(
    out: &mut Vec<Item>,
    shape_: &Shape,
    node: &Node,
    stored: Option<&Value>,
    prefix: &str,
    level: u8,
    errors: &mut BTreeMap<String, Vec<String>>,
    lang: Lang,
) {
    for f in shape_.fields {
        out.push(Item::Field(field(f, node, stored, prefix, errors, lang)));
    }
    for l in shape_.lists {
        out.push(Item::Heading {
            level,
            text: l.label.text(lang).to_string(),
        });
        let rows = node.lists.get(l.key);
        let stored_rows = stored.and_then(|s| s.get(l.key));
        for (i, row) in rows.into_iter().flatten() {
            let name = format!("{}[{i}]", join(prefix, l.key));
            let remove = join(&name, REMOVE);
            let title = l.shape.fields.first().map_or("", |f| row.first(f.key));
            let legend = if title.is_empty() {
                format!("{}", i + 1)
            } else {
                format!("{} · {title}", i + 1)
            };
            out.push(Item::Open {
                legend,
                remove: Some(Check {
                    id: id_of(&remove),
                    on: row.ticked(REMOVE),
                    name: remove,
                    label: Msg::WebRemove.text(lang).to_string(),
                    value: "1".into(),
                }),
                add: false,
            });
            let stored_row = stored_rows.and_then(|a| a.get(*i));
            shape(out, &l.shape, row, stored_row, &name, 3, errors, lang);
            out.push(Item::Close);
        }
        let next = rows.and_then(|r| r.keys().next_back()).map_or(0, |i| i + 1);
        let name = format!("{}[{next}]", join(prefix, l.key));
        out.push(Item::Open {
            legend: Msg::WebAddRow.text(lang).to_string(),
            remove: None,
            add: true,
        });
        shape(
            out,
            &l.shape,
            &Node::default(),
            None,
            &name,
            3,
            errors,
            lang,
        );
        out.push(Item::Close);
    }
}

fn options(options: &[(&'static str, Msg)], name: &str, sent: &[String], lang: Lang) -> Vec<Check> {
    options
        .iter()
        .map(|(v, m)| Check {
            name: name.to_string(),
            id: id_of(&format!("{name}.{v}")),
            label: m.text(lang).to_string(),
            value: v.to_string(),
            on: sent.iter().any(|s| s.trim() == *v),
        })
        .collect()
}

fn field(
    f: &Field,
    node: &Node,
    stored: Option<&Value>,
    prefix: &str,
    errors: &mut BTreeMap<String, Vec<String>>,
    lang: Lang,
) -> FieldView {
    let name = join(prefix, f.key);
    let sent = node.values.get(f.key).cloned().unwrap_or_default();
    let first = sent.first().cloned().unwrap_or_default();
    let text = |hint: String, numeric| Input::Text {
        value: first.clone(),
        hint,
        numeric,
    };
    let none = || Check {
        name: name.clone(),
        id: id_of(&format!("{name}.none")),
        label: "-".into(),
        value: String::new(),
        on: first.trim().is_empty(),
    };
    let input = match f.kind {
        Kind::Text | Kind::Name => text(String::new(), false),
        Kind::Date => text(Msg::WebDateFormat.text(lang).into(), false),
        Kind::Count => text(String::new(), true),
        Kind::Words => text(Msg::WebCommaSeparated.text(lang).into(), false),
        Kind::Flag => Input::Flag {
            on: !first.trim().is_empty(),
        },
        Kind::Priority => {
            let mut opts = vec![none()];
            opts.extend(census_shared::site::PRIORITIES.map(|n| Check {
                name: name.clone(),
                id: id_of(&format!("{name}.{n}")),
                label: n.to_string(),
                value: n.to_string(),
                on: first.trim() == n.to_string(),
            }));
            Input::Select { options: opts }
        }
        Kind::Choice(choices) => {
            let mut opts = vec![none()];
            opts.extend(options(choices, &name, &sent, lang));
            Input::Select { options: opts }
        }
        Kind::Choices(choices) => Input::Checks {
            options: options(choices, &name, &sent, lang),
        },
        Kind::Secret => {
            let is_stored = stored
                .and_then(|s| s.get(f.key))
                .is_some_and(Value::is_string);
            let forget = format!("{name}{FORGET}");
            Input::Secret {
                hint: if is_stored {
                    Msg::WebKeyStored.text(lang).into()
                } else {
                    String::new()
                },
                forget: is_stored.then(|| Check {
                    id: id_of(&forget),
                    on: node.ticked(&format!("{}{FORGET}", f.key)),
                    name: forget,
                    label: Msg::WebKeyForget.text(lang).into(),
                    value: "1".into(),
                }),
            }
        }
    };
    FieldView {
        id: id_of(&name),
        errors: errors.remove(&name).unwrap_or_default(),
        label: f.label.text(lang).to_string(),
        name,
        input,
    }
}
