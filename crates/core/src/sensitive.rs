//! A wrapper for secrets such as OAuth tokens.

use std::fmt;

/// A value that must never be logged, serialised or stored in plain files.
///
/// `Debug` and `Display` print `<redacted>`, and the type implements neither
/// `Serialize` nor `Deserialize`, so a token cannot reach a log line, an IPC
/// reply or the cache by accident. Reading it takes an explicit
/// [`Sensitive::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    /// Wraps a secret.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_itself() {
        let token = Sensitive::new("eyJhbGciOi.secret".to_owned());
        assert_eq!(format!("{token:?}"), "<redacted>");
        assert_eq!(format!("{token}"), "<redacted>");
        assert_eq!(format!("{:#?}", Some(&token)), "Some(\n    <redacted>,\n)");
        assert_eq!(token.expose(), "eyJhbGciOi.secret");
    }
}
