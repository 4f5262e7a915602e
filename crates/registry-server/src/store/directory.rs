//! The public directory: organisations, clinics, services and doctors.

use registratura_contract::api::{Clinic, Doctor, Organization, Service};

use super::{contains_pattern, on_read, Store};
use crate::Error;

/// The most rows a directory list returns; a search narrows it further.
pub const LIST_LIMIT: i64 = 500;

impl Store {
    /// Organisations whose name contains `query` (all when `None`).
    pub async fn organizations(&self, query: Option<&str>) -> Result<Vec<Organization>, Error> {
        let pattern = contains_pattern(query.unwrap_or(""));
        on_read!(self, |pool, dialect| {
            let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
                "SELECT id, name, short_name, address FROM organization \
                 WHERE search LIKE $1 ESCAPE '\\' ORDER BY short_name, id LIMIT $2",
            )
            .bind(&pattern)
            .bind(LIST_LIMIT)
            .fetch_all(pool)
            .await?;
            Ok(rows
                .into_iter()
                .map(|(id, name, short_name, address)| Organization { id, name, short_name, address })
                .collect())
        })
    }

    /// The clinics of an organisation whose name or address contains
    /// `query`; `None` when the organisation does not exist.
    pub async fn clinics(&self, organization_id: i64, query: Option<&str>) -> Result<Option<Vec<Clinic>>, Error> {
        let pattern = contains_pattern(query.unwrap_or(""));
        on_read!(self, |pool, dialect| {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM organization WHERE id = $1")
                .bind(organization_id)
                .fetch_optional(pool)
                .await?;
            if exists.is_none() {
                return Ok(None);
            }
            let rows: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
                "SELECT id, organization_id, name, address, phone FROM clinic \
                 WHERE organization_id = $1 AND search LIKE $2 ESCAPE '\\' ORDER BY name, id LIMIT $3",
            )
            .bind(organization_id)
            .bind(&pattern)
            .bind(LIST_LIMIT)
            .fetch_all(pool)
            .await?;
            Ok(Some(
                rows.into_iter()
                    .map(|(id, organization_id, name, address, phone)| Clinic { id, organization_id, name, address, phone })
                    .collect(),
            ))
        })
    }

    /// The services some doctor of the clinic offers, matching `query` by
    /// name or nomenclature code; `None` when the clinic does not exist.
    pub async fn services(&self, clinic_id: i64, query: Option<&str>) -> Result<Option<Vec<Service>>, Error> {
        let pattern = contains_pattern(query.unwrap_or(""));
        if !self.clinic_exists(clinic_id).await? {
            return Ok(None);
        }
        on_read!(self, |pool, dialect| {
            let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
                "SELECT s.id, s.code, s.name, s.specialty FROM service s \
                 WHERE s.search LIKE $2 ESCAPE '\\' AND EXISTS ( \
                     SELECT 1 FROM doctor_service ds JOIN doctor d ON d.id = ds.doctor_id \
                     WHERE ds.service_id = s.id AND d.clinic_id = $1) \
                 ORDER BY s.specialty, s.code LIMIT $3",
            )
            .bind(clinic_id)
            .bind(&pattern)
            .bind(LIST_LIMIT)
            .fetch_all(pool)
            .await?;
            Ok(Some(
                rows.into_iter()
                    .map(|(id, code, name, specialty)| Service { id, code, name, specialty })
                    .collect(),
            ))
        })
    }

    /// Whether a clinic with this id exists.
    pub async fn clinic_exists(&self, clinic_id: i64) -> Result<bool, Error> {
        on_read!(self, |pool, dialect| {
            let clinic: Option<i64> = sqlx::query_scalar("SELECT id FROM clinic WHERE id = $1")
                .bind(clinic_id)
                .fetch_optional(pool)
                .await?;
            Ok(clinic.is_some())
        })
    }

    /// A service by id.
    pub async fn service(&self, service_id: i64) -> Result<Option<Service>, Error> {
        on_read!(self, |pool, dialect| {
            let row: Option<(i64, String, String, String)> =
                sqlx::query_as("SELECT id, code, name, specialty FROM service WHERE id = $1")
                    .bind(service_id)
                    .fetch_optional(pool)
                    .await?;
            Ok(row.map(|(id, code, name, specialty)| Service { id, code, name, specialty }))
        })
    }

    /// The clinic's doctors, those offering `service_id` when given, whose
    /// surname starts with `query`; `None` when the clinic does not exist.
    pub async fn doctors(
        &self,
        clinic_id: i64,
        service_id: Option<i64>,
        query: Option<&str>,
    ) -> Result<Option<Vec<Doctor>>, Error> {
        // Surnames are searched by their beginning, as people look them up.
        let mut pattern = contains_pattern(query.unwrap_or(""));
        pattern.remove(0);
        if !self.clinic_exists(clinic_id).await? {
            return Ok(None);
        }
        on_read!(self, |pool, dialect| {
            let rows: Vec<DoctorRow> = sqlx::query_as(
                "SELECT d.id, d.clinic_id, d.last_name, d.first_name, d.middle_name, d.position, d.basis \
                 FROM doctor d WHERE d.clinic_id = $1 AND d.search LIKE $2 ESCAPE '\\' \
                 AND ($3 < 0 OR EXISTS (SELECT 1 FROM doctor_service ds WHERE ds.doctor_id = d.id AND ds.service_id = $3)) \
                 ORDER BY d.last_name, d.first_name, d.id LIMIT $4",
            )
            .bind(clinic_id)
            .bind(&pattern)
            .bind(service_id.unwrap_or(-1))
            .bind(LIST_LIMIT)
            .fetch_all(pool)
            .await?;
            let links: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT ds.doctor_id, ds.service_id FROM doctor_service ds \
                 JOIN doctor d ON d.id = ds.doctor_id WHERE d.clinic_id = $1 ORDER BY ds.service_id",
            )
            .bind(clinic_id)
            .fetch_all(pool)
            .await?;
            Ok(Some(Doctor::with_services(rows, links)))
        })
    }

    /// Whether a doctor exists and offers a service: `None` when there is no
    /// such doctor.
    pub async fn doctor_offers(&self, doctor_id: i64, service_id: i64) -> Result<Option<bool>, Error> {
        on_read!(self, |pool, dialect| {
            let row: Option<(i64, bool)> = sqlx::query_as(
                "SELECT d.id, EXISTS (SELECT 1 FROM doctor_service ds WHERE ds.doctor_id = d.id AND ds.service_id = $2) \
                 FROM doctor d WHERE d.id = $1",
            )
            .bind(doctor_id)
            .bind(service_id)
            .fetch_optional(pool)
            .await?;
            Ok(row.map(|(_, offers)| offers))
        })
    }
}

pub(super) use registratura_contract::api::DoctorRow;
