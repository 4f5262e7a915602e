//! The wizard's lists and calendars, answered from the schedule cache, and
//! the sync that fills it.

use chrono::NaiveDate;
use registratura_core::api::{Clinic, Organization, Service, Slot};
use registratura_core::cache::{BookingAgain, DoctorChoice, Month, NearestScope, NearestTime, SyncOutcome};
use registratura_core::calendar;
use registratura_core::region::KALUGA;
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};

use crate::error::CommandError;
use crate::state::AppState;

/// What the wizard needs to know about the cache before the first step.
#[derive(Debug, Serialize)]
pub struct CacheStatusView {
    ready: bool,
    /// The last sync, RFC 3339 with the clinic's offset.
    synced_at: Option<String>,
    /// The same as «данные на …» shows it.
    synced_at_local: Option<String>,
    slots: i64,
}

/// Whether the cache can answer, and as of when.
#[tauri::command]
pub async fn cache_status(state: State<'_, AppState>) -> Result<CacheStatusView, CommandError> {
    let status = state.cache.status().await?;
    Ok(CacheStatusView {
        ready: status.ready,
        synced_at: status.synced_at.map(|at| calendar::clinic_instant(at, KALUGA.time_zone).to_rfc3339()),
        synced_at_local: status.synced_at.map(|at| calendar::as_of(at, chrono::Utc::now(), KALUGA.time_zone)),
        slots: status.slots,
    })
}

/// A finished sync, for the wizard.
#[derive(Debug, Serialize)]
pub struct SyncView {
    outcome: SyncOutcome,
    slots_written: usize,
    synced_at_local: String,
}

/// Brings the cache up to date, reporting progress as `sync-progress`
/// events. Runs on the async runtime, so the window stays responsive.
#[tauri::command]
pub async fn sync_schedule(app: AppHandle, state: State<'_, AppState>) -> Result<SyncView, CommandError> {
    let report = state
        .cache
        .sync(&state.registry, &|progress| {
            let _ = app.emit("sync-progress", progress);
        })
        .await?;
    tracing::info!(outcome = ?report.outcome, slots = report.slots_written, download_ms = report.download_ms, write_ms = report.write_ms, "schedule synced");
    Ok(SyncView {
        outcome: report.outcome,
        slots_written: report.slots_written,
        synced_at_local: calendar::as_of(report.synced_at, chrono::Utc::now(), KALUGA.time_zone),
    })
}

/// Organisations matching the search.
#[tauri::command]
pub async fn organizations(state: State<'_, AppState>, query: Option<String>) -> Result<Vec<Organization>, CommandError> {
    Ok(state.cache.organizations(query.as_deref().unwrap_or_default()).await?)
}

/// An organisation's clinics matching the search.
#[tauri::command]
pub async fn clinics(state: State<'_, AppState>, organization_id: i64, query: Option<String>) -> Result<Vec<Clinic>, CommandError> {
    Ok(state.cache.clinics(organization_id, query.as_deref().unwrap_or_default()).await?)
}

/// A clinic's services matching the search by name or code.
#[tauri::command]
pub async fn services(state: State<'_, AppState>, clinic_id: i64, query: Option<String>) -> Result<Vec<Service>, CommandError> {
    Ok(state.cache.services(clinic_id, query.as_deref().unwrap_or_default()).await?)
}

/// A clinic's doctors for a service, matching the search by surname.
#[tauri::command]
pub async fn doctors(
    state: State<'_, AppState>,
    clinic_id: i64,
    service_id: i64,
    query: Option<String>,
) -> Result<Vec<DoctorChoice>, CommandError> {
    let now = chrono::Utc::now().timestamp();
    Ok(state.cache.doctors(clinic_id, service_id, query.as_deref().unwrap_or_default(), now).await?)
}

/// A month of the doctor's calendar; `month` is `YYYY-MM`.
#[tauri::command]
pub async fn month(state: State<'_, AppState>, doctor_id: i64, service_id: i64, month: String) -> Result<Month, CommandError> {
    let first_day = first_day_of(&month)?;
    Ok(state.cache.month(doctor_id, service_id, first_day, chrono::Utc::now().timestamp()).await?)
}

/// The first day of a month the UI names as "YYYY-MM".
pub(crate) fn first_day_of(month: &str) -> Result<NaiveDate, CommandError> {
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .map_err(|_| CommandError::invalid_input(format!("month must be YYYY-MM, got {month:?}")))
}

/// A day's slots for the time step.
#[derive(Debug, Serialize)]
pub struct DayView {
    /// True when the server answered just now; false when it could not be
    /// reached and the slots are the cache's copy.
    fresh: bool,
    /// For a stale answer: «данные на …».
    as_of_local: Option<String>,
    slots: Vec<Slot>,
}

/// The day's slots, re-read from the server before they are offered.
#[tauri::command]
pub async fn day_slots(state: State<'_, AppState>, doctor_id: i64, service_id: i64, date: String) -> Result<DayView, CommandError> {
    let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
        .map_err(|_| CommandError::invalid_input(format!("date must be YYYY-MM-DD, got {date:?}")))?;
    let now = chrono::Utc::now();
    let day = state.cache.fresh_day(&state.registry, doctor_id, service_id, date, now.timestamp()).await?;
    let as_of_local = if day.fresh {
        None
    } else {
        state.cache.status().await?.synced_at.map(|at| calendar::as_of(at, now, KALUGA.time_zone))
    };
    Ok(DayView { fresh: day.fresh, as_of_local, slots: day.slots })
}

/// «Ближайшее время»: the first free time of the service across the doctors
/// of a clinic, an organisation (`scope_id` names either) or the region,
/// confirmed by the server. `None` when nobody in scope has one.
#[tauri::command]
pub async fn nearest_time(
    state: State<'_, AppState>,
    service_id: i64,
    scope: String,
    scope_id: Option<i64>,
) -> Result<Option<NearestTime>, CommandError> {
    let scope = match (scope.as_str(), scope_id) {
        ("clinic", Some(id)) => NearestScope::Clinic(id),
        ("organization", Some(id)) => NearestScope::Organization(id),
        ("region", None) => NearestScope::Region,
        _ => {
            return Err(CommandError::invalid_input(format!(
                "no such scope: {scope:?} with {scope_id:?}"
            )))
        }
    };
    Ok(state
        .cache
        .nearest(
            &state.registry,
            service_id,
            scope,
            chrono::Utc::now().timestamp(),
        )
        .await?)
}

/// «Записаться снова»: where the wizard opens for a past appointment of the
/// doctor for the service in the clinic.
#[tauri::command]
pub async fn booking_again(
    state: State<'_, AppState>,
    clinic_id: i64,
    doctor_id: i64,
    service_id: i64,
) -> Result<BookingAgain, CommandError> {
    let now = chrono::Utc::now().timestamp();
    Ok(state.cache.booking_again(&state.registry, clinic_id, doctor_id, service_id, now).await?)
}
