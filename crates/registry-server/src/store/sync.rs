//! The sync feed's reads: a consistent snapshot, and the slots changed
//! since a version.

use registratura_contract::api::{Clinic, Doctor, Organization, Service, SlotColumns, SlotStatus, SyncSlot};

use super::directory::DoctorRow;
use super::{on_read, Dialect, Store};
use crate::Error;

/// The public directory and schedule as of one moment.
#[derive(Debug)]
pub struct Snapshot {
    pub version: i64,
    pub directory_version: String,
    pub organizations: Vec<Organization>,
    pub clinics: Vec<Clinic>,
    pub services: Vec<Service>,
    pub doctors: Vec<Doctor>,
    pub slots: SlotColumns,
}

impl Store {
    /// Everything public, read in one transaction so that the slots and
    /// the version agree.
    pub async fn snapshot(&self) -> Result<Snapshot, Error> {
        on_read!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            if dialect == Dialect::Postgres {
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY").execute(&mut *tx).await?;
            }
            let version: i64 = sqlx::query_scalar(dialect.sync_horizon()).fetch_one(&mut *tx).await?;
            let directory_version: Option<String> =
                sqlx::query_scalar("SELECT value FROM meta WHERE key = 'directory_version'").fetch_optional(&mut *tx).await?;
            let organizations: Vec<(i64, String, String, String)> =
                sqlx::query_as("SELECT id, name, short_name, address FROM organization ORDER BY id").fetch_all(&mut *tx).await?;
            let clinics: Vec<(i64, i64, String, String, String)> =
                sqlx::query_as("SELECT id, organization_id, name, address, phone FROM clinic ORDER BY id").fetch_all(&mut *tx).await?;
            let services: Vec<(i64, String, String, String)> =
                sqlx::query_as("SELECT id, code, name, specialty FROM service ORDER BY id").fetch_all(&mut *tx).await?;
            let doctors: Vec<DoctorRow> = sqlx::query_as(
                "SELECT id, clinic_id, last_name, first_name, middle_name, position, basis FROM doctor ORDER BY id",
            )
            .fetch_all(&mut *tx)
            .await?;
            let links: Vec<(i64, i64)> =
                sqlx::query_as("SELECT doctor_id, service_id FROM doctor_service ORDER BY doctor_id, service_id")
                    .fetch_all(&mut *tx)
                    .await?;
            let slots = if dialect == Dialect::Sqlite {
                // A region's 1.2 M rows cost seconds through the driver one
                // row at a time; SQLite's own aggregates build the columns in
                // C, and the app's format is a handful of arrays anyway.
                let (ids, doctors, starts, ends, statuses): (String, String, String, String, String) = sqlx::query_as(
                    "SELECT json_group_array(id ORDER BY id), json_group_array(doctor_id ORDER BY id), \
                            json_group_array(starts_at ORDER BY id), json_group_array(ends_at ORDER BY id), \
                            COALESCE(group_concat(substr(status, 1, 1), '' ORDER BY id), '') FROM slot",
                )
                .fetch_one(&mut *tx)
                .await?;
                slots_from_columns(&ids, &doctors, &starts, &ends, &statuses)?
            } else {
                let rows: Vec<(i64, i64, i64, i64, String)> =
                    sqlx::query_as("SELECT id, doctor_id, starts_at, ends_at, status FROM slot ORDER BY id")
                        .fetch_all(&mut *tx)
                        .await?;
                sync_slots(rows)?
            };
            tx.commit().await?;

            Ok(Snapshot {
                version,
                directory_version: directory_version.unwrap_or_default(),
                organizations: organizations
                    .into_iter()
                    .map(|(id, name, short_name, address)| Organization { id, name, short_name, address })
                    .collect(),
                clinics: clinics
                    .into_iter()
                    .map(|(id, organization_id, name, address, phone)| Clinic { id, organization_id, name, address, phone })
                    .collect(),
                services: services
                    .into_iter()
                    .map(|(id, code, name, specialty)| Service { id, code, name, specialty })
                    .collect(),
                doctors: Doctor::with_services(doctors, links),
                slots: SlotColumns::encode(slots),
            })
        })
    }

    /// The version of the directory (organisations, clinics, services,
    /// doctors) this database holds; empty before a region is loaded.
    pub async fn directory_version(&self) -> Result<String, Error> {
        Ok(self.meta("directory_version").await?.unwrap_or_default())
    }

    /// The slots changed at or after `since`, and the version to ask from
    /// next time.
    pub async fn changes(&self, since: i64) -> Result<(i64, String, SlotColumns), Error> {
        on_read!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            if dialect == Dialect::Postgres {
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY").execute(&mut *tx).await?;
            }
            let horizon: i64 = sqlx::query_scalar(dialect.sync_horizon()).fetch_one(&mut *tx).await?;
            let directory_version: Option<String> =
                sqlx::query_scalar("SELECT value FROM meta WHERE key = 'directory_version'").fetch_optional(&mut *tx).await?;
            let slots: Vec<(i64, i64, i64, i64, String)> = sqlx::query_as(
                "SELECT id, doctor_id, starts_at, ends_at, status FROM slot \
                 WHERE version >= $1 AND version < $2 ORDER BY id",
            )
            .bind(since)
            .bind(horizon)
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok((horizon, directory_version.unwrap_or_default(), SlotColumns::encode(sync_slots(slots)?)))
        })
    }
}

/// Slots from SQLite's aggregated columns (JSON arrays of integers, and the
/// statuses' first letters in one string), in id order.
fn slots_from_columns(ids: &str, doctors: &str, starts: &str, ends: &str, statuses: &str) -> Result<Vec<SyncSlot>, Error> {
    let parse = |json: &str| serde_json::from_str::<Vec<i64>>(json).map_err(|error| Error::Internal(format!("slot column: {error}")));
    let (ids, doctors, starts, ends) = (parse(ids)?, parse(doctors)?, parse(starts)?, parse(ends)?);
    let letters = statuses.as_bytes();
    if [doctors.len(), starts.len(), ends.len(), letters.len()].iter().any(|&n| n != ids.len()) {
        return Err(Error::Internal("slot columns of different lengths".to_owned()));
    }
    (0..ids.len())
        .map(|i| {
            let status = SlotStatus::from_letter(letters[i]).ok_or_else(|| Error::Internal(format!("slot {} has an unknown status", ids[i])))?;
            Ok(SyncSlot { id: ids[i], doctor_id: doctors[i], starts_at: starts[i], ends_at: ends[i], status })
        })
        .collect()
}

fn sync_slots(rows: Vec<(i64, i64, i64, i64, String)>) -> Result<Vec<SyncSlot>, Error> {
    rows.into_iter()
        .map(|(id, doctor_id, starts_at, ends_at, status)| {
            let status = SlotStatus::from_db(&status).ok_or_else(|| Error::Internal(format!("slot {id} has status {status:?}")))?;
            Ok(SyncSlot { id, doctor_id, starts_at, ends_at, status })
        })
        .collect()
}
