-- OpenID Connect. The nonce an app sent with its login travels with the
-- login to ESIA and back, then with the code, into the id_token the code
-- is traded for: the app refuses an id_token whose nonce is not its own.
ALTER TABLE oauth_login ADD COLUMN nonce TEXT;
ALTER TABLE oauth_code ADD COLUMN nonce TEXT;

-- The broker's ES256 keys that sign id_tokens. The newest signs; every key
-- is published in the JWKS, so that a key added later (by another server
-- of the region, or a rotation) does not break tokens signed before it.
-- The secret is the private scalar, base64url: it never leaves the server.
CREATE TABLE signing_key (
    kid        TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
