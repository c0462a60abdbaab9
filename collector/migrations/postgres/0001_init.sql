-- Census collector schema, PostgreSQL flavour (kept in step with migrations/sqlite). Times are RFC 3339 UTC text.

-- Enrolment tokens, stored as SHA-256 hashes only.
CREATE TABLE enrollment_tokens (
    id          BIGSERIAL PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    label       TEXT,
    uses_left   INTEGER,              -- NULL: unlimited
    uses        INTEGER NOT NULL DEFAULT 0,
    expires_at  TEXT,                 -- NULL: never
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

-- Enrolled agents; the secret is stored as a SHA-256 hash only.
CREATE TABLE agents (
    id               TEXT PRIMARY KEY,
    secret_hash      TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL DEFAULT 'agent',   -- 'agent' or 'collector' (self-inventory)
    hostname         TEXT NOT NULL,
    os               TEXT,
    agent_version    TEXT,
    token_id         BIGINT REFERENCES enrollment_tokens(id),
    enrolled_at      TEXT NOT NULL,
    last_seen        TEXT,
    reports_received INTEGER NOT NULL DEFAULT 0,
    revoked_at       TEXT
);

-- Distinct inventories of each agent: the history. A report equal to the
-- latest one (ignoring volatile fields) only moves last_seen.
CREATE TABLE snapshots (
    id           BIGSERIAL PRIMARY KEY,
    agent_id     TEXT NOT NULL REFERENCES agents(id),
    content_hash TEXT NOT NULL,
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    report_json  TEXT NOT NULL
);
CREATE INDEX snapshots_by_agent ON snapshots(agent_id, id);

-- Every accepted report id, so a repeated delivery is stored once.
CREATE TABLE reports (
    report_id    TEXT PRIMARY KEY,
    agent_id     TEXT NOT NULL REFERENCES agents(id),
    snapshot_id  BIGINT NOT NULL REFERENCES snapshots(id),
    received_at  TEXT NOT NULL,
    collected_at TEXT NOT NULL
);
CREATE INDEX reports_by_agent ON reports(agent_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
