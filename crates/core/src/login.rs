//! The OAuth 2.0 client of the app: OpenID discovery, the authorisation
//! URL, and the token, refresh, revocation and userinfo calls. It speaks
//! only the standards (RFC 6749, 7636, 7009, OpenID Connect Discovery), so
//! it works with any conformant provider, not only the registry's broker.

use std::time::Duration;

use serde::Deserialize;

use crate::oauth::{form_encode, Pkce};
use crate::sensitive::Sensitive;
use crate::Error;

/// The desktop app's client id at the broker.
pub const CLIENT_ID: &str = "registratura-desktop";

/// A provider's endpoints, from its discovery document.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Provider {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    #[serde(default)]
    pub revocation_endpoint: Option<String>,
    #[serde(default)]
    pub userinfo_endpoint: Option<String>,
    #[serde(default)]
    pub code_challenge_methods_supported: Vec<String>,
    #[serde(default)]
    pub scopes_supported: Vec<String>,
    /// RFC 9207: the provider names itself in every authorisation response.
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
}

impl Provider {
    /// The scopes to ask for: OpenID's and the profile, and a refresh token
    /// (`offline_access`) where the provider offers one by that scope.
    pub fn scope(&self) -> &'static str {
        if self.offers_offline_access() {
            "openid profile offline_access"
        } else {
            "openid profile"
        }
    }

    fn offers_offline_access(&self) -> bool {
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
}

/// Who signed in, as the userinfo endpoint says.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct UserInfo {
    pub family_name: String,
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

#[derive(Debug, Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    expires_in: u64,
}

#[derive(Debug, Deserialize)]
struct TokenError {
    error: String,
}

/// An OAuth client of one provider.
#[derive(Debug, Clone)]
pub struct LoginClient {
    http: reqwest::Client,
    provider: Provider,
}

impl LoginClient {
    /// Reads the provider's discovery document at
    /// `{issuer}/.well-known/openid-configuration` and checks that it
    /// supports PKCE with S256.
    pub async fn discover(issuer: &str) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .map_err(|error| Error::Internal(error.to_string()))?;
        let url = format!("{}/.well-known/openid-configuration", issuer.trim_end_matches('/'));
        let response = http.get(&url).send().await.map_err(|_| Error::Offline)?;
        if !response.status().is_success() {
            return Err(Error::Internal(format!("discovery answered {}", response.status())));
        }
        let provider: Provider = response.json().await.map_err(|error| Error::Internal(format!("discovery: {error}")))?;
        if !provider.code_challenge_methods_supported.iter().any(|method| method == "S256") {
            return Err(Error::Internal("the provider does not support PKCE S256".to_owned()));
        }
        Ok(Self { http, provider })
    }

    pub fn provider(&self) -> &Provider {
        &self.provider
    }

    /// The URL to open in the system browser.
    pub fn authorization_url(&self, redirect_uri: &str, state: &str, pkce: &Pkce) -> String {
        let mut parameters = vec![
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", redirect_uri),
            ("state", state),
            ("code_challenge", pkce.challenge.as_str()),
            ("code_challenge_method", "S256"),
            ("scope", self.provider.scope()),
        ];
        // OpenID Connect Core §11: a provider grants offline_access only
        // after asking the person, so the request must ask for consent.
        if self.provider.offers_offline_access() {
            parameters.push(("prompt", "consent"));
        }
        let query = form_encode(&parameters);
        let separator = if self.provider.authorization_endpoint.contains('?') { '&' } else { '?' };
        format!("{}{separator}{query}", self.provider.authorization_endpoint)
    }

    /// Exchanges a code for tokens.
    pub async fn exchange(&self, code: &str, verifier: &str, redirect_uri: &str) -> Result<Tokens, Error> {
        self.token_request(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("client_id", CLIENT_ID),
            ("code_verifier", verifier),
        ])
        .await
    }

    /// Trades a refresh token for a new pair (the old one is spent).
    pub async fn refresh(&self, refresh_token: &str) -> Result<Tokens, Error> {
        self.token_request(&[("grant_type", "refresh_token"), ("refresh_token", refresh_token), ("client_id", CLIENT_ID)]).await
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

    async fn token_request(&self, form: &[(&str, &str)]) -> Result<Tokens, Error> {
        let response = self.http.post(&self.provider.token_endpoint).form(form).send().await.map_err(|_| Error::Offline)?;
        if response.status().is_success() {
            let answer: TokenAnswer = response.json().await.map_err(|error| Error::Internal(format!("token: {error}")))?;
            return Ok(Tokens {
                access: Sensitive::new(answer.access_token),
                refresh: answer.refresh_token.map(Sensitive::new),
                expires_in: answer.expires_in,
            });
        }
        let status = response.status();
        match response.json::<TokenError>().await {
            // The grant is spent, expired or revoked: the person must sign in again.
            Ok(error) if error.error == "invalid_grant" => Err(Error::SessionExpired),
            Ok(error) => Err(Error::Internal(format!("token endpoint: {}", error.error))),
            Err(_) => Err(Error::Internal(format!("token endpoint answered {status}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_short_name_has_initials() {
        let info = UserInfo { family_name: "Захарова".into(), given_name: "Софья".into(), middle_name: "Сергеевна".into(), esia_confirmed: true };
        assert_eq!(info.short_name(), "Захарова С. С.");
        let no_middle = UserInfo { middle_name: String::new(), ..info };
        assert_eq!(no_middle.short_name(), "Захарова С.");
    }

    #[test]
    fn the_authorization_url_carries_pkce_and_state() {
        let client = LoginClient {
            http: reqwest::Client::new(),
            provider: Provider {
                issuer: "http://127.0.0.1:1".into(),
                authorization_endpoint: "http://127.0.0.1:1/oauth/authorize".into(),
                token_endpoint: "http://127.0.0.1:1/oauth/token".into(),
                revocation_endpoint: None,
                userinfo_endpoint: None,
                code_challenge_methods_supported: vec!["S256".into()],
                scopes_supported: vec!["openid".into(), "profile".into()],
                authorization_response_iss_parameter_supported: false,
            },
        };
        let pkce = Pkce::generate().expect("pkce");
        let url = client.authorization_url(crate::oauth::CUSTOM_SCHEME_REDIRECT, "st", &pkce);
        assert!(url.starts_with("http://127.0.0.1:1/oauth/authorize?response_type=code&client_id=registratura-desktop&redirect_uri=ru.registratura.app%3A%2Fauth%2Fcallback&state=st&code_challenge="));
        assert!(url.contains("&code_challenge_method=S256"));
        assert!(url.ends_with("&scope=openid%20profile") || url.ends_with("&scope=openid+profile"), "{url}");
        assert!(!url.contains(pkce.verifier.expose().as_str()), "the verifier never leaves the app");

        // A provider that offers refresh tokens by offline_access is asked
        // for one, with the consent prompt OpenID requires for it.
        let mut offline = client.clone();
        offline.provider.scopes_supported.push("offline_access".into());
        let url = offline.authorization_url(crate::oauth::CUSTOM_SCHEME_REDIRECT, "st", &pkce);
        assert!(url.contains("offline_access") && url.ends_with("&prompt=consent"), "{url}");
    }

    #[test]
    fn an_authorisation_response_from_another_issuer_is_refused() {
        let mut provider = Provider {
            issuer: "https://id.example".into(),
            authorization_endpoint: String::new(),
            token_endpoint: String::new(),
            revocation_endpoint: None,
            userinfo_endpoint: None,
            code_challenge_methods_supported: vec![],
            scopes_supported: vec![],
            authorization_response_iss_parameter_supported: false,
        };
        assert!(provider.accepts_response_issuer(None));
        assert!(provider.accepts_response_issuer(Some("https://id.example")));
        assert!(!provider.accepts_response_issuer(Some("https://evil.example")));
        provider.authorization_response_iss_parameter_supported = true;
        assert!(!provider.accepts_response_issuer(None), "announced, so it must come");
        assert!(provider.accepts_response_issuer(Some("https://id.example")));
    }

    #[test]
    fn a_token_answer_without_a_refresh_token_is_a_session_that_ends_with_its_access_token() {
        let answer: TokenAnswer = serde_json::from_str(r#"{"access_token": "a", "token_type": "Bearer", "expires_in": 300}"#).expect("parses");
        assert_eq!((answer.access_token.as_str(), answer.refresh_token, answer.expires_in), ("a", None, 300));
    }
}
