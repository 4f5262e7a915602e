//! WCAG 2.2 AA in the real window, checked by an implementation we did not
//! write: axe-core (npm, installed by scripts/setup) runs inside the webview
//! on every screen a patient, a registrar and a kiosk visitor meet, with
//! every WCAG 2.0–2.2 A/AA rule and axe's best practices, and the
//! label-in-name rule (2.5.3) switched on too, which axe leaves off by
//! default as experimental. No rule is switched off.

use std::path::PathBuf;

use serde_json::{json, Value};

use crate::booking::choose_doctor;
use crate::driver::{keys, AppSession, Profile};
use crate::kiosk::{identify_by_touch, tap_digits};
use crate::login::complete_login;

/// axe-core's script as scripts/setup installs it, or `REGISTRATURA_AXE`.
fn axe_source() -> String {
    let path = std::env::var_os("REGISTRATURA_AXE").map(PathBuf::from).unwrap_or_else(|| {
        let data = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".local/share"));
        data.join("registratura/axe-core/node_modules/axe-core/axe.min.js")
    });
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}; run scripts/setup", path.display()))
}

/// Runs axe on the page as it is and answers each violation as
/// "rule (impact): target, …". axe is loaded into the page first when this
/// page has not got it (a reload forgets it).
async fn audit(app: &AppSession, axe: &str) -> Vec<String> {
    let loaded = app.client.execute("return Boolean(window.axe);", vec![]).await.expect("ask for axe");
    if loaded != json!(true) {
        // The script runs as WebDriver's, outside the page's content
        // security policy, and leaves `window.axe` behind.
        app.client.execute(&format!("{axe}\nreturn true;"), vec![]).await.expect("load axe");
    }
    let answer = app
        .client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            axe.run(document, {
              runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"] },
              rules: { "label-content-name-mismatch": { enabled: true } },
              resultTypes: ["violations"],
            }).then(
              (results) => done(results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")} ${n.html.slice(0, 240)}`).join(", ")}`)),
              (error) => done([`axe failed: ${error}`]),
            );"#,
            vec![],
        )
        .await
        .expect("run axe");
    serde_json::from_value(answer).unwrap_or_else(|error| vec![format!("axe answered something else: {error}")])
}

/// Audits the screen now shown, under `name`, into `found`.
async fn check(app: &AppSession, axe: &str, name: &str, found: &mut Vec<String>) {
    // Animations finish before axe measures contrast.
    app.wait_until("the screen is settled", "document.body.dataset.busy !== 'true'").await;
    for violation in audit(app, axe).await {
        found.push(format!("{name}: {violation}"));
    }
}

#[tokio::test]
async fn every_screen_of_a_booking_passes_an_accessibility_audit() {
    assert_eq!(audit_a_booking(Profile::new()).await, Vec::<String>::new(), "accessibility violations");
}

// The same screens in English: other words, other lengths, another `lang`.
#[tokio::test]
async fn every_screen_of_a_booking_in_english_passes_an_accessibility_audit() {
    let profile = Profile { extra_env: vec![("LANGUAGE".into(), "en_GB:en".into())], ..Profile::new() };
    assert_eq!(audit_a_booking(profile).await, Vec::<String>::new(), "accessibility violations");
}

/// A booking from the start screen to the ticket, then «Записи на приём»
/// with its cancel dialog and the settings, each screen audited.
async fn audit_a_booking(profile: Profile) -> Vec<String> {
    let axe = axe_source();
    let app = AppSession::launch_profile(&profile).await;
    app.wait_until_ready().await;
    let mut found = Vec::new();
    check(&app, &axe, "start", &mut found).await;

    app.click("book-button").await;
    for step in ["organization", "clinic", "service", "doctor"] {
        app.wait_for_step(step).await;
        if step == "doctor" {
            app.wait_until("a doctor with a nearest free date", "document.querySelector(\"[data-testid='choice']\")").await;
            check(&app, &axe, step, &mut found).await;
            // With «Ближайшее время»'s offer on screen as well.
            app.click("nearest-region").await;
            app.wait_until("the nearest time", "document.querySelector(\"[data-testid='nearest-take']\") && document.body.dataset.busy === 'false'").await;
        }
        let name = if step == "doctor" { "doctor with the nearest time" } else { step };
        check(&app, &axe, name, &mut found).await;
        app.click_css("[data-testid='choice']").await;
    }
    app.wait_for_step("date").await;
    check(&app, &axe, "date", &mut found).await;
    app.click_css("[data-testid='day'][data-status='available']").await;
    app.wait_for_step("time").await;
    check(&app, &axe, "time", &mut found).await;
    app.click_css("[data-testid='slot'][data-status='free']").await;
    app.wait_for_step("login").await;
    check(&app, &axe, "login", &mut found).await;
    app.click("wizard-login").await;
    complete_login(&app, &profile, 0).await;
    for (step, next) in [("consent", "consent-agree"), ("phone", "phone-decline"), ("confirm", "confirm-book")] {
        app.wait_for_step(step).await;
        check(&app, &axe, step, &mut found).await;
        app.click(next).await;
    }
    app.wait_for_step("booked").await;
    check(&app, &axe, "booked", &mut found).await;
    app.click("to-start").await;

    app.wait_until_ready().await;
    app.click("appointments-button").await;
    app.wait_until("the appointments", "document.querySelector(\"[data-testid='cancel-appointment']\") && document.body.dataset.busy === 'false'").await;
    check(&app, &axe, "appointments", &mut found).await;
    app.click_css("[data-testid='cancel-appointment']").await;
    app.wait_until("the cancel dialog", "document.querySelector('.cancel-confirm')").await;
    check(&app, &axe, "cancel dialog", &mut found).await;
    // Cancelled, it is a past appointment with «Записаться снова».
    app.click("cancel-confirm").await;
    app.wait_until("the cancelled appointment", "document.querySelector(\"[data-testid='book-again']\") && document.body.dataset.busy === 'false'").await;
    check(&app, &axe, "appointments with a past one", &mut found).await;
    app.click("appointments-back").await;

    app.click("settings-button").await;
    app.wait_until("the settings", "document.querySelector(\"[data-testid='settings-form']\") && document.body.dataset.busy === 'false'").await;
    check(&app, &axe, "settings", &mut found).await;
    app.close().await;
    found
}

#[tokio::test]
async fn the_desk_and_the_kiosk_pass_an_accessibility_audit() {
    assert_eq!(audit_desk_and_kiosk(&[]).await, Vec::<String>::new(), "accessibility violations");
}

// The desk and the kiosk in English: other words, other lengths, another `lang`.
#[tokio::test]
async fn the_desk_and_the_kiosk_in_english_pass_an_accessibility_audit() {
    let english = [("LANGUAGE", "en_GB:en")];
    assert_eq!(audit_desk_and_kiosk(&english).await, Vec::<String>::new(), "accessibility violations");
}

/// The desk from its sign-in to the calendar, and the kiosk from its start
/// through a booking, «Мои записи», the arrival, the menu and its settings,
/// each screen audited; `env` is added to both apps' environment.
async fn audit_desk_and_kiosk(env: &[(&str, &str)]) -> Vec<String> {
    let axe = axe_source();
    let mut found = Vec::new();
    let with_mode = |mode: &str| {
        let mut extra_env: Vec<(String, String)> = env.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect();
        extra_env.push(("REGISTRATURA_MODE".into(), mode.into()));
        Profile { extra_env, ..Profile::new() }
    };

    let desk = with_mode("desk");
    let app = AppSession::launch_profile(&desk).await;
    app.wait_until("the desk's sign-in", "document.body.dataset.screen === 'sign-in'").await;
    check(&app, &axe, "desk sign-in", &mut found).await;
    crate::desk::sign_in(&app, &registry_server::demo::registrar_login(1)).await;
    check(&app, &axe, "desk workspace", &mut found).await;
    // A patient of the demo region (the README's), found by policy: the card.
    app.type_into("desk-search", "4052222972303191").await;
    app.press(keys::ENTER).await;
    app.wait_until("the patient's card", "document.querySelector(\"[data-testid='desk-patient-name']\") !== null && document.body.dataset.busy === 'false'").await;
    check(&app, &axe, "desk patient card", &mut found).await;
    // The service field has the focus: its list, then the question before booking the nearest time.
    app.press("B01").await;
    app.wait_until("the service list", "document.querySelector(\"[data-testid='desk-service-option']\") !== null && document.body.dataset.busy === 'false'").await;
    check(&app, &axe, "desk service list", &mut found).await;
    app.press(keys::ENTER).await;
    app.wait_until("the booking question", "document.activeElement && document.activeElement.dataset.testid === 'desk-consent'").await;
    check(&app, &axe, "desk booking question", &mut found).await;
    app.press(keys::ESCAPE).await;
    app.wait_until("the question taken back", "document.activeElement?.dataset.testid !== 'desk-consent'").await;
    // Ctrl+G: the month calendar.
    app.press(&format!("{}g{}", keys::CONTROL, keys::RELEASE)).await;
    app.wait_until("the calendar", "!document.querySelector(\"[data-testid='desk-calendar']\").hidden && document.body.dataset.busy === 'false'").await;
    check(&app, &axe, "desk month calendar", &mut found).await;
    app.press(keys::ESCAPE).await;
    app.press(keys::F2).await;
    app.wait_until("the registration form", "document.querySelector(\"[data-testid='register-last_name']\") !== null").await;
    check(&app, &axe, "desk registration form", &mut found).await;
    app.close().await;

    let kiosk = with_mode("kiosk");
    let app = AppSession::launch_profile(&kiosk).await;
    app.wait_until("the kiosk's start", "document.body.dataset.screen === 'start'").await;
    check(&app, &axe, "kiosk start", &mut found).await;
    app.click("kiosk-start-book").await;
    app.wait_until("the policy pad", "document.body.dataset.screen === 'policy'").await;
    check(&app, &axe, "kiosk policy pad", &mut found).await;
    // The README's demo patient, by touch, through to the check before booking.
    tap_digits(&app, "4024077693436703").await;
    app.wait_until("the birth-date pad", "document.body.dataset.screen === 'birth-date'").await;
    check(&app, &axe, "kiosk birth-date pad", &mut found).await;
    tap_digits(&app, "02111948").await;
    for (screen, next) in [
        ("service", "[data-testid='kiosk-service']"),
        ("doctor", "[data-testid='kiosk-doctor']:not([data-nearest=''])"),
        ("day", "[data-testid='kiosk-day']"),
        ("time", "[data-testid='slot'][data-status='free']"),
    ] {
        app.wait_until(&format!("the kiosk's {screen} screen"), &format!("document.body.dataset.screen === '{screen}' && document.body.dataset.busy === 'false'")).await;
        check(&app, &axe, &format!("kiosk {screen}"), &mut found).await;
        app.click_css(next).await;
    }
    app.wait_until("the kiosk's check", "document.body.dataset.screen === 'confirm' && document.body.dataset.busy === 'false'").await;
    check(&app, &axe, "kiosk confirm", &mut found).await;
    app.click("kiosk-confirm").await;
    let screen = |name: &str| format!("document.body.dataset.screen === '{name}' && document.body.dataset.busy === 'false'");
    app.wait_until("the kiosk's ticket", &screen("booked")).await;
    check(&app, &axe, "kiosk booked", &mut found).await;
    app.click("kiosk-done").await;
    app.wait_until("the kiosk's start", &screen("start")).await;

    // «Мои записи» with the appointment just booked, and its cancel question.
    app.click("kiosk-start-mine").await;
    identify_by_touch(&app, "4024077693436703", "1948-11-02").await;
    app.wait_until("«Мои записи»", &screen("mine")).await;
    check(&app, &axe, "kiosk mine", &mut found).await;
    app.click_css("[data-testid='kiosk-cancel']").await;
    app.wait_until("the cancel question", &screen("cancel")).await;
    check(&app, &axe, "kiosk cancel question", &mut found).await;
    app.click("kiosk-cancel-no").await;
    app.wait_until("«Мои записи» again", &screen("mine")).await;
    app.click("kiosk-finish").await;
    app.wait_until("the kiosk's start", &screen("start")).await;

    // «Я пришёл»: the arrival screen (nothing due now is a screen too).
    app.click("kiosk-start-arrived").await;
    identify_by_touch(&app, "4024077693436703", "1948-11-02").await;
    app.wait_until("the arrival screen", &screen("arrival")).await;
    check(&app, &axe, "kiosk arrival", &mut found).await;
    app.click("kiosk-finish").await;
    app.wait_until("the kiosk's start", &screen("start")).await;

    // A policy scanned on the start screen (digits and Enter, as a scanner types) leads to the menu.
    app.press("4024077693436703").await;
    app.press(keys::ENTER).await;
    app.wait_until("the birth-date pad", &screen("birth-date")).await;
    tap_digits(&app, "02111948").await;
    app.wait_until("the menu", &screen("menu")).await;
    check(&app, &axe, "kiosk menu", &mut found).await;
    app.click("kiosk-finish").await;
    app.wait_until("the kiosk's start", &screen("start")).await;

    // The administrator's PIN pad and the settings behind it.
    app.click("kiosk-settings").await;
    app.wait_until("the PIN pad", &screen("pin")).await;
    check(&app, &axe, "kiosk admin PIN", &mut found).await;
    tap_digits(&app, registry_server::embedded::DEMO_KIOSK_PIN).await;
    app.wait_until("the kiosk's settings", &screen("settings")).await;
    check(&app, &axe, "kiosk settings", &mut found).await;
    app.close().await;
    found
}

/// The buttons a screen reader finds in the window, through AT-SPI:
/// `[{name, role, states}]` (tests/e2e/atspi-buttons).
fn atspi_buttons() -> Vec<Value> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/atspi-buttons");
    let output = std::process::Command::new("/usr/bin/python3").arg(&script).arg("registratura").output().expect("run atspi-buttons");
    assert!(output.status.success(), "atspi-buttons: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("atspi-buttons answers JSON")
}

/// Each of the page's `selector` buttons, as (its accessible name in the
/// DOM, its visible text, whether it can be chosen).
async fn page_buttons(app: &AppSession, selector: &str) -> Vec<(String, String, bool)> {
    let answer = app
        .client
        .execute(
            &format!(
                "return [...document.querySelectorAll(\"{selector}\")].map((b) => [b.getAttribute('aria-label'), b.innerText.replace(/\\s+/g, ' ').trim(), b.getAttribute('aria-disabled') !== 'true']);"
            ),
            vec![],
        )
        .await
        .expect("the page's buttons");
    serde_json::from_value(answer).expect("triples")
}

/// Every button of the page is read out by its label, with its visible
/// text in it, as enabled exactly when it can be chosen.
fn assert_read_out(step: &str, page: &[(String, String, bool)], read: &[Value]) {
    assert!(!page.is_empty(), "the {step} step has no buttons");
    for (label, visible, usable) in page {
        let found = read.iter().filter(|node| node["name"] == json!(label)).collect::<Vec<_>>();
        assert!(!found.is_empty(), "{step}: AT-SPI has no button named {label:?}; it has {read:?}");
        for word in visible.split(' ').filter(|word| word.chars().any(char::is_alphanumeric)) {
            assert!(label.contains(word.trim_matches(|c: char| !c.is_alphanumeric())), "{step}: the name {label:?} lacks the visible {word:?}");
        }
        let enabled = found.iter().any(|node| node["states"].as_array().is_some_and(|states| states.contains(&json!("enabled"))));
        assert_eq!(enabled, *usable, "{step}: {label:?} is read as {}", if enabled { "enabled" } else { "disabled" });
    }
}

#[tokio::test]
async fn the_date_and_time_steps_read_correctly_through_at_spi() {
    let app = AppSession::launch().await;
    app.wait_until_ready().await;
    app.click("book-button").await;
    choose_doctor(&app).await;
    app.wait_for_step("date").await;
    let days = page_buttons(&app, "[data-testid='day']").await;
    assert!(days.iter().any(|(_, _, usable)| *usable) && days.iter().any(|(_, _, usable)| !usable), "a month with days of both kinds: {days:?}");
    assert_read_out("date", &days, &atspi_buttons());

    app.click_css("[data-testid='day'][data-status='available']").await;
    app.wait_for_step("time").await;
    let slots = page_buttons(&app, "[data-testid='slot']").await;
    assert_read_out("time", &slots, &atspi_buttons());
    app.close().await;
}
