//! The reception desk (`REGISTRATURA_MODE=desk`): the staff sign-in, finding
//! and registering patients, the day board, booking, moving, cancelling,
//! day marks and the ticket. Each command calls the core's desk client.

use chrono::NaiveDate;
use registratura_core::api::desk::{CancelReason, DeskBooking, DeskMove, PatientsFound, Registered};
use registratura_core::api::{Appointment, BookingRequest};
use registratura_core::cache::Month;
use registratura_core::appointments::{arrange, AppointmentLists};
use registratura_core::desk::{day_board, DayBoard, DayMark, DeskView, NearestTime, NewPatient, PatientLookup};
use registratura_core::day_list;
use registratura_core::identity::Phone;
use registratura_core::printing::Sheet;
use registratura_core::region::KALUGA;
use registratura_core::sensitive::Sensitive;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::commands::tickets::{print_appointment, print_pdf, save_with_dialog, PrintOutcome, SavedFile};
use crate::error::CommandError;
use crate::settings::AppMode;
use crate::state::{AppState, PortalMode};

/// The desk's sign-in, plus the demo's login on the embedded demo region
/// so that a newcomer can try the desk at once.
#[derive(Debug, Clone, Serialize)]
pub struct DeskScreen {
    #[serde(flatten)]
    view: DeskView,
    demo: Option<DemoLogin>,
}

/// A demo registrar's sign-in; only ever for the embedded demo region.
#[derive(Debug, Clone, Serialize)]
pub struct DemoLogin {
    login: String,
    password: &'static str,
}

pub(crate) fn screen(state: &AppState, view: DeskView) -> DeskScreen {
    let demo = (state.mode == PortalMode::Embedded)
        .then(|| DemoLogin { login: registry_server::demo::registrar_login(1), password: registry_server::demo::STAFF_PASSWORD });
    DeskScreen { view, demo }
}

/// Who is signed in at the desk.
#[tauri::command]
pub fn desk_view(state: State<'_, AppState>) -> DeskScreen {
    screen(&state, state.desk.view())
}

/// Signs a staff member in with their login and password. Only an app
/// deployed as a desk signs staff in: every other desk command needs that
/// sign-in, so a patient's app can reach none of them.
#[tauri::command]
pub async fn desk_sign_in(state: State<'_, AppState>, login: String, password: String) -> Result<DeskScreen, CommandError> {
    if state.app_mode != AppMode::Desk {
        return Err(registratura_core::Error::Forbidden.into());
    }
    let view = state.desk.sign_in(&state.registry, &login, &Sensitive::new(password)).await?;
    Ok(screen(&state, view))
}

/// «Войти через ЕСИА» at the desk: opens the system browser at the broker,
/// which comes back by the app's scheme (or its loopback listener).
#[tauri::command]
pub async fn desk_esia_start(app: AppHandle, state: State<'_, AppState>) -> Result<(), CommandError> {
    if state.app_mode != AppMode::Desk {
        return Err(registratura_core::Error::Forbidden.into());
    }
    let url = state.desk.start_esia(&state.registry, &state.sessions.redirect_uri())?;
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|error| CommandError::internal(format!("could not open the browser: {error}")))
}

/// Forgets the sign-in through ESIA in progress («Отмена»).
#[tauri::command]
pub fn desk_esia_cancel(state: State<'_, AppState>) {
    state.desk.cancel_esia();
}

/// Signs the staff member out, here and at the server.
#[tauri::command]
pub async fn desk_sign_out(state: State<'_, AppState>) -> Result<DeskScreen, CommandError> {
    let view = state.desk.sign_out(&state.registry).await;
    Ok(screen(&state, view))
}

/// Switches the desk to another of the staff member's clinics.
#[tauri::command]
pub fn desk_choose_clinic(state: State<'_, AppState>, clinic_id: i64) -> Result<DeskScreen, CommandError> {
    let view = state.desk.choose_clinic(clinic_id)?;
    Ok(screen(&state, view))
}

/// Patients matching one of: policy, СНИЛС, or surname and birth date.
#[tauri::command]
pub async fn desk_search(state: State<'_, AppState>, lookup: PatientLookup) -> Result<PatientsFound, CommandError> {
    let (registry, lookup) = (&state.registry, &lookup);
    Ok(state.desk.authorized(|token, clinic| async move { registry.desk_search(&token, clinic, lookup).await }).await?)
}

/// A patient's appointments at the desk's clinic, upcoming first.
#[derive(Debug, Serialize)]
pub struct PatientView {
    patient_id: i64,
    #[serde(flatten)]
    appointments: AppointmentLists,
}

/// Opens a patient's card.
#[tauri::command]
pub async fn desk_patient(state: State<'_, AppState>, patient_id: i64) -> Result<PatientView, CommandError> {
    let registry = &state.registry;
    let card = state.desk.authorized(|token, clinic| async move { registry.desk_patient(&token, clinic, patient_id).await }).await?;
    Ok(PatientView { patient_id: card.patient_id, appointments: arrange(card.appointments, chrono::Utc::now()) })
}

/// Registers a new patient at the desk's clinic.
#[tauri::command]
pub async fn desk_register(state: State<'_, AppState>, patient: NewPatient) -> Result<Registered, CommandError> {
    patient.check(registratura_core::calendar::clinic_date(chrono::Utc::now(), KALUGA.time_zone))?;
    let (registry, patient) = (&state.registry, &patient);
    Ok(state
        .desk
        .authorized(|token, clinic| async move { registry.desk_register(&token, &patient.clone().at(clinic)).await })
        .await?)
}

/// The desk clinic's day (today when no date is given), optionally for one
/// service's doctors.
#[tauri::command]
pub async fn desk_board(state: State<'_, AppState>, date: Option<NaiveDate>, service_id: Option<i64>) -> Result<DayBoard, CommandError> {
    let date = date.unwrap_or_else(|| registratura_core::calendar::clinic_date(chrono::Utc::now(), KALUGA.time_zone));
    let registry = &state.registry;
    let columns = state.desk.authorized(|token, clinic| async move { registry.desk_board(&token, clinic, date, service_id).await }).await?;
    Ok(day_board(columns, date, chrono::Utc::now(), KALUGA.time_zone))
}

/// The first free time of a service across the clinic's doctors; with
/// `reserved_only`, the first kept for the desk.
#[tauri::command]
pub async fn desk_nearest(
    state: State<'_, AppState>,
    service_id: i64,
    from: Option<NaiveDate>,
    reserved_only: bool,
) -> Result<NearestTime, CommandError> {
    let registry = &state.registry;
    let nearest = state
        .desk
        .authorized(|token, clinic| async move { registry.desk_nearest(&token, clinic, service_id, from, reserved_only).await })
        .await?;
    Ok(NearestTime::new(nearest, KALUGA.time_zone))
}

/// A booking at the desk.
#[derive(Debug, Deserialize)]
pub struct DeskBookCommand {
    patient_id: i64,
    slot_id: i64,
    service_id: i64,
    /// The consent the patient agreed to in person at the window.
    consent_version: String,
    phone: Option<String>,
    /// Kept by the screen for its retries: a lost answer never books twice.
    idempotency_key: String,
}

/// Books a slot (a reserved one too) for the patient at the window.
#[tauri::command]
pub async fn desk_book(state: State<'_, AppState>, request: DeskBookCommand) -> Result<Appointment, CommandError> {
    let phone = request.phone.as_deref().filter(|phone| !phone.trim().is_empty()).map(Phone::parse).transpose()?;
    let booking = DeskBooking {
        patient_id: request.patient_id,
        booking: BookingRequest { slot_id: request.slot_id, service_id: request.service_id, consent_version: request.consent_version, phone },
    };
    let (registry, key, booking) = (&state.registry, &request.idempotency_key, &booking);
    let appointment = state.desk.authorized(|token, _| async move { registry.desk_book(&token, key, booking).await }).await?;
    tracing::info!(appointment = appointment.id, "booked at the desk");
    Ok(appointment)
}

/// Cancels an appointment for a reason.
#[tauri::command]
pub async fn desk_cancel(state: State<'_, AppState>, appointment_id: i64, reason: CancelReason) -> Result<Appointment, CommandError> {
    let registry = &state.registry;
    Ok(state.desk.authorized(|token, _| async move { registry.desk_cancel(&token, appointment_id, reason).await }).await?)
}

/// Moves an appointment to another slot, atomically at the server.
#[tauri::command]
pub async fn desk_move(state: State<'_, AppState>, appointment_id: i64, slot_id: i64, service_id: Option<i64>) -> Result<Appointment, CommandError> {
    let (registry, to) = (&state.registry, &DeskMove { slot_id, service_id });
    Ok(state.desk.authorized(|token, _| async move { registry.desk_move(&token, appointment_id, to).await }).await?)
}

/// «Пришёл», «Не явился», or undoing either.
#[tauri::command]
pub async fn desk_mark(state: State<'_, AppState>, appointment_id: i64, mark: DayMark) -> Result<Appointment, CommandError> {
    let registry = &state.registry;
    Ok(state.desk.authorized(|token, _| async move { registry.desk_mark(&token, appointment_id, mark).await }).await?)
}

/// Prints an appointment's ticket: silently to the desk printer when one is set.
#[tauri::command]
pub async fn desk_print_ticket(app: AppHandle, state: State<'_, AppState>, appointment_id: i64) -> Result<PrintOutcome, CommandError> {
    let registry = &state.registry;
    let appointment = state.desk.authorized(|token, _| async move { registry.desk_appointment(&token, appointment_id).await }).await?;
    print_appointment(&app, &state, appointment).await
}

/// The doctor's day list as an A4 PDF, with its suggested file name.
async fn day_list_pdf(state: &AppState, doctor_id: i64, date: NaiveDate) -> Result<(Vec<u8>, String), CommandError> {
    let registry = &state.registry;
    let list = state.desk.authorized(|token, _| async move { registry.desk_day_list(&token, doctor_id, date).await }).await?;
    let layout = day_list::layout(&list, KALUGA.time_zone);
    let renderer = state.tickets.clone();
    let pdf = tauri::async_runtime::spawn_blocking(move || day_list::render(&renderer, &layout))
        .await
        .map_err(|error| CommandError::internal(error.to_string()))??;
    Ok((pdf, day_list::file_name(&list)))
}

/// Prints a doctor's day list on A4: to the desk printer when one is set.
#[tauri::command]
pub async fn desk_print_day_list(app: AppHandle, state: State<'_, AppState>, doctor_id: i64, date: NaiveDate) -> Result<PrintOutcome, CommandError> {
    let (pdf, job) = day_list_pdf(&state, doctor_id, date).await?;
    print_pdf(&app, &state, pdf, job, Sheet::A4).await
}

/// Saves a doctor's day list as a PDF where the registrar chooses.
#[tauri::command]
pub async fn desk_save_day_list(
    app: AppHandle,
    state: State<'_, AppState>,
    doctor_id: i64,
    date: NaiveDate,
    title: String,
) -> Result<SavedFile, CommandError> {
    let (pdf, name) = day_list_pdf(&state, doctor_id, date).await?;
    save_with_dialog(&app, &title, &name, ("PDF", "pdf"), pdf).await
}

/// A month of the desk clinic's calendar ("YYYY-MM"), from the schedule
/// cache: which days still have a time the desk may take (of the service,
/// when one is chosen). The shared calendar draws it for Ctrl+G.
#[tauri::command]
pub async fn desk_month(state: State<'_, AppState>, month: String, service_id: Option<i64>) -> Result<Month, CommandError> {
    let first_day = crate::commands::directory::first_day_of(&month)?;
    let clinic_id = state.desk.view().clinic_id.ok_or(registratura_core::Error::SessionExpired)?;
    Ok(state.cache.clinic_month(clinic_id, service_id, first_day, chrono::Utc::now().timestamp()).await?)
}
