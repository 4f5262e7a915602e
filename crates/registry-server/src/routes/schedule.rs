//! A doctor's calendar and the slots of one day.

use axum::extract::State;
use axum::Json;
use chrono::{Duration, NaiveDate};
use registratura_core::api::{ApiError, Day, DayStatus, Slot, SlotStatus};
use registratura_core::calendar::{clinic_date, clinic_day_bounds, clinic_instant, clinic_time_of_day};
use registratura_core::region::KALUGA;
use serde::Deserialize;

use crate::extract::{Path, Query};
use crate::store::schedule::SlotRow;
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
    responses((status = 200, body = Vec<Day>), (status = 400, body = ApiError), (status = 404, body = ApiError)))]
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
    if to < from {
        return Err(Error::InvalidInput("дата «по» раньше даты «с»".to_owned()));
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err(Error::InvalidInput(format!("можно запросить не больше {MAX_DAYS} дней")));
    }
    let (range_start, _) = clinic_day_bounds(from, zone);
    let (_, range_end) = clinic_day_bounds(to, zone);
    let slots = state.store.slots(doctor_id, query.service, range_start, range_end).await?;
    if slots.is_empty() {
        check_doctor_offers(&state, doctor_id, query.service).await?;
    }
    Ok(Json(days(&slots, from, to, now)))
}

/// `GET /api/v1/doctors/{id}/slots?date=&service=` — the day's slots that
/// have not started yet.
#[utoipa::path(get, path = "/api/v1/doctors/{id}/slots", tag = "schedule",
    params(("id" = i64, Path, description = "Doctor id"), SlotsQuery),
    responses((status = 200, body = Vec<Slot>), (status = 400, body = ApiError), (status = 404, body = ApiError)))]
pub async fn slots(
    State(state): State<AppState>,
    Path(doctor_id): Path<i64>,
    Query(query): Query<SlotsQuery>,
) -> Result<Json<Vec<Slot>>, Error> {
    let zone = KALUGA.time_zone;
    let now = state.clock.now();
    let (start, end) = clinic_day_bounds(query.date, zone);
    let rows = state.store.slots(doctor_id, query.service, start, end).await?;
    if rows.is_empty() {
        check_doctor_offers(&state, doctor_id, query.service).await?;
    }
    Ok(Json(
        rows.into_iter()
            .filter(|row| row.starts_at > now)
            .map(|row| {
                let start = clinic_instant(row.starts_at, zone);
                Slot {
                    id: row.id,
                    time: clinic_time_of_day(&start),
                    start,
                    end: clinic_instant(row.ends_at, zone),
                    status: row.status,
                }
            })
            .collect(),
    ))
}

/// Why a doctor's day came back empty: no such doctor (404) or a service
/// the doctor does not offer (400); an empty day of a good pair is fine.
async fn check_doctor_offers(state: &AppState, doctor_id: i64, service_id: i64) -> Result<(), Error> {
    match state.store.doctor_offers(doctor_id, service_id).await? {
        None => Err(Error::NotFound("врач")),
        Some(false) => Err(Error::InvalidInput("этот врач не оказывает выбранную услугу".to_owned())),
        Some(true) => Ok(()),
    }
}

/// Each day of `[from, to]` with the number of its free slots that have
/// not started by `now`. A day is available when that number is not zero.
pub fn days(slots: &[SlotRow], from: NaiveDate, to: NaiveDate, now: i64) -> Vec<Day> {
    let zone = KALUGA.time_zone;
    let mut days: Vec<Day> = from
        .iter_days()
        .take_while(|date| *date <= to)
        .map(|date| Day { date, status: DayStatus::Unavailable, free_slots: 0 })
        .collect();
    for slot in slots.iter().filter(|slot| slot.status == SlotStatus::Free && slot.starts_at > now) {
        let date = clinic_instant(slot.starts_at, zone).date_naive();
        if let Some(day) = days.get_mut((date - from).num_days() as usize) {
            day.free_slots += 1;
            day.status = DayStatus::Available;
        }
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_available_only_with_a_future_free_slot() {
        let from = NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
        let (day_start, _) = clinic_day_bounds(from, KALUGA.time_zone);
        let at = |hour: i64| day_start + hour * 3600;
        let slots = [
            SlotRow { id: 1, starts_at: at(9), ends_at: at(9) + 900, status: SlotStatus::Busy },
            SlotRow { id: 2, starts_at: at(10), ends_at: at(10) + 900, status: SlotStatus::Unavailable },
            SlotRow { id: 3, starts_at: at(24 + 9), ends_at: at(24 + 9) + 900, status: SlotStatus::Free },
            SlotRow { id: 4, starts_at: at(48 + 9), ends_at: at(48 + 9) + 900, status: SlotStatus::Free },
        ];
        let to = from + Duration::days(2);
        let early = days(&slots, from, to, at(8));
        assert_eq!(early.len(), 3);
        assert_eq!(early[0].status, DayStatus::Unavailable, "busy and reserved slots only");
        assert_eq!((early[1].status, early[1].free_slots), (DayStatus::Available, 1));
        assert_eq!((early[2].status, early[2].free_slots), (DayStatus::Available, 1));
        // Once the third day's only free slot has started, the day is gone.
        let late = days(&slots, from, to, at(48 + 9) + 60);
        assert_eq!(late[2].status, DayStatus::Unavailable);
    }
}
