//! The core's one error type.

use serde::Serialize;

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input did not parse; the message names the field.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A form with fields that do not parse, each with its problem.
    #[error("invalid input in {} field(s)", .0.len())]
    InvalidFields(Vec<crate::desk::FieldProblem>),
    /// The registry server could not be reached.
    #[error("the registry server cannot be reached")]
    Offline,
    /// The session ended (expired, revoked or never started): sign in again.
    #[error("the session has expired")]
    SessionExpired,
    /// The provider or the person refused the login (`access_denied`…).
    #[error("the login was refused: {0}")]
    LoginRefused(String),
    /// The registry server does not know the thing asked for.
    #[error("not found")]
    NotFound,
    /// Another patient took the slot first.
    #[error("the slot was taken by someone else")]
    SlotTaken,
    /// The slot is kept for the reception desk, a kiosk or the call centre.
    #[error("the slot cannot be booked online")]
    SlotUnavailable,
    /// The slot has already started.
    #[error("the slot is in the past")]
    SlotInPast,
    /// The patient already holds an appointment that rules this one out.
    #[error("already booked")]
    AlreadyBooked {
        /// The ticket of the appointment in the way.
        existing_ticket: Option<String>,
        /// Whether it is at the same time or for the same service.
        clash: Option<crate::api::Clash>,
    },
    /// The consent was not given, or to an outdated text.
    #[error("consent required")]
    ConsentRequired,
    /// The ESIA account is not confirmed, so it may not book.
    #[error("the ESIA account is not confirmed")]
    AccountUnconfirmed,
    /// A cancellation after the appointment's start.
    #[error("too late to cancel")]
    TooLateToCancel,
    /// The appointment is no longer active (cancelled, fulfilled…).
    #[error("the appointment is not active")]
    NotActive,
    /// A staff sign-in with a login or password the server does not know.
    #[error("wrong login or password")]
    WrongCredentials,
    /// The staff member's role does not allow this (an admin's route).
    #[error("not allowed for this role")]
    Forbidden,
    /// The desk registered a patient the server already knows.
    #[error("the patient is already registered")]
    PatientExists {
        /// The patient found instead.
        patient_id: Option<i64>,
    },
    /// A search that finds more people than a screen should list.
    #[error("too many results")]
    TooManyResults,
    /// A day mark on an appointment of another day.
    #[error("the appointment is not today")]
    NotToday,
    /// «Не явился» before the appointment's start.
    #[error("the appointment has not started yet")]
    NotStartedYet,
    /// Typed or scanned at a kiosk, and not an ОМС policy number.
    #[error("not a policy number")]
    NotAPolicy,
    /// The kiosk's device credential is unknown or was revoked.
    #[error("the kiosk is not registered")]
    DeviceUnknown,
    /// The kiosk's patient visit ended or expired: start again.
    #[error("the kiosk visit ended")]
    VisitEnded,
    /// No patient with this policy and birth date.
    #[error("not identified")]
    NotIdentified,
    /// Too many wrong birth dates for this policy.
    #[error("the policy is locked")]
    PolicyLocked {
        /// Seconds until it is unlocked.
        retry_after: Option<i64>,
    },
    /// Too many failures at this kiosk.
    #[error("too many attempts")]
    TooManyAttempts {
        /// Seconds until a new try can succeed.
        retry_after: Option<i64>,
    },
    /// The kiosk's admin PIN was wrong.
    #[error("wrong PIN")]
    WrongPin,
    /// A check-in at a kiosk of another clinic than the appointment's.
    #[error("check-in at another clinic")]
    CheckInElsewhere,
    /// A check-in after the visit's end.
    #[error("check-in closed")]
    CheckInClosed,
    /// The printer set for silent printing does not exist.
    #[error("printer {0:?} not found")]
    PrinterMissing(String),
    /// The print system refused the job.
    #[error("printing failed: {0}")]
    PrintFailed(String),
    /// The local schedule cache failed; it is rebuilt from the server.
    #[error("schedule cache: {0}")]
    Cache(String),
    /// Anything the patient cannot act on.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The stable, machine-readable class of an [`Error`]. The UI maps each kind
/// to Russian text; the kinds never change meaning once released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    InvalidInput,
    Offline,
    SessionExpired,
    LoginRefused,
    NotFound,
    SlotTaken,
    SlotUnavailable,
    SlotInPast,
    AlreadyBooked,
    ConsentRequired,
    AccountUnconfirmed,
    TooLateToCancel,
    NotActive,
    WrongCredentials,
    Forbidden,
    PatientExists,
    TooManyResults,
    NotToday,
    NotStartedYet,
    NotAPolicy,
    DeviceUnknown,
    VisitEnded,
    NotIdentified,
    PolicyLocked,
    TooManyAttempts,
    WrongPin,
    CheckInElsewhere,
    CheckInClosed,
    PrinterMissing,
    PrintFailed,
    Cache,
    Internal,
}

impl From<registratura_contract::InvalidInput> for Error {
    fn from(error: registratura_contract::InvalidInput) -> Self {
        Error::InvalidInput(error.0)
    }
}

impl Error {
    /// The stable class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput(_) | Error::InvalidFields(_) => ErrorKind::InvalidInput,
            Error::Offline => ErrorKind::Offline,
            Error::SessionExpired => ErrorKind::SessionExpired,
            Error::LoginRefused(_) => ErrorKind::LoginRefused,
            Error::NotFound => ErrorKind::NotFound,
            Error::SlotTaken => ErrorKind::SlotTaken,
            Error::SlotUnavailable => ErrorKind::SlotUnavailable,
            Error::SlotInPast => ErrorKind::SlotInPast,
            Error::AlreadyBooked { .. } => ErrorKind::AlreadyBooked,
            Error::ConsentRequired => ErrorKind::ConsentRequired,
            Error::AccountUnconfirmed => ErrorKind::AccountUnconfirmed,
            Error::TooLateToCancel => ErrorKind::TooLateToCancel,
            Error::NotActive => ErrorKind::NotActive,
            Error::WrongCredentials => ErrorKind::WrongCredentials,
            Error::Forbidden => ErrorKind::Forbidden,
            Error::PatientExists { .. } => ErrorKind::PatientExists,
            Error::TooManyResults => ErrorKind::TooManyResults,
            Error::NotToday => ErrorKind::NotToday,
            Error::NotStartedYet => ErrorKind::NotStartedYet,
            Error::NotAPolicy => ErrorKind::NotAPolicy,
            Error::DeviceUnknown => ErrorKind::DeviceUnknown,
            Error::VisitEnded => ErrorKind::VisitEnded,
            Error::NotIdentified => ErrorKind::NotIdentified,
            Error::PolicyLocked { .. } => ErrorKind::PolicyLocked,
            Error::TooManyAttempts { .. } => ErrorKind::TooManyAttempts,
            Error::WrongPin => ErrorKind::WrongPin,
            Error::CheckInElsewhere => ErrorKind::CheckInElsewhere,
            Error::CheckInClosed => ErrorKind::CheckInClosed,
            Error::PrinterMissing(_) => ErrorKind::PrinterMissing,
            Error::PrintFailed(_) => ErrorKind::PrintFailed,
            Error::Cache(_) => ErrorKind::Cache,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }

    /// The error a registry server's `{kind, message}` body stands for.
    /// Kinds this client does not know become [`Error::Internal`]: nothing
    /// a person could do about them.
    pub fn from_api(status: u16, body: crate::api::ApiError) -> Self {
        match body.kind.as_str() {
            "unauthorized" => Error::SessionExpired,
            // A doctor who no longer offers the service is, for the wizard,
            // a choice that has left the schedule: go back and choose again.
            "not_found" | "service_not_offered" => Error::NotFound,
            "invalid_input" | "unacceptable_input" | "too_large" => Error::InvalidInput(body.message),
            "slot_taken" => Error::SlotTaken,
            "slot_unavailable" => Error::SlotUnavailable,
            "slot_in_past" => Error::SlotInPast,
            "already_booked" => Error::AlreadyBooked { existing_ticket: body.existing_ticket, clash: body.clash },
            "consent_required" => Error::ConsentRequired,
            "account_unconfirmed" => Error::AccountUnconfirmed,
            "too_late_to_cancel" => Error::TooLateToCancel,
            "not_active" => Error::NotActive,
            "upstream" => Error::Offline,
            "forbidden" => Error::Forbidden,
            "patient_exists" => Error::PatientExists { patient_id: body.patient_id },
            "too_many_results" => Error::TooManyResults,
            "not_today" => Error::NotToday,
            "not_started_yet" => Error::NotStartedYet,
            "device_unknown" => Error::DeviceUnknown,
            "visit_ended" => Error::VisitEnded,
            "not_identified" => Error::NotIdentified,
            "policy_locked" => Error::PolicyLocked { retry_after: body.retry_after },
            "too_many_attempts" => Error::TooManyAttempts { retry_after: body.retry_after },
            "wrong_pin" => Error::WrongPin,
            "check_in_elsewhere" => Error::CheckInElsewhere,
            "check_in_closed" => Error::CheckInClosed,
            other => Error::Internal(format!("the registry answered {status} {other}")),
        }
    }
}
