//! A doctor's calendar and the slots of one day.

use axum::extract::State;
use axum::Json;
use chrono::{Duration, NaiveDate};
use registratura_contract::api::{ApiError, Day, Slot};
use registratura_contract::schedule::{days, upcoming_slots};
use registratura_contract::calendar::{clinic_date, clinic_day_bounds};
use registratura_contract::region::KALUGA;
use serde::Deserialize;

use crate::extract::{Path, Query};
use crate::store::rules::Refusal;
use crate::{AppState, Error};

/// The longest range of days one request may ask for.
pub const MAX_DAYS: i64 = 62;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DatesQuery {
    /// The service to book; the doctor must offer it.
    service: i64,
    /// The first day (clinic date, default today).
    from: Option<NaiveDate>,
    /// The last day, inclusive (default 27 days after `from`; at most 62 days in all).
    to: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SlotsQuery {
    /// The service to book; the doctor must offer it.
    service: i64,
    /// The clinic date.
    date: NaiveDate,
}

/// `GET /api/v1/doctors/{id}/dates?service=&from=&to=` — each day from
/// `from` (default today) to `to` (default four weeks on), inclusive.
#[utoipa::path(get, path = "/api/v1/doctors/{id}/dates", tag = "schedule",
    params(("id" = i64, Path, description = "Doctor id"), DatesQuery),
    responses((status = 200, body = Vec<Day>), (status = 400, body = ApiError), (status = 404, body = ApiError),
        (status = 422, body = ApiError, description = "unacceptable_input: «to» before «from», or more than 62 days; service_not_offered")))]
pub async fn dates(
    State(state): State<AppState>,
    Path(doctor_id): Path<i64>,
    Query(query): Query<DatesQuery>,
) -> Result<Json<Vec<Day>>, Error> {
    let zone = KALUGA.time_zone;
    let now = state.clock.now();
    let today = clinic_date(chrono::DateTime::from_timestamp(now, 0).unwrap_or_default(), zone);
    let from = query.from.unwrap_or(today);
    let to = query.to.unwrap_or(from + Duration::days(27));
    check_range(from, to)?;
    let (range_start, _) = clinic_day_bounds(from, zone);
    let (_, range_end) = clinic_day_bounds(to, zone);
    let Some(slots) = state.public.slots(doctor_id, query.service, range_start, range_end).await? else {
        return Err(why_not_offered(&state, doctor_id, query.service).await);
    };
    Ok(Json(days(&slots, from, to, now, zone)))
}

/// `GET /api/v1/doctors/{id}/slots?date=&service=` — the day's slots that
/// have not started yet.
#[utoipa::path(get, path = "/api/v1/doctors/{id}/slots", tag = "schedule",
    params(("id" = i64, Path, description = "Doctor id"), SlotsQuery),
    responses((status = 200, body = Vec<Slot>), (status = 400, body = ApiError), (status = 404, body = ApiError),
        (status = 422, body = ApiError, description = "service_not_offered")))]
pub async fn slots(
    State(state): State<AppState>,
    Path(doctor_id): Path<i64>,
    Query(query): Query<SlotsQuery>,
) -> Result<Json<Vec<Slot>>, Error> {
    let zone = KALUGA.time_zone;
    let now = state.clock.now();
    let (start, end) = clinic_day_bounds(query.date, zone);
    let Some(rows) = state.public.slots(doctor_id, query.service, start, end).await? else {
        return Err(why_not_offered(&state, doctor_id, query.service).await);
    };
    Ok(Json(upcoming_slots(rows, now, zone)))
}

/// Why a doctor has no schedule for a service: no such doctor (404) or a
/// service the doctor does not offer (422).
async fn why_not_offered(state: &AppState, doctor_id: i64, service_id: i64) -> Error {
    match state.public.doctor_offers(doctor_id, service_id).await {
        Ok(None) => Error::NotFound("врач"),
        Ok(Some(_)) => Error::Refused(Refusal::ServiceNotOffered),
        Err(error) => error,
    }
}

/// A calendar's range: «по» not before «с», and at most [`MAX_DAYS`] days.
/// Well-formed dates the schema cannot relate to each other, so a range
/// that breaks this is refused as unacceptable (422), not as malformed.
pub(crate) fn check_range(from: NaiveDate, to: NaiveDate) -> Result<(), Error> {
    if to < from {
        return Err(Error::Unacceptable("дата «по» раньше даты «с»".to_owned()));
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err(Error::Unacceptable(format!("можно запросить не больше {MAX_DAYS} дней")));
    }
    Ok(())
}
