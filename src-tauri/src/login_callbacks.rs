//! Login redirects that arrive by deep link, and the silent session restore.
//!
//! A redirect reaches the app three ways: the OS starts a second instance
//! with the URL, which the single-instance plugin forwards here
//! (`on_open_url`); the OS starts the app cold with the URL in argv
//! (`get_current`); or the app was already the handler of a URL opened while
//! it ran. All three end in [`deliver`]. The URL itself is never logged: it
//! carries a code.

use registratura_core::session::SessionView;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_deep_link::DeepLinkExt;

use crate::state::AppState;

/// The UI's event for a new session state.
pub const SESSION_CHANGED: &str = "session-changed";
/// The UI's event for a login that did not complete.
pub const LOGIN_FAILED: &str = "login-failed";

/// Registers the callback scheme and listens for callbacks.
pub fn listen(app: &tauri::App) {
    // Linux and Windows register URL schemes at run time (a .desktop file
    // or a registry key); macOS takes them from the bundle's Info.plist.
    #[cfg(any(target_os = "linux", windows))]
    if let Err(error) = app.deep_link().register_all() {
        tracing::warn!(%error, "could not register the login callback scheme");
    }
    let handle = app.handle().clone();
    app.deep_link().on_open_url(move |event| {
        for url in event.urls() {
            deliver(handle.clone(), url.to_string());
        }
    });
    if let Ok(Some(urls)) = app.deep_link().get_current() {
        for url in urls {
            deliver(app.handle().clone(), url.to_string());
        }
    }
}

/// Finishes a login from a callback URL and tells the UI.
fn deliver(app: AppHandle, url: String) {
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        match state.sessions.finish_login(&url, None).await {
            Ok(view) => {
                tracing::info!("signed in");
                let _ = app.emit(SESSION_CHANGED, view);
            }
            Err(error) => {
                tracing::warn!(kind = ?error.kind(), "a login callback was refused");
                let _ = app.emit(LOGIN_FAILED, serde_json::json!({ "kind": error.kind() }));
            }
        }
        if let Some(window) = app.get_webview_window("main") {
            let _ = window.set_focus();
        }
    });
}

/// Restores the previous session from the keyring, without asking.
pub fn restore_session(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let view: SessionView = match state.sessions.restore().await {
            Ok(view) => view,
            Err(error) => {
                tracing::warn!(kind = ?error.kind(), "could not restore the session");
                state.sessions.view()
            }
        };
        let _ = app.emit(SESSION_CHANGED, view);
    });
}
