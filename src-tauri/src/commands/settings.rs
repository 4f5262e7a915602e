//! The installation's preferences.

use registratura_core::preferences::{Language, Preferences};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// The current preferences (the defaults when none are saved).
#[tauri::command]
pub fn preferences(state: State<'_, AppState>) -> Preferences {
    state.preferences.load()
}

/// Saves the preferences and answers them as saved.
#[tauri::command]
pub fn preferences_set(state: State<'_, AppState>, preferences: Preferences) -> Result<Preferences, CommandError> {
    state.preferences.save(&preferences)?;
    Ok(state.preferences.load())
}

/// The language the UI speaks: the one chosen in «Настройки», or the OS's.
#[tauri::command]
pub fn ui_language(state: State<'_, AppState>) -> Language {
    state.preferences.load().language()
}
