//! The directory: organisations → clinics → services → doctors.

use axum::extract::State;
use axum::Json;
use registratura_contract::api::{ApiError, Clinic, Doctor, Organization, Service};
use serde::Deserialize;

use super::search_term;
use crate::extract::{Path, Query};
use crate::{AppState, Error};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Search {
    /// Search text, up to 100 characters; case and «ё» are ignored.
    #[param(max_length = 100)]
    q: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DoctorSearch {
    /// The beginning of the doctor's surname, up to 100 characters.
    #[param(max_length = 100)]
    q: Option<String>,
    /// Only doctors who offer this service.
    service: Option<i64>,
}

/// `GET /api/v1/organizations?q=`
#[utoipa::path(get, path = "/api/v1/organizations", tag = "directory", params(Search),
    responses((status = 200, body = Vec<Organization>), (status = 400, body = ApiError)))]
pub async fn organizations(State(state): State<AppState>, Query(search): Query<Search>) -> Result<Json<Vec<Organization>>, Error> {
    let term = search_term(search.q.as_deref())?;
    Ok(Json(state.public.organizations(term).await?))
}

/// `GET /api/v1/organizations/{id}/clinics?q=`
#[utoipa::path(get, path = "/api/v1/organizations/{id}/clinics", tag = "directory",
    params(("id" = i64, Path, description = "Organisation id"), Search),
    responses((status = 200, body = Vec<Clinic>), (status = 400, body = ApiError), (status = 404, body = ApiError)))]
pub async fn clinics(
    State(state): State<AppState>,
    Path(organization_id): Path<i64>,
    Query(search): Query<Search>,
) -> Result<Json<Vec<Clinic>>, Error> {
    let term = search_term(search.q.as_deref())?;
    let clinics = state.public.clinics(organization_id, term).await?;
    clinics.map(Json).ok_or(Error::NotFound("медицинская организация"))
}

/// `GET /api/v1/clinics/{id}/services?q=` — by name or nomenclature code.
#[utoipa::path(get, path = "/api/v1/clinics/{id}/services", tag = "directory",
    params(("id" = i64, Path, description = "Clinic id"), Search),
    responses((status = 200, body = Vec<Service>), (status = 400, body = ApiError), (status = 404, body = ApiError)))]
pub async fn services(
    State(state): State<AppState>,
    Path(clinic_id): Path<i64>,
    Query(search): Query<Search>,
) -> Result<Json<Vec<Service>>, Error> {
    let term = search_term(search.q.as_deref())?;
    let services = state.public.services(clinic_id, term).await?;
    services.map(Json).ok_or(Error::NotFound("подразделение"))
}

/// `GET /api/v1/clinics/{id}/doctors?service=&q=` — `q` by surname.
#[utoipa::path(get, path = "/api/v1/clinics/{id}/doctors", tag = "directory",
    params(("id" = i64, Path, description = "Clinic id"), DoctorSearch),
    responses((status = 200, body = Vec<Doctor>), (status = 400, body = ApiError), (status = 404, body = ApiError)))]
pub async fn doctors(
    State(state): State<AppState>,
    Path(clinic_id): Path<i64>,
    Query(search): Query<DoctorSearch>,
) -> Result<Json<Vec<Doctor>>, Error> {
    let term = search_term(search.q.as_deref())?;
    if let Some(service_id) = search.service {
        state.public.service(service_id).await?.ok_or(Error::NotFound("услуга"))?;
    }
    let doctors = state.public.doctors(clinic_id, search.service, term).await?;
    doctors.map(Json).ok_or(Error::NotFound("подразделение"))
}
