//! The core of Регистратура: everything the desktop app does that is not
//! window plumbing.
//!
//! # Layout
//! - [`appointments`]: «Записи на приём» in the order a person reads them.
//! - [`api`], [`identity`], [`region`], [`calendar`], [`schedule`], [`search`]:
//!   re-exported from `registratura-contract`, which the server shares.
//! - [`login`]: the OAuth client (discovery, tokens, userinfo) of any provider.
//! - [`loopback`]: the RFC 8252 loopback redirect, when the URL scheme cannot be registered.
//! - [`oauth`]: PKCE, logins in progress and the strict callback parser.
//! - [`preferences`]: the installation's settings (countdown, kiosk).
//! - [`registry`]: the HTTP client of the registry server.
//! - [`desk`]: the reception desk's staff sign-in and its routes' client.
//! - [`day_list`]: the doctor's day list as an A4 table (PDF).
//! - [`cache`]: the local SQLite copy of the public directory and schedule.
//! - [`secrets`]: the refresh token in the OS keyring, with a time limit.
//! - [`session`]: the signed-in session: login, restore, refresh, sign-out.
//! - [`ticket`]: the ticket's layout (a pure function) and its PDF.
//! - [`ics`]: the appointment as an iCalendar file.
//! - [`printing`]: silent printing to a named printer.
//! - [`sensitive`]: the wrapper that keeps tokens out of logs and serialisation.
//! - [`error`]: the crate's one error enum and its stable `kind`.
//!
//! **Invariant:** this crate depends on neither `tauri` nor `axum`; the desktop
//! shell and the registry server both call into it.

pub mod appointments;
pub mod cache;
pub mod day_list;
pub mod desk;
pub mod error;
pub mod ics;
pub mod kiosk;
pub mod login;
pub mod loopback;
pub mod oauth;
pub mod preferences;
pub mod printing;
pub mod registry;
pub mod secrets;
pub mod sensitive;
pub mod session;
pub mod ticket;

pub use error::{Error, ErrorKind};
// The contract with the registry server lives in its own crate, so that the
// server deploys without this crate's keyring and PDF libraries; the app
// reaches it through the core's paths as before.
pub use registratura_contract::{api, calendar, identity, region, schedule, search, InvalidInput};
