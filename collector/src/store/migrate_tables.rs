//! The tables `db migrate-to` copies, column by column with their kinds,
//! in an order that satisfies the foreign keys; and how a row is read from
//! either database and written as normalised text for the checksums. The
//! list must name every table of the schema: `migrate.rs` refuses a SQLite
//! database with a table not listed here, and `tests/store.rs` compares
//! the list with both schemas.

use sqlx::Row;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;

/// What a column holds (the same in both schemas; BOOLEAN is SQLite's
/// INTEGER 0/1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Text,
    Bool,
}

/// One table: its name, key (the copy's and the checksum's row order),
/// columns, and the column its sequence numbers (SQLite: AUTOINCREMENT or
/// the rowid; PostgreSQL: BIGSERIAL).
pub struct Table {
    pub name: &'static str,
    pub key: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    pub serial: Option<&'static str>,
}

use Kind::{Bool, Int, Text};

/// Every table of the schema, parents before children.
pub const TABLES: &[Table] = &[
    Table {
        name: "enrollment_tokens",
        key: "id",
        columns: &[
            ("id", Int),
            ("token_hash", Text),
            ("label", Text),
            ("uses_left", Int),
            ("uses", Int),
            ("expires_at", Text),
            ("created_at", Text),
            ("revoked_at", Text),
        ],
        serial: Some("id"),
    },
    Table {
        name: "agents",
        key: "id",
        columns: &[
            ("id", Text),
            ("secret_hash", Text),
            ("kind", Text),
            ("hostname", Text),
            ("os", Text),
            ("agent_version", Text),
            ("token_id", Int),
            ("enrolled_at", Text),
            ("last_seen", Text),
            ("reports_received", Int),
            ("revoked_at", Text),
        ],
        serial: None,
    },
    Table {
        name: "snapshots",
        key: "id",
        columns: &[
            ("id", Int),
            ("agent_id", Text),
            ("content_hash", Text),
            ("first_seen", Text),
            ("last_seen", Text),
            ("report_json", Text),
        ],
        serial: Some("id"),
    },
    Table {
        name: "reports",
        key: "report_id",
        // `seq` is SQLite's rowid (see migrations/postgres/0001_init.sql).
        columns: &[
            ("report_id", Text),
            ("agent_id", Text),
            ("snapshot_id", Int),
            ("received_at", Text),
            ("collected_at", Text),
            ("seq", Int),
        ],
        serial: Some("seq"),
    },
    Table {
        name: "settings",
        key: "key",
        columns: &[("key", Text), ("value", Text)],
        serial: None,
    },
    Table {
        name: "scans",
        key: "id",
        columns: &[
            ("id", Int),
            ("started_at", Text),
            ("finished_at", Text),
            ("targets", Text),
            ("hosts_found", Int),
        ],
        serial: Some("id"),
    },
    Table {
        name: "scan_observations",
        key: "id",
        columns: &[
            ("id", Int),
            ("scan_id", Int),
            ("ip", Text),
            ("mac", Text),
            ("observation", Text),
        ],
        serial: Some("id"),
    },
    Table {
        name: "snmp_credentials",
        key: "device",
        columns: &[
            ("device", Text),
            ("credential_id", Text),
            ("updated_at", Text),
        ],
        serial: None,
    },
    Table {
        name: "asset_keys",
        key: "key",
        columns: &[("key", Text), ("asset_id", Text), ("last_seen", Text)],
        serial: None,
    },
    Table {
        name: "assets",
        key: "id",
        columns: &[
            ("id", Text),
            ("category", Text),
            ("name", Text),
            ("status", Text),
            ("unknown", Bool),
            ("last_seen", Text),
            ("json", Text),
        ],
        serial: None,
    },
    Table {
        name: "asset_explanations",
        key: "asset_id",
        columns: &[("asset_id", Text), ("json", Text)],
        serial: None,
    },
    Table {
        name: "decisions",
        key: "id",
        columns: &[("id", Text), ("at", Text), ("json", Text)],
        serial: None,
    },
    Table {
        name: "events",
        key: "id",
        columns: &[
            ("id", Int),
            ("at", Text),
            ("asset_id", Text),
            ("kind", Text),
            ("json", Text),
        ],
        serial: Some("id"),
    },
    Table {
        name: "admins",
        key: "name",
        columns: &[
            ("name", Text),
            ("password_hash", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
        serial: None,
    },
    Table {
        name: "sessions",
        key: "id_hash",
        columns: &[
            ("id_hash", Text),
            ("admin", Text),
            ("csrf", Text),
            ("created_at", Text),
            ("expires_at", Text),
        ],
        serial: None,
    },
    Table {
        name: "api_tokens",
        key: "id",
        columns: &[
            ("id", Int),
            ("token_hash", Text),
            ("name", Text),
            ("created_at", Text),
            ("expires_at", Text),
            ("last_used_at", Text),
            ("revoked_at", Text),
        ],
        serial: Some("id"),
    },
];

/// Rows read at once (snapshots hold whole reports).
pub const PAGE: usize = 100;

/// One stored value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(Option<bool>),
}

impl Table {
    /// `SELECT` of every column, one page in key order: the first page, or
    /// the one after a key (bound as the only parameter). SQLite names the
    /// rowid.
    pub fn select_page(&self, sqlite: bool, after: bool) -> String {
        let cols: Vec<String> = self
            .columns
            .iter()
            .map(|(c, _)| match (sqlite, self.name, *c) {
                (true, "reports", "seq") => "rowid AS seq".to_string(),
                _ => c.to_string(),
            })
            .collect();
        let filter = match (after, sqlite) {
            (false, _) => String::new(),
            (true, true) => format!(" WHERE {} > ?", self.key),
            (true, false) => format!(" WHERE {} > $1", self.key),
        };
        format!(
            "SELECT {} FROM {}{filter} ORDER BY {} LIMIT {PAGE}",
            cols.join(", "),
            self.name,
            self.key
        )
    }

    /// Where the key is in a row.
    pub fn key_index(&self) -> usize {
        self.columns
            .iter()
            .position(|(c, _)| *c == self.key)
            .expect("the key is a column")
    }

    /// A row read from SQLite.
    pub fn sqlite_row(&self, r: &SqliteRow) -> Result<Vec<Value>, sqlx::Error> {
        self.columns
            .iter()
            .enumerate()
            .map(|(i, (_, kind))| {
                Ok(match kind {
                    Int => Value::Int(r.try_get(i)?),
                    Text => Value::Text(r.try_get(i)?),
                    Bool => Value::Bool(r.try_get::<Option<i64>, _>(i)?.map(|b| b != 0)),
                })
            })
            .collect()
    }

    /// A row read from PostgreSQL.
    pub fn pg_row(&self, r: &PgRow) -> Result<Vec<Value>, sqlx::Error> {
        self.columns
            .iter()
            .enumerate()
            .map(|(i, (_, kind))| {
                Ok(match kind {
                    Int => Value::Int(r.try_get(i)?),
                    Text => Value::Text(r.try_get(i)?),
                    Bool => Value::Bool(r.try_get(i)?),
                })
            })
            .collect()
    }
}

/// A row as normalised text, the same from either database: values
/// separated by tabs, `\N` for NULL, integers in decimal, booleans `t`/`f`,
/// text with `\`, tab and newline escaped and NUL as U+FFFD (what the
/// PostgreSQL store writes for it); one line per row.
pub fn normalise(row: &[Value], out: &mut Vec<u8>) {
    for (i, v) in row.iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        match v {
            Value::Int(None) | Value::Text(None) | Value::Bool(None) => out.extend(b"\\N"),
            Value::Int(Some(n)) => out.extend(n.to_string().as_bytes()),
            Value::Bool(Some(b)) => out.push(if *b { b't' } else { b'f' }),
            Value::Text(Some(s)) => {
                for ch in s.chars() {
                    match ch {
                        '\\' => out.extend(b"\\\\"),
                        '\t' => out.extend(b"\\t"),
                        '\n' => out.extend(b"\\n"),
                        '\0' => out.extend("\u{FFFD}".as_bytes()),
                        c => out.extend(c.encode_utf8(&mut [0; 4]).as_bytes()),
                    }
                }
            }
        }
    }
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_normalise_unambiguously() {
        let mut a = Vec::new();
        normalise(
            &[
                Value::Int(Some(-3)),
                Value::Text(Some("a\tb\\n\n\0".into())),
                Value::Text(None),
                Value::Bool(Some(true)),
            ],
            &mut a,
        );
        assert_eq!(
            String::from_utf8(a).unwrap(),
            "-3\ta\\tb\\\\n\\n\u{FFFD}\t\\N\tt\n"
        );
        let (mut x, mut y) = (Vec::new(), Vec::new());
        normalise(&[Value::Text(Some("\\N".into()))], &mut x);
        normalise(&[Value::Text(None)], &mut y);
        assert_ne!(x, y, "the text \\N is not NULL");
    }
}
