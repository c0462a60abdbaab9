//! Which database, and opening it: the configured database (`--database`,
//! `CENSUS_DATABASE`, or `database` in the config file; by default SQLite's
//! `census.db` in the data directory) as a [`Database`], and [`open`], the
//! one way every subcommand gets its `Arc<dyn Store>`.
//!
//! Failures are [`OpenError`]s written for the person at the terminal: what
//! failed and what to do about it. PostgreSQL is first tried with one
//! connection (with a timeout) so that "refused", "no such database" and
//! "wrong password" are told apart instead of ending as a pool timeout. A
//! URL's password never appears in a message: [`Database`]'s `Display` and
//! every error show the URL with the password hidden. Creating the data
//! directory is the caller's (`serve::open_store`).

use super::postgres::PgStore;
use super::sqlite::SqliteStore;
use super::{Store, StoreError};
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// How long the first connection to PostgreSQL may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The collector's database.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file (the default: `census.db` in the data directory).
    Sqlite(PathBuf),
    /// A PostgreSQL URL (`postgres://USER:PASSWORD@HOST:PORT/DATABASE`),
    /// password included: show it only through `Display`.
    Postgres(String),
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "unsupported database {given:?}: use postgres://USER:PASSWORD@HOST:PORT/DATABASE for PostgreSQL, \
         or sqlite:PATH for a SQLite file (without --database: census.db in the data directory)"
    )]
    Unsupported { given: String },
    #[error(
        "the database URL {url} is not valid: {reason}; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE"
    )]
    BadUrl { url: String, reason: String },
    #[error(
        "cannot reach the PostgreSQL server at {server}: {reason}. Check that it runs and listens there \
         (listen_addresses and port in postgresql.conf) and that the host and port in the database URL \
         (--database, CENSUS_DATABASE or `database` in the config) are right"
    )]
    Unreachable { server: String, reason: String },
    #[error(
        "no answer from the PostgreSQL server at {server} within {} s: check the host and port in the \
         database URL and that no firewall drops the connection", CONNECT_TIMEOUT.as_secs()
    )]
    Timeout { server: String },
    #[error(
        "the PostgreSQL server at {server} refused user {user:?}: {reason}. Check the user and password in \
         the database URL, and that pg_hba.conf lets this host connect to that database"
    )]
    Refused {
        server: String,
        user: String,
        reason: String,
    },
    #[error(
        "database {database:?} does not exist on the PostgreSQL server at {server}: create it \
         (as the postgres user: createdb -O {user} {database}) or fix the database URL"
    )]
    NoDatabase {
        server: String,
        user: String,
        database: String,
    },
    #[error(
        "the PostgreSQL server at {server} was asked for TLS ({reason}), which this collector does \
         not speak to PostgreSQL: drop sslmode from the URL and reach the server over a local \
         socket, a trusted network or a VPN"
    )]
    Tls { server: String, reason: String },
    #[error("PostgreSQL at {server}: {reason}")]
    Postgres { server: String, reason: String },
    #[error(
        "cannot open the SQLite database {path}: {error}; check that its directory exists and this user \
         may write there (--data-dir or CENSUS_DATA_DIR), or pass --database"
    )]
    Sqlite { path: PathBuf, error: StoreError },
    #[error("cannot bring the schema of {database} up to date: {error}")]
    Schema { database: String, error: StoreError },
}

impl Database {
    /// The default: `census.db` in `data_dir`.
    pub fn in_data_dir(data_dir: &Path) -> Database {
        Database::Sqlite(data_dir.join("census.db"))
    }

    /// Read `--database`: `postgres://…` / `postgresql://…`, or
    /// `sqlite:PATH` (`sqlite://PATH` too).
    pub fn parse(given: &str) -> Result<Database, OpenError> {
        let given = given.trim();
        if given.starts_with("postgres://") || given.starts_with("postgresql://") {
            let db = Database::Postgres(given.to_string());
            db.pg_options()?;
            return Ok(db);
        }
        if let Some(path) = given
            .strip_prefix("sqlite://")
            .or_else(|| given.strip_prefix("sqlite:"))
            .filter(|p| !p.is_empty())
        {
            return Ok(Database::Sqlite(PathBuf::from(path)));
        }
        Err(OpenError::Unsupported {
            given: redact(given),
        })
    }

    /// Whether this is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self, Database::Postgres(_))
    }

    /// The SQLite file, if this is SQLite.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            Database::Sqlite(p) => Some(p),
            Database::Postgres(_) => None,
        }
    }

    /// The connection options of a PostgreSQL URL.
    pub fn pg_options(&self) -> Result<PgConnectOptions, OpenError> {
        let Database::Postgres(url) = self else {
            return Err(OpenError::Unsupported {
                given: self.to_string(),
            });
        };
        PgConnectOptions::from_str(url)
            .map(|o| o.application_name("census-collector"))
            .map_err(|e| OpenError::BadUrl {
                url: redact(url),
                reason: redact(&e.to_string()),
            })
    }
}

impl std::fmt::Display for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(p) => write!(f, "SQLite database {}", p.display()),
            Database::Postgres(url) => write!(f, "PostgreSQL database {}", redact(url)),
        }
    }
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self}")
    }
}

/// `url` with the password (`user:PASSWORD@`, `password=…`) replaced by `***`.
pub fn redact(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let rest = &out[scheme_end + 3..];
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@')
            && let Some(colon) = rest[..at].find(':')
        {
            let start = scheme_end + 3 + colon + 1;
            out.replace_range(start..scheme_end + 3 + at, "***");
        }
    }
    while let Some(i) = out
        .find("password=")
        .filter(|&i| !out[i + 9..].starts_with("***"))
    {
        let end = out[i + 9..]
            .find('&')
            .map(|e| i + 9 + e)
            .unwrap_or(out.len());
        out.replace_range(i + 9..end, "***");
    }
    out
}

/// Open the database (bringing its schema up to date) as the store every
/// command uses.
pub async fn open(db: &Database) -> Result<Arc<dyn Store>, OpenError> {
    Ok(match db {
        Database::Sqlite(path) => Arc::new(open_sqlite(path).await?),
        Database::Postgres(_) => Arc::new(open_postgres(db).await?),
    })
}

/// [`open`] for SQLite, as its own type.
pub async fn open_sqlite(path: &Path) -> Result<SqliteStore, OpenError> {
    SqliteStore::open(path).await.map_err(|error| match error {
        StoreError::Migrate(_) => OpenError::Schema {
            database: format!("the SQLite database {}", path.display()),
            error,
        },
        error => OpenError::Sqlite {
            path: path.to_path_buf(),
            error,
        },
    })
}

/// [`open`] for PostgreSQL, as its own type: one connection first, to say
/// precisely what is wrong when there is none.
pub async fn open_postgres(db: &Database) -> Result<PgStore, OpenError> {
    let opts = db.pg_options()?;
    let server = match opts.get_socket() {
        Some(dir) => format!("{}/.s.PGSQL.{}", dir.display(), opts.get_port()),
        None => format!("{}:{}", opts.get_host(), opts.get_port()),
    };
    let user = opts.get_username().to_string();
    let database = opts.get_database().unwrap_or(&user).to_string();
    let explain = |e: sqlx::Error| explain(e, &server, &user, &database);
    match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&opts)).await {
        Err(_) => return Err(OpenError::Timeout { server }),
        Ok(Err(e)) => return Err(explain(e)),
        Ok(Ok(c)) => {
            let _ = c.close().await;
        }
    }
    PgStore::open(opts).await.map_err(|error| match error {
        StoreError::Db(e) => explain(e),
        error => OpenError::Schema {
            database: db.to_string(),
            error,
        },
    })
}

fn explain(e: sqlx::Error, server: &str, user: &str, database: &str) -> OpenError {
    let server = server.to_string();
    match e {
        sqlx::Error::Io(e) => OpenError::Unreachable {
            server,
            reason: e.to_string(),
        },
        sqlx::Error::Tls(e) => OpenError::Tls {
            server,
            reason: e.to_string(),
        },
        sqlx::Error::Database(d) => match d.code().as_deref() {
            // invalid_password, invalid_authorization_specification
            // (pg_hba.conf), insufficient_privilege at connect.
            Some("28P01" | "28000" | "42501") => OpenError::Refused {
                server,
                user: user.to_string(),
                reason: d.message().to_string(),
            },
            Some("3D000") => OpenError::NoDatabase {
                server,
                user: user.to_string(),
                database: database.to_string(),
            },
            _ => OpenError::Postgres {
                server,
                reason: d.to_string(),
            },
        },
        sqlx::Error::PoolTimedOut => OpenError::Timeout { server },
        e => OpenError::Postgres {
            server,
            reason: redact(&e.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_read_and_passwords_hidden() {
        let db = Database::parse("postgres://census:s3cret@db.example:5433/census").unwrap();
        assert!(db.is_postgres());
        assert_eq!(
            db.to_string(),
            "PostgreSQL database postgres://census:***@db.example:5433/census"
        );
        assert_eq!(
            redact("postgresql://u@h/d?sslmode=require&password=x&a=b"),
            "postgresql://u@h/d?sslmode=require&password=***&a=b"
        );
        assert_eq!(
            Database::parse("sqlite:/tmp/x.db").unwrap(),
            Database::Sqlite("/tmp/x.db".into())
        );
        assert_eq!(
            Database::parse("sqlite:///tmp/x.db").unwrap(),
            Database::Sqlite("/tmp/x.db".into())
        );
        let e = Database::parse("mysql://root:pw@h/db")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unsupported") && !e.contains("pw"), "{e}");
        let e = Database::parse("postgres://u:pw@h:notaport/db")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not valid") && !e.contains(":pw@"), "{e}");
    }
}
