//! Load and timing probes for the registry server. scripts/bench/server
//! runs them against a release server on loopback and prints the figures.

#![allow(clippy::print_stdout)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod cache;
mod drill;
mod ticket;

use clap::{Parser, Subcommand};
use registry_server::Store;
use sqlx::QueryBuilder;

#[derive(Debug, Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Creates patients with tokens straight in the database, for the
    /// booking load (one fresh patient per booking, so no rule but the
    /// slot's own refuses a booking).
    Patients {
        #[arg(long)]
        database_url: String,
        #[arg(long)]
        count: usize,
    },
    /// Books random free slots from many concurrent clients: each books
    /// again as soon as it is answered, or, with `--rate`, the clients
    /// together send that many bookings a second on a fixed schedule.
    Book {
        #[arg(long)]
        url: String,
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 256)]
        clients: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Bookings a second offered by all clients together.
        #[arg(long)]
        rate: Option<f64>,
        /// The first load patient to book for (each booking has its own).
        #[arg(long, default_value_t = 0)]
        first_patient: usize,
        /// Writes what each booking was answered to this file (see
        /// `drill.rs`), and takes requests that got no answer or a 5xx (the
        /// server or its database gone) in its stride instead of failing:
        /// for the crash and failover drills.
        #[arg(long)]
        journal: Option<std::path::PathBuf>,
    },
    /// Sends every unanswered booking of a journal again with its own
    /// idempotency key, and journals the answers.
    Retry {
        #[arg(long)]
        url: String,
        #[arg(long)]
        journal: std::path::PathBuf,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Checks journals against the database: every acknowledged booking is
    /// there, every refused one is not.
    Verify {
        #[arg(long)]
        database_url: String,
        journals: Vec<std::path::PathBuf>,
    },
    /// Reads the slots of random doctors' days from many concurrent clients.
    Reads {
        #[arg(long)]
        url: String,
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 256)]
        clients: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Times the full snapshot, transfer and parse included.
    Snapshot {
        #[arg(long)]
        url: String,
    },
    /// Times a full sync of the app's schedule cache against a rusqlite
    /// bulk insert of the same rows, then a sync with no changes.
    Sync {
        #[arg(long)]
        url: String,
        #[arg(long)]
        cache: std::path::PathBuf,
    },
    /// Syncs the cache once, printing each progress report as
    /// `PHASE DONE/TOTAL` (the kill -9 test stops it in the write phase).
    SyncOnce {
        #[arg(long)]
        url: String,
        #[arg(long)]
        cache: std::path::PathBuf,
    },
    /// Times the wizard's list queries on a synced cache.
    CacheQueries {
        #[arg(long)]
        cache: std::path::PathBuf,
        #[arg(long, default_value_t = 500)]
        rounds: usize,
    },
    /// Times «Ближайшее время» on a synced cache against its server.
    Nearest {
        #[arg(long)]
        url: String,
        #[arg(long)]
        cache: std::path::PathBuf,
        #[arg(long, default_value_t = 300)]
        rounds: usize,
    },
    /// Times the ticket PDF with the fonts loaded once.
    Ticket {
        #[arg(long, default_value_t = 200)]
        rounds: usize,
        /// A folder to write the sample tickets to, for looking at them.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Counts slots held by more than one live appointment (must be 0).
    DoubleBookings {
        #[arg(long)]
        database_url: String,
    },
}

#[tokio::main]
async fn main() {
    let result = match Cli::parse().command {
        Command::Patients { database_url, count } => patients(&database_url, count).await,
        Command::Book { url, database_url, clients, seconds, rate, first_patient, journal } => {
            book(&url, &database_url, Load { clients, seconds, rate, first_patient, journal }).await
        }
        Command::Retry { url, journal, out } => drill::retry(&url, &journal, &out).await,
        Command::Verify { database_url, journals } => drill::verify(&database_url, &journals).await,
        Command::Reads { url, database_url, clients, seconds } => reads(&url, &database_url, clients, seconds).await,
        Command::Snapshot { url } => snapshot(&url).await,
        Command::Sync { url, cache } => cache::sync(&url, &cache).await,
        Command::SyncOnce { url, cache } => cache::sync_once(&url, &cache).await,
        Command::CacheQueries { cache, rounds } => cache::queries(&cache, rounds).await,
        Command::Nearest { url, cache, rounds } => cache::nearest(&url, &cache, rounds).await,
        Command::Ticket { rounds, out } => ticket::ticket(rounds, out.as_deref()),
        Command::DoubleBookings { database_url } => double_bookings(&database_url).await,
    };
    if let Err(error) = result {
        eprintln!("registratura-bench: {error}");
        std::process::exit(1);
    }
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The first token of patient `n`; tokens are predictable on purpose here,
/// so that `book` can use the patients `patients` made.
fn bench_token(n: usize) -> String {
    format!("bench-token-{n:08}")
}

/// Inserts patients and their tokens, a few thousand rows a statement.
/// A macro rather than a generic function: each backend's pool is its own
/// concrete type, and sqlx's executor bounds do not unify across them.
macro_rules! insert_patients {
    ($pool:expr, $count:expr, $base:expr, $birth:expr) => {{
        let ids: Vec<usize> = (0..$count).collect();
        let mut tx = $pool.begin().await?;
        for chunk in ids.chunks(2_000) {
            QueryBuilder::new("INSERT INTO patient (id, last_name, first_name, middle_name, birth_date, policy, snils, confirmed) ")
                .push_values(chunk, |mut row, n| {
                    let n = *n;
                    row.push_bind(1_000_000 + n as i64)
                        .push_bind("Нагрузочный".to_owned())
                        .push_bind("Пациент".to_owned())
                        .push_bind(format!("№{n}"))
                        .push_bind($birth)
                        .push_bind(registratura_core::identity::PolicyNumber::completing(&format!("99{n:013}")).map(|policy| policy.digits().to_owned()).unwrap_or_default())
                        .push_bind(registratura_core::identity::Snils::from_number($base + n as u32).digits().to_owned())
                        .push_bind(true);
                })
                .build()
                .execute(&mut *tx)
                .await?;
            QueryBuilder::new("INSERT INTO access_token (token_hash, patient_id, expires_at) ")
                .push_values(chunk, |mut row, n| {
                    row.push_bind(registry_server::store::token_hash(&bench_token(*n)))
                        .push_bind(1_000_000 + *n as i64)
                        .push_bind(chrono::Utc::now().timestamp() + 86_400);
                })
                .build()
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }};
}

async fn patients(database_url: &str, count: usize) -> Result<()> {
    let store = Store::open(database_url).await?;
    let started = Instant::now();
    let base = 500_000_000_u32;
    let birth = "1980-01-01";
    match &store {
        Store::Sqlite { write, .. } => insert_patients!(write, count, base, birth),
        Store::Postgres { write: pool, .. } => insert_patients!(pool, count, base, birth),
    }
    println!("patients: {count} in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

async fn free_future_slots(database_url: &str) -> Result<Vec<(i64, i64)>> {
    let store = Store::open(database_url).await?;
    let now = chrono::Utc::now().timestamp() + 3600;
    let sql = "SELECT sl.id, (SELECT MIN(ds.service_id) FROM doctor_service ds WHERE ds.doctor_id = sl.doctor_id) \
               FROM slot sl WHERE sl.status = 'free' AND sl.starts_at > $1";
    let rows: Vec<(i64, i64)> = match &store {
        Store::Sqlite { read, .. } => sqlx::query_as(sql).bind(now).fetch_all(read).await?,
        Store::Postgres { write: pool, .. } => sqlx::query_as(sql).bind(now).fetch_all(pool).await?,
    };
    store.close().await;
    Ok(rows)
}

fn shuffle<T>(items: &mut [T]) {
    let mut state = random_u64();
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        items.swap(i, (state % (i as u64 + 1)) as usize);
    }
}

fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    let _ = getrandom::fill(&mut bytes);
    u64::from_le_bytes(bytes) | 1
}

fn percentile(sorted: &[Duration], share: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * share).round() as usize]
}

/// Opens one kept-alive connection per client before the clock starts, as
/// the app keeps its connection: otherwise the first request of each of 256
/// clients also pays for a TCP handshake, and at a fixed rate of 500 a
/// second those 256 are 5 % of the bookings, more than p99 leaves out.
async fn open_connections(http: &reqwest::Client, url: &str, clients: usize) -> Result<()> {
    let opened = futures::future::join_all((0..clients).map(|_| http.get(format!("{url}/healthz")).send())).await;
    for response in opened {
        response?.error_for_status()?;
    }
    Ok(())
}

/// How `book` loads the server.
struct Load {
    clients: usize,
    seconds: u64,
    rate: Option<f64>,
    first_patient: usize,
    journal: Option<std::path::PathBuf>,
}

async fn book(url: &str, database_url: &str, load: Load) -> Result<()> {
    let Load { clients, seconds, rate, first_patient, journal } = load;
    let record = journal.is_some();
    let consent: serde_json::Value = reqwest::get(format!("{url}/api/v1/consent")).await?.json().await?;
    let consent = consent["version"].as_str().unwrap_or_default().to_owned();
    let mut slots = free_future_slots(database_url).await?;
    shuffle(&mut slots);
    let slots = Arc::new(slots);
    let next_slot = Arc::new(AtomicUsize::new(0));
    let next_patient = Arc::new(AtomicUsize::new(first_patient));
    let http = reqwest::Client::builder().pool_max_idle_per_host(clients).build()?;
    open_connections(&http, url, clients).await?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    if record {
        // The drills crash the server only once the load is on, not while
        // the free slots are still being read.
        eprintln!("book: load started");
    }
    // With a rate, client `c` sends at started + (c + k·clients) / rate for
    // k = 0, 1, …, and a booking's time counts from when it was due, not
    // from when it went out: a server that falls behind is charged for the
    // wait it caused instead of being offered less.
    let interval = rate.map(|rate| Duration::from_secs_f64(clients as f64 / rate));
    let tasks = (0..clients).map(|client| {
        let (http, slots, next_slot, next_patient, consent) =
            (http.clone(), slots.clone(), next_slot.clone(), next_patient.clone(), consent.clone());
        let url = format!("{url}/api/v1/appointments");
        tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut entries = Vec::new();
            let (mut booked, mut taken, mut other) = (0_usize, 0_usize, 0_usize);
            let mut due = interval.map(|interval| started + interval.mul_f64(client as f64 / clients as f64));
            loop {
                if let Some(at) = due {
                    tokio::time::sleep_until(at.into()).await;
                }
                if Instant::now() >= deadline {
                    break;
                }
                let Some(&(slot_id, service_id)) = slots.get(next_slot.fetch_add(1, Ordering::Relaxed)) else { break };
                let patient = next_patient.fetch_add(1, Ordering::Relaxed);
                let body = serde_json::json!({"slot_id": slot_id, "service_id": service_id, "consent_version": consent, "phone": null});
                let sent = due.unwrap_or_else(Instant::now);
                let response = http
                    .post(&url)
                    .bearer_auth(bench_token(patient))
                    .header("Idempotency-Key", format!("bench-{patient}"))
                    .json(&body)
                    .send()
                    .await;
                latencies.push(sent.elapsed());
                let request = drill::Request { patient, slot_id, service_id };
                let entry = drill::Entry::of(request, response).await;
                match entry {
                    drill::Entry::Acknowledged(_) => booked += 1,
                    drill::Entry::Refused(_) => taken += 1,
                    drill::Entry::Unanswered(_) => other += 1,
                }
                // In a drill, a client whose booking went unanswered stops, as
                // the app does: it will send that very booking again, not others.
                let unanswered = matches!(entry, drill::Entry::Unanswered(_));
                if record {
                    entries.push(entry);
                    if unanswered {
                        break;
                    }
                }
                due = due.zip(interval).map(|(at, interval)| at + interval);
            }
            (latencies, entries, booked, taken, other)
        })
    });
    let results = futures::future::join_all(tasks).await;
    let elapsed = started.elapsed().as_secs_f64();
    let mut latencies = Vec::new();
    let mut entries = Vec::new();
    let (mut booked, mut taken, mut other) = (0, 0, 0);
    for result in results {
        let (l, e, b, t, o) = result?;
        latencies.extend(l);
        entries.extend(e);
        booked += b;
        taken += t;
        other += o;
    }
    latencies.sort();
    let offered = rate.map(|rate| format!(", {rate:.0}/s offered")).unwrap_or_default();
    println!(
        "book: {booked} booked, {taken} refused as taken, {other} other, in {elapsed:.1} s with {clients} clients{offered}: {:.0} bookings/s, p50 {:.1} ms, p99 {:.1} ms",
        booked as f64 / elapsed,
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
    );
    if let Some(path) = journal {
        drill::write_journal(&path, &entries)?;
    } else if other > 0 {
        return Err(format!("{other} bookings failed with an unexpected status").into());
    }
    Ok(())
}

async fn reads(url: &str, database_url: &str, clients: usize, seconds: u64) -> Result<()> {
    let store = Store::open(database_url).await?;
    let sql = "SELECT d.id, MIN(ds.service_id) FROM doctor d JOIN doctor_service ds ON ds.doctor_id = d.id GROUP BY d.id";
    let doctors: Vec<(i64, i64)> = match &store {
        Store::Sqlite { read, .. } => sqlx::query_as(sql).fetch_all(read).await?,
        Store::Postgres { write: pool, .. } => sqlx::query_as(sql).fetch_all(pool).await?,
    };
    store.close().await;
    let doctors = Arc::new(doctors);
    let today = chrono::Utc::now().date_naive();
    let http = reqwest::Client::builder().pool_max_idle_per_host(clients).build()?;
    open_connections(&http, url, clients).await?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tasks = (0..clients).map(|client| {
        let (http, doctors, url) = (http.clone(), doctors.clone(), url.to_owned());
        tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut state = random_u64() ^ client as u64;
            while Instant::now() < deadline {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let (doctor, service) = doctors[(state % doctors.len() as u64) as usize];
                let date = today + chrono::Duration::days((state >> 40) as i64 % 28);
                let sent = Instant::now();
                let ok = http
                    .get(format!("{url}/api/v1/doctors/{doctor}/slots?date={date}&service={service}"))
                    .send()
                    .await
                    .map(|r| r.status().is_success())
                    .unwrap_or(false);
                if !ok {
                    return Err(format!("slot read for doctor {doctor} failed"));
                }
                latencies.push(sent.elapsed());
            }
            Ok(latencies)
        })
    });
    let mut latencies = Vec::new();
    for result in futures::future::join_all(tasks).await {
        latencies.extend(result??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    println!(
        "reads: {} slot reads in {elapsed:.1} s with {clients} clients: {:.0} requests/s, p50 {:.1} ms, p99 {:.1} ms",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
    );
    Ok(())
}

async fn snapshot(url: &str) -> Result<()> {
    let http = reqwest::Client::new();
    // The first request after the server started builds the snapshot; the
    // apps that ask after it within half a minute get the same one.
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..2 {
        let started = Instant::now();
        let response = http.get(format!("{url}/api/v1/sync/snapshot")).send().await?.error_for_status()?;
        let bytes = response.bytes().await?;
        let transferred = started.elapsed();
        let snapshot: registratura_core::api::SyncSnapshot = serde_json::from_slice(&bytes)?;
        let slots = snapshot.slots.decode().ok_or("snapshot columns do not decode")?;
        times.push((transferred, started.elapsed()));
        last = Some((slots.len(), bytes.len()));
    }
    let (slots, bytes) = last.ok_or("no snapshot")?;
    println!(
        "snapshot: {slots} slots, {:.1} MB decompressed; built and served to the first app in {:.2} s (parsed by {:.2} s), \
         served to the next from the server's cache in {:.2} s (parsed by {:.2} s)",
        bytes as f64 / 1e6,
        times[0].0.as_secs_f64(),
        times[0].1.as_secs_f64(),
        times[1].0.as_secs_f64(),
        times[1].1.as_secs_f64(),
    );
    Ok(())
}

async fn double_bookings(database_url: &str) -> Result<()> {
    let store = Store::open(database_url).await?;
    let sql = "SELECT COUNT(*) FROM (SELECT slot_id FROM appointment WHERE status = 'booked' GROUP BY slot_id HAVING COUNT(*) > 1) AS doubled";
    let busy_sql = "SELECT COUNT(*) FROM appointment a JOIN slot s ON s.id = a.slot_id WHERE a.status = 'booked' AND s.status <> 'busy'";
    let (doubled, inconsistent): (i64, i64) = match &store {
        Store::Sqlite { read, .. } => (sqlx::query_scalar(sql).fetch_one(read).await?, sqlx::query_scalar(busy_sql).fetch_one(read).await?),
        Store::Postgres { write: pool, .. } => (sqlx::query_scalar(sql).fetch_one(pool).await?, sqlx::query_scalar(busy_sql).fetch_one(pool).await?),
    };
    println!("double bookings: {doubled}; booked slots not marked busy: {inconsistent}");
    if doubled + inconsistent > 0 {
        return Err("the booking invariant is broken".into());
    }
    Ok(())
}
