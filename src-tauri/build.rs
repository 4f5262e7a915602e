//! Compiles the Tauri context: the config at the top level, the capabilities
//! in `src-tauri/capabilities/`, and the permission set of our own commands.

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=ui");
    // Listing the commands here makes Tauri generate one `allow-…` permission
    // per command, so a capability must name every command the UI may call.
    let manifest = tauri_build::AppManifest::new().commands(&[
        "app_info",
        "session_view",
        "login_start",
        "login_cancel",
        "logout",
        "cache_status",
        "sync_schedule",
        "organizations",
        "clinics",
        "services",
        "doctors",
        "month",
        "day_slots",
        "nearest_time",
        "booking_again",
        "consent",
        "profile",
        "save_phone",
        "book",
        "appointments",
        "cancel_appointment",
        "move_appointment",
        "print_ticket",
        "print_page",
        "save_ticket_pdf",
        "save_calendar",
        "preferences",
        "preferences_set",
        "ui_language",
        "desk_view",
        "desk_sign_in",
        "desk_sign_out",
        "desk_esia_start",
        "desk_esia_cancel",
        "desk_choose_clinic",
        "desk_search",
        "desk_patient",
        "desk_register",
        "desk_board",
        "desk_month",
        "desk_nearest",
        "desk_book",
        "desk_cancel",
        "desk_move",
        "desk_mark",
        "desk_print_ticket",
        "desk_print_day_list",
        "desk_save_day_list",
        "kiosk_view",
        "kiosk_enroll",
        "kiosk_check_policy",
        "kiosk_identify",
        "kiosk_forget",
        "kiosk_services",
        "kiosk_doctors",
        "kiosk_dates",
        "kiosk_slots",
        "kiosk_book",
        "kiosk_appointments",
        "kiosk_cancel",
        "kiosk_print_ticket",
        "kiosk_check_in",
        "kiosk_settings",
        "kiosk_settings_set",
    ]);
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}
