//! Login redirects that arrive by deep link, and the silent session restore.
//!
//! A redirect reaches the app three ways: the OS starts a second instance
//! with the URL, which the single-instance plugin forwards here
//! (`on_open_url`); the OS starts the app cold with the URL in argv
//! (`get_current`); or the app was already the handler of a URL opened while
//! it ran. When the scheme cannot be registered, the browser comes back to
//! a loopback listener instead (RFC 8252 §7.3). All of them end in
//! [`deliver`]. The URL itself is never logged: it carries a code.

use registratura_core::loopback::LoopbackRedirect;
use registratura_core::session::SessionView;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_deep_link::DeepLinkExt;

use crate::state::AppState;

/// The UI's event for a new session state.
pub const SESSION_CHANGED: &str = "session-changed";
/// The UI's event for a login that did not complete.
pub const LOGIN_FAILED: &str = "login-failed";

/// What the browser shows after a loopback redirect: the login goes on in
/// the app, so the page says to go back there. It speaks both of the UI's
/// languages, since the browser is not the app and need not share its choice.
const LOOPBACK_PAGE: &str = "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\">\
<title>Регистратура</title></head><body style=\"font: 20px/1.5 sans-serif; margin: 3rem\">\
<h1>Вход почти завершён</h1><p>Вернитесь в приложение «Регистратура» — оно продолжит вход само.\
 Эту вкладку можно закрыть.</p>\
<h2 lang=\"en\">Almost signed in</h2><p lang=\"en\">Go back to the Registratura app: it finishes signing in by itself.\
 You can close this tab.</p></body></html>";

/// Registers the callback scheme and listens for callbacks. When the
/// scheme cannot be registered, logins use the loopback redirect instead.
pub fn listen(app: &tauri::App) {
    // Linux and Windows register URL schemes at run time (a .desktop file
    // or a registry key); macOS takes them from the bundle's Info.plist.
    #[cfg(any(target_os = "linux", windows))]
    if let Err(error) = app.deep_link().register_all() {
        tracing::warn!(%error, "could not register the login callback scheme; using the loopback redirect");
        listen_on_loopback(app.handle().clone());
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

/// Binds the RFC 8252 loopback redirect and points later logins at it.
#[cfg_attr(target_os = "macos", allow(dead_code))]
fn listen_on_loopback(app: AppHandle) {
    let redirect = match tauri::async_runtime::block_on(LoopbackRedirect::bind()) {
        Ok(redirect) => redirect,
        Err(error) => {
            tracing::error!(%error, "no way for a login to come back: neither the scheme nor loopback");
            return;
        }
    };
    app.state::<AppState>().sessions.use_loopback(redirect.port());
    let handle = app.clone();
    tauri::async_runtime::spawn(redirect.serve(LOOPBACK_PAGE, move |url| deliver(handle.clone(), url)));
}

/// The desk's event for a staff member signed in through ESIA.
pub const DESK_CHANGED: &str = "desk-changed";

/// Finishes a login from a callback URL and tells the UI: a staff
/// member's at a desk, a patient's everywhere else.
fn deliver(app: AppHandle, url: String) {
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let loopback_port = state.sessions.loopback_port();
        if state.app_mode == crate::settings::AppMode::Kiosk {
            // A kiosk signs no one in through a browser: a login redirect
            // reaching it (another program's link) is dropped.
            tracing::warn!("a login redirect reached a kiosk; ignored");
            return;
        }
        if state.app_mode == crate::settings::AppMode::Desk {
            match state.desk.finish_esia(&state.registry, &url, loopback_port).await {
                Ok(view) => {
                    tracing::info!("a staff member signed in through ESIA");
                    let _ = app.emit(DESK_CHANGED, crate::commands::desk::screen(&state, view));
                }
                Err(error) => {
                    tracing::warn!(kind = ?error.kind(), "a desk sign-in callback was refused");
                    let _ = app.emit(LOGIN_FAILED, serde_json::json!({ "kind": error.kind() }));
                }
            }
            if let Some(window) = crate::app_window(&app) {
                let _ = window.set_focus();
            }
            return;
        }
        match state.sessions.finish_login(&url, loopback_port).await {
            Ok(view) => {
                tracing::info!("signed in");
                let _ = app.emit(SESSION_CHANGED, view);
            }
            Err(error) => {
                tracing::warn!(kind = ?error.kind(), "a login callback was refused");
                let _ = app.emit(LOGIN_FAILED, serde_json::json!({ "kind": error.kind() }));
            }
        }
        if let Some(window) = crate::app_window(&app) {
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
