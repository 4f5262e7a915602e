//! The desktop shell of Регистратура: thin Tauri commands over
//! `registratura-core`.
//!
//! # Layout
//! - [`run`] builds the Tauri app: the state, the plugins, the commands.
//! - `settings.rs`: what the environment says about where to run.
//! - `state.rs`: the one [`state::AppState`] every command receives.
//! - `commands/`: one file per area; each command calls the core once or twice.
//!   `commands/desk.rs` is the reception desk's (`REGISTRATURA_MODE=desk`).
//! - `error.rs`: the error a command returns to the UI as `{kind, message}`.
//! - `print_dialog.rs`: the OS print dialog printing the ticket's PDF.
//! - `login_callbacks.rs`: login redirects arriving by deep link, and the
//!   silent session restore at start.

mod commands;
mod error;
mod login_callbacks;
mod print_dialog;
mod settings;
mod state;

use std::process::ExitCode;

use settings::{AppMode, Settings};
use state::AppState;

/// Starts the app and returns when its last window closes.
pub fn run() -> ExitCode {
    init_logging();
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(problem) => {
            // Nothing is on screen yet, so the terminal is the only place to say it.
            eprintln!("registratura: {problem}");
            return ExitCode::from(2);
        }
    };

    let mut context = tauri::generate_context!();
    if let Some(profile) = &settings.profile {
        // A separate identifier gives a test run its own data directory, its
        // own single-instance name and its own keyring entries, so tests never
        // touch a person's real ones.
        context.config_mut().identifier = format!("{}.{profile}", context.config().identifier);
    }

    let keyring_service = context.config().identifier.clone();
    let app = tauri::Builder::default()
        // Single-instance comes first: when the OS hands a login callback to
        // a second launch, that launch must forward it here and quit before
        // anything else starts. Its deep-link feature does the forwarding.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            if let Some(window) = app_window(app) {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::auth::session_view,
            commands::auth::login_start,
            commands::auth::login_cancel,
            commands::auth::logout,
            commands::directory::cache_status,
            commands::directory::sync_schedule,
            commands::directory::organizations,
            commands::directory::clinics,
            commands::directory::services,
            commands::directory::doctors,
            commands::directory::month,
            commands::directory::day_slots,
            commands::directory::nearest_time,
            commands::directory::booking_again,
            commands::booking::consent,
            commands::booking::profile,
            commands::booking::save_phone,
            commands::booking::book,
            commands::tickets::appointments,
            commands::tickets::cancel_appointment,
            commands::tickets::move_appointment,
            commands::tickets::print_ticket,
            commands::tickets::print_page,
            commands::tickets::save_ticket_pdf,
            commands::tickets::save_calendar,
            commands::settings::preferences,
            commands::settings::preferences_set,
            commands::settings::ui_language,
            commands::desk::desk_view,
            commands::desk::desk_sign_in,
            commands::desk::desk_sign_out,
            commands::desk::desk_esia_start,
            commands::desk::desk_esia_cancel,
            commands::desk::desk_choose_clinic,
            commands::desk::desk_search,
            commands::desk::desk_patient,
            commands::desk::desk_register,
            commands::desk::desk_board,
            commands::desk::desk_month,
            commands::desk::desk_nearest,
            commands::desk::desk_book,
            commands::desk::desk_cancel,
            commands::desk::desk_move,
            commands::desk::desk_mark,
            commands::desk::desk_print_ticket,
            commands::desk::desk_print_day_list,
            commands::desk::desk_save_day_list,
            commands::kiosk::kiosk_view,
            commands::kiosk::kiosk_enroll,
            commands::kiosk::kiosk_check_policy,
            commands::kiosk::kiosk_identify,
            commands::kiosk::kiosk_forget,
            commands::kiosk::kiosk_services,
            commands::kiosk::kiosk_doctors,
            commands::kiosk::kiosk_dates,
            commands::kiosk::kiosk_slots,
            commands::kiosk::kiosk_book,
            commands::kiosk::kiosk_appointments,
            commands::kiosk::kiosk_cancel,
            commands::kiosk::kiosk_print_ticket,
            commands::kiosk::kiosk_check_in,
            commands::kiosk::kiosk_settings,
            commands::kiosk::kiosk_settings_set,
        ])
        .on_page_load(|webview, payload| {
            if matches!(payload.event(), tauri::webview::PageLoadEvent::Finished) {
                // The wall-clock instant lets scripts/bench/startup measure the
                // time from exec to a loaded page against a blank Tauri window.
                tracing::info!(at_unix_ms = unix_millis(), "page loaded");
                paint_on_the_cpu(webview);
            }
        })
        .setup(move |app| {
            let data_dir = tauri::Manager::path(app).app_data_dir()?;
            let config_dir = tauri::Manager::path(app).app_config_dir()?;
            let state = tauri::async_runtime::block_on(AppState::start(&settings, &data_dir, &config_dir, &keyring_service))?;
            tauri::Manager::manage(app, state);
            login_callbacks::listen(app);
            if settings.mode == AppMode::Patient {
                login_callbacks::restore_session(app.handle().clone());
            }
            open_main_window(app, settings.mode)?;
            Ok(())
        })
        .run(context);
    match app {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the app stopped with an error");
            ExitCode::FAILURE
        }
    }
}

/// Opens the one window on the page of the app's mode. The window is made
/// here rather than by tauri.conf.json so that a desk opens on its own page
/// and size, with the patient's page never loaded first.
fn open_main_window(app: &tauri::App, mode: AppMode) -> Result<(), Box<dyn std::error::Error>> {
    let mut config = app
        .config()
        .app
        .windows
        .iter()
        .find(|window| window.label == "main")
        .cloned()
        .ok_or("tauri.conf.json describes no main window")?;
    config.url = tauri::WebviewUrl::App(mode.page().into());
    config.label = mode.window_label().to_owned();
    // The page sets the window's title in the UI's language once it loads.
    if mode == AppMode::Desk {
        (config.width, config.height) = (1280.0, 800.0);
        (config.min_width, config.min_height) = (Some(1024.0), Some(700.0));
    }
    if mode == AppMode::Kiosk {
        // A lobby screen: the whole display, no frame to drag or close, and
        // nothing of the desktop behind it.
        config.fullscreen = true;
        config.decorations = false;
        config.resizable = false;
        config.zoom_hotkeys_enabled = false;
    }
    let window = tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?.build()?;
    if mode == AppMode::Kiosk {
        cover_the_screen(&window);
        // Whatever takes the window out of fullscreen (a window manager's
        // key, a display change), it goes straight back.
        let kept = window.clone();
        window.on_window_event(move |event| {
            if matches!(event, tauri::WindowEvent::Resized(_) | tauri::WindowEvent::Focused(_)) && !covers_the_screen(&kept) {
                cover_the_screen(&kept);
            }
        });
    }
    Ok(())
}

/// Puts a kiosk's window over its whole monitor: fullscreen where a window
/// manager honours it, and placed and sized to the monitor as well, since a
/// lobby terminal often runs the app alone on X without any window manager.
fn cover_the_screen(window: &tauri::WebviewWindow) {
    let _ = window.set_fullscreen(true);
    if let Ok(Some(monitor)) = window.current_monitor() {
        let _ = window.set_position(*monitor.position());
        let _ = window.set_size(*monitor.size());
    }
}

/// Whether a kiosk's window covers its monitor.
fn covers_the_screen(window: &tauri::WebviewWindow) -> bool {
    match (window.current_monitor(), window.outer_size(), window.outer_position()) {
        (Ok(Some(monitor)), Ok(size), Ok(position)) => size == *monitor.size() && position == *monitor.position(),
        _ => true,
    }
}

/// The app's one window, whatever the mode named it.
pub(crate) fn app_window<R: tauri::Runtime>(app: &impl tauri::Manager<R>) -> Option<tauri::WebviewWindow<R>> {
    app.webview_windows().into_values().next()
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("REGISTRATURA_LOG")
        .unwrap_or_else(|_| "info".into());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

fn unix_millis() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis())
        .unwrap_or_default()
}

/// Asks WebKitGTK to paint the page on the CPU from now on instead of
/// compositing its layers through OpenGL.
///
/// The wizard is static forms: compositing buys it nothing, and where the
/// GPU is missing or weak — reception PCs, kiosks, thin clients, virtual
/// machines — WebKit composites through software OpenGL and a step change
/// waited 40–400 ms for its frame; painted on the CPU, every step is on
/// screen within 50 ms (docs/performance.md, `scripts/bench/wizard`). It is
/// switched once the page has loaded because WebKit's CPU path often held
/// the first load back by half a second (`scripts/bench/startup`).
/// `WEBKIT_DISABLE_COMPOSITING_MODE=0` in the environment keeps the GPU path.
fn paint_on_the_cpu(webview: &tauri::Webview) {
    #[cfg(target_os = "linux")]
    {
        if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_some_and(|value| value == "0") {
            return;
        }
        let switched = webview.with_webview(|platform| {
            use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
            if let Some(settings) = WebViewExt::settings(&platform.inner()) {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        });
        if let Err(error) = switched {
            tracing::warn!(%error, "could not switch the page to painting on the CPU");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = webview;
}

