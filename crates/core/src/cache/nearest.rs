//! «Ближайшее время»: the first free time of a service across every doctor
//! of a clinic, of an organisation or of the whole region. The cache finds
//! it in one indexed query, and the server confirms it before it is
//! offered: a time someone else took since the last sync is never shown.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::queries::DoctorChoice;
use super::{cache_error, ScheduleCache};
use crate::api::{Clinic, Doctor, Organization, Slot, SlotStatus};
use crate::calendar::clinic_instant;
use crate::region::KALUGA;
use crate::registry::RegistryClient;
use crate::Error;

/// How many times a candidate the server says is gone is replaced by the
/// cache's next one before the cache is synced. Each check stores the
/// server's day, so the next candidate is another time; a cache where five
/// in a row were taken since the last sync is better synced than tried a
/// sixth time.
const SERVER_CHECKS: usize = 5;

/// Where «Ближайшее время» looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scope", content = "id", rename_all = "snake_case")]
pub enum NearestScope {
    /// The doctors of one clinic.
    Clinic(i64),
    /// The doctors of every clinic of one organisation.
    Organization(i64),
    /// Every doctor of the region.
    Region,
}

/// A free time to offer, with everything the wizard's answers need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NearestTime {
    pub organization: Organization,
    pub clinic: Clinic,
    pub doctor: DoctorChoice,
    /// The clinic day of the slot.
    pub date: NaiveDate,
    pub slot: Slot,
}

/// The cache's first free slot for a service, before the server's check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NearestCandidate {
    pub slot_id: i64,
    pub doctor_id: i64,
    pub starts_at: i64,
}

impl ScheduleCache {
    /// The first free slot after `now` of any doctor in `scope` offering
    /// the service, as the cache has it.
    ///
    /// Each doctor's first free slot is one seek in `slot_by_doctor`; the
    /// earliest of those is the answer, so the cost grows with the doctors
    /// offering the service, not with the region's slots.
    pub async fn nearest_candidate(&self, service_id: i64, scope: NearestScope, now: i64) -> Result<Option<NearestCandidate>, Error> {
        let (clinic_id, organization_id) = match scope {
            NearestScope::Clinic(id) => (Some(id), None),
            NearestScope::Organization(id) => (None, Some(id)),
            NearestScope::Region => (None, None),
        };
        let row: Option<(i64, i64, i64)> = sqlx::query_as(
            "SELECT s.id, s.doctor_id, s.starts_at FROM doctor_service ds \
             JOIN doctor d ON d.id = ds.doctor_id \
             JOIN clinic c ON c.id = d.clinic_id \
             JOIN slot s ON s.id = ( \
                 SELECT id FROM slot WHERE doctor_id = d.id AND starts_at > $4 AND status = 'f' \
                 ORDER BY starts_at LIMIT 1) \
             WHERE ds.service_id = $1 AND ($2 IS NULL OR d.clinic_id = $2) AND ($3 IS NULL OR c.organization_id = $3) \
             ORDER BY s.starts_at, s.id LIMIT 1",
        )
        .bind(service_id)
        .bind(clinic_id)
        .bind(organization_id)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(cache_error)?;
        Ok(row.map(|(slot_id, doctor_id, starts_at)| NearestCandidate { slot_id, doctor_id, starts_at }))
    }

    /// The first free time of the service in `scope`, confirmed by the
    /// server: `None` when nobody in scope has one. The server's answer for
    /// the candidate's day is kept in the cache, so a candidate it calls
    /// taken is not found again. After [`SERVER_CHECKS`] taken candidates the
    /// cache is synced and searched once more; `SlotTaken` if that fails too.
    pub async fn nearest(
        &self,
        registry: &RegistryClient,
        service_id: i64,
        scope: NearestScope,
        now: i64,
    ) -> Result<Option<NearestTime>, Error> {
        let zone = KALUGA.time_zone;
        for round in 0..2 {
            if round == 1 {
                self.sync(registry, &|_| {}).await?;
            }
            for _ in 0..SERVER_CHECKS {
                let Some(candidate) = self.nearest_candidate(service_id, scope, now).await? else {
                    return Ok(None);
                };
                let date = clinic_instant(candidate.starts_at, zone).date_naive();
                let day = registry.day_slots(candidate.doctor_id, service_id, date).await?;
                self.store_slots(candidate.doctor_id, &day).await?;
                let confirmed = day.into_iter().find(|slot| slot.id == candidate.slot_id && slot.status == SlotStatus::Free);
                if let Some(slot) = confirmed {
                    return self.offer(candidate.doctor_id, date, slot).await.map(Some);
                }
                // The server's day may also lack the slot altogether (a schedule
                // closed since the last sync): it is then gone from the cache too.
                sqlx::query("DELETE FROM slot WHERE id = $1 AND status = 'f'")
                    .bind(candidate.slot_id)
                    .execute(&self.pool)
                    .await
                    .map_err(cache_error)?;
            }
        }
        Err(Error::SlotTaken)
    }

    /// The organisation, clinic and doctor of a confirmed slot.
    async fn offer(&self, doctor_id: i64, date: NaiveDate, slot: Slot) -> Result<NearestTime, Error> {
        type Row = (i64, i64, String, String, String, String, String);
        let doctor: Row = sqlx::query_as(
            "SELECT id, clinic_id, last_name, first_name, middle_name, position, basis FROM doctor WHERE id = $1",
        )
        .bind(doctor_id)
        .fetch_one(&self.pool)
        .await
        .map_err(cache_error)?;
        let links: Vec<(i64, i64)> =
            sqlx::query_as("SELECT doctor_id, service_id FROM doctor_service WHERE doctor_id = $1 ORDER BY service_id")
                .bind(doctor_id)
                .fetch_all(&self.pool)
                .await
                .map_err(cache_error)?;
        let (organization, clinic) = self.clinic_with_organization(doctor.1).await?.ok_or(Error::NotFound)?;
        let doctor = Doctor::with_services(vec![doctor], links).pop().ok_or(Error::NotFound)?;
        Ok(NearestTime { organization, clinic, doctor: DoctorChoice { doctor, nearest_free_date: Some(date) }, date, slot })
    }
}

/// Where «Записаться снова» opens the wizard for a past appointment: the
/// same clinic, service and doctor, at the date step when the doctor has a
/// free time ahead; otherwise at the doctor step with the clinic's nearest
/// free time already found (`nearest`, `None` when the clinic has none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BookingAgain {
    pub organization: Organization,
    pub clinic: Clinic,
    pub service: crate::api::Service,
    /// The same doctor, when they still offer the service and have a free time.
    pub doctor: Option<DoctorChoice>,
    pub nearest: Option<NearestTime>,
}

impl ScheduleCache {
    /// What «Записаться снова» opens for an appointment of `doctor_id` for
    /// `service_id` in `clinic_id`. The cache is synced first if it never
    /// was (an appointment booked on another device). A clinic or service
    /// the region no longer has answers `NotFound`.
    pub async fn booking_again(
        &self,
        registry: &RegistryClient,
        clinic_id: i64,
        doctor_id: i64,
        service_id: i64,
        now: i64,
    ) -> Result<BookingAgain, Error> {
        if !self.status().await?.ready {
            self.sync(registry, &|_| {}).await?;
        }
        let service: Option<(i64, String, String, String)> =
            sqlx::query_as("SELECT id, code, name, specialty FROM service WHERE id = $1")
                .bind(service_id)
                .fetch_optional(&self.pool)
                .await
                .map_err(cache_error)?;
        let (id, code, name, specialty) = service.ok_or(Error::NotFound)?;
        let service = crate::api::Service { id, code, name, specialty };
        let (organization, clinic) = self.clinic_with_organization(clinic_id).await?.ok_or(Error::NotFound)?;
        let doctor = self
            .doctors(clinic_id, service_id, "", now)
            .await?
            .into_iter()
            .find(|choice| choice.doctor.id == doctor_id && choice.nearest_free_date.is_some());
        let nearest = match doctor {
            Some(_) => None,
            None => self.nearest(registry, service_id, NearestScope::Clinic(clinic_id), now).await?,
        };
        Ok(BookingAgain { organization, clinic, service, doctor, nearest })
    }

    async fn clinic_with_organization(&self, clinic_id: i64) -> Result<Option<(Organization, Clinic)>, Error> {
        type Row = (i64, i64, String, String, String, String, String, String);
        let row: Option<Row> = sqlx::query_as(
            "SELECT c.id, c.organization_id, c.name, c.address, c.phone, o.name, o.short_name, o.address \
             FROM clinic c JOIN organization o ON o.id = c.organization_id WHERE c.id = $1",
        )
        .bind(clinic_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(cache_error)?;
        Ok(row.map(|(id, organization_id, name, address, phone, org_name, short_name, org_address)| {
            (
                Organization { id: organization_id, name: org_name, short_name, address: org_address },
                Clinic { id, organization_id, name, address, phone },
            )
        }))
    }
}
