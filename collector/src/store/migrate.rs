//! `db migrate-to`: copy a SQLite collector database completely into a
//! PostgreSQL one, then verify it. Every table of [`TABLES`] is read in key
//! order inside one SQLite read transaction (a consistent snapshot, even
//! while a collector still writes) and written in one PostgreSQL
//! transaction, with the sequences set past the copied ids; nothing is
//! committed unless every table was copied.
//!
//! Verification reads both sides again: per table the row count and a
//! SHA-256 over its rows in key order as normalised text
//! (`migrate_tables::normalise`), computed the same way on each side.
//! A target with rows in any table is refused unless `force` (which
//! empties it first, in the same transaction). It does not stop a running
//! collector: reports stored after the snapshot stay in SQLite only.

#[path = "migrate_back.rs"]
mod back;
#[path = "migrate_tables.rs"]
pub mod tables;
pub use back::pg_to_sqlite;

use super::StoreError;
use super::postgres::PgStore;
use super::sqlite::SqliteStore;
use ring::digest::{Context, SHA256};
use sqlx::{AssertSqlSafe, Postgres, QueryBuilder};
pub use tables::TABLES;
use tables::{Table, Value, normalise};

/// Bind parameters in one multi-row INSERT (PostgreSQL allows 65535).
const MAX_PARAMS: usize = 30_000;
/// Bytes of values in one multi-row INSERT.
const MAX_BATCH_BYTES: usize = 16 << 20;

/// One table's verification.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TableCheck {
    pub table: &'static str,
    pub sqlite_rows: i64,
    pub postgres_rows: i64,
    pub sqlite_sha256: String,
    pub postgres_sha256: String,
}

impl TableCheck {
    /// Counts and checksums agree.
    pub fn matches(&self) -> bool {
        self.sqlite_rows == self.postgres_rows && self.sqlite_sha256 == self.postgres_sha256
    }
}

/// Why the copy was not made or not verified.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error(
        "the PostgreSQL database is not empty ({table} holds {rows} rows): migrate into an empty \
         database, or pass --force to replace everything in it"
    )]
    NotEmpty { table: &'static str, rows: i64 },
    #[error(
        "the SQLite database has tables this collector does not know ({0}): it was written by a newer \
         version; migrate with that version"
    )]
    UnknownTables(String),
    #[error("copying {table}: {source}")]
    Copy {
        table: &'static str,
        source: sqlx::Error,
    },
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Count and checksum of rows fed in key order.
struct Sum {
    rows: i64,
    hash: Context,
    line: Vec<u8>,
}

impl Sum {
    fn new() -> Sum {
        Sum {
            rows: 0,
            hash: Context::new(&SHA256),
            line: Vec::new(),
        }
    }

    fn add(&mut self, row: &[Value]) {
        self.line.clear();
        normalise(row, &mut self.line);
        self.hash.update(&self.line);
        self.rows += 1;
    }

    fn finish(self) -> (i64, String) {
        let d = self.hash.finish();
        (
            self.rows,
            d.as_ref().iter().map(|b| format!("{b:02x}")).collect(),
        )
    }
}

/// Rows in each table of the PostgreSQL database.
pub async fn pg_row_counts(target: &PgStore) -> Result<Vec<(&'static str, i64)>, sqlx::Error> {
    let mut out = Vec::new();
    for t in TABLES {
        let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM {}", t.name)))
            .fetch_one(target.pool())
            .await?;
        out.push((t.name, n));
    }
    Ok(out)
}

/// Copy `source` into `target` and verify; `progress` hears each table as
/// it is copied (name, rows).
pub async fn migrate(
    source: &SqliteStore,
    target: &PgStore,
    force: bool,
    progress: &(dyn Fn(&str, i64) + Sync),
) -> Result<Vec<TableCheck>, MigrateError> {
    let mut read = source.pool().begin().await?;
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(&mut *read)
    .await?;
    let unknown: Vec<String> = names
        .into_iter()
        .filter(|n| !TABLES.iter().any(|t| t.name == n))
        .collect();
    if !unknown.is_empty() {
        return Err(MigrateError::UnknownTables(unknown.join(", ")));
    }
    if !force
        && let Some((table, rows)) = pg_row_counts(target)
            .await?
            .into_iter()
            .find(|(_, n)| *n > 0)
    {
        return Err(MigrateError::NotEmpty { table, rows });
    }

    let mut write = target.pool().begin().await?;
    let all: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
    sqlx::query(AssertSqlSafe(format!(
        "TRUNCATE {} RESTART IDENTITY",
        all.join(", ")
    )))
    .execute(&mut *write)
    .await?;
    let mut source_sums = Vec::new();
    for t in TABLES {
        let copy = async {
            let mut sum = Sum::new();
            let mut batch: Vec<Vec<Value>> = Vec::new();
            let mut bytes = 0;
            let mut after = None;
            loop {
                let page = sqlite_page(&mut read, t, after.as_ref()).await?;
                let Some(last) = page.last() else { break };
                after = Some(last[t.key_index()].clone());
                for row in page {
                    sum.add(&row);
                    bytes += row.iter().map(size).sum::<usize>();
                    batch.push(row);
                    if (batch.len() + 1) * t.columns.len() > MAX_PARAMS || bytes > MAX_BATCH_BYTES {
                        insert(&mut write, t, &batch).await?;
                        batch.clear();
                        bytes = 0;
                    }
                }
            }
            insert(&mut write, t, &batch).await?;
            if let Some(col) = t.serial {
                let next = next_serial(&mut read, t, col).await?;
                sqlx::query(AssertSqlSafe(format!(
                    "SELECT setval(pg_get_serial_sequence('{0}', '{col}'), \
                     GREATEST($1, COALESCE((SELECT MAX({col}) FROM {0}), 0) + 1), false)",
                    t.name
                )))
                .bind(next)
                .execute(&mut *write)
                .await?;
            }
            Ok::<_, sqlx::Error>(sum.finish())
        };
        let (rows, sha) = copy.await.map_err(|source| MigrateError::Copy {
            table: t.name,
            source,
        })?;
        progress(t.name, rows);
        source_sums.push((rows, sha));
    }
    write.commit().await?;
    read.rollback().await?;

    let mut checks = Vec::new();
    for (t, (sqlite_rows, sqlite_sha256)) in TABLES.iter().zip(source_sums) {
        let (postgres_rows, postgres_sha256) = pg_sum(target, t).await?;
        checks.push(TableCheck {
            table: t.name,
            sqlite_rows,
            postgres_rows,
            sqlite_sha256,
            postgres_sha256,
        });
    }
    Ok(checks)
}

/// Count and checksum of one PostgreSQL table, read back.
async fn pg_sum(target: &PgStore, t: &Table) -> Result<(i64, String), sqlx::Error> {
    let mut sum = Sum::new();
    let mut after: Option<Value> = None;
    loop {
        let mut q = sqlx::query(AssertSqlSafe(t.select_page(false, after.is_some())));
        if let Some(key) = &after {
            q = match key {
                Value::Int(n) => q.bind(*n),
                Value::Text(s) => q.bind(s.clone()),
                Value::Bool(b) => q.bind(*b),
            };
        }
        let rows = q.fetch_all(target.pool()).await?;
        let Some(last) = rows.last() else { break };
        after = Some(t.pg_row(last)?[t.key_index()].clone());
        for r in &rows {
            sum.add(&t.pg_row(r)?);
        }
    }
    Ok(sum.finish())
}

/// One page of a SQLite table, after `after` in key order.
async fn sqlite_page(
    read: &mut sqlx::SqliteConnection,
    t: &Table,
    after: Option<&Value>,
) -> Result<Vec<Vec<Value>>, sqlx::Error> {
    let mut q = sqlx::query(AssertSqlSafe(t.select_page(true, after.is_some())));
    if let Some(key) = after {
        q = match key {
            Value::Int(n) => q.bind(*n),
            Value::Text(s) => q.bind(s.clone()),
            Value::Bool(b) => q.bind(*b),
        };
    }
    let rows = q.fetch_all(&mut *read).await?;
    rows.iter().map(|r| t.sqlite_row(r)).collect()
}

/// The next value SQLite would give `col`: past the highest id, and past
/// AUTOINCREMENT's memory of deleted ones.
async fn next_serial(
    read: &mut sqlx::SqliteConnection,
    t: &Table,
    col: &str,
) -> Result<i64, sqlx::Error> {
    let max: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT MAX({}) FROM {}",
        if col == "seq" { "rowid" } else { col },
        t.name
    )))
    .fetch_one(&mut *read)
    .await?;
    let remembered: Option<i64> =
        sqlx::query_scalar("SELECT seq FROM sqlite_sequence WHERE name = ?")
            .bind(t.name)
            .fetch_optional(&mut *read)
            .await?;
    Ok(max.unwrap_or(0).max(remembered.unwrap_or(0)) + 1)
}

fn size(v: &Value) -> usize {
    match v {
        Value::Text(Some(s)) => s.len(),
        _ => 8,
    }
}

/// One multi-row INSERT of `rows`.
async fn insert(
    c: &mut sqlx::PgConnection,
    t: &Table,
    rows: &[Vec<Value>],
) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let cols: Vec<&str> = t.columns.iter().map(|(c, _)| *c).collect();
    let mut q: QueryBuilder<Postgres> =
        QueryBuilder::new(format!("INSERT INTO {} ({}) ", t.name, cols.join(", ")));
    q.push_values(rows, |mut b, row| {
        for v in row {
            match v {
                Value::Int(n) => b.push_bind(*n),
                Value::Bool(x) => b.push_bind(*x),
                Value::Text(s) => b.push_bind(s.as_deref().map(super::postgres::text)),
            };
        }
    });
    q.build().execute(&mut *c).await?;
    Ok(())
}
