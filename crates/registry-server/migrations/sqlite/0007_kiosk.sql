-- Lobby kiosks (инфоматы): registered devices, the visits of the patients
-- they identify, the failed identifications behind the lockout and the
-- rate limit, the kiosks' audit, the slots a clinic keeps for its kiosks,
-- and the doctor's room that a check-in slip names.

CREATE TABLE kiosk_device (
    id              INTEGER PRIMARY KEY,
    clinic_id       INTEGER NOT NULL REFERENCES clinic (id),
    name            TEXT NOT NULL,
    -- SHA-256 of the device credential; the credential itself is shown once.
    credential_hash TEXT NOT NULL UNIQUE,
    -- An argon2id PHC string of the admin PIN that opens the kiosk's settings.
    pin_hash        TEXT NOT NULL,
    registered_at   INTEGER NOT NULL,
    -- The admin who registered it at the desk; NULL from the command line.
    registered_by   INTEGER REFERENCES staff (id),
    revoked_at      INTEGER
);

-- A patient identified at a kiosk, for one visit to the screen: the token
-- works only together with the credential of the device that asked for it.
CREATE TABLE kiosk_visit (
    token_hash TEXT PRIMARY KEY,
    device_id  INTEGER NOT NULL REFERENCES kiosk_device (id),
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    expires_at INTEGER NOT NULL
);

-- Failed identifications, kept only as long as the lockout and the rate
-- limit look back. `policy_key` is a digest of the typed number, never the
-- number, and is the same whether or not such a policy exists.
CREATE TABLE kiosk_failure (
    id         INTEGER PRIMARY KEY,
    device_id  INTEGER NOT NULL REFERENCES kiosk_device (id),
    policy_key TEXT NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX kiosk_failure_by_policy ON kiosk_failure (policy_key, at);
CREATE INDEX kiosk_failure_by_device ON kiosk_failure (device_id, at);

-- What happened at each kiosk: identifications (device, time, outcome; the
-- typed values never), bookings, cancellations and check-ins by ids.
CREATE TABLE kiosk_audit (
    id             INTEGER PRIMARY KEY,
    at             INTEGER NOT NULL,
    device_id      INTEGER NOT NULL REFERENCES kiosk_device (id),
    action         TEXT NOT NULL,
    outcome        TEXT NOT NULL,
    patient_id     INTEGER,
    appointment_id INTEGER
);
CREATE INDEX kiosk_audit_by_time ON kiosk_audit (at);

-- Slots kept from online booking («только в регистратуре») that the
-- clinic's kiosks may book as well as its desk.
CREATE TABLE kiosk_slot (
    slot_id INTEGER PRIMARY KEY REFERENCES slot (id)
);

ALTER TABLE doctor ADD COLUMN room TEXT NOT NULL DEFAULT '';
