//! The sync feed's reads: a consistent snapshot, and the slots changed
//! since a version.

use registratura_core::api::{Clinic, Doctor, Organization, Service, SlotColumns, SlotStatus, SyncSlot};

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
            let slots: Vec<(i64, i64, i64, i64, String)> =
                sqlx::query_as("SELECT id, doctor_id, starts_at, ends_at, status FROM slot ORDER BY id")
                    .fetch_all(&mut *tx)
                    .await?;
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
                slots: columns(slots)?,
            })
        })
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
            Ok((horizon, directory_version.unwrap_or_default(), columns(slots)?))
        })
    }
}

fn columns(rows: Vec<(i64, i64, i64, i64, String)>) -> Result<SlotColumns, Error> {
    let slots = rows
        .into_iter()
        .map(|(id, doctor_id, starts_at, ends_at, status)| {
            let status = SlotStatus::from_db(&status).ok_or_else(|| Error::Internal(format!("slot {id} has status {status:?}")))?;
            Ok(SyncSlot { id, doctor_id, starts_at, ends_at, status })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(SlotColumns::encode(slots))
}
