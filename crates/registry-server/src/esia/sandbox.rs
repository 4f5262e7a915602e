//! ESIA's sandbox: ESIA's endpoints with test citizens, for the demo and the
//! tests. Every page says plainly that it is a test environment.
//!
//! The flow is ESIA's: the authorisation request (its `client_secret`
//! checked against the sandbox key) → a login page (mobile phone, e-mail or
//! СНИЛС, and a password) → ESIA's consent screen listing the requested
//! data → a redirect with a single-use code → the token endpoint (an
//! access token and a signed id_token) → the person, documents and contacts.

use axum::extract::{Form, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::DateTime;
use registratura_contract::identity::{Phone, Snils};
use serde::Deserialize;

use super::jwt::{self, IdTokenClaims};
use super::signer::SandboxKey;
use super::{form_encode, signed_string, uuid_v4};
use crate::demo::PatientRow;
use crate::store::{new_token, SandboxCitizen};
use crate::{AppState, Error};

/// The portal's client id at the sandbox.
pub const CLIENT_ID: &str = "REGISTRATURA40";
/// The password of every sandbox citizen (listed in the README).
pub const PASSWORD: &str = "esia-test-2026";
/// The first oid of the sandbox's citizens; demo patient N has oid +N.
pub const FIRST_OID: i64 = 1_000_000;
/// The first oid of the sandbox's staff citizens; demo staff account N
/// (counted from 0, admins first) has oid +N.
pub const FIRST_STAFF_OID: i64 = 2_000_000;

/// How far a request's timestamp may be from the sandbox's clock.
const TIMESTAMP_LEEWAY_SECONDS: i64 = 600;

/// The sandbox's signing key: public, and good for nothing but the sandbox.
pub fn sandbox_key() -> SandboxKey {
    SandboxKey::new(b"registratura-esia-sandbox: a test key, never a real one")
}

/// The sandbox citizens that stand for the demo patients.
pub fn citizens(patients: &[PatientRow]) -> Vec<SandboxCitizen> {
    patients
        .iter()
        .map(|patient| SandboxCitizen {
            oid: (FIRST_OID + patient.demo_number).to_string(),
            mobile: patient.phones.first().cloned().unwrap_or_else(|| format!("+7999000{:04}", patient.demo_number)),
            email: format!("patient{}@esia-sandbox.test", patient.demo_number),
            snils: patient.snils.digits().to_owned(),
            last_name: patient.last_name.clone(),
            first_name: patient.first_name.clone(),
            middle_name: patient.middle_name.clone(),
            birth_date: patient.birth_date.format("%d.%m.%Y").to_string(),
            policy: Some(patient.policy.clone()),
            trusted: patient.confirmed,
        })
        .collect()
}

/// The sandbox citizen who is demo staff account `index` (`login`, named
/// `names`): `{login}@esia-sandbox.test`, with no policy, since staff sign in
/// to the desk, not to book. Their СНИЛС numbers sit below every demo
/// patient's, and their phones on a code no patient's uses.
pub fn staff_citizen(index: usize, login: &str, (last_name, first_name, middle_name): (String, String, String)) -> SandboxCitizen {
    SandboxCitizen {
        oid: (FIRST_STAFF_OID + index as i64).to_string(),
        mobile: format!("+7998{index:07}"),
        email: format!("{login}@esia-sandbox.test"),
        snils: Snils::from_number(1_002_000 + index as u32).digits().to_owned(),
        last_name,
        first_name,
        middle_name,
        birth_date: "01.01.1980".to_owned(),
        policy: None,
        trusted: true,
    }
}

#[derive(Debug, Deserialize)]
pub struct AuthorizeQuery {
    client_id: Option<String>,
    client_secret: Option<String>,
    redirect_uri: Option<String>,
    scope: Option<String>,
    response_type: Option<String>,
    state: Option<String>,
    timestamp: Option<String>,
    access_type: Option<String>,
}

/// `GET /aas/oauth2/v2/ac` — checks the request and shows the login page.
pub async fn authorize(State(state): State<AppState>, Query(query): Query<AuthorizeQuery>) -> Response {
    match check_authorize(&state, &query).await {
        Ok(request_id) => login_page(&request_id, None),
        Err(why) => error_page(StatusCode::BAD_REQUEST, &why),
    }
}

async fn check_authorize(state: &AppState, query: &AuthorizeQuery) -> Result<String, String> {
    let field = |value: &Option<String>, name: &str| value.clone().filter(|v| !v.is_empty()).ok_or(format!("нет параметра {name}"));
    let client_id = field(&query.client_id, "client_id")?;
    let secret = field(&query.client_secret, "client_secret")?;
    let redirect_uri = field(&query.redirect_uri, "redirect_uri")?;
    let scope = field(&query.scope, "scope")?;
    let esia_state = field(&query.state, "state")?;
    let timestamp = field(&query.timestamp, "timestamp")?;
    if client_id != CLIENT_ID {
        return Err("неизвестная информационная система (client_id)".to_owned());
    }
    if query.response_type.as_deref() != Some("code") || query.access_type.as_deref() != Some("online") {
        return Err("response_type должен быть code, access_type — online".to_owned());
    }
    let expected_redirect = state.esia.as_ref().map(|esia| esia.redirect_uri.clone()).unwrap_or_default();
    if redirect_uri != expected_redirect {
        return Err("redirect_uri не зарегистрирован для этой системы".to_owned());
    }
    check_timestamp(&timestamp, state.clock.now())?;
    check_secret(&client_id, &scope, &timestamp, &esia_state, &redirect_uri, &secret)?;
    let request_id = uuid_v4().map_err(|error| error.to_string())?;
    state
        .store
        .save_sandbox_request(&request_id, &redirect_uri, &esia_state, &scope, state.clock.now())
        .await
        .map_err(|error| error.to_string())?;
    Ok(request_id)
}

fn check_timestamp(timestamp: &str, now: i64) -> Result<(), String> {
    let at = DateTime::parse_from_str(timestamp, "%Y.%m.%d %H:%M:%S %z").map_err(|_| "timestamp не в формате yyyy.MM.dd HH:mm:ss ±zzzz".to_owned())?;
    if (at.timestamp() - now).abs() > TIMESTAMP_LEEWAY_SECONDS {
        return Err("timestamp слишком далёк от текущего времени".to_owned());
    }
    Ok(())
}

fn check_secret(client_id: &str, scope: &str, timestamp: &str, state: &str, redirect_uri: &str, secret: &str) -> Result<(), String> {
    let signature = URL_SAFE_NO_PAD.decode(secret).map_err(|_| "client_secret не в base64url".to_owned())?;
    let message = signed_string(client_id, scope, timestamp, state, redirect_uri);
    if !sandbox_key().verify(message.as_bytes(), &signature) {
        return Err("подпись запроса (client_secret) неверна".to_owned());
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    request: String,
    login: String,
    password: String,
}

/// `POST /aas/oauth2/v2/ac` — the login form: mobile phone, e-mail or СНИЛС.
pub async fn login(State(state): State<AppState>, Form(form): Form<LoginForm>) -> Response {
    match state.store.sandbox_request(&form.request).await {
        Ok(Some(_)) => {}
        Ok(None) => return error_page(StatusCode::BAD_REQUEST, "Сеанс входа не найден или устарел. Начните вход заново в приложении."),
        Err(error) => return error.into_response(),
    }
    let login = form.login.trim();
    let (field, normalised) = if login.contains('@') {
        ("email", login.to_lowercase())
    } else if let Ok(phone) = Phone::parse(login) {
        ("mobile", phone.as_str().to_owned())
    } else if let Ok(snils) = Snils::parse(login) {
        ("snils", snils.digits().to_owned())
    } else {
        return login_page(&form.request, Some("Введите мобильный телефон, электронную почту или СНИЛС."));
    };
    match state.store.sandbox_sign_in(field, &normalised, &form.password).await {
        Ok(Some(oid)) => match state.store.sandbox_request_signed_in(&form.request, &oid).await {
            Ok(()) => consent_page(&form.request),
            Err(error) => error.into_response(),
        },
        Ok(None) => login_page(&form.request, Some("Неверные логин или пароль. Проверьте раскладку клавиатуры и попробуйте ещё раз.")),
        Err(error) => error.into_response(),
    }
}

#[derive(Debug, Deserialize)]
pub struct ConsentForm {
    request: String,
    decision: String,
}

/// `POST /aas/oauth2/v2/ac/consent` — «Предоставить» or «Отказать».
pub async fn consent(State(state): State<AppState>, Form(form): Form<ConsentForm>) -> Response {
    let request = match state.store.sandbox_request(&form.request).await {
        Ok(Some(request)) => request,
        Ok(None) => return error_page(StatusCode::BAD_REQUEST, "Сеанс входа не найден или устарел. Начните вход заново в приложении."),
        Err(error) => return error.into_response(),
    };
    let (redirect_uri, esia_state, _scope, oid, _) = request;
    let Some(oid) = oid else {
        return error_page(StatusCode::BAD_REQUEST, "Сначала войдите.");
    };
    if let Err(error) = state.store.finish_sandbox_request(&form.request).await {
        return error.into_response();
    }
    if form.decision != "allow" {
        let query = form_encode(&[("error", "access_denied"), ("error_description", "Пользователь отказал в доступе"), ("state", &esia_state)]);
        return Redirect::to(&format!("{redirect_uri}?{query}")).into_response();
    }
    let code = match new_token() {
        Ok(code) => code,
        Err(error) => return error.into_response(),
    };
    if let Err(error) = state.store.save_sandbox_code(&code, &oid, state.clock.now() + 300).await {
        return error.into_response();
    }
    let query = form_encode(&[("code", &code), ("state", &esia_state)]);
    Redirect::to(&format!("{redirect_uri}?{query}")).into_response()
}

#[derive(Debug, Deserialize)]
pub struct TokenForm {
    client_id: String,
    code: String,
    grant_type: String,
    client_secret: String,
    state: String,
    redirect_uri: String,
    scope: String,
    timestamp: String,
}

/// `POST /aas/oauth2/v3/te` — a code for an access token and an id_token.
pub async fn token(State(state): State<AppState>, Form(form): Form<TokenForm>) -> Response {
    let refuse = |why: &str| (StatusCode::BAD_REQUEST, Json(serde_json::json!({"error": "invalid_request", "error_description": why}))).into_response();
    if form.client_id != CLIENT_ID || form.grant_type != "authorization_code" {
        return refuse("client_id или grant_type неверны");
    }
    let now = state.clock.now();
    if let Err(why) = check_timestamp(&form.timestamp, now)
        .and_then(|()| check_secret(&form.client_id, &form.scope, &form.timestamp, &form.state, &form.redirect_uri, &form.client_secret))
    {
        return refuse(&why);
    }
    let oid = match state.store.redeem_sandbox_code(&form.code, now).await {
        Ok(Some(oid)) => oid,
        Ok(None) => return (StatusCode::BAD_REQUEST, Json(serde_json::json!({"error": "invalid_grant"}))).into_response(),
        Err(error) => return error.into_response(),
    };
    let issuer = state.esia.as_ref().map(|esia| esia.issuer.clone()).unwrap_or_default();
    let claims = IdTokenClaims { iss: issuer, aud: CLIENT_ID.to_owned(), oid: oid.clone(), iat: now, nbf: now, exp: now + 3600 };
    let result = (|| {
        let access_token = new_token()?;
        let id_token = jwt::encode(&claims, &sandbox_key())?;
        Ok::<_, Error>((access_token, id_token))
    })();
    let (access_token, id_token) = match result {
        Ok(pair) => pair,
        Err(error) => return error.into_response(),
    };
    if let Err(error) = state.store.save_sandbox_token(&access_token, &oid, now + 3600).await {
        return error.into_response();
    }
    Json(serde_json::json!({
        "access_token": access_token,
        "id_token": id_token,
        "expires_in": 3600,
        "state": form.state,
        "token_type": "Bearer",
    }))
    .into_response()
}

/// `GET /rs/prns/{oid}`, `/rs/prns/{oid}/docs`, `/rs/prns/{oid}/ctts`.
pub async fn person(State(state): State<AppState>, Path(path): Path<String>, headers: HeaderMap) -> Response {
    let (oid, part) = path.split_once('/').map_or((path.as_str(), ""), |(oid, part)| (oid, part));
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    match state.store.sandbox_token_oid(token, state.clock.now()).await {
        Ok(Some(owner)) if owner == oid => {}
        Ok(_) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(error) => return error.into_response(),
    }
    let citizen = match state.store.sandbox_citizen(oid).await {
        Ok(Some(citizen)) => citizen,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return error.into_response(),
    };
    let body = match part {
        "" => serde_json::json!({
            "firstName": citizen.first_name,
            "lastName": citizen.last_name,
            "middleName": citizen.middle_name,
            "birthDate": citizen.birth_date,
            "snils": Snils::parse(&citizen.snils).map(|s| s.to_string()).unwrap_or_default(),
            "trusted": citizen.trusted,
            "status": "REGISTERED",
        }),
        "docs" => serde_json::json!({
            "elements": citizen.policy.iter().map(|number| serde_json::json!({"type": "MDCL_PLCY", "number": number, "vrfStu": "VERIFIED"})).collect::<Vec<_>>(),
        }),
        "ctts" => serde_json::json!({
            "elements": [
                {"type": "MBT", "value": citizen.mobile, "vrfStu": "VERIFIED"},
                {"type": "EML", "value": citizen.email, "vrfStu": "VERIFIED"},
            ],
        }),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    Json(body).into_response()
}

fn login_page(request_id: &str, error: Option<&str>) -> Response {
    let error = error
        .map(|text| format!(r#"<p class="error" role="alert">{}</p>"#, escape(text)))
        .unwrap_or_default();
    page(
        StatusCode::OK,
        "Вход — тестовая среда ЕСИА",
        &format!(
            r#"<h1>Вход</h1>
<p>для портала «Регистратура40»</p>
{error}
<form method="post" action="/aas/oauth2/v2/ac">
  <input type="hidden" name="request" value="{request}">
  <label for="login">Телефон, почта или СНИЛС</label>
  <input id="login" name="login" autocomplete="username" required autofocus>
  <label for="password">Пароль</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Войти</button>
</form>"#,
            request = escape(request_id)
        ),
    )
}

fn consent_page(request_id: &str) -> Response {
    page(
        StatusCode::OK,
        "Предоставление прав доступа — тестовая среда ЕСИА",
        &format!(
            r#"<h1>Предоставление прав доступа</h1>
<p>Портал «Регистратура40» запрашивает доступ к вашим данным:</p>
<ul>
  <li>фамилия, имя и отчество</li>
  <li>дата рождения</li>
  <li>СНИЛС</li>
  <li>мобильный телефон и электронная почта</li>
  <li>полис ОМС</li>
</ul>
<form method="post" action="/aas/oauth2/v2/ac/consent">
  <input type="hidden" name="request" value="{request}">
  <button type="submit" name="decision" value="allow">Предоставить</button>
  <button type="submit" name="decision" value="deny" class="secondary">Отказать</button>
</form>"#,
            request = escape(request_id)
        ),
    )
}

fn error_page(status: StatusCode, text: &str) -> Response {
    page(status, "Ошибка — тестовая среда ЕСИА", &format!(r#"<h1>Вход невозможен</h1><p class="error" role="alert">{}</p>"#, escape(text)))
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        r#"<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: "Noto Sans", "Liberation Sans", sans-serif; font-size: 20px; margin: 0; background: #f2f5fa; color: #10182b; }}
.banner {{ background: #ffdd00; padding: .6rem 1rem; font-weight: 700; text-align: center; }}
main {{ max-width: 28rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2rem; border-radius: 12px; border: 1px solid #b7c2d6; }}
label {{ display: block; margin-top: 1rem; font-weight: 600; }}
input {{ width: 100%; font: inherit; padding: .6rem; margin-top: .3rem; border: 2px solid #10182b; border-radius: 6px; box-sizing: border-box; }}
button {{ font: inherit; font-weight: 700; margin-top: 1.2rem; padding: .7rem 1.5rem; background: #0d4cd3; color: #fff; border: 0; border-radius: 8px; }}
button.secondary {{ background: #fff; color: #0d4cd3; border: 2px solid #0d4cd3; }}
.error {{ color: #b00020; font-weight: 600; }}
</style></head>
<body><div class="banner">Тестовая среда ЕСИА. Это не настоящие Госуслуги: вводите только тестовые данные.</div>
<main>{body}</main></body></html>"#
    );
    let mut response = (status, Html(html)).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"),
    );
    response
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            '\'' => "&#39;".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

