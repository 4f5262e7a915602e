//! Staff members, their roles, their sign-ins, and the audit of what they do.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::Serialize;

use super::patients::token_hash;
use super::{on_read, on_write, Store};
use crate::Error;

pub use registratura_contract::api::desk::{Grant, Role};

/// A signed-in staff member, as every desk route sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub grants: Vec<Grant>,
}

impl StaffMember {
    /// The clinics this staff member may act at.
    pub fn clinics(&self) -> Vec<i64> {
        let mut clinics: Vec<i64> = self.grants.iter().map(|grant| grant.clinic_id).collect();
        clinics.sort_unstable();
        clinics.dedup();
        clinics
    }

    /// The grant by which they act at `clinic_id` (a registrar's before an
    /// admin's), or `None`: then that clinic does not exist for them.
    pub fn at(&self, clinic_id: i64) -> Option<Grant> {
        let mut grants = self.grants.iter().filter(|grant| grant.clinic_id == clinic_id);
        let first = grants.next().copied()?;
        Some(grants.find(|grant| grant.role == Role::Registrar).copied().unwrap_or(first))
    }

    /// The organisations this staff member administers.
    pub fn administers(&self) -> Vec<i64> {
        let mut organizations: Vec<i64> =
            self.grants.iter().filter(|grant| grant.role == Role::Admin).map(|grant| grant.organization_id).collect();
        organizations.sort_unstable();
        organizations.dedup();
        organizations
    }
}

/// A staff account to create.
#[derive(Debug, Clone)]
pub struct NewStaff {
    pub login: String,
    /// The ESIA identity of the citizen this staff member is, for signing in through ESIA.
    pub esia_oid: Option<String>,
    /// An argon2 PHC string from [`hash_password`].
    pub password_hash: Option<String>,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub role: Role,
    /// The clinic of a registrar, or the organisation of an admin.
    pub place: i64,
}

/// One staff action, written in the transaction of the change it records.
#[derive(Debug, Clone, Copy)]
pub struct AuditRecord {
    pub at: i64,
    pub staff_id: i64,
    pub grant: Grant,
    pub action: AuditAction,
    pub patient_id: Option<i64>,
    pub appointment_id: Option<i64>,
}

/// What a staff member did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Search,
    OpenPatient,
    Register,
    Book,
    Move,
    Cancel,
    CheckIn,
    UndoCheckIn,
    NoShow,
    UndoNoShow,
    ReadAudit,
    /// A doctor's day list with the patients' full names, to print.
    DayList,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Search => "search",
            AuditAction::OpenPatient => "open_patient",
            AuditAction::Register => "register",
            AuditAction::Book => "book",
            AuditAction::Move => "move",
            AuditAction::Cancel => "cancel",
            AuditAction::CheckIn => "check_in",
            AuditAction::UndoCheckIn => "undo_check_in",
            AuditAction::NoShow => "no_show",
            AuditAction::UndoNoShow => "undo_no_show",
            AuditAction::ReadAudit => "read_audit",
            AuditAction::DayList => "day_list",
        }
    }
}

/// One line of the audit as an admin reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    pub staff_id: i64,
    pub staff_login: String,
    pub role: String,
    pub clinic_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub action: String,
    pub patient_id: Option<i64>,
    pub appointment_id: Option<i64>,
}

/// Writes `$record` into the audit inside the transaction `$tx`. A macro so
/// that it expands once per backend, like the `on_write!` bodies that use it.
macro_rules! audit_in {
    ($tx:expr, $record:expr) => {{
        let record: &$crate::store::staff::AuditRecord = &$record;
        sqlx::query(
            "INSERT INTO audit (at, staff_id, role, clinic_id, organization_id, action, patient_id, appointment_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(record.at)
        .bind(record.staff_id)
        .bind(record.grant.role.as_str())
        .bind(record.grant.clinic_id)
        .bind(record.grant.organization_id)
        .bind(record.action.as_str())
        .bind(record.patient_id)
        .bind(record.appointment_id)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use audit_in;

/// Hashes a staff password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, Error> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|error| Error::Internal(format!("random: {error}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|error| Error::Internal(format!("salt: {error}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| Error::Internal(format!("argon2: {error}")))
}

/// Whether `password` matches a stored PHC string.
pub(super) fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
}

/// A PHC string no password matches, verified against when the login is
/// unknown so that an unknown login costs the same time as a wrong password.
const NO_ACCOUNT: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0000000000000000000000000000000000000000000";

impl Store {
    /// The active staff member whose login and password these are.
    pub async fn staff_by_password(&self, login: &str, password: &str) -> Result<Option<i64>, Error> {
        let row: Option<(i64, Option<String>)> = on_read!(self, |pool, dialect| {
            sqlx::query_as("SELECT id, password_hash FROM staff WHERE login = $1 AND active")
                .bind(login.trim())
                .fetch_optional(pool)
                .await?
        });
        let (id, stored) = match row {
            Some((id, Some(stored))) => (Some(id), stored),
            _ => (None, NO_ACCOUNT.to_owned()),
        };
        let password = password.to_owned();
        // Hashing takes tens of milliseconds of CPU: off the async threads.
        let matches = tokio::task::spawn_blocking(move || password_matches(&password, &stored))
            .await
            .map_err(|error| Error::Internal(format!("password check: {error}")))?;
        Ok(id.filter(|_| matches))
    }

    /// Stores a staff sign-in; only its hash is kept.
    pub async fn issue_staff_token(&self, staff_id: i64, token: &str, expires_at: i64) -> Result<(), Error> {
        let hash = token_hash(token);
        on_write!(self, |pool, dialect| {
            sqlx::query("INSERT INTO staff_token (token_hash, staff_id, expires_at) VALUES ($1, $2, $3)")
                .bind(&hash)
                .bind(staff_id)
                .bind(expires_at)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// Ends a staff sign-in.
    pub async fn revoke_staff_token(&self, token: &str) -> Result<bool, Error> {
        let hash = token_hash(token);
        on_write!(self, |pool, dialect| {
            Ok(sqlx::query("DELETE FROM staff_token WHERE token_hash = $1").bind(&hash).execute(pool).await?.rows_affected() > 0)
        })
    }

    /// The staff member a sign-in belongs to, with their grants as they are
    /// now: a role taken away or an account closed counts at once.
    pub async fn staff_for_token(&self, token: &str, now: i64) -> Result<Option<StaffMember>, Error> {
        let hash = token_hash(token);
        let rows: Vec<(i64, String, String, String, String, i64, i64)> = on_read!(self, |pool, dialect| {
            sqlx::query_as(
                "SELECT s.id, s.last_name, s.first_name, s.middle_name, r.role, c.id, c.organization_id \
                 FROM staff_token t JOIN staff s ON s.id = t.staff_id AND s.active \
                 JOIN staff_role r ON r.staff_id = s.id \
                 JOIN clinic c ON c.id = r.clinic_id OR c.organization_id = r.organization_id \
                 WHERE t.token_hash = $1 AND t.expires_at > $2 ORDER BY c.id",
            )
            .bind(&hash)
            .bind(now)
            .fetch_all(pool)
            .await?
        });
        staff_from_rows(rows)
    }

    /// Creates staff accounts with their one role each; answers their ids.
    pub async fn create_staff(&self, accounts: &[NewStaff]) -> Result<Vec<i64>, Error> {
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            let mut ids = Vec::with_capacity(accounts.len());
            for account in accounts {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO staff (login, password_hash, last_name, first_name, middle_name, active, esia_oid) \
                     VALUES ($1, $2, $3, $4, $5, TRUE, $6) RETURNING id",
                )
                .bind(&account.login)
                .bind(&account.password_hash)
                .bind(&account.last_name)
                .bind(&account.first_name)
                .bind(&account.middle_name)
                .bind(&account.esia_oid)
                .fetch_one(&mut *tx)
                .await?;
                let (clinic, organization) = match account.role {
                    Role::Registrar => (Some(account.place), None),
                    Role::Admin => (None, Some(account.place)),
                };
                sqlx::query("INSERT INTO staff_role (staff_id, role, clinic_id, organization_id) VALUES ($1, $2, $3, $4)")
                    .bind(id)
                    .bind(account.role.as_str())
                    .bind(clinic)
                    .bind(organization)
                    .execute(&mut *tx)
                    .await?;
                ids.push(id);
            }
            tx.commit().await?;
            Ok(ids)
        })
    }

    /// The active staff member whose ESIA identity is `oid`.
    pub async fn staff_by_esia_oid(&self, oid: &str) -> Result<Option<i64>, Error> {
        on_read!(self, |pool, dialect| {
            Ok(sqlx::query_scalar("SELECT id FROM staff WHERE esia_oid = $1 AND active").bind(oid).fetch_optional(pool).await?)
        })
    }

    /// Saves a staff member's single-use authorisation code (as its digest).
    pub async fn save_staff_code(&self, code: &str, staff_id: i64, redirect_uri: &str, code_challenge: &str, expires_at: i64) -> Result<(), Error> {
        let hash = token_hash(code);
        on_write!(self, |pool, dialect| {
            sqlx::query(
                "INSERT INTO staff_code (code_hash, staff_id, redirect_uri, code_challenge, expires_at, used) VALUES ($1, $2, $3, $4, $5, FALSE)",
            )
            .bind(&hash)
            .bind(staff_id)
            .bind(redirect_uri)
            .bind(code_challenge)
            .bind(expires_at)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Marks a staff code used and returns `(staff_id, redirect_uri,
    /// code_challenge, expires_at)`; a code presented again is `Err(())`,
    /// an unknown one `Ok(None)`.
    pub async fn redeem_staff_code(&self, code: &str) -> Result<Result<Option<(i64, String, String, i64)>, ()>, Error> {
        let hash = token_hash(code);
        on_write!(self, |pool, dialect| {
            // The update is the claim: of two redemptions at once, one finds the code unused.
            let row: Option<(i64, String, String, i64)> = sqlx::query_as(
                "UPDATE staff_code SET used = TRUE WHERE code_hash = $1 AND NOT used \
                 RETURNING staff_id, redirect_uri, code_challenge, expires_at",
            )
            .bind(&hash)
            .fetch_optional(pool)
            .await?;
            if let Some(row) = row {
                return Ok(Ok(Some(row)));
            }
            let known: Option<i64> = sqlx::query_scalar("SELECT staff_id FROM staff_code WHERE code_hash = $1").bind(&hash).fetch_optional(pool).await?;
            Ok(if known.is_some() { Err(()) } else { Ok(None) })
        })
    }

    /// Every staff login with its role and place, for `demo-staff`.
    pub async fn staff_logins(&self) -> Result<Vec<(String, String, Option<i64>, Option<i64>)>, Error> {
        on_read!(self, |pool, dialect| {
            Ok(sqlx::query_as(
                "SELECT s.login, r.role, r.clinic_id, r.organization_id FROM staff s JOIN staff_role r ON r.staff_id = s.id \
                 WHERE s.active ORDER BY r.role DESC, COALESCE(r.organization_id, 0), COALESCE(r.clinic_id, 0), s.login",
            )
            .fetch_all(pool)
            .await?)
        })
    }

    /// The audit of `organization` (`None`: of every organisation) since
    /// `since` (Unix seconds), oldest first, at most `limit` lines.
    pub async fn audit(&self, organization: Option<i64>, since: i64, limit: i64) -> Result<Vec<AuditEntry>, Error> {
        on_read!(self, |pool, dialect| {
            Ok(sqlx::query_as(
                "SELECT a.id, a.at, a.staff_id, s.login AS staff_login, a.role, a.clinic_id, a.organization_id, a.action, \
                 a.patient_id, a.appointment_id FROM audit a JOIN staff s ON s.id = a.staff_id \
                 WHERE a.at >= $1 AND ($2 IS NULL OR a.organization_id = $2) ORDER BY a.at, a.id LIMIT $3",
            )
            .bind(since)
            .bind(organization)
            .bind(limit)
            .fetch_all(pool)
            .await?)
        })
    }

    /// Writes one audit record in a transaction of its own: for actions
    /// that change nothing else (a search, opening a patient's card).
    pub async fn record(&self, record: AuditRecord) -> Result<(), Error> {
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            audit_in!(tx, record);
            tx.commit().await?;
            Ok(())
        })
    }
}

fn staff_from_rows(rows: Vec<(i64, String, String, String, String, i64, i64)>) -> Result<Option<StaffMember>, Error> {
    let Some((id, last_name, first_name, middle_name, ..)) = rows.first().cloned() else {
        return Ok(None);
    };
    let grants = rows
        .into_iter()
        .map(|(_, _, _, _, role, clinic_id, organization_id)| {
            let role = Role::from_db(&role).ok_or_else(|| Error::Internal(format!("staff {id} has role {role:?}")))?;
            Ok(Grant { role, clinic_id, organization_id })
        })
        .collect::<Result<_, Error>>()?;
    Ok(Some(StaffMember { id, last_name, first_name, middle_name, grants }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_match_only_their_hash_and_no_password_matches_no_account() {
        let stored = hash_password("desk-test-2026").expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(password_matches("desk-test-2026", &stored));
        assert!(!password_matches("desk-test-2027", &stored));
        // The stand-in for an unknown login must parse, or checking it would
        // answer at once and tell unknown logins from wrong passwords.
        assert!(PasswordHash::new(NO_ACCOUNT).is_ok());
        assert!(!password_matches("desk-test-2026", NO_ACCOUNT));
    }
}
