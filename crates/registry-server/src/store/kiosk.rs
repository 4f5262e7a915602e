//! Lobby kiosks: the registered devices, the identification of a patient by
//! policy and birth date with its lockout and rate limit, the visits that
//! follow, the check-in, and the kiosks' audit.

use chrono::NaiveDate;
use registratura_contract::api::kiosk::{initials, KioskListed};
use registratura_contract::calendar::clinic_date;
use registratura_contract::identity::PolicyNumber;
use registratura_contract::region::KALUGA;
use sha2::{Digest, Sha256};

use super::patients::{new_token, token_hash};
use super::staff::hash_password;
use super::{on_read, on_write, Store};
use crate::Error;

/// Wrong birth dates for one policy number before it is locked.
pub const POLICY_FAILURES: i64 = 5;
/// How long a locked policy stays locked, and how far back its failures count.
pub const POLICY_LOCK_SECONDS: i64 = 15 * 60;
/// Failed identifications at one device before it is slowed down.
pub const DEVICE_FAILURES: i64 = 20;
/// How far back a device's failures count.
pub const DEVICE_WINDOW_SECONDS: i64 = 10 * 60;
/// How long a patient identified at a kiosk stays identified unless the
/// visit ends first: long enough for the slowest booking, short enough that
/// a forgotten visit does not outlive the patient's walk to the doctor.
pub const VISIT_SECONDS: i64 = 15 * 60;

/// A registered kiosk that has not been revoked, as every kiosk route sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kiosk {
    pub id: i64,
    pub name: String,
    pub clinic_id: i64,
    pub organization_id: i64,
    /// The clinics of the kiosk's organisation: where it may book.
    pub clinics: Vec<i64>,
}

/// How an identification went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identification {
    /// The visit's token (shown to the kiosk once, stored as its digest).
    Identified { patient_id: i64, token: String, initials: String },
    /// No such policy, or another birth date: the same answer for both.
    NotIdentified,
    /// Too many wrong birth dates for this policy: tried again in `retry_after` seconds.
    PolicyLocked { retry_after: i64 },
    /// Too many failures at this device.
    DeviceThrottled { retry_after: i64 },
}

impl Identification {
    /// The outcome as the audit writes it.
    fn outcome(&self) -> &'static str {
        match self {
            Identification::Identified { .. } => "identified",
            Identification::NotIdentified => "not_identified",
            Identification::PolicyLocked { .. } => "policy_locked",
            Identification::DeviceThrottled { .. } => "device_throttled",
        }
    }
}

/// What a kiosk did, for its audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KioskAction {
    Identify,
    Book,
    Cancel,
    CheckIn,
    /// The admin PIN typed to open the kiosk's settings.
    Settings,
}

impl KioskAction {
    pub fn as_str(self) -> &'static str {
        match self {
            KioskAction::Identify => "identify",
            KioskAction::Book => "book",
            KioskAction::Cancel => "cancel",
            KioskAction::CheckIn => "check_in",
            KioskAction::Settings => "settings",
        }
    }
}

/// One line of a kiosk's audit: ids only, never what was typed.
#[derive(Debug, Clone, Copy)]
pub struct KioskAuditRecord {
    pub at: i64,
    pub device_id: i64,
    pub action: KioskAction,
    pub outcome: &'static str,
    pub patient_id: Option<i64>,
    pub appointment_id: Option<i64>,
}

/// Writes `$record` into the kiosks' audit inside the transaction `$tx`.
macro_rules! kiosk_audit_in {
    ($tx:expr, $record:expr) => {{
        let record: &$crate::store::kiosk::KioskAuditRecord = &$record;
        sqlx::query(
            "INSERT INTO kiosk_audit (at, device_id, action, outcome, patient_id, appointment_id) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(record.at)
        .bind(record.device_id)
        .bind(record.action.as_str())
        .bind(record.outcome)
        .bind(record.patient_id)
        .bind(record.appointment_id)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use kiosk_audit_in;

/// One line of the kiosks' audit as the command line prints it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct KioskAuditEntry {
    pub at: i64,
    pub device_id: i64,
    pub action: String,
    pub outcome: String,
    pub patient_id: Option<i64>,
    pub appointment_id: Option<i64>,
}

/// A check-in done: the doctor's room and the patient's place in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    pub room: String,
    pub queue_place: i64,
}

/// What a check-in reads of the appointment and its doctor.
#[derive(Debug, sqlx::FromRow)]
struct CheckInRow {
    status: String,
    starts_at: i64,
    ends_at: i64,
    clinic_id: i64,
    arrived_at: Option<i64>,
    doctor_id: i64,
    room: String,
}

/// The digest under which a typed policy number's failures are counted. It
/// is taken of the number whether or not a patient has it, so that the
/// lockout treats unknown and known numbers alike.
fn policy_key(policy: &PolicyNumber) -> String {
    Sha256::digest(format!("kiosk-identify:{}", policy.digits()).as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Seconds until the `limit`-th newest of `failures` (oldest first, Unix
/// seconds) leaves a window of `window` seconds, or `None` when fewer than
/// `limit` are in it.
fn locked_for(failures: &[i64], limit: i64, window: i64, now: i64) -> Option<i64> {
    let limit = usize::try_from(limit).ok()?;
    let recent: Vec<i64> = failures.iter().copied().filter(|at| *at > now - window).collect();
    let oldest_that_counts = recent.len().checked_sub(limit).map(|index| recent[index])?;
    Some((oldest_that_counts + window - now).max(1))
}

/// Six random digits, for a kiosk whose admin gave no PIN.
pub fn random_pin() -> Result<String, Error> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|error| Error::Internal(format!("random: {error}")))?;
    Ok(format!("{:06}", u64::from_le_bytes(bytes) % 1_000_000))
}

impl Store {
    /// Registers a kiosk at `clinic_id`; answers its id and its credential,
    /// which is stored only as a digest and so can be shown this once.
    pub async fn register_kiosk(&self, clinic_id: i64, name: &str, pin: &str, registered_by: Option<i64>, now: i64) -> Result<(i64, String), Error> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(Error::InvalidInput("название терминала: от 1 до 100 символов".to_owned()));
        }
        if !(4..=12).contains(&pin.len()) || !pin.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(Error::InvalidInput("PIN администратора: от 4 до 12 цифр".to_owned()));
        }
        let credential = format!("kiosk-{}", new_token()?);
        let credential_hash = token_hash(&credential);
        let pin = pin.to_owned();
        let pin_hash = tokio::task::spawn_blocking(move || hash_password(&pin))
            .await
            .map_err(|error| Error::Internal(format!("pin hash: {error}")))??;
        let id = on_write!(self, |pool, dialect| {
            let known: Option<i64> = sqlx::query_scalar("SELECT id FROM clinic WHERE id = $1").bind(clinic_id).fetch_optional(pool).await?;
            if known.is_none() {
                return Err(Error::NotFound("поликлиника"));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO kiosk_device (clinic_id, name, credential_hash, pin_hash, registered_at, registered_by) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(clinic_id)
            .bind(name)
            .bind(&credential_hash)
            .bind(&pin_hash)
            .bind(now)
            .bind(registered_by)
            .fetch_one(pool)
            .await?;
            Ok::<i64, Error>(id)
        })?;
        Ok((id, credential))
    }

    /// The working kiosk whose credential this is; a revoked one is none.
    pub async fn kiosk_for_credential(&self, credential: &str) -> Result<Option<Kiosk>, Error> {
        let hash = token_hash(credential);
        let rows: Vec<(i64, String, i64, i64, i64)> = on_read!(self, |pool, dialect| {
            sqlx::query_as(
                "SELECT k.id, k.name, k.clinic_id, c.organization_id, sibling.id FROM kiosk_device k \
                 JOIN clinic c ON c.id = k.clinic_id JOIN clinic sibling ON sibling.organization_id = c.organization_id \
                 WHERE k.credential_hash = $1 AND k.revoked_at IS NULL ORDER BY sibling.id",
            )
            .bind(&hash)
            .fetch_all(pool)
            .await?
        });
        let Some((id, name, clinic_id, organization_id, _)) = rows.first().cloned() else {
            return Ok(None);
        };
        Ok(Some(Kiosk { id, name, clinic_id, organization_id, clinics: rows.into_iter().map(|row| row.4).collect() }))
    }

    /// Revokes kiosk `device_id` if it belongs to one of `organizations`
    /// (`None`: any, for the command line). Answers whether one was revoked.
    pub async fn revoke_kiosk(&self, device_id: i64, organizations: Option<&[i64]>, now: i64) -> Result<bool, Error> {
        let organizations = organizations.map(<[i64]>::to_vec);
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            let clinic: Option<(i64,)> = sqlx::query_as(
                "SELECT c.organization_id FROM kiosk_device k JOIN clinic c ON c.id = k.clinic_id WHERE k.id = $1",
            )
            .bind(device_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((organization_id,)) = clinic else {
                return Ok(false);
            };
            if organizations.as_ref().is_some_and(|organizations| !organizations.contains(&organization_id)) {
                return Ok(false);
            }
            sqlx::query("UPDATE kiosk_device SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
                .bind(device_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            // A patient identified there is forgotten with the device.
            sqlx::query("DELETE FROM kiosk_visit WHERE device_id = $1").bind(device_id).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// The kiosks of `organizations`, by id.
    pub async fn kiosks(&self, organizations: &[i64]) -> Result<Vec<KioskListed>, Error> {
        // A region has a few kiosks a clinic: one query for all, filtered
        // here, rather than one per organisation.
        let rows: Vec<(i64, i64, String, i64, Option<i64>, i64)> = on_read!(self, |pool, dialect| {
            sqlx::query_as(
                "SELECT k.id, k.clinic_id, k.name, k.registered_at, k.revoked_at, c.organization_id FROM kiosk_device k \
                 JOIN clinic c ON c.id = k.clinic_id ORDER BY k.id",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .filter(|row| organizations.contains(&row.5))
            .map(|(device_id, clinic_id, name, registered_at, revoked_at, _)| KioskListed { device_id, clinic_id, name, registered_at, revoked_at })
            .collect())
    }

    /// Whether `pin` is the kiosk's admin PIN. A wrong PIN counts as a
    /// failure of the device, so guessing it runs into the rate limit.
    pub async fn kiosk_pin(&self, kiosk: &Kiosk, pin: &str, now: i64) -> Result<Result<bool, i64>, Error> {
        let device_id = kiosk.id;
        let stored: String = on_read!(self, |pool, dialect| {
            sqlx::query_scalar("SELECT pin_hash FROM kiosk_device WHERE id = $1").bind(device_id).fetch_one(pool).await?
        });
        let failures = self.device_failures(device_id, now).await?;
        if let Some(retry_after) = locked_for(&failures, DEVICE_FAILURES, DEVICE_WINDOW_SECONDS, now) {
            return Ok(Err(retry_after));
        }
        let typed = pin.to_owned();
        let matches = tokio::task::spawn_blocking(move || super::staff::password_matches(&typed, &stored))
            .await
            .map_err(|error| Error::Internal(format!("pin check: {error}")))?;
        let outcome = if matches { "opened" } else { "wrong_pin" };
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            if !matches {
                sqlx::query("INSERT INTO kiosk_failure (device_id, policy_key, at) VALUES ($1, 'pin', $2)")
                    .bind(device_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            kiosk_audit_in!(tx, KioskAuditRecord { at: now, device_id, action: KioskAction::Settings, outcome, patient_id: None, appointment_id: None });
            tx.commit().await?;
            Ok::<(), Error>(())
        })?;
        Ok(Ok(matches))
    }

    async fn device_failures(&self, device_id: i64, now: i64) -> Result<Vec<i64>, Error> {
        on_read!(self, |pool, dialect| {
            Ok(sqlx::query_scalar("SELECT at FROM kiosk_failure WHERE device_id = $1 AND at > $2 ORDER BY at")
                .bind(device_id)
                .bind(now - DEVICE_WINDOW_SECONDS)
                .fetch_all(pool)
                .await?)
        })
    }

    /// Identifies a patient at `kiosk` by policy and birth date, in one
    /// transaction that also counts the failure and writes the audit. The
    /// device's own row is updated first, which on PostgreSQL makes two
    /// identifications at one device wait for each other, so neither can
    /// slip past the other's failure.
    pub async fn identify_at_kiosk(&self, kiosk: &Kiosk, policy: &PolicyNumber, birth_date: NaiveDate, now: i64) -> Result<Identification, Error> {
        let device_id = kiosk.id;
        let key = policy_key(policy);
        let token = new_token()?;
        let visit_hash = token_hash(&token);
        let identification = on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE kiosk_device SET id = id WHERE id = $1").bind(device_id).execute(&mut *tx).await?;
            // Failures older than any window are of no more use: they go.
            sqlx::query("DELETE FROM kiosk_failure WHERE at <= $1").bind(now - POLICY_LOCK_SECONDS.max(DEVICE_WINDOW_SECONDS)).execute(&mut *tx).await?;
            let device: Vec<i64> = sqlx::query_scalar("SELECT at FROM kiosk_failure WHERE device_id = $1 ORDER BY at")
                .bind(device_id)
                .fetch_all(&mut *tx)
                .await?;
            let by_policy: Vec<i64> = sqlx::query_scalar("SELECT at FROM kiosk_failure WHERE policy_key = $1 ORDER BY at")
                .bind(&key)
                .fetch_all(&mut *tx)
                .await?;
            let identification = if let Some(retry_after) = locked_for(&device, DEVICE_FAILURES, DEVICE_WINDOW_SECONDS, now) {
                Identification::DeviceThrottled { retry_after }
            } else if let Some(retry_after) = locked_for(&by_policy, POLICY_FAILURES, POLICY_LOCK_SECONDS, now) {
                Identification::PolicyLocked { retry_after }
            } else {
                let patient: Option<(i64, String, String, String, String)> = sqlx::query_as(
                    "SELECT id, birth_date, last_name, first_name, middle_name FROM patient WHERE policy = $1",
                )
                .bind(policy.digits())
                .fetch_optional(&mut *tx)
                .await?;
                match patient {
                    Some((patient_id, born, last, first, middle)) if born == birth_date.format("%Y-%m-%d").to_string() => {
                        sqlx::query("DELETE FROM kiosk_failure WHERE policy_key = $1").bind(&key).execute(&mut *tx).await?;
                        sqlx::query("INSERT INTO kiosk_visit (token_hash, device_id, patient_id, expires_at) VALUES ($1, $2, $3, $4)")
                            .bind(&visit_hash)
                            .bind(device_id)
                            .bind(patient_id)
                            .bind(now + VISIT_SECONDS)
                            .execute(&mut *tx)
                            .await?;
                        Identification::Identified { patient_id, token: token.clone(), initials: initials(&last, &first, &middle) }
                    }
                    _ => {
                        sqlx::query("INSERT INTO kiosk_failure (device_id, policy_key, at) VALUES ($1, $2, $3)")
                            .bind(device_id)
                            .bind(&key)
                            .bind(now)
                            .execute(&mut *tx)
                            .await?;
                        Identification::NotIdentified
                    }
                }
            };
            let patient_id = match &identification {
                Identification::Identified { patient_id, .. } => Some(*patient_id),
                _ => None,
            };
            kiosk_audit_in!(
                tx,
                KioskAuditRecord { at: now, device_id, action: KioskAction::Identify, outcome: identification.outcome(), patient_id, appointment_id: None }
            );
            tx.commit().await?;
            Ok::<Identification, Error>(identification)
        })?;
        Ok(identification)
    }

    /// The patient of a visit token, if it is the visit of this very device
    /// and has not expired or ended.
    pub async fn kiosk_visit(&self, kiosk: &Kiosk, token: &str, now: i64) -> Result<Option<i64>, Error> {
        let hash = token_hash(token);
        let device_id = kiosk.id;
        on_read!(self, |pool, dialect| {
            Ok(sqlx::query_scalar("SELECT patient_id FROM kiosk_visit WHERE token_hash = $1 AND device_id = $2 AND expires_at > $3")
                .bind(&hash)
                .bind(device_id)
                .bind(now)
                .fetch_optional(pool)
                .await?)
        })
    }

    /// Ends a visit: its token opens nothing any more. Expired visits of any
    /// kiosk are cleared on the way.
    pub async fn end_kiosk_visit(&self, kiosk: &Kiosk, token: &str, now: i64) -> Result<(), Error> {
        let hash = token_hash(token);
        let device_id = kiosk.id;
        on_write!(self, |pool, dialect| {
            sqlx::query("DELETE FROM kiosk_visit WHERE (token_hash = $1 AND device_id = $2) OR expires_at <= $3")
                .bind(&hash)
                .bind(device_id)
                .bind(now)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// Writes one line of a kiosk's audit in a transaction of its own.
    pub async fn record_kiosk(&self, record: KioskAuditRecord) -> Result<(), Error> {
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            kiosk_audit_in!(tx, record);
            tx.commit().await?;
            Ok(())
        })
    }

    /// «Я пришёл»: marks the patient's appointment of today at the kiosk's
    /// clinic as arrived and answers the doctor's room and the patient's
    /// place among those who have arrived and wait. Checking in again
    /// answers the place again.
    pub async fn kiosk_check_in(&self, kiosk: &Kiosk, patient_id: i64, appointment_id: i64, now: i64) -> Result<CheckIn, Error> {
        let (device_id, clinic_id) = (kiosk.id, kiosk.clinic_id);
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            let row: Option<CheckInRow> = sqlx::query_as(
                "SELECT a.status, a.starts_at, a.ends_at, a.clinic_id, a.arrived_at, sl.doctor_id, d.room FROM appointment a \
                 JOIN slot sl ON sl.id = a.slot_id JOIN doctor d ON d.id = sl.doctor_id WHERE a.id = $1 AND a.patient_id = $2",
            )
            .bind(appointment_id)
            .bind(patient_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(CheckInRow { status, starts_at, ends_at, clinic_id: appointment_clinic, arrived_at, doctor_id, room }) = row else {
                return Err(Error::NotFound("запись"));
            };
            if status != "booked" {
                return Err(Error::NotActive);
            }
            if appointment_clinic != clinic_id {
                return Err(Error::CheckInElsewhere);
            }
            let zone = KALUGA.time_zone;
            let day = |at: i64| clinic_date(chrono::DateTime::from_timestamp(at, 0).unwrap_or_default(), zone);
            if day(starts_at) != day(now) {
                return Err(Error::NotToday);
            }
            if ends_at <= now {
                return Err(Error::CheckInClosed);
            }
            if arrived_at.is_none() {
                sqlx::query("UPDATE appointment SET arrived_at = $2 WHERE id = $1").bind(appointment_id).bind(now).execute(&mut *tx).await?;
                sqlx::query("INSERT INTO appointment_event (appointment_id, at, event, from_slot_id, to_slot_id, staff_id) VALUES ($1, $2, 'check_in', NULL, NULL, NULL)")
                    .bind(appointment_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            // Those who have come to this doctor today and not yet been
            // seen, in the order of their appointments.
            let (day_start, _) = registratura_contract::calendar::clinic_day_bounds(day(now), zone);
            let ahead: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM appointment a JOIN slot sl ON sl.id = a.slot_id \
                 WHERE sl.doctor_id = $1 AND a.status = 'booked' AND a.arrived_at IS NOT NULL \
                 AND a.starts_at >= $2 AND (a.starts_at < $3 OR (a.starts_at = $3 AND a.id < $4))",
            )
            .bind(doctor_id)
            .bind(day_start)
            .bind(starts_at)
            .bind(appointment_id)
            .fetch_one(&mut *tx)
            .await?;
            kiosk_audit_in!(
                tx,
                KioskAuditRecord { at: now, device_id, action: KioskAction::CheckIn, outcome: "checked_in", patient_id: Some(patient_id), appointment_id: Some(appointment_id) }
            );
            tx.commit().await?;
            Ok(CheckIn { room, queue_place: ahead + 1 })
        })
    }

    /// Cancels the patient's appointment at a kiosk: the patient's own
    /// cancel, with the kiosk's audit.
    pub async fn kiosk_cancel(&self, kiosk: &Kiosk, patient_id: i64, appointment_id: i64, now: i64) -> Result<(), Error> {
        self.cancel(patient_id, appointment_id, now).await?;
        self.record_kiosk(KioskAuditRecord {
            at: now,
            device_id: kiosk.id,
            action: KioskAction::Cancel,
            outcome: "cancelled",
            patient_id: Some(patient_id),
            appointment_id: Some(appointment_id),
        })
        .await
    }

    /// Keeps a desk's slot for the clinic's kiosks too (`kiosk`), or for the
    /// desk alone again. Only a slot kept from online booking can be.
    pub async fn set_kiosk_slot(&self, slot_id: i64, kiosk: bool, clinics: &[i64]) -> Result<(), Error> {
        let clinics = clinics.to_vec();
        on_write!(self, |pool, dialect| {
            let slot: Option<(String, i64)> =
                sqlx::query_as("SELECT sl.status, d.clinic_id FROM slot sl JOIN doctor d ON d.id = sl.doctor_id WHERE sl.id = $1")
                    .bind(slot_id)
                    .fetch_optional(pool)
                    .await?;
            match slot {
                Some((_, clinic_id)) if !clinics.contains(&clinic_id) => return Err(Error::NotFound("время приёма")),
                None => return Err(Error::NotFound("время приёма")),
                Some((status, _)) if kiosk && status != "unavailable" => return Err(Error::NotReserved),
                Some(_) => {}
            }
            if kiosk {
                sqlx::query("INSERT INTO kiosk_slot (slot_id) VALUES ($1) ON CONFLICT (slot_id) DO NOTHING").bind(slot_id).execute(pool).await?;
            } else {
                sqlx::query("DELETE FROM kiosk_slot WHERE slot_id = $1").bind(slot_id).execute(pool).await?;
            }
            Ok(())
        })
    }
}

impl Store {
    /// The kiosks' audit since `since` (Unix seconds), oldest first:
    /// time, device, action, outcome, patient and appointment ids.
    pub async fn kiosk_audit(&self, since: i64) -> Result<Vec<KioskAuditEntry>, Error> {
        on_read!(self, |pool, dialect| {
            Ok(sqlx::query_as(
                "SELECT at, device_id, action, outcome, patient_id, appointment_id FROM kiosk_audit WHERE at >= $1 ORDER BY at, id",
            )
            .bind(since)
            .fetch_all(pool)
            .await?)
        })
    }

    /// Of a doctor's slots starting in `[from, to)`, those kept for kiosks.
    pub async fn kiosk_kept_slots(&self, doctor_id: i64, from: i64, to: i64) -> Result<Vec<i64>, Error> {
        on_read!(self, |pool, dialect| {
            Ok(sqlx::query_scalar(
                "SELECT sl.id FROM kiosk_slot k JOIN slot sl ON sl.id = k.slot_id \
                 WHERE sl.doctor_id = $1 AND sl.starts_at >= $2 AND sl.starts_at < $3",
            )
            .bind(doctor_id)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?)
        })
    }

    /// The clinic of a doctor, or `None` when there is no such doctor.
    pub async fn doctor_clinic(&self, doctor_id: i64) -> Result<Option<i64>, Error> {
        on_read!(self, |pool, dialect| {
            Ok(sqlx::query_scalar("SELECT clinic_id FROM doctor WHERE id = $1").bind(doctor_id).fetch_optional(pool).await?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_starts_at_the_limit_and_ends_when_the_oldest_counted_failure_leaves_the_window() {
        let failures = [100, 200, 300, 400];
        assert_eq!(locked_for(&failures, 5, 900, 500), None);
        let failures = [100, 200, 300, 400, 500];
        assert_eq!(locked_for(&failures, 5, 900, 500), Some(500));
        assert_eq!(locked_for(&failures, 5, 900, 999), Some(1));
        assert_eq!(locked_for(&failures, 5, 900, 1000), None);
        // More failures than the limit: the lock lasts until the limit-th newest leaves.
        let failures = [100, 200, 300, 400, 500, 600];
        assert_eq!(locked_for(&failures, 5, 900, 700), Some(200 + 900 - 700));
    }

    #[test]
    fn the_policy_key_is_a_digest_not_the_number() {
        let policy = PolicyNumber::parse("4098990897000010").or_else(|_| PolicyNumber::parse("0000000000000000"));
        if let Ok(policy) = policy {
            let key = policy_key(&policy);
            assert_eq!(key.len(), 64);
            assert!(!key.contains(policy.digits()));
        }
    }
}
