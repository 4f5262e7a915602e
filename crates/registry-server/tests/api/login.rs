use registratura_core::oauth::{parse_callback, percent_encode, s256_challenge, Callback, Pkce, CUSTOM_SCHEME_REDIRECT};
use serde_json::Value;

use crate::support::{on_both_backends, TestApp};

const CLIENT: &str = "registratura-desktop";

/// A client that shows redirects instead of following them, as a browser
/// handing a custom-scheme URL to the OS would.
pub(crate) fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

pub(crate) fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

fn hidden_request_id(html: &str) -> String {
    let start = html.find(r#"name="request" value=""#).expect("a login form") + r#"name="request" value=""#.len();
    html[start..start + html[start..].find('"').expect("closing quote")].to_owned()
}

struct Login {
    verifier: String,
    state: String,
}

fn authorize_url(app: &TestApp, challenge: &str, method: &str, redirect: &str, state: &str) -> String {
    app.url(&format!(
        "/oauth/authorize?response_type=code&client_id={CLIENT}&redirect_uri={}&state={state}&code_challenge={challenge}&code_challenge_method={method}",
        percent_encode(redirect)
    ))
}

/// Runs the browser part of a login up to ESIA's redirect to the broker;
/// returns that redirect's URL.
async fn through_esia(app: &TestApp, login: &str, password: &str, redirect: &str) -> (Login, String) {
    through_esia_for(app, login, password, redirect, "").await
}

/// [`through_esia`] with more of the authorize request (`&scope=desk`).
async fn through_esia_for(app: &TestApp, login: &str, password: &str, redirect: &str, more: &str) -> (Login, String) {
    let pkce = Pkce::generate().expect("pkce");
    let state = registratura_core::oauth::new_state().expect("state");
    let authorize = format!("{}{more}", authorize_url(app, &pkce.challenge, "S256", redirect, &state));
    let to_broker = sandbox_sign_in(app, &authorize, login, password).await;
    (Login { verifier: pkce.verifier.expose().clone(), state }, to_broker)
}

/// Plays the person in the browser from the broker's `authorize` URL: the
/// broker sends them to the ESIA sandbox, they sign in as `login` and
/// grant access. Returns ESIA's redirect back to the broker.
pub(crate) async fn sandbox_sign_in(app: &TestApp, authorize: &str, login: &str, password: &str) -> String {
    let browser = browser();
    let response = browser.get(authorize).send().await.expect("authorize");
    assert_eq!(response.status(), 303, "the broker sends the person to ESIA");
    let esia = location(&response);
    assert!(esia.starts_with(&app.url("/aas/oauth2/v2/ac?client_id=REGISTRATURA40&client_secret=")), "{esia}");

    let page = browser.get(&esia).send().await.expect("login page").text().await.expect("html");
    assert!(page.contains("Тестовая среда ЕСИА"), "the sandbox says what it is");
    let request = hidden_request_id(&page);
    let consent = browser
        .post(app.url("/aas/oauth2/v2/ac"))
        .form(&[("request", request.as_str()), ("login", login), ("password", password)])
        .send()
        .await
        .expect("login")
        .text()
        .await
        .expect("html");
    assert!(consent.contains("Предоставление прав доступа"), "{consent}");
    let back = browser
        .post(app.url("/aas/oauth2/v2/ac/consent"))
        .form(&[("request", request.as_str()), ("decision", "allow")])
        .send()
        .await
        .expect("consent");
    assert_eq!(back.status(), 303);
    let to_broker = location(&back);
    assert!(to_broker.starts_with(&app.url("/esia/callback?code=")), "{to_broker}");
    to_broker
}

/// A whole login as the app does it; returns the code and the verifier.
async fn login_code(app: &TestApp, login: &str, password: &str) -> (String, String) {
    let (started, to_broker) = through_esia(app, login, password, CUSTOM_SCHEME_REDIRECT).await;
    let response = browser().get(&to_broker).send().await.expect("callback");
    assert_eq!(response.status(), 303);
    let to_app = location(&response);
    match parse_callback(&to_app, None).expect("a callback the app accepts") {
        Callback::Code { code, state, issuer } => {
            assert_eq!(state, started.state, "the app's own state comes back");
            assert_eq!(issuer.as_deref(), Some(app.url("").as_str()), "the broker names itself (RFC 9207)");
            (code.expose().clone(), started.verifier)
        }
        other => panic!("{other:?}"),
    }
}

async fn exchange(app: &TestApp, code: &str, verifier: &str, redirect: &str) -> (u16, Value) {
    let response = app
        .http
        .post(app.url("/oauth/token"))
        .form(&[("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect), ("client_id", CLIENT), ("code_verifier", verifier)])
        .send()
        .await
        .expect("token");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

async fn refresh(app: &TestApp, refresh_token: &str) -> (u16, Value) {
    let response = app
        .http
        .post(app.url("/oauth/token"))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", refresh_token), ("client_id", CLIENT)])
        .send()
        .await
        .expect("refresh");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

on_both_backends!(a_full_login_through_the_esia_sandbox, |app| {
    let (status, discovery) = app.get("/.well-known/openid-configuration").await;
    assert_eq!(status, 200);
    assert_eq!(discovery["code_challenge_methods_supported"], serde_json::json!(["S256"]));
    assert_eq!(discovery["issuer"], app.base);
    assert_eq!(discovery["authorization_response_iss_parameter_supported"], true);
    assert!(discovery["scopes_supported"].as_array().is_some_and(|scopes| scopes.contains(&serde_json::json!("offline_access"))));

    let (code, verifier) = login_code(&app, "patient1@esia-sandbox.test", "esia-test-2026").await;
    let (status, tokens) = exchange(&app, &code, &verifier, CUSTOM_SCHEME_REDIRECT).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    let access = tokens["access_token"].as_str().expect("access").to_owned();
    let (status, me) = app.get_as(&access, "/oauth/userinfo").await;
    assert_eq!(status, 200);
    assert_eq!((me["family_name"].as_str(), me["given_name"].as_str(), me["esia_confirmed"].as_bool()), (Some("Захарова"), Some("Софья"), Some(true)));
    assert_eq!(me["policy"].as_str().map(str::len), Some(16));
    let (status, _) = app.get_as(&access, "/api/v1/me").await;
    assert_eq!(status, 200, "the broker's token opens the API");
    // The person from ESIA is the demo patient with the same СНИЛС.
    let (_, profile) = app.get_as(&app.demo_token(1).await, "/api/v1/me").await;
    assert_eq!(profile["snils"], me["snils"]);
});

on_both_backends!(a_citizen_signs_in_by_phone_or_snils_and_a_wrong_password_is_refused, |app| {
    let citizen = app.store.sandbox_citizen("1000004").await.expect("query").expect("citizen");
    let snils = registratura_core::identity::Snils::parse(&citizen.snils).expect("snils").to_string();
    let phone = registratura_core::identity::Phone::parse(&citizen.mobile).expect("phone").to_string();
    for login in [phone.as_str(), snils.as_str()] {
        let (code, verifier) = login_code(&app, login, "esia-test-2026").await;
        assert_eq!(exchange(&app, &code, &verifier, CUSTOM_SCHEME_REDIRECT).await.0, 200, "{login}");
    }

    let browser = browser();
    let pkce = Pkce::generate().expect("pkce");
    let response = browser.get(authorize_url(&app, &pkce.challenge, "S256", CUSTOM_SCHEME_REDIRECT, "s")).send().await.expect("authorize");
    let page = browser.get(location(&response)).send().await.expect("page").text().await.expect("html");
    let request = hidden_request_id(&page);
    let again = browser
        .post(app.url("/aas/oauth2/v2/ac"))
        .form(&[("request", request.as_str()), ("login", snils.as_str()), ("password", "wrong")])
        .send()
        .await
        .expect("login");
    assert_eq!(again.status(), 200);
    assert!(location(&again).is_empty(), "no redirect on a wrong password");
    let text = again.text().await.expect("html");
    assert!(text.contains("Неверные логин или пароль"), "{text}");
});

on_both_backends!(the_broker_refuses_what_it_must, |app| {
    let browser = browser();
    let pkce = Pkce::generate().expect("pkce");

    // A redirect that is not registered: an error page, never a redirect.
    for redirect in ["https://evil.example/cb", "http://localhost:5000/auth/callback", "ru.registratura.app:/other"] {
        let response = browser.get(authorize_url(&app, &pkce.challenge, "S256", redirect, "s")).send().await.expect("authorize");
        assert_eq!(response.status(), 400, "{redirect}");
        assert!(location(&response).is_empty(), "{redirect}");
    }
    // Plain or missing PKCE.
    for method in ["plain", ""] {
        let response = browser.get(authorize_url(&app, &pkce.challenge, method, CUSTOM_SCHEME_REDIRECT, "s")).send().await.expect("authorize");
        let back = location(&response);
        assert!(back.starts_with("ru.registratura.app:/auth/callback?error=invalid_request"), "{method}: {back}");
    }

    // The loopback redirect works on any port.
    let (started, to_broker) = through_esia(&app, "patient2@esia-sandbox.test", "esia-test-2026", "http://127.0.0.1:50123/auth/callback").await;
    let response = browser.get(&to_broker).send().await.expect("callback");
    let to_app = location(&response);
    let Ok(Callback::Code { code, .. }) = parse_callback(&to_app, Some(50123)) else { panic!("{to_app}") };
    let code = code.expose().clone();
    // A replayed ESIA state finds nothing.
    let replay = browser.get(&to_broker).send().await.expect("replay");
    assert_eq!(replay.status(), 400);

    // Verifier mismatch, redirect mismatch.
    let other = Pkce::generate().expect("pkce");
    assert_eq!(exchange(&app, &code, other.verifier.expose(), "http://127.0.0.1:50123/auth/callback").await.1["error"], "invalid_grant");
    // The code was consumed by the failed attempt: a used code is never good again.
    let (status, body) = exchange(&app, &code, &started.verifier, "http://127.0.0.1:50123/auth/callback").await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));

    let (code, verifier) = login_code(&app, "patient2@esia-sandbox.test", "esia-test-2026").await;
    assert_eq!(exchange(&app, &code, &verifier, "http://127.0.0.1:50123/auth/callback").await.1["error"], "invalid_grant");

    // An expired code.
    let (code, verifier) = login_code(&app, "patient2@esia-sandbox.test", "esia-test-2026").await;
    app.clock.set(app.clock.now() + 61);
    assert_eq!(exchange(&app, &code, &verifier, CUSTOM_SCHEME_REDIRECT).await.1["error"], "invalid_grant");
    app.clock.set(0);

    // A replayed code revokes what its first use issued.
    let (code, verifier) = login_code(&app, "patient2@esia-sandbox.test", "esia-test-2026").await;
    let (_, tokens) = exchange(&app, &code, &verifier, CUSTOM_SCHEME_REDIRECT).await;
    let access = tokens["access_token"].as_str().expect("access").to_owned();
    assert_eq!(app.get_as(&access, "/api/v1/me").await.0, 200);
    assert_eq!(exchange(&app, &code, &verifier, CUSTOM_SCHEME_REDIRECT).await.1["error"], "invalid_grant");
    assert_eq!(app.get_as(&access, "/api/v1/me").await.0, 401, "the replay revoked the first tokens");

    // An unknown ESIA state, and a tampered ESIA request.
    assert_eq!(browser.get(app.url("/esia/callback?code=x&state=forged")).send().await.expect("forged").status(), 400);
    let response = browser.get(authorize_url(&app, &pkce.challenge, "S256", CUSTOM_SCHEME_REDIRECT, "s")).send().await.expect("authorize");
    let tampered = location(&response).replace("client_secret=", "client_secret=AAAA");
    assert_eq!(browser.get(tampered).send().await.expect("tampered").status(), 400);
    assert_eq!(s256_challenge(&started.verifier).len(), 43);
});

on_both_backends!(refresh_tokens_rotate_and_a_reused_one_ends_the_session, |app| {
    let (code, verifier) = login_code(&app, "patient3@esia-sandbox.test", "esia-test-2026").await;
    let (_, first) = exchange(&app, &code, &verifier, CUSTOM_SCHEME_REDIRECT).await;
    let old_refresh = first["refresh_token"].as_str().expect("refresh").to_owned();
    let (status, second) = refresh(&app, &old_refresh).await;
    assert_eq!(status, 200, "{second}");
    assert_ne!(second["refresh_token"], first["refresh_token"], "rotated");
    let access = second["access_token"].as_str().expect("access").to_owned();
    assert_eq!(app.get_as(&access, "/api/v1/me").await.0, 200);

    let (status, body) = refresh(&app, &old_refresh).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));
    assert_eq!(app.get_as(&access, "/api/v1/me").await.0, 401, "reuse revoked the whole family");
    assert_eq!(refresh(&app, second["refresh_token"].as_str().expect("refresh")).await.1["error"], "invalid_grant");
});

on_both_backends!(signing_out_revokes_the_tokens, |app| {
    let (code, verifier) = login_code(&app, "patient5@esia-sandbox.test", "esia-test-2026").await;
    let (_, tokens) = exchange(&app, &code, &verifier, CUSTOM_SCHEME_REDIRECT).await;
    let response = app.http.post(app.url("/oauth/revoke")).form(&[("token", tokens["refresh_token"].as_str().expect("refresh"))]).send().await.expect("revoke");
    assert_eq!(response.status(), 200);
    assert_eq!(app.get_as(tokens["access_token"].as_str().expect("access"), "/api/v1/me").await.0, 401);
    assert_eq!(refresh(&app, tokens["refresh_token"].as_str().expect("refresh")).await.1["error"], "invalid_grant");
    let unknown = app.http.post(app.url("/oauth/revoke")).form(&[("token", "never-issued")]).send().await.expect("revoke");
    assert_eq!(unknown.status(), 200, "RFC 7009: an unknown token is not an error");
});

on_both_backends!(an_unconfirmed_account_signs_in_but_cannot_book, |app| {
    let (code, verifier) = login_code(&app, "patient9@esia-sandbox.test", "esia-test-2026").await;
    let (_, tokens) = exchange(&app, &code, &verifier, CUSTOM_SCHEME_REDIRECT).await;
    let access = tokens["access_token"].as_str().expect("access").to_owned();
    let (_, me) = app.get_as(&access, "/oauth/userinfo").await;
    assert_eq!(me["esia_confirmed"], false);
    let consent = app.consent_version().await;
    let free = app.free_slots(1).await;
    let (status, body) = app.book(&access, "unconfirmed-login", &free.booking(0, &consent)).await;
    assert_eq!((status, body["kind"].as_str()), (403, Some("account_unconfirmed")));
});

on_both_backends!(a_staff_member_signs_in_to_the_desk_through_esia_and_a_patient_cannot, |app| {
    // registrar1 is the demo's second staff account (the admins come first):
    // a sandbox citizen linked to that staff record.
    let login = format!("{}@esia-sandbox.test", registry_server::demo::registrar_login(1));
    let (started, to_broker) = through_esia_for(&app, &login, "esia-test-2026", CUSTOM_SCHEME_REDIRECT, "&scope=desk").await;
    let response = browser().get(&to_broker).send().await.expect("callback");
    let Callback::Code { code, .. } = parse_callback(&location(&response), None).expect("a callback") else { panic!("no code") };
    let (status, tokens) = exchange(&app, code.expose(), &started.verifier, CUSTOM_SCHEME_REDIRECT).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["scope"], "desk");
    assert!(tokens.get("refresh_token").is_none(), "a shared desk PC keeps no refresh token");
    let token = tokens["access_token"].as_str().expect("token");
    let (status, me) = app.get_as(token, "/api/v1/desk/me").await;
    assert_eq!(status, 200, "{me}");
    assert!(me["grants"].as_array().expect("grants").iter().any(|grant| grant["clinic_id"] == 1 && grant["role"] == "registrar"), "{me}");
    let (status, _) = app.get_as(token, "/api/v1/me").await;
    assert_eq!(status, 401, "a staff token opens no patient route");
    let (status, again) = exchange(&app, code.expose(), &started.verifier, CUSTOM_SCHEME_REDIRECT).await;
    assert_eq!((status, again["error"].as_str()), (400, Some("invalid_grant")), "a staff code is good once");

    // A wrong verifier is refused as for a patient.
    let (_, to_broker) = through_esia_for(&app, &login, "esia-test-2026", CUSTOM_SCHEME_REDIRECT, "&scope=desk").await;
    let response = browser().get(&to_broker).send().await.expect("callback");
    let Callback::Code { code, .. } = parse_callback(&location(&response), None).expect("a callback") else { panic!("no code") };
    let (status, refused) = exchange(&app, code.expose(), &Pkce::generate().expect("pkce").verifier.expose().clone(), CUSTOM_SCHEME_REDIRECT).await;
    assert_eq!((status, refused["error"].as_str()), (400, Some("invalid_grant")));

    // A citizen who is no staff member is refused at the desk's sign-in.
    let (_, to_broker) = through_esia_for(&app, "patient1@esia-sandbox.test", "esia-test-2026", CUSTOM_SCHEME_REDIRECT, "&scope=desk").await;
    let response = browser().get(&to_broker).send().await.expect("callback");
    match parse_callback(&location(&response), None).expect("a callback") {
        Callback::Refused { error, .. } => assert_eq!(error, "access_denied"),
        other => panic!("a patient got {other:?}"),
    }
});
