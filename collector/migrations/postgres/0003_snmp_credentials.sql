-- Which SNMP credential a device answered to last (by the credential's one-way id, never its secret),
-- so the next sweep asks with that one first. `device` is the address (and, when known, the MAC).
CREATE TABLE snmp_credentials (
    device        TEXT COLLATE "C" PRIMARY KEY,
    credential_id TEXT COLLATE "C" NOT NULL,
    updated_at    TEXT COLLATE "C" NOT NULL
);
