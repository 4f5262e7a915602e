//! The core of Регистратура: everything the desktop app does that is not
//! window plumbing.
//!
//! # Layout
//! - [`appointments`]: «Записи на приём» in the order a person reads them.
//! - [`api`]: the registry server's JSON contract, shared by server and app.
//! - [`identity`]: СНИЛС, ОМС policy and phone numbers, parsed at the edge.
//! - [`login`]: the OAuth client (discovery, tokens, userinfo) of any provider.
//! - [`loopback`]: the RFC 8252 loopback redirect, when the URL scheme cannot be registered.
//! - [`oauth`]: PKCE, logins in progress and the strict callback parser.
//! - [`preferences`]: the installation's settings (countdown, kiosk).
//! - [`region`]: the region the app serves and its clinics' time zone.
//! - [`calendar`]: dates and times as a patient reads them, in the clinic's zone.
//! - [`registry`]: the HTTP client of the registry server.
//! - [`desk`]: the reception desk's staff sign-in and its routes' client.
//! - [`day_list`]: the doctor's day list as an A4 table (PDF).
//! - [`cache`]: the local SQLite copy of the public directory and schedule.
//! - [`schedule`]: calendar days and day slots, the same for server and cache.
//! - [`search`]: how list searches match, the same for server and cache.
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

pub mod api;
pub mod appointments;
pub mod cache;
pub mod calendar;
pub mod day_list;
pub mod desk;
pub mod error;
pub mod ics;
pub mod identity;
pub mod kiosk;
pub mod login;
pub mod loopback;
pub mod oauth;
pub mod preferences;
pub mod printing;
pub mod region;
pub mod registry;
pub mod schedule;
pub mod search;
pub mod secrets;
pub mod sensitive;
pub mod session;
pub mod ticket;

pub use error::{Error, ErrorKind};
