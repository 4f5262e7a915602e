//! The Tauri commands, one file per area. Each parses its input, calls the
//! core once or twice and maps the error.

pub mod app;
pub mod auth;
pub mod booking;
pub mod desk;
pub mod directory;
pub mod kiosk;
pub mod settings;
pub mod tickets;
