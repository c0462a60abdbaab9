-- PostgreSQL flavour, kept in step with migrations/sqlite.
-- Assets built by the merge engine (collector/src/merge). assets, asset_explanations and asset_keys
-- are replaced as a whole by each recomputation; decisions and events are append-only.

-- The memory of ids between runs: identity key (text form, e.g. `mac:00:11:22:33:44:55`) → asset.
CREATE TABLE asset_keys (
    key       TEXT COLLATE "C" PRIMARY KEY,
    asset_id  TEXT COLLATE "C" NOT NULL,
    last_seen TEXT COLLATE "C" NOT NULL
);

-- One row per asset; `json` is census_shared::asset::Asset (every field with its provenance).
CREATE TABLE assets (
    id        TEXT COLLATE "C" PRIMARY KEY,
    category  TEXT COLLATE "C",
    name      TEXT COLLATE "C",
    status    TEXT COLLATE "C" NOT NULL,
    unknown   BOOLEAN NOT NULL,          -- SQLite: INTEGER 0/1
    last_seen TEXT COLLATE "C" NOT NULL,
    json      TEXT COLLATE "C" NOT NULL
);
CREATE INDEX assets_by_category ON assets(category);

-- Why each asset is what it is (census_shared::asset::MergeExplanation).
CREATE TABLE asset_explanations (
    asset_id TEXT COLLATE "C" PRIMARY KEY,
    json     TEXT COLLATE "C" NOT NULL
);

-- A person's corrections (merge, split, set), never changed once written.
CREATE TABLE decisions (
    id   TEXT COLLATE "C" PRIMARY KEY,
    at   TEXT COLLATE "C" NOT NULL,
    json TEXT COLLATE "C" NOT NULL
);

-- Change events (census_shared::asset::Event), never changed once written.
CREATE TABLE events (
    id       BIGSERIAL PRIMARY KEY,
    at       TEXT COLLATE "C" NOT NULL,
    asset_id TEXT COLLATE "C" NOT NULL,
    kind     TEXT COLLATE "C" NOT NULL,
    json     TEXT COLLATE "C" NOT NULL
);
CREATE INDEX events_by_time ON events(at);
