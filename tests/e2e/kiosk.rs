//! The lobby kiosk (`REGISTRATURA_MODE=kiosk`) in the real window, by the
//! pointer alone once it is set up: a patient identified on the digit pads
//! books, the ticket prints silently with their initials and a QR code of its
//! number, and the kiosk left alone returns to the start with nothing of
//! them left; another checks in for today and gets the slip with the room
//! and the place in the queue.

use std::process::Command;

use crate::driver::{AppSession, Profile};
use crate::portal::Portal;
use crate::tickets::{scan_qr, wait_for_print};

/// A kiosk registered on a portal of its own with `registry-server kiosk
/// register`, its credential entered once by the admin; on its start screen.
async fn kiosk_on_portal() -> (Profile, Portal, AppSession) {
    let printer = std::env::var("REGISTRATURA_TEST_PRINTER").expect("the desktop session's printer");
    let profile = Profile::new();
    let portal = Portal::start(&profile.home);
    let output = Command::new(crate::portal::server_binary())
        .args(["kiosk", "register", "--clinic", "1", "--name", "Холл, 1 этаж", "--pin", "2468"])
        .arg("--database-url")
        .arg(portal.database_url())
        .output()
        .expect("registry-server kiosk register");
    assert!(output.status.success(), "kiosk register: {}", String::from_utf8_lossy(&output.stderr));
    let printed = String::from_utf8_lossy(&output.stdout);
    let credential = printed.lines().last().and_then(|line| line.split_whitespace().last()).expect("the credential, last word of the last line").to_owned();

    let profile = Profile {
        portal_url: Some(portal.url.clone()),
        extra_env: vec![("REGISTRATURA_MODE".into(), "kiosk".into())],
        ..profile
    };
    let preferences = serde_json::json!({ "silent_printer": printer, "terminal_step_seconds": 30 }).to_string();
    std::fs::create_dir_all(profile.config_dir()).expect("config dir");
    std::fs::write(profile.config_dir().join("preferences.json"), preferences).expect("preferences");
    let app = AppSession::launch_profile(&profile).await;
    // A region's kiosk starts unregistered: its admin enters the credential once.
    app.wait_until("the enrolment screen", "document.body.dataset.screen === 'enroll'").await;
    app.type_into("kiosk-credential", &credential).await;
    app.click("kiosk-enroll").await;
    app.wait_until("the start screen", "document.body.dataset.screen === 'start'").await;
    (profile, portal, app)
}

/// Demo patient `number`'s policy, birth date (YYYY-MM-DD) and surname.
async fn demo_patient(portal: &Portal, number: i64) -> (String, String, String) {
    let mut db = portal.database().await;
    sqlx::query_as("SELECT policy, birth_date, last_name FROM patient WHERE demo_number = ?").bind(number).fetch_one(&mut db).await.expect("demo patient")
}

/// Taps `digits` on the on-screen pad, then «Далее».
pub(crate) async fn tap_digits(app: &AppSession, digits: &str) {
    for digit in digits.chars() {
        app.click(&format!("pad-{digit}")).await;
    }
    app.click("pad-next").await;
}

/// Taps the policy and the birth date in; the kiosk has identified the patient when this returns.
pub(crate) async fn identify_by_touch(app: &AppSession, policy: &str, birth_date: &str) {
    app.wait_until("the policy pad", "document.body.dataset.screen === 'policy'").await;
    tap_digits(app, policy).await;
    app.wait_until("the birth-date pad", "document.body.dataset.screen === 'birth-date'").await;
    app.screenshot("kiosk-birth-date").await;
    let (year, rest) = birth_date.split_at(4);
    let (month, day) = (&rest[1..3], &rest[4..6]);
    tap_digits(app, &format!("{day}{month}{year}")).await;
}

/// Waits for `screen` with nothing loading.
async fn wait_for_screen(app: &AppSession, screen: &str) {
    app.wait_until(&format!("the {screen} screen"), &format!("document.body.dataset.screen === '{screen}' && document.body.dataset.busy === 'false'")).await;
}

#[tokio::test]
async fn a_patient_identified_by_touch_books_gets_the_ticket_printed_and_is_forgotten_when_the_kiosk_is_left_alone() {
    let prints = std::path::PathBuf::from(std::env::var("REGISTRATURA_TEST_PRINTS").expect("the printer's folder"));
    let (_profile, portal, app) = kiosk_on_portal().await;
    let start_text = app.text_of("kiosk-screen").await;
    assert!(start_text.contains("Записаться"), "{start_text}");

    let (policy, birth_date, last_name) = demo_patient(&portal, 3).await;
    app.click("kiosk-start-book").await;
    identify_by_touch(&app, &policy, &birth_date).await;
    wait_for_screen(&app, "service").await;
    let initials = app.text_of("kiosk-patient").await;
    assert!(initials.starts_with("Пациент:") && !initials.contains(&last_name), "the screen shows the initials only: {initials}");

    // The first service with a doctor who has a free day: search it on the
    // on-screen keyboard by its first letter, as a patient would.
    app.screenshot("kiosk-services").await;
    app.click("kiosk-search").await;
    let first_letter = app
        .client
        .execute("return document.querySelector(\"[data-testid='kiosk-service'] .choice__title\").textContent.trim()[0].toUpperCase();", vec![])
        .await
        .expect("a service")
        .as_str()
        .expect("text")
        .to_owned();
    app.click(&format!("key-{first_letter}")).await;
    app.wait_until("the list narrowed by the keyboard", "document.querySelector(\"[data-testid='keyboard-typed']\").textContent.length === 1 && document.body.dataset.busy === 'false'").await;
    app.click("kiosk-service").await;
    wait_for_screen(&app, "doctor").await;
    app.click_css("[data-testid='kiosk-doctor']:not([data-nearest=''])").await;
    wait_for_screen(&app, "day").await;
    app.click("kiosk-day").await;
    wait_for_screen(&app, "time").await;
    app.click_css("[data-testid='slot'][data-status='free']").await;
    wait_for_screen(&app, "confirm").await;
    app.screenshot("kiosk-confirm").await;
    app.click("kiosk-confirm").await;
    wait_for_screen(&app, "booked").await;
    app.screenshot("kiosk-booked").await;
    let ticket_line = app.text_of("kiosk-ticket").await;
    let ticket = ticket_line.split_whitespace().last().expect("the ticket number").to_owned();

    let mut db = portal.database().await;
    let (channel,): (String,) = sqlx::query_as("SELECT channel FROM appointment WHERE ticket = ?").bind(ticket.parse::<i64>().expect("digits")).fetch_one(&mut db).await.expect("the booking");
    assert_eq!(channel, "kiosk", "the channel comes from the kiosk's credential");

    // Printed silently on the kiosk's printer: the QR code is the ticket's
    // number. (What the ticket says, the initials only among it, is the
    // core's `kiosk::ticket_layout`, tested there: the PDF's subset font
    // carries no text layer to read back here.)
    let pdf = wait_for_print(&prints, &ticket).await;
    assert_eq!(scan_qr(&pdf), ticket);

    // Left alone, the kiosk warns in the last 15 seconds, then returns to
    // the start and forgets the patient.
    app.wait_until_within("the idle warning", "!document.getElementById('kiosk-idle').hidden", std::time::Duration::from_secs(40)).await;
    let warning = app.text_of("kiosk-idle-text").await;
    assert!(warning.contains("секунд"), "{warning}");
    app.wait_until_within("the start again", "document.body.dataset.screen === 'start'", std::time::Duration::from_secs(30)).await;
    let page: String = app.client.execute("return document.body.innerText;", vec![]).await.expect("page text").as_str().unwrap_or_default().to_owned();
    for secret in [ticket.as_str(), last_name.as_str(), initials.trim_start_matches("Пациент:").trim()] {
        assert!(!page.contains(secret), "nothing of the patient is left on the page: {secret:?} in {page:?}");
    }
    let html: String = app.client.execute("return document.documentElement.outerHTML;", vec![]).await.expect("page").as_str().unwrap_or_default().to_owned();
    assert!(!html.contains(&ticket), "nor in the DOM");
    let (open,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM kiosk_visit").fetch_one(&mut db).await.expect("visits");
    assert_eq!(open, 0, "the visit was ended at the server too");
    app.close().await;
}

#[tokio::test]
async fn a_patient_checks_in_for_today_and_gets_a_slip_with_the_room_and_the_place_in_the_queue() {
    let prints = std::path::PathBuf::from(std::env::var("REGISTRATURA_TEST_PRINTS").expect("the printer's folder"));
    let (_profile, portal, app) = kiosk_on_portal().await;
    let (policy, birth_date, _) = demo_patient(&portal, 2).await;

    // Demo patient 2 has an appointment today at the kiosk's clinic: a free
    // time of one of its doctors is moved to later today and booked online.
    let mut db = portal.database().await;
    let now = chrono::Utc::now().timestamp();
    let zone = registratura_core::region::KALUGA.time_zone;
    let today = registratura_core::calendar::clinic_date(chrono::Utc::now(), zone);
    let (_, day_end) = registratura_core::calendar::clinic_day_bounds(today, zone);
    let starts = now + ((day_end - now) / 2).min(3600);
    let (slot_id, service_id, room): (i64, i64, String) = sqlx::query_as(
        "SELECT sl.id, ds.service_id, d.room FROM slot sl JOIN doctor d ON d.id = sl.doctor_id JOIN doctor_service ds ON ds.doctor_id = d.id \
         WHERE d.clinic_id = 1 AND sl.status = 'free' AND sl.starts_at > ? ORDER BY sl.starts_at LIMIT 1",
    )
    .bind(now + 86_400)
    .fetch_one(&mut db)
    .await
    .expect("a free slot at clinic 1");
    sqlx::query("UPDATE slot SET starts_at = ?, ends_at = ? WHERE id = ?").bind(starts).bind(starts + 900).bind(slot_id).execute(&mut db).await.expect("move the slot");
    let consent: serde_json::Value = reqwest::get(format!("{}/api/v1/consent", portal.url)).await.expect("consent").json().await.expect("json");
    let booked: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/api/v1/appointments", portal.url))
        .bearer_auth(portal.token(2))
        .header("Idempotency-Key", "e2e-today")
        .json(&serde_json::json!({"slot_id": slot_id, "service_id": service_id, "consent_version": consent["version"], "phone": null}))
        .send()
        .await
        .expect("book")
        .json()
        .await
        .expect("json");
    let ticket = booked["ticket"].as_str().unwrap_or_else(|| panic!("booked: {booked}")).to_owned();

    // A number that is no policy is refused on the spot, before any date is asked for.
    app.click("kiosk-start-arrived").await;
    app.wait_until("the policy pad", "document.body.dataset.screen === 'policy'").await;
    tap_digits(&app, "1234567890123456").await;
    app.wait_for_text("kiosk-error", "Это не номер полиса ОМС. Проверьте цифры или приложите полис штрихкодом к сканеру ещё раз.").await;
    app.click("pad-clear").await;
    identify_by_touch(&app, &policy, &birth_date).await;
    wait_for_screen(&app, "arrival").await;
    app.click_css(&format!("[data-testid='kiosk-appointment'][data-ticket='{ticket}'] [data-testid='kiosk-check-in']")).await;
    wait_for_screen(&app, "arrived").await;
    app.screenshot("kiosk-arrived").await;
    let lead = app.text_of("kiosk-lead").await;
    assert!(lead.contains(&room) && lead.contains("Вы первый в очереди"), "{lead}");

    // The slip printed silently, its QR code the ticket's number; its rows
    // (room, place) are the core's `kiosk::check_in_slip`, tested there.
    let slip = wait_for_print(&prints, &format!("prihod-{ticket}")).await;
    assert_eq!(scan_qr(&slip), ticket);
    let (arrived,): (Option<i64>,) = sqlx::query_as("SELECT arrived_at FROM appointment WHERE ticket = ?").bind(ticket.parse::<i64>().expect("digits")).fetch_one(&mut db).await.expect("arrival");
    assert!(arrived.is_some(), "the arrival is marked at the server");

    // «Мои записи» from the menu: the appointment, which the patient cancels.
    app.click("kiosk-another").await;
    wait_for_screen(&app, "menu").await;
    app.click("kiosk-menu-mine").await;
    wait_for_screen(&app, "mine").await;
    let card = format!("[data-testid='kiosk-appointment'][data-ticket='{ticket}']");
    app.click_css(&format!("{card} [data-testid='kiosk-cancel']")).await;
    wait_for_screen(&app, "cancel").await;
    app.click("kiosk-cancel-yes").await;
    app.wait_for_text("kiosk-status", "Запись отменена. Время освободилось для других.").await;
    let (status,): (String,) = sqlx::query_as("SELECT status FROM appointment WHERE ticket = ?").bind(ticket.parse::<i64>().expect("digits")).fetch_one(&mut db).await.expect("status");
    assert_eq!(status, "cancelled_by_patient");

    // «Завершить» forgets the patient at once.
    app.click("kiosk-finish").await;
    wait_for_screen(&app, "start").await;
    assert_eq!(app.text_of_css("#kiosk-patient").await, "");
    app.close().await;
}

#[tokio::test]
async fn on_the_embedded_demo_a_kiosk_registers_itself_and_opens_its_settings_only_with_the_admin_pin() {
    let profile = Profile { extra_env: vec![("REGISTRATURA_MODE".into(), "kiosk".into())], ..Profile::new() };
    let app = AppSession::launch_profile(&profile).await;
    wait_for_screen(&app, "start").await;
    let demo = app.text_of("kiosk-demo").await;
    assert!(demo.contains(registry_server::embedded::DEMO_KIOSK_PIN), "the demo names its PIN: {demo}");
    // The window fills the screen.
    let filled = app.client.execute("return [window.innerWidth, window.innerHeight, screen.width, screen.height];", vec![]).await.expect("sizes");
    eprintln!("kiosk window and screen: {filled}");
    assert_eq!(filled[0], filled[2], "the kiosk's window is as wide as the screen: {filled}");
    assert_eq!(filled[1], filled[3], "and as high: {filled}");
    // Made smaller (as a window manager's key would), it covers the screen again.
    let _ = app.client.set_window_size(800, 600).await;
    app.wait_until("the window covers the screen again", "window.innerWidth === screen.width && window.innerHeight === screen.height").await;

    app.click("kiosk-settings").await;
    wait_for_screen(&app, "pin").await;
    tap_digits(&app, "1111").await;
    app.wait_for_text("kiosk-error", "Неверный PIN администратора.").await;
    assert_eq!(app.client.execute("return document.body.dataset.screen;", vec![]).await.expect("screen"), "pin", "no settings without the PIN");
    tap_digits(&app, registry_server::embedded::DEMO_KIOSK_PIN).await;
    wait_for_screen(&app, "settings").await;
    let step = app.attr_of("[data-testid='kiosk-step']", "value").await;
    assert_eq!(step, "60", "a step waits 60 seconds by default");
    app.click("kiosk-back").await;
    wait_for_screen(&app, "start").await;
    app.close().await;
}
