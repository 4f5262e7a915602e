//! The booking steps that need the server and the signed-in patient:
//! consent, contact phone, and the booking itself.

use registratura_core::api::{Appointment, BookingRequest, Consent};
use registratura_core::identity::Phone;
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// The consent text the patient reads and agrees to.
#[tauri::command]
pub async fn consent(state: State<'_, AppState>) -> Result<Consent, CommandError> {
    Ok(state.registry.consent().await?)
}

/// What the phone step needs of the profile.
#[derive(Debug, Serialize)]
pub struct ProfileView {
    phones: Vec<Phone>,
    confirmed: bool,
}

/// The signed-in patient's saved phones and whether they may book.
#[tauri::command]
pub async fn profile(state: State<'_, AppState>) -> Result<ProfileView, CommandError> {
    let registry = &state.registry;
    let profile = state.sessions.authorized(|token| async move { registry.profile(&token).await }).await?;
    Ok(ProfileView { phones: profile.phones, confirmed: profile.confirmed })
}

/// The saved phones after saving one.
#[derive(Debug, Serialize)]
pub struct PhonesView {
    phones: Vec<Phone>,
}

/// Saves a new contact phone (`+7` and ten digits) to the profile.
#[tauri::command]
pub async fn save_phone(state: State<'_, AppState>, phone: String) -> Result<PhonesView, CommandError> {
    let phone = Phone::parse(&phone)?;
    let registry = &state.registry;
    let phones = state
        .sessions
        .authorized(|token| {
            let phone = phone.clone();
            async move { registry.add_phone(&token, phone).await }
        })
        .await?;
    Ok(PhonesView { phones })
}

/// The booking the confirm step sends.
#[derive(Debug, Deserialize)]
pub struct BookCommand {
    slot_id: i64,
    service_id: i64,
    consent_version: String,
    /// `None` when the patient chose not to give a phone.
    phone: Option<String>,
    /// Made by the confirm step and kept for its retries, so that a retry
    /// after a lost answer returns the first booking instead of a second.
    idempotency_key: String,
}

/// Books the slot.
#[tauri::command]
pub async fn book(state: State<'_, AppState>, request: BookCommand) -> Result<Appointment, CommandError> {
    let phone = request.phone.as_deref().map(Phone::parse).transpose()?;
    let booking = BookingRequest { slot_id: request.slot_id, service_id: request.service_id, consent_version: request.consent_version, phone };
    let (registry, key, booking) = (&state.registry, &request.idempotency_key, &booking);
    let appointment = state.sessions.authorized(|token| async move { registry.book(&token, key, booking).await }).await?;
    tracing::info!(appointment = appointment.id, "booked");
    Ok(appointment)
}
