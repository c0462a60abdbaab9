//! Who is calling an admin endpoint: the [`Admin`] extractor. An admin API
//! token (`Authorization: Bearer cap_…`) or the web interface's session
//! cookie; with the cookie, a request that changes something must also
//! carry the session's `X-CSRF-Token`. An agent's secret is recognised and
//! refused with 403, so a mixed-up credential says what it is.

use super::{AppState, Failure};
use crate::{auth, secrets};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode};

/// The name of the session cookie (`__Host-` binds it to this origin,
/// Secure and path `/`).
pub const SESSION_COOKIE: &str = "__Host-census_session";

/// An authenticated administrator.
#[derive(Debug, Clone)]
pub struct Admin {
    /// `token:<name>` or `session:<user>`, for logs and audit.
    pub who: String,
    /// The session's anti-forgery token (sessions only).
    pub csrf: Option<String>,
}

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

fn forbidden(message: &str) -> Failure {
    Failure::new(StatusCode::FORBIDDEN, "forbidden", message)
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Admin, Failure> {
        if let Some(token) = bearer(&parts.headers) {
            let hash = secrets::hash(token);
            if let Some(t) = st
                .store
                .use_api_token(hash.clone())
                .await
                .map_err(Failure::internal)?
            {
                return Ok(Admin {
                    who: format!("token:{}", t.name),
                    csrf: None,
                });
            }
            if st
                .store
                .agent_by_secret(hash)
                .await
                .map_err(Failure::internal)?
                .is_some()
            {
                return Err(forbidden(
                    "this is an agent's secret, which may only send reports: use an admin API token (`census-collector admin api-token create`)",
                ));
            }
            return Err(Failure::unauthorized(
                "unknown, revoked or expired API token: create one with `census-collector admin api-token create`",
            ));
        }
        let Some(cookie) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(Failure::unauthorized(
                "missing credentials: send `Authorization: Bearer <admin API token>`, or log in to the web interface",
            ));
        };
        let Some(session) = auth::session(st.store.as_ref(), &cookie)
            .await
            .map_err(Failure::internal)?
        else {
            return Err(Failure::unauthorized(
                "the session expired or was ended: log in again",
            ));
        };
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !auth::same_secret(sent, &session.csrf) {
                return Err(forbidden(
                    "missing or wrong X-CSRF-Token: a change made with the session cookie must carry the session's token",
                ));
            }
        }
        Ok(Admin {
            who: format!("session:{}", session.admin),
            csrf: Some(session.csrf),
        })
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderMap;

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.append(
            "cookie",
            "a=1; __Host-census_session=abc ; b=2".parse().unwrap(),
        );
        h.append("cookie", "c=3".parse().unwrap());
        assert_eq!(
            super::cookie(&h, super::SESSION_COOKIE).as_deref(),
            Some("abc")
        );
        assert_eq!(super::cookie(&h, "c").as_deref(), Some("3"));
        assert_eq!(super::cookie(&h, "d"), None);
    }
}
