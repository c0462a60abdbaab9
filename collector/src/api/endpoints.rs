//! The `endpoints!` macro: the admin API declared once, as a table of
//! method, path, handler and description, from which both the router
//! (`routes()`) and the OpenAPI document's paths (`ENDPOINTS`, read by
//! `openapi.rs`) are generated — so the document cannot drift from the
//! code.

/// One documented endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    /// Query parameters.
    pub query: &'static [&'static str],
    /// The JSON body's shape, when there is one.
    pub body: Option<&'static str>,
    /// The answer's shape (empty: 204 No Content).
    pub returns: &'static str,
}

macro_rules! endpoints {
    ($($method:ident $path:literal => $handler:path, $summary:literal;
        [$($q:literal),*]; $body:expr; $returns:literal;)*) => {
        /// Every admin endpoint, as documented in `/api/v1/openapi.json`.
        pub const ENDPOINTS: &[endpoints::Endpoint] = &[$(endpoints::Endpoint {
            method: stringify!($method),
            path: $path,
            summary: $summary,
            query: &[$($q),*],
            body: $body,
            returns: $returns,
        }),*];

        /// The admin endpoints' router (an admin API token or a web session).
        fn routes() -> Router<AppState> {
            Router::new()
                $(.route($path, axum::routing::on(
                    axum::routing::MethodFilter::$method,
                    $handler,
                )))*
        }
    };
}
