//! The lobby kiosk (`REGISTRATURA_MODE=kiosk`): the device's credential,
//! identifying the patient by policy and birth date, booking, their
//! appointments, «Я пришёл», silent printing to the kiosk's printer, and the
//! settings behind the admin PIN. Each command calls the core's kiosk
//! terminal; the patient is forgotten by `kiosk_forget`.

use chrono::NaiveDate;
use registratura_core::api::kiosk::CheckedIn;
use registratura_core::api::{Appointment, BookingRequest, Day, Service, Slot};
use registratura_core::appointments::{arrange, AppointmentLists};
use registratura_core::cache::DoctorChoice;
use registratura_core::kiosk::{check_in_slip, ticket_layout, KioskView};
use registratura_core::printing::{self, Sheet};
use registratura_core::sensitive::Sensitive;
use registratura_core::ticket::{Paper, TicketLayout};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::CommandError;
use crate::settings::AppMode;
use crate::state::{AppState, PortalMode};

/// The start screen's knowledge: the terminal, how long a step waits, and
/// on the embedded demo region the PIN and a patient to try.
#[derive(Debug, Serialize)]
pub struct KioskScreen {
    #[serde(flatten)]
    view: KioskView,
    step_seconds: u32,
    demo: bool,
    /// Today in the clinics' zone, `YYYY-MM-DD`: «Я пришёл» lists today's appointments.
    today: NaiveDate,
}

fn screen(state: &AppState) -> KioskScreen {
    KioskScreen {
        view: state.kiosk.view(),
        step_seconds: state.preferences.load().terminal_step_seconds,
        demo: state.mode == PortalMode::Embedded,
        today: registratura_core::calendar::clinic_date(chrono::Utc::now(), registratura_core::region::KALUGA.time_zone),
    }
}

fn kiosk_only(state: &AppState) -> Result<(), CommandError> {
    if state.app_mode == AppMode::Kiosk {
        Ok(())
    } else {
        Err(registratura_core::Error::Forbidden.into())
    }
}

/// The terminal as the start screen shows it.
#[tauri::command]
pub fn kiosk_view(state: State<'_, AppState>) -> KioskScreen {
    screen(&state)
}

/// Enters the device credential an admin was given by `kiosk register`.
#[tauri::command]
pub async fn kiosk_enroll(state: State<'_, AppState>, credential: String) -> Result<KioskScreen, CommandError> {
    kiosk_only(&state)?;
    state.kiosk.enroll(&state.registry, &state.kiosk_keyring, Sensitive::new(credential)).await?;
    Ok(screen(&state))
}

/// Whether a typed or scanned text is an ОМС policy number (`not_a_policy`
/// if not), before the birth date is asked for.
#[tauri::command]
pub fn kiosk_check_policy(policy: String) -> Result<(), CommandError> {
    registratura_core::identity::PolicyNumber::parse(&policy).map(|_| ()).map_err(|_| registratura_core::Error::NotAPolicy.into())
}

/// Identifies the patient at the screen; answers their initials.
#[tauri::command]
pub async fn kiosk_identify(state: State<'_, AppState>, policy: String, birth_date: NaiveDate) -> Result<String, CommandError> {
    kiosk_only(&state)?;
    Ok(state.kiosk.identify(&state.registry, &policy, birth_date).await?)
}

/// «Завершить», or a step left alone: the patient is forgotten.
#[tauri::command]
pub async fn kiosk_forget(state: State<'_, AppState>) -> Result<KioskScreen, CommandError> {
    state.kiosk.forget(&state.registry).await;
    Ok(screen(&state))
}

/// The services of the kiosk's clinic, from the schedule cache.
#[tauri::command]
pub async fn kiosk_services(state: State<'_, AppState>, query: String) -> Result<Vec<Service>, CommandError> {
    let clinic_id = state.kiosk.device()?.clinic_id;
    Ok(state.cache.services(clinic_id, &query).await?)
}

/// The doctors of the kiosk's clinic offering a service, from the cache.
#[tauri::command]
pub async fn kiosk_doctors(state: State<'_, AppState>, service_id: i64) -> Result<Vec<DoctorChoice>, CommandError> {
    let clinic_id = state.kiosk.device()?.clinic_id;
    Ok(state.cache.doctors(clinic_id, service_id, "", chrono::Utc::now().timestamp()).await?)
}

/// A doctor's next two weeks as the kiosk may book them, from the server.
#[tauri::command]
pub async fn kiosk_dates(state: State<'_, AppState>, doctor_id: i64, service_id: i64) -> Result<Vec<Day>, CommandError> {
    let registry = &state.registry;
    Ok(state.kiosk.for_device(|credential| async move { registry.kiosk_dates(&credential, doctor_id, service_id).await }).await?)
}

/// A doctor's day as the kiosk may book it, from the server.
#[tauri::command]
pub async fn kiosk_slots(state: State<'_, AppState>, doctor_id: i64, service_id: i64, date: NaiveDate) -> Result<Vec<Slot>, CommandError> {
    let registry = &state.registry;
    Ok(state.kiosk.for_device(|credential| async move { registry.kiosk_slots(&credential, doctor_id, service_id, date).await }).await?)
}

/// What «Записаться» answers: the appointment, and whether its ticket printed.
#[derive(Debug, Serialize)]
pub struct KioskBooked {
    appointment: Appointment,
    printed: bool,
    /// The print failure's kind when it did not print; the booking stands.
    print_error: Option<CommandError>,
}

/// One booking at the kiosk.
#[derive(Debug, Deserialize)]
pub struct KioskBookCommand {
    slot_id: i64,
    service_id: i64,
    consent_version: String,
    /// The same key on a retry, so a second tap books once.
    idempotency_key: String,
}

/// Books for the identified patient and prints the ticket silently.
#[tauri::command]
pub async fn kiosk_book(state: State<'_, AppState>, request: KioskBookCommand) -> Result<KioskBooked, CommandError> {
    kiosk_only(&state)?;
    let booking = BookingRequest { slot_id: request.slot_id, service_id: request.service_id, consent_version: request.consent_version, phone: None };
    let (registry, key, booking) = (&state.registry, &request.idempotency_key, &booking);
    let appointment = state.kiosk.for_patient(|credential, visit| async move { registry.kiosk_book(&credential, &visit, key, booking).await }).await?;
    tracing::info!(appointment = appointment.id, "booked at the kiosk");
    let printed = print_ticket_of(&state, &appointment).await;
    Ok(KioskBooked { appointment, printed: printed.is_ok(), print_error: printed.err() })
}

/// The identified patient's appointments, upcoming first.
#[tauri::command]
pub async fn kiosk_appointments(state: State<'_, AppState>) -> Result<AppointmentLists, CommandError> {
    let registry = &state.registry;
    let all = state.kiosk.for_patient(|credential, visit| async move { registry.kiosk_appointments(&credential, &visit).await }).await?;
    Ok(arrange(all, chrono::Utc::now()))
}

/// Cancels one of the identified patient's appointments.
#[tauri::command]
pub async fn kiosk_cancel(state: State<'_, AppState>, appointment_id: i64) -> Result<Appointment, CommandError> {
    let registry = &state.registry;
    Ok(state.kiosk.for_patient(|credential, visit| async move { registry.kiosk_cancel(&credential, &visit, appointment_id).await }).await?)
}

/// Prints one of the identified patient's tickets again.
#[tauri::command]
pub async fn kiosk_print_ticket(state: State<'_, AppState>, appointment_id: i64) -> Result<(), CommandError> {
    let registry = &state.registry;
    let all = state.kiosk.for_patient(|credential, visit| async move { registry.kiosk_appointments(&credential, &visit).await }).await?;
    let appointment = all.into_iter().find(|appointment| appointment.id == appointment_id).ok_or(registratura_core::Error::NotFound)?;
    print_ticket_of(&state, &appointment).await
}

/// What «Я пришёл» answers.
#[derive(Debug, Serialize)]
pub struct KioskCheckedIn {
    #[serde(flatten)]
    checked_in: CheckedIn,
    printed: bool,
    print_error: Option<CommandError>,
}

/// «Я пришёл»: marks the arrival and prints the slip with the room and the
/// place in the queue.
#[tauri::command]
pub async fn kiosk_check_in(state: State<'_, AppState>, appointment_id: i64) -> Result<KioskCheckedIn, CommandError> {
    kiosk_only(&state)?;
    let registry = &state.registry;
    let checked_in = state.kiosk.for_patient(|credential, visit| async move { registry.kiosk_check_in(&credential, &visit, appointment_id).await }).await?;
    let slip = check_in_slip(&checked_in, &state.kiosk.initials()?);
    let printed = print_layout(&state, slip, format!("prihod-{}", checked_in.appointment.ticket), Sheet::A6).await;
    Ok(KioskCheckedIn { checked_in, printed: printed.is_ok(), print_error: printed.err() })
}

async fn print_ticket_of(state: &AppState, appointment: &Appointment) -> Result<(), CommandError> {
    let paper = state.preferences.load().paper;
    let layout = ticket_layout(appointment, paper, &state.kiosk.initials()?);
    print_layout(state, layout, registratura_core::ticket::file_name(appointment, "pdf"), paper.into()).await
}

/// Renders a layout and sends it to the kiosk's printer: the one its admin
/// set, else the system's default. A kiosk never shows a print dialog.
async fn print_layout(state: &AppState, layout: TicketLayout, job: String, sheet: Sheet) -> Result<(), CommandError> {
    let printer = state
        .preferences
        .load()
        .silent_printer
        .or_else(printing::default_printer)
        .ok_or_else(|| registratura_core::Error::PrinterMissing(String::new()))?;
    let renderer = state.tickets.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let pdf = renderer.render(&layout)?;
        printing::print_silently(&pdf, &printer, &job, sheet)
    })
    .await
    .map_err(|error| CommandError::internal(error.to_string()))??;
    tracing::info!("printed at the kiosk");
    Ok(())
}

/// The settings an admin may change at the kiosk.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KioskSettings {
    printer: Option<String>,
    paper: Paper,
    step_seconds: u32,
    /// The printers the print system knows, to choose from.
    #[serde(default)]
    printers: Vec<String>,
}

/// Checks the admin PIN with the server and answers the settings.
#[tauri::command]
pub async fn kiosk_settings(state: State<'_, AppState>, pin: String) -> Result<KioskSettings, CommandError> {
    kiosk_only(&state)?;
    let (registry, pin) = (&state.registry, &Sensitive::new(pin));
    state.kiosk.for_device(|credential| async move { registry.kiosk_pin(&credential, pin).await }).await?;
    let preferences = state.preferences.load();
    Ok(KioskSettings {
        printer: preferences.silent_printer,
        paper: preferences.paper,
        step_seconds: preferences.terminal_step_seconds,
        printers: printing::printers(),
    })
}

/// Saves the settings; the PIN is checked again, since the screen that
/// asked for it may have been left open.
#[tauri::command]
pub async fn kiosk_settings_set(state: State<'_, AppState>, pin: String, settings: KioskSettings) -> Result<KioskScreen, CommandError> {
    kiosk_only(&state)?;
    let (registry, pin) = (&state.registry, &Sensitive::new(pin));
    state.kiosk.for_device(|credential| async move { registry.kiosk_pin(&credential, pin).await }).await?;
    let mut preferences = state.preferences.load();
    preferences.silent_printer = settings.printer.filter(|name| !name.trim().is_empty());
    preferences.paper = settings.paper;
    preferences.terminal_step_seconds = settings.step_seconds;
    state.preferences.save(&preferences)?;
    Ok(screen(&state))
}
