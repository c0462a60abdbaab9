//! The two schemas are in step: after every migration has run, SQLite's
//! and PostgreSQL's databases have the same migrations, tables, columns (in
//! order, with matching types and nullability), primary keys, unique
//! constraints and indexes, read from the databases themselves. The
//! differences are the ones `migrations/postgres/0001_init.sql` declares:
//! INTEGER is BIGINT (BOOLEAN for `assets.unknown`), TEXT is COLLATE "C",
//! and `reports.seq` stands for SQLite's rowid. `db migrate-to`'s table
//! list names exactly these tables and columns.

use census_collector::store::migrate::TABLES;
use census_collector::store::migrate::tables::Kind;
use census_tests::postgres::Postgres;
use census_tests::{Backend, workspace};
use sqlx::Row;
use std::collections::BTreeMap;

/// A column: name, kind (`int`, `text`, `bool`), NOT NULL.
type Column = (String, &'static str, bool);

/// Table → columns, primary key, unique column sets, indexes (name → columns).
#[derive(Debug, Default, PartialEq)]
struct Shape {
    columns: Vec<Column>,
    primary_key: Vec<String>,
    unique: Vec<Vec<String>>,
    indexes: BTreeMap<String, Vec<String>>,
}

async fn sqlite_schema(path: &std::path::Path) -> BTreeMap<String, Shape> {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut out = BTreeMap::new();
    for t in tables {
        let mut shape = Shape::default();
        for r in sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA table_info('{t}')")))
            .fetch_all(&pool)
            .await
            .unwrap()
        {
            let name: String = r.get("name");
            let ty: String = r.get("type");
            let kind = match (t.as_str(), name.as_str(), ty.as_str()) {
                ("assets", "unknown", "INTEGER") => "bool",
                (_, _, "INTEGER") => "int",
                (_, _, "TEXT") => "text",
                other => panic!("SQLite type {other:?}"),
            };
            let pk: i64 = r.get("pk");
            let notnull: i64 = r.get("notnull");
            if pk > 0 {
                shape.primary_key.push(name.clone());
            }
            shape.columns.push((name, kind, notnull == 1 || pk > 0));
        }
        for r in sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA index_list('{t}')")))
            .fetch_all(&pool)
            .await
            .unwrap()
        {
            let name: String = r.get("name");
            let origin: String = r.get("origin");
            let cols: Vec<String> =
                sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA index_info('{name}')")))
                    .fetch_all(&pool)
                    .await
                    .unwrap()
                    .iter()
                    .map(|c| c.get("name"))
                    .collect();
            match origin.as_str() {
                "u" => shape.unique.push(cols),
                "c" => {
                    shape.indexes.insert(name, cols);
                }
                _ => {}
            }
        }
        out.insert(t, shape);
    }
    pool.close().await;
    out
}

async fn pg_schema(url: &str) -> BTreeMap<String, Shape> {
    let pool = sqlx::PgPool::connect(url).await.unwrap();
    let mut out: BTreeMap<String, Shape> = BTreeMap::new();
    for r in sqlx::query(
        "SELECT table_name::text AS t, column_name::text AS c, data_type::text AS ty, \
         is_nullable::text AS nullable, collation_name::text AS collation \
         FROM information_schema.columns WHERE table_schema = 'public' \
         AND table_name <> '_sqlx_migrations' ORDER BY table_name, ordinal_position",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    {
        let (t, c, ty): (String, String, String) = (r.get("t"), r.get("c"), r.get("ty"));
        let collation: Option<String> = r.get("collation");
        let kind = match ty.as_str() {
            "bigint" => "int",
            "boolean" => "bool",
            "text" => {
                assert_eq!(
                    collation.as_deref(),
                    Some("C"),
                    "{t}.{c} is not COLLATE \"C\""
                );
                "text"
            }
            other => panic!("{t}.{c}: PostgreSQL type {other}"),
        };
        let nullable: String = r.get("nullable");
        out.entry(t)
            .or_default()
            .columns
            .push((c, kind, nullable == "NO"));
    }
    for r in sqlx::query(
        "SELECT tablename::text AS t, indexname::text AS i, indexdef FROM pg_indexes \
         WHERE schemaname = 'public' AND tablename <> '_sqlx_migrations'",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    {
        let (t, i, def): (String, String, String) = (r.get("t"), r.get("i"), r.get("indexdef"));
        let inner = &def[def.rfind('(').unwrap() + 1..def.rfind(')').unwrap()];
        let cols: Vec<String> = inner.split(", ").map(|c| c.to_string()).collect();
        let shape = out.get_mut(&t).unwrap();
        if i.ends_with("_pkey") {
            shape.primary_key = cols;
        } else if def.starts_with("CREATE UNIQUE") {
            shape.unique.push(cols);
        } else {
            shape.indexes.insert(i, cols);
        }
    }
    pool.close().await;
    out
}

#[test]
fn both_migration_folders_hold_the_same_migrations() {
    let names = |flavour: &str| -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(workspace().join("collector/migrations").join(flavour))
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
        v.sort();
        v
    };
    assert_eq!(names("sqlite"), names("postgres"));
    assert!(names("sqlite").len() >= 5);
}

#[test]
fn both_schemas_are_the_same_after_every_migration() {
    let dir = tempfile::tempdir().unwrap();
    let pg = Postgres::new();
    let url = pg.url.clone();
    let pg = Backend::Postgres(pg);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (sqlite, mut postgres) = rt.block_on(async {
        Backend::Sqlite.open(dir.path()).await.close().await;
        pg.open(dir.path()).await.close().await;
        (
            sqlite_schema(&dir.path().join("census.db")).await,
            pg_schema(&url).await,
        )
    });
    drop(pg);
    // The declared difference: reports.seq is SQLite's rowid, unique, and
    // the index on agent_id holds it as SQLite's does.
    let reports = postgres.get_mut("reports").unwrap();
    assert_eq!(
        reports.columns.pop(),
        Some(("seq".to_string(), "int", true))
    );
    assert!(reports.unique.contains(&vec!["seq".to_string()]));
    reports.unique.retain(|u| u != &["seq".to_string()]);
    assert_eq!(
        reports.indexes.get("reports_by_agent").unwrap(),
        &["agent_id", "seq"]
    );
    reports
        .indexes
        .insert("reports_by_agent".into(), vec!["agent_id".into()]);
    assert_eq!(
        sqlite.keys().collect::<Vec<_>>(),
        postgres.keys().collect::<Vec<_>>()
    );
    for (table, shape) in &sqlite {
        assert_eq!(shape, &postgres[table], "table {table}");
    }

    // db migrate-to copies exactly these tables and columns.
    let listed: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        sqlite.keys().map(|k| k.as_str()).collect::<Vec<_>>()
    );
    for t in TABLES {
        let mut want: Vec<(String, &str)> = sqlite[t.name]
            .columns
            .iter()
            .map(|(c, k, _)| (c.clone(), *k))
            .collect();
        if t.name == "reports" {
            want.push(("seq".into(), "int"));
        }
        let have: Vec<(String, &str)> = t
            .columns
            .iter()
            .map(|(c, k)| {
                let k = match k {
                    Kind::Int => "int",
                    Kind::Text => "text",
                    Kind::Bool => "bool",
                };
                (c.to_string(), k)
            })
            .collect();
        assert_eq!(have, want, "db migrate-to's columns of {}", t.name);
    }
}
