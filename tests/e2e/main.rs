//! End-to-end journeys through the real app window: the debug binary driven by
//! `tauri-driver` and `WebKitWebDriver` inside the private desktop session that
//! `tests/e2e/desktop-session` sets up (Xvfb, D-Bus, gnome-keyring, CUPS).
//!
//! Run them with `scripts/test`; run alone, outside that session, they stop at
//! once and say so.

// Portal steps 5–13: the booking wizard, taken slots, offline, keyboard.
mod booking;
// The reception desk: walk-in, registration, move, check-in, another clinic.
mod desk;
// The lobby kiosk by touch: identify, book, print, forget; check in with a slip.
mod kiosk;
// Starts tauri-driver and the app for one journey, and stops both.
mod driver;
// WCAG 2.2 AA by axe-core in the real window, on every screen.
mod accessibility;
// English beside Russian: the OS's locale, the switch in «Настройки», the dictionaries.
mod language;
// «Ближайшее время»: the first free time across the region, checked with the server.
mod nearest;
// Signing in through the ESIA sandbox, the deep link, the keyring, signing out.
mod login;
// A standalone registry server a journey can stop, restart and play others on.
mod portal;
// Portal steps 13–16: «Записи на приём», cancelling, silent printing.
mod tickets;
// The start screen: heading, region, «Личный кабинет» and values from Rust.
mod start_screen;
