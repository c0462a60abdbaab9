//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of the API,
//! generated at run time from [`super::ENDPOINTS`] (the same table the
//! router is built from) plus the three routes outside it (health,
//! enrolment, reports). Shapes are named, not fully specified: the JSON
//! types are documented in README.md's API section.

use super::ENDPOINTS;
use axum::Json;
use serde_json::{Map, Value, json};

/// The document.
pub fn build() -> Value {
    let mut paths: Map<String, Value> = Map::new();
    let mut add = |path: &str, method: &str, op: Value| {
        paths
            .entry(path.to_string())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("path items are objects")
            .insert(method.to_lowercase(), op);
    };
    add(
        "/api/v1/health",
        "GET",
        json!({"summary": "Whether the collector answers", "security": [], "responses": {"200": {"description": "ok"}}}),
    );
    add(
        "/api/v1/enroll",
        "POST",
        json!({"summary": "Enrol an agent with an enrolment token; returns its id and secret", "security": [],
               "requestBody": {"content": {"application/json": {"schema": {"type": "object", "description": "{token, hostname, os?, agent_version?}"}}}},
               "responses": {"200": {"description": "the agent's id and secret"}, "401": {"$ref": "#/components/responses/Refused"}}}),
    );
    add(
        "/api/v1/reports",
        "POST",
        json!({"summary": "An agent's inventory (HostReport, optionally gzip); Bearer agent secret", "security": [{"agent": []}],
               "responses": {"200": {"description": "acknowledged once committed"}, "401": {"$ref": "#/components/responses/Refused"}}}),
    );
    for e in ENDPOINTS {
        let mut params: Vec<Value> = e
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        params.extend(e.query.iter().map(
            |q| json!({"name": q, "in": "query", "required": false, "schema": {"type": "string"}}),
        ));
        let ok = if e.returns.is_empty() {
            json!({"204": {"description": "done"}})
        } else {
            json!({"200": {"description": e.returns, "content": {"application/json": {"schema": {"description": e.returns}}}}})
        };
        let mut responses = ok.as_object().cloned().unwrap_or_default();
        for code in ["400", "401", "403", "404"] {
            responses.insert(
                code.into(),
                json!({"$ref": "#/components/responses/Refused"}),
            );
        }
        let mut op = json!({
            "summary": e.summary,
            "operationId": format!("{} {}", e.method, e.path),
            "parameters": params,
            "responses": responses,
        });
        if let Some(body) = e.body {
            op["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"type": "object", "description": body}}}});
        }
        add(e.path, e.method, op);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Census collector API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Admin endpoints take `Authorization: Bearer <admin API token>` (census-collector admin api-token create) or the web interface's session cookie plus `X-CSRF-Token` on changes. Refusals are JSON {error, message}."
        },
        "servers": [{"url": "/"}],
        "security": [{"adminToken": []}, {"session": []}],
        "components": {
            "securitySchemes": {
                "adminToken": {"type": "http", "scheme": "bearer", "description": "cap_… admin API token"},
                "agent": {"type": "http", "scheme": "bearer", "description": "cas_… agent secret (reports only)"},
                "session": {"type": "apiKey", "in": "cookie", "name": super::auth::SESSION_COOKIE}
            },
            "responses": {
                "Refused": {"description": "refused; nothing changed", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["error", "message"],
                    "properties": {"error": {"type": "string"}, "message": {"type": "string"}}}}}}
            }
        },
        "paths": paths,
    })
}

/// `GET /api/v1/openapi.json` (public: it holds no data).
pub async fn document() -> Json<Value> {
    Json(build())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_endpoint_is_documented_once() {
        let doc = super::build();
        let paths = doc["paths"].as_object().unwrap();
        let mut n = 0;
        for (_, item) in paths {
            n += item.as_object().unwrap().len();
        }
        assert_eq!(n, super::ENDPOINTS.len() + 3);
        assert!(paths["/api/v1/assets/{id}"]["patch"]["requestBody"].is_object());
        assert_eq!(
            paths["/api/v1/assets/{id}"]["get"]["parameters"][0]["name"],
            "id"
        );
    }
}
