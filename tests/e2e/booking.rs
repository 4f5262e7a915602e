//! Portal steps 5–13 through the real window: organisation → clinic →
//! service → doctor → date → time → consent → phone → confirm → booked,
//! against a standalone registry server the test can also reach.

use fantoccini::Locator;
use serde_json::Value;

use crate::driver::{keys, AppSession};
use crate::login::{complete_login, sign_in};
use crate::portal::{app_on_portal, Portal};

/// Picks the first choice of each list step, from organisation to doctor.
pub(crate) async fn choose_doctor(app: &AppSession) {
    for step in ["organization", "clinic", "service"] {
        app.wait_for_step(step).await;
        app.screenshot(step).await;
        app.click_css("[data-testid='choice']").await;
    }
    app.wait_for_step("doctor").await;
    app.screenshot("doctor").await;
    // A doctor with a free slot ahead, as a patient would pick.
    app.wait_until("a doctor with a nearest free date", "document.querySelector(\"[data-testid='choice']\")").await;
    app.click_css("[data-testid='choice']").await;
}

/// Picks the first available day and the first free slot on it; returns
/// the slot's id.
async fn choose_time(app: &AppSession) -> i64 {
    app.wait_for_step("date").await;
    app.screenshot("date").await;
    app.click_css("[data-testid='day'][data-status='available']").await;
    first_free_slot(app).await
}

/// Picks the day of the month shown with the most free places (each day
/// says «N мест»), so that another free slot is left whatever the hour, and
/// its first free slot; returns the slot's id.
async fn choose_time_on_a_whole_day(app: &AppSession) -> i64 {
    app.wait_for_step("date").await;
    let days = app.client.find_all(Locator::Css("[data-testid='day'][data-status='available']")).await.expect("days");
    let mut best = (0, 0);
    let mut seen = Vec::new();
    for (index, day) in days.iter().enumerate() {
        // «27, 5 мест, 27 ноября»: the free places are the second part.
        let label = day.attr("aria-label").await.ok().flatten().unwrap_or_default();
        let places: u32 = label
            .split(", ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|number| number.parse().ok())
            .unwrap_or(0);
        seen.push(label);
        if places > best.1 {
            best = (index, places);
        }
    }
    assert!(best.1 >= 2, "a day with two free places in the month shown: {seen:?}");
    days[best.0].click().await.expect("click the day");
    first_free_slot(app).await
}

async fn first_free_slot(app: &AppSession) -> i64 {
    app.wait_for_step("time").await;
    app.screenshot("time").await;
    let slot = "[data-testid='slot'][data-status='free']";
    let id = app.attr_of(slot, "data-slot-id").await.parse().expect("a slot id");
    app.click_css(slot).await;
    id
}

async fn appointments(portal: &Portal, token: &str) -> Vec<Value> {
    let response = reqwest::Client::new()
        .get(format!("{}/api/v1/appointments", portal.url))
        .bearer_auth(token)
        .send()
        .await
        .expect("the portal answers");
    response.json::<Vec<Value>>().await.expect("appointments")
}

/// The server's record of the appointment whose ticket the success screen
/// shows (patient 1 books in these journeys), and that ticket.
async fn shown_ticket_on_the_server(app: &AppSession, portal: &Portal) -> (String, Value) {
    let ticket = app.text_of("ticket-number").await;
    let mine = appointments(portal, &portal.token(1)).await;
    let booked = mine.into_iter().find(|a| a["ticket"] == ticket.as_str()).expect("the server has the ticket");
    (ticket, booked)
}

pub async fn book_elsewhere(portal: &Portal, patient: u32, slot_id: i64, service_id: i64) {
    let consent: Value = reqwest::get(format!("{}/api/v1/consent", portal.url)).await.expect("consent").json().await.expect("json");
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/appointments", portal.url))
        .bearer_auth(portal.token(patient))
        .header("Idempotency-Key", format!("elsewhere-{slot_id}"))
        .json(&serde_json::json!({
            "slot_id": slot_id, "service_id": service_id, "consent_version": consent["version"], "phone": null
        }))
        .send()
        .await
        .expect("the portal answers");
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap_or_default());
}

/// From the start screen to the confirm step, signed in already: the first
/// doctor, a free slot (on the roomiest day with `roomy_day`), consent, no
/// phone. Answers the slot's id.
async fn walk_to_confirm(app: &AppSession, roomy_day: bool) -> i64 {
    app.click("book-button").await;
    choose_doctor(app).await;
    let slot_id = if roomy_day { choose_time_on_a_whole_day(app).await } else { choose_time(app).await };
    app.wait_for_step("consent").await;
    app.click("consent-agree").await;
    app.wait_for_step("phone").await;
    app.click("phone-decline").await;
    app.wait_for_step("confirm").await;
    slot_id
}

/// Books the first free slot of the first doctor, signed in already, and
/// declining the phone; answers the slot's id and the ticket number.
pub async fn book_through_the_wizard(app: &AppSession) -> (i64, String) {
    let slot_id = walk_to_confirm(app, false).await;
    app.click("confirm-book").await;
    app.wait_for_step("booked").await;
    (slot_id, app.text_of("ticket-number").await)
}

#[tokio::test]
async fn a_full_booking_from_the_start_screen_to_the_ticket() {
    let (profile, portal, app) = app_on_portal(None).await;

    // Browsing needs no sign-in; the first opening fills the cache.
    app.click("book-button").await;
    choose_doctor(&app).await;
    let slot_id = choose_time(&app).await;

    // Booking does: sign in from the wizard and carry on where we were.
    app.wait_for_step("login").await;
    app.click("wizard-login").await;
    complete_login(&app, &profile, 0).await;
    app.wait_for_step("consent").await;
    app.screenshot("consent").await;
    assert!(app.text_of("consent-text").await.contains("персональных данных"));
    app.click("consent-agree").await;

    app.wait_for_step("phone").await;
    app.screenshot("phone").await;
    app.type_into("phone-input", "9105550147").await;
    app.click("phone-confirm").await;

    app.wait_for_step("confirm").await;
    app.screenshot("confirm").await;
    let details = app.text_of("confirm-details").await;
    assert!(details.contains("+7 910 555-01-47"), "{details}");
    app.click("confirm-book").await;

    app.wait_for_step("booked").await;
    app.screenshot("booked").await;
    assert_eq!(app.text_of("booked-heading").await, "Вы успешно записались на приём!");
    // The server holds the same ticket for the same slot, with the phone.
    let (ticket, booked) = shown_ticket_on_the_server(&app, &portal).await;
    assert!(ticket.len() == 7 && ticket.bytes().all(|b| b.is_ascii_digit()), "{ticket}");
    assert!(app.text_of("countdown").await.contains("секунд"));
    assert_eq!(booked["slot_id"], slot_id);
    assert_eq!(booked["phone"], "+79105550147");
    assert_eq!(booked["status"], "booked");

    app.click("to-start").await;
    app.wait_for_text("start-heading", "Запись на приём к врачу").await;
    app.close().await;
}

#[tokio::test]
async fn a_slot_taken_at_the_last_moment_keeps_every_other_choice() {
    // A reception desk's short countdown, set in the preferences file.
    let (profile, portal, app) = app_on_portal(Some(r#"{"exit_countdown_seconds": 5}"#)).await;
    sign_in(&app, &profile).await;
    let slot_id = walk_to_confirm(&app, true).await;

    // Someone else books the very slot while the patient reads the summary.
    let service_id = service_of_slot(&portal, slot_id).await;
    book_elsewhere(&portal, 2, slot_id, service_id).await;
    app.click("confirm-book").await;

    app.wait_for_step("time").await;
    let error = app.text_of("wizard-error").await;
    assert!(error.starts_with("Это время уже заняли"), "{error}");
    let taken = format!("[data-testid='slot'][data-slot-id='{slot_id}']");
    assert_eq!(app.attr_of(&taken, "data-status").await, "busy", "the refreshed day shows it taken");
    // The organisation, doctor and the rest are still chosen.
    assert!(app.text_of("wizard-summary").await.contains("Врач"));

    let other = "[data-testid='slot'][data-status='free']";
    let other_id: i64 = app.attr_of(other, "data-slot-id").await.parse().expect("id");
    assert_ne!(other_id, slot_id);
    app.click_css(other).await;
    app.wait_for_step("confirm").await;
    app.click("confirm-book").await;
    app.wait_for_step("booked").await;
    let (_, booked) = shown_ticket_on_the_server(&app, &portal).await;
    assert_eq!(booked["slot_id"], other_id);

    // At zero the success screen returns to the start by itself.
    assert!(app.text_of("countdown").await.contains("секунд"));
    app.wait_until("the countdown returns to the start", "!document.getElementById('start-panel').hidden").await;

    // Another time of the same doctor and service: the one appointment a
    // service allows is in the way, and the patient is told to move it.
    walk_to_confirm(&app, false).await;
    app.click("confirm-book").await;
    let ticket = booked["ticket"].as_str().expect("ticket").to_owned();
    app.wait_until("the refusal", "document.querySelector(\"[data-testid='wizard-error']\")?.textContent.includes('талон')").await;
    assert_eq!(
        app.text_of("wizard-error").await,
        format!("У вас уже есть запись на эту услугу в этой поликлинике: талон {ticket}. Чтобы прийти в другой день, перенесите её в разделе «Записи на приём».")
    );
    app.close().await;
}

/// A service the slot's doctor offers, read from the public sync feed.
pub async fn service_of_slot(portal: &Portal, slot_id: i64) -> i64 {
    let snapshot: Value =
        reqwest::get(format!("{}/api/v1/sync/snapshot", portal.url)).await.expect("snapshot").json().await.expect("json");
    let columns = &snapshot["slots"];
    let (mut id, mut doctor) = (0, 0);
    for (index, delta) in columns["id_deltas"].as_array().expect("ids").iter().enumerate() {
        id += delta.as_i64().expect("int");
        if id == slot_id {
            doctor = columns["doctor_ids"][index].as_i64().expect("int");
            break;
        }
    }
    let doctors = snapshot["doctors"].as_array().expect("doctors");
    let entry = doctors.iter().find(|d| d["id"] == doctor).expect("the slot's doctor");
    entry["service_ids"][0].as_i64().expect("a service")
}

#[tokio::test]
async fn the_cached_schedule_can_be_browsed_offline_and_booking_waits_for_the_network() {
    let (profile, mut portal, app) = app_on_portal(None).await;
    app.click("book-button").await;
    app.wait_for_step("organization").await;
    app.close().await;

    portal.stop();
    let app = AppSession::launch_profile(&profile).await;
    app.wait_until_ready().await;
    app.click("book-button").await;
    app.wait_for_step("organization").await;
    app.wait_until("the offline note", "!document.querySelector(\"[data-testid='data-as-of']\").hidden").await;
    let note = app.text_of("data-as-of").await;
    assert!(note.contains("данные на"), "{note}");

    choose_doctor(&app).await;
    app.wait_for_step("date").await;
    app.click_css("[data-testid='day'][data-status='available']").await;
    app.wait_for_step("time").await;
    let offline = app.text_of("offline-note").await;
    assert!(offline.contains("связ"), "{offline}");
    // A free slot is shown but cannot be booked without the network.
    app.click_css("[data-testid='slot'][data-status='free']").await;
    assert_eq!(
        app.client.execute("return document.body.dataset.step;", vec![]).await.expect("step"),
        Value::from("time")
    );

    // The network returns: the note goes away by itself.
    portal.resume();
    app.wait_until("the offline note clears", "document.querySelector(\"[data-testid='data-as-of']\").hidden").await;
    app.close().await;
}

/// Presses → inside a grid until the focus is on an element matching
/// `selector`, at most `limit` times.
async fn arrow_to(app: &AppSession, selector: &str, limit: usize) {
    for _ in 0..limit {
        if app.focus_matches(selector).await {
            return;
        }
        app.press(keys::ARROW_RIGHT).await;
    }
}

#[tokio::test]
async fn a_booking_with_the_keyboard_alone() {
    let (profile, portal, app) = app_on_portal(None).await;
    sign_in(&app, &profile).await;

    app.tab_to("[data-testid='book-button']", 20).await;
    app.press(keys::ENTER).await;
    for step in ["organization", "clinic", "service", "doctor"] {
        app.wait_for_step(step).await;
        app.tab_to("[data-testid='choice']", 20).await;
        app.press(keys::ENTER).await;
    }

    // The calendar and the slot grid are one Tab stop each; arrows move
    // inside them to the first day and time that can be chosen.
    app.wait_for_step("date").await;
    app.tab_to("[data-testid='day']", 30).await;
    arrow_to(&app, "[data-testid='day'][data-status='available']", 62).await;
    app.press(keys::ENTER).await;
    app.wait_for_step("time").await;
    app.tab_to("[data-testid='slot']", 30).await;
    arrow_to(&app, "[data-testid='slot'][data-status='free']", 60).await;
    app.press(keys::ENTER).await;

    app.wait_for_step("consent").await;
    app.tab_to("[data-testid='consent-agree']", 20).await;
    app.press(keys::ENTER).await;
    app.wait_for_step("phone").await;
    app.tab_to("[data-testid='phone-decline']", 20).await;
    app.press(keys::ENTER).await;
    app.wait_for_step("confirm").await;
    app.tab_to("[data-testid='confirm-book']", 30).await;
    app.press(keys::ENTER).await;
    app.wait_for_step("booked").await;
    // The keyboard booking reached the server.
    shown_ticket_on_the_server(&app, &portal).await;
    app.close().await;
}

#[tokio::test]
async fn a_session_that_ends_mid_way_signs_in_again_and_resumes_at_the_same_step() {
    let (profile, portal, app) = app_on_portal(None).await;
    sign_in(&app, &profile).await;
    let slot_id = walk_to_confirm(&app, false).await;

    // The session ends elsewhere (signed out on another device, or revoked
    // by the portal): the refresh token in the keyring is revoked, which
    // takes the access token with it.
    let lookup = std::process::Command::new("secret-tool")
        .args(["lookup", "service", &profile.identifier()])
        .output()
        .expect("secret-tool");
    let refresh = String::from_utf8_lossy(&lookup.stdout).trim().to_owned();
    assert!(!refresh.is_empty(), "the refresh token is in the keyring");
    let revoked = reqwest::Client::new()
        .post(format!("{}/oauth/revoke", portal.url))
        .form(&[("token", refresh.as_str()), ("client_id", "registratura-desktop")])
        .send()
        .await
        .expect("revoke");
    assert!(revoked.status().is_success());

    app.click("confirm-book").await;
    app.wait_for_step("login").await;
    assert_eq!(app.text_of("wizard-error").await, "Сеанс завершён. Войдите через ЕСИА ещё раз.");
    // The header stops showing the patient as signed in at the same moment.
    app.wait_until(
        "the header shows nobody signed in",
        "document.getElementById('signed-in').hidden && !document.getElementById('account-button').hidden \
         && document.body.dataset.session === 'signed-out'",
    )
    .await;
    app.click("wizard-login").await;
    complete_login(&app, &profile, 1).await;
    // Back at the confirm step with every answer kept.
    app.wait_for_step("confirm").await;
    app.click("confirm-book").await;
    app.wait_for_step("booked").await;
    let (_, booked) = shown_ticket_on_the_server(&app, &portal).await;
    assert_eq!(booked["slot_id"], slot_id);
    app.close().await;
}

// The server stops accepting the access token while the session itself is
// good (it ran out by the server's clock first): the app renews it and books
// without asking the patient to sign in again.
#[tokio::test]
async fn an_access_token_the_server_refuses_is_renewed_without_asking_the_patient() {
    let (profile, portal, app) = app_on_portal(None).await;
    sign_in(&app, &profile).await;
    let slot_id = walk_to_confirm(&app, false).await;
    assert!(portal.forget_access_tokens().await > 0, "the app's access token was on the server");

    app.click("confirm-book").await;
    app.wait_for_step("booked").await;
    let (_, booked) = shown_ticket_on_the_server(&app, &portal).await;
    assert_eq!(booked["slot_id"], slot_id);
    assert_eq!(app.attr_of("body", "data-session").await, "signed-in");
    app.close().await;
}

#[tokio::test]
async fn the_embedded_demo_region_can_be_browsed_down_to_a_day_out_of_the_box() {
    // No portal configured: what `scripts/run` opens on a fresh machine.
    let app = AppSession::launch().await;
    app.wait_until_ready().await;
    // Every line the first sync's progress bar shows, painted or not.
    app.client
        .execute(
            "window.syncLines = []; new MutationObserver(() => { \
               const line = document.querySelector(\"[data-testid='sync-text']\"); \
               const bar = document.querySelector(\"[data-testid='sync-progress']\"); \
               if (line && bar) window.syncLines.push([line.textContent, bar.value, bar.max]); \
             }).observe(document.body, { subtree: true, childList: true, characterData: true });",
            vec![],
        )
        .await
        .expect("watch the progress bar");
    app.click("book-button").await;
    app.wait_for_step("organization").await;

    // The bar said how far the first sync was, as a share and in rows.
    let lines = app.client.execute("return window.syncLines;", vec![]).await.expect("progress lines");
    let lines: Vec<(String, f64, f64)> = serde_json::from_value(lines).expect("lines");
    let counted: Vec<&(String, f64, f64)> = lines.iter().filter(|(text, _, _)| text.contains(" из ")).collect();
    assert!(!counted.is_empty(), "the bar never counted rows: {lines:?}");
    let (last, value, max) = counted.last().expect("a counted line");
    assert!(last.starts_with("Загружаем расписание: 100\u{a0}% ("), "{last}");
    assert!(*max > 0.0 && value == max, "{value} of {max}");
    assert!(counted.iter().all(|(text, _, _)| text.ends_with(&format!("из {})", group_digits(*max as u64)))), "{counted:?}");

    choose_doctor(&app).await;
    app.wait_for_step("date").await;
    app.click_css("[data-testid='day'][data-status='available']").await;
    app.wait_for_step("time").await;
    assert!(app.text_of_css("[data-testid='slot'][data-status='free']").await.contains("свободно"));
    app.close().await;
}

/// `n` with thin groups of three digits, as the page writes counts.
fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(digit);
    }
    out
}


/// Whether the page fits its window's width: nothing sticks out to the
/// right, so nobody has to scroll sideways to read a step.
/// Zooms the page to 200 % as a patient does, Ctrl and = five times
/// (100 % + 5 × 20 %); answers the window's width in CSS pixels before.
async fn zoom_to_200_percent(app: &AppSession) -> f64 {
    let width = app.client.execute("return window.innerWidth;", vec![]).await.expect("width").as_f64().unwrap_or_default();
    for _ in 0..5 {
        app.press(&format!("{}=", keys::CONTROL)).await;
    }
    app.wait_until("the page zoomed to 200 %", &format!("Math.abs(window.innerWidth - {width} / 2) <= 2")).await;
    width
}

/// Clicks `selector` from the page itself: WebKitWebDriver's clicks miss
/// their buttons once the page is zoomed.
async fn press_in_page(app: &AppSession, selector: &str) {
    app.client
        .execute(&format!("document.querySelector(\"{selector}\").click();"), vec![])
        .await
        .unwrap_or_else(|error| panic!("press {selector}: {error}"));
}

/// A script that answers "fits" when nothing in the panel `#id` reaches
/// past the window's width and the page does not scroll sideways, else the
/// first elements that stick out.
fn fits_the_width(id: &str) -> String {
    FITS_THE_WIDTH.replace("#wizard-panel", &format!("#{id}"))
}

const FITS_THE_WIDTH: &str = "(() => { \
    const width = document.documentElement.clientWidth; \
    const sticking = [...document.querySelectorAll('#wizard-panel *')] \
      .filter((el) => el.getClientRects().length > 0 && el.getBoundingClientRect().right > width + 1) \
      .map((el) => el.tagName + '.' + el.className); \
    return document.documentElement.scrollWidth <= width + 1 && sticking.length === 0 ? 'fits' : JSON.stringify(sticking.slice(0, 5)); \
  })()";

#[tokio::test]
async fn every_step_reads_at_200_percent_zoom_without_scrolling_sideways() {
    let app = AppSession::launch().await;
    app.wait_until_ready().await;
    let normal = zoom_to_200_percent(&app).await;
    let press = |selector: &'static str| press_in_page(&app, selector);
    press("[data-testid='book-button']").await;
    let mut fits = Vec::new();
    for step in ["organization", "clinic", "service", "doctor"] {
        app.wait_for_step(step).await;
        if step == "doctor" {
            app.wait_until("a doctor with a nearest free date", "document.querySelector(\"[data-testid='choice']\")").await;
            // «Ближайшее время»'s offer is on screen too.
            press("[data-testid='nearest-region']").await;
            app.wait_until("the nearest time", "document.querySelector(\"[data-testid='nearest-take']\") && document.body.dataset.busy === 'false'").await;
        }
        fits.push((step, app.client.execute(&format!("return {FITS_THE_WIDTH};"), vec![]).await.expect("measure")));
        app.screenshot(&format!("zoom-200-{step}")).await;
        press("[data-testid='choice']").await;
    }
    app.wait_for_step("date").await;
    fits.push(("date", app.client.execute(&format!("return {FITS_THE_WIDTH};"), vec![]).await.expect("measure")));
    app.screenshot("zoom-200-date").await;
    press("[data-testid='day'][data-status='available']").await;
    app.wait_for_step("time").await;
    fits.push(("time", app.client.execute(&format!("return {FITS_THE_WIDTH};"), vec![]).await.expect("measure")));
    app.screenshot("zoom-200-time").await;
    for (step, answer) in &fits {
        assert_eq!(answer, "fits", "the {step} step sticks out at 200 %");
    }

    // Ctrl and 0 brings the usual size back.
    app.press(&format!("{}0", keys::CONTROL)).await;
    app.wait_until("the page back at 100 %", &format!("window.innerWidth === {normal}")).await;
    app.close().await;
}

/// «Записи на приём» with its cancel question, and the settings, at 200 %
/// as the wizard's steps above.
#[tokio::test]
async fn the_appointments_and_the_settings_read_at_200_percent_zoom_without_scrolling_sideways() {
    let (profile, _portal, app) = app_on_portal(None).await;
    sign_in(&app, &profile).await;
    book_through_the_wizard(&app).await;
    app.click("to-start").await;
    app.wait_until_ready().await;
    zoom_to_200_percent(&app).await;
    let press = |selector: &'static str| press_in_page(&app, selector);
    let measure = |panel: &'static str| {
        let client = app.client.clone();
        async move { client.execute(&format!("return {};", fits_the_width(panel)), vec![]).await.expect("measure") }
    };
    let mut fits = Vec::new();
    press("[data-testid='appointments-button']").await;
    app.wait_until("the appointments", "document.querySelector(\"[data-testid='cancel-appointment']\") && document.body.dataset.busy === 'false'").await;
    fits.push(("appointments", measure("appointments-panel").await));
    app.screenshot("zoom-200-appointments").await;
    press("[data-testid='cancel-appointment']").await;
    app.wait_until("the cancel question", "document.querySelector('.cancel-confirm')").await;
    fits.push(("cancel question", measure("appointments-panel").await));
    press("[data-testid='appointments-back']").await;
    press("[data-testid='settings-button']").await;
    app.wait_until("the settings", "document.querySelector(\"[data-testid='settings-form']\") && document.body.dataset.busy === 'false'").await;
    fits.push(("settings", measure("settings-panel").await));
    app.screenshot("zoom-200-settings").await;
    for (screen, answer) in &fits {
        assert_eq!(answer, "fits", "{screen} sticks out at 200 %");
    }
    app.close().await;
}
