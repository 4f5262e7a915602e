//! Signing in through ESIA (via the registry's broker) and out.

use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::error::CommandError;
use crate::state::AppState;
use registratura_core::session::SessionView;

/// What the header shows: signed in or not, and the name.
#[tauri::command]
pub fn session_view(state: State<'_, AppState>) -> SessionView {
    state.sessions.view()
}

/// Opens the system browser at the broker with a fresh state and PKCE pair.
#[tauri::command]
pub async fn login_start(app: AppHandle, state: State<'_, AppState>) -> Result<(), CommandError> {
    let url = state.sessions.start_login().await?;
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|error| CommandError::internal(format!("could not open the browser: {error}")))
}

/// Forgets the login in progress («Отмена»).
#[tauri::command]
pub fn login_cancel(state: State<'_, AppState>) {
    state.sessions.cancel_login();
}

/// Signs out: revokes the session and forgets the refresh token.
#[tauri::command]
pub async fn logout(state: State<'_, AppState>) -> Result<SessionView, CommandError> {
    Ok(state.sessions.logout().await)
}
