//! «Записи на приём», cancelling, and the ticket: printed (dialog or
//! silent), saved as PDF, or added to a calendar.

use registratura_core::api::Appointment;
use registratura_core::appointments::{arrange, AppointmentLists};
use registratura_core::printing::Sheet;
use registratura_core::{ics, printing, ticket};
use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::CommandError;
use crate::print_dialog;
use crate::state::AppState;

/// The patient's appointments, upcoming first.
#[tauri::command]
pub async fn appointments(state: State<'_, AppState>) -> Result<AppointmentLists, CommandError> {
    let registry = &state.registry;
    let appointments = state.sessions.authorized(|token| async move { registry.appointments(&token).await }).await?;
    Ok(arrange(appointments, chrono::Utc::now()))
}

/// Cancels an appointment; its slot is free for others at once.
#[tauri::command]
pub async fn cancel_appointment(state: State<'_, AppState>, appointment_id: i64) -> Result<Appointment, CommandError> {
    let registry = &state.registry;
    let appointment = state.sessions.authorized(|token| async move { registry.cancel(&token, appointment_id).await }).await?;
    tracing::info!(appointment = appointment.id, "cancelled");
    Ok(appointment)
}

/// «Перенести»: moves an appointment to another time at the server, which
/// claims the new time and frees the old one in one step.
#[tauri::command]
pub async fn move_appointment(state: State<'_, AppState>, appointment_id: i64, slot_id: i64, service_id: Option<i64>) -> Result<Appointment, CommandError> {
    let (registry, to) = (&state.registry, &registratura_core::api::MoveRequest { slot_id, service_id });
    let appointment = state.sessions.authorized(|token| async move { registry.move_appointment(&token, appointment_id, to).await }).await?;
    tracing::info!(appointment = appointment.id, "moved");
    Ok(appointment)
}

/// How a ticket was printed.
#[derive(Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrintMode {
    /// The operating system's print dialog was shown.
    Dialog,
    /// The UI is to draw `sheet` as its print page and print it with
    /// [`print_page`]: the webview's own printing, the same on every system.
    Page,
    /// The ticket went straight to the printer set in the preferences.
    Silent,
}

/// The outcome of «Печать талона».
#[derive(Debug, Serialize)]
pub struct PrintOutcome {
    mode: PrintMode,
    printer: Option<String>,
    /// False when the person closed the dialog without printing.
    printed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<ticket::PrintSheet>,
}

/// «Печать талона»: to the preferred printer without a dialog when one is
/// set, else the ticket's print page for the UI to draw and print through
/// [`print_page`]. Windows has no silent PDF printing of its own, so there
/// the preferred printer gets the print page too, through WebView2, and the
/// answer names the printer for `print_page`.
#[tauri::command]
pub async fn print_ticket(app: AppHandle, state: State<'_, AppState>, appointment_id: i64) -> Result<PrintOutcome, CommandError> {
    let appointment = my_appointment(&state, appointment_id).await?;
    let preferences = state.preferences.load();
    if preferences.silent_printer.is_some() && !cfg!(windows) {
        return print_appointment(&app, &state, appointment).await;
    }
    let sheet = ticket::layout(&appointment, preferences.paper).print_sheet();
    let printer = if cfg!(windows) { preferences.silent_printer.clone() } else { None };
    Ok(PrintOutcome { mode: PrintMode::Page, printer, printed: false, sheet: Some(sheet) })
}

/// Whether the print page went to a printer.
#[derive(Debug, Serialize)]
pub struct PagePrinted {
    /// None where the webview does not tell (Windows, macOS): its own dialog
    /// has spoken to the person.
    printed: Option<bool>,
}

/// Prints the page the window shows in print media (the ticket the UI has
/// just drawn), on `paper`, through the system's print dialog, or straight
/// to `printer` where [`print_ticket`] named one (Windows).
#[tauri::command]
pub async fn print_page(app: AppHandle, paper: ticket::Paper, printer: Option<String>) -> Result<PagePrinted, CommandError> {
    let window = crate::app_window(&app).ok_or_else(|| CommandError::internal("no window".to_owned()))?;
    let printed = match printer {
        Some(printer) => Some(print_dialog::print_page_silently(window, paper.into(), printer).await?),
        None => print_dialog::print_page(window, paper.into()).await?,
    };
    Ok(PagePrinted { printed })
}

/// Prints `appointment`'s ticket as the preferences say: silently or through the dialog.
pub async fn print_appointment(app: &AppHandle, state: &AppState, appointment: Appointment) -> Result<PrintOutcome, CommandError> {
    let paper = state.preferences.load().paper;
    let pdf = render_ticket(state, &appointment, paper).await?;
    print_pdf(app, state, pdf, ticket::file_name(&appointment, "pdf"), paper.into()).await
}

/// Prints a PDF as the preferences say: to the silent printer, else
/// through the OS print dialog.
pub async fn print_pdf(app: &AppHandle, state: &AppState, pdf: Vec<u8>, job: String, sheet: Sheet) -> Result<PrintOutcome, CommandError> {
    if let Some(printer) = state.preferences.load().silent_printer {
        let target = printer.clone();
        tauri::async_runtime::spawn_blocking(move || printing::print_silently(&pdf, &target, &job, sheet))
            .await
            .map_err(|error| CommandError::internal(error.to_string()))??;
        tracing::info!("sent to the silent printer");
        return Ok(PrintOutcome { mode: PrintMode::Silent, printer: Some(printer), printed: true, sheet: None });
    }
    let window = crate::app_window(app).ok_or_else(|| CommandError::internal("no window".to_owned()))?;
    let printed = print_dialog::show(app, window, pdf, job, sheet).await?;
    Ok(PrintOutcome { mode: PrintMode::Dialog, printer: None, printed, sheet: None })
}

/// The outcome of a save dialog: the file's name (never its folder, which
/// the UI has no need of) when the person saved.
#[derive(Debug, Serialize)]
pub struct SavedFile {
    saved: bool,
    file_name: Option<String>,
}

/// «Сохранить PDF»: the ticket's PDF, written where the person chooses.
#[tauri::command]
pub async fn save_ticket_pdf(app: AppHandle, state: State<'_, AppState>, appointment_id: i64, title: String) -> Result<SavedFile, CommandError> {
    let (appointment, pdf) = ticket_pdf(&state, appointment_id, state.preferences.load().paper).await?;
    save_with_dialog(&app, &title, &ticket::file_name(&appointment, "pdf"), ("PDF", "pdf"), pdf).await
}

/// «Добавить в календарь»: an .ics file with the appointment and a reminder.
#[tauri::command]
pub async fn save_calendar(app: AppHandle, state: State<'_, AppState>, appointment_id: i64, title: String) -> Result<SavedFile, CommandError> {
    let appointment = my_appointment(&state, appointment_id).await?;
    let text = ics::appointment_ics(&appointment, chrono::Utc::now());
    save_with_dialog(&app, &title, &ticket::file_name(&appointment, "ics"), ("iCalendar", "ics"), text.into_bytes())
        .await
}

/// One of the signed-in patient's appointments, as the server has it now.
async fn my_appointment(state: &AppState, appointment_id: i64) -> Result<Appointment, CommandError> {
    let registry = &state.registry;
    Ok(state.sessions.authorized(|token| async move { registry.appointment(&token, appointment_id).await }).await?)
}

async fn ticket_pdf(state: &AppState, appointment_id: i64, paper: ticket::Paper) -> Result<(Appointment, Vec<u8>), CommandError> {
    let appointment = my_appointment(state, appointment_id).await?;
    let pdf = render_ticket(state, &appointment, paper).await?;
    Ok((appointment, pdf))
}

async fn render_ticket(state: &AppState, appointment: &Appointment, paper: ticket::Paper) -> Result<Vec<u8>, CommandError> {
    let renderer = state.tickets.clone();
    let layout = ticket::layout(appointment, paper);
    Ok(tauri::async_runtime::spawn_blocking(move || renderer.render(&layout))
        .await
        .map_err(|error| CommandError::internal(error.to_string()))??)
}

pub async fn save_with_dialog(
    app: &AppHandle,
    title: &str,
    suggested: &str,
    filter: (&str, &str),
    bytes: Vec<u8>,
) -> Result<SavedFile, CommandError> {
    // The title is the UI's, in its language; a window title has no use for more.
    let title: String = title.chars().take(120).collect();
    let (chosen, answer) = tokio::sync::oneshot::channel();
    let dialog = app.dialog().file().set_title(title).set_file_name(suggested).add_filter(filter.0, &[filter.1]);
    dialog.save_file(move |path| {
        let _ = chosen.send(path);
    });
    let Some(path) = answer.await.ok().flatten() else {
        return Ok(SavedFile { saved: false, file_name: None });
    };
    let path = path.into_path().map_err(|error| CommandError::internal(format!("the chosen file: {error}")))?;
    tokio::fs::write(&path, bytes).await.map_err(|error| CommandError::internal(format!("writing the file: {error}")))?;
    Ok(SavedFile { saved: true, file_name: path.file_name().map(|name| name.to_string_lossy().into_owned()) })
}
