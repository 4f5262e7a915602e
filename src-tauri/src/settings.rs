//! Where and how the app runs, as the environment says.

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
        Ok(Self { portal_url, profile })
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
    }

    #[test]
    fn a_profile_must_be_safe_inside_an_identifier() {
        assert!(settings(&[("REGISTRATURA_PROFILE", "e2e42")]).is_ok());
        assert!(settings(&[("REGISTRATURA_PROFILE", "../home")]).is_err());
        assert!(settings(&[("REGISTRATURA_PROFILE", "1abc")]).is_err());
    }
}
