-- PostgreSQL flavour, kept in step with migrations/sqlite.
-- The web interface and the admin API: administrators (password hashes
-- only), browser sessions and API tokens (SHA-256 hashes only).
CREATE TABLE admins (
    name          TEXT COLLATE "C" PRIMARY KEY,
    password_hash TEXT COLLATE "C" NOT NULL,        -- pbkdf2-sha256$iterations$salt$hash (hex)
    created_at    TEXT COLLATE "C" NOT NULL,
    updated_at    TEXT COLLATE "C" NOT NULL
);

CREATE TABLE sessions (
    id_hash    TEXT COLLATE "C" PRIMARY KEY,        -- SHA-256 of the cookie value
    admin      TEXT COLLATE "C" NOT NULL REFERENCES admins(name) ON DELETE CASCADE,
    csrf       TEXT COLLATE "C" NOT NULL,           -- the forms' anti-forgery token
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    token_hash   TEXT COLLATE "C" NOT NULL UNIQUE,
    name         TEXT COLLATE "C" NOT NULL,
    created_at   TEXT COLLATE "C" NOT NULL,
    expires_at   TEXT COLLATE "C",                  -- NULL: never
    last_used_at TEXT COLLATE "C",
    revoked_at   TEXT COLLATE "C"
);
