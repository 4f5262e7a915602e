-- The registry's schema for SQLite (the embedded default). Instants are Unix
-- seconds (UTC); clinic-local dates and times are derived on the way out.
-- `search` columns hold lower-cased text made in Rust, because SQLite's own
-- LIKE and lower() fold only ASCII letters, not Cyrillic ones.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organization (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    short_name TEXT NOT NULL,
    address    TEXT NOT NULL,
    search     TEXT NOT NULL
);

CREATE TABLE clinic (
    id              INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organization (id),
    name            TEXT NOT NULL,
    address         TEXT NOT NULL,
    phone           TEXT NOT NULL,
    search          TEXT NOT NULL
);
CREATE INDEX clinic_by_organization ON clinic (organization_id);

CREATE TABLE service (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    specialty TEXT NOT NULL,
    search    TEXT NOT NULL
);

CREATE TABLE doctor (
    id          INTEGER PRIMARY KEY,
    clinic_id   INTEGER NOT NULL REFERENCES clinic (id),
    last_name   TEXT NOT NULL,
    first_name  TEXT NOT NULL,
    middle_name TEXT NOT NULL,
    position    TEXT NOT NULL,
    basis       TEXT NOT NULL,
    search      TEXT NOT NULL
);
CREATE INDEX doctor_by_clinic ON doctor (clinic_id);

CREATE TABLE doctor_service (
    doctor_id  INTEGER NOT NULL REFERENCES doctor (id),
    service_id INTEGER NOT NULL REFERENCES service (id),
    PRIMARY KEY (doctor_id, service_id)
);
CREATE INDEX doctor_service_by_service ON doctor_service (service_id, doctor_id);

CREATE TABLE slot (
    id        INTEGER PRIMARY KEY,
    doctor_id INTEGER NOT NULL REFERENCES doctor (id),
    starts_at INTEGER NOT NULL,
    ends_at   INTEGER NOT NULL CHECK (ends_at > starts_at),
    status    TEXT NOT NULL CHECK (status IN ('free', 'busy', 'unavailable')),
    -- The schedule version of the slot's last change, for the sync feed.
    version   INTEGER NOT NULL
);
CREATE UNIQUE INDEX slot_by_doctor_and_start ON slot (doctor_id, starts_at);
CREATE INDEX slot_by_version ON slot (version);

CREATE TABLE consent (
    version      TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    text         TEXT NOT NULL,
    published_at INTEGER NOT NULL
);

CREATE TABLE patient (
    id          INTEGER PRIMARY KEY,
    last_name   TEXT NOT NULL,
    first_name  TEXT NOT NULL,
    middle_name TEXT NOT NULL,
    birth_date  TEXT NOT NULL,
    policy      TEXT NOT NULL UNIQUE,
    snils       TEXT NOT NULL UNIQUE,
    esia_oid    TEXT UNIQUE,
    confirmed   BOOLEAN NOT NULL,
    -- Set only for generated demo patients: `demo-token --patient N`.
    demo_number INTEGER UNIQUE
);

CREATE TABLE patient_phone (
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    phone      TEXT NOT NULL,
    added_at   INTEGER NOT NULL,
    PRIMARY KEY (patient_id, phone)
);

CREATE TABLE access_token (
    -- SHA-256 of the token: a stolen database yields no usable token.
    token_hash TEXT PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    expires_at INTEGER NOT NULL
);

CREATE TABLE appointment (
    id              INTEGER PRIMARY KEY,
    ticket          INTEGER NOT NULL UNIQUE,
    patient_id      INTEGER NOT NULL REFERENCES patient (id),
    slot_id         INTEGER NOT NULL REFERENCES slot (id),
    service_id      INTEGER NOT NULL REFERENCES service (id),
    clinic_id       INTEGER NOT NULL REFERENCES clinic (id),
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    status          TEXT NOT NULL,
    channel         TEXT NOT NULL,
    consent_version TEXT NOT NULL REFERENCES consent (version),
    consented_at    INTEGER NOT NULL,
    phone           TEXT,
    created_at      INTEGER NOT NULL,
    cancelled_at    INTEGER,
    idempotency_key TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    UNIQUE (patient_id, idempotency_key)
);
-- The constraint behind the conditional claim: one live appointment a slot.
CREATE UNIQUE INDEX appointment_one_booked_per_slot ON appointment (slot_id) WHERE status = 'booked';
CREATE INDEX appointment_by_patient ON appointment (patient_id, starts_at);
