//! Patients, their phones, their access tokens, and the consent text.

use chrono::NaiveDate;
use registratura_contract::api::{Consent, Profile};
use registratura_contract::identity::{Phone, PolicyNumber, Snils};
use sha2::{Digest, Sha256};

use super::{on_read, on_write, Store};
use crate::Error;

/// How many phones a profile keeps; more is a mistake or abuse.
pub const MAX_PHONES: i64 = 5;

impl Store {
    /// The patient an access token belongs to, if it is known and unexpired.
    pub async fn patient_for_token(&self, token: &str, now: i64) -> Result<Option<i64>, Error> {
        let hash = token_hash(token);
        on_read!(self, |pool, dialect| {
            Ok(sqlx::query_scalar(
                "SELECT patient_id FROM access_token WHERE token_hash = $1 AND expires_at > $2",
            )
            .bind(&hash)
            .bind(now)
            .fetch_optional(pool)
            .await?)
        })
    }

    /// Stores a new access token for a patient; only its hash is kept.
    pub async fn issue_token(&self, patient_id: i64, token: &str, expires_at: i64) -> Result<(), Error> {
        let hash = token_hash(token);
        on_write!(self, |pool, dialect| {
            sqlx::query("INSERT INTO access_token (token_hash, patient_id, expires_at) VALUES ($1, $2, $3)")
                .bind(&hash)
                .bind(patient_id)
                .bind(expires_at)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// The id of generated demo patient number `number`.
    pub async fn demo_patient(&self, number: i64) -> Result<Option<i64>, Error> {
        on_read!(self, |pool, dialect| {
            Ok(sqlx::query_scalar("SELECT id FROM patient WHERE demo_number = $1")
                .bind(number)
                .fetch_optional(pool)
                .await?)
        })
    }

    /// The patient's profile with their saved phones.
    pub async fn profile(&self, patient_id: i64) -> Result<Option<Profile>, Error> {
        on_read!(self, |pool, dialect| {
            let row: Option<(String, String, String, String, String, String, bool)> = sqlx::query_as(
                "SELECT last_name, first_name, middle_name, birth_date, policy, snils, confirmed \
                 FROM patient WHERE id = $1",
            )
            .bind(patient_id)
            .fetch_optional(pool)
            .await?;
            let Some((last_name, first_name, middle_name, birth_date, policy, snils, confirmed)) = row else {
                return Ok(None);
            };
            let phones: Vec<String> = sqlx::query_scalar(
                "SELECT phone FROM patient_phone WHERE patient_id = $1 ORDER BY added_at, phone",
            )
            .bind(patient_id)
            .fetch_all(pool)
            .await?;
            Ok(Some(Profile {
                last_name,
                first_name,
                middle_name,
                birth_date: NaiveDate::parse_from_str(&birth_date, "%Y-%m-%d")
                    .map_err(|error| Error::Internal(format!("patient {patient_id} birth date: {error}")))?,
                policy: PolicyNumber::parse(&policy)?,
                snils: Snils::parse(&snils)?,
                phones: phones.iter().map(|phone| Phone::parse(phone)).collect::<Result<_, _>>()?,
                confirmed,
            }))
        })
    }

    /// Saves a phone to the patient's profile; saving one already there is
    /// harmless. Refuses more than [`MAX_PHONES`].
    pub async fn add_phone(&self, patient_id: i64, phone: &Phone, now: i64) -> Result<(), Error> {
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM patient_phone WHERE patient_id = $1")
                .bind(patient_id)
                .fetch_one(&mut *tx)
                .await?;
            let accepted = if count < MAX_PHONES {
                sqlx::query(
                    "INSERT INTO patient_phone (patient_id, phone, added_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (patient_id, phone) DO NOTHING",
                )
                .bind(patient_id)
                .bind(phone.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await?;
                true
            } else {
                let known: Option<String> = sqlx::query_scalar(
                    "SELECT phone FROM patient_phone WHERE patient_id = $1 AND phone = $2",
                )
                .bind(patient_id)
                .bind(phone.as_str())
                .fetch_optional(&mut *tx)
                .await?;
                known.is_some()
            };
            tx.commit().await?;
            if accepted {
                Ok(())
            } else {
                Err(Error::Unacceptable(format!(
                    "можно сохранить не больше {MAX_PHONES} телефонов"
                )))
            }
        })
    }

    /// The consent text in force.
    pub async fn current_consent(&self) -> Result<Option<Consent>, Error> {
        on_read!(self, |pool, dialect| {
            let row: Option<(String, String, String)> = sqlx::query_as(
                "SELECT version, title, text FROM consent ORDER BY published_at DESC, version DESC LIMIT 1",
            )
            .fetch_optional(pool)
            .await?;
            Ok(row.map(|(version, title, text)| Consent { version, title, text }))
        })
    }
}

/// The stored form of a token: its SHA-256, hex-encoded.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A new random access token: 32 bytes from the OS, hex-encoded.
pub fn new_token() -> Result<String, Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| Error::Internal(format!("random: {error}")))?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// A patient as an identity provider describes them.
#[derive(Debug, Clone)]
pub struct NewPatient {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub birth_date: NaiveDate,
    pub policy: PolicyNumber,
    pub snils: Snils,
    pub confirmed: bool,
}

impl Store {
    /// Finds the patient with this СНИЛС, or else this policy (a patient
    /// registered at the desk, perhaps without a СНИЛС), or creates them;
    /// returns the id. Names, numbers and the confirmation flag are
    /// refreshed from `patient`, as the identity provider is the source of
    /// truth for them; a policy another patient holds is left as it was.
    pub async fn upsert_patient(&self, patient: &NewPatient) -> Result<i64, Error> {
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            let known: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM patient WHERE snils = $1 UNION ALL SELECT id FROM patient WHERE policy = $2 LIMIT 1",
            )
            .bind(patient.snils.digits())
            .bind(patient.policy.digits())
            .fetch_optional(&mut *tx)
            .await?;
            let (sql, known) = match known {
                Some(id) => (
                    "UPDATE patient SET last_name = $2, first_name = $3, middle_name = $4, birth_date = $5, \
                     policy = CASE WHEN EXISTS (SELECT 1 FROM patient other WHERE other.policy = $6 AND other.id <> $1) \
                                   THEN policy ELSE $6 END, \
                     snils = $7, confirmed = $8 WHERE id = $1 RETURNING id",
                    id,
                ),
                // `$1` is unused here, so that both statements take the same binds.
                None => (
                    "INSERT INTO patient (last_name, first_name, middle_name, birth_date, policy, snils, confirmed) \
                     SELECT $2, $3, $4, $5, $6, $7, $8 WHERE $1 = 0 RETURNING id",
                    0,
                ),
            };
            let id: i64 = sqlx::query_scalar(sql)
                .bind(known)
                .bind(&patient.last_name)
                .bind(&patient.first_name)
                .bind(&patient.middle_name)
                .bind(patient.birth_date.to_string())
                .bind(patient.policy.digits())
                .bind(patient.snils.digits())
                .bind(patient.confirmed)
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(id)
        })
    }
}
