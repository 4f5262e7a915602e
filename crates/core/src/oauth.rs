//! The pieces of an OAuth 2.0 public client (RFC 6749, RFC 7636, RFC 8252)
//! that need no network: PKCE, the store of logins in progress, and the
//! strict parser of the redirect that brings a login back.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::sensitive::Sensitive;
use crate::Error;

pub use registratura_contract::oauth::{
    form_encode, loopback_redirect, percent_decode, percent_encode, s256_challenge, CALLBACK_PATH,
    CUSTOM_SCHEME_REDIRECT, REDIRECT_SCHEME,
};

/// How long a login may stay in the browser before its state expires.
pub const LOGIN_PATIENCE: Duration = Duration::from_secs(10 * 60);

/// A PKCE pair: the secret verifier the app keeps and the S256 challenge it
/// sends with the authorisation request.
#[derive(Debug, Clone)]
pub struct Pkce {
    pub verifier: Sensitive<String>,
    pub challenge: String,
}

impl Pkce {
    /// A fresh pair from 32 random bytes (a 43-character verifier).
    pub fn generate() -> Result<Self, Error> {
        let verifier = URL_SAFE_NO_PAD.encode(random_bytes::<32>()?);
        let challenge = s256_challenge(&verifier);
        Ok(Self { verifier: Sensitive::new(verifier), challenge })
    }
}

/// A random, URL-safe `state` value (128 bits).
pub fn new_state() -> Result<String, Error> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes::<16>()?))
}

/// A random OpenID `nonce` (128 bits), which the id_token must carry back.
pub fn new_nonce() -> Result<String, Error> {
    new_state()
}

fn random_bytes<const N: usize>() -> Result<[u8; N], Error> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|error| Error::Internal(format!("random: {error}")))?;
    Ok(bytes)
}

/// A login waiting for its redirect.
#[derive(Debug, Clone)]
pub struct PendingLogin {
    pub verifier: Sensitive<String>,
    /// The OpenID nonce, for a login that asks for an id_token.
    pub nonce: Option<String>,
    pub redirect_uri: String,
    started: Instant,
}

/// Logins in progress, by `state`. A state is taken once: a replayed or
/// forged redirect finds nothing.
#[derive(Debug, Default)]
pub struct PendingLogins {
    by_state: HashMap<String, PendingLogin>,
}

impl PendingLogins {
    /// Records a login that has just been sent to the browser.
    pub fn insert(&mut self, state: String, verifier: Sensitive<String>, nonce: Option<String>, redirect_uri: String, now: Instant) {
        self.forget_expired(now);
        self.by_state.insert(state, PendingLogin { verifier, nonce, redirect_uri, started: now });
    }

    /// Takes the login that `state` names, if it is known and not older
    /// than [`LOGIN_PATIENCE`]. It is removed either way.
    pub fn take(&mut self, state: &str, now: Instant) -> Option<PendingLogin> {
        let login = self.by_state.remove(state)?;
        (now.duration_since(login.started) <= LOGIN_PATIENCE).then_some(login)
    }

    /// Forgets every login (the person pressed «Отмена»).
    pub fn clear(&mut self) {
        self.by_state.clear();
    }

    /// How many logins are waiting.
    pub fn len(&self) -> usize {
        self.by_state.len()
    }

    /// Whether no login is waiting.
    pub fn is_empty(&self) -> bool {
        self.by_state.is_empty()
    }

    fn forget_expired(&mut self, now: Instant) {
        self.by_state.retain(|_, login| now.duration_since(login.started) <= LOGIN_PATIENCE);
    }
}

/// What a redirect back to the app says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    /// The provider granted a code; `issuer` is its RFC 9207 `iss`, if sent.
    Code { code: Sensitive<String>, state: String, issuer: Option<String> },
    /// The provider (or the person) refused; `error` is the RFC 6749 code.
    Refused { error: String, state: Option<String> },
}

/// Why a URL is not a callback the app will act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    #[error("not the app's callback scheme or path")]
    NotOurs,
    #[error("a parameter is missing, repeated or malformed")]
    Malformed,
}

/// The longest callback URL worth reading; real ones are a few hundred bytes.
const MAX_CALLBACK_LEN: usize = 4096;

/// Parses a redirect strictly: only `ru.registratura.app:/auth/callback`
/// or `http://127.0.0.1:PORT/auth/callback` (with `expected_loopback_port`),
/// no fragment, each of `code`, `state`, `error` at most once, and either a
/// code with a state or an error.
pub fn parse_callback(url: &str, expected_loopback_port: Option<u16>) -> Result<Callback, CallbackError> {
    if url.len() > MAX_CALLBACK_LEN || url.contains('#') {
        return Err(CallbackError::Malformed);
    }
    let query = if let Some(rest) = url.strip_prefix(CUSTOM_SCHEME_REDIRECT) {
        rest
    } else if let Some(rest) = url.strip_prefix("http://127.0.0.1:") {
        let (port, rest) = rest.split_at(rest.find('/').ok_or(CallbackError::NotOurs)?);
        // The port must be written exactly as we registered it: `parse`
        // alone would also take `04711` or `+4711` (found by the fuzzer).
        if expected_loopback_port.map(|expected| expected.to_string()).as_deref() != Some(port) {
            return Err(CallbackError::NotOurs);
        }
        rest.strip_prefix(CALLBACK_PATH).ok_or(CallbackError::NotOurs)?
    } else {
        return Err(CallbackError::NotOurs);
    };
    let query = match query {
        "" => "",
        rest => rest.strip_prefix('?').ok_or(CallbackError::NotOurs)?,
    };
    let (mut code, mut state, mut error, mut issuer) = (None, None, None, None);
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(value).ok_or(CallbackError::Malformed)?;
        let slot = match key {
            "code" => &mut code,
            "state" => &mut state,
            "error" => &mut error,
            "iss" => &mut issuer,
            // Providers add their own parameters (session_state…).
            _ => continue,
        };
        if slot.is_some() || value.is_empty() || value.len() > 1024 {
            return Err(CallbackError::Malformed);
        }
        *slot = Some(value);
    }
    match (code, state, error) {
        (_, state, Some(error)) => {
            let well_formed = error.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
            if !well_formed {
                return Err(CallbackError::Malformed);
            }
            Ok(Callback::Refused { error, state })
        }
        (Some(code), Some(state), None) => Ok(Callback::Code { code: Sensitive::new(code), state, issuer }),
        _ => Err(CallbackError::Malformed),
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_matches_the_rfc_7636_example() {
        // RFC 7636, Appendix B.
        assert_eq!(
            s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let pkce = Pkce::generate().expect("random");
        assert_eq!(pkce.verifier.expose().len(), 43);
        assert_eq!(s256_challenge(pkce.verifier.expose()), pkce.challenge);
        assert_ne!(Pkce::generate().expect("random").challenge, pkce.challenge);
    }

    #[test]
    fn a_state_is_taken_once_and_expires() {
        let start = Instant::now();
        let mut logins = PendingLogins::default();
        logins.insert("s1".into(), Sensitive::new("v1".into()), Some("n1".into()), CUSTOM_SCHEME_REDIRECT.into(), start);
        assert!(logins.take("forged", start).is_none());
        let login = logins.take("s1", start + Duration::from_secs(5)).expect("known state");
        assert_eq!((login.verifier.expose().as_str(), login.nonce.as_deref()), ("v1", Some("n1")));
        assert!(logins.take("s1", start + Duration::from_secs(6)).is_none(), "replayed state");

        logins.insert("s2".into(), Sensitive::new("v2".into()), None, CUSTOM_SCHEME_REDIRECT.into(), start);
        assert!(logins.take("s2", start + LOGIN_PATIENCE + Duration::from_secs(1)).is_none(), "expired state");
        assert!(logins.is_empty());
    }

    #[test]
    fn callbacks_parse_strictly() {
        let ok = parse_callback("ru.registratura.app:/auth/callback?code=abc%2Fdef&state=xyz&iss=https%3A%2F%2Fid.example", None).expect("valid");
        match ok {
            Callback::Code { code, state, issuer } => {
                assert_eq!(code.expose(), "abc/def");
                assert_eq!(state, "xyz");
                assert_eq!(issuer.as_deref(), Some("https://id.example"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse_callback("http://127.0.0.1:4711/auth/callback?code=c&state=s", Some(4711)).map(|c| matches!(c, Callback::Code { .. })),
            Ok(true)
        );
        assert_eq!(
            parse_callback("ru.registratura.app:/auth/callback?error=access_denied&state=s", None),
            Ok(Callback::Refused { error: "access_denied".into(), state: Some("s".into()) })
        );
        for (url, why) in [
            ("ru.registratura.app:/auth/other?code=c&state=s", CallbackError::NotOurs),
            ("ru.registratura.evil:/auth/callback?code=c&state=s", CallbackError::NotOurs),
            ("https://127.0.0.1:4711/auth/callback?code=c&state=s", CallbackError::NotOurs),
            ("http://127.0.0.1:4712/auth/callback?code=c&state=s", CallbackError::NotOurs),
            ("http://127.0.0.1:4711/auth/callbackx?code=c&state=s", CallbackError::NotOurs),
            // See: the callback fuzz target, which found these.
            ("http://127.0.0.1:04711/auth/callback?code=c&state=s", CallbackError::NotOurs),
            ("http://127.0.0.1:+4711/auth/callback?code=c&state=s", CallbackError::NotOurs),
            ("ru.registratura.app:/auth/callback?code=c", CallbackError::Malformed),
            ("ru.registratura.app:/auth/callback?code=c&code=d&state=s", CallbackError::Malformed),
            ("ru.registratura.app:/auth/callback?code=c&state=s&iss=a&iss=b", CallbackError::Malformed),
            ("ru.registratura.app:/auth/callback?code=c&state=s#frag", CallbackError::Malformed),
            ("ru.registratura.app:/auth/callback?code=%zz&state=s", CallbackError::Malformed),
            ("ru.registratura.app:/auth/callback?error=%3Cscript%3E", CallbackError::Malformed),
            ("ru.registratura.app:/auth/callback?code=&state=s", CallbackError::Malformed),
        ] {
            assert_eq!(parse_callback(url, Some(4711)).err(), Some(why), "{url}");
        }
    }
}
