//! The error a command returns to the UI.

use serde::Serialize;

/// Sent to the UI as `{"kind": "...", "message": "..."}`. The UI shows its
/// own Russian text for `kind`; `message` is for the developer console only
/// and never carries personal data.
#[derive(Debug, Serialize)]
pub struct CommandError {
    kind: registratura_core::ErrorKind,
    message: String,
    /// What some kinds carry besides; boxed, since most errors carry none
    /// and a command's `Result` stays small.
    #[serde(flatten)]
    details: Box<Details>,
}

/// The fields of a [`CommandError`] that only some kinds have.
#[derive(Debug, Default, Serialize)]
struct Details {
    /// For `already_booked`: the ticket of the appointment in the way, which
    /// the patient needs to decide what to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    existing_ticket: Option<String>,
    /// For `already_booked`: `same_time` or `same_service`, which say
    /// different things to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    clash: Option<registratura_core::api::Clash>,
    /// For `printer_missing`: the printer set in the preferences, so the
    /// message can name it.
    #[serde(skip_serializing_if = "Option::is_none")]
    printer: Option<String>,
    /// For a form's `invalid_input`: each field and its problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fields: Vec<registratura_core::desk::FieldProblem>,
    /// For `patient_exists`: the patient already registered.
    #[serde(skip_serializing_if = "Option::is_none")]
    patient_id: Option<i64>,
    /// For `policy_locked` and `too_many_attempts`: whole minutes to wait.
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_minutes: Option<i64>,
}

impl CommandError {
    /// Input from the UI that does not parse; the message names the field.
    pub fn invalid_input(message: String) -> Self {
        tracing::warn!(%message, "command refused its input");
        Self { kind: registratura_core::ErrorKind::InvalidInput, message, details: Box::default() }
    }

    /// A failure of the shell itself (a plugin, the window).
    pub fn internal(message: String) -> Self {
        tracing::warn!(%message, "command failed");
        Self { kind: registratura_core::ErrorKind::Internal, message, details: Box::default() }
    }
}

impl From<registratura_core::InvalidInput> for CommandError {
    fn from(error: registratura_core::InvalidInput) -> Self {
        registratura_core::Error::from(error).into()
    }
}

impl From<registratura_core::Error> for CommandError {
    fn from(error: registratura_core::Error) -> Self {
        tracing::warn!(kind = ?error.kind(), "command failed");
        let (existing_ticket, clash) = match &error {
            registratura_core::Error::AlreadyBooked { existing_ticket, clash } => (existing_ticket.clone(), *clash),
            _ => (None, None),
        };
        let printer = match &error {
            registratura_core::Error::PrinterMissing(name) => Some(name.clone()),
            _ => None,
        };
        let fields = match &error {
            registratura_core::Error::InvalidFields(fields) => fields.clone(),
            _ => Vec::new(),
        };
        let patient_id = match &error {
            registratura_core::Error::PatientExists { patient_id } => *patient_id,
            _ => None,
        };
        let retry_minutes = match &error {
            registratura_core::Error::PolicyLocked { retry_after } | registratura_core::Error::TooManyAttempts { retry_after } => {
                retry_after.map(|seconds| (seconds + 59) / 60)
            }
            _ => None,
        };
        Self { kind: error.kind(), message: error.to_string(), details: Box::new(Details { existing_ticket, clash, printer, fields, patient_id, retry_minutes }) }
    }
}
