//! The server's one error type and its JSON body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The route or the object does not exist (or belongs to someone else).
    #[error("not found")]
    NotFound,
    /// A failure the client cannot fix; details go to the log only.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The body of every error response: a stable `kind` for programs and a
/// Russian `message` fit to show a patient.
#[derive(Debug, Serialize)]
pub struct ErrorBody {
    pub kind: &'static str,
    pub message: &'static str,
}

impl Error {
    /// The stable machine-readable class of this error.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::NotFound => "not_found",
            Error::Internal(_) => "internal",
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message(&self) -> &'static str {
        match self {
            Error::NotFound => "Запрошенные сведения не найдены.",
            Error::Internal(_) => "На сервере произошла ошибка. Повторите попытку позже.",
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        if let Error::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        let body = ErrorBody { kind: self.kind(), message: self.message() };
        (self.status(), Json(body)).into_response()
    }
}

/// The fallback for routes that do not exist.
pub(crate) async fn not_found() -> Error {
    Error::NotFound
}
