//! The plan laid out for reading: a [`Doc`] of numbered sections holding
//! tables and notes, every heading and label in one language. Markdown,
//! HTML and CSV render this same layout, so the sections, their order and
//! their columns are decided once, here. Cells hold raw text; each
//! renderer escapes for its format.

mod continuity;
mod inventory;

use super::messages::{Lang, Msg};
use super::model::{DeviceKind, DeviceRow, Finding, FindingKind, Plan};
use super::words::{self, join, make_model, opt};

/// The laid-out plan.
pub struct Doc {
    pub lang: Lang,
    pub title: String,
    pub generated: String,
    pub sections: Vec<Section>,
}

/// A numbered section.
pub struct Section {
    /// Stable identifier (anchors, CSV file names).
    pub id: &'static str,
    pub number: usize,
    pub title: String,
    pub blocks: Vec<Block>,
}

pub enum Block {
    Table(Table),
    Note(String),
}

/// A table; an empty one is rendered as "None." except in CSV.
pub struct Table {
    /// Stable identifier (CSV file name).
    pub id: &'static str,
    pub caption: Option<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

struct L(Lang);

impl L {
    fn t(&self, m: Msg) -> String {
        m.text(self.0).to_string()
    }
    fn table(
        &self,
        id: &'static str,
        cap: Option<Msg>,
        cols: &[Msg],
        rows: Vec<Vec<String>>,
    ) -> Block {
        Block::Table(Table {
            id,
            caption: cap.map(|m| self.t(m)),
            headers: cols.iter().map(|m| self.t(*m)).collect(),
            rows,
        })
    }
    /// Item/value rows, empty values left out; a note when nothing is known.
    fn kv(&self, id: &'static str, cap: Option<Msg>, items: &[(Msg, Option<String>)]) -> Block {
        let rows: Vec<Vec<String>> = items
            .iter()
            .filter_map(|(m, v)| {
                v.clone()
                    .filter(|v| !v.is_empty())
                    .map(|v| vec![self.t(*m), v])
            })
            .collect();
        if rows.is_empty() {
            let note = self.t(Msg::NotInSiteFile);
            return Block::Note(match cap {
                Some(c) => format!("{}: {note}", self.t(c)),
                None => note,
            });
        }
        self.table(id, cap, &[Msg::ColField, Msg::ColValue], rows)
    }
    fn devices(&self, id: &'static str, rows: &[DeviceRow]) -> Block {
        let cols = [
            Msg::ColName,
            Msg::ColMakeModel,
            Msg::ColSerial,
            Msg::ColOs,
            Msg::ColSpecs,
            Msg::ColIp,
            Msg::ColMac,
            Msg::ColPlace,
            Msg::ColId,
        ];
        let rows = rows
            .iter()
            .map(|d| {
                vec![
                    opt(&d.name),
                    make_model(&d.vendor, &d.model),
                    opt(&d.serial),
                    opt(&d.os),
                    words::specs(d, self.0),
                    d.ips.join(", "),
                    d.macs.join(", "),
                    join(
                        &[
                            d.site.as_deref(),
                            d.department.as_deref(),
                            d.location.as_deref(),
                        ],
                        " / ",
                    ),
                    d.id.clone(),
                ]
            })
            .collect();
        self.table(id, None, &cols, rows)
    }
    fn findings(&self, id: &'static str, list: &[Finding]) -> Block {
        let rows = list
            .iter()
            .map(|f| {
                let subject = match f.kind {
                    FindingKind::TestOverdue => words::test_key(&f.subject, self.0),
                    _ => f.subject.clone(),
                };
                let detail = match (f.kind, &f.detail, f.since) {
                    (FindingKind::EndOfLifeOs, Some(what), Some(day)) => Msg::SupportEnded.fill(
                        self.0,
                        &[
                            ("what", what),
                            ("date", &day.format("%Y-%m-%d").to_string()),
                        ],
                    ),
                    _ => opt(&f.detail),
                };
                vec![self.t(words::finding(f.kind)), subject, detail]
            })
            .collect();
        self.table(
            id,
            None,
            &[Msg::ColField, Msg::ColSubject, Msg::ColDetail],
            rows,
        )
    }
}

fn devices_of(plan: &Plan, kind: DeviceKind) -> &[DeviceRow] {
    plan.devices
        .iter()
        .find(|s| s.kind == kind)
        .map_or(&[], |s| &s.devices)
}
/// Lay the plan out in `lang`.
pub fn layout(plan: &Plan, lang: Lang) -> Doc {
    let l = L(lang);
    let t = |m| l.t(m);
    let mut s = inventory::inventory(plan, &l);
    s.extend(continuity::continuity(plan, &l));
    Doc {
        lang,
        title: t(Msg::Title),
        generated: Msg::Generated.fill(
            lang,
            &[(
                "date",
                &plan.generated_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            )],
        ),
        sections: s
            .into_iter()
            .enumerate()
            .map(|(i, (id, title, blocks))| Section {
                id,
                number: i + 1,
                title: t(title),
                blocks,
            })
            .collect(),
    }
}

/// The section title of a device heading.
pub fn heading(k: DeviceKind) -> Msg {
    match k {
        DeviceKind::OfficePcs => Msg::SecOfficePcs,
        DeviceKind::Servers => Msg::SecServers,
        DeviceKind::BackupUnits => Msg::SecBackupUnits,
        DeviceKind::PhoneSystem => Msg::SecPhone,
        DeviceKind::MobilePhones => Msg::SecMobilePhones,
        DeviceKind::Tablets => Msg::SecTablets,
        DeviceKind::Printers => Msg::SecPrinters,
        DeviceKind::Network => Msg::SecNetwork,
        DeviceKind::Other => Msg::SecOther,
    }
}
