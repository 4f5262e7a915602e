//! Booking, the patient's appointments, and cancelling.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use registratura_contract::api::{ApiError, Appointment, BookingRequest, MoveRequest};
use sha2::{Digest, Sha256};

use crate::extract::{Bearer, Json, Path, Patient};
use crate::store::{Booker, BookingInput};
use crate::{AppState, Error};

/// The longest `Idempotency-Key` accepted.
pub const MAX_IDEMPOTENCY_KEY: usize = 128;

/// `POST /api/v1/appointments` with an `Idempotency-Key` header: 201 with
/// the appointment and its ticket; a retry with the same key answers the same.
#[utoipa::path(post, path = "/api/v1/appointments", tag = "appointments", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "1–128 visible ASCII characters; a retry with the same key returns the same appointment")),
    request_body = BookingRequest,
    responses(
        (status = 201, body = Appointment),
        (status = 400, body = ApiError, description = "invalid_input"),
        (status = 401, body = ApiError, description = "unauthorized"),
        (status = 403, body = ApiError, description = "account_unconfirmed"),
        (status = 404, body = ApiError, description = "not_found: no such slot"),
        (status = 409, body = ApiError, description = "slot_taken, already_booked (with existing_ticket), idempotency_conflict"),
        (status = 413, body = ApiError, description = "too_large"),
        (status = 422, body = ApiError, description = "slot_unavailable, slot_in_past, consent_required, service_not_offered"),
    ))]
pub async fn book(
    State(state): State<AppState>,
    Bearer(token): Bearer,
    headers: HeaderMap,
    Json(request): Json<BookingRequest>,
) -> Result<Response, Error> {
    let idempotency_key = idempotency_key(&headers)?;
    let request_hash = request_digest(&request)?;
    let input = BookingInput { booker: Booker::Patient { token }, request, idempotency_key, request_hash, now: state.clock.now() };
    let booked = state.store.book(&input).await?;
    tracing::info!(appointment = booked.appointment.id, replayed = booked.replayed, "booked");
    let mut response = (StatusCode::CREATED, axum::Json(booked.appointment)).into_response();
    if booked.replayed {
        response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// `GET /api/v1/appointments` — the patient's own, latest first.
#[utoipa::path(get, path = "/api/v1/appointments", tag = "appointments", security(("bearer" = [])),
    responses((status = 200, body = Vec<Appointment>), (status = 401, body = ApiError)))]
pub async fn list(State(state): State<AppState>, Patient(patient_id): Patient) -> Result<axum::Json<Vec<Appointment>>, Error> {
    Ok(axum::Json(state.store.appointments(patient_id).await?))
}

/// `GET /api/v1/appointments/{id}` — another patient's id answers 404.
#[utoipa::path(get, path = "/api/v1/appointments/{id}", tag = "appointments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Appointment id")),
    responses((status = 200, body = Appointment), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn get(
    State(state): State<AppState>,
    Patient(patient_id): Patient,
    Path(appointment_id): Path<i64>,
) -> Result<axum::Json<Appointment>, Error> {
    state
        .store
        .appointment(patient_id, appointment_id)
        .await?
        .map(axum::Json)
        .ok_or(Error::NotFound("запись"))
}

/// `POST /api/v1/appointments/{id}/cancel` — frees the slot at once; a
/// repeated cancel answers the cancelled appointment again.
#[utoipa::path(post, path = "/api/v1/appointments/{id}/cancel", tag = "appointments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Appointment id")),
    responses(
        (status = 200, body = Appointment),
        (status = 401, body = ApiError),
        (status = 404, body = ApiError),
        (status = 409, body = ApiError, description = "not_active: cancelled by the clinic, fulfilled or missed"),
        (status = 422, body = ApiError, description = "too_late_to_cancel"),
    ))]
pub async fn cancel(
    State(state): State<AppState>,
    Patient(patient_id): Patient,
    Path(appointment_id): Path<i64>,
) -> Result<axum::Json<Appointment>, Error> {
    state.store.cancel(patient_id, appointment_id, state.clock.now()).await?;
    tracing::info!(appointment = appointment_id, "cancelled");
    get(State(state), Patient(patient_id), Path(appointment_id)).await
}

/// `POST /api/v1/appointments/{id}/move` — the patient's own appointment to
/// another time, in one step: the new time claimed and the old one freed,
/// or nothing changes. The ticket keeps its number.
#[utoipa::path(post, path = "/api/v1/appointments/{id}/move", tag = "appointments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Appointment id")),
    request_body = MoveRequest,
    responses(
        (status = 200, body = Appointment, description = "The appointment at its new time, with moved_at"),
        (status = 400, body = ApiError),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "account_unconfirmed"),
        (status = 404, body = ApiError, description = "not_found: no such appointment of the patient's, or no such slot"),
        (status = 409, body = ApiError, description = "slot_taken, already_booked, not_active"),
        (status = 422, body = ApiError, description = "too_late_to_cancel (the appointment has started), slot_unavailable, slot_in_past, service_not_offered"),
    ))]
pub async fn move_appointment(
    State(state): State<AppState>,
    Patient(patient_id): Patient,
    Path(appointment_id): Path<i64>,
    Json(body): Json<MoveRequest>,
) -> Result<axum::Json<Appointment>, Error> {
    state
        .store
        .move_appointment(appointment_id, body.slot_id, body.service_id, crate::store::moves::Mover::Patient(patient_id), state.clock.now())
        .await?;
    tracing::info!(appointment = appointment_id, "moved");
    get(State(state), Patient(patient_id), Path(appointment_id)).await
}

pub(crate) fn idempotency_key(headers: &HeaderMap) -> Result<String, Error> {
    let value = headers
        .get("idempotency-key")
        .ok_or_else(|| Error::InvalidInput("нужен заголовок Idempotency-Key".to_owned()))?;
    let key = value
        .to_str()
        .ok()
        // Untrimmed, as the document's pattern reads it.
        .filter(|key| !key.is_empty() && key.len() <= MAX_IDEMPOTENCY_KEY && key.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| {
            Error::InvalidInput(format!(
                "Idempotency-Key должен состоять из 1–{MAX_IDEMPOTENCY_KEY} видимых латинских символов"
            ))
        })?;
    Ok(key.to_owned())
}

/// A digest of the parsed request, so that the same request written with
/// other white space or key order still counts as the same.
pub(crate) fn request_digest(request: &impl serde::Serialize) -> Result<String, Error> {
    let canonical = serde_json::to_vec(request).map_err(|error| Error::Internal(error.to_string()))?;
    Ok(Sha256::digest(&canonical).iter().map(|byte| format!("{byte:02x}")).collect())
}
