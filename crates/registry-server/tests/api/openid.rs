//! The app's login core (registratura-core's `Sessions` and `LoginClient`)
//! against two OpenID providers: our broker, on both backends, and panva's
//! oidc-provider from npm (OpenID Certified), once with RS256 and once with
//! ES256 id_tokens. The same journeys run against both: a full login, a
//! refresh, a revocation, a forged state, a foreign `iss`, a wrong nonce
//! and tampered id_tokens.

use std::collections::BTreeMap;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use registratura_core::login::LoginClient;
use registratura_core::oauth::{new_nonce, new_state, parse_callback, percent_encode, Callback, Pkce, CUSTOM_SCHEME_REDIRECT, REDIRECT_SCHEME};
use registratura_core::session::Sessions;
use registratura_core::Error;
use tokio::io::AsyncBufReadExt as _;

use crate::login::{browser, location, sandbox_sign_in};
use crate::support::{on_both_backends, TestApp};

/// Who plays the person in the browser, and at which provider.
enum Person<'a> {
    /// A citizen of the ESIA sandbox, at our broker.
    AtTheBroker(&'a TestApp),
    /// Whoever the certified provider lets in, at `issuer`.
    AtTheCertifiedProvider { issuer: &'a str },
}

impl Person<'_> {
    fn issuer(&self) -> String {
        match self {
            Person::AtTheBroker(app) => app.url(""),
            Person::AtTheCertifiedProvider { issuer } => (*issuer).to_owned(),
        }
    }

    /// Opens the authorisation URL, signs in and consents; returns the
    /// redirect the provider sends to the app.
    async fn sign_in(&self, authorize: &str) -> String {
        match self {
            Person::AtTheBroker(app) => {
                let to_broker = sandbox_sign_in(app, authorize, "patient1@esia-sandbox.test", "esia-test-2026").await;
                let response = browser().get(&to_broker).send().await.expect("the broker's callback");
                assert_eq!(response.status(), 303);
                location(&response)
            }
            Person::AtTheCertifiedProvider { issuer } => follow_with_cookies(issuer, authorize).await,
        }
    }
}

/// Follows redirects as a browser does, keeping cookies, until one leads to
/// the app's scheme; the certified provider's interactions need its cookies.
async fn follow_with_cookies(origin: &str, start: &str) -> String {
    let http = browser();
    let mut cookies = BTreeMap::<String, String>::new();
    let mut url = start.to_owned();
    for _ in 0..12 {
        if url.starts_with(REDIRECT_SCHEME) {
            return url;
        }
        let jar = cookies.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("; ");
        let response = http.get(&url).header("cookie", jar).send().await.expect("the provider answers");
        for set in response.headers().get_all("set-cookie") {
            let pair = set.to_str().expect("ascii").split(';').next().unwrap_or_default();
            let (name, value) = pair.split_once('=').expect("name=value");
            if value.is_empty() {
                cookies.remove(name);
            } else {
                cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let status = response.status();
        assert!(status.is_redirection(), "{url} answered {status}: {}", response.text().await.unwrap_or_default());
        let next = location(&response);
        url = if next.starts_with('/') { format!("{origin}{next}") } else { next };
    }
    panic!("the provider never sent the person back to the app");
}

/// A keyring service of this test's own, so that nothing real is touched.
fn keyring_service(label: &str) -> String {
    format!("registratura-openid-test-{}-{label}", std::process::id())
}

fn query_value(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| registratura_core::oauth::percent_decode(value).expect("escaped"))
    })
}

fn replace_query_value(url: &str, name: &str, value: &str) -> String {
    let (base, query) = url.split_once('?').expect("a query");
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if key == name => format!("{key}={}", percent_encode(value)),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{base}?{}", pairs.join("&"))
}

/// A login through `LoginClient` alone, with `nonce` sent and `expected`
/// demanded back; returns the exchange's outcome.
async fn login_with(client: &LoginClient, person: &Person<'_>, nonce: &str, expected: &str) -> Result<registratura_core::login::Tokens, Error> {
    let pkce = Pkce::generate().expect("pkce");
    let state = new_state().expect("state");
    let url = client.authorization_url(CUSTOM_SCHEME_REDIRECT, &state, &pkce, nonce).expect("url");
    let back = person.sign_in(&url).await;
    let Callback::Code { code, state: returned, issuer } = parse_callback(&back, None).expect("a callback") else {
        panic!("refused: {back}");
    };
    assert_eq!(returned, state);
    assert_eq!(issuer.as_deref(), Some(person.issuer().as_str()), "the provider names itself (RFC 9207)");
    client.exchange(code.expose(), pkce.verifier.expose(), CUSTOM_SCHEME_REDIRECT, expected).await
}

fn jwt_part(token: &str, index: usize) -> serde_json::Value {
    let part = token.split('.').nth(index).expect("three parts");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("json")
}

fn jwt_with(token: &str, index: usize, value: &serde_json::Value) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    parts[index] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).expect("json"));
    parts.join(".")
}

/// Every journey against one provider; `alg` is the id_tokens' algorithm.
async fn the_login_core_holds(person: Person<'_>, alg: &str, name: Option<&str>) {
    let issuer = person.issuer();

    // A full login as the app does it, and sign-out.
    let sessions = Sessions::new(&issuer, CUSTOM_SCHEME_REDIRECT, &keyring_service(alg));
    let url = sessions.start_login().await.expect("a login starts");
    assert!(query_value(&url, "nonce").is_some_and(|nonce| nonce.len() >= 22), "a fresh nonce: {url}");
    assert_eq!(query_value(&url, "prompt").as_deref(), Some("consent"), "offline_access is listed by both, and asked for with consent");
    assert!(query_value(&url, "scope").is_some_and(|scope| scope.split(' ').any(|word| word == "offline_access")));
    let back = person.sign_in(&url).await;
    let view = sessions.finish_login(&back, None).await.expect("signed in");
    assert!(view.signed_in && view.renewable, "{view:?}");
    if let Some(name) = name {
        assert_eq!(view.name.as_deref(), Some(name));
    }
    assert!(matches!(sessions.finish_login(&back, None).await, Err(Error::InvalidInput(_))), "a replayed redirect finds its state spent");
    assert!(!sessions.logout().await.signed_in);

    // A forged state is refused and spoils nothing: the real login goes on.
    let url = sessions.start_login().await.expect("a login starts");
    let back = person.sign_in(&url).await;
    let forged = replace_query_value(&back, "state", "forged-state");
    assert!(matches!(sessions.finish_login(&forged, None).await, Err(Error::InvalidInput(_))));
    assert!(sessions.finish_login(&back, None).await.expect("the real redirect still works").signed_in);
    sessions.logout().await;

    // A response naming another issuer (RFC 9207) is refused.
    let url = sessions.start_login().await.expect("a login starts");
    let back = person.sign_in(&url).await;
    let mixed_up = replace_query_value(&back, "iss", "https://evil.example");
    assert!(matches!(sessions.finish_login(&mixed_up, None).await, Err(Error::LoginRefused(_))));
    assert!(!sessions.view().signed_in);

    // The id_token: signed with `alg` by a key of the provider's JWKS, and
    // naming whom userinfo names.
    let client = LoginClient::discover(&issuer).await.expect("discovery");
    let nonce = new_nonce().expect("nonce");
    let tokens = login_with(&client, &person, &nonce, &nonce).await.expect("tokens");
    let id_token = tokens.id_token.clone().expect("an id_token").expose().clone();
    assert_eq!(jwt_part(&id_token, 0)["alg"], alg);
    let subject = tokens.subject.clone().expect("the id_token's sub");
    let user = client.userinfo(tokens.access.expose()).await.expect("userinfo");
    assert_eq!(user.sub, subject);
    assert_eq!(client.verify_id_token(&id_token, &nonce).expect("it verifies"), subject);

    // Tampered id_tokens are refused.
    let mut claims = jwt_part(&id_token, 1);
    claims["sub"] = "someone-else".into();
    let other_sub = jwt_with(&id_token, 1, &claims);
    let mut claims = jwt_part(&id_token, 1);
    claims["exp"] = (claims["exp"].as_i64().expect("exp") + 86_400).into();
    let longer = jwt_with(&id_token, 1, &claims);
    let mut claims = jwt_part(&id_token, 1);
    claims["aud"] = "another-client".into();
    let other_audience = jwt_with(&id_token, 1, &claims);
    let unsigned = format!("{}.{}.", URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#), id_token.split('.').nth(1).expect("payload"));
    let (head, signature) = id_token.rsplit_once('.').expect("a signature");
    let mut bytes = URL_SAFE_NO_PAD.decode(signature).expect("base64url");
    bytes[5] ^= 0x01;
    let flipped = format!("{head}.{}", URL_SAFE_NO_PAD.encode(&bytes));
    let mut header = jwt_part(&id_token, 0);
    header["alg"] = if alg == "ES256" { "RS256" } else { "ES256" }.into();
    let other_alg = jwt_with(&id_token, 0, &header);
    for (tampered, what) in [
        (&other_sub, "another sub"),
        (&longer, "a later exp"),
        (&other_audience, "another audience"),
        (&unsigned, "alg none"),
        (&flipped, "a flipped signature bit"),
        (&other_alg, "another algorithm"),
        (&"not.a.jwt".to_owned(), "garbage"),
    ] {
        assert!(matches!(client.verify_id_token(tampered, &nonce), Err(Error::LoginRefused(_))), "{what} must be refused");
    }
    assert!(matches!(client.verify_id_token(&id_token, "another-nonce"), Err(Error::LoginRefused(_))), "the nonce must be ours");

    // A provider answering with another nonce than the app sent is refused.
    let refused = login_with(&client, &person, "the-nonce-sent", "the-nonce-expected").await;
    assert!(matches!(&refused, Err(Error::LoginRefused(why)) if why.contains("nonce")), "{refused:?}");

    // Refresh, then revoke: the revoked grant no longer refreshes.
    let refresh = tokens.refresh.clone().expect("a refresh token, asked for by offline_access");
    let renewed = client.refresh(refresh.expose()).await.expect("refreshed");
    assert_eq!(client.userinfo(renewed.access.expose()).await.expect("userinfo").sub, subject);
    if let Some(renewed_subject) = &renewed.subject {
        assert_eq!(renewed_subject, &subject);
    }
    let current = renewed.refresh.clone().unwrap_or(refresh);
    client.revoke(current.expose()).await.expect("revoked");
    assert!(matches!(client.refresh(current.expose()).await, Err(Error::SessionExpired)), "a revoked grant is over");
}

on_both_backends!(the_login_core_holds_at_our_broker, |app| {
    the_login_core_holds(Person::AtTheBroker(&app), "ES256", None).await;
});

/// panva's oidc-provider, started for one test and stopped with it.
struct CertifiedProvider {
    issuer: String,
    _process: tokio::process::Child,
}

async fn certified_provider(alg: &str) -> CertifiedProvider {
    let module = std::env::var("REGISTRATURA_OIDC_PROVIDER")
        .expect("REGISTRATURA_OIDC_PROVIDER names oidc-provider's folder: scripts/setup installs it and scripts/test sets it");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/support/oidc-provider/provider.mjs");
    let mut process = tokio::process::Command::new("node")
        .arg(script)
        .arg(module)
        .arg(alg)
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node starts");
    let mut lines = tokio::io::BufReader::new(process.stdout.take().expect("stdout")).lines();
    let issuer = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
        .await
        .expect("the provider says its issuer within a minute")
        .expect("read")
        .expect("a line");
    CertifiedProvider { issuer, _process: process }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_core_holds_at_a_certified_provider_with_rs256() {
    let provider = certified_provider("RS256").await;
    the_login_core_holds(Person::AtTheCertifiedProvider { issuer: &provider.issuer }, "RS256", Some("Захарова С. С.")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_core_holds_at_a_certified_provider_with_es256() {
    let provider = certified_provider("ES256").await;
    the_login_core_holds(Person::AtTheCertifiedProvider { issuer: &provider.issuer }, "ES256", Some("Захарова С. С.")).await;
}
