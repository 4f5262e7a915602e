//! The reception desk (`REGISTRATURA_MODE=desk`) in the real window, on a
//! portal of its own: a walk-in found by policy and booked into a reserved
//! time with the ticket printed silently, a new patient registered and
//! booked, a move, a check-in, and a registrar of another clinic refused.

use registratura_core::identity::PolicyNumber;
use registry_server::demo::{registrar_login, STAFF_PASSWORD};

use crate::driver::{keys, AppSession, Profile};
use crate::login::sign_in_at_esia;
use crate::portal::Portal;
use crate::tickets::{scan_qr, wait_for_print};

/// A desk app on a fresh portal; `printer` set as its silent printer.
async fn desk_on_portal(printer: Option<&str>) -> (Profile, Portal, AppSession) {
    let profile = Profile::new();
    let portal = Portal::start(&profile.home);
    let profile = Profile {
        portal_url: Some(portal.url.clone()),
        extra_env: vec![("REGISTRATURA_MODE".into(), "desk".into())],
        ..profile
    };
    let preferences = serde_json::json!({ "silent_printer": printer }).to_string();
    std::fs::create_dir_all(profile.config_dir()).expect("config dir");
    std::fs::write(profile.config_dir().join("preferences.json"), preferences).expect("preferences");
    let app = AppSession::launch_profile(&profile).await;
    app.wait_until("the desk's sign-in", "document.body.dataset.screen === 'sign-in'").await;
    (profile, portal, app)
}

/// Signs in as `login` by the keyboard; the workspace is ready when this returns.
pub(crate) async fn sign_in(app: &AppSession, login: &str) {
    assert!(app.focus_matches("[data-testid='desk-login']").await, "the login field has the focus on open");
    app.press(login).await;
    app.press(keys::TAB).await;
    app.press(STAFF_PASSWORD).await;
    app.press(keys::ENTER).await;
    app.wait_until("the workspace", "document.body.dataset.screen === 'work' && document.body.dataset.ready === 'true' && document.body.dataset.busy === 'false'")
        .await;
    assert!(app.focus_matches("[data-testid='desk-search']").await, "the search field has the focus in the workspace");
}

/// Demo patient `number`'s policy and surname, from the portal's database.
async fn demo_patient(portal: &Portal, number: i64) -> (String, String) {
    let mut db = portal.database().await;
    sqlx::query_as("SELECT policy, last_name FROM patient WHERE demo_number = ?").bind(number).fetch_one(&mut db).await.expect("demo patient")
}

/// The code of a service of `clinic_id` with a time kept for the desk ahead.
async fn service_with_reserved_time(portal: &Portal, clinic_id: i64) -> String {
    let mut db = portal.database().await;
    let now = chrono::Utc::now().timestamp();
    let (code,): (String,) = sqlx::query_as(
        "SELECT s.code FROM slot sl JOIN doctor d ON d.id = sl.doctor_id JOIN doctor_service ds ON ds.doctor_id = d.id \
         JOIN service s ON s.id = ds.service_id WHERE d.clinic_id = ? AND sl.status = 'unavailable' AND sl.starts_at > ? \
         ORDER BY sl.starts_at LIMIT 1",
    )
    .bind(clinic_id)
    .bind(now + 600)
    .fetch_one(&mut db)
    .await
    .expect("a reserved time ahead at the clinic");
    code
}

/// Waits for the status line to start with `prefix`; answers the whole line.
async fn wait_for_status(app: &AppSession, prefix: &str) -> String {
    app.wait_until(
        &format!("the status line says {prefix:?}"),
        &format!("(document.querySelector(\"[data-testid='desk-status']\").textContent || '').startsWith({prefix:?})"),
    )
    .await;
    app.text_of("desk-status").await
}

/// The ticket number in «Записан: талон № 1234567, …».
fn ticket_in(line: &str) -> String {
    line.split("№ ").nth(1).and_then(|rest| rest.split(',').next()).expect("a ticket number").trim().to_owned()
}

/// Books the open patient into the nearest time of `code` by the keyboard
/// (Shift+Enter: the nearest kept for the desk); answers the ticket.
async fn book_nearest(app: &AppSession, code: &str, reserved: bool) -> String {
    assert!(app.focus_matches("[data-testid='desk-service']").await, "the service field has the focus once a patient is open");
    app.press(code).await;
    if reserved {
        app.press(&format!("{}{}{}", keys::SHIFT, keys::ENTER, keys::RELEASE)).await;
    } else {
        app.press(keys::ENTER).await;
    }
    app.wait_until("the booking question", "document.activeElement && document.activeElement.dataset.testid === 'desk-consent'").await;
    app.press(keys::SPACE).await;
    app.press(keys::ENTER).await;
    ticket_in(&wait_for_status(app, "Записан: талон №").await)
}

#[tokio::test]
async fn a_walk_in_found_by_policy_is_booked_into_a_reserved_time_and_the_ticket_printed_silently() {
    let printer = std::env::var("REGISTRATURA_TEST_PRINTER").expect("the desktop session's printer");
    let prints = std::path::PathBuf::from(std::env::var("REGISTRATURA_TEST_PRINTS").expect("the printer's folder"));
    let (_profile, portal, app) = desk_on_portal(Some(&printer)).await;
    // A region's portal is no demo: the sign-in names no login.
    assert_eq!(app.attr_of("[data-testid='desk-demo']", "hidden").await, "true");
    let shortcuts = app.text_of("desk-keys").await;
    for key in ["F1", "F2", "F3", "F4", "F7", "F8", "F9", "Delete", "Ctrl+G", "Esc"] {
        assert!(shortcuts.contains(key), "the key {key} is listed on screen: {shortcuts}");
    }
    sign_in(&app, &registrar_login(1)).await;

    let (policy, last_name) = demo_patient(&portal, 3).await;
    app.press(&policy).await;
    app.press(keys::ENTER).await;
    // The card is drawn twice (the patient at once, then with the appointments): read it in the page.
    app.wait_until(
        "the patient's card",
        &format!("(document.querySelector(\"[data-testid='desk-patient-name']\")?.textContent || '').startsWith({last_name:?})"),
    )
    .await;

    let code = service_with_reserved_time(&portal, 1).await;
    let ticket = book_nearest(&app, &code, true).await;
    let booked = format!("[data-testid='desk-cell'][data-ticket='{ticket}']");
    app.wait_until("the board shows the booking", &format!("document.querySelector(\"{booked}\")?.dataset.state === 'busy'")).await;
    let mut db = portal.database().await;
    let (channel, taken_by): (String, Option<i64>) =
        sqlx::query_as("SELECT channel, consent_taken_by FROM appointment WHERE ticket = ?").bind(&ticket).fetch_one(&mut db).await.expect("the booking");
    assert_eq!(channel, "reception", "the channel comes from the staff sign-in");
    assert!(taken_by.is_some(), "the consent records who took it");
    let (kept,): (String,) = sqlx::query_as("SELECT sl.status FROM appointment a JOIN slot sl ON sl.id = a.slot_id WHERE a.ticket = ?")
        .bind(&ticket)
        .fetch_one(&mut db)
        .await
        .expect("its slot");
    assert_eq!(kept, "busy");

    // The ticket went to the desk printer without a dialog: its QR code is this ticket.
    let printed = wait_for_print(&prints, &ticket).await;
    assert_eq!(scan_qr(&printed), ticket);
    let said = wait_for_status(&app, "Записан").await;
    assert!(said.contains(&printer), "{said}");

    // Ctrl+P: the doctor's day list, on A4, to the same printer.
    let doctor = app.attr_of(&booked, "data-doctor-id").await;
    let date = app.client.execute("return document.body.dataset.boardDate", vec![]).await.expect("the board's day");
    app.press(&format!("{}p{}", keys::CONTROL, keys::RELEASE)).await;
    wait_for_status(&app, "Список врача на день напечатан").await;
    let list = wait_for_print(&prints, &format!("day-list-doctor-{doctor}-{}", date.as_str().expect("a date"))).await;
    let info = std::process::Command::new("pdfinfo").arg(&list).output().expect("pdfinfo");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("(A4)"), "{info}");
    app.close().await;
}

#[tokio::test]
async fn the_embedded_demo_names_a_registrar_to_sign_in_with() {
    let profile = Profile { extra_env: vec![("REGISTRATURA_MODE".into(), "desk".into())], ..Profile::new() };
    let app = AppSession::launch_profile(&profile).await;
    app.wait_until("the desk's sign-in", "document.body.dataset.screen === 'sign-in'").await;
    let demo = app.text_of("desk-demo").await;
    assert!(demo.contains(&registrar_login(1)) && demo.contains(STAFF_PASSWORD), "{demo}");
    let title = app.client.title().await.expect("title");
    assert_eq!(title, "Регистратура — рабочее место регистратора");
    sign_in(&app, &registrar_login(1)).await;
    app.wait_until("the day board", "document.querySelectorAll(\"[data-testid='desk-cell']\").length > 0").await;

    // Ctrl+G: the shared calendar on the board's day; → and Enter show the next day's board.
    let today = app.client.execute("return document.body.dataset.boardDate", vec![]).await.expect("the board's day");
    let today = chrono::NaiveDate::parse_from_str(today.as_str().expect("a date"), "%Y-%m-%d").expect("a date");
    app.press(&format!("{}g{}", keys::CONTROL, keys::RELEASE)).await;
    app.wait_until("the calendar on today", &format!("document.activeElement?.dataset.date === '{today}'")).await;
    app.press(keys::ARROW_RIGHT).await;
    app.press(keys::ENTER).await;
    let tomorrow = today.succ_opt().expect("a next day");
    app.wait_until("the next day's board", &format!("document.body.dataset.boardDate === '{tomorrow}' && document.querySelector(\"[data-testid='desk-calendar']\").hidden")).await;
    app.close().await;
}

#[tokio::test]
async fn a_registrar_signs_in_through_esia_and_a_patient_of_esia_is_refused() {
    let (profile, _portal, app) = desk_on_portal(None).await;
    app.click("desk-esia-button").await;
    app.wait_until("waiting for the browser", "!document.querySelector(\"[data-testid='desk-esia-waiting']\").hidden").await;
    let opened = profile.wait_for_opened_url(0);
    assert!(opened.contains("scope=desk"), "{opened}");
    let callback = sign_in_at_esia(&opened, "patient1@esia-sandbox.test", "esia-test-2026").await;
    assert!(profile.launch_with_url(&callback).success(), "the second instance hands the link over");
    app.wait_until("the refusal", "(document.querySelector(\"[data-testid='desk-error']\").textContent || '').startsWith('Вход через ЕСИА не выполнен')").await;
    assert_eq!(app.client.execute("return document.body.dataset.screen", vec![]).await.expect("screen"), serde_json::json!("sign-in"));

    app.click("desk-esia-button").await;
    let opened = profile.wait_for_opened_url(1);
    let callback = sign_in_at_esia(&opened, &format!("{}@esia-sandbox.test", registrar_login(1)), "esia-test-2026").await;
    assert!(profile.launch_with_url(&callback).success());
    app.wait_until("the workspace", "document.body.dataset.screen === 'work' && document.body.dataset.ready === 'true'").await;
    assert!(!app.text_of("desk-staff").await.is_empty(), "the staff member's name in the header");
    app.close().await;
}

#[tokio::test]
async fn a_new_patient_is_registered_with_every_field_checked_and_booked() {
    let (_profile, portal, app) = desk_on_portal(None).await;
    sign_in(&app, &registrar_login(1)).await;
    let policy = PolicyNumber::completing("400000000000777").expect("policy").digits().to_owned();
    app.press(&policy).await;
    app.press(keys::ENTER).await;
    wait_for_status(&app, "Пациент не найден").await;
    app.press(keys::F2).await;
    app.wait_until("the registration form", "document.querySelector(\"[data-testid='register-last_name']\") === document.activeElement").await;
    let prefilled = app.client.execute("return document.querySelector(\"[data-testid='register-policy']\").value", vec![]).await.expect("read");
    assert_eq!(prefilled, serde_json::json!(policy), "the typed policy is carried into the form");

    // A Latin «a» in the surname, a birth date ahead and a short phone: each is said at its field.
    app.type_into("register-last_name", "Сaфронова").await;
    app.type_into("register-first_name", "Нина").await;
    app.type_into("register-birth_date", "01.01.2999").await;
    app.click("register-sex-female").await;
    app.type_into("register-phone", "+7 910 55").await;
    app.click("register-submit").await;
    app.wait_until("the birth date problem", "(document.querySelector(\"[data-testid='register-birth_date-problem']\").textContent || '').length > 0").await;
    for field in ["last_name", "birth_date", "phone"] {
        let problem = app.text_of(&format!("register-{field}-problem")).await;
        assert!(!problem.is_empty(), "{field} says what is wrong");
    }
    assert!(app.text_of("register-last_name-problem").await.contains("раскладку"));
    let mut db = portal.database().await;
    let (saved,): (i64,) = sqlx::query_as("SELECT count(*) FROM patient WHERE policy = ?").bind(&policy).fetch_one(&mut db).await.expect("count");
    assert_eq!(saved, 0, "nothing was half-saved");

    for (field, value) in [("last_name", "Сафронова"), ("birth_date", "08.03.1950"), ("phone", "+7 910 555-12-34")] {
        let selector = format!("[data-testid='register-{field}']");
        app.client.execute("document.querySelector(arguments[0]).value = ''", vec![selector.clone().into()]).await.expect("clear");
        app.type_into(&format!("register-{field}"), value).await;
    }
    app.press(keys::ENTER).await;
    app.wait_until("the new patient's card", "(document.querySelector(\"[data-testid='desk-patient-name']\")?.textContent || '').startsWith('Сафронова')").await;
    let (saved,): (i64,) = sqlx::query_as("SELECT count(*) FROM patient WHERE policy = ? AND registered_by IS NOT NULL").bind(&policy).fetch_one(&mut db).await.expect("count");
    assert_eq!(saved, 1);

    let code = service_with_reserved_time(&portal, 1).await;
    let ticket = book_nearest(&app, &code, false).await;
    let (patient,): (String,) = sqlx::query_as("SELECT p.last_name FROM appointment a JOIN patient p ON p.id = a.patient_id WHERE a.ticket = ?")
        .bind(&ticket)
        .fetch_one(&mut db)
        .await
        .expect("the booking");
    assert_eq!(patient, "Сафронова");
    app.close().await;
}

#[tokio::test]
async fn an_appointment_is_moved_to_another_time_in_one_step() {
    let (_profile, portal, app) = desk_on_portal(None).await;
    sign_in(&app, &registrar_login(1)).await;
    let (policy, _) = demo_patient(&portal, 4).await;
    app.press(&policy).await;
    app.press(keys::ENTER).await;
    app.wait_until("the patient's card", "document.querySelector(\"[data-testid='desk-patient-name']\") !== null").await;
    let code = service_with_reserved_time(&portal, 1).await;
    let ticket = book_nearest(&app, &code, false).await;
    let mut db = portal.database().await;
    let (old_slot,): (i64,) = sqlx::query_as("SELECT slot_id FROM appointment WHERE ticket = ?").bind(&ticket).fetch_one(&mut db).await.expect("booking");

    // F7 on the chosen appointment, then another time still to come on the
    // board, which shows the service's doctors only.
    app.wait_until("the card lists it", &format!("document.querySelector(\"[data-testid='desk-appointment'][data-ticket='{ticket}'][aria-current='true']\") !== null")).await;
    app.press(keys::F7).await;
    wait_for_status(&app, &format!("Перенос талона № {ticket}")).await;
    let target = app
        .client
        .execute(
            "const open = [...document.querySelectorAll(\"[data-testid='desk-cell']\")]
               .filter((cell) => (cell.dataset.state === 'free' || cell.dataset.state === 'reserved') && cell.dataset.started === 'false');
             return open.length ? open[open.length - 1].dataset.slotId : null;",
            vec![],
        )
        .await
        .expect("find a free time");
    let new_slot = target.as_str().expect("another time on the board").to_owned();
    app.client
        .execute("document.querySelector(`[data-testid='desk-cell'][data-slot-id='${arguments[0]}']`).focus()", vec![new_slot.clone().into()])
        .await
        .expect("focus the new time");
    app.press(keys::ENTER).await;
    app.wait_until("the move question", "document.activeElement && document.activeElement.dataset.testid === 'desk-move-confirm'").await;
    app.press(keys::ENTER).await;
    wait_for_status(&app, &format!("Перенесено: талон № {ticket}")).await;

    let (slot_now, status): (i64, String) =
        sqlx::query_as("SELECT slot_id, status FROM appointment WHERE ticket = ?").bind(&ticket).fetch_one(&mut db).await.expect("moved");
    assert_eq!((slot_now.to_string(), status.as_str()), (new_slot.clone(), "booked"), "the same appointment, now at the new time");
    let (freed,): (String,) = sqlx::query_as("SELECT status FROM slot WHERE id = ?").bind(old_slot).fetch_one(&mut db).await.expect("old slot");
    assert!(freed == "free" || freed == "unavailable", "the old time is open again: {freed}");
    let (events,): (i64,) = sqlx::query_as("SELECT count(*) FROM appointment_event e JOIN appointment a ON a.id = e.appointment_id WHERE a.ticket = ? AND e.event = 'moved'")
        .bind(&ticket)
        .fetch_one(&mut db)
        .await
        .expect("history");
    assert_eq!(events, 1, "the appointment's history says it was moved");

    // Delete on it asks for the reason; Escape takes the question back, and
    // «2» chooses «врач не принимает».
    app.wait_until("the focus on the moved time", &format!("document.activeElement?.dataset.slotId === '{new_slot}'")).await;
    app.press(keys::DELETE).await;
    app.wait_until("the cancel question", "document.querySelector(\"[data-testid='cancel-dialog']\") !== null").await;
    app.press(keys::ESCAPE).await;
    app.wait_until("the question taken back", "document.querySelector(\"[data-testid='cancel-dialog']\") === null").await;
    app.press(keys::DELETE).await;
    app.wait_until("the cancel question", "document.querySelector(\"[data-testid='cancel-dialog']\") !== null").await;
    app.press("2").await;
    app.press(keys::ENTER).await;
    wait_for_status(&app, &format!("Запись отменена, талон № {ticket}")).await;
    let (status, reason): (String, Option<String>) =
        sqlx::query_as("SELECT status, cancel_reason FROM appointment WHERE ticket = ?").bind(&ticket).fetch_one(&mut db).await.expect("cancelled");
    assert_eq!((status.as_str(), reason.as_deref()), ("cancelled_by_clinic", Some("doctor_unavailable")));
    app.close().await;
}

#[tokio::test]
async fn a_patient_is_checked_in_and_the_mark_undone_the_same_day() {
    let (_profile, portal, app) = desk_on_portal(None).await;
    // A time later today at clinic 1, kept for the desk, whatever the hour the suite runs at.
    let mut db = portal.database().await;
    let (doctor,): (i64,) = sqlx::query_as(
        "SELECT d.id FROM doctor d WHERE d.clinic_id = 1 AND EXISTS (SELECT 1 FROM doctor_service ds WHERE ds.doctor_id = d.id) ORDER BY d.id LIMIT 1",
    )
    .fetch_one(&mut db)
    .await
    .expect("a doctor of clinic 1");
    // An odd second never meets a generated slot, which start on whole minutes.
    let starts = chrono::Utc::now().timestamp() + 61;
    let slot: i64 = sqlx::query_scalar(
        "INSERT INTO slot (doctor_id, starts_at, ends_at, status, version) \
         VALUES (?, ?, ?, 'unavailable', (SELECT COALESCE(MAX(version), 0) + 1 FROM slot)) RETURNING id",
    )
    .bind(doctor)
    .bind(starts)
    .bind(starts + 900)
    .fetch_one(&mut db)
    .await
    .expect("a time today");

    sign_in(&app, &registrar_login(1)).await;
    let (policy, _) = demo_patient(&portal, 5).await;
    app.press(&policy).await;
    app.press(keys::ENTER).await;
    app.wait_until("the patient's card", "document.querySelector(\"[data-testid='desk-patient-name']\") !== null").await;
    // Escape closes the list of services the card opened, which covers the board.
    app.press(keys::ESCAPE).await;
    app.client
        .execute("document.querySelector(`[data-testid='desk-cell'][data-slot-id='${arguments[0]}']`).focus()", vec![slot.into()])
        .await
        .expect("focus the time");
    app.press(keys::ENTER).await;
    app.wait_until("the booking question", "document.activeElement && document.activeElement.dataset.testid === 'desk-consent'").await;
    app.press(keys::SPACE).await;
    app.press(keys::ENTER).await;
    let ticket = ticket_in(&wait_for_status(&app, "Записан: талон №").await);

    app.press(keys::F8).await;
    wait_for_status(&app, "Отмечено: пациент пришёл").await;
    let cell = format!("[data-testid='desk-cell'][data-slot-id='{slot}']");
    app.wait_until("the board shows the arrival", &format!("document.querySelector(\"{cell}\")?.dataset.state === 'arrived'")).await;
    let (arrived,): (Option<i64>,) = sqlx::query_as("SELECT arrived_at FROM appointment WHERE ticket = ?").bind(&ticket).fetch_one(&mut db).await.expect("arrival");
    let arrived = arrived.expect("the arrival time is recorded");
    assert!((arrived - chrono::Utc::now().timestamp()).abs() < 120, "with the time it happened");

    app.press(&format!("{}{}{}", keys::SHIFT, keys::F8, keys::RELEASE)).await;
    wait_for_status(&app, "Отметка «Пришёл» снята").await;
    app.wait_until("the board shows it booked again", &format!("document.querySelector(\"{cell}\")?.dataset.state === 'busy'")).await;
    app.close().await;
}

#[tokio::test]
async fn a_registrar_of_another_clinic_sees_nothing_of_this_one_and_a_wrong_password_is_refused() {
    let (_profile, portal, app) = desk_on_portal(None).await;
    // A wrong password: a clear refusal, the password field ready again.
    app.press(&registrar_login(2)).await;
    app.press(keys::TAB).await;
    app.press("wrong-password").await;
    app.press(keys::ENTER).await;
    app.wait_until("the refusal", "(document.querySelector(\"[data-testid='desk-error']\").textContent || '').startsWith('Неверный логин или пароль')").await;
    assert!(app.focus_matches("[data-testid='desk-password']").await);
    app.client.execute("document.querySelector(\"[data-testid='desk-login']\").focus()", vec![]).await.expect("focus");
    app.client.execute("document.querySelector(\"[data-testid='desk-login']\").value = ''", vec![]).await.expect("clear");
    sign_in(&app, &registrar_login(2)).await;

    // Clinic 1's booking of a patient is not on clinic 2's card or board.
    let (policy, _) = demo_patient(&portal, 6).await;
    let mut db = portal.database().await;
    let (slot, appointment) = book_at_clinic_one(&portal, &mut db, 6).await;
    app.press(&policy).await;
    app.press(keys::ENTER).await;
    app.wait_until("the patient's card", "document.querySelector(\"[data-testid='desk-no-appointments'], [data-testid='desk-appointment']\") !== null").await;
    assert!(app.client.find(fantoccini::Locator::Css("[data-testid='desk-appointment']")).await.is_err(), "clinic 1's appointment is not listed");
    assert!(app.client.find(fantoccini::Locator::Css(&format!("[data-slot-id='{slot}']"))).await.is_err());

    // Acting on it anyway (a stale id) is «not found» for this clinic's registrar.
    let answer = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI__.core.invoke('desk_mark', { appointmentId: arguments[0], mark: 'check_in' })
               .then(() => done('marked'), (error) => done(error.kind));",
            vec![appointment.into()],
        )
        .await
        .expect("invoke");
    assert_eq!(answer, serde_json::json!("not_found"));
    let (arrived,): (Option<i64>,) = sqlx::query_as("SELECT arrived_at FROM appointment WHERE id = ?").bind(appointment).fetch_one(&mut db).await.expect("read");
    assert_eq!(arrived, None, "nothing changed");
    app.close().await;
}

/// Books demo patient `number` at clinic 1 through the desk API as clinic
/// 1's registrar: `(slot, appointment)`.
async fn book_at_clinic_one(portal: &Portal, db: &mut sqlx::SqliteConnection, number: i64) -> (i64, i64) {
    let (patient,): (i64,) = sqlx::query_as("SELECT id FROM patient WHERE demo_number = ?").bind(number).fetch_one(&mut *db).await.expect("patient");
    let now = chrono::Utc::now().timestamp();
    let (slot, service): (i64, i64) = sqlx::query_as(
        "SELECT sl.id, ds.service_id FROM slot sl JOIN doctor d ON d.id = sl.doctor_id JOIN doctor_service ds ON ds.doctor_id = d.id \
         WHERE d.clinic_id = 1 AND sl.status = 'free' AND sl.starts_at > ? ORDER BY sl.starts_at LIMIT 1",
    )
    .bind(now + 3600)
    .fetch_one(&mut *db)
    .await
    .expect("a free time");
    let http = reqwest::Client::new();
    let token: serde_json::Value = http
        .post(format!("{}/oauth/token", portal.url))
        .form(&[("grant_type", "password"), ("client_id", "registratura-desktop"), ("scope", "desk"), ("username", &registrar_login(1)), ("password", STAFF_PASSWORD)])
        .send()
        .await
        .expect("sign in")
        .json()
        .await
        .expect("token");
    let consent: serde_json::Value = http.get(format!("{}/api/v1/consent", portal.url)).send().await.expect("consent").json().await.expect("json");
    let booked: serde_json::Value = http
        .post(format!("{}/api/v1/desk/appointments", portal.url))
        .bearer_auth(token["access_token"].as_str().expect("token"))
        .header("Idempotency-Key", format!("e2e-{patient}-{slot}"))
        .json(&serde_json::json!({"patient_id": patient, "slot_id": slot, "service_id": service, "consent_version": consent["version"], "phone": null}))
        .send()
        .await
        .expect("book")
        .json()
        .await
        .expect("json");
    (slot, booked["id"].as_i64().unwrap_or_else(|| panic!("booked: {booked}")))
}
