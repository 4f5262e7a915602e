//! The OpenID Connect client of the app: discovery, the authorisation URL,
//! and the token, refresh, revocation and userinfo calls, with every
//! id_token checked. Discovery, the token calls and the id_token's checks
//! (its signature by the provider's JWKS, `iss`, `aud`, `exp`, `iat` and
//! the nonce) are the `openidconnect` crate's; the app adds only what the
//! crate leaves to it: RFC 9207's `iss`, revocation, and its own userinfo
//! claims. So it works with any conformant provider, not only the broker.

use std::borrow::Cow;
use std::time::Duration;

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreClaimName, CoreClaimType, CoreClient, CoreClientAuthMethod,
    CoreErrorResponseType, CoreGrantType, CoreIdToken, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm,
    CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{
    AdditionalProviderMetadata, AuthorizationCode, ClientId, CsrfToken, EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, Nonce,
    OAuth2TokenResponse as _, PkceCodeChallenge, PkceCodeVerifier, ProviderMetadata, RedirectUrl, RefreshToken, RequestTokenError, Scope,
    TokenResponse as _,
};
use serde::{Deserialize, Serialize};

use crate::oauth::Pkce;
use crate::sensitive::Sensitive;
use crate::Error;

/// The desktop app's client id at the broker.
pub const CLIENT_ID: &str = "registratura-desktop";

/// How far the provider's clock and ours may disagree.
const CLOCK_LEEWAY: chrono::TimeDelta = chrono::TimeDelta::minutes(5);
/// The oldest an id_token may be when it arrives: it answers a code the
/// app has just traded, so an older one is a replay.
const ID_TOKEN_MAX_AGE: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

/// What a provider's discovery document says beyond OpenID's own fields.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct MoreMetadata {
    #[serde(default)]
    code_challenge_methods_supported: Vec<String>,
    #[serde(default)]
    revocation_endpoint: Option<String>,
    /// RFC 9207: the provider names itself in every authorisation response.
    #[serde(default)]
    authorization_response_iss_parameter_supported: bool,
}
impl AdditionalProviderMetadata for MoreMetadata {}

type Metadata = ProviderMetadata<
    MoreMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// The crate's client with an authorisation and a token endpoint.
type OpenIdClient = CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet, EndpointMaybeSet>;

/// What the app needs to know of a provider, from its discovery document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    pub issuer: String,
    pub revocation_endpoint: Option<String>,
    pub userinfo_endpoint: Option<String>,
    pub scopes_supported: Vec<String>,
    /// RFC 9207: the provider names itself in every authorisation response.
    pub authorization_response_iss_parameter_supported: bool,
}

impl Provider {
    fn from_metadata(metadata: &Metadata) -> Self {
        let more = metadata.additional_metadata();
        Self {
            issuer: metadata.issuer().as_str().to_owned(),
            revocation_endpoint: more.revocation_endpoint.clone(),
            userinfo_endpoint: metadata.userinfo_endpoint().map(|url| url.as_str().to_owned()),
            scopes_supported: metadata.scopes_supported().map(|scopes| scopes.iter().map(|scope| scope.as_str().to_owned()).collect()).unwrap_or_default(),
            authorization_response_iss_parameter_supported: more.authorization_response_iss_parameter_supported,
        }
    }

    /// Whether the provider grants refresh tokens by `offline_access`: the
    /// app then asks for one, with the consent prompt OpenID requires for it.
    pub fn offers_offline_access(&self) -> bool {
        self.scopes_supported.iter().any(|scope| scope == "offline_access")
    }

    /// Whether an authorisation response's `iss` (RFC 9207) may come from
    /// this provider: it must be the provider's own issuer when sent, and
    /// must be sent when the provider announces it. A response from another
    /// issuer is a mix-up attack, or a mistake; either way it is refused.
    pub fn accepts_response_issuer(&self, iss: Option<&str>) -> bool {
        match iss {
            Some(iss) => iss == self.issuer,
            None => !self.authorization_response_iss_parameter_supported,
        }
    }
}

/// Tokens of a signed-in session. Never serialised, never logged.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access: Sensitive<String>,
    /// None when the provider issued none: the session then ends with the
    /// access token (a refresh may also leave the old one in force).
    pub refresh: Option<Sensitive<String>>,
    /// Seconds the access token is good for, as the provider said.
    pub expires_in: u64,
    /// The id_token as it came, already checked.
    pub id_token: Option<Sensitive<String>>,
    /// Whom the checked id_token names (its `sub`).
    pub subject: Option<String>,
}

/// Who signed in, as the userinfo endpoint says.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct UserInfo {
    /// Must be the id_token's `sub` (OpenID Connect Core §5.3.4).
    pub sub: String,
    #[serde(default)]
    pub family_name: String,
    #[serde(default)]
    pub given_name: String,
    #[serde(default)]
    pub middle_name: String,
    /// Whether the ESIA account is confirmed; an unconfirmed one may not book.
    #[serde(default)]
    pub esia_confirmed: bool,
}

impl UserInfo {
    /// «Фамилия И. О.», as the portal's header shows a signed-in patient.
    pub fn short_name(&self) -> String {
        let initial = |name: &str| name.chars().next().map(|c| format!(" {c}.")).unwrap_or_default();
        format!("{}{}{}", self.family_name, initial(&self.given_name), initial(&self.middle_name))
    }
}

/// An OpenID client of one provider.
#[derive(Debug, Clone)]
pub struct LoginClient {
    http: reqwest::Client,
    provider: Provider,
    openid: OpenIdClient,
}

impl LoginClient {
    /// Reads the provider's discovery document at
    /// `{issuer}/.well-known/openid-configuration` and its JWKS, and checks
    /// that the document names `issuer` itself and supports PKCE with S256.
    pub async fn discover(issuer: &str) -> Result<Self, Error> {
        // No redirects: the provider's endpoints are where it says they are.
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| Error::Internal(error.to_string()))?;
        let issuer = IssuerUrl::new(issuer.trim_end_matches('/').to_owned()).map_err(|error| Error::Internal(format!("issuer: {error}")))?;
        let metadata = Metadata::discover_async(issuer, &http).await.map_err(|error| match error {
            openidconnect::DiscoveryError::Request(_) => Error::Offline,
            other => Error::Internal(format!("discovery: {other}")),
        })?;
        Self::from_metadata(http, metadata)
    }

    fn from_metadata(http: reqwest::Client, metadata: Metadata) -> Result<Self, Error> {
        if !metadata.additional_metadata().code_challenge_methods_supported.iter().any(|method| method == "S256") {
            return Err(Error::Internal("the provider does not support PKCE S256".to_owned()));
        }
        let token_endpoint = metadata.token_endpoint().cloned().ok_or_else(|| Error::Internal("the provider has no token endpoint".to_owned()))?;
        let provider = Provider::from_metadata(&metadata);
        let openid = CoreClient::from_provider_metadata(metadata, ClientId::new(CLIENT_ID.to_owned()), None).set_token_uri(token_endpoint);
        Ok(Self { http, provider, openid })
    }

    pub fn provider(&self) -> &Provider {
        &self.provider
    }

    /// The URL to open in the system browser.
    pub fn authorization_url(&self, redirect_uri: &str, state: &str, pkce: &Pkce, nonce: &str) -> Result<String, Error> {
        let (state, nonce) = (state.to_owned(), nonce.to_owned());
        let mut request = self
            .openid
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, move || CsrfToken::new(state), move || Nonce::new(nonce))
            .set_redirect_uri(Cow::Owned(redirect_url(redirect_uri)?))
            .set_pkce_challenge(PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(pkce.verifier.expose().clone())))
            .add_scope(Scope::new("profile".to_owned()));
        // OpenID Connect Core §11: a provider grants offline_access only
        // after asking the person, so the request must ask for consent.
        if self.provider.offers_offline_access() {
            request = request.add_scope(Scope::new("offline_access".to_owned())).add_prompt(CoreAuthPrompt::Consent);
        }
        Ok(request.url().0.to_string())
    }

    /// Exchanges a code for tokens; the id_token must come, and must carry
    /// `nonce`, the one the login was started with.
    pub async fn exchange(&self, code: &str, verifier: &str, redirect_uri: &str, nonce: &str) -> Result<Tokens, Error> {
        let redirect = redirect_url(redirect_uri)?;
        let answer = self
            .openid
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_owned()))
            .set_redirect_uri(Cow::Owned(redirect))
            .request_async(&self.http)
            .await
            .map_err(token_error)?;
        let id_token = answer.id_token().ok_or_else(|| Error::LoginRefused("the token answer has no id_token".to_owned()))?;
        let subject = self.check_id_token(id_token, &Nonce::new(nonce.to_owned()))?;
        Ok(tokens(&answer, Some(subject)))
    }

    /// Checks an id_token as [`LoginClient::exchange`] does, and returns
    /// its `sub`: its signature by one of the provider's keys, with an
    /// algorithm the provider announced; `iss`, `aud`, `exp`, `iat`; and
    /// that it carries `nonce`.
    pub fn verify_id_token(&self, id_token: &str, nonce: &str) -> Result<String, Error> {
        let parsed: CoreIdToken = id_token.parse().map_err(|_| Error::LoginRefused("the id_token is not a JWT".to_owned()))?;
        self.check_id_token(&parsed, &Nonce::new(nonce.to_owned()))
    }

    fn check_id_token<N: openidconnect::NonceVerifier>(&self, id_token: &CoreIdToken, nonce: N) -> Result<String, Error> {
        let verifier = self
            .openid
            .id_token_verifier()
            // The crate checks `exp` against this clock: a patient's PC may be a few minutes fast.
            .set_time_fn(|| chrono::Utc::now() - CLOCK_LEEWAY)
            .set_issue_time_verifier_fn(|issued| {
                let now = chrono::Utc::now();
                if issued > now + CLOCK_LEEWAY {
                    Err("issued in the future".to_owned())
                } else if issued < now - ID_TOKEN_MAX_AGE - CLOCK_LEEWAY {
                    Err("issued too long ago".to_owned())
                } else {
                    Ok(())
                }
            });
        let claims = id_token.claims(&verifier, nonce).map_err(|error| Error::LoginRefused(format!("id_token: {error}")))?;
        Ok(claims.subject().as_str().to_owned())
    }

    /// Trades a refresh token for a new pair (the old one is spent). An
    /// id_token in the answer is checked like the first, but for the nonce,
    /// which OpenID Connect Core §12.2 leaves out of a refresh.
    pub async fn refresh(&self, refresh_token: &str) -> Result<Tokens, Error> {
        let refresh = RefreshToken::new(refresh_token.to_owned());
        let answer = self.openid.exchange_refresh_token(&refresh).request_async(&self.http).await.map_err(token_error)?;
        let subject = match answer.id_token() {
            Some(id_token) => Some(self.check_id_token(id_token, |_: Option<&Nonce>| Ok::<(), String>(()))?),
            None => None,
        };
        Ok(tokens(&answer, subject))
    }

    /// Revokes a token (and, at our broker, its whole session).
    pub async fn revoke(&self, token: &str) -> Result<(), Error> {
        let Some(endpoint) = &self.provider.revocation_endpoint else {
            return Ok(());
        };
        let response = self.http.post(endpoint).form(&[("token", token), ("client_id", CLIENT_ID)]).send().await.map_err(|_| Error::Offline)?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(Error::Internal(format!("revocation answered {}", response.status())))
        }
    }

    /// Who the access token belongs to.
    pub async fn userinfo(&self, access_token: &str) -> Result<UserInfo, Error> {
        let endpoint = self.provider.userinfo_endpoint.as_ref().ok_or_else(|| Error::Internal("no userinfo endpoint".to_owned()))?;
        let response = self.http.get(endpoint).bearer_auth(access_token).send().await.map_err(|_| Error::Offline)?;
        if response.status() == reqwest::StatusCode::UNAUTHORIZED {
            return Err(Error::SessionExpired);
        }
        if !response.status().is_success() {
            return Err(Error::Internal(format!("userinfo answered {}", response.status())));
        }
        response.json().await.map_err(|error| Error::Internal(format!("userinfo: {error}")))
    }
}

fn redirect_url(redirect_uri: &str) -> Result<RedirectUrl, Error> {
    RedirectUrl::new(redirect_uri.to_owned()).map_err(|error| Error::Internal(format!("redirect_uri: {error}")))
}

fn tokens(answer: &openidconnect::core::CoreTokenResponse, subject: Option<String>) -> Tokens {
    Tokens {
        access: Sensitive::new(answer.access_token().secret().clone()),
        refresh: answer.refresh_token().map(|token| Sensitive::new(token.secret().clone())),
        expires_in: answer.expires_in().map(|lasts| lasts.as_secs()).unwrap_or_default(),
        id_token: answer.id_token().map(|id_token| Sensitive::new(id_token.to_string())),
        subject,
    }
}

/// A refused grant (spent, expired or revoked) means the person must sign
/// in again; anything else is the provider's or the network's trouble.
fn token_error<E: std::error::Error>(error: RequestTokenError<E, openidconnect::StandardErrorResponse<CoreErrorResponseType>>) -> Error {
    match error {
        RequestTokenError::ServerResponse(answer) if *answer.error() == CoreErrorResponseType::InvalidGrant => Error::SessionExpired,
        RequestTokenError::ServerResponse(answer) => Error::Internal(format!("token endpoint: {}", answer.error())),
        RequestTokenError::Request(_) => Error::Offline,
        // The body is not quoted: it may hold tokens.
        RequestTokenError::Parse(error, _) => Error::Internal(format!("token answer: {}", error.path())),
        RequestTokenError::Other(other) => Error::Internal(format!("token endpoint: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(scopes: &[&str]) -> LoginClient {
        let metadata: Metadata = serde_json::from_value(serde_json::json!({
            "issuer": "http://127.0.0.1:1",
            "authorization_endpoint": "http://127.0.0.1:1/oauth/authorize",
            "token_endpoint": "http://127.0.0.1:1/oauth/token",
            "jwks_uri": "http://127.0.0.1:1/oauth/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["ES256"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": scopes,
        }))
        .expect("metadata");
        LoginClient::from_metadata(reqwest::Client::new(), metadata).expect("a client")
    }

    fn query(url: &str) -> Vec<(String, String)> {
        let query = url.split_once('?').expect("a query").1;
        query
            .split('&')
            .map(|pair| {
                let (key, value) = pair.split_once('=').expect("key=value");
                (key.to_owned(), crate::oauth::percent_decode(value).expect("escaped"))
            })
            .collect()
    }

    #[test]
    fn the_short_name_has_initials() {
        let info = UserInfo { sub: "1".into(), family_name: "Захарова".into(), given_name: "Софья".into(), middle_name: "Сергеевна".into(), esia_confirmed: true };
        assert_eq!(info.short_name(), "Захарова С. С.");
        let no_middle = UserInfo { middle_name: String::new(), ..info };
        assert_eq!(no_middle.short_name(), "Захарова С.");
    }

    #[test]
    fn the_authorization_url_carries_pkce_state_and_nonce() {
        let pkce = Pkce::generate().expect("pkce");
        let url = client(&["openid", "profile"]).authorization_url(crate::oauth::CUSTOM_SCHEME_REDIRECT, "st", &pkce, "nn").expect("url");
        assert!(url.starts_with("http://127.0.0.1:1/oauth/authorize?"), "{url}");
        let parameters = query(&url);
        let get = |name: &str| parameters.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str());
        assert_eq!(get("response_type"), Some("code"));
        assert_eq!(get("client_id"), Some(CLIENT_ID));
        assert_eq!(get("redirect_uri"), Some(crate::oauth::CUSTOM_SCHEME_REDIRECT));
        assert_eq!(get("state"), Some("st"));
        assert_eq!(get("nonce"), Some("nn"));
        assert_eq!(get("code_challenge"), Some(pkce.challenge.as_str()));
        assert_eq!(get("code_challenge_method"), Some("S256"));
        assert_eq!(get("scope"), Some("openid profile"));
        assert_eq!(get("prompt"), None);
        assert!(!url.contains(pkce.verifier.expose().as_str()), "the verifier never leaves the app");

        // A provider that offers refresh tokens by offline_access is asked
        // for one, with the consent prompt OpenID requires for it.
        let url = client(&["openid", "offline_access"]).authorization_url(crate::oauth::CUSTOM_SCHEME_REDIRECT, "st", &pkce, "nn").expect("url");
        let parameters = query(&url);
        let get = |name: &str| parameters.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str());
        assert_eq!((get("scope"), get("prompt")), (Some("openid profile offline_access"), Some("consent")));
    }

    #[test]
    fn an_authorisation_response_from_another_issuer_is_refused() {
        let mut provider = client(&[]).provider().clone();
        assert!(provider.accepts_response_issuer(None));
        assert!(provider.accepts_response_issuer(Some("http://127.0.0.1:1")));
        assert!(!provider.accepts_response_issuer(Some("https://evil.example")));
        provider.authorization_response_iss_parameter_supported = true;
        assert!(!provider.accepts_response_issuer(None), "announced, so it must come");
        assert!(provider.accepts_response_issuer(Some("http://127.0.0.1:1")));
    }

    #[test]
    fn a_token_answer_without_a_refresh_token_is_a_session_that_ends_with_its_access_token() {
        let answer: openidconnect::core::CoreTokenResponse =
            serde_json::from_str(r#"{"access_token": "a", "token_type": "Bearer", "expires_in": 300}"#).expect("parses");
        let tokens = tokens(&answer, None);
        assert_eq!((tokens.access.expose().as_str(), tokens.refresh.is_none(), tokens.expires_in), ("a", true, 300));
    }

    #[test]
    fn a_provider_without_pkce_is_refused() {
        let metadata: Metadata = serde_json::from_value(serde_json::json!({
            "issuer": "http://127.0.0.1:1",
            "authorization_endpoint": "http://127.0.0.1:1/a",
            "token_endpoint": "http://127.0.0.1:1/t",
            "jwks_uri": "http://127.0.0.1:1/k",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }))
        .expect("metadata");
        assert!(LoginClient::from_metadata(reqwest::Client::new(), metadata).is_err());
    }
}
