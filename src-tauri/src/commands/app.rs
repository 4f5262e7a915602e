//! What the start screen shows about the app itself.

use registratura_core::{calendar, region};
use serde::Serialize;
use tauri::State;

use crate::error::CommandError;
use crate::state::{AppState, PortalMode};

/// The facts the start screen shows.
#[derive(Debug, Serialize)]
pub struct AppInfo {
    version: &'static str,
    region: region::Region,
    /// Today in the clinics' zone; the UI writes it out in its language.
    today: chrono::NaiveDate,
    portal: PortalInfo,
}

/// Which registry server the app talks to and whether it answers.
#[derive(Debug, Serialize)]
pub struct PortalInfo {
    mode: PortalMode,
    online: bool,
}

/// Describes the app, the region and the portal connection.
#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, CommandError> {
    let region = region::KALUGA;
    let today = calendar::clinic_date(chrono::Utc::now(), region.time_zone);
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        region,
        today,
        portal: PortalInfo { mode: state.mode, online: state.registry.health().await.is_ok() },
    })
}
