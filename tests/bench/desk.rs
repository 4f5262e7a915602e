//! The reception desk's speed in the real window, on a region's schedule:
//! returning walk-ins found by policy and booked into the first time kept
//! for the desk of a named specialty, ticket printed, keyboard only; every
//! screen change from the key press to the frame after it; and the day
//! board of a 40-doctor clinic. Run by scripts/bench/desk inside the
//! private desktop session, against a release registry server holding the
//! `region` dataset, with the session's CUPS printer as the desk printer.

#![allow(clippy::print_stdout)]

#[allow(dead_code)]
#[path = "../e2e/driver.rs"]
mod driver;

use std::time::{Duration, Instant};

use driver::{keys, AppSession, Profile};
use serde_json::Value;

/// The clinic whose desk is measured; the bench gives it 40 doctors.
const CLINIC: i64 = 1;
const DOCTORS: i64 = 40;
/// What the registrar types for the specialty: a word of its services' names.
const SPECIALTY: &str = "терапевт";
/// A registrar types about five keys a second.
const KEYS_PER_SECOND: f64 = 5.0;

#[tokio::main]
async fn main() {
    let url = std::env::var("REGISTRATURA_BENCH_PORTAL_URL").expect("REGISTRATURA_BENCH_PORTAL_URL: run scripts/bench/desk");
    let database = std::env::var("REGISTRATURA_BENCH_DATABASE").expect("REGISTRATURA_BENCH_DATABASE");
    let printer = std::env::var("REGISTRATURA_TEST_PRINTER").expect("the desktop session's printer");
    let rounds: i64 = std::env::var("REGISTRATURA_BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(30);

    let mut db = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!("sqlite:{database}")).await.expect("the region's database");
    // The region's clinics have 14 doctors each; the desk's gets the doctors
    // of its neighbours up to 40, with their schedules.
    sqlx::query(
        "UPDATE doctor SET clinic_id = ?1 WHERE id IN \
         (SELECT id FROM doctor WHERE clinic_id <> ?1 ORDER BY clinic_id, id LIMIT ?2 - (SELECT count(*) FROM doctor WHERE clinic_id = ?1))",
    )
    .bind(CLINIC)
    .bind(DOCTORS)
    .execute(&mut db)
    .await
    .expect("a 40-doctor clinic");
    // Returning patients with nothing booked yet, so no rule refuses a walk-in.
    let mut policies: Vec<(String,)> = sqlx::query_as(
        "SELECT policy FROM patient p WHERE NOT EXISTS (SELECT 1 FROM appointment a WHERE a.patient_id = p.id) ORDER BY id LIMIT ?",
    )
    .bind(rounds.min(20) + 1)
    .fetch_all(&mut db)
    .await
    .expect("demo patients");
    let (api_patient,) = policies.pop().expect("a patient for the API's walk-in");
    let api_baseline = api_walk_in(&url, &api_patient).await;

    let profile = Profile {
        portal_url: Some(url.clone()),
        extra_env: vec![("REGISTRATURA_MODE".into(), "desk".into())],
        ..Profile::new()
    };
    std::fs::create_dir_all(profile.config_dir()).expect("config dir");
    std::fs::write(profile.config_dir().join("preferences.json"), serde_json::json!({ "silent_printer": printer }).to_string()).expect("preferences");
    let app = AppSession::launch_profile(&profile).await;
    app.wait_until("the sign-in", "document.body.dataset.screen === 'sign-in'").await;
    app.press(&registry_server::demo::registrar_login(CLINIC)).await;
    app.press(keys::TAB).await;
    app.press(registry_server::demo::STAFF_PASSWORD).await;
    app.press(keys::ENTER).await;
    let started = Instant::now();
    app.wait_until_within("the workspace", "document.body.dataset.ready === 'true' && document.body.dataset.busy === 'false'", Duration::from_secs(300))
        .await;
    println!("desk: signed in with the region's schedule cached in {:.1} s", started.elapsed().as_secs_f64());
    let columns = app.client.execute("return document.querySelectorAll('.desk-grid__doctor').length", vec![]).await.expect("columns");
    println!("desk: the board shows {columns} doctors");

    let mut changes: Vec<(String, f64)> = Vec::new();
    let mut walk_ins: Vec<(usize, f64)> = Vec::new();
    for round in 0..rounds as usize {
        let (policy,) = &policies[round % policies.len()];
        let mut pressed = 0;
        let started = Instant::now();
        // F1, the policy as a scanner or the registrar types it, Enter.
        for key in [keys::F1, policy.as_str(), keys::ENTER] {
            pressed += if key == policy { policy.chars().count() } else { 1 };
            forget_change(&app).await;
            app.press(key).await;
        }
        changes.push(("search → patient".into(), change(&app, "patient").await));
        changes.push(("search → patient's appointments".into(), change(&app, "appointments").await));
        // The specialty, then Shift+Enter: the nearest time kept for the desk.
        app.press(SPECIALTY).await;
        pressed += SPECIALTY.chars().count();
        forget_change(&app).await;
        app.press(&format!("{}{}{}", keys::SHIFT, keys::ENTER, keys::RELEASE)).await;
        pressed += 2;
        changes.push(("service → nearest time, question".into(), change(&app, "question").await));
        // Space: the consent given in person; Enter: book and print.
        app.press(keys::SPACE).await;
        app.press(keys::ENTER).await;
        pressed += 2;
        app.wait_until_within("the ticket printed", "document.body.dataset.printed && document.body.dataset.busy === 'false'", Duration::from_secs(30)).await;
        walk_ins.push((pressed, started.elapsed().as_secs_f64()));
        app.client.execute("delete document.body.dataset.printed", vec![]).await.expect("reset");
        let said: Value = app.client.execute("return document.querySelector(\"[data-testid='desk-status']\").textContent", vec![]).await.expect("status");
        if round == 0 {
            println!("desk: {}", said.as_str().unwrap_or_default());
        }
        // Delete, «1» (the patient's request) and Enter cancel it again, so
        // the region's few patients with nothing booked come round again.
        forget_change(&app).await;
        app.press(keys::DELETE).await;
        changes.push(("Delete → cancel question".into(), change(&app, "question").await));
        app.press("1").await;
        app.press(keys::ENTER).await;
        // Cancelled, and the board and the card drawn again, so the next key
        // goes to an element that stays.
        app.wait_until_within(
            "cancelled",
            "(document.querySelector(\"[data-testid='desk-status']\").textContent || '').startsWith('Запись отменена') && document.body.dataset.busy === 'false'",
            Duration::from_secs(30),
        )
        .await;
    }

    // The board: next day and back, on the 40-doctor clinic.
    let mut boards = Vec::new();
    for _ in 0..20 {
        for key in [format!("{}{}{}", keys::CONTROL, keys::PAGE_DOWN, keys::RELEASE), format!("{}{}{}", keys::CONTROL, keys::PAGE_UP, keys::RELEASE)] {
            forget_change(&app).await;
            app.press(&key).await;
            boards.push(change(&app, "board").await);
        }
    }
    // Screens that need no server: the registration form and back.
    for _ in 0..20 {
        forget_change(&app).await;
        app.press(keys::F2).await;
        changes.push(("F2 → registration form".into(), change(&app, "registration").await));
        app.press(keys::ESCAPE).await;
    }
    let baseline_ipc = ipc_baseline(&app).await;
    let (search_ipc, card_ipc) = server_round_trips(&app, &policies[0].0).await;
    println!("desk: the search's round trip through api.js p95 {search_ipc:.1} ms, the card's {card_ipc:.1} ms (the server's share of those screen changes)");
    app.close().await;

    let mut kinds: Vec<String> = changes.iter().map(|(kind, _)| kind.clone()).collect();
    kinds.sort();
    kinds.dedup();
    let mut worst: f64 = 0.0;
    for kind in &kinds {
        let mut samples: Vec<f64> = changes.iter().filter(|(k, _)| k == kind).map(|(_, ms)| *ms).collect();
        let p95 = percentile(&mut samples, 95.0);
        worst = worst.max(p95);
        println!("screen {kind:>34}: p95 {p95:.1} ms, median {:.1} ms ({} presses)", percentile(&mut samples, 50.0), samples.len());
    }
    let board_p95 = percentile(&mut boards, 95.0);
    println!("board of a {DOCTORS}-doctor clinic (Ctrl+PageDown/PageUp): p95 {board_p95:.1} ms, median {:.1} ms (goal <= 100 ms)", percentile(&mut boards, 50.0));
    println!("screen change worst p95 {worst:.1} ms (goal <= 50 ms); baseline: the no-I/O desk_view round trip p95 {baseline_ipc:.2} ms");
    let mut measured: Vec<f64> = walk_ins.iter().map(|(_, seconds)| *seconds).collect();
    let keystrokes = walk_ins[0].0;
    let median = percentile(&mut measured, 50.0);
    let worst_walk_in = percentile(&mut measured, 100.0);
    println!(
        "walk-in measured: median {median:.2} s, worst {worst_walk_in:.2} s over {} patients; baseline: the same search and booking through the API alone {api_baseline:.3} s",
        walk_ins.len()
    );
    let typing = keystrokes as f64 / KEYS_PER_SECOND;
    println!("walk-in: {keystrokes} keystrokes, {:.1} s", median + typing);
}

/// The walk-in as the server alone answers it: staff sign-in, search by
/// policy, nearest reserved time, booking. Seconds.
async fn api_walk_in(url: &str, policy: &str) -> f64 {
    let http = reqwest::Client::new();
    let token: Value = http
        .post(format!("{url}/oauth/token"))
        .form(&[
            ("grant_type", "password"),
            ("client_id", "registratura-desktop"),
            ("scope", "desk"),
            ("username", &registry_server::demo::registrar_login(CLINIC)),
            ("password", registry_server::demo::STAFF_PASSWORD),
        ])
        .send()
        .await
        .expect("sign in")
        .json()
        .await
        .expect("token");
    let token = token["access_token"].as_str().expect("a token").to_owned();
    let services: Vec<Value> = http.get(format!("{url}/api/v1/clinics/{CLINIC}/services")).send().await.expect("services").json().await.expect("json");
    let service = services
        .iter()
        .find(|service| service["name"].as_str().is_some_and(|name| name.contains(SPECIALTY)))
        .and_then(|service| service["id"].as_i64())
        .expect("a service of the specialty");
    let consent: Value = http.get(format!("{url}/api/v1/consent")).send().await.expect("consent").json().await.expect("json");
    let started = Instant::now();
    let found: Value = http
        .get(format!("{url}/api/v1/desk/patients?clinic={CLINIC}&policy={policy}"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("search")
        .json()
        .await
        .expect("json");
    let patient = found["patients"][0]["id"].as_i64().expect("the patient");
    let nearest: Value = http
        .get(format!("{url}/api/v1/desk/clinics/{CLINIC}/nearest?service={service}&reserved_only=true"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("nearest")
        .json()
        .await
        .expect("json");
    let booked = http
        .post(format!("{url}/api/v1/desk/appointments"))
        .bearer_auth(&token)
        .header("Idempotency-Key", format!("bench-{patient}"))
        .json(&serde_json::json!({"patient_id": patient, "slot_id": nearest["slot_id"], "service_id": service, "consent_version": consent["version"], "phone": null}))
        .send()
        .await
        .expect("book");
    assert_eq!(booked.status().as_u16(), 201, "the API walk-in books");
    started.elapsed().as_secs_f64()
}

/// The p95 of the no-I/O `desk_view` command through `api.js`, in ms.
async fn ipc_baseline(app: &AppSession) -> f64 {
    const PROBE: &str = r#"
        const done = arguments[arguments.length - 1];
        (async () => {
          const api = await import(new URL("js/api.js", document.baseURI).href);
          const samples = [];
          for (let i = 0; i < 200; i++) {
            const started = performance.now();
            await api.deskView();
            samples.push(performance.now() - started);
          }
          samples.sort((a, b) => a - b);
          done(samples[Math.round(0.95 * (samples.length - 1))]);
        })();
    "#;
    app.client.execute_async(PROBE, vec![]).await.expect("probe").as_f64().unwrap_or_default()
}

/// The p95 of the search and the card's commands through `api.js`, in ms:
/// what the screen changes after Enter wait for before they draw.
async fn server_round_trips(app: &AppSession, policy: &str) -> (f64, f64) {
    const PROBE: &str = r#"
        const [policy, done] = [arguments[0], arguments[arguments.length - 1]];
        (async () => {
          const api = await import(new URL("js/api.js", document.baseURI).href);
          const p95 = async (call) => {
            const samples = [];
            for (let i = 0; i < 50; i++) {
              const started = performance.now();
              await call();
              samples.push(performance.now() - started);
            }
            samples.sort((a, b) => a - b);
            return samples[Math.round(0.95 * (samples.length - 1))];
          };
          const { patients } = await api.deskSearch({ by: "policy", policy });
          done([await p95(() => api.deskSearch({ by: "policy", policy })), await p95(() => api.deskPatient(patients[0].id))]);
        })();
    "#;
    let answer = app.client.execute_async(PROBE, vec![Value::from(policy)]).await.expect("probe");
    (answer[0].as_f64().unwrap_or_default(), answer[1].as_f64().unwrap_or_default())
}

async fn forget_change(app: &AppSession) {
    app.client.execute("delete document.body.dataset.changes;", vec![]).await.expect("reset the marks");
}

/// The page's own measure of the key press to the frame after `name` was drawn, in ms.
async fn change(app: &AppSession, name: &str) -> f64 {
    const WAIT_FOR_MARK: &str = r#"
        const [name, done] = [arguments[0], arguments[arguments.length - 1]];
        const mark = () => {
          const found = (document.body.dataset.changes || "").split(";").map((entry) => entry.split(" ")).find(([seen]) => seen === name);
          if (!found) return false;
          done(Number(found[1]));
          return true;
        };
        if (!mark()) {
          const watch = new MutationObserver(() => mark() && watch.disconnect());
          watch.observe(document.body, { attributes: true });
        }
    "#;
    let answer = tokio::time::timeout(Duration::from_secs(30), app.client.execute_async(WAIT_FOR_MARK, vec![Value::from(name)])).await;
    match answer {
        Ok(Ok(value)) => value.as_f64().unwrap_or_default(),
        other => panic!("{name} was never drawn: {other:?}"),
    }
}

fn percentile(samples: &mut [f64], percent: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    samples.sort_by(f64::total_cmp);
    samples[((percent / 100.0) * (samples.len() - 1) as f64).round() as usize]
}
