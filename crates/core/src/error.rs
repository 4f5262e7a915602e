//! The core's one error type.

use serde::Serialize;

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input did not parse; the message names the field.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The registry server could not be reached.
    #[error("the registry server cannot be reached")]
    Offline,
    /// The session ended (expired, revoked or never started): sign in again.
    #[error("the session has expired")]
    SessionExpired,
    /// The provider or the person refused the login (`access_denied`…).
    #[error("the login was refused: {0}")]
    LoginRefused(String),
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
    Internal,
}

impl Error {
    /// The stable class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput(_) => ErrorKind::InvalidInput,
            Error::Offline => ErrorKind::Offline,
            Error::SessionExpired => ErrorKind::SessionExpired,
            Error::LoginRefused(_) => ErrorKind::LoginRefused,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }
}
