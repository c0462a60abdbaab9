-- Census collector schema, PostgreSQL flavour, kept in step with migrations/sqlite
-- (same tables, columns, keys and indexes; tests/store.rs compares them).
-- Times are RFC 3339 UTC text. Where SQLite and PostgreSQL differ, this side
-- says how it does the same thing:
--   * SQLite INTEGER is 64-bit: here BIGINT / BIGSERIAL.
--   * SQLite compares text bytewise (BINARY): here every TEXT column is
--     COLLATE "C", so ordering, range comparisons of times and unique keys do
--     not depend on the server's locale.
--   * reports.seq is SQLite's implicit rowid of reports (arrival order, which
--     says an agent's latest report): SQLite has it without asking.

-- Enrolment tokens, stored as SHA-256 hashes only.
CREATE TABLE enrollment_tokens (
    id          BIGSERIAL PRIMARY KEY,
    token_hash  TEXT COLLATE "C" NOT NULL UNIQUE,
    label       TEXT COLLATE "C",
    uses_left   BIGINT,              -- NULL: unlimited
    uses        BIGINT NOT NULL DEFAULT 0,
    expires_at  TEXT COLLATE "C",                 -- NULL: never
    created_at  TEXT COLLATE "C" NOT NULL,
    revoked_at  TEXT COLLATE "C"
);

-- Enrolled agents; the secret is stored as a SHA-256 hash only.
CREATE TABLE agents (
    id               TEXT COLLATE "C" PRIMARY KEY,
    secret_hash      TEXT COLLATE "C" NOT NULL UNIQUE,
    kind             TEXT COLLATE "C" NOT NULL DEFAULT 'agent',   -- 'agent' or 'collector' (self-inventory)
    hostname         TEXT COLLATE "C" NOT NULL,
    os               TEXT COLLATE "C",
    agent_version    TEXT COLLATE "C",
    token_id         BIGINT REFERENCES enrollment_tokens(id),
    enrolled_at      TEXT COLLATE "C" NOT NULL,
    last_seen        TEXT COLLATE "C",
    reports_received BIGINT NOT NULL DEFAULT 0,
    revoked_at       TEXT COLLATE "C"
);

-- Distinct inventories of each agent: the history. A report equal to the
-- latest one (ignoring volatile fields) only moves last_seen.
CREATE TABLE snapshots (
    id           BIGSERIAL PRIMARY KEY,
    agent_id     TEXT COLLATE "C" NOT NULL REFERENCES agents(id),
    content_hash TEXT COLLATE "C" NOT NULL,
    first_seen   TEXT COLLATE "C" NOT NULL,
    last_seen    TEXT COLLATE "C" NOT NULL,
    report_json  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX snapshots_by_agent ON snapshots(agent_id, id);

-- Every accepted report id, so a repeated delivery is stored once.
CREATE TABLE reports (
    report_id    TEXT COLLATE "C" PRIMARY KEY,
    agent_id     TEXT COLLATE "C" NOT NULL REFERENCES agents(id),
    snapshot_id  BIGINT NOT NULL REFERENCES snapshots(id),
    received_at  TEXT COLLATE "C" NOT NULL,
    collected_at TEXT COLLATE "C" NOT NULL,
    seq          BIGSERIAL NOT NULL UNIQUE  -- SQLite: rowid
);
-- SQLite's index on agent_id holds the rowid too.
CREATE INDEX reports_by_agent ON reports(agent_id, seq);

CREATE TABLE settings (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
);
