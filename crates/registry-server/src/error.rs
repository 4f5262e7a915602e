//! The server's one error type and its JSON body.
//!
//! Every failure leaves as `{"kind": "...", "message": "..."}` with a 4xx
//! status when the client can do something about it. The message is Russian
//! and fit to show a patient; database and network details stay in the log.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use registratura_core::api::ApiError;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The route or the object does not exist, or belongs to someone else.
    #[error("not found: {0}")]
    NotFound(&'static str),
    /// A parameter or the body is malformed; the text says which and how.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// No bearer token, or one that is unknown or expired.
    #[error("unauthorized")]
    Unauthorized,
    /// The patient's ESIA account is not confirmed, so they may not book.
    #[error("account not confirmed")]
    AccountUnconfirmed,
    /// Another patient took the slot first.
    #[error("slot {0} is taken")]
    SlotTaken(i64),
    /// The slot is kept for the reception desk, a kiosk or the call centre.
    #[error("slot {0} is not bookable online")]
    SlotUnavailable(i64),
    /// The slot has already started.
    #[error("slot {0} is in the past")]
    SlotInPast(i64),
    /// The patient agreed to an old consent version, or to none.
    #[error("consent version {0:?} is not the current one")]
    ConsentRequired(String),
    /// The patient holds an overlapping appointment or one for the same
    /// service in the same clinic.
    #[error("already booked")]
    AlreadyBooked { ticket: String },
    /// The same Idempotency-Key was sent with a different body.
    #[error("idempotency key reused with another request")]
    IdempotencyConflict,
    /// Cancelling after the appointment started.
    #[error("too late to cancel")]
    TooLateToCancel,
    /// The appointment is not active (cancelled, fulfilled or missed).
    #[error("appointment is not active")]
    NotActive,
    /// ESIA failed or answered something unusable.
    #[error("upstream: {0}")]
    Upstream(String),
    /// ESIA has no ОМС policy for the person.
    #[error("no ОМС policy in ESIA")]
    NoPolicy,
    /// The request body or query is larger than any valid one.
    #[error("request too large")]
    TooLarge,
    /// A failure the client cannot fix.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// The stable machine-readable class of this error.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::NotFound(_) => "not_found",
            Error::InvalidInput(_) => "invalid_input",
            Error::Unauthorized => "unauthorized",
            Error::AccountUnconfirmed => "account_unconfirmed",
            Error::SlotTaken(_) => "slot_taken",
            Error::SlotUnavailable(_) => "slot_unavailable",
            Error::SlotInPast(_) => "slot_in_past",
            Error::ConsentRequired(_) => "consent_required",
            Error::AlreadyBooked { .. } => "already_booked",
            Error::IdempotencyConflict => "idempotency_conflict",
            Error::TooLateToCancel => "too_late_to_cancel",
            Error::NotActive => "not_active",
            Error::TooLarge => "too_large",
            Error::Upstream(_) => "upstream",
            Error::NoPolicy => "no_policy",
            Error::Internal(_) => "internal",
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::InvalidInput(_) => StatusCode::BAD_REQUEST,
            Error::Unauthorized => StatusCode::UNAUTHORIZED,
            Error::AccountUnconfirmed => StatusCode::FORBIDDEN,
            Error::SlotTaken(_)
            | Error::AlreadyBooked { .. }
            | Error::IdempotencyConflict
            | Error::NotActive => StatusCode::CONFLICT,
            Error::SlotUnavailable(_)
            | Error::SlotInPast(_)
            | Error::ConsentRequired(_)
            | Error::TooLateToCancel => StatusCode::UNPROCESSABLE_ENTITY,
            Error::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Error::Upstream(_) => StatusCode::BAD_GATEWAY,
            Error::NoPolicy => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message(&self) -> String {
        match self {
            Error::NotFound(what) => format!("Не найдено: {what}. Обновите страницу и выберите снова."),
            Error::InvalidInput(detail) => format!("Запрос заполнен неверно: {detail}."),
            Error::Unauthorized => "Войдите через ЕСИА, чтобы продолжить.".to_owned(),
            Error::AccountUnconfirmed => "Ваша учётная запись на Госуслугах не подтверждена. Подтвердите её в центре обслуживания или онлайн, затем войдите снова.".to_owned(),
            Error::SlotTaken(_) => "Это время уже заняли. Выберите другое время.".to_owned(),
            Error::SlotUnavailable(_) => "На это время нельзя записаться через интернет: оно отведено для записи в регистратуре.".to_owned(),
            Error::SlotInPast(_) => "Это время уже прошло. Выберите другое время.".to_owned(),
            Error::ConsentRequired(_) => "Чтобы записаться, прочитайте согласие на обработку персональных данных и подтвердите его.".to_owned(),
            Error::AlreadyBooked { ticket } => format!("У вас уже есть запись, которая мешает этой (талон {ticket}). Отмените её или выберите другое время."),
            Error::IdempotencyConflict => "Этот запрос уже был отправлен с другими данными. Начните запись заново.".to_owned(),
            Error::TooLateToCancel => "Приём уже начался, отменить запись нельзя. Позвоните в регистратуру поликлиники.".to_owned(),
            Error::NotActive => "Эта запись уже не действует.".to_owned(),
            Error::TooLarge => "Запрос слишком большой.".to_owned(),
            Error::Upstream(_) => "Госуслуги сейчас не отвечают. Попробуйте войти позже.".to_owned(),
            Error::NoPolicy => "На Госуслугах не указан ваш полис ОМС. Добавьте его в профиль на Госуслугах и войдите снова.".to_owned(),
            Error::Internal(_) => "На сервере произошла ошибка. Повторите попытку позже.".to_owned(),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        match &self {
            Error::Internal(detail) => tracing::error!(%detail, "request failed"),
            Error::Upstream(detail) => tracing::warn!(%detail, "upstream failed"),
            _ => {}
        }
        let existing_ticket = match &self {
            Error::AlreadyBooked { ticket } => Some(ticket.clone()),
            _ => None,
        };
        let body = ApiError { kind: self.kind().to_owned(), message: self.message(), existing_ticket };
        (self.status(), Json(body)).into_response()
    }
}

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Self {
        Error::Internal(format!("database: {error}"))
    }
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        Error::Internal(format!("migration: {error}"))
    }
}

impl From<JsonRejection> for Error {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::BytesRejection(_) => Error::TooLarge,
            JsonRejection::MissingJsonContentType(_) => {
                Error::InvalidInput("тело запроса должно быть JSON (Content-Type: application/json)".to_owned())
            }
            other => Error::InvalidInput(format!("тело запроса: {}", other.body_text())),
        }
    }
}

impl From<QueryRejection> for Error {
    fn from(rejection: QueryRejection) -> Self {
        Error::InvalidInput(format!("параметры запроса: {}", rejection.body_text()))
    }
}

impl From<PathRejection> for Error {
    fn from(rejection: PathRejection) -> Self {
        Error::InvalidInput(format!("адрес запроса: {}", rejection.body_text()))
    }
}

impl From<registratura_core::Error> for Error {
    fn from(error: registratura_core::Error) -> Self {
        match error {
            registratura_core::Error::InvalidInput(detail) => Error::InvalidInput(detail),
            other => Error::Internal(other.to_string()),
        }
    }
}

/// The fallback for routes that do not exist.
pub(crate) async fn not_found() -> Error {
    Error::NotFound("такого адреса нет")
}
