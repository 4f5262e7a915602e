//! Probes of the app's schedule cache: a full sync against a plain rusqlite
//! bulk insert of the same rows, a sync with no changes, and the wizard's
//! list queries on a region's data.

use std::path::Path;
use std::time::Instant;

use chrono::Datelike;
use registratura_core::cache::ScheduleCache;
use registratura_core::registry::RegistryClient;

use crate::Result;

/// Times a full sync into a fresh cache at `cache_path`, then the same rows
/// through rusqlite, then syncs with nothing changed.
pub async fn sync(url: &str, cache_path: &Path) -> Result<()> {
    let registry = RegistryClient::new(url)?;
    remove_database(cache_path);
    let cache = ScheduleCache::open(cache_path).await?;
    let started = Instant::now();
    let report = cache.sync(&registry, &|_| {}).await?;
    let total = started.elapsed();
    let rows = report.slots_written as f64;
    let sync_rate = rows / (report.write_ms.max(1) as f64 / 1000.0);
    println!(
        "full sync: {} slots in {:.2} s (download and parse {:.2} s, write {:.2} s): {:.0} rows/s written, {:.0} rows/s end to end",
        report.slots_written,
        total.as_secs_f64(),
        report.download_ms as f64 / 1000.0,
        report.write_ms as f64 / 1000.0,
        sync_rate,
        rows / total.as_secs_f64()
    );

    let mut unchanged = Vec::new();
    for _ in 0..21 {
        let started = Instant::now();
        cache.sync(&registry, &|_| {}).await?;
        unchanged.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    println!("sync with no changes: median {:.1} ms, worst {:.1} ms (21 runs)", percentile(&mut unchanged, 50.0), percentile(&mut unchanged, 100.0));
    cache.close().await;

    // The baseline: the same rows, a plain prepared INSERT per row in one
    // transaction, into the same table and index, with the same pragmas.
    let snapshot = registry.snapshot().await?;
    let slots = snapshot.slots.decode().ok_or("snapshot columns do not decode")?;
    let baseline_path = cache_path.with_extension("rusqlite");
    remove_database(&baseline_path);
    let baseline_ms = tokio::task::spawn_blocking(move || -> std::result::Result<f64, rusqlite::Error> {
        let mut connection = rusqlite::Connection::open(&baseline_path)?;
        connection.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
             CREATE TABLE slot (id INTEGER PRIMARY KEY, doctor_id INTEGER NOT NULL, starts_at INTEGER NOT NULL,
                                ends_at INTEGER NOT NULL, status TEXT NOT NULL) STRICT;
             CREATE INDEX slot_by_doctor ON slot (doctor_id, starts_at);",
        )?;
        let started = Instant::now();
        let transaction = connection.transaction()?;
        {
            let mut insert = transaction.prepare("INSERT INTO slot (id, doctor_id, starts_at, ends_at, status) VALUES (?, ?, ?, ?, ?)")?;
            for slot in &slots {
                insert.execute(rusqlite::params![slot.id, slot.doctor_id, slot.starts_at, slot.ends_at, slot.status.letter()])?;
            }
        }
        transaction.commit()?;
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        drop(connection);
        remove_database(&baseline_path);
        Ok(elapsed)
    })
    .await??;
    let baseline_rate = rows / (baseline_ms / 1000.0);
    println!("rusqlite prepared insert of the same rows: {:.2} s: {:.0} rows/s", baseline_ms / 1000.0, baseline_rate);
    println!(
        "sync {:.2} s (goal <= 10 s), writes at {:.0} rows/s vs rusqlite {:.0} rows/s (goal ratio >= 0.5): ratio {:.2}",
        total.as_secs_f64(),
        sync_rate,
        baseline_rate,
        sync_rate / baseline_rate
    );
    Ok(())
}

/// One sync into the cache at `cache_path`, reporting progress on stdout.
pub async fn sync_once(url: &str, cache_path: &Path) -> Result<()> {
    use std::io::Write;
    let registry = RegistryClient::new(url)?;
    let cache = ScheduleCache::open(cache_path).await?;
    let report = cache
        .sync(&registry, &|progress| {
            let phase = match progress.phase {
                registratura_core::cache::SyncPhase::Download => "download",
                registratura_core::cache::SyncPhase::Write => "write",
            };
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{phase} {}/{}", progress.done, progress.total);
            let _ = out.flush();
        })
        .await?;
    println!("done {:?} {}", report.outcome, report.slots_written);
    Ok(())
}

/// Times each wizard list query on the cache at `cache_path` (synced
/// beforehand), over many random choices, and prints the p95 of each.
pub async fn queries(cache_path: &Path, rounds: usize) -> Result<()> {
    let started = Instant::now();
    let cache = ScheduleCache::open(cache_path).await?;
    // Opening runs migrations and the quick integrity check the app does at
    // every start.
    println!("opening the region's cache: {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);
    let now = chrono::Utc::now().timestamp();
    let today = registratura_core::calendar::clinic_date(chrono::Utc::now(), registratura_core::region::KALUGA.time_zone);
    let first_of_month = today.with_day(1).ok_or("a month has a first day")?;
    let organizations = cache.organizations("").await?;
    if organizations.is_empty() {
        return Err("the cache is empty: sync it first".into());
    }
    let mut timings: Vec<(&str, Vec<f64>)> =
        ["organizations", "organizations?q", "clinics", "services", "services?q", "doctors", "month", "day"]
            .into_iter()
            .map(|name| (name, Vec::with_capacity(rounds)))
            .collect();
    let mut pick = picker(0x5eed);
    macro_rules! timed {
        ($index:expr, $call:expr) => {{
            let started = Instant::now();
            let answer = $call.await?;
            timings[$index].1.push(started.elapsed().as_secs_f64() * 1000.0);
            answer
        }};
    }
    for _ in 0..rounds {
        let organizations = timed!(0, cache.organizations(""));
        timed!(1, cache.organizations("больница"));
        let organization = &organizations[pick(organizations.len())];
        let clinics = timed!(2, cache.clinics(organization.id, ""));
        let Some(clinic) = clinics.get(pick(clinics.len())) else { continue };
        let services = timed!(3, cache.services(clinic.id, ""));
        timed!(4, cache.services(clinic.id, "b01"));
        let Some(service) = services.get(pick(services.len())) else { continue };
        let doctors = timed!(5, cache.doctors(clinic.id, service.id, "", now));
        let Some(choice) = doctors.get(pick(doctors.len())) else { continue };
        let month = timed!(6, cache.month(choice.doctor.id, service.id, first_of_month, now));
        let date = month.first_available.unwrap_or(today);
        timed!(7, cache.day_slots(choice.doctor.id, service.id, date, now));
    }
    let mut worst: f64 = 0.0;
    for (name, samples) in &mut timings {
        let p95 = percentile(samples, 95.0);
        worst = worst.max(p95);
        println!("{name:>16}: p95 {p95:.2} ms, median {:.2} ms ({} queries)", percentile(samples, 50.0), samples.len());
    }
    println!("wizard list queries: worst p95 {worst:.2} ms (goal <= 5 ms)");
    cache.close().await;
    Ok(())
}

/// Cheap, reproducible picks below a length (SplitMix64 from `seed`).
fn picker(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |len: usize| {
        seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % len.max(1) as u64) as usize
    }
}

fn percentile(samples: &mut [f64], percent: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    samples.sort_by(f64::total_cmp);
    let rank = ((percent / 100.0) * (samples.len() - 1) as f64).round() as usize;
    samples[rank.min(samples.len() - 1)]
}

fn remove_database(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}

/// Times «Ближайшее время» on the cache at `cache_path` (synced beforehand)
/// against the server at `url`: the whole core call with the server's check,
/// the cache's query alone, and, as the floor of that check, one plain read
/// of a doctor's day from the server, for random services in each scope.
pub async fn nearest(url: &str, cache_path: &Path, rounds: usize) -> Result<()> {
    use registratura_core::cache::NearestScope;

    let registry = RegistryClient::new(url)?;
    let cache = ScheduleCache::open(cache_path).await?;
    let now = chrono::Utc::now().timestamp();
    // Every (service, clinic, organisation) a doctor offers, to pick from.
    let offers: Vec<(i64, i64, i64)> = {
        let connection = rusqlite::Connection::open(cache_path)?;
        let mut statement = connection.prepare(
            "SELECT DISTINCT ds.service_id, d.clinic_id, c.organization_id FROM doctor_service ds \
             JOIN doctor d ON d.id = ds.doctor_id JOIN clinic c ON c.id = d.clinic_id ORDER BY 1, 2",
        )?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
        rows.collect::<std::result::Result<_, _>>()?
    };
    if offers.is_empty() {
        return Err("the cache is empty: sync it first".into());
    }
    let mut pick = picker(0x0ea7);
    let names = ["clinic", "organisation", "region"];
    let mut whole: [Vec<f64>; 3] = Default::default();
    let mut query: [Vec<f64>; 3] = Default::default();
    let mut day_reads = Vec::with_capacity(rounds);
    let mut found = 0usize;
    for _ in 0..rounds {
        let (service_id, clinic_id, organization_id) = offers[pick(offers.len())];
        let scopes = [
            NearestScope::Clinic(clinic_id),
            NearestScope::Organization(organization_id),
            NearestScope::Region,
        ];
        for (index, scope) in scopes.into_iter().enumerate() {
            let started = Instant::now();
            cache.nearest_candidate(service_id, scope, now).await?;
            query[index].push(started.elapsed().as_secs_f64() * 1000.0);
            let started = Instant::now();
            let offered = cache.nearest(&registry, service_id, scope, now).await?;
            whole[index].push(started.elapsed().as_secs_f64() * 1000.0);
            if let Some(offered) = offered {
                found += 1;
                if index == 0 {
                    let started = Instant::now();
                    registry
                        .day_slots(offered.doctor.doctor.id, service_id, offered.date)
                        .await?;
                    day_reads.push(started.elapsed().as_secs_f64() * 1000.0);
                }
            }
        }
    }
    let mut worst: f64 = 0.0;
    let mut worst_query: f64 = 0.0;
    for index in 0..3 {
        let p95 = percentile(&mut whole[index], 95.0);
        let query_p95 = percentile(&mut query[index], 95.0);
        worst = worst.max(p95);
        worst_query = worst_query.max(query_p95);
        println!(
            "nearest in a {:>12}: p95 {p95:.2} ms, median {:.2} ms with the server's check; the cache's query alone p95 {query_p95:.2} ms",
            names[index],
            percentile(&mut whole[index], 50.0)
        );
    }
    println!("{found} times offered in {} searches", rounds * 3);
    let floor = percentile(&mut day_reads, 95.0);
    println!(
        "one day read from the server, the check's floor: p95 {floor:.2} ms ({} reads)",
        day_reads.len()
    );
    println!(
        "nearest free time: worst p95 {worst:.2} ms with the server's check (goal <= 20 ms), cache query p95 {worst_query:.2} ms, plain server day read p95 {floor:.2} ms"
    );
    cache.close().await;
    Ok(())
}
