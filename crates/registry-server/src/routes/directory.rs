//! The directory: organisations → clinics → services → doctors.

use axum::extract::State;
use axum::Json;
use registratura_core::api::{Clinic, Doctor, Organization, Service};
use serde::Deserialize;

use super::search_term;
use crate::extract::{Path, Query};
use crate::{AppState, Error};

#[derive(Debug, Deserialize)]
pub struct Search {
    q: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct DoctorSearch {
    q: Option<String>,
    service: Option<i64>,
}

/// `GET /api/v1/organizations?q=`
pub async fn organizations(State(state): State<AppState>, Query(search): Query<Search>) -> Result<Json<Vec<Organization>>, Error> {
    let term = search_term(search.q.as_deref())?;
    Ok(Json(state.store.organizations(term).await?))
}

/// `GET /api/v1/organizations/{id}/clinics?q=`
pub async fn clinics(
    State(state): State<AppState>,
    Path(organization_id): Path<i64>,
    Query(search): Query<Search>,
) -> Result<Json<Vec<Clinic>>, Error> {
    let term = search_term(search.q.as_deref())?;
    let clinics = state.store.clinics(organization_id, term).await?;
    clinics.map(Json).ok_or(Error::NotFound("медицинская организация"))
}

/// `GET /api/v1/clinics/{id}/services?q=` — by name or nomenclature code.
pub async fn services(
    State(state): State<AppState>,
    Path(clinic_id): Path<i64>,
    Query(search): Query<Search>,
) -> Result<Json<Vec<Service>>, Error> {
    let term = search_term(search.q.as_deref())?;
    let services = state.store.services(clinic_id, term).await?;
    services.map(Json).ok_or(Error::NotFound("подразделение"))
}

/// `GET /api/v1/clinics/{id}/doctors?service=&q=` — `q` by surname.
pub async fn doctors(
    State(state): State<AppState>,
    Path(clinic_id): Path<i64>,
    Query(search): Query<DoctorSearch>,
) -> Result<Json<Vec<Doctor>>, Error> {
    let term = search_term(search.q.as_deref())?;
    if let Some(service_id) = search.service {
        state.store.service(service_id).await?.ok_or(Error::NotFound("услуга"))?;
    }
    let doctors = state.store.doctors(clinic_id, search.service, term).await?;
    doctors.map(Json).ok_or(Error::NotFound("подразделение"))
}
