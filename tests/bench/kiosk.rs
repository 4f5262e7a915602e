//! The lobby kiosk's speed in the real window, on a region's schedule: a
//! returning patient scans their policy, taps the birth date on the pad and
//! books by touch, the ticket printed silently. Run by scripts/bench/kiosk
//! inside the private desktop session, against a release registry server
//! holding the `region` dataset with a kiosk registered at clinic 1.

#![allow(clippy::print_stdout)]

#[allow(dead_code)]
#[path = "../e2e/driver.rs"]
mod driver;

use std::time::{Duration, Instant};

use driver::{keys, AppSession, Profile};
use serde_json::Value;

/// What a tap costs a person, on top of what the kiosk takes: reading the
/// screen and reaching for the button.
const SECONDS_PER_TAP: f64 = 1.5;

#[tokio::main]
async fn main() {
    let url = std::env::var("REGISTRATURA_BENCH_PORTAL_URL").expect("REGISTRATURA_BENCH_PORTAL_URL: run scripts/bench/kiosk");
    let database = std::env::var("REGISTRATURA_BENCH_DATABASE").expect("REGISTRATURA_BENCH_DATABASE");
    let credential = std::env::var("REGISTRATURA_BENCH_KIOSK").expect("REGISTRATURA_BENCH_KIOSK: the kiosk's credential");
    let printer = std::env::var("REGISTRATURA_TEST_PRINTER").expect("the desktop session's printer");
    let rounds: usize = std::env::var("REGISTRATURA_BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(8);

    let mut db = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!("sqlite:{database}")).await.expect("the region's database");
    // Returning patients with nothing booked, so no rule refuses them.
    let patients: Vec<(String, String)> = sqlx::query_as(
        "SELECT policy, birth_date FROM patient p WHERE NOT EXISTS (SELECT 1 FROM appointment a WHERE a.patient_id = p.id) ORDER BY id LIMIT ?",
    )
    .bind(i64::try_from(rounds + 1).unwrap_or(9))
    .fetch_all(&mut db)
    .await
    .expect("patients");
    assert!(patients.len() > rounds, "the region has {} patients with nothing booked; ask for fewer rounds", patients.len());
    let api_baseline = api_booking(&url, &credential, &patients[rounds]).await;

    let profile = Profile { portal_url: Some(url.clone()), extra_env: vec![("REGISTRATURA_MODE".into(), "kiosk".into())], ..Profile::new() };
    std::fs::create_dir_all(profile.config_dir()).expect("config dir");
    std::fs::write(profile.config_dir().join("preferences.json"), serde_json::json!({ "silent_printer": printer }).to_string()).expect("preferences");
    let app = AppSession::launch_profile(&profile).await;
    app.wait_until("the enrolment", "document.body.dataset.screen === 'enroll'").await;
    app.type_into("kiosk-credential", &credential).await;
    app.click("kiosk-enroll").await;
    let started = Instant::now();
    app.wait_until_within("the region's schedule cached", "document.body.dataset.synced === 'true'", Duration::from_secs(300)).await;
    println!("kiosk: the region's schedule cached in {:.1} s", started.elapsed().as_secs_f64());

    let mut visits: Vec<(usize, f64)> = Vec::new();
    for (policy, birth_date) in patients.iter().take(rounds) {
        app.wait_until("the start", "document.body.dataset.screen === 'start' && document.body.dataset.busy === 'false'").await;
        let mut taps = 0;
        let started = Instant::now();
        tap(&app, "kiosk-start-book", &mut taps).await;
        // The scanner types the policy's digits and Enter: no tap.
        app.wait_until("the policy pad", "document.body.dataset.screen === 'policy'").await;
        app.press(&format!("{policy}{}", keys::ENTER)).await;
        app.wait_until("the birth-date pad", "document.body.dataset.screen === 'birth-date'").await;
        let (year, rest) = birth_date.split_at(4);
        for digit in format!("{}{}{year}", &rest[4..6], &rest[1..3]).chars() {
            tap(&app, &format!("pad-{digit}"), &mut taps).await;
        }
        tap(&app, "pad-next", &mut taps).await;
        screen(&app, "service").await;
        tap(&app, "kiosk-service", &mut taps).await;
        screen(&app, "doctor").await;
        tap_css(&app, "[data-testid='kiosk-doctor']:not([data-nearest=''])", &mut taps).await;
        screen(&app, "day").await;
        tap(&app, "kiosk-day", &mut taps).await;
        screen(&app, "time").await;
        tap_css(&app, "[data-testid='slot'][data-status='free']", &mut taps).await;
        screen(&app, "confirm").await;
        tap(&app, "kiosk-confirm", &mut taps).await;
        // The booked screen comes once the ticket has gone to the printer.
        screen(&app, "booked").await;
        let seconds = started.elapsed().as_secs_f64();
        let lead: Value = app.client.execute("return document.getElementById('kiosk-lead').textContent", vec![]).await.expect("lead");
        assert!(lead.as_str().unwrap_or_default().contains("напечатан"), "the ticket printed: {lead}");
        visits.push((taps, seconds));
        app.click("kiosk-done").await;
    }
    app.close().await;

    let mut measured: Vec<f64> = visits.iter().map(|(_, seconds)| *seconds).collect();
    measured.sort_by(f64::total_cmp);
    let median = measured[measured.len() / 2];
    let worst = measured[measured.len() - 1];
    let taps = visits[0].0;
    println!(
        "kiosk measured: median {median:.2} s, worst {worst:.2} s over {} patients; baseline: the same identification and booking through the kiosk API alone {api_baseline:.3} s",
        visits.len()
    );
    println!("kiosk: {taps} taps, {:.1} s", median + taps as f64 * SECONDS_PER_TAP);
}

async fn tap(app: &AppSession, test_id: &str, taps: &mut usize) {
    app.click(test_id).await;
    *taps += 1;
}

async fn tap_css(app: &AppSession, selector: &str, taps: &mut usize) {
    app.click_css(selector).await;
    *taps += 1;
}

async fn screen(app: &AppSession, name: &str) {
    app.wait_until_within(
        &format!("the {name} screen"),
        &format!("document.body.dataset.screen === '{name}' && document.body.dataset.busy === 'false'"),
        Duration::from_secs(30),
    )
    .await;
}

/// The same visit through the kiosk API alone: identify, the first doctor's
/// first free time of the clinic's first service, book. Seconds.
async fn api_booking(url: &str, credential: &str, (policy, birth_date): &(String, String)) -> f64 {
    let http = reqwest::Client::new();
    let services: Vec<Value> = http.get(format!("{url}/api/v1/clinics/1/services")).send().await.expect("services").json().await.expect("json");
    let doctors: Vec<Value> = http.get(format!("{url}/api/v1/clinics/1/doctors")).send().await.expect("doctors").json().await.expect("json");
    let consent: Value = http.get(format!("{url}/api/v1/consent")).send().await.expect("consent").json().await.expect("json");
    let service = services[0]["id"].as_i64().expect("a service");
    let doctor = doctors
        .iter()
        .find(|doctor| doctor["service_ids"].as_array().is_some_and(|ids| ids.contains(&Value::from(service))))
        .and_then(|doctor| doctor["id"].as_i64())
        .expect("a doctor of the service");
    let started = Instant::now();
    let identified: Value = http
        .post(format!("{url}/api/v1/kiosk/identify"))
        .bearer_auth(credential)
        .json(&serde_json::json!({"policy": policy, "birth_date": birth_date}))
        .send()
        .await
        .expect("identify")
        .json()
        .await
        .expect("json");
    let visit = identified["visit_token"].as_str().expect("a visit").to_owned();
    let days: Vec<Value> = http
        .get(format!("{url}/api/v1/kiosk/doctors/{doctor}/dates?service={service}"))
        .bearer_auth(credential)
        .send()
        .await
        .expect("dates")
        .json()
        .await
        .expect("json");
    let day = days.iter().find(|day| day["status"] == "available").expect("a free day")["date"].as_str().expect("date").to_owned();
    let slots: Vec<Value> = http
        .get(format!("{url}/api/v1/kiosk/doctors/{doctor}/slots?service={service}&date={day}"))
        .bearer_auth(credential)
        .send()
        .await
        .expect("slots")
        .json()
        .await
        .expect("json");
    let slot = slots.iter().find(|slot| slot["status"] == "free").expect("a free time")["id"].clone();
    let booked = http
        .post(format!("{url}/api/v1/kiosk/appointments"))
        .bearer_auth(credential)
        .header("kiosk-visit", &visit)
        .header("Idempotency-Key", "bench-kiosk")
        .json(&serde_json::json!({"slot_id": slot, "service_id": service, "consent_version": consent["version"], "phone": null}))
        .send()
        .await
        .expect("book");
    assert_eq!(booked.status().as_u16(), 201, "the API books");
    started.elapsed().as_secs_f64()
}
