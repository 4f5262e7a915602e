-- Logins: the broker's OAuth state for the desktop app, and the ESIA
-- sandbox's test citizens. Secrets (codes, tokens, passwords) are stored
-- only as SHA-256 digests.

-- A login the broker has sent to ESIA and waits for.
CREATE TABLE oauth_login (
    esia_state     TEXT PRIMARY KEY,
    redirect_uri   TEXT NOT NULL,
    client_state   TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    created_at     INTEGER NOT NULL
);

-- Authorisation codes for the app: single use, short-lived.
CREATE TABLE oauth_code (
    code_hash      TEXT PRIMARY KEY,
    patient_id     INTEGER NOT NULL REFERENCES patient (id),
    redirect_uri   TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    expires_at     INTEGER NOT NULL,
    used           BOOLEAN NOT NULL,
    -- The token family issued for this code, revoked if the code is replayed.
    family         TEXT
);

-- Refresh tokens rotate on every use; a used one presented again revokes
-- its whole family (RFC 6819 §5.2.2.3).
CREATE TABLE refresh_token (
    token_hash TEXT PRIMARY KEY,
    family     TEXT NOT NULL,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    expires_at INTEGER NOT NULL,
    used       BOOLEAN NOT NULL,
    revoked    BOOLEAN NOT NULL
);
CREATE INDEX refresh_token_by_family ON refresh_token (family);

ALTER TABLE access_token ADD COLUMN family TEXT;
CREATE INDEX access_token_by_family ON access_token (family);

-- The ESIA sandbox (demo databases only).
CREATE TABLE sandbox_citizen (
    oid           TEXT PRIMARY KEY,
    mobile        TEXT NOT NULL UNIQUE,
    email         TEXT NOT NULL UNIQUE,
    snils         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    first_name    TEXT NOT NULL,
    middle_name   TEXT NOT NULL,
    birth_date    TEXT NOT NULL,
    policy        TEXT,
    trusted       BOOLEAN NOT NULL
);

CREATE TABLE sandbox_request (
    id           TEXT PRIMARY KEY,
    redirect_uri TEXT NOT NULL,
    state        TEXT NOT NULL,
    scope        TEXT NOT NULL,
    oid          TEXT,
    created_at   INTEGER NOT NULL
);

CREATE TABLE sandbox_code (
    code_hash  TEXT PRIMARY KEY,
    oid        TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used       BOOLEAN NOT NULL
);

CREATE TABLE sandbox_token (
    token_hash TEXT PRIMARY KEY,
    oid        TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
