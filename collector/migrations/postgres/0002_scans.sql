-- Network scans and what they saw (ScanObservation as JSON, one row per address).
CREATE TABLE scans (
    id          BIGSERIAL PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    targets     TEXT NOT NULL,
    hosts_found INTEGER NOT NULL
);

CREATE TABLE scan_observations (
    id          BIGSERIAL PRIMARY KEY,
    scan_id     BIGINT NOT NULL REFERENCES scans(id),
    ip          TEXT NOT NULL,
    mac         TEXT,
    observation TEXT NOT NULL
);
CREATE INDEX scan_observations_by_ip ON scan_observations(ip);
CREATE INDEX scan_observations_by_mac ON scan_observations(mac);
