//! Request extractors whose failures answer in the API's own error body.
//!
//! axum's extractors reject bad input with plain-text bodies; these wrap
//! them so that every 4xx carries `{"kind", "message"}`.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::{AppState, Error};

/// Query parameters.
#[derive(Debug)]
pub struct Query<T>(pub T);

/// Path parameters.
#[derive(Debug)]
pub struct Path<T>(pub T);

/// A JSON body.
#[derive(Debug)]
pub struct Json<T>(pub T);

/// The patient a valid bearer token belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Patient(pub i64);

/// A bearer token as sent, not yet checked: for a route that checks it in
/// the same database call as its own work.
#[derive(Debug, Clone)]
pub struct Bearer(pub String);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        if parts.uri.query().is_some_and(|query| query.contains("%00")) {
            return Err(Error::InvalidInput(NUL_REFUSED.to_owned()));
        }
        let axum::extract::Query(value) = axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Self(value))
    }
}

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        let axum::extract::Path(value) = axum::extract::Path::<T>::from_request_parts(parts, state).await?;
        Ok(Self(value))
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Error> {
        let axum::Json(mut value) = axum::Json::<serde_json::Value>::from_request(request, state).await?;
        read_as_the_schema_does(&mut value)?;
        serde_json::from_value(value).map(Self).map_err(|error| Error::InvalidInput(format!("тело запроса: {error}")))
    }
}

/// No text the API takes may hold the character NUL: PostgreSQL stores no
/// such text, and no name, phone or search ever needs one. The document says
/// so with a pattern on every string without a stricter one.
const NUL_REFUSED: &str = "текст не может содержать символ NUL";

/// Reads a body as JSON Schema does, in one walk: text with NUL is refused,
/// and a number without a fraction (`7.0`, JSON Schema's `integer` as much as
/// `7` is; serde takes only `7`) becomes an integer when it fits an `i64`.
fn read_as_the_schema_does(value: &mut serde_json::Value) -> Result<(), Error> {
    match value {
        serde_json::Value::String(text) if text.contains('\0') => Err(Error::InvalidInput(NUL_REFUSED.to_owned())),
        serde_json::Value::Number(number) if !number.is_i64() && !number.is_u64() => {
            if let Some(float) = number.as_f64() {
                // 2^63 is exact in an f64; everything below it converts exactly.
                if float.fract() == 0.0 && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&float) {
                    *value = serde_json::Value::from(float as i64);
                }
            }
            Ok(())
        }
        serde_json::Value::Array(items) => items.iter_mut().try_for_each(read_as_the_schema_does),
        serde_json::Value::Object(fields) => {
            if fields.keys().any(|name| name.contains('\0')) {
                return Err(Error::InvalidInput(NUL_REFUSED.to_owned()));
            }
            fields.values_mut().try_for_each(read_as_the_schema_does)
        }
        _ => Ok(()),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Bearer {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Error> {
        let header = parts.headers.get(axum::http::header::AUTHORIZATION).ok_or(Error::Unauthorized)?;
        let token = header
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| !token.is_empty() && token.len() <= 512)
            .ok_or(Error::Unauthorized)?;
        Ok(Self(token.to_owned()))
    }
}

impl FromRequestParts<AppState> for Patient {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let Bearer(token) = Bearer::from_request_parts(parts, state).await?;
        let patient = state.store.patient_for_token(&token, state.clock.now()).await?;
        patient.map(Patient).ok_or(Error::Unauthorized)
    }
}

/// The staff member a valid staff sign-in belongs to. A patient's token is
/// not one: a desk route answers it 401 like any unknown token.
#[derive(Debug, Clone)]
pub struct Staff(pub crate::store::staff::StaffMember);

impl FromRequestParts<AppState> for Staff {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let Bearer(token) = Bearer::from_request_parts(parts, state).await?;
        let staff = state.store.staff_for_token(&token, state.clock.now()).await?;
        staff.map(Staff).ok_or(Error::Unauthorized)
    }
}

/// The working kiosk whose device credential came as the bearer token.
/// Anything else — a patient's or a staff member's token, a revoked
/// kiosk's — is `device_unknown`.
#[derive(Debug, Clone)]
pub struct Kiosk(pub crate::store::kiosk::Kiosk);

impl FromRequestParts<AppState> for Kiosk {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let Bearer(credential) = Bearer::from_request_parts(parts, state).await.map_err(|_| Error::DeviceUnknown)?;
        let kiosk = state.store.kiosk_for_credential(&credential).await?;
        kiosk.map(Kiosk).ok_or(Error::DeviceUnknown)
    }
}

/// A patient identified at this very kiosk: its credential, and the visit's
/// token in the `Kiosk-Visit` header.
#[derive(Debug, Clone)]
pub struct KioskVisit {
    pub kiosk: crate::store::kiosk::Kiosk,
    pub patient_id: i64,
}

/// The visit's token a kiosk sent, if any.
pub fn visit_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(registratura_contract::api::kiosk::VISIT_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|token| !token.is_empty() && token.len() <= 512)
}

impl FromRequestParts<AppState> for KioskVisit {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let Kiosk(kiosk) = Kiosk::from_request_parts(parts, state).await?;
        let token = visit_token(&parts.headers).ok_or(Error::VisitEnded)?;
        let patient_id = state.store.kiosk_visit(&kiosk, token, state.clock.now()).await?.ok_or(Error::VisitEnded)?;
        Ok(KioskVisit { kiosk, patient_id })
    }
}
