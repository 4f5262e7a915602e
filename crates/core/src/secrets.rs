//! The OS keyring: where the refresh token lives between runs.
//!
//! Secret Service on Linux, Credential Manager on Windows, Keychain on macOS
//! (the `keyring` crate). Every call runs on its own thread with a time
//! limit: under a virtual display without a session bus, D-Bus may start a
//! keyring that waits on an unlock prompt nobody can see, and the call
//! would never return. No answer in time, no bus, or a locked collection all
//! mean the same to the app: no keyring, so the session lives in memory only.

use std::sync::mpsc;
use std::time::Duration;

use crate::sensitive::Sensitive;

/// How long a keyring call may take before the keyring counts as missing.
pub const KEYRING_PATIENCE: Duration = Duration::from_secs(3);

/// One keyring entry of one app profile: the refresh token, or the login
/// in progress.
#[derive(Debug, Clone)]
pub struct RefreshTokenStore {
    service: String,
    account: &'static str,
}

/// What the keyring said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keyring<T> {
    /// It answered.
    Available(T),
    /// There is no usable keyring on this machine now.
    Unavailable,
}

impl RefreshTokenStore {
    /// The refresh token's entry for the app identified by `service` (the
    /// app identifier, which a test profile changes).
    pub fn new(service: &str) -> Self {
        Self { service: service.to_owned(), account: "refresh-token" }
    }

    /// The entry that keeps a login in progress (its state and PKCE
    /// verifier) so that an app started anew by the login's redirect can
    /// still finish it.
    pub fn pending_login(service: &str) -> Self {
        Self { service: service.to_owned(), account: "pending-login" }
    }

    /// The entry that keeps a lobby kiosk's device credential, entered once
    /// when the kiosk is set up.
    pub fn kiosk_credential(service: &str) -> Self {
        Self { service: service.to_owned(), account: "kiosk-credential" }
    }

    /// Saves the refresh token.
    pub fn save(&self, token: &Sensitive<String>) -> Keyring<()> {
        let secret = token.expose().clone();
        self.with_entry(move |entry| entry.set_password(&secret).map(|_| ()))
    }

    /// The saved refresh token, if any.
    pub fn load(&self) -> Keyring<Option<Sensitive<String>>> {
        let found = self.with_entry(|entry| match entry.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(error),
        });
        match found {
            Keyring::Available(secret) => Keyring::Available(secret.map(Sensitive::new)),
            Keyring::Unavailable => Keyring::Unavailable,
        }
    }

    /// Forgets the refresh token; forgetting what is not there is fine.
    pub fn delete(&self) -> Keyring<()> {
        self.with_entry(|entry| match entry.delete_credential() {
            Err(keyring::Error::NoEntry) => Ok(()),
            other => other,
        })
    }

    fn with_entry<T: Send + 'static>(
        &self,
        action: impl FnOnce(&keyring::Entry) -> keyring::Result<T> + Send + 'static,
    ) -> Keyring<T> {
        let (service, account) = (self.service.clone(), self.account);
        let (done, answer) = mpsc::channel();
        std::thread::spawn(move || {
            let result = keyring::Entry::new(&service, account).and_then(|entry| action(&entry));
            let _ = done.send(result);
        });
        match answer.recv_timeout(KEYRING_PATIENCE) {
            Ok(Ok(value)) => Keyring::Available(value),
            // The keyring's errors never carry the secret, but the caller
            // only needs to know that there is no keyring to use.
            Ok(Err(_)) | Err(_) => Keyring::Unavailable,
        }
    }
}
