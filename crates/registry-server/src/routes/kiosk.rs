//! A lobby kiosk's routes, under `/api/v1/kiosk/`, and the admins' kiosk
//! routes under `/api/v1/desk/kiosks`. Every kiosk call carries the device's
//! credential; the calls for an identified patient also carry the visit's
//! token (`Kiosk-Visit`), which opens nothing beside another device's
//! credential.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use registratura_contract::api::kiosk::{CheckedIn, Identified, Identify, KioskDevice, KioskListed, KioskRegistered, KioskRegistration, KioskSlot, PinCheck};
use registratura_contract::api::{ApiError, Appointment, BookingRequest, Day, Slot, SlotStatus};
use registratura_contract::calendar::{clinic_date, clinic_day_bounds};
use registratura_contract::identity::PolicyNumber;
use registratura_contract::region::KALUGA;
use registratura_contract::schedule::{days, upcoming_slots, SlotRow};
use serde::Deserialize;

use crate::extract::{Json, Kiosk, KioskVisit, Path, Query, Staff};
use crate::routes::appointments::{idempotency_key, request_digest};
use crate::routes::schedule::check_range;
use crate::store::rules::Refusal;
use crate::store::kiosk::{Identification, VISIT_SECONDS};
use crate::store::{Booker, BookingInput};
use crate::{AppState, Error};

#[utoipa::path(get, path = "/api/v1/kiosk/device", tag = "kiosk", security(("bearer" = [])),
    responses((status = 200, body = KioskDevice), (status = 401, body = ApiError, description = "device_unknown: not registered, or revoked")))]
pub async fn device(Kiosk(kiosk): Kiosk) -> axum::Json<KioskDevice> {
    axum::Json(KioskDevice { device_id: kiosk.id, name: kiosk.name, clinic_id: kiosk.clinic_id, organization_id: kiosk.organization_id, clinics: kiosk.clinics })
}

#[utoipa::path(post, path = "/api/v1/kiosk/identify", tag = "kiosk", security(("bearer" = [])), request_body = Identify,
    responses((status = 200, body = Identified), (status = 400, body = ApiError, description = "invalid_input: not sixteen digits"),
        (status = 401, body = ApiError, description = "device_unknown"),
        (status = 422, body = ApiError, description = "not_identified: no such policy, or another birth date (one answer for both); unacceptable_input: a wrong check digit, or a birth date ahead or before 1900"),
        (status = 429, body = ApiError, description = "policy_locked (5 wrong birth dates in 15 minutes) or too_many_attempts (20 failures at the device in 10 minutes); with Retry-After")))]
pub async fn identify(State(state): State<AppState>, Kiosk(kiosk): Kiosk, Json(body): Json<Identify>) -> Result<axum::Json<Identified>, Error> {
    // A scan that is not a policy number is a misread, not a guess: it is
    // refused before anything is counted.
    if body.policy.len() != 16 || !body.policy.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(Error::InvalidInput("полис ОМС: 16 цифр".to_owned()));
    }
    let policy = PolicyNumber::parse(&body.policy).map_err(|_| Error::Unacceptable("это не номер полиса ОМС".to_owned()))?;
    let now = state.clock.now();
    let today = clinic_date(chrono::DateTime::from_timestamp(now, 0).unwrap_or_default(), KALUGA.time_zone);
    if body.birth_date > today || body.birth_date < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default() {
        return Err(Error::Unacceptable("дата рождения не может быть позже сегодняшнего дня или раньше 1900 года".to_owned()));
    }
    match state.store.identify_at_kiosk(&kiosk, &policy, body.birth_date, now).await? {
        Identification::Identified { token, initials, .. } => Ok(axum::Json(Identified { visit_token: token, expires_in: VISIT_SECONDS, initials })),
        Identification::NotIdentified => Err(Error::NotIdentified),
        Identification::PolicyLocked { retry_after } => Err(Error::PolicyLocked { retry_after }),
        Identification::DeviceThrottled { retry_after } => Err(Error::TooManyAttempts { retry_after }),
    }
}

#[utoipa::path(delete, path = "/api/v1/kiosk/visit", tag = "kiosk", security(("bearer" = [])),
    params(("Kiosk-Visit" = Option<String>, Header, description = "The visit's token; without one, or with one already ended, nothing ends and the answer is the same")),
    responses((status = 204, description = "The visit ended; its token opens nothing any more"), (status = 401, body = ApiError)))]
pub async fn end_visit(State(state): State<AppState>, Kiosk(kiosk): Kiosk, headers: HeaderMap) -> Result<StatusCode, Error> {
    if let Some(token) = crate::extract::visit_token(&headers) {
        state.store.end_kiosk_visit(&kiosk, token, state.clock.now()).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/kiosk/pin", tag = "kiosk", security(("bearer" = [])), request_body = PinCheck,
    responses((status = 204, description = "The PIN is the kiosk's admin PIN"), (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "wrong_pin"), (status = 429, body = ApiError, description = "too_many_attempts, with Retry-After")))]
pub async fn pin(State(state): State<AppState>, Kiosk(kiosk): Kiosk, Json(body): Json<PinCheck>) -> Result<StatusCode, Error> {
    match state.store.kiosk_pin(&kiosk, &body.pin, state.clock.now()).await? {
        Ok(true) => Ok(StatusCode::NO_CONTENT),
        Ok(false) => Err(Error::WrongPin),
        Err(retry_after) => Err(Error::TooManyAttempts { retry_after }),
    }
}

#[utoipa::path(get, path = "/api/v1/kiosk/appointments", tag = "kiosk", security(("bearer" = [])),
    params(("Kiosk-Visit" = String, Header, description = "The visit's token")),
    responses((status = 200, body = Vec<Appointment>), (status = 401, body = ApiError, description = "device_unknown, visit_ended")))]
pub async fn appointments(State(state): State<AppState>, visit: KioskVisit) -> Result<axum::Json<Vec<Appointment>>, Error> {
    Ok(axum::Json(state.store.appointments(visit.patient_id).await?))
}

#[utoipa::path(post, path = "/api/v1/kiosk/appointments", tag = "kiosk", security(("bearer" = [])),
    params(("Kiosk-Visit" = String, Header, description = "The visit's token"),
        ("Idempotency-Key" = String, Header, description = "1–128 visible ASCII characters; a retry with the same key returns the same appointment")),
    request_body = BookingRequest,
    responses((status = 201, body = Appointment), (status = 400, body = ApiError), (status = 401, body = ApiError, description = "device_unknown, visit_ended"),
        (status = 404, body = ApiError, description = "not_found: no such slot, or one outside the kiosk's organisation"),
        (status = 409, body = ApiError, description = "slot_taken, already_booked, idempotency_conflict"),
        (status = 422, body = ApiError, description = "slot_unavailable (kept from online booking and not for kiosks), slot_in_past, consent_required, service_not_offered")))]
pub async fn book(State(state): State<AppState>, visit: KioskVisit, headers: HeaderMap, Json(request): Json<BookingRequest>) -> Result<Response, Error> {
    let idempotency_key = idempotency_key(&headers)?;
    let request_hash = request_digest(&request)?;
    let booker = Booker::Kiosk { kiosk: visit.kiosk, patient_id: visit.patient_id };
    let booked = state.store.book(&BookingInput { booker, request, idempotency_key, request_hash, now: state.clock.now() }).await?;
    tracing::info!(appointment = booked.appointment.id, replayed = booked.replayed, "booked at a kiosk");
    Ok((StatusCode::CREATED, axum::Json(booked.appointment)).into_response())
}

#[utoipa::path(post, path = "/api/v1/kiosk/appointments/{id}/cancel", tag = "kiosk", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Appointment id"), ("Kiosk-Visit" = String, Header, description = "The visit's token")),
    responses((status = 200, body = Appointment), (status = 401, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError, description = "not_active"), (status = 422, body = ApiError, description = "too_late_to_cancel")))]
pub async fn cancel(State(state): State<AppState>, visit: KioskVisit, Path(appointment_id): Path<i64>) -> Result<axum::Json<Appointment>, Error> {
    state.store.kiosk_cancel(&visit.kiosk, visit.patient_id, appointment_id, state.clock.now()).await?;
    state.store.appointment(visit.patient_id, appointment_id).await?.map(axum::Json).ok_or(Error::NotFound("запись"))
}

#[utoipa::path(post, path = "/api/v1/kiosk/appointments/{id}/check-in", tag = "kiosk", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Appointment id"), ("Kiosk-Visit" = String, Header, description = "The visit's token")),
    responses((status = 200, body = CheckedIn), (status = 401, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError, description = "not_active"),
        (status = 422, body = ApiError, description = "not_today, check_in_closed (the visit is over), check_in_elsewhere (another clinic's)")))]
pub async fn check_in(State(state): State<AppState>, visit: KioskVisit, Path(appointment_id): Path<i64>) -> Result<axum::Json<CheckedIn>, Error> {
    let done = state.store.kiosk_check_in(&visit.kiosk, visit.patient_id, appointment_id, state.clock.now()).await?;
    let appointment = state.store.appointment(visit.patient_id, appointment_id).await?.ok_or(Error::NotFound("запись"))?;
    Ok(axum::Json(CheckedIn { appointment, room: done.room, queue_place: done.queue_place }))
}

/// A doctor's days or day as a kiosk sees them.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct KioskDays {
    /// The service to book; the doctor must offer it.
    pub service: i64,
    /// The first day (default today).
    pub from: Option<NaiveDate>,
    /// The last day, inclusive (default 13 days after `from`; at most 62 days in all).
    pub to: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/kiosk/doctors/{id}/dates", tag = "kiosk", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Doctor id"), KioskDays),
    responses((status = 200, body = Vec<Day>), (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 404, body = ApiError, description = "not_found: no such doctor in the kiosk's organisation"),
        (status = 422, body = ApiError, description = "unacceptable_input: «to» before «from», or more than 62 days; service_not_offered")))]
pub async fn dates(State(state): State<AppState>, Kiosk(kiosk): Kiosk, Path(doctor_id): Path<i64>, Query(query): Query<KioskDays>) -> Result<axum::Json<Vec<Day>>, Error> {
    let zone = KALUGA.time_zone;
    let now = state.clock.now();
    let from = query.from.unwrap_or_else(|| clinic_date(chrono::DateTime::from_timestamp(now, 0).unwrap_or_default(), zone));
    let to = query.to.unwrap_or(from + chrono::Duration::days(13));
    check_range(from, to)?;
    let rows = kiosk_rows(&state, &kiosk, doctor_id, query.service, clinic_day_bounds(from, zone).0, clinic_day_bounds(to, zone).1).await?;
    Ok(axum::Json(days(&rows, from, to, now, zone)))
}

/// `GET /api/v1/kiosk/doctors/{id}/slots` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct KioskDay {
    pub service: i64,
    pub date: NaiveDate,
}

#[utoipa::path(get, path = "/api/v1/kiosk/doctors/{id}/slots", tag = "kiosk", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Doctor id"), KioskDay),
    responses((status = 200, body = Vec<Slot>, description = "The day's slots not yet started; those kept for kiosks are free here"),
        (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 404, body = ApiError),
        (status = 422, body = ApiError, description = "service_not_offered")))]
pub async fn slots(State(state): State<AppState>, Kiosk(kiosk): Kiosk, Path(doctor_id): Path<i64>, Query(query): Query<KioskDay>) -> Result<axum::Json<Vec<Slot>>, Error> {
    let zone = KALUGA.time_zone;
    let (start, end) = clinic_day_bounds(query.date, zone);
    let rows = kiosk_rows(&state, &kiosk, doctor_id, query.service, start, end).await?;
    Ok(axum::Json(upcoming_slots(rows, state.clock.now(), zone)))
}

/// A doctor's slots in `[from, to)` as the kiosk may book them: the doctor
/// must work in the kiosk's organisation, and the slots the clinic keeps
/// for kiosks count as free.
async fn kiosk_rows(state: &AppState, kiosk: &crate::store::kiosk::Kiosk, doctor_id: i64, service: i64, from: i64, to: i64) -> Result<Vec<SlotRow>, Error> {
    match state.store.doctor_clinic(doctor_id).await? {
        Some(clinic_id) if kiosk.clinics.contains(&clinic_id) => {}
        _ => return Err(Error::NotFound("врач")),
    }
    let Some(mut rows) = state.store.slots(doctor_id, service, from, to).await? else {
        return Err(Error::Refused(Refusal::ServiceNotOffered));
    };
    let kept = state.store.kiosk_kept_slots(doctor_id, from, to).await?;
    for row in rows.iter_mut().filter(|row| row.status == SlotStatus::Unavailable && kept.contains(&row.id)) {
        row.status = SlotStatus::Free;
    }
    Ok(rows)
}

#[utoipa::path(post, path = "/api/v1/desk/kiosks", tag = "desk", security(("bearer" = [])), request_body = KioskRegistration,
    responses((status = 201, body = KioskRegistered, description = "The credential is shown this once"), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError, description = "forbidden: not an admin of the clinic's organisation"),
        (status = 404, body = ApiError)))]
pub async fn register(State(state): State<AppState>, Staff(staff): Staff, Json(form): Json<KioskRegistration>) -> Result<Response, Error> {
    let grant = staff.at(form.clinic).ok_or(Error::NotFound("поликлиника"))?;
    if !staff.administers().contains(&grant.organization_id) {
        return Err(Error::Forbidden);
    }
    let (device_id, credential) = state.store.register_kiosk(form.clinic, &form.name, &form.pin, Some(staff.id), state.clock.now()).await?;
    Ok((StatusCode::CREATED, axum::Json(KioskRegistered { device_id, credential })).into_response())
}

#[utoipa::path(get, path = "/api/v1/desk/kiosks", tag = "desk", security(("bearer" = [])),
    responses((status = 200, body = Vec<KioskListed>, description = "The kiosks of the organisations the staff member administers"), (status = 401, body = ApiError)))]
pub async fn list(State(state): State<AppState>, Staff(staff): Staff) -> Result<axum::Json<Vec<KioskListed>>, Error> {
    Ok(axum::Json(state.store.kiosks(&staff.administers()).await?))
}

#[utoipa::path(post, path = "/api/v1/desk/kiosks/{id}/revoke", tag = "desk", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Kiosk id")),
    responses((status = 204, description = "Revoked: the kiosk's next call is refused"), (status = 401, body = ApiError),
        (status = 404, body = ApiError, description = "not_found: no such kiosk in an organisation the staff member administers")))]
pub async fn revoke(State(state): State<AppState>, Staff(staff): Staff, Path(device_id): Path<i64>) -> Result<StatusCode, Error> {
    if state.store.revoke_kiosk(device_id, Some(&staff.administers()), state.clock.now()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Error::NotFound("терминал"))
    }
}

#[utoipa::path(put, path = "/api/v1/desk/slots/{id}/kiosk", tag = "desk", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Slot id")), request_body = KioskSlot,
    responses((status = 204, description = "Kept for the clinic's kiosks too, or for the desk alone again"), (status = 401, body = ApiError),
        (status = 404, body = ApiError), (status = 422, body = ApiError, description = "not_reserved: the slot is open to online booking")))]
pub async fn keep_for_kiosks(State(state): State<AppState>, Staff(staff): Staff, Path(slot_id): Path<i64>, Json(body): Json<KioskSlot>) -> Result<StatusCode, Error> {
    state.store.set_kiosk_slot(slot_id, body.kiosk, &staff.clinics()).await?;
    Ok(StatusCode::NO_CONTENT)
}
