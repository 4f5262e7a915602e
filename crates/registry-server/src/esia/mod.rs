//! The server as ESIA's client (the broker's upstream), and ESIA's sandbox.
//!
//! The desktop app never talks to ESIA: ESIA's protocol needs the portal's
//! GOST key, which cannot ship inside an app. The app speaks plain OAuth 2.0
//! with PKCE to this server (`crate::oauth`), and this server speaks ESIA's
//! protocol upstream, as ESIA documents it:
//! - authorisation at `/aas/oauth2/v2/ac`, tokens at `/aas/oauth2/v3/te`;
//! - `client_secret` = the signature of `client_id + scope + timestamp +
//!   state + redirect_uri`, base64url, made by a [`signer::Signer`];
//! - `timestamp` as `yyyy.MM.dd HH:mm:ss ±zzzz`, `state` a UUID;
//! - the person from `/rs/prns/{oid}`, with `/docs` and `/ctts`.

pub mod jwt;
pub mod sandbox;
pub mod signer;

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, NaiveDate, Utc};
use registratura_contract::identity::{Phone, PolicyNumber, Snils};
pub use registratura_contract::oauth::form_encode;
use serde::Deserialize;

use crate::store::NewPatient;
use crate::Error;
use signer::{Signer, Verifier};

/// The scopes the portal asks ESIA for: the name, birth date, СНИЛС and
/// contacts, and `medical_doc` for the ОМС policy.
pub const SCOPE: &str = "openid fullname birthdate snils mobile email medical_doc";

/// How the server reaches ESIA.
#[derive(Debug, Clone)]
pub struct EsiaConfig {
    /// ESIA's base URL (the sandbox: this server's own public URL).
    pub base_url: String,
    /// The portal's client id registered at ESIA.
    pub client_id: String,
    /// Signs the requests' `client_secret`.
    pub signer: Arc<dyn Signer>,
    /// Checks id_token signatures: the sandbox key, or in production the
    /// operator's GOST verifier command (docs/esia.md).
    pub id_token_key: Arc<dyn Verifier>,
    /// Where ESIA sends the person back: this server's `/esia/callback`.
    pub redirect_uri: String,
    /// The id_token issuer to expect.
    pub issuer: String,
}

impl EsiaConfig {
    /// The sandbox configuration of a server reachable at `public_url`.
    pub fn sandbox(public_url: &str) -> Self {
        let key = sandbox::sandbox_key();
        Self {
            base_url: public_url.to_owned(),
            client_id: sandbox::CLIENT_ID.to_owned(),
            signer: Arc::new(key.clone()),
            id_token_key: Arc::new(key),
            redirect_uri: format!("{public_url}/esia/callback"),
            issuer: format!("{public_url}/"),
        }
    }

    /// The real ESIA at `base_url` (e.g. `https://esia.gosuslugi.ru`) for a
    /// portal registered as `client_id`, signing and checking through the
    /// operator's commands; this server is reachable at `public_url`.
    pub fn production(base_url: &str, client_id: &str, signer: Arc<dyn Signer>, verifier: Arc<dyn Verifier>, public_url: &str) -> Self {
        let base_url = base_url.trim_end_matches('/').to_owned();
        Self {
            issuer: format!("{base_url}/"),
            base_url,
            client_id: client_id.to_owned(),
            signer,
            id_token_key: verifier,
            redirect_uri: format!("{}/esia/callback", public_url.trim_end_matches('/')),
        }
    }

    /// The URL that starts a login at ESIA for the broker's `state`.
    pub fn authorize_url(&self, state: &str, now: DateTime<Utc>) -> Result<String, Error> {
        let timestamp = esia_timestamp(now);
        let secret = self.client_secret(state, &timestamp)?;
        let query = form_encode(&[
            ("client_id", self.client_id.as_str()),
            ("client_secret", &secret),
            ("redirect_uri", &self.redirect_uri),
            ("scope", SCOPE),
            ("response_type", "code"),
            ("state", state),
            ("timestamp", &timestamp),
            ("access_type", "online"),
        ]);
        Ok(format!("{}/aas/oauth2/v2/ac?{query}", self.base_url))
    }

    /// `client_secret` for a request with this `state` and `timestamp`.
    pub fn client_secret(&self, state: &str, timestamp: &str) -> Result<String, Error> {
        let message = signed_string(&self.client_id, SCOPE, timestamp, state, &self.redirect_uri);
        Ok(URL_SAFE_NO_PAD.encode(self.signer.sign(message.as_bytes())?))
    }

    /// Exchanges ESIA's code for tokens, checks the id_token and reads the
    /// person; returns the patient to find or create and their ESIA oid.
    pub async fn person(&self, http: &reqwest::Client, code: &str, now: DateTime<Utc>) -> Result<(String, NewPatient, Vec<Phone>), Error> {
        let (tokens, oid) = self.verified_tokens(http, code, now).await?;
        let get = |path: String| {
            let request = http.get(format!("{}/rs/prns/{oid}{path}", self.base_url)).bearer_auth(&tokens.access_token);
            async move {
                let response = request.send().await.map_err(|error| Error::Upstream(format!("ESIA person: {error}")))?;
                if !response.status().is_success() {
                    return Err(Error::Upstream(format!("ESIA person answered {}", response.status())));
                }
                response.json::<serde_json::Value>().await.map_err(|error| Error::Upstream(format!("ESIA person: {error}")))
            }
        };
        let person = get(String::new()).await?;
        let documents = get("/docs?embed=(elements)".to_owned()).await?;
        let contacts = get("/ctts?embed=(elements)".to_owned()).await?;
        let patient = patient_from_esia(&person, &documents)?;
        let phones = phones_from_esia(&contacts);
        Ok((oid, patient, phones))
    }

    /// Exchanges ESIA's code and checks the id_token; returns only who
    /// signed in (their oid), which is all a staff sign-in needs.
    pub async fn oid(&self, http: &reqwest::Client, code: &str, now: DateTime<Utc>) -> Result<String, Error> {
        Ok(self.verified_tokens(http, code, now).await?.1)
    }

    async fn verified_tokens(&self, http: &reqwest::Client, code: &str, now: DateTime<Utc>) -> Result<(EsiaTokens, String), Error> {
        let state = uuid_v4()?;
        let timestamp = esia_timestamp(now);
        let secret = self.client_secret(&state, &timestamp)?;
        let response = http
            .post(format!("{}/aas/oauth2/v3/te", self.base_url))
            .form(&[
                ("client_id", self.client_id.as_str()),
                ("code", code),
                ("grant_type", "authorization_code"),
                ("client_secret", &secret),
                ("state", &state),
                ("redirect_uri", &self.redirect_uri),
                ("scope", SCOPE),
                ("timestamp", &timestamp),
                ("token_type", "Bearer"),
            ])
            .send()
            .await
            .map_err(|error| Error::Upstream(format!("ESIA token endpoint: {error}")))?;
        if !response.status().is_success() {
            return Err(Error::Upstream(format!("ESIA token endpoint answered {}", response.status())));
        }
        let tokens: EsiaTokens = response.json().await.map_err(|error| Error::Upstream(format!("ESIA tokens: {error}")))?;
        let claims = jwt::verify(&tokens.id_token, self.id_token_key.as_ref(), &self.issuer, &self.client_id, now.timestamp())
            .map_err(|why| Error::Upstream(format!("ESIA id_token refused: {why}")))?;
        Ok((tokens, claims.oid))
    }
}

#[derive(Debug, Deserialize)]
struct EsiaTokens {
    access_token: String,
    id_token: String,
}

/// The string whose signature is `client_secret`: the parameters
/// concatenated in ESIA's order, with nothing between them.
pub fn signed_string(client_id: &str, scope: &str, timestamp: &str, state: &str, redirect_uri: &str) -> String {
    format!("{client_id}{scope}{timestamp}{state}{redirect_uri}")
}

/// ESIA's timestamp: `yyyy.MM.dd HH:mm:ss ±zzzz`, in Moscow time.
pub fn esia_timestamp(now: DateTime<Utc>) -> String {
    now.with_timezone(&chrono_tz::Europe::Moscow).format("%Y.%m.%d %H:%M:%S %z").to_string()
}

/// A random UUID (version 4), as ESIA wants its `state`.
pub fn uuid_v4() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|error| Error::Internal(format!("random: {error}")))?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32]))
}

fn patient_from_esia(person: &serde_json::Value, documents: &serde_json::Value) -> Result<NewPatient, Error> {
    let text = |field: &str| person[field].as_str().unwrap_or_default().trim().to_owned();
    let birth_date = NaiveDate::parse_from_str(&text("birthDate"), "%d.%m.%Y")
        .map_err(|_| Error::Upstream("ESIA person has no valid birth date".to_owned()))?;
    let snils = Snils::parse(&text("snils")).map_err(|_| Error::Upstream("ESIA person has no valid СНИЛС".to_owned()))?;
    let policy = documents["elements"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|document| document["type"] == "MDCL_PLCY")
        .and_then(|document| document["number"].as_str())
        .ok_or(Error::NoPolicy)
        .and_then(|number| PolicyNumber::parse(number).map_err(|_| Error::NoPolicy))?;
    Ok(NewPatient {
        last_name: text("lastName"),
        first_name: text("firstName"),
        middle_name: text("middleName"),
        birth_date,
        policy,
        snils,
        confirmed: person["trusted"].as_bool().unwrap_or(false),
    })
}

fn phones_from_esia(contacts: &serde_json::Value) -> Vec<Phone> {
    contacts["elements"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|contact| contact["type"] == "MBT")
        .filter_map(|contact| contact["value"].as_str())
        .filter_map(|value| Phone::parse(value).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_timestamp_is_in_esias_format() {
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 6, 15, 7).single().expect("instant");
        assert_eq!(esia_timestamp(now), "2026.11.26 09:15:07 +0300");
    }

    #[test]
    fn the_signed_string_concatenates_in_esias_order() {
        assert_eq!(
            signed_string("REGISTRATURA40", "openid fullname", "2026.11.26 09:15:07 +0300", "0b9c2f4e-1d2a-4c3b-9e8f-7a6b5c4d3e2f", "https://portal/esia/callback"),
            "REGISTRATURA40openid fullname2026.11.26 09:15:07 +03000b9c2f4e-1d2a-4c3b-9e8f-7a6b5c4d3e2fhttps://portal/esia/callback"
        );
    }

    #[test]
    fn the_authorize_url_carries_every_parameter_and_a_valid_secret() {
        let config = EsiaConfig::sandbox("http://127.0.0.1:8040");
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 6, 15, 7).single().expect("instant");
        let url = config.authorize_url("0b9c2f4e-1d2a-4c3b-9e8f-7a6b5c4d3e2f", now).expect("url");
        assert!(url.starts_with("http://127.0.0.1:8040/aas/oauth2/v2/ac?client_id=REGISTRATURA40&client_secret="));
        for part in ["response_type=code", "access_type=online", "timestamp=2026.11.26%2009%3A15%3A07%20%2B0300", "scope=openid%20fullname", "redirect_uri=http%3A%2F%2F127.0.0.1%3A8040%2Fesia%2Fcallback"] {
            assert!(url.contains(part), "{part} in {url}");
        }
        let secret = config.client_secret("0b9c2f4e-1d2a-4c3b-9e8f-7a6b5c4d3e2f", "2026.11.26 09:15:07 +0300").expect("secret");
        let signature = URL_SAFE_NO_PAD.decode(secret).expect("base64url");
        let message = signed_string(sandbox::CLIENT_ID, SCOPE, "2026.11.26 09:15:07 +0300", "0b9c2f4e-1d2a-4c3b-9e8f-7a6b5c4d3e2f", "http://127.0.0.1:8040/esia/callback");
        assert!(sandbox::sandbox_key().verify(message.as_bytes(), &signature));
    }

    #[test]
    fn a_uuid_is_version_4() {
        let id = uuid_v4().expect("random");
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
    }
}
