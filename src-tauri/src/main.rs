//! The desktop app's entry point; everything happens in the library.

// On Windows a release build must not open a console window next to the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    registratura_app::run()
}
