//! What the registry server and the desktop app agree on, and nothing else:
//! the server deploys with this crate alone, without the desktop's keyring,
//! PDF or GUI libraries.
//!
//! # Layout
//! - [`api`]: the registry server's JSON contract.
//! - [`identity`]: СНИЛС, ОМС policy and phone numbers, parsed at the edge.
//! - [`region`]: the region the app serves and its clinics' time zone.
//! - [`calendar`]: dates and times as a patient reads them, in the clinic's zone.
//! - [`schedule`]: calendar days and day slots, the same for server and cache.
//! - [`search`]: how list searches match, the same for server and cache.
//! - [`oauth`]: the redirect URIs, the PKCE challenge and form encoding.
//!
//! **Invariant:** this crate does no I/O; it depends on neither an HTTP
//! stack nor a database driver.

pub mod api;
pub mod calendar;
pub mod identity;
pub mod oauth;
pub mod region;
pub mod schedule;
pub mod search;

/// A value that does not parse: a policy, СНИЛС or phone number, or a
/// date. The message names the field; the server answers it as
/// `invalid_input`, and the app's core turns it into its own
/// `Error::InvalidInput`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {0}")]
pub struct InvalidInput(pub String);
