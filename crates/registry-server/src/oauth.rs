//! The OAuth 2.0 authorisation server the desktop app signs in with: the
//! broker in front of ESIA.
//!
//! One public client, `registratura-desktop`, with the authorisation-code
//! flow and PKCE (S256 only), exact redirect URIs (the app's custom scheme,
//! or the loopback form on any port, RFC 8252 §7.3), single-use codes valid
//! for 60 seconds, short-lived access tokens, and refresh tokens that rotate
//! on every use and revoke their whole family when one is reused.

use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use registratura_contract::oauth::{s256_challenge, CALLBACK_PATH, CUSTOM_SCHEME_REDIRECT};
use serde::{Deserialize, Serialize};

use crate::esia::{form_encode, sandbox, uuid_v4};
use crate::extract::Patient;
use crate::id_token::{IdClaims, ID_TOKEN_SECONDS};
use crate::store::{new_token, PendingLogin, Refresh};
use crate::{AppState, Error};

/// The desktop app's client id.
pub const CLIENT_ID: &str = "registratura-desktop";
/// How long an authorisation code is good for.
pub const CODE_SECONDS: i64 = 60;
/// How long an access token is good for.
pub const ACCESS_SECONDS: i64 = 15 * 60;
/// How long a refresh token is good for (it rotates on every use).
pub const REFRESH_SECONDS: i64 = 30 * 24 * 3600;
/// How long a login may stay at ESIA.
pub const LOGIN_SECONDS: i64 = 10 * 60;

/// Whether `uri` is one of the app's registered redirect URIs, exactly.
pub fn redirect_allowed(uri: &str) -> bool {
    if uri == CUSTOM_SCHEME_REDIRECT {
        return true;
    }
    // RFC 8252 §7.3: the loopback IP literal, any port, our path, nothing else.
    uri.strip_prefix("http://127.0.0.1:")
        .and_then(|rest| rest.strip_suffix(CALLBACK_PATH))
        .is_some_and(|port| !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok_and(|p| p > 0))
}

/// `GET /.well-known/openid-configuration`
pub async fn discovery(State(state): State<AppState>) -> Json<serde_json::Value> {
    let issuer = &state.public_url;
    Json(serde_json::json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/oauth/authorize"),
        "token_endpoint": format!("{issuer}/oauth/token"),
        "revocation_endpoint": format!("{issuer}/oauth/revoke"),
        "userinfo_endpoint": format!("{issuer}/oauth/userinfo"),
        "jwks_uri": format!("{issuer}/oauth/jwks"),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token", "password"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none"],
        // Every patient sign-in gets a refresh token; offline_access names it
        // for clients that ask by OpenID's scope.
        "scopes_supported": ["openid", "profile", "offline_access", "desk"],
        // RFC 9207: every authorisation response names its issuer.
        "authorization_response_iss_parameter_supported": true,
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "family_name", "given_name", "middle_name", "birthdate"],
    }))
}

/// `GET /oauth/jwks` — the public keys id_tokens are signed with.
pub async fn jwks(State(state): State<AppState>) -> Result<Response, Error> {
    let signer = state.id_token_signer().await?;
    let mut response = Json(signer.jwks()).into_response();
    // Clients may keep the set for a while; a new key is added well before it signs.
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct AuthorizeQuery {
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    /// `desk` for a staff member's sign-in to the reception desk; a
    /// patient's otherwise.
    scope: Option<String>,
    /// OpenID's nonce, returned in the id_token.
    nonce: Option<String>,
}

/// The longest nonce taken; real ones are a few dozen characters.
const MAX_NONCE_LEN: usize = 256;

/// `GET /oauth/authorize` — checks the app's request and sends the person
/// to ESIA. A bad client or redirect gets an error page, never a redirect.
pub async fn authorize(State(state): State<AppState>, Query(query): Query<AuthorizeQuery>) -> Response {
    if query.client_id.as_deref() != Some(CLIENT_ID) {
        return sandbox_free_error_page("Неизвестное приложение (client_id).");
    }
    let Some(redirect_uri) = query.redirect_uri.filter(|uri| redirect_allowed(uri)) else {
        return sandbox_free_error_page("Адрес возврата (redirect_uri) не зарегистрирован для этого приложения.");
    };
    let client_state = query.state.unwrap_or_default();
    let back = |error: &str, description: &str| {
        let mut pairs = vec![("error", error), ("error_description", description)];
        if !client_state.is_empty() {
            pairs.push(("state", &client_state));
        }
        pairs.push(("iss", &state.public_url));
        Redirect::to(&format!("{redirect_uri}?{}", form_encode(&pairs))).into_response()
    };
    if query.response_type.as_deref() != Some("code") {
        return back("unsupported_response_type", "only response_type=code");
    }
    if client_state.is_empty() || client_state.len() > 256 {
        return back("invalid_request", "state is required");
    }
    let challenge = query.code_challenge.unwrap_or_default();
    let challenge_ok = challenge.len() == 43 && challenge.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if query.code_challenge_method.as_deref() != Some("S256") || !challenge_ok {
        return back("invalid_request", "PKCE with code_challenge_method=S256 is required");
    }
    let nonce = query.nonce.filter(|nonce| !nonce.is_empty());
    if nonce.as_ref().is_some_and(|nonce| nonce.len() > MAX_NONCE_LEN || nonce.chars().any(char::is_control)) {
        return back("invalid_request", "nonce is too long or has control characters");
    }
    let Some(esia) = state.esia.clone() else {
        return back("temporarily_unavailable", "ESIA is not configured on this server");
    };
    let result = async {
        let esia_state = uuid_v4()?;
        let desk = query.scope.as_deref().is_some_and(|scope| scope.split(' ').any(|word| word == "desk"));
        let login = PendingLogin {
            desk,
            redirect_uri: redirect_uri.clone(),
            client_state: client_state.clone(),
            code_challenge: challenge,
            nonce,
            created_at: state.clock.now(),
        };
        state.store.save_pending_login(&esia_state, &login).await?;
        esia.authorize_url(&esia_state, chrono::DateTime::from_timestamp(state.clock.now(), 0).unwrap_or_default())
    }
    .await;
    match result {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(error) => {
            tracing::error!(%error, "could not start an ESIA login");
            back("server_error", "could not start the login")
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct EsiaCallback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /esia/callback` — ESIA brings the person back; the broker reads
/// who they are and sends the app its own single-use code.
pub async fn esia_callback(State(state): State<AppState>, Query(query): Query<EsiaCallback>) -> Response {
    let Some(esia_state) = query.state.filter(|s| !s.is_empty()) else {
        return sandbox_free_error_page("Ответ ЕСИА не содержит state. Начните вход заново в приложении.");
    };
    let login = match state.store.take_pending_login(&esia_state).await {
        Ok(Some(login)) if state.clock.now() - login.created_at <= LOGIN_SECONDS => login,
        Ok(_) => return sandbox_free_error_page("Вход не найден или устарел. Начните вход заново в приложении."),
        Err(error) => return error.into_response(),
    };
    let back = |pairs: &[(&str, &str)]| {
        let mut pairs = pairs.to_vec();
        pairs.push(("state", &login.client_state));
        pairs.push(("iss", &state.public_url));
        Redirect::to(&format!("{}?{}", login.redirect_uri, form_encode(&pairs))).into_response()
    };
    if query.error.is_some() {
        return back(&[("error", "access_denied"), ("error_description", "esia_refused")]);
    }
    let Some(code) = query.code.filter(|c| !c.is_empty()) else {
        return back(&[("error", "invalid_request"), ("error_description", "esia_sent_no_code")]);
    };
    let Some(esia) = state.esia.clone() else {
        return back(&[("error", "temporarily_unavailable")]);
    };
    let now = state.clock.now();
    if login.desk {
        return staff_callback(&state, &esia, &code, &login, now, back).await;
    }
    let person = esia.person(&state.http, &code, chrono::DateTime::from_timestamp(now, 0).unwrap_or_default()).await;
    let (oid, patient, phones) = match person {
        Ok(person) => person,
        Err(Error::NoPolicy) => return back(&[("error", "access_denied"), ("error_description", "no_policy")]),
        Err(error) => {
            tracing::warn!(%error, "ESIA login failed");
            return back(&[("error", "server_error"), ("error_description", "esia_failed")]);
        }
    };
    let issued = async {
        let patient_id = state.store.sign_in_patient(&oid, &patient, &phones, now).await?;
        let code = new_token()?;
        state.store.save_code(&code, patient_id, &login, now + CODE_SECONDS).await?;
        Ok::<_, Error>(code)
    }
    .await;
    match issued {
        Ok(code) => back(&[("code", &code)]),
        Err(error) => {
            tracing::error!(%error, "could not finish a login");
            back(&[("error", "server_error")])
        }
    }
}

/// A staff member came back from ESIA: the citizen ESIA vouched for must
/// be linked to an active staff record, and the app gets a staff code.
async fn staff_callback(
    state: &AppState,
    esia: &crate::esia::EsiaConfig,
    code: &str,
    login: &PendingLogin,
    now: i64,
    back: impl Fn(&[(&str, &str)]) -> Response,
) -> Response {
    let oid = match esia.oid(&state.http, code, chrono::DateTime::from_timestamp(now, 0).unwrap_or_default()).await {
        Ok(oid) => oid,
        Err(error) => {
            tracing::warn!(%error, "ESIA staff login failed");
            return back(&[("error", "server_error"), ("error_description", "esia_failed")]);
        }
    };
    let issued = async {
        let Some(staff_id) = state.store.staff_by_esia_oid(&oid).await? else { return Ok(None) };
        let code = new_token()?;
        state.store.save_staff_code(&code, staff_id, &login.redirect_uri, &login.code_challenge, now + CODE_SECONDS).await?;
        Ok::<_, Error>(Some(code))
    }
    .await;
    match issued {
        Ok(Some(code)) => back(&[("code", &code)]),
        Ok(None) => back(&[("error", "access_denied"), ("error_description", "not_staff")]),
        Err(error) => {
            tracing::error!(%error, "could not finish a staff login");
            back(&[("error", "server_error")])
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct TokenRequest {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    client_id: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
    /// The staff sign-in (`grant_type=password`, `scope=desk`).
    username: Option<String>,
    password: Option<String>,
    scope: Option<String>,
}

/// How long a staff sign-in lasts: a working day. A desk PC is shared, so
/// it gets no refresh token to keep: the next shift signs in anew.
pub const STAFF_SECONDS: i64 = 12 * 3600;

/// A successful token response (RFC 6749 §5.1), with OpenID's id_token
/// when it answers a code.
#[derive(Debug, Serialize, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: i64,
    pub refresh_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
}

/// `POST /oauth/token` — codes and refresh tokens for tokens.
pub async fn token(State(state): State<AppState>, Form(request): Form<TokenRequest>) -> Response {
    if request.client_id.as_deref() != Some(CLIENT_ID) {
        return oauth_error("invalid_client", "unknown client_id");
    }
    let now = state.clock.now();
    let result = match request.grant_type.as_deref() {
        Some("authorization_code") => match exchange_staff_code(&state, &request, now).await {
            Some(answer) => return answer,
            None => exchange_code(&state, &request, now).await,
        },
        Some("refresh_token") => refresh(&state, &request, now).await,
        Some("password") => return staff_sign_in(&state, &request, now).await,
        Some(_) => return oauth_error("unsupported_grant_type", "authorization_code, refresh_token or password"),
        None => return oauth_error("invalid_request", "grant_type is required"),
    };
    match result {
        Ok(Ok(tokens)) => no_store(Json(tokens).into_response()),
        Ok(Err((error, description))) => oauth_error(error, description),
        Err(error) => error.into_response(),
    }
}

type Grant = Result<Result<TokenResponse, (&'static str, &'static str)>, Error>;

async fn exchange_code(state: &AppState, request: &TokenRequest, now: i64) -> Grant {
    let (Some(code), Some(redirect_uri), Some(verifier)) = (&request.code, &request.redirect_uri, &request.code_verifier) else {
        return Ok(Err(("invalid_request", "code, redirect_uri and code_verifier are required")));
    };
    if !(43..=128).contains(&verifier.len()) {
        return Ok(Err(("invalid_request", "code_verifier must be 43 to 128 characters")));
    }
    let redeemed = match state.store.redeem_code(code).await? {
        Ok(Some(redeemed)) => redeemed,
        Ok(None) => return Ok(Err(("invalid_grant", "unknown code"))),
        Err(()) => return Ok(Err(("invalid_grant", "code already used; its tokens are revoked"))),
    };
    if redeemed.expires_at <= now {
        return Ok(Err(("invalid_grant", "code expired")));
    }
    if &redeemed.redirect_uri != redirect_uri {
        return Ok(Err(("invalid_grant", "redirect_uri does not match")));
    }
    if s256_challenge(verifier) != redeemed.code_challenge {
        return Ok(Err(("invalid_grant", "code_verifier does not match")));
    }
    let family = new_token()?;
    state.store.bind_code_family(code, &family).await?;
    let mut tokens = issue(state, redeemed.patient_id, &family, now).await?;
    // A refresh answers without one: OpenID Core §12.2 lets it, and the
    // app has nothing to check a new one against but the first.
    let claims = IdClaims {
        iss: &state.public_url,
        sub: redeemed.patient_id.to_string(),
        aud: CLIENT_ID,
        exp: now + ID_TOKEN_SECONDS,
        iat: now,
        // ESIA vouched for the person just before the code was made.
        auth_time: redeemed.expires_at - CODE_SECONDS,
        nonce: redeemed.nonce.as_deref(),
    };
    tokens.id_token = Some(state.id_token_signer().await?.sign(&claims)?);
    Ok(Ok(tokens))
}

/// A staff member's code from an ESIA sign-in, traded for a staff token
/// with the same checks as a patient's; `None` when `code` is no staff code.
async fn exchange_staff_code(state: &AppState, request: &TokenRequest, now: i64) -> Option<Response> {
    let (Some(code), Some(redirect_uri), Some(verifier)) = (&request.code, &request.redirect_uri, &request.code_verifier) else {
        return None;
    };
    let (staff_id, saved_redirect, challenge, expires_at) = match state.store.redeem_staff_code(code).await {
        Ok(Ok(Some(redeemed))) => redeemed,
        Ok(Ok(None)) => return None,
        Ok(Err(())) => return Some(oauth_error("invalid_grant", "code already used")),
        Err(error) => return Some(error.into_response()),
    };
    if expires_at <= now {
        return Some(oauth_error("invalid_grant", "code expired"));
    }
    if &saved_redirect != redirect_uri {
        return Some(oauth_error("invalid_grant", "redirect_uri does not match"));
    }
    if !(43..=128).contains(&verifier.len()) || s256_challenge(verifier) != challenge {
        return Some(oauth_error("invalid_grant", "code_verifier does not match"));
    }
    Some(staff_token_answer(state, staff_id, now).await)
}

/// The token answer of a staff sign-in: a working day, no refresh token.
async fn staff_token_answer(state: &AppState, staff_id: i64, now: i64) -> Response {
    let issued = async {
        let token = new_token()?;
        state.store.issue_staff_token(staff_id, &token, now + STAFF_SECONDS).await?;
        Ok::<_, Error>(token)
    };
    match issued.await {
        Ok(access_token) => no_store(
            Json(serde_json::json!({"access_token": access_token, "token_type": "Bearer", "expires_in": STAFF_SECONDS, "scope": "desk"}))
                .into_response(),
        ),
        Err(error) => error.into_response(),
    }
}

/// A staff member signs in at the desk with their login and password
/// (RFC 6749 §4.3: the desk is the first-party app of the same portal). The
/// token opens the desk's routes only.
async fn staff_sign_in(state: &AppState, request: &TokenRequest, now: i64) -> Response {
    if request.scope.as_deref() != Some("desk") {
        return oauth_error("invalid_scope", "a staff sign-in asks for scope=desk");
    }
    let (Some(username), Some(password)) = (&request.username, &request.password) else {
        return oauth_error("invalid_request", "username and password are required");
    };
    if username.len() > 64 || password.len() > 256 {
        return oauth_error("invalid_grant", "wrong login or password");
    }
    match state.store.staff_by_password(username, password).await {
        Ok(Some(staff_id)) => staff_token_answer(state, staff_id, now).await,
        Ok(None) => oauth_error("invalid_grant", "wrong login or password"),
        Err(error) => error.into_response(),
    }
}

async fn refresh(state: &AppState, request: &TokenRequest, now: i64) -> Grant {
    let Some(refresh_token) = &request.refresh_token else {
        return Ok(Err(("invalid_request", "refresh_token is required")));
    };
    match state.store.use_refresh_token(refresh_token, now).await? {
        Refresh::Rotated { family, patient_id } => Ok(Ok(issue(state, patient_id, &family, now).await?)),
        Refresh::Reused => Ok(Err(("invalid_grant", "refresh token reused; the session is revoked"))),
        Refresh::Invalid => Ok(Err(("invalid_grant", "unknown or expired refresh token"))),
    }
}

async fn issue(state: &AppState, patient_id: i64, family: &str, now: i64) -> Result<TokenResponse, Error> {
    let access_token = new_token()?;
    let refresh_token = new_token()?;
    state
        .store
        .issue_pair(patient_id, family, &access_token, now + ACCESS_SECONDS, &refresh_token, now + REFRESH_SECONDS)
        .await?;
    Ok(TokenResponse { access_token, token_type: "Bearer".to_owned(), expires_in: ACCESS_SECONDS, refresh_token, id_token: None })
}

#[derive(Debug, Deserialize)]
pub struct RevokeRequest {
    token: Option<String>,
}

/// `POST /oauth/revoke` — ends the login a token belongs to (RFC 7009:
/// an unknown token is not an error).
pub async fn revoke(State(state): State<AppState>, Form(request): Form<RevokeRequest>) -> Response {
    let Some(token) = request.token.filter(|t| !t.is_empty()) else {
        return oauth_error("invalid_request", "token is required");
    };
    let revoked = async {
        state.store.revoke(&token).await?;
        state.store.revoke_staff_token(&token).await
    };
    match revoked.await {
        Ok(_) => StatusCode::OK.into_response(),
        Err(error) => error.into_response(),
    }
}

/// `GET /oauth/userinfo` — who the bearer is, with ESIA's confirmation.
pub async fn userinfo(State(state): State<AppState>, Patient(patient_id): Patient) -> Result<Json<serde_json::Value>, Error> {
    let profile = state.store.profile(patient_id).await?.ok_or(Error::Unauthorized)?;
    Ok(Json(serde_json::json!({
        "sub": patient_id.to_string(),
        "family_name": profile.last_name,
        "given_name": profile.first_name,
        "middle_name": profile.middle_name,
        "birthdate": profile.birth_date,
        "snils": profile.snils,
        "policy": profile.policy,
        "phones": profile.phones,
        "esia_confirmed": profile.confirmed,
    })))
}

fn oauth_error(error: &str, description: &str) -> Response {
    no_store((StatusCode::BAD_REQUEST, Json(serde_json::json!({"error": error, "error_description": description}))).into_response())
}

fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn sandbox_free_error_page(text: &str) -> Response {
    let html = format!(
        r#"<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Вход невозможен</title></head>
<body style="font-family: sans-serif; font-size: 20px; max-width: 32rem; margin: 3rem auto"><h1>Вход невозможен</h1><p role="alert">{}</p></body></html>"#,
        sandbox::escape(text)
    );
    let mut response = (StatusCode::BAD_REQUEST, axum::response::Html(html)).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"),
    );
    response
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_registered_redirects_are_allowed() {
        for good in ["ru.registratura.app:/auth/callback", "http://127.0.0.1:49152/auth/callback", "http://127.0.0.1:1/auth/callback"] {
            assert!(redirect_allowed(good), "{good}");
        }
        for bad in [
            "ru.registratura.app:/auth/callback/",
            "ru.registratura.app://auth/callback",
            "ru.registratura.app:/auth/callback?x=1",
            "http://localhost:49152/auth/callback",
            "http://127.0.0.1/auth/callback",
            "http://127.0.0.1:0/auth/callback",
            "http://127.0.0.1:99999/auth/callback",
            "http://127.0.0.1:49152/auth/callback?x=1",
            "https://127.0.0.1:49152/auth/callback",
            "http://127.0.0.1:49152@evil.example/auth/callback",
            "http://127.0.0.2:49152/auth/callback",
            "registratura40://auth/callback",
        ] {
            assert!(!redirect_allowed(bad), "{bad}");
        }
    }
}
