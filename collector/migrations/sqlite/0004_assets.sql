-- Assets built by the merge engine (collector/src/merge). assets, asset_explanations and asset_keys
-- are replaced as a whole by each recomputation; decisions and events are append-only.

-- The memory of ids between runs: identity key (text form, e.g. `mac:00:11:22:33:44:55`) → asset.
CREATE TABLE asset_keys (
    key       TEXT PRIMARY KEY,
    asset_id  TEXT NOT NULL,
    last_seen TEXT NOT NULL
);

-- One row per asset; `json` is census_shared::asset::Asset (every field with its provenance).
CREATE TABLE assets (
    id        TEXT PRIMARY KEY,
    category  TEXT,
    name      TEXT,
    status    TEXT NOT NULL,
    unknown   INTEGER NOT NULL,
    last_seen TEXT NOT NULL,
    json      TEXT NOT NULL
);
CREATE INDEX assets_by_category ON assets(category);

-- Why each asset is what it is (census_shared::asset::MergeExplanation).
CREATE TABLE asset_explanations (
    asset_id TEXT PRIMARY KEY,
    json     TEXT NOT NULL
);

-- A person's corrections (merge, split, set), never changed once written.
CREATE TABLE decisions (
    id   TEXT PRIMARY KEY,
    at   TEXT NOT NULL,
    json TEXT NOT NULL
);

-- Change events (census_shared::asset::Event), never changed once written.
CREATE TABLE events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    asset_id TEXT NOT NULL,
    kind     TEXT NOT NULL,
    json     TEXT NOT NULL
);
CREATE INDEX events_by_time ON events(at);
