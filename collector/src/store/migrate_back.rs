//! The other direction, for `export` of a collector on PostgreSQL: every
//! table of [`TABLES`] read in key order inside one REPEATABLE READ
//! transaction (a consistent snapshot while collectors keep writing) and
//! written into a new SQLite database file in one transaction, the
//! reports' `seq` becoming their rowid. Then the SQLite copy is read back
//! and each table's count and checksum compared with what was read, as
//! `migrate.rs` does the other way. The archive thus holds a `census.db`
//! that `import` restores like any other (and `db migrate-to` can take
//! back to PostgreSQL). Nothing is written to PostgreSQL.

use super::tables::{Table, Value};
use super::{MigrateError, Sum, TABLES, TableCheck, sqlite_page};
use crate::store::postgres::PgStore;
use crate::store::sqlite::SqliteStore;
use sqlx::AssertSqlSafe;
use std::path::Path;

/// Copy `source` into a new SQLite database at `dest` (which must not
/// exist) and verify it.
pub async fn pg_to_sqlite(source: &PgStore, dest: &Path) -> Result<Vec<TableCheck>, MigrateError> {
    let target = SqliteStore::open(dest).await?;
    let result = copy(source, &target).await;
    target.close().await;
    result
}

async fn copy(source: &PgStore, target: &SqliteStore) -> Result<Vec<TableCheck>, MigrateError> {
    let mut read = source.pool().begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *read)
        .await?;
    let mut write = target.pool().begin_with("BEGIN IMMEDIATE").await?;
    let mut sums = Vec::new();
    for t in TABLES {
        let copy = async {
            let insert = insert_sql(t);
            let mut sum = Sum::new();
            let mut after: Option<Value> = None;
            loop {
                let mut q = sqlx::query(AssertSqlSafe(t.select_page(false, after.is_some())));
                if let Some(key) = &after {
                    q = bind_pg(q, key);
                }
                let rows = q.fetch_all(&mut *read).await?;
                let Some(last) = rows.last() else { break };
                after = Some(t.pg_row(last)?[t.key_index()].clone());
                for r in &rows {
                    let row = t.pg_row(r)?;
                    sum.add(&row);
                    let mut q = sqlx::query(AssertSqlSafe(insert.clone()));
                    for v in &row {
                        q = match v {
                            Value::Int(n) => q.bind(*n),
                            Value::Text(s) => q.bind(s.clone()),
                            // 0/1, as SQLite's schema keeps booleans.
                            Value::Bool(b) => q.bind(b.map(i64::from)),
                        };
                    }
                    q.execute(&mut *write).await?;
                }
            }
            Ok::<_, sqlx::Error>(sum.finish())
        };
        let sum = copy.await.map_err(|source| MigrateError::Copy {
            table: t.name,
            source,
        })?;
        sums.push(sum);
    }
    write.commit().await?;
    read.rollback().await?;

    let mut checks = Vec::new();
    let mut c = target.pool().acquire().await?;
    for (t, (postgres_rows, postgres_sha256)) in TABLES.iter().zip(sums) {
        let mut sum = Sum::new();
        let mut after = None;
        loop {
            let page = sqlite_page(&mut c, t, after.as_ref()).await?;
            let Some(last) = page.last() else { break };
            after = Some(last[t.key_index()].clone());
            for row in &page {
                sum.add(row);
            }
        }
        let (sqlite_rows, sqlite_sha256) = sum.finish();
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

/// `INSERT INTO t (…) VALUES (?, …)`, the reports' `seq` as the rowid.
fn insert_sql(t: &Table) -> String {
    let cols: Vec<&str> = t
        .columns
        .iter()
        .map(|(c, _)| match (t.name, *c) {
            ("reports", "seq") => "rowid",
            (_, c) => c,
        })
        .collect();
    let marks = vec!["?"; cols.len()].join(", ");
    format!(
        "INSERT INTO {} ({}) VALUES ({marks})",
        t.name,
        cols.join(", ")
    )
}

fn bind_pg<'q>(
    q: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    key: &Value,
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    match key {
        Value::Int(n) => q.bind(*n),
        Value::Text(s) => q.bind(s.clone()),
        Value::Bool(b) => q.bind(*b),
    }
}
