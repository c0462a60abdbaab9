//! `census-collector admin`: the administrator of the web interface
//! (`set-password`; there is no default password) and the admin API
//! tokens for automation (`api-token create|list|revoke`; a token is
//! printed once and stored hashed). The shell over [`crate::auth`].

use crate::auth;
use crate::config::Config;
use crate::secrets;
use crate::store::admin::NewApiToken;
use anyhow::{Context, Result, bail};
use census_shared::duration::parse_duration;
use std::io::IsTerminal;

/// Where a new password comes from when not asked on the terminal.
pub const PASSWORD_ENV: &str = "CENSUS_ADMIN_PASSWORD";

/// `admin` subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum AdminCmd {
    /// Create the administrator, or replace its password (ends its sessions).
    SetPassword {
        /// The administrator's user name.
        #[arg(long, default_value = "admin")]
        user: String,
        /// Read the password from the first line of standard input
        /// [default: CENSUS_ADMIN_PASSWORD, else asked on the terminal].
        #[arg(long)]
        password_stdin: bool,
    },
    /// Admin API tokens (`Authorization: Bearer cap_…` on /api/v1).
    #[command(subcommand)]
    ApiToken(ApiTokenCmd),
}

/// `admin api-token` subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum ApiTokenCmd {
    /// Create a token; prints only the token on stdout (once: only its hash is kept).
    Create {
        /// What it is for, e.g. "backup script".
        #[arg(long)]
        name: String,
        /// How long it stays valid, e.g. 90d [default: never expires].
        #[arg(long)]
        expires: Option<String>,
    },
    /// List tokens (never their values).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token by its id.
    Revoke { id: i64 },
}

/// Run an `admin` subcommand.
pub async fn run(cfg: Config, cmd: AdminCmd) -> Result<()> {
    let store = crate::serve::open_store(&cfg).await?;
    let result = match cmd {
        AdminCmd::SetPassword {
            user,
            password_stdin,
        } => set_password(store.as_ref(), &user, password_stdin).await,
        AdminCmd::ApiToken(cmd) => api_token(store.as_ref(), cmd).await,
    };
    store.close().await;
    result
}

async fn set_password(store: &dyn crate::store::Store, user: &str, from_stdin: bool) -> Result<()> {
    if user.trim().is_empty() || user.chars().any(char::is_control) {
        bail!("--user must be a non-empty name without control characters");
    }
    let password = if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        line.trim_end_matches(['\n', '\r']).to_string()
    } else if let Ok(p) = std::env::var(PASSWORD_ENV) {
        p
    } else if std::io::stdin().is_terminal() {
        let p = crate::terminal::ask_secret("new password: ", PASSWORD_ENV)?;
        if crate::terminal::ask_secret("new password again: ", PASSWORD_ENV)? != p {
            bail!("the passwords differ; nothing was changed");
        }
        p
    } else {
        bail!("no password given: use --password-stdin, set {PASSWORD_ENV}, or run on a terminal");
    };
    let hash = auth::hash_password(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
    store
        .set_admin_password(user.to_string(), hash)
        .await
        .context("storing the password")?;
    eprintln!(
        "password of {user:?} set; log in at the collector's https address (its sessions were ended)"
    );
    Ok(())
}

/// A time as the CLI's tables print it (`-` for none).
pub fn when(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| "-".into())
}

/// `--expires 7d` as a time from now (`None`: never).
pub fn expiry(expires: Option<String>) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    Ok(expires
        .map(|e| parse_duration(&e).context("--expires"))
        .transpose()?
        .map(|d| {
            chrono::Utc::now() + chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
        }))
}

async fn api_token(store: &dyn crate::store::Store, cmd: ApiTokenCmd) -> Result<()> {
    match cmd {
        ApiTokenCmd::Create { name, expires } => {
            if name.trim().is_empty() {
                bail!("--name must say what the token is for");
            }
            let expires_at = expiry(expires)?;
            let token = secrets::new_api_token();
            let info = store
                .create_api_token(NewApiToken {
                    token_hash: secrets::hash(&token),
                    name,
                    expires_at,
                })
                .await?;
            eprintln!(
                "API token {} created, expires {}; it is shown once, keep it safe",
                info.id,
                when(info.expires_at)
            );
            println!("{token}");
        }
        ApiTokenCmd::List { json } => {
            let tokens = store.list_api_tokens().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&tokens)?);
            } else {
                println!(
                    "{:>4}  {:<8}  {:<16}  {:<16}  {:<16}  NAME",
                    "ID", "STATE", "CREATED", "EXPIRES", "LAST USED"
                );
                let now = chrono::Utc::now();
                for t in tokens {
                    let state = if t.revoked_at.is_some() {
                        "revoked"
                    } else if auth::expired(t.expires_at, now) {
                        "expired"
                    } else {
                        "active"
                    };
                    println!(
                        "{:>4}  {:<8}  {:<16}  {:<16}  {:<16}  {}",
                        t.id,
                        state,
                        when(Some(t.created_at)),
                        when(t.expires_at),
                        when(t.last_used_at),
                        t.name
                    );
                }
            }
        }
        ApiTokenCmd::Revoke { id } => {
            if !store.revoke_api_token(id).await? {
                bail!("no API token with id {id} (see `census-collector admin api-token list`)");
            }
            eprintln!("API token {id} revoked");
        }
    }
    Ok(())
}
