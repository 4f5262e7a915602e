//! The error a command returns to the UI.

use serde::Serialize;

/// Sent to the UI as `{"kind": "...", "message": "..."}`. The UI shows its
/// own Russian text for `kind`; `message` is for the developer console only
/// and never carries personal data.
#[derive(Debug, Serialize)]
pub struct CommandError {
    kind: registratura_core::ErrorKind,
    message: String,
}

impl CommandError {
    /// A failure of the shell itself (a plugin, the window).
    pub fn internal(message: String) -> Self {
        tracing::warn!(%message, "command failed");
        Self { kind: registratura_core::ErrorKind::Internal, message }
    }
}

impl From<registratura_core::Error> for CommandError {
    fn from(error: registratura_core::Error) -> Self {
        tracing::warn!(kind = ?error.kind(), "command failed");
        Self { kind: error.kind(), message: error.to_string() }
    }
}
