//! What the wizard's steps read from the cache. Every list is one indexed
//! query; a search matches [`super::search_key`] of the typed text.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::{cache_error, ScheduleCache};
use crate::search::search_key;
use crate::api::{Clinic, Day, Doctor, Organization, Service, Slot, SlotStatus, SyncSlot};
use crate::calendar::{clinic_date, clinic_day_bounds};
use crate::region::KALUGA;
use crate::registry::RegistryClient;
use crate::schedule::{days, upcoming_slots, SlotRow};
use crate::Error;

/// A doctor as the doctor step lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DoctorChoice {
    #[serde(flatten)]
    pub doctor: Doctor,
    /// The clinic day of the doctor's first free slot for the service.
    pub nearest_free_date: Option<NaiveDate>,
}

/// A day's slots and whether they are the server's answer of a moment ago
/// (`fresh`) or the cache's copy, when the server cannot be reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DaySlots {
    pub fresh: bool,
    pub slots: Vec<Slot>,
}

/// A month of a doctor's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    /// Today in the clinic's zone, for the calendar's mark.
    pub today: NaiveDate,
    /// The first day with a free slot, in any month.
    pub first_available: Option<NaiveDate>,
    /// Every day of the month.
    pub days: Vec<Day>,
}

impl ScheduleCache {
    /// Organisations whose name matches `query`, by name.
    pub async fn organizations(&self, query: &str) -> Result<Vec<Organization>, Error> {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT id, name, short_name, address FROM organization WHERE instr(search, $1) > 0 ORDER BY name",
        )
        .bind(search_key(query))
        .fetch_all(&self.pool)
        .await
        .map_err(cache_error)?;
        Ok(rows.into_iter().map(|(id, name, short_name, address)| Organization { id, name, short_name, address }).collect())
    }

    /// An organisation's clinics matching `query` by name or address.
    pub async fn clinics(&self, organization_id: i64, query: &str) -> Result<Vec<Clinic>, Error> {
        let rows: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
            "SELECT id, organization_id, name, address, phone FROM clinic \
             WHERE organization_id = $1 AND instr(search, $2) > 0 ORDER BY name",
        )
        .bind(organization_id)
        .bind(search_key(query))
        .fetch_all(&self.pool)
        .await
        .map_err(cache_error)?;
        Ok(rows
            .into_iter()
            .map(|(id, organization_id, name, address, phone)| Clinic { id, organization_id, name, address, phone })
            .collect())
    }

    /// The services some doctor of the clinic offers, matching `query` by
    /// name or nomenclature code, by code.
    pub async fn services(&self, clinic_id: i64, query: &str) -> Result<Vec<Service>, Error> {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT s.id, s.code, s.name, s.specialty FROM service s \
             WHERE instr(s.search, $2) > 0 AND EXISTS ( \
                 SELECT 1 FROM doctor d JOIN doctor_service ds ON ds.doctor_id = d.id \
                 WHERE d.clinic_id = $1 AND ds.service_id = s.id) \
             ORDER BY s.code",
        )
        .bind(clinic_id)
        .bind(search_key(query))
        .fetch_all(&self.pool)
        .await
        .map_err(cache_error)?;
        Ok(rows.into_iter().map(|(id, code, name, specialty)| Service { id, code, name, specialty }).collect())
    }

    /// The clinic's doctors offering the service, matching `query` by name,
    /// by surname, each with the day of their first free slot after `now`.
    pub async fn doctors(&self, clinic_id: i64, service_id: i64, query: &str, now: i64) -> Result<Vec<DoctorChoice>, Error> {
        type Row = (i64, i64, String, String, String, String, String, Option<i64>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT d.id, d.clinic_id, d.last_name, d.first_name, d.middle_name, d.position, d.basis, \
                    (SELECT min(starts_at) FROM slot WHERE doctor_id = d.id AND starts_at > $4 AND status = 'f') \
             FROM doctor d JOIN doctor_service ds ON ds.doctor_id = d.id AND ds.service_id = $2 \
             WHERE d.clinic_id = $1 AND instr(d.search, $3) > 0 \
             ORDER BY d.last_name, d.first_name, d.middle_name",
        )
        .bind(clinic_id)
        .bind(service_id)
        .bind(search_key(query))
        .bind(now)
        .fetch_all(&self.pool)
        .await
        .map_err(cache_error)?;
        let links: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT ds.doctor_id, ds.service_id FROM doctor_service ds JOIN doctor d ON d.id = ds.doctor_id \
             WHERE d.clinic_id = $1 ORDER BY ds.doctor_id, ds.service_id",
        )
        .bind(clinic_id)
        .fetch_all(&self.pool)
        .await
        .map_err(cache_error)?;
        let zone = KALUGA.time_zone;
        let (rows, nearest): (Vec<_>, Vec<_>) = rows
            .into_iter()
            .map(|(id, clinic_id, last_name, first_name, middle_name, position, basis, nearest)| {
                ((id, clinic_id, last_name, first_name, middle_name, position, basis), nearest)
            })
            .unzip();
        Ok(Doctor::with_services(rows, links)
            .into_iter()
            .zip(nearest)
            .map(|(doctor, nearest)| DoctorChoice {
                doctor,
                nearest_free_date: nearest.map(|start| crate::calendar::clinic_instant(start, zone).date_naive()),
            })
            .collect())
    }

    /// A month of the doctor's calendar for the service, as of `now`.
    pub async fn month(&self, doctor_id: i64, service_id: i64, first_day: NaiveDate, now: i64) -> Result<Month, Error> {
        self.require_offer(doctor_id, service_id).await?;
        let zone = KALUGA.time_zone;
        let (first_day, last_day, from, to) = month_span(first_day);
        let rows = self.slot_rows(doctor_id, from, to).await?;
        let first_free: Option<i64> =
            sqlx::query_scalar("SELECT min(starts_at) FROM slot WHERE doctor_id = $1 AND starts_at > $2 AND status = 'f'")
                .bind(doctor_id)
                .bind(now)
                .fetch_one(&self.pool)
                .await
                .map_err(cache_error)?;
        Ok(Month {
            month: first_day.format("%Y-%m").to_string(),
            today: clinic_date(chrono::DateTime::from_timestamp(now, 0).unwrap_or_default(), zone),
            first_available: first_free.map(|start| crate::calendar::clinic_instant(start, zone).date_naive()),
            days: days(&rows, first_day, last_day, now, zone),
        })
    }

    /// A month of a clinic's calendar as its reception desk sees it: a day
    /// is open when any of its doctors (of `service_id`, when given) has a
    /// time still to come that the desk may take, free or kept for the desk.
    pub async fn clinic_month(&self, clinic_id: i64, service_id: Option<i64>, first_day: NaiveDate, now: i64) -> Result<Month, Error> {
        let zone = KALUGA.time_zone;
        let (first_day, last_day, from, to) = month_span(first_day);
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT id, starts_at, ends_at FROM slot WHERE doctor_id IN \
               (SELECT d.id FROM doctor d WHERE d.clinic_id = $1 \
                AND ($2 IS NULL OR EXISTS (SELECT 1 FROM doctor_service ds WHERE ds.doctor_id = d.id AND ds.service_id = $2))) \
             AND starts_at >= $3 AND starts_at < $4 AND status IN ('f', 'u')",
        )
        .bind(clinic_id)
        .bind(service_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
        .map_err(cache_error)?;
        // The desk may take a time kept for it, so here it counts as free.
        let open: Vec<SlotRow> = rows.into_iter().map(|(id, starts_at, ends_at)| SlotRow { id, starts_at, ends_at, status: SlotStatus::Free }).collect();
        Ok(Month {
            month: first_day.format("%Y-%m").to_string(),
            today: clinic_date(chrono::DateTime::from_timestamp(now, 0).unwrap_or_default(), zone),
            first_available: open.iter().map(|slot| slot.starts_at).filter(|start| *start > now).min().map(|start| crate::calendar::clinic_instant(start, zone).date_naive()),
            days: days(&open, first_day, last_day, now, zone),
        })
    }

    /// The doctor's slots on a clinic day that have not started by `now`.
    pub async fn day_slots(&self, doctor_id: i64, service_id: i64, date: NaiveDate, now: i64) -> Result<Vec<Slot>, Error> {
        self.require_offer(doctor_id, service_id).await?;
        let (from, to) = clinic_day_bounds(date, KALUGA.time_zone);
        let rows = self.slot_rows(doctor_id, from, to).await?;
        Ok(upcoming_slots(rows, now, KALUGA.time_zone))
    }

    /// The day's slots as the server has them now, kept in the cache too;
    /// when the server cannot be reached, the cache's copy, marked stale.
    pub async fn fresh_day(
        &self,
        registry: &RegistryClient,
        doctor_id: i64,
        service_id: i64,
        date: NaiveDate,
        now: i64,
    ) -> Result<DaySlots, Error> {
        match registry.day_slots(doctor_id, service_id, date).await {
            Ok(slots) => {
                self.store_slots(doctor_id, &slots).await?;
                Ok(DaySlots { fresh: true, slots })
            }
            Err(Error::Offline) => Ok(DaySlots { fresh: false, slots: self.day_slots(doctor_id, service_id, date, now).await? }),
            Err(error) => Err(error),
        }
    }

    /// Keeps slots the server just answered for a day, so that the cache
    /// never shows a slot freer than the server last said it was.
    pub async fn store_slots(&self, doctor_id: i64, slots: &[Slot]) -> Result<(), Error> {
        let rows: Vec<SyncSlot> = slots
            .iter()
            .map(|slot| SyncSlot {
                id: slot.id,
                doctor_id,
                starts_at: slot.start.timestamp(),
                ends_at: slot.end.timestamp(),
                status: slot.status,
            })
            .collect();
        let mut tx = self.pool.begin().await.map_err(cache_error)?;
        super::sync::write_slots(&mut tx, &rows, &|_| {}).await.map_err(cache_error)?;
        tx.commit().await.map_err(cache_error)
    }

    async fn slot_rows(&self, doctor_id: i64, from: i64, to: i64) -> Result<Vec<SlotRow>, Error> {
        let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(
            "SELECT id, starts_at, ends_at, status FROM slot \
             WHERE doctor_id = $1 AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at",
        )
        .bind(doctor_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
        .map_err(cache_error)?;
        rows.into_iter()
            .map(|(id, starts_at, ends_at, status)| {
                let status = status
                    .bytes()
                    .next()
                    .and_then(SlotStatus::from_letter)
                    .ok_or_else(|| Error::Cache(format!("slot {id} has status {status:?}")))?;
                Ok(SlotRow { id, starts_at, ends_at, status })
            })
            .collect()
    }

    async fn require_offer(&self, doctor_id: i64, service_id: i64) -> Result<(), Error> {
        let offers: Option<i64> = sqlx::query_scalar("SELECT 1 FROM doctor_service WHERE doctor_id = $1 AND service_id = $2")
            .bind(doctor_id)
            .bind(service_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(cache_error)?;
        offers.map(|_| ()).ok_or(Error::NotFound)
    }
}

/// The month that `day` falls in: its first and last days, and the instants
/// from the first day's start to the last day's end in the clinics' zone.
fn month_span(day: NaiveDate) -> (NaiveDate, NaiveDate, i64, i64) {
    let first_day = day.with_day(1).unwrap_or(day);
    let last_day = first_day.checked_add_months(chrono::Months::new(1)).and_then(|next| next.pred_opt()).unwrap_or(first_day);
    let (from, _) = clinic_day_bounds(first_day, KALUGA.time_zone);
    let (_, to) = clinic_day_bounds(last_day, KALUGA.time_zone);
    (first_day, last_day, from, to)
}
