//! The wizard's speed in the real window, on a region's schedule: the IPC
//! round trip of every list command through `ui/js/api.js`, and the time
//! from a click to the next step painted with its data. Run by
//! scripts/bench/wizard inside the private desktop session, against a
//! release registry server holding the `region` dataset.

#![allow(clippy::print_stdout)]

#[allow(dead_code)]
#[path = "../e2e/driver.rs"]
mod driver;

use std::time::{Duration, Instant};

use driver::{AppSession, Profile};
use fantoccini::Locator;
use serde_json::Value;

/// Times every list command from inside the page, 200 calls each, through
/// the same `api.js` the wizard uses; answers the p95 of each in ms.
const IPC_PROBE: &str = r#"
const done = arguments[arguments.length - 1];
(async () => {
  const api = await import(new URL("js/api.js", document.baseURI).href);
  const rounds = 200;
  const p95 = (samples) => {
    samples.sort((a, b) => a - b);
    return samples[Math.round(0.95 * (samples.length - 1))];
  };
  const time = async (call) => {
    const samples = [];
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      await call(i);
      samples.push(performance.now() - started);
    }
    return p95(samples);
  };
  const organizations = await api.organizations("");
  const clinics = (await Promise.all(organizations.slice(0, 10).map((o) => api.clinics(o.id, "")))).flat();
  const pairs = [];
  for (const clinic of clinics.slice(0, 20)) {
    const services = await api.services(clinic.id, "");
    for (const service of services.slice(0, 3)) pairs.push({ clinic, service });
  }
  const doctors = [];
  for (const pair of pairs.slice(0, 20)) {
    for (const doctor of await api.doctors(pair.clinic.id, pair.service.id, "")) doctors.push({ doctor, service: pair.service });
  }
  const month = new Date().toISOString().slice(0, 7);
  const pick = (list, i) => list[(i * 7919) % list.length];
  const result = {
    session_view: await time(() => api.sessionView()),
    organizations: await time(() => api.organizations("")),
    organizations_search: await time(() => api.organizations("больница")),
    clinics: await time((i) => api.clinics(pick(organizations, i).id, "")),
    services: await time((i) => api.services(pick(clinics, i).id, "")),
    doctors: await time((i) => { const p = pick(pairs, i); return api.doctors(p.clinic.id, p.service.id, ""); }),
    month: await time((i) => { const d = pick(doctors, i); return api.month(d.doctor.id, d.service.id, month); }),
  };
  done(JSON.stringify(result));
})().catch((error) => done("error: " + JSON.stringify(error) + " " + String(error)));
"#;

#[tokio::main]
async fn main() {
    let url = std::env::var("REGISTRATURA_BENCH_PORTAL_URL").expect("REGISTRATURA_BENCH_PORTAL_URL: run scripts/bench/wizard");
    let rounds: usize = std::env::var("REGISTRATURA_BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let profile = Profile { portal_url: Some(url), ..Profile::new() };
    let app = AppSession::launch_profile(&profile).await;
    app.wait_until_ready().await;

    // The first opening fills the empty cache with the whole region.
    let started = Instant::now();
    app.click("book-button").await;
    wait_step(&app, "organization", Duration::from_secs(180)).await;
    println!("first sync in the window: {:.1} s from the click to the first list", started.elapsed().as_secs_f64());

    let answer = app.client.execute_async(IPC_PROBE, vec![]).await.expect("the IPC probe runs");
    let answer = answer.as_str().unwrap_or_default().to_owned();
    let ipc: serde_json::Map<String, Value> = serde_json::from_str(&answer).unwrap_or_else(|_| panic!("IPC probe: {answer}"));
    let mut worst_ipc: f64 = 0.0;
    for (command, p95) in &ipc {
        let p95 = p95.as_f64().unwrap_or_default();
        if command != "session_view" {
            worst_ipc = worst_ipc.max(p95);
        }
        println!("IPC {command:>22}: p95 {p95:.2} ms");
    }

    let mut renders: Vec<(String, f64)> = Vec::new();
    let mut slow: Vec<(String, f64, String)> = Vec::new();
    for round in 0..rounds {
        for step in ["organization", "clinic", "service", "doctor"] {
            let next = match step {
                "organization" => "clinic",
                "clinic" => "service",
                "service" => "doctor",
                _ => "date",
            };
            let choices = app.client.find_all(Locator::Css("[data-testid='choice']")).await.expect("choices");
            if choices.is_empty() {
                break;
            }
            forget_render(&app).await;
            choices[(round * 7 + 3) % choices.len()].click().await.expect("click a choice");
            record(&mut renders, &mut slow, next, rendered(&app, next).await);
        }
        if let Ok(day) = app.client.find(Locator::Css("[data-testid='day'][data-status='available']")).await {
            forget_render(&app).await;
            day.click().await.expect("click a day");
            record(&mut renders, &mut slow, "time (re-reads the day from the server)", rendered(&app, "time").await);
        }
        // Back to the first question, one «Назад» at a time.
        while app.client.execute("return document.body.dataset.step;", vec![]).await.expect("step") != "organization" {
            let step = app.client.execute("return document.body.dataset.step;", vec![]).await.expect("step");
            let previous = match step.as_str().unwrap_or_default() {
                "time" => "date",
                "date" => "doctor",
                "doctor" => "service",
                "service" => "clinic",
                _ => "organization",
            };
            forget_render(&app).await;
            app.click("wizard-back").await;
            record(&mut renders, &mut slow, "back", rendered(&app, previous).await);
        }
    }

    let mut kinds: Vec<String> = renders.iter().map(|(kind, _)| kind.clone()).collect();
    kinds.sort();
    kinds.dedup();
    let mut worst_list_render: f64 = 0.0;
    for kind in &kinds {
        let mut samples: Vec<f64> = renders.iter().filter(|(k, _)| k == kind).map(|(_, ms)| *ms).collect();
        let p95 = percentile(&mut samples, 95.0);
        if !kind.starts_with("time") {
            worst_list_render = worst_list_render.max(p95);
        }
        println!("step {kind:>40}: p95 {p95:.1} ms, median {:.1} ms ({} clicks)", percentile(&mut samples, 50.0), samples.len());
    }
    // Where the slowest clicks spent their time, as the wizard split it:
    // click to handler, the step's own drawing, data, wait for the frame,
    // style + layout + paint.
    slow.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (kind, ms, phases) in slow.iter().take(12) {
        println!("slow {kind:>40}: {ms:.1} ms = {phases}");
    }
    println!(
        "IPC round trip worst p95 {worst_ipc:.2} ms (goal <= 15 ms, baseline session_view {:.2} ms); step render worst p95 {worst_list_render:.1} ms from the cache (goal <= 50 ms)",
        ipc.get("session_view").and_then(Value::as_f64).unwrap_or_default()
    );
    app.close().await;
}

async fn wait_step(app: &AppSession, step: &str, limit: Duration) {
    let started = Instant::now();
    loop {
        let script = format!("return document.body.dataset.step === '{step}' && document.body.dataset.busy === 'false';");
        if app.client.execute(&script, vec![]).await.unwrap_or_default() == Value::Bool(true) {
            return;
        }
        assert!(started.elapsed() < limit, "the wizard never reached {step}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn forget_render(app: &AppSession) {
    app.client
        .execute("const d = document.body.dataset; delete d.renderMs; delete d.renderStep; delete d.renderPhases;", vec![])
        .await
        .expect("reset the render mark");
}

fn record(renders: &mut Vec<(String, f64)>, slow: &mut Vec<(String, f64, String)>, kind: &str, (ms, phases): (f64, String)) {
    renders.push((kind.to_owned(), ms));
    if ms > 50.0 {
        slow.push((kind.to_owned(), ms, phases));
    }
}

/// The wizard's own measure of the click-to-paint time of `step`, and its
/// phases (`data-render-phases`). One WebDriver call that waits in the page
/// for the mark, so the probe itself adds no work while the step renders.
async fn rendered(app: &AppSession, step: &str) -> (f64, String) {
    const WAIT_FOR_MARK: &str = r#"
        const [step, done] = [arguments[0], arguments[arguments.length - 1]];
        const mark = () => {
          const d = document.body.dataset;
          if (d.renderStep !== step || !d.renderMs) return false;
          done([Number(d.renderMs), d.renderPhases]);
          return true;
        };
        if (!mark()) {
          const watch = new MutationObserver(() => mark() && watch.disconnect());
          watch.observe(document.body, { attributes: true });
        }
    "#;
    let answer = app.client.execute_async(WAIT_FOR_MARK, vec![Value::from(step)]).await;
    let Ok(Value::Array(answer)) = answer else { panic!("{step} never rendered: {answer:?}") };
    let ms = answer.first().and_then(Value::as_f64).unwrap_or_default();
    let phases = answer.get(1).and_then(Value::as_str).unwrap_or_default().split(' ');
    let phases = ["input", "setup", "data", "frame", "paint"].iter().zip(phases).map(|(name, ms)| format!("{name} {ms}")).collect::<Vec<_>>().join(", ");
    (ms, phases)
}

fn percentile(samples: &mut [f64], percent: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    samples.sort_by(f64::total_cmp);
    samples[((percent / 100.0) * (samples.len() - 1) as f64).round() as usize]
}
