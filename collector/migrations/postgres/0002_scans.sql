-- Network scans and what they saw (ScanObservation as JSON, one row per address).
CREATE TABLE scans (
    id          BIGSERIAL PRIMARY KEY,
    started_at  TEXT COLLATE "C" NOT NULL,
    finished_at TEXT COLLATE "C" NOT NULL,
    targets     TEXT COLLATE "C" NOT NULL,
    hosts_found BIGINT NOT NULL
);

CREATE TABLE scan_observations (
    id          BIGSERIAL PRIMARY KEY,
    scan_id     BIGINT NOT NULL REFERENCES scans(id),
    ip          TEXT COLLATE "C" NOT NULL,
    mac         TEXT COLLATE "C",
    observation TEXT COLLATE "C" NOT NULL
);
CREATE INDEX scan_observations_by_ip ON scan_observations(ip);
CREATE INDEX scan_observations_by_mac ON scan_observations(mac);
