-- The reception desk: staff and their roles, staff sign-ins, what the desk
-- records on an appointment, the appointment's history, and the audit of
-- every staff action. Patients registered at the desk may have no СНИЛС.

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    -- An argon2id PHC string; NULL for a staff member who signs in through
    -- ESIA only.
    password_hash TEXT,
    -- The ESIA identity of the citizen this staff record belongs to.
    esia_oid      TEXT UNIQUE,
    last_name     TEXT NOT NULL,
    first_name    TEXT NOT NULL,
    middle_name   TEXT NOT NULL,
    active        BOOLEAN NOT NULL
);

-- A registrar works at clinics; an admin runs an organisation (and may act
-- at each of its clinics).
CREATE TABLE staff_role (
    staff_id        INTEGER NOT NULL REFERENCES staff (id),
    role            TEXT NOT NULL CHECK (role IN ('registrar', 'admin')),
    clinic_id       INTEGER REFERENCES clinic (id),
    organization_id INTEGER REFERENCES organization (id),
    CHECK ((role = 'registrar' AND clinic_id IS NOT NULL AND organization_id IS NULL)
        OR (role = 'admin' AND organization_id IS NOT NULL AND clinic_id IS NULL))
);
CREATE UNIQUE INDEX staff_role_once ON staff_role (staff_id, role, COALESCE(clinic_id, 0), COALESCE(organization_id, 0));

-- Staff sign-ins last a working day and are kept apart from patients'
-- tokens, so that neither kind opens the other's routes.
CREATE TABLE staff_token (
    token_hash TEXT PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    expires_at INTEGER NOT NULL
);

-- Every staff action, written in the transaction of the change it records.
CREATE TABLE audit (
    id              INTEGER PRIMARY KEY,
    at              INTEGER NOT NULL,
    staff_id        INTEGER NOT NULL REFERENCES staff (id),
    role            TEXT NOT NULL,
    clinic_id       INTEGER,
    organization_id INTEGER,
    action          TEXT NOT NULL,
    patient_id      INTEGER,
    appointment_id  INTEGER
);
CREATE INDEX audit_by_time ON audit (at);

-- What happened to an appointment after it was booked.
CREATE TABLE appointment_event (
    id             INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL REFERENCES appointment (id),
    at             INTEGER NOT NULL,
    event          TEXT NOT NULL,
    from_slot_id   INTEGER,
    to_slot_id     INTEGER,
    staff_id       INTEGER REFERENCES staff (id)
);
CREATE INDEX appointment_event_by_appointment ON appointment_event (appointment_id);

ALTER TABLE appointment ADD COLUMN consent_taken_by INTEGER REFERENCES staff (id);
ALTER TABLE appointment ADD COLUMN cancel_reason TEXT;
ALTER TABLE appointment ADD COLUMN arrived_at INTEGER;
-- The board reads a doctor's day of appointments by slot.
CREATE INDEX appointment_by_clinic_and_start ON appointment (clinic_id, starts_at);

-- SQLite cannot drop a NOT NULL constraint, so the patient table is built
-- anew. The appointments, phones and tokens that name patients keep their
-- ids; their foreign keys are checked when this migration commits, by when
-- the new table carries the old name.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE patient_new (
    id            INTEGER PRIMARY KEY,
    last_name     TEXT NOT NULL,
    first_name    TEXT NOT NULL,
    middle_name   TEXT NOT NULL,
    birth_date    TEXT NOT NULL,
    policy        TEXT NOT NULL UNIQUE,
    snils         TEXT UNIQUE,
    esia_oid      TEXT UNIQUE,
    confirmed     BOOLEAN NOT NULL,
    demo_number   INTEGER UNIQUE,
    sex           TEXT CHECK (sex IN ('male', 'female')),
    registered_by INTEGER REFERENCES staff (id),
    registered_at INTEGER
);
INSERT INTO patient_new (id, last_name, first_name, middle_name, birth_date, policy, snils, esia_oid, confirmed, demo_number)
    SELECT id, last_name, first_name, middle_name, birth_date, policy, snils, esia_oid, confirmed, demo_number FROM patient;
DROP TABLE patient;
ALTER TABLE patient_new RENAME TO patient;
-- The desk finds a patient by surname and birth date: the date narrows a
-- region's patients to a few, among which the surname is matched.
CREATE INDEX patient_by_birth_date ON patient (birth_date);
