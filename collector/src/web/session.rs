//! Logging in and out, the [`Ui`] extractor and the anti-forgery checks.
//!
//! The session cookie is `__Host-census_session` (HttpOnly, Secure,
//! SameSite=Strict, path `/`); the store keeps only its hash. Every form
//! carries the session's anti-forgery token in a hidden `csrf` field; the
//! login form, before any session exists, carries a token that must match
//! a short-lived `__Host-census_login` cookie (double submit). Login
//! attempts are rate-limited per client address
//! ([`crate::api::LOGINS_PER_MINUTE`]).

use super::render;
use crate::api::AppState;
use crate::api::auth::{SESSION_COOKIE, cookie};
use crate::auth::{self, AuthError};
use crate::plan::messages::{Lang, Msg};
use crate::secrets;
use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::net::SocketAddr;

const LANG_COOKIE: &str = "census_lang";
const LOGIN_COOKIE: &str = "__Host-census_login";

/// The language a visitor reads: their switch (cookie), else the first of
/// Dutch or English their browser asks for, else English.
pub fn language(headers: &HeaderMap) -> Lang {
    if let Some(l) = cookie(headers, LANG_COOKIE).and_then(|l| l.parse().ok()) {
        return l;
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut best: Option<(f32, Lang)> = None;
    for part in accept.split(',') {
        let mut bits = part.trim().split(';');
        let tag = bits.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = bits
            .find_map(|b| b.trim().strip_prefix("q=")?.parse::<f32>().ok())
            .unwrap_or(1.0);
        let lang = match tag.split('-').next() {
            Some("nl") => Lang::Nl,
            Some("en") => Lang::En,
            _ => continue,
        };
        if best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, lang));
        }
    }
    best.map_or(Lang::En, |(_, l)| l)
}

/// What every page's frame needs: language, the signed-in user, the
/// form token, the current path (for the language switch).
#[derive(Debug, Clone)]
pub struct Ui {
    pub lang: Lang,
    pub user: Option<String>,
    pub csrf: String,
    pub path: String,
}

impl Ui {
    /// A text of the catalogue in this page's language.
    pub fn t(&self, m: Msg) -> &'static str {
        m.text(self.lang)
    }

    /// A text with `{placeholders}` filled.
    pub fn f(&self, m: Msg, args: &[(&str, &str)]) -> String {
        m.fill(self.lang, args)
    }

    /// The other language, for the switch.
    pub fn other(&self) -> Lang {
        match self.lang {
            Lang::Nl => Lang::En,
            Lang::En => Lang::Nl,
        }
    }

    /// Check a form's anti-forgery token; the refusal page when it fails
    /// (axum's `Response` is large, but this runs once per form post).
    #[allow(clippy::result_large_err)]
    pub fn check(&self, sent: &str) -> Result<(), Response> {
        if auth::same_secret(sent, &self.csrf) {
            Ok(())
        } else {
            Err(message_page(
                self,
                StatusCode::FORBIDDEN,
                self.t(Msg::WebForgery),
            ))
        }
    }
}

impl FromRequestParts<AppState> for Ui {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Ui, Response> {
        let lang = language(&parts.headers);
        let path = parts.uri.path().to_string();
        let to_login = || {
            let next = url_encode(parts.uri.path_and_query().map_or("/", |p| p.as_str()));
            Redirect::to(&format!("/login?next={next}")).into_response()
        };
        let Some(value) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(to_login());
        };
        match auth::session(st.store.as_ref(), &value).await {
            Ok(Some(s)) => Ok(Ui {
                lang,
                user: Some(s.admin),
                csrf: s.csrf,
                path,
            }),
            Ok(None) => Err(to_login()),
            Err(e) => {
                tracing::error!("session lookup: {e}");
                Err((
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the session could not be checked",
                )
                    .into_response())
            }
        }
    }
}

/// Percent-encode a path for a query parameter.
fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Only same-site paths are followed after login (no `//host`, no scheme).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    ui: &'a Ui,
    message: &'a str,
}

/// A page that only says something (errors, refusals).
pub fn message_page(ui: &Ui, status: StatusCode, message: &str) -> Response {
    let mut r = render(&MessagePage { ui, message });
    *r.status_mut() = status;
    r
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    ui: &'a Ui,
    next: &'a str,
    error: Option<String>,
}

/// `?next=`.
#[derive(Debug, Deserialize)]
pub struct Next {
    next: Option<String>,
}

fn login_form(lang: Lang, next: &str, error: Option<String>, status: StatusCode) -> Response {
    let token = secrets::new_session_secret();
    let ui = Ui {
        lang,
        user: None,
        csrf: token.clone(),
        path: "/login".into(),
    };
    let mut r = render(&LoginPage {
        ui: &ui,
        next,
        error,
    });
    *r.status_mut() = status;
    if let Ok(v) =
        format!("{LOGIN_COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=1800")
            .parse()
    {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// `GET /login`.
pub async fn login_page(headers: HeaderMap, Query(q): Query<Next>) -> Response {
    login_form(
        language(&headers),
        &safe_next(q.next.as_deref()),
        None,
        StatusCode::OK,
    )
}

/// The login form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    user: String,
    password: String,
    csrf: String,
    next: Option<String>,
}

/// `POST /login`.
pub async fn login(
    State(st): State<AppState>,
    parts: HeaderMap,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(f): Form<LoginForm>,
) -> Response {
    let lang = language(&parts);
    let next = safe_next(f.next.as_deref());
    let ui = Ui {
        lang,
        user: None,
        csrf: String::new(),
        path: "/login".into(),
    };
    let expected = cookie(&parts, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !auth::same_secret(&f.csrf, &expected) {
        return login_form(
            lang,
            &next,
            Some(ui.t(Msg::WebForgery).into()),
            StatusCode::FORBIDDEN,
        );
    }
    let client = peer.ip().to_string();
    if let Err(wait) = st.login_limiter.check(&client) {
        let secs = wait.as_secs().max(1).to_string();
        tracing::warn!(%client, "login attempts rate-limited");
        let mut r = login_form(
            lang,
            &next,
            Some(ui.f(Msg::WebLoginThrottled, &[("seconds", &secs)])),
            StatusCode::TOO_MANY_REQUESTS,
        );
        if let Ok(v) = secs.parse() {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return r;
    }
    match auth::login(st.store.as_ref(), f.user.trim(), &f.password).await {
        Ok(s) => {
            tracing::info!(user = %f.user.trim(), %client, "logged in");
            let mut r = Redirect::to(&next).into_response();
            let cookie = format!(
                "{SESSION_COOKIE}={}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={}",
                s.cookie,
                auth::SESSION_HOURS * 3600
            );
            if let Ok(v) = cookie.parse() {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            if let Ok(v) =
                format!("{LOGIN_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0")
                    .parse()
            {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
        Err(AuthError::BadLogin) => {
            tracing::warn!(user = %f.user.trim(), %client, "failed login");
            login_form(
                lang,
                &next,
                Some(ui.t(Msg::WebLoginFailed).into()),
                StatusCode::UNAUTHORIZED,
            )
        }
        Err(AuthError::NoAdmin) => login_form(
            lang,
            &next,
            Some(ui.t(Msg::WebNoAdmin).into()),
            StatusCode::UNAUTHORIZED,
        ),
        Err(e) => {
            tracing::error!("login: {e}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the login could not be checked",
            )
                .into_response()
        }
    }
}

/// A form with only its anti-forgery token.
#[derive(Debug, Deserialize)]
pub struct TokenOnly {
    pub csrf: String,
}

/// `POST /logout`.
pub async fn logout(
    State(st): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Form(f): Form<TokenOnly>,
) -> Response {
    if let Err(r) = ui.check(&f.csrf) {
        return r;
    }
    if let Some(value) = cookie(&headers, SESSION_COOKIE)
        && let Err(e) = st.store.delete_session(secrets::hash(&value)).await
    {
        tracing::error!("logout: {e}");
    }
    let mut r = Redirect::to("/login").into_response();
    if let Ok(v) =
        format!("{SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0").parse()
    {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// `?to=nl|en&back=/path`.
#[derive(Debug, Deserialize)]
pub struct Switch {
    to: String,
    back: Option<String>,
}

/// `GET /lang?to=en&back=/assets`: remember the language (a preference,
/// not a change of data) and go back.
pub async fn switch_language(Query(q): Query<Switch>) -> Response {
    let lang: Lang = q.to.parse().unwrap_or_default();
    let mut r = Redirect::to(&safe_next(q.back.as_deref())).into_response();
    if let Ok(v) =
        format!("{LANG_COOKIE}={lang}; Path=/; Secure; SameSite=Strict; Max-Age=31536000").parse()
    {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> Lang {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, v.parse().unwrap());
        language(&h)
    }

    #[test]
    fn the_browser_language_picks_the_default() {
        assert_eq!(accept("nl-NL,nl;q=0.9,en;q=0.8"), Lang::Nl);
        assert_eq!(accept("en-GB,en;q=0.9,nl;q=0.5"), Lang::En);
        assert_eq!(accept("de-DE,de;q=0.9,nl;q=0.7,en;q=0.6"), Lang::Nl);
        assert_eq!(accept("fr"), Lang::En);
        assert_eq!(accept(""), Lang::En);
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, "en".parse().unwrap());
        h.insert(header::COOKIE, "census_lang=nl".parse().unwrap());
        assert_eq!(language(&h), Lang::Nl, "a switch beats the browser");
    }

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next(Some("/assets?q=x")), "/assets?q=x");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(url_encode("/assets?q=a b"), "/assets%3Fq%3Da%20b");
    }
}
