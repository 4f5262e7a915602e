-- The app's schedule cache: a copy of the registry's public directory and
-- schedule. Never tokens, never personal data.
--
-- `search` columns hold the text a search matches, lowered and with «ё»
-- folded into «е» by the app (SQLite's own lower() knows only ASCII).

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE organization (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    short_name TEXT NOT NULL,
    address    TEXT NOT NULL,
    search     TEXT NOT NULL
) STRICT;

CREATE TABLE clinic (
    id              INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL,
    name            TEXT NOT NULL,
    address         TEXT NOT NULL,
    phone           TEXT NOT NULL,
    search          TEXT NOT NULL
) STRICT;
CREATE INDEX clinic_by_organization ON clinic (organization_id);

CREATE TABLE service (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL,
    name      TEXT NOT NULL,
    specialty TEXT NOT NULL,
    search    TEXT NOT NULL
) STRICT;

CREATE TABLE doctor (
    id          INTEGER PRIMARY KEY,
    clinic_id   INTEGER NOT NULL,
    last_name   TEXT NOT NULL,
    first_name  TEXT NOT NULL,
    middle_name TEXT NOT NULL,
    position    TEXT NOT NULL,
    basis       TEXT NOT NULL,
    search      TEXT NOT NULL
) STRICT;
CREATE INDEX doctor_by_clinic ON doctor (clinic_id);

CREATE TABLE doctor_service (
    doctor_id  INTEGER NOT NULL,
    service_id INTEGER NOT NULL,
    PRIMARY KEY (doctor_id, service_id)
) STRICT, WITHOUT ROWID;

-- Status letters as the sync feed sends them: f free, b busy, u unavailable.
CREATE TABLE slot (
    id        INTEGER PRIMARY KEY,
    doctor_id INTEGER NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at   INTEGER NOT NULL,
    status    TEXT NOT NULL
) STRICT;
CREATE INDEX slot_by_doctor ON slot (doctor_id, starts_at);
