//! The signed-in patient's profile and phones.

use axum::extract::State;
use axum::http::StatusCode;
use registratura_contract::api::{ApiError, NewPhone, Profile};
use registratura_contract::identity::Phone;

use crate::extract::{Json, Patient};
use crate::{AppState, Error};

/// `GET /api/v1/me`
#[utoipa::path(get, path = "/api/v1/me", tag = "patient", security(("bearer" = [])),
    responses((status = 200, body = Profile), (status = 401, body = ApiError)))]
pub async fn profile(State(state): State<AppState>, Patient(patient_id): Patient) -> Result<axum::Json<Profile>, Error> {
    state.store.profile(patient_id).await?.map(axum::Json).ok_or(Error::Unauthorized)
}

/// `GET /api/v1/me/phones`
#[utoipa::path(get, path = "/api/v1/me/phones", tag = "patient", security(("bearer" = [])),
    responses((status = 200, body = Vec<Phone>), (status = 401, body = ApiError)))]
pub async fn phones(State(state): State<AppState>, patient: Patient) -> Result<axum::Json<Vec<Phone>>, Error> {
    let axum::Json(profile) = profile(State(state), patient).await?;
    Ok(axum::Json(profile.phones))
}

/// `POST /api/v1/me/phones` with `{"phone": "+7…"}`: saves it; saving one
/// already saved is harmless. Answers the phones now saved.
#[utoipa::path(post, path = "/api/v1/me/phones", tag = "patient", security(("bearer" = [])),
    request_body = NewPhone,
    responses((status = 201, body = Vec<Phone>), (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 422, body = ApiError, description = "unacceptable_input: five phones are saved already")))]
pub async fn add_phone(
    State(state): State<AppState>,
    Patient(patient_id): Patient,
    Json(new): Json<NewPhone>,
) -> Result<(StatusCode, axum::Json<Vec<Phone>>), Error> {
    state.store.add_phone(patient_id, &new.phone, state.clock.now()).await?;
    let axum::Json(phones) = phones(State(state), Patient(patient_id)).await?;
    Ok((StatusCode::CREATED, axum::Json(phones)))
}
