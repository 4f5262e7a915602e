-- Staff sign in through ESIA too: a login in progress says whom it is for,
-- and a staff member's authorisation code is kept apart from a patient's,
-- so that neither can ever be redeemed for the other's token.
ALTER TABLE oauth_login ADD COLUMN scope TEXT NOT NULL DEFAULT 'patient';

CREATE TABLE staff_code (
    code_hash      TEXT PRIMARY KEY,
    staff_id       INTEGER NOT NULL REFERENCES staff (id),
    redirect_uri   TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    expires_at     INTEGER NOT NULL,
    used           BOOLEAN NOT NULL
);
