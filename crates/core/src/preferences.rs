//! The person's settings for this installation: how long the success screen
//! stays before the app returns to the start, and the kiosk behaviour.
//!
//! Kept as a small JSON file in the app's config folder. A missing or
//! unreadable file means the defaults: a setting must never stop a patient
//! from booking.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::Error;

/// The settings, each with the portal's behaviour as its default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    /// Seconds the success screen counts down before returning to the
    /// start (the portal's 18).
    pub exit_countdown_seconds: u32,
    /// Whether returning to the start also signs out: for lobby kiosks.
    pub kiosk_sign_out: bool,
    /// With `kiosk_sign_out`: seconds without a touch or a key on any
    /// screen but the start before the kiosk warns, then returns to the
    /// start and signs out, so the next person never finds the last one's
    /// answers or appointments.
    pub kiosk_idle_seconds: u32,
    /// A printer to send tickets to without the print dialog (reception
    /// desks, kiosks); `None` shows the dialog.
    pub silent_printer: Option<String>,
    /// The ticket's paper.
    pub paper: crate::ticket::Paper,
    /// A lobby terminal (`REGISTRATURA_MODE=kiosk`): seconds without a touch
    /// on any step before it returns to the start and forgets the patient,
    /// the last 15 of them with a warning on screen.
    pub terminal_step_seconds: u32,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            exit_countdown_seconds: 18,
            kiosk_sign_out: false,
            kiosk_idle_seconds: 120,
            silent_printer: None,
            paper: crate::ticket::Paper::A6,
            terminal_step_seconds: 60,
        }
    }
}

/// The shortest and longest countdown accepted: enough to read the ticket
/// number, short enough that a kiosk does not show it to the next person.
pub const COUNTDOWN_RANGE: std::ops::RangeInclusive<u32> = 5..=600;

/// The shortest and longest idle time of a kiosk: time to read a screen
/// slowly, short enough that a patient who walked away is not shown to the
/// next person for long.
pub const KIOSK_IDLE_RANGE: std::ops::RangeInclusive<u32> = 30..=1800;

/// Where the preferences live.
#[derive(Debug, Clone)]
pub struct PreferencesFile {
    path: PathBuf,
}

impl PreferencesFile {
    /// The file `preferences.json` in `config_dir`.
    pub fn new(config_dir: &Path) -> Self {
        Self { path: config_dir.join("preferences.json") }
    }

    /// The saved preferences, or the defaults.
    pub fn load(&self) -> Preferences {
        let Ok(bytes) = std::fs::read(&self.path) else {
            return Preferences::default();
        };
        match serde_json::from_slice::<Preferences>(&bytes) {
            Ok(mut preferences) => {
                preferences.exit_countdown_seconds =
                    preferences.exit_countdown_seconds.clamp(*COUNTDOWN_RANGE.start(), *COUNTDOWN_RANGE.end());
                preferences.kiosk_idle_seconds =
                    preferences.kiosk_idle_seconds.clamp(*KIOSK_IDLE_RANGE.start(), *KIOSK_IDLE_RANGE.end());
                preferences.terminal_step_seconds =
                    preferences.terminal_step_seconds.clamp(*KIOSK_IDLE_RANGE.start(), *KIOSK_IDLE_RANGE.end());
                preferences.silent_printer = preferences.silent_printer.map(|name| name.trim().to_owned()).filter(|name| !name.is_empty());
                preferences
            }
            Err(error) => {
                tracing::warn!(%error, "the preferences file does not parse; using the defaults");
                Preferences::default()
            }
        }
    }

    /// Saves the preferences, replacing the file in one step.
    pub fn save(&self, preferences: &Preferences) -> Result<(), Error> {
        if !COUNTDOWN_RANGE.contains(&preferences.exit_countdown_seconds) {
            return Err(Error::InvalidInput(format!(
                "exit_countdown_seconds must be {}–{}",
                COUNTDOWN_RANGE.start(),
                COUNTDOWN_RANGE.end()
            )));
        }
        if !KIOSK_IDLE_RANGE.contains(&preferences.kiosk_idle_seconds) {
            return Err(Error::InvalidInput(format!(
                "kiosk_idle_seconds must be {}–{}",
                KIOSK_IDLE_RANGE.start(),
                KIOSK_IDLE_RANGE.end()
            )));
        }
        if !KIOSK_IDLE_RANGE.contains(&preferences.terminal_step_seconds) {
            return Err(Error::InvalidInput(format!(
                "terminal_step_seconds must be {}–{}",
                KIOSK_IDLE_RANGE.start(),
                KIOSK_IDLE_RANGE.end()
            )));
        }
        let parent = self.path.parent().ok_or_else(|| Error::Internal("the preferences file has no folder".to_owned()))?;
        std::fs::create_dir_all(parent).map_err(|error| Error::Internal(error.to_string()))?;
        let json = serde_json::to_vec_pretty(preferences).map_err(|error| Error::Internal(error.to_string()))?;
        let partial = self.path.with_extension("json.partial");
        std::fs::write(&partial, json).map_err(|error| Error::Internal(error.to_string()))?;
        std::fs::rename(&partial, &self.path).map_err(|error| Error::Internal(error.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_or_damaged_files_mean_the_defaults_and_saving_round_trips() {
        let dir = std::env::temp_dir().join(format!("registratura-preferences-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let file = PreferencesFile::new(&dir);
        assert_eq!(file.load(), Preferences::default());
        assert_eq!(file.load().exit_countdown_seconds, 18);

        let kiosk = Preferences {
            exit_countdown_seconds: 30,
            kiosk_sign_out: true,
            kiosk_idle_seconds: 45,
            silent_printer: Some("Kiosk_Printer".to_owned()),
            paper: crate::ticket::Paper::A5,
            terminal_step_seconds: 90,
        };
        file.save(&kiosk).expect("save");
        assert_eq!(file.load(), kiosk);

        std::fs::write(dir.join("preferences.json"), b"{ not json").expect("damage");
        assert_eq!(file.load(), Preferences::default());
        std::fs::write(dir.join("preferences.json"), br#"{"exit_countdown_seconds": 1}"#).expect("too short");
        assert_eq!(file.load().exit_countdown_seconds, 5);
        std::fs::write(dir.join("preferences.json"), br#"{"kiosk_idle_seconds": 5}"#).expect("too short");
        assert_eq!(file.load().kiosk_idle_seconds, 30);
        assert_eq!(file.load().exit_countdown_seconds, 18, "the others keep their defaults");

        let error = file.save(&Preferences { exit_countdown_seconds: 0, ..Preferences::default() }).expect_err("refused");
        assert_eq!(error.kind(), crate::ErrorKind::InvalidInput);
        let error = file.save(&Preferences { kiosk_idle_seconds: 3600, ..Preferences::default() }).expect_err("refused");
        assert_eq!(error.kind(), crate::ErrorKind::InvalidInput);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
