//! The person's settings for this installation: the language, how long the
//! success screen stays before the app returns to the start, and the kiosk
//! behaviour.
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
    /// The UI's language, or the system's.
    pub language: LanguageChoice,
}

/// A language the UI speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    Ru,
    En,
}

impl Language {
    /// The language of the first of the OS's preferred locales (BCP 47,
    /// best first) that the UI speaks. Any other means Russian: the portal's
    /// own language, and the one a Kaluga clinic's staff answer in.
    pub fn of_locales<S: AsRef<str>>(locales: impl IntoIterator<Item = S>) -> Language {
        locales
            .into_iter()
            .find_map(|locale| {
                let primary = locale.as_ref().split(['-', '_', '.', '@']).next()?.to_ascii_lowercase();
                match primary.as_str() {
                    "ru" => Some(Language::Ru),
                    "en" => Some(Language::En),
                    _ => None,
                }
            })
            .unwrap_or(Language::Ru)
    }

    /// The language the OS asks for (LANGUAGE, LC_ALL, LC_MESSAGES, LANG on
    /// Linux; the user's UI languages on Windows and macOS).
    pub fn of_system() -> Language {
        Language::of_locales(sys_locale::get_locales())
    }
}

/// The language setting: the system's unless the person chose one. An
/// unknown word in the file means the system's, so that a file written by a
/// later version never costs the other settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LanguageChoice {
    Ru,
    En,
    // Serde takes an unknown word only into the last variant.
    #[default]
    #[serde(other)]
    System,
}

impl Preferences {
    /// The language the UI speaks now.
    pub fn language(&self) -> Language {
        match self.language {
            LanguageChoice::System => Language::of_system(),
            LanguageChoice::Ru => Language::Ru,
            LanguageChoice::En => Language::En,
        }
    }
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
            language: LanguageChoice::System,
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
            language: LanguageChoice::En,
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
        std::fs::write(dir.join("preferences.json"), br#"{"language": "de", "kiosk_idle_seconds": 45}"#).expect("unknown");
        assert_eq!(file.load().language, LanguageChoice::System);
        assert_eq!(file.load().kiosk_idle_seconds, 45, "an unknown language costs nothing else");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_first_locale_the_ui_speaks_decides() {
        assert_eq!(Language::of_locales(["en-GB"]), Language::En);
        assert_eq!(Language::of_locales(["en_US.UTF-8"]), Language::En);
        assert_eq!(Language::of_locales(["ru-RU", "en-US"]), Language::Ru);
        assert_eq!(Language::of_locales(["de-DE", "en-US", "ru-RU"]), Language::En);
        assert_eq!(Language::of_locales(["C", "POSIX"]), Language::Ru);
        assert_eq!(Language::of_locales(["de-DE"]), Language::Ru);
        assert_eq!(Language::of_locales(Vec::<String>::new()), Language::Ru);
        assert_eq!(Language::of_locales(["EN"]), Language::En);
    }
}
