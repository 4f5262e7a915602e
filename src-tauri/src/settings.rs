//! Where and how the app runs, as the environment says.

/// Who the app is for, set by the deployment (`REGISTRATURA_MODE`), never
/// by a preference a patient could change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AppMode {
    /// Patients at home: the booking wizard and «Записи на приём».
    #[default]
    Patient,
    /// A clinic's reception desk: staff book for the people at the window.
    Desk,
    /// A lobby terminal (инфомат): a registered device, fullscreen, where
    /// patients identify by policy and birth date and are forgotten after.
    Kiosk,
}

impl AppMode {
    /// The label of the app's one window; each label has its own capability,
    /// so a patient's window cannot call a desk command, nor the desk's a patient's.
    pub fn window_label(self) -> &'static str {
        match self {
            AppMode::Patient => "main",
            AppMode::Desk => "desk",
            AppMode::Kiosk => "kiosk",
        }
    }

    /// The page the window opens.
    pub fn page(self) -> &'static str {
        match self {
            AppMode::Patient => "index.html",
            AppMode::Desk => "desk.html",
            AppMode::Kiosk => "kiosk.html",
        }
    }
}

/// Settings read once at start.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// A standalone registry server to use instead of the embedded one
    /// (`REGISTRATURA_PORTAL_URL`).
    pub portal_url: Option<String>,
    /// A profile name (`REGISTRATURA_PROFILE`, letters and digits) that gives
    /// the app its own identifier, data directory and keyring entries; tests
    /// set it so that they never touch a person's own.
    pub profile: Option<String>,
    pub mode: AppMode,
}

impl Settings {
    /// Reads the settings from the process environment.
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let portal_url = lookup("REGISTRATURA_PORTAL_URL").filter(|url| !url.trim().is_empty());
        let profile = lookup("REGISTRATURA_PROFILE").filter(|profile| !profile.is_empty());
        if let Some(profile) = &profile {
            let well_formed = profile.len() <= 40
                && profile.starts_with(|c: char| c.is_ascii_alphabetic())
                && profile.chars().all(|c| c.is_ascii_alphanumeric());
            if !well_formed {
                return Err(format!(
                    "REGISTRATURA_PROFILE must be up to 40 Latin letters and digits starting with a letter, got {profile:?}"
                ));
            }
        }
        let mode = match lookup("REGISTRATURA_MODE").as_deref().map(str::trim) {
            None | Some("") | Some("patient") => AppMode::Patient,
            Some("desk") => AppMode::Desk,
            Some("kiosk") => AppMode::Kiosk,
            Some(other) => return Err(format!("REGISTRATURA_MODE must be patient, desk or kiosk, got {other:?}")),
        };
        Ok(Self { portal_url, profile, mode })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, String> {
        Settings::from_lookup(|name| {
            pairs.iter().find(|(key, _)| *key == name).map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn no_environment_means_the_embedded_default() {
        let settings = settings(&[]).expect("valid");
        assert!(settings.portal_url.is_none());
        assert!(settings.profile.is_none());
        assert_eq!(settings.mode, AppMode::Patient);
    }

    #[test]
    fn the_mode_is_a_deployment_setting_with_a_closed_set_of_words() {
        assert_eq!(settings(&[("REGISTRATURA_MODE", "desk")]).expect("desk").mode, AppMode::Desk);
        assert_eq!(settings(&[("REGISTRATURA_MODE", "patient")]).expect("patient").mode, AppMode::Patient);
        assert_eq!(settings(&[("REGISTRATURA_MODE", "kiosk")]).expect("kiosk").mode, AppMode::Kiosk);
        assert!(settings(&[("REGISTRATURA_MODE", "admin")]).is_err());
        assert!(settings(&[("REGISTRATURA_MODE", "Desk")]).is_err());
    }

    #[test]
    fn a_profile_must_be_safe_inside_an_identifier() {
        assert!(settings(&[("REGISTRATURA_PROFILE", "e2e42")]).is_ok());
        assert!(settings(&[("REGISTRATURA_PROFILE", "../home")]).is_err());
        assert!(settings(&[("REGISTRATURA_PROFILE", "1abc")]).is_err());
    }
}
