//! The server's one error type and its JSON body.
//!
//! Every failure leaves as `{"kind": "...", "message": "..."}` with a 4xx
//! status when the client can do something about it. The message is Russian
//! and fit to show a patient; database and network details stay in the log.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use registratura_contract::api::{ApiError, Clash};

use crate::store::format_ticket;
use crate::store::rules::Refusal;

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
    /// Well-formed by the OpenAPI document, but against a rule it cannot
    /// say (a date range backwards, a policy's check digit): 422, so that a
    /// request the document calls valid is never refused as malformed.
    #[error("unacceptable input: {0}")]
    Unacceptable(String),
    /// No bearer token, or one that is unknown or expired.
    #[error("unauthorized")]
    Unauthorized,
    /// A booking rule refused the booking (`store::rules`).
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// Cancelling after the appointment started.
    #[error("too late to cancel")]
    TooLateToCancel,
    /// The appointment is not active (cancelled, fulfilled or missed).
    #[error("appointment is not active")]
    NotActive,
    /// A staff member lacks the role the route needs (an admin's, say).
    #[error("forbidden")]
    Forbidden,
    /// A patient with this policy or СНИЛС is already registered.
    #[error("patient {patient_id} exists")]
    PatientExists { patient_id: i64 },
    /// A search matched more patients than a screen lists.
    #[error("too many results")]
    TooManyResults,
    /// A day's mark (arrived, missed) on another day than the visit's.
    #[error("not the day of the visit")]
    NotToday,
    /// «Не явился» before the visit has started.
    #[error("the visit has not started")]
    NotStartedYet,
    /// The admin PIN typed at a kiosk is not its PIN.
    #[error("wrong pin")]
    WrongPin,
    /// A kiosk's credential is unknown or the kiosk was revoked.
    #[error("unknown kiosk")]
    DeviceUnknown,
    /// A kiosk's patient visit ended, expired, or belongs to another kiosk.
    #[error("kiosk visit ended")]
    VisitEnded,
    /// No patient has this policy and birth date (the same answer for an
    /// unknown policy and a wrong date).
    #[error("not identified")]
    NotIdentified,
    /// Too many wrong birth dates for a policy; tried again in so many seconds.
    #[error("policy locked for {retry_after} s")]
    PolicyLocked { retry_after: i64 },
    /// Too many failures at a kiosk; tried again in so many seconds.
    #[error("too many attempts, {retry_after} s")]
    TooManyAttempts { retry_after: i64 },
    /// A kiosk checks in only its own clinic's appointments.
    #[error("check-in at another clinic")]
    CheckInElsewhere,
    /// The visit is over: too late to check in.
    #[error("check-in closed")]
    CheckInClosed,
    /// Only a slot kept from online booking can be kept for kiosks.
    #[error("slot not reserved")]
    NotReserved,
    /// ESIA failed or answered something unusable.
    #[error("upstream: {0}")]
    Upstream(String),
    /// ESIA has no ОМС policy for the person.
    #[error("no ОМС policy in ESIA")]
    NoPolicy,
    /// The request body or query is larger than any valid one.
    #[error("request too large")]
    TooLarge,
    /// The path exists but not with this method; axum's `Allow` header
    /// names the methods it has.
    #[error("method not allowed")]
    MethodNotAllowed,
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
            Error::Unacceptable(_) => "unacceptable_input",
            Error::Unauthorized => "unauthorized",
            Error::Refused(refusal) => refusal.kind(),
            Error::TooLateToCancel => "too_late_to_cancel",
            Error::NotActive => "not_active",
            Error::TooLarge => "too_large",
            Error::MethodNotAllowed => "method_not_allowed",
            Error::Forbidden => "forbidden",
            Error::PatientExists { .. } => "patient_exists",
            Error::TooManyResults => "too_many_results",
            Error::NotToday => "not_today",
            Error::NotStartedYet => "not_started_yet",
            Error::WrongPin => "wrong_pin",
            Error::DeviceUnknown => "device_unknown",
            Error::VisitEnded => "visit_ended",
            Error::NotIdentified => "not_identified",
            Error::PolicyLocked { .. } => "policy_locked",
            Error::TooManyAttempts { .. } => "too_many_attempts",
            Error::CheckInElsewhere => "check_in_elsewhere",
            Error::CheckInClosed => "check_in_closed",
            Error::NotReserved => "not_reserved",
            Error::Upstream(_) => "upstream",
            Error::NoPolicy => "no_policy",
            Error::Internal(_) => "internal",
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::InvalidInput(_) => StatusCode::BAD_REQUEST,
            Error::Unacceptable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Unauthorized => StatusCode::UNAUTHORIZED,
            Error::Refused(refusal) => match refusal {
                Refusal::AccountUnconfirmed => StatusCode::FORBIDDEN,
                Refusal::SlotNotFound => StatusCode::NOT_FOUND,
                Refusal::SlotTaken | Refusal::AlreadyBooked { .. } | Refusal::IdempotencyConflict => StatusCode::CONFLICT,
                Refusal::SlotReserved | Refusal::SlotInPast | Refusal::ConsentRequired | Refusal::ServiceNotOffered => {
                    StatusCode::UNPROCESSABLE_ENTITY
                }
            },
            Error::NotActive => StatusCode::CONFLICT,
            Error::TooLateToCancel => StatusCode::UNPROCESSABLE_ENTITY,
            Error::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Error::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Error::Forbidden => StatusCode::FORBIDDEN,
            Error::PatientExists { .. } => StatusCode::CONFLICT,
            Error::TooManyResults | Error::NotToday | Error::NotStartedYet => StatusCode::UNPROCESSABLE_ENTITY,
            Error::DeviceUnknown | Error::VisitEnded => StatusCode::UNAUTHORIZED,
            Error::WrongPin => StatusCode::FORBIDDEN,
            Error::NotIdentified | Error::CheckInElsewhere | Error::CheckInClosed | Error::NotReserved => StatusCode::UNPROCESSABLE_ENTITY,
            Error::PolicyLocked { .. } | Error::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Upstream(_) => StatusCode::BAD_GATEWAY,
            Error::NoPolicy => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message(&self) -> String {
        match self {
            Error::NotFound(what) => format!("Не найдено: {what}. Обновите страницу и выберите снова."),
            Error::InvalidInput(detail) => format!("Запрос заполнен неверно: {detail}."),
            Error::Unacceptable(detail) => format!("Проверьте данные: {detail}."),
            Error::Unauthorized => "Войдите через ЕСИА, чтобы продолжить.".to_owned(),
            Error::Refused(refusal) => refusal_message(*refusal),
            Error::TooLateToCancel => "Приём уже начался, отменить запись нельзя. Позвоните в регистратуру поликлиники.".to_owned(),
            Error::NotActive => "Эта запись уже не действует.".to_owned(),
            Error::TooLarge => "Запрос слишком большой.".to_owned(),
            Error::MethodNotAllowed => "Этот адрес не принимает запросы с таким методом; допустимые перечислены в заголовке Allow.".to_owned(),
            Error::Forbidden => "Для этого действия нужны права администратора организации.".to_owned(),
            Error::PatientExists { .. } => "Пациент с таким полисом или СНИЛС уже зарегистрирован: откройте его карточку.".to_owned(),
            Error::TooManyResults => "Найдено слишком много пациентов. Уточните запрос: добавьте имя и отчество или ищите по полису.".to_owned(),
            Error::NotToday => "Отметить приход или неявку можно только в день приёма.".to_owned(),
            Error::NotStartedYet => "Приём ещё не начался: неявку можно отметить после его начала.".to_owned(),
            Error::WrongPin => "Неверный PIN администратора.".to_owned(),
            Error::DeviceUnknown => "Этот терминал не зарегистрирован или отключён. Обратитесь к администратору поликлиники.".to_owned(),
            Error::VisitEnded => "Время сеанса истекло. Начните сначала.".to_owned(),
            Error::NotIdentified => "Пациент с таким полисом и датой рождения не найден. Проверьте номер полиса и дату рождения или обратитесь в регистратуру.".to_owned(),
            Error::PolicyLocked { retry_after } => format!(
                "Слишком много неверных попыток с этим полисом. Попробуйте через {} мин или обратитесь в регистратуру.",
                (retry_after + 59) / 60
            ),
            Error::TooManyAttempts { retry_after } => format!("Слишком много неудачных попыток. Попробуйте через {} мин.", (retry_after + 59) / 60),
            Error::CheckInElsewhere => "Эта запись — в другое подразделение. Отметьте приход там, где назначен приём.".to_owned(),
            Error::CheckInClosed => "Время этого приёма уже прошло. Обратитесь в регистратуру.".to_owned(),
            Error::NotReserved => "Для терминалов можно оставить только время, закрытое для записи через интернет.".to_owned(),
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
        let (existing_ticket, clash) = match &self {
            Error::Refused(Refusal::AlreadyBooked { ticket, clash }) => (Some(format_ticket(*ticket)), Some(*clash)),
            _ => (None, None),
        };
        let patient_id = match &self {
            Error::PatientExists { patient_id } => Some(*patient_id),
            _ => None,
        };
        let retry_after = match &self {
            Error::PolicyLocked { retry_after } | Error::TooManyAttempts { retry_after } => Some(*retry_after),
            _ => None,
        };
        let body = ApiError { kind: self.kind().to_owned(), message: self.message(), existing_ticket, clash, patient_id, retry_after };
        let mut response = (self.status(), Json(body)).into_response();
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(seconds));
        }
        response
    }
}

/// What each refusal tells the person who books.
fn refusal_message(refusal: Refusal) -> String {
    match refusal {
        Refusal::AccountUnconfirmed => "Ваша учётная запись на Госуслугах не подтверждена. Подтвердите её в центре обслуживания или онлайн, затем войдите снова.".to_owned(),
        Refusal::IdempotencyConflict => "Этот запрос уже был отправлен с другими данными. Начните запись заново.".to_owned(),
        Refusal::ConsentRequired => "Чтобы записаться, прочитайте согласие на обработку персональных данных и подтвердите его.".to_owned(),
        Refusal::SlotNotFound => Error::NotFound("время приёма").message(),
        Refusal::ServiceNotOffered => "Этот врач не оказывает выбранную услугу. Выберите другую услугу или другого врача.".to_owned(),
        Refusal::SlotInPast => "Это время уже прошло. Выберите другое время.".to_owned(),
        Refusal::SlotReserved => "На это время нельзя записаться через интернет: оно отведено для записи в регистратуре.".to_owned(),
        Refusal::SlotTaken => "Это время уже заняли. Выберите другое время.".to_owned(),
        Refusal::AlreadyBooked { ticket, clash: Clash::SameTime } => format!(
            "На это время у вас уже есть другая запись (талон {}). Выберите другое время или отмените ту запись.",
            format_ticket(ticket)
        ),
        Refusal::AlreadyBooked { ticket, clash: Clash::SameService } => format!(
            "У вас уже есть запись на эту услугу в этой поликлинике (талон {}). Чтобы прийти в другой день, перенесите её.",
            format_ticket(ticket)
        ),
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

impl From<registratura_contract::InvalidInput> for Error {
    fn from(error: registratura_contract::InvalidInput) -> Self {
        Error::InvalidInput(error.0)
    }
}

/// The fallback for routes that do not exist.
pub(crate) async fn not_found() -> Error {
    Error::NotFound("такого адреса нет")
}
