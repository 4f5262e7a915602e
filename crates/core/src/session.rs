//! The signed-in session: starting a login, finishing it from the redirect,
//! restoring it at the next start, and signing out.
//!
//! The access token stays in memory; the refresh token goes to the OS
//! keyring and nowhere else — never a file, the cache, a log or the webview.

use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::login::{LoginClient, Tokens, UserInfo};
use crate::oauth::{new_nonce, new_state, parse_callback, Callback, PendingLogins, Pkce};
use crate::secrets::{Keyring, RefreshTokenStore};
use crate::sensitive::Sensitive;
use crate::Error;

/// What the UI may know of the session: never a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionView {
    pub signed_in: bool,
    /// «Фамилия И. О.».
    pub name: Option<String>,
    /// Whether the ESIA account is confirmed (an unconfirmed one cannot book).
    pub confirmed: bool,
    /// False when there is no keyring: the session ends with the app.
    pub remembered: bool,
    /// False when the provider issued no refresh token: the session ends
    /// when its access token does, and the person signs in again.
    pub renewable: bool,
}

#[derive(Debug)]
struct Session {
    access: Sensitive<String>,
    /// None when the provider issued none.
    refresh: Option<Sensitive<String>>,
    expires: Instant,
    user: UserInfo,
}

/// A login waiting for its redirect, wherever it was kept.
struct Started {
    verifier: Sensitive<String>,
    nonce: String,
    redirect_uri: String,
}

/// The app's one session manager.
#[derive(Debug)]
pub struct Sessions {
    issuer: String,
    /// The custom scheme, or the loopback redirect when the scheme could not
    /// be registered (see [`Sessions::use_loopback`]).
    redirect_uri: Mutex<String>,
    loopback_port: Mutex<Option<u16>>,
    keyring: RefreshTokenStore,
    /// The newest login in progress, also in the keyring: the OS may start
    /// a new app process with its redirect after this one has closed.
    saved_login: RefreshTokenStore,
    pending: Mutex<PendingLogins>,
    current: Mutex<Option<Session>>,
    remembered: Mutex<bool>,
    /// The provider, discovered once; a failed discovery is retried next time.
    client: Mutex<Option<LoginClient>>,
}

/// A login in progress as the keyring keeps it. The verifier is a secret
/// and lives nowhere else outside memory.
#[derive(serde::Serialize, serde::Deserialize)]
struct SavedLogin {
    state: String,
    verifier: String,
    nonce: String,
    redirect_uri: String,
    /// Unix seconds: an `Instant` means nothing to another process.
    started: i64,
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() as i64)
        .unwrap_or_default()
}

/// Refresh a little before the access token runs out.
const EXPIRY_MARGIN: Duration = Duration::from_secs(30);

impl Sessions {
    /// A manager for logins at `issuer`, redirected to `redirect_uri`, with
    /// the refresh token kept under the keyring service `keyring_service`.
    pub fn new(issuer: &str, redirect_uri: &str, keyring_service: &str) -> Self {
        Self {
            issuer: issuer.trim_end_matches('/').to_owned(),
            redirect_uri: Mutex::new(redirect_uri.to_owned()),
            loopback_port: Mutex::new(None),
            keyring: RefreshTokenStore::new(keyring_service),
            saved_login: RefreshTokenStore::pending_login(keyring_service),
            pending: Mutex::new(PendingLogins::default()),
            current: Mutex::new(None),
            remembered: Mutex::new(true),
            client: Mutex::new(None),
        }
    }

    /// The redirect URI logins use.
    pub fn redirect_uri(&self) -> String {
        lock(&self.redirect_uri).clone()
    }

    /// Sends later logins to the RFC 8252 loopback redirect on `port`: for
    /// when the OS would not register the app's URL scheme.
    pub fn use_loopback(&self, port: u16) {
        *lock(&self.redirect_uri) = crate::oauth::loopback_redirect(port);
        *lock(&self.loopback_port) = Some(port);
    }

    /// The loopback port callbacks are accepted on, once in use.
    pub fn loopback_port(&self) -> Option<u16> {
        *lock(&self.loopback_port)
    }

    /// Starts a login: a fresh state and PKCE pair; returns the URL to open
    /// in the system browser.
    pub async fn start_login(&self) -> Result<String, Error> {
        let client = self.client().await?;
        let pkce = Pkce::generate()?;
        let state = new_state()?;
        let nonce = new_nonce()?;
        let redirect_uri = self.redirect_uri();
        let url = client.authorization_url(&redirect_uri, &state, &pkce, &nonce)?;
        // Only a scheme redirect can reach a later process: a loopback
        // listener ends with this one.
        if self.loopback_port().is_none() {
            let record = SavedLogin {
                state: state.clone(),
                verifier: pkce.verifier.expose().clone(),
                nonce: nonce.clone(),
                redirect_uri: redirect_uri.clone(),
                started: unix_now(),
            };
            if let Ok(json) = serde_json::to_string(&record) {
                let _ = self.saved_login.save(&Sensitive::new(json));
            }
        }
        lock(&self.pending).insert(state, pkce.verifier, Some(nonce), redirect_uri, Instant::now());
        Ok(url)
    }

    /// Forgets logins in progress (the person pressed «Отмена»).
    pub fn cancel_login(&self) {
        lock(&self.pending).clear();
        let _ = self.saved_login.delete();
    }

    /// The login `state` names from the keyring, when this process did not
    /// start it: taken once, and only within the ten minutes a login lives.
    fn take_saved_login(&self, state: &str) -> Option<Started> {
        let Keyring::Available(Some(json)) = self.saved_login.load() else { return None };
        let _ = self.saved_login.delete();
        let record: SavedLogin = serde_json::from_str(json.expose()).ok()?;
        let fresh = (0..=crate::oauth::LOGIN_PATIENCE.as_secs() as i64).contains(&(unix_now() - record.started));
        (record.state == state && fresh).then(|| Started { verifier: Sensitive::new(record.verifier), nonce: record.nonce, redirect_uri: record.redirect_uri })
    }

    /// Finishes a login from the redirect URL the OS handed the app. A URL
    /// that is not our callback, or whose state is unknown, spent or older
    /// than ten minutes, is refused without touching the session.
    pub async fn finish_login(&self, url: &str, loopback_port: Option<u16>) -> Result<SessionView, Error> {
        let callback = parse_callback(url, loopback_port).map_err(|_| Error::InvalidInput("not a login callback".to_owned()))?;
        let (code, state, issuer) = match callback {
            Callback::Code { code, state, issuer } => (code, state, issuer),
            Callback::Refused { error, state } => {
                if let Some(state) = state {
                    lock(&self.pending).take(&state, Instant::now());
                    let _ = self.take_saved_login(&state);
                }
                return Err(Error::LoginRefused(error));
            }
        };
        let in_memory = lock(&self.pending).take(&state, Instant::now());
        let started = match in_memory {
            Some(pending) => {
                let _ = self.saved_login.delete();
                // Every login this manager starts has a nonce; an empty one matches no id_token.
                Started { verifier: pending.verifier, nonce: pending.nonce.unwrap_or_default(), redirect_uri: pending.redirect_uri }
            }
            None => self
                .take_saved_login(&state)
                .ok_or_else(|| Error::InvalidInput("unknown or expired login state".to_owned()))?,
        };
        let client = self.client().await?;
        // The state is spent by now, so a response from another issuer
        // (RFC 9207) cannot be tried again with this login.
        if !client.provider().accepts_response_issuer(issuer.as_deref()) {
            return Err(Error::LoginRefused("the authorisation response names another issuer".to_owned()));
        }
        let tokens = client.exchange(code.expose(), started.verifier.expose(), &started.redirect_uri, &started.nonce).await?;
        self.begin(&client, tokens, None).await
    }

    /// Restores the session from the keyring's refresh token, silently.
    pub async fn restore(&self) -> Result<SessionView, Error> {
        let saved = match self.keyring.load() {
            Keyring::Available(Some(token)) => token,
            Keyring::Available(None) => return Ok(self.view()),
            Keyring::Unavailable => {
                *lock(&self.remembered) = false;
                return Ok(self.view());
            }
        };
        let client = self.client().await?;
        match client.refresh(saved.expose()).await {
            Ok(tokens) => self.begin(&client, tokens, Some(saved)).await,
            Err(Error::SessionExpired) => {
                self.keyring.delete();
                Ok(self.view())
            }
            Err(error) => Err(error),
        }
    }

    /// A valid access token, refreshed when it is about to expire.
    pub async fn access_token(&self) -> Result<Sensitive<String>, Error> {
        let refresh = {
            let current = lock(&self.current);
            let session = current.as_ref().ok_or(Error::SessionExpired)?;
            if session.expires > Instant::now() + EXPIRY_MARGIN {
                return Ok(session.access.clone());
            }
            session.refresh.clone()
        };
        match refresh {
            Some(refresh) => self.refresh_with(refresh).await,
            // Nothing to renew it with: the session has ended.
            None => {
                self.forget();
                Err(Error::SessionExpired)
            }
        }
    }

    /// Calls the registry as the signed-in patient with a valid access
    /// token. When the server refuses the token all the same (the session
    /// was revoked elsewhere, or the token ran out by the server's clock
    /// before ours said so), the session is refreshed once and the call
    /// repeated; a refusal of the refresh, or of the repeated call, ends the
    /// session here too, so that nothing goes on showing the patient as
    /// signed in. Repeating is safe: a refused call did nothing.
    pub async fn authorized<T, Call, Called>(&self, call: Call) -> Result<T, Error>
    where
        Call: Fn(Sensitive<String>) -> Called,
        Called: Future<Output = Result<T, Error>>,
    {
        match call(self.access_token().await?).await {
            Err(Error::SessionExpired) => {}
            answered => return answered,
        }
        let Some(refresh) = lock(&self.current).as_ref().and_then(|session| session.refresh.clone()) else {
            self.forget();
            return Err(Error::SessionExpired);
        };
        let answered = call(self.refresh_with(refresh).await?).await;
        if matches!(answered, Err(Error::SessionExpired)) {
            self.forget();
        }
        answered
    }

    /// A new access token for `refresh`; the session is forgotten when the
    /// provider refuses it.
    async fn refresh_with(&self, refresh: Sensitive<String>) -> Result<Sensitive<String>, Error> {
        let client = self.client().await?;
        match client.refresh(refresh.expose()).await {
            Ok(tokens) => {
                self.begin(&client, tokens, Some(refresh)).await?;
                lock(&self.current).as_ref().map(|session| session.access.clone()).ok_or(Error::SessionExpired)
            }
            Err(Error::SessionExpired) => {
                self.forget();
                Err(Error::SessionExpired)
            }
            Err(error) => Err(error),
        }
    }

    /// Signs out: revokes the session at the provider and forgets it here.
    /// Forgetting happens even when the provider cannot be reached.
    pub async fn logout(&self) -> SessionView {
        // The refresh token ends the whole grant; without one, the access token is all there is.
        let token = lock(&self.current).as_ref().map(|session| session.refresh.clone().unwrap_or_else(|| session.access.clone()));
        if let Some(token) = token {
            if let Ok(client) = self.client().await {
                let _ = client.revoke(token.expose()).await;
            }
        }
        self.forget();
        self.view()
    }

    /// What the UI may show.
    pub fn view(&self) -> SessionView {
        let current = lock(&self.current);
        SessionView {
            signed_in: current.is_some(),
            name: current.as_ref().map(|session| session.user.short_name()),
            confirmed: current.as_ref().is_some_and(|session| session.user.esia_confirmed),
            remembered: *lock(&self.remembered),
            renewable: current.as_ref().is_some_and(|session| session.refresh.is_some()),
        }
    }

    /// Starts (or renews) the session with `tokens`. A refresh answered
    /// without a new refresh token leaves `previous` in force (RFC 6749 §6).
    async fn begin(&self, client: &LoginClient, tokens: Tokens, previous: Option<Sensitive<String>>) -> Result<SessionView, Error> {
        let user = client.userinfo(tokens.access.expose()).await?;
        // OpenID Connect Core §5.3.4: userinfo must be about whom the
        // id_token names; a renewal must be about whom the session was.
        let expected = tokens.subject.clone().or_else(|| lock(&self.current).as_ref().map(|session| session.user.sub.clone()));
        if expected.is_some_and(|sub| sub != user.sub) {
            return Err(Error::LoginRefused("userinfo names someone else than the id_token".to_owned()));
        }
        let refresh = tokens.refresh.or(previous);
        let remembered = match &refresh {
            Some(refresh) => matches!(self.keyring.save(refresh), Keyring::Available(())),
            // Nothing to keep: what `renewable` says, not the keyring's absence.
            None => {
                let _ = self.keyring.delete();
                *lock(&self.remembered)
            }
        };
        *lock(&self.remembered) = remembered;
        *lock(&self.current) = Some(Session {
            expires: Instant::now() + Duration::from_secs(tokens.expires_in.max(60)),
            access: tokens.access,
            refresh,
            user,
        });
        Ok(self.view())
    }

    /// The provider's client, from the discovery document read once.
    async fn client(&self) -> Result<LoginClient, Error> {
        if let Some(client) = lock(&self.client).clone() {
            return Ok(client);
        }
        let client = LoginClient::discover(&self.issuer).await?;
        *lock(&self.client) = Some(client.clone());
        Ok(client)
    }

    fn forget(&self) {
        *lock(&self.current) = None;
        self.keyring.delete();
    }
}

/// Locks a mutex, recovering the data if a thread panicked while holding it:
/// the session data stays consistent because every update is one assignment.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
