-- PostgreSQL flavour, kept in step with migrations/sqlite.
-- The web interface and the admin API: administrators (password hashes
-- only), browser sessions and API tokens (SHA-256 hashes only).
CREATE TABLE admins (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,        -- pbkdf2-sha256$iterations$salt$hash (hex)
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,        -- SHA-256 of the cookie value
    admin      TEXT NOT NULL REFERENCES admins(name) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,           -- the forms' anti-forgery token
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT,                  -- NULL: never
    last_used_at TEXT,
    revoked_at   TEXT
);
