//! The broker's logins, codes and tokens, and the ESIA sandbox's citizens.
//! Every secret is stored as its SHA-256 digest ([`token_hash`]).

use registratura_contract::identity::Phone;

use super::patients::token_hash;
use super::{on_read, on_write, NewPatient, Store};
use crate::Error;

/// Revokes every refresh token of `family` and deletes its access tokens,
/// inside the transaction `tx`. A macro so that it expands once per backend,
/// like the `on_write!` bodies that use it.
macro_rules! revoke_family_in {
    ($tx:expr, $family:expr) => {{
        sqlx::query("UPDATE refresh_token SET revoked = TRUE WHERE family = $1")
            .bind($family)
            .execute(&mut *$tx)
            .await?;
        sqlx::query("DELETE FROM access_token WHERE family = $1").bind($family).execute(&mut *$tx).await?;
    }};
}

/// A login waiting for ESIA.
#[derive(Debug, Clone)]
pub struct PendingLogin {
    /// Whether a staff member signs in to the desk (`scope=desk`) rather than a patient.
    pub desk: bool,
    pub redirect_uri: String,
    pub client_state: String,
    pub code_challenge: String,
    /// The OpenID nonce the app sent, for the id_token.
    pub nonce: Option<String>,
    pub created_at: i64,
}

/// What a redeemed authorisation code grants.
#[derive(Debug, Clone)]
pub struct RedeemedCode {
    pub patient_id: i64,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub nonce: Option<String>,
    pub expires_at: i64,
}

/// A refresh token's fate when presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refresh {
    /// Valid: it is now used, and a new pair may be issued in `family`.
    Rotated { family: String, patient_id: i64 },
    /// Used before or revoked: the whole family has now been revoked.
    Reused,
    /// Unknown or expired.
    Invalid,
}

/// A test citizen of the ESIA sandbox.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SandboxCitizen {
    pub oid: String,
    pub mobile: String,
    pub email: String,
    pub snils: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    /// `dd.mm.yyyy`, as ESIA writes it.
    pub birth_date: String,
    pub policy: Option<String>,
    pub trusted: bool,
}

impl Store {
    pub async fn save_pending_login(&self, esia_state: &str, login: &PendingLogin) -> Result<(), Error> {
        on_write!(self, |pool, dialect| {
            sqlx::query(
                "INSERT INTO oauth_login (esia_state, redirect_uri, client_state, code_challenge, created_at, scope, nonce) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(esia_state)
            .bind(&login.redirect_uri)
            .bind(&login.client_state)
            .bind(&login.code_challenge)
            .bind(login.created_at)
            .bind(if login.desk { "desk" } else { "patient" })
            .bind(&login.nonce)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Takes the login `esia_state` names; a state is good once.
    pub async fn take_pending_login(&self, esia_state: &str) -> Result<Option<PendingLogin>, Error> {
        on_write!(self, |pool, dialect| {
            let row: Option<(String, String, String, i64, String, Option<String>)> = sqlx::query_as(
                "DELETE FROM oauth_login WHERE esia_state = $1 \
                 RETURNING redirect_uri, client_state, code_challenge, created_at, scope, nonce",
            )
            .bind(esia_state)
            .fetch_optional(pool)
            .await?;
            Ok(row.map(|(redirect_uri, client_state, code_challenge, created_at, scope, nonce)| PendingLogin {
                desk: scope == "desk",
                redirect_uri,
                client_state,
                code_challenge,
                nonce,
                created_at,
            }))
        })
    }

    /// The broker's id_token signing keys, newest first, as `(kid, secret)`.
    pub async fn signing_keys(&self) -> Result<Vec<(String, String)>, Error> {
        // On the primary: a key another server has just added must be seen.
        on_write!(self, |pool, dialect| {
            let keys: Vec<(String, String)> =
                sqlx::query_as("SELECT kid, secret FROM signing_key ORDER BY created_at DESC, kid").fetch_all(pool).await?;
            Ok(keys)
        })
    }

    /// Adds a signing key, unless one of that kid is there already.
    pub async fn add_signing_key(&self, kid: &str, secret: &str, created_at: i64) -> Result<(), Error> {
        on_write!(self, |pool, dialect| {
            sqlx::query("INSERT INTO signing_key (kid, secret, created_at) VALUES ($1, $2, $3) ON CONFLICT (kid) DO NOTHING")
                .bind(kid)
                .bind(secret)
                .bind(created_at)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// Finds or creates the patient ESIA vouched for, links the ESIA oid and
    /// saves their confirmed mobile phones; returns the patient id.
    pub async fn sign_in_patient(&self, oid: &str, patient: &NewPatient, phones: &[Phone], now: i64) -> Result<i64, Error> {
        let patient_id = self.upsert_patient(patient).await?;
        on_write!(self, |pool, dialect| {
            sqlx::query("UPDATE patient SET esia_oid = $2 WHERE id = $1")
                .bind(patient_id)
                .bind(oid)
                .execute(pool)
                .await?;
            Ok::<(), Error>(())
        })?;
        for phone in phones {
            // A full profile keeps its phones; ESIA's are a convenience.
            let _ = self.add_phone(patient_id, phone, now).await;
        }
        Ok(patient_id)
    }

    /// Keeps a patient's authorisation code for the login `login` finished.
    pub async fn save_code(&self, code: &str, patient_id: i64, login: &PendingLogin, expires_at: i64) -> Result<(), Error> {
        let hash = token_hash(code);
        on_write!(self, |pool, dialect| {
            sqlx::query(
                "INSERT INTO oauth_code (code_hash, patient_id, redirect_uri, code_challenge, expires_at, used, nonce) \
                 VALUES ($1, $2, $3, $4, $5, FALSE, $6)",
            )
            .bind(&hash)
            .bind(patient_id)
            .bind(&login.redirect_uri)
            .bind(&login.code_challenge)
            .bind(expires_at)
            .bind(&login.nonce)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Marks a code used and returns what it grants. A code presented a
    /// second time returns `Err(())` after revoking the tokens the first
    /// use issued (RFC 6749 §4.1.2); an unknown code returns `Ok(None)`.
    pub async fn redeem_code(&self, code: &str) -> Result<Result<Option<RedeemedCode>, ()>, Error> {
        let hash = token_hash(code);
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            let row: Option<(i64, String, String, i64, bool, Option<String>, Option<String>)> = sqlx::query_as(
                "SELECT patient_id, redirect_uri, code_challenge, expires_at, used, family, nonce FROM oauth_code WHERE code_hash = $1",
            )
            .bind(&hash)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((patient_id, redirect_uri, code_challenge, expires_at, used, family, nonce)) = row else {
                return Ok(Ok(None));
            };
            if used {
                if let Some(family) = family {
                    revoke_family_in!(tx, &family);
                }
                tx.commit().await?;
                return Ok(Err(()));
            }
            sqlx::query("UPDATE oauth_code SET used = TRUE WHERE code_hash = $1").bind(&hash).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(Ok(Some(RedeemedCode { patient_id, redirect_uri, code_challenge, nonce, expires_at })))
        })
    }

    /// Records which token family a code's first use issued.
    pub async fn bind_code_family(&self, code: &str, family: &str) -> Result<(), Error> {
        let hash = token_hash(code);
        on_write!(self, |pool, dialect| {
            sqlx::query("UPDATE oauth_code SET family = $2 WHERE code_hash = $1").bind(&hash).bind(family).execute(pool).await?;
            Ok(())
        })
    }

    /// Stores a new access and refresh token of `family`.
    pub async fn issue_pair(
        &self,
        patient_id: i64,
        family: &str,
        access: &str,
        access_expires: i64,
        refresh: &str,
        refresh_expires: i64,
    ) -> Result<(), Error> {
        let (access_hash, refresh_hash) = (token_hash(access), token_hash(refresh));
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            sqlx::query("INSERT INTO access_token (token_hash, patient_id, expires_at, family) VALUES ($1, $2, $3, $4)")
                .bind(&access_hash)
                .bind(patient_id)
                .bind(access_expires)
                .bind(family)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO refresh_token (token_hash, family, patient_id, expires_at, used, revoked) \
                 VALUES ($1, $2, $3, $4, FALSE, FALSE)",
            )
            .bind(&refresh_hash)
            .bind(family)
            .bind(patient_id)
            .bind(refresh_expires)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Uses a refresh token once; a reused one revokes its family.
    pub async fn use_refresh_token(&self, refresh: &str, now: i64) -> Result<Refresh, Error> {
        let hash = token_hash(refresh);
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            let row: Option<(String, i64, i64, bool, bool)> = sqlx::query_as(
                "SELECT family, patient_id, expires_at, used, revoked FROM refresh_token WHERE token_hash = $1",
            )
            .bind(&hash)
            .fetch_optional(&mut *tx)
            .await?;
            let outcome = match row {
                None => Refresh::Invalid,
                Some((family, _, _, used, revoked)) if used || revoked => {
                    revoke_family_in!(tx, &family);
                    Refresh::Reused
                }
                Some((_, _, expires_at, _, _)) if expires_at <= now => Refresh::Invalid,
                Some((family, patient_id, _, _, _)) => {
                    let claimed = sqlx::query("UPDATE refresh_token SET used = TRUE WHERE token_hash = $1 AND used = FALSE")
                        .bind(&hash)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    if claimed == 1 {
                        Refresh::Rotated { family, patient_id }
                    } else {
                        // Another request used it a moment ago: that is reuse.
                        revoke_family_in!(tx, &family);
                        Refresh::Reused
                    }
                }
            };
            tx.commit().await?;
            Ok(outcome)
        })
    }

    /// Revokes whatever `token` is (an access or a refresh token) together
    /// with its family: signing out ends every token of that login.
    pub async fn revoke(&self, token: &str) -> Result<(), Error> {
        let hash = token_hash(token);
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            let family: Option<Option<String>> = sqlx::query_scalar(
                "SELECT family FROM refresh_token WHERE token_hash = $1 \
                 UNION ALL SELECT family FROM access_token WHERE token_hash = $1",
            )
            .bind(&hash)
            .fetch_optional(&mut *tx)
            .await?;
            match family.flatten() {
                Some(family) => revoke_family_in!(tx, &family),
                None => {
                    sqlx::query("DELETE FROM access_token WHERE token_hash = $1").bind(&hash).execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Fills the sandbox with test citizens.
    pub async fn save_sandbox_citizens(&self, citizens: &[SandboxCitizen], password: &str) -> Result<(), Error> {
        let password_hash = token_hash(password);
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            for citizen in citizens {
                sqlx::query(
                    "INSERT INTO sandbox_citizen (oid, mobile, email, snils, password_hash, last_name, first_name, middle_name, birth_date, policy, trusted) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(&citizen.oid)
                .bind(&citizen.mobile)
                .bind(&citizen.email)
                .bind(&citizen.snils)
                .bind(&password_hash)
                .bind(&citizen.last_name)
                .bind(&citizen.first_name)
                .bind(&citizen.middle_name)
                .bind(&citizen.birth_date)
                .bind(&citizen.policy)
                .bind(citizen.trusted)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// The citizen whose mobile, e-mail or СНИЛС is `login` and whose
    /// password is `password`.
    pub async fn sandbox_sign_in(&self, login_field: &str, login: &str, password: &str) -> Result<Option<String>, Error> {
        let column = match login_field {
            "mobile" => "mobile",
            "email" => "email",
            _ => "snils",
        };
        let hash = token_hash(password);
        let sql = format!("SELECT oid FROM sandbox_citizen WHERE {column} = $1 AND password_hash = $2");
        on_read!(self, |pool, dialect| {
            Ok(sqlx::query_scalar(&sql).bind(login).bind(&hash).fetch_optional(pool).await?)
        })
    }

    pub async fn sandbox_citizen(&self, oid: &str) -> Result<Option<SandboxCitizen>, Error> {
        on_read!(self, |pool, dialect| {
            Ok(sqlx::query_as(
                "SELECT oid, mobile, email, snils, last_name, first_name, middle_name, birth_date, policy, trusted \
                 FROM sandbox_citizen WHERE oid = $1",
            )
            .bind(oid)
            .fetch_optional(pool)
            .await?)
        })
    }

    pub async fn save_sandbox_request(&self, id: &str, redirect_uri: &str, state: &str, scope: &str, now: i64) -> Result<(), Error> {
        on_write!(self, |pool, dialect| {
            sqlx::query("INSERT INTO sandbox_request (id, redirect_uri, state, scope, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(redirect_uri)
                .bind(state)
                .bind(scope)
                .bind(now)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// A sandbox request: (redirect_uri, state, scope, signed-in oid, created_at).
    pub async fn sandbox_request(&self, id: &str) -> Result<Option<(String, String, String, Option<String>, i64)>, Error> {
        on_read!(self, |pool, dialect| {
            Ok(sqlx::query_as("SELECT redirect_uri, state, scope, oid, created_at FROM sandbox_request WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?)
        })
    }

    pub async fn sandbox_request_signed_in(&self, id: &str, oid: &str) -> Result<(), Error> {
        on_write!(self, |pool, dialect| {
            sqlx::query("UPDATE sandbox_request SET oid = $2 WHERE id = $1").bind(id).bind(oid).execute(pool).await?;
            Ok(())
        })
    }

    /// Ends a sandbox request (consent given or refused).
    pub async fn finish_sandbox_request(&self, id: &str) -> Result<(), Error> {
        on_write!(self, |pool, dialect| {
            sqlx::query("DELETE FROM sandbox_request WHERE id = $1").bind(id).execute(pool).await?;
            Ok(())
        })
    }

    pub async fn save_sandbox_code(&self, code: &str, oid: &str, expires_at: i64) -> Result<(), Error> {
        let hash = token_hash(code);
        on_write!(self, |pool, dialect| {
            sqlx::query("INSERT INTO sandbox_code (code_hash, oid, expires_at, used) VALUES ($1, $2, $3, FALSE)")
                .bind(&hash)
                .bind(oid)
                .bind(expires_at)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// Uses a sandbox code once; the oid it was issued for.
    pub async fn redeem_sandbox_code(&self, code: &str, now: i64) -> Result<Option<String>, Error> {
        let hash = token_hash(code);
        on_write!(self, |pool, dialect| {
            Ok(sqlx::query_scalar(
                "UPDATE sandbox_code SET used = TRUE WHERE code_hash = $1 AND used = FALSE AND expires_at > $2 RETURNING oid",
            )
            .bind(&hash)
            .bind(now)
            .fetch_optional(pool)
            .await?)
        })
    }

    pub async fn save_sandbox_token(&self, token: &str, oid: &str, expires_at: i64) -> Result<(), Error> {
        let hash = token_hash(token);
        on_write!(self, |pool, dialect| {
            sqlx::query("INSERT INTO sandbox_token (token_hash, oid, expires_at) VALUES ($1, $2, $3)")
                .bind(&hash)
                .bind(oid)
                .bind(expires_at)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    pub async fn sandbox_token_oid(&self, token: &str, now: i64) -> Result<Option<String>, Error> {
        let hash = token_hash(token);
        on_read!(self, |pool, dialect| {
            Ok(sqlx::query_scalar("SELECT oid FROM sandbox_token WHERE token_hash = $1 AND expires_at > $2")
                .bind(&hash)
                .bind(now)
                .fetch_optional(pool)
                .await?)
        })
    }
}
