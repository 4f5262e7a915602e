//! The cache against a real registry server (the embedded one, on SQLite).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use chrono::NaiveDate;
use registry_server::embedded::EmbeddedServer;

use super::*;
use crate::api::{BookingRequest, DayStatus, SlotStatus};
use crate::registry::RegistryClient;
use crate::sensitive::Sensitive;

struct Fixture {
    dir: PathBuf,
    server: EmbeddedServer,
    registry: RegistryClient,
}

async fn fixture() -> Fixture {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "registratura-cache-test-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let server = EmbeddedServer::start(&dir.join("registry.sqlite3")).await.expect("server starts");
    let registry = RegistryClient::new(&server.base_url()).expect("client");
    Fixture { dir, server, registry }
}

impl Fixture {
    async fn token(&self, patient: i64) -> Sensitive<String> {
        let store = self.server.store();
        let id = store.demo_patient(patient).await.expect("query").expect("a demo patient");
        let token = registry_server::store::new_token().expect("token");
        store.issue_token(id, &token, now() + 3600).await.expect("issue");
        Sensitive::new(token)
    }

    /// The first free slot of some doctor, after `now`, from the cache.
    async fn a_free_slot(&self, cache: &ScheduleCache) -> (i64, i64, NaiveDate, crate::api::Slot) {
        let (doctor_id, service_id): (i64, i64) = sqlx::query_as(
            "SELECT ds.doctor_id, ds.service_id FROM doctor_service ds ORDER BY ds.doctor_id, ds.service_id LIMIT 1",
        )
        .fetch_one(&cache.pool)
        .await
        .expect("a doctor");
        let month = cache.month(doctor_id, service_id, today(), now()).await.expect("month");
        let date = month.first_available.expect("the demo schedule has free days");
        let slots = cache.day_slots(doctor_id, service_id, date, now()).await.expect("slots");
        let slot = slots.into_iter().find(|slot| slot.status == SlotStatus::Free).expect("a free slot");
        (doctor_id, service_id, date, slot)
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn today() -> NaiveDate {
    crate::calendar::clinic_date(chrono::Utc::now(), crate::region::KALUGA.time_zone)
}

#[tokio::test]
async fn the_first_sync_takes_a_snapshot_and_every_step_answers_from_it() {
    let fixture = fixture().await;
    let cache = ScheduleCache::open(&fixture.dir.join("cache.sqlite3")).await.expect("open");
    assert!(!cache.status().await.expect("status").ready);

    let reports = Mutex::new(Vec::new());
    let report = cache
        .sync(&fixture.registry, &|progress| reports.lock().expect("lock").push(progress))
        .await
        .expect("sync");
    assert_eq!(report.outcome, SyncOutcome::Snapshot);
    assert!(report.slots_written > 10_000, "{report:?}");
    let reports = reports.into_inner().expect("lock");
    let last = reports.last().expect("progress reported");
    assert_eq!((last.phase, last.done, last.total), (SyncPhase::Write, report.slots_written as u64, report.slots_written as u64));
    let status = cache.status().await.expect("status");
    assert!(status.ready);
    assert_eq!(status.slots, report.slots_written as i64);

    let organizations = cache.organizations("").await.expect("organizations");
    assert_eq!(organizations.len(), 6);
    // Searching folds Cyrillic case.
    let first_word = organizations[0].name.split_whitespace().last().expect("a word").to_uppercase();
    assert!(cache.organizations(&first_word).await.expect("search").iter().any(|o| o.id == organizations[0].id));
    assert!(cache.organizations("нет такой организации").await.expect("search").is_empty());

    let clinics = cache.clinics(organizations[0].id, "").await.expect("clinics");
    assert!(!clinics.is_empty());
    assert!(clinics.iter().all(|clinic| clinic.organization_id == organizations[0].id));
    let services = cache.services(clinics[0].id, "").await.expect("services");
    assert!(!services.is_empty());
    let by_code = cache.services(clinics[0].id, &services[0].code.to_lowercase()).await.expect("by code");
    assert_eq!(by_code[0].id, services[0].id);
    let doctors = cache.doctors(clinics[0].id, services[0].id, "", now()).await.expect("doctors");
    assert!(!doctors.is_empty());
    assert!(doctors.iter().all(|choice| choice.doctor.service_ids.contains(&services[0].id)));
    let surname = &doctors[0].doctor.last_name;
    let found = cache.doctors(clinics[0].id, services[0].id, &surname.to_lowercase(), now()).await.expect("by surname");
    assert!(found.iter().any(|choice| choice.doctor.id == doctors[0].doctor.id));

    // The cache agrees with the server on the calendar and the day.
    let doctor = &doctors[0].doctor;
    let month = cache.month(doctor.id, services[0].id, today(), now()).await.expect("month");
    assert_eq!(month.today, today());
    let available = month.days.iter().find(|day| day.status == DayStatus::Available).expect("an available day");
    let cached = cache.day_slots(doctor.id, services[0].id, available.date, now()).await.expect("cached day");
    let served = fixture.registry.day_slots(doctor.id, services[0].id, available.date).await.expect("served day");
    assert_eq!(cached, served);
    assert_eq!(cached.iter().filter(|slot| slot.status == SlotStatus::Free).count() as u32, available.free_slots);

    // A doctor who does not offer the service has no calendar for it.
    let other = cache.services(clinics[0].id, "").await.expect("services").into_iter().find(|s| !doctor.service_ids.contains(&s.id));
    if let Some(other) = other {
        let error = cache.month(doctor.id, other.id, today(), now()).await.expect_err("not offered");
        assert_eq!(error.kind(), crate::ErrorKind::NotFound);
    }

    let again = cache.sync(&fixture.registry, &|_| {}).await.expect("second sync");
    assert_eq!((again.outcome, again.slots_written), (SyncOutcome::Unchanged, 0));
}

#[tokio::test]
async fn a_booking_elsewhere_reaches_the_cache_as_a_delta_and_the_stale_slot_is_refused() {
    let fixture = fixture().await;
    let cache = ScheduleCache::open(&fixture.dir.join("cache.sqlite3")).await.expect("open");
    cache.sync(&fixture.registry, &|_| {}).await.expect("snapshot");
    let (doctor_id, service_id, date, slot) = fixture.a_free_slot(&cache).await;
    let consent = fixture.registry.consent().await.expect("consent");
    let request = BookingRequest { slot_id: slot.id, service_id, consent_version: consent.version, phone: None };

    // Someone else takes the slot; this cache has not heard yet.
    let other = fixture.token(2).await;
    fixture.registry.book(&other, "elsewhere-1", &request).await.expect("the other patient books");
    let stale = cache.day_slots(doctor_id, service_id, date, now()).await.expect("day");
    assert_eq!(stale.iter().find(|s| s.id == slot.id).expect("the slot").status, SlotStatus::Free);

    // The server has the last word.
    let mine = fixture.token(1).await;
    let error = fixture.registry.book(&mine, "mine-1", &request).await.expect_err("taken");
    assert_eq!(error.kind(), crate::ErrorKind::SlotTaken);

    // Re-reading the day puts the truth in the cache at once…
    let served = fixture.registry.day_slots(doctor_id, service_id, date).await.expect("served day");
    cache.store_slots(doctor_id, &served).await.expect("store the day");
    let fresh = cache.day_slots(doctor_id, service_id, date, now()).await.expect("day");
    assert_eq!(fresh.iter().find(|s| s.id == slot.id).expect("the slot").status, SlotStatus::Busy);

    // …and the next sync brings it as a small delta.
    let report = cache.sync(&fixture.registry, &|_| {}).await.expect("delta");
    assert_eq!(report.outcome, SyncOutcome::Changes);
    assert!(report.slots_written >= 1 && report.slots_written < 10, "{report:?}");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM slot").fetch_one(&cache.pool).await.expect("count");
    assert_eq!(cache.status().await.expect("status").slots, count);
}

// The server hands a second app the snapshot it built for the first; the
// booking made in between reaches the second app in the same sync.
#[tokio::test]
async fn a_snapshot_built_before_a_booking_is_caught_up_in_the_same_sync() {
    let fixture = fixture().await;
    let first = ScheduleCache::open(&fixture.dir.join("first.sqlite3")).await.expect("open");
    first.sync(&fixture.registry, &|_| {}).await.expect("snapshot");
    let (doctor_id, service_id, date, slot) = fixture.a_free_slot(&first).await;
    let consent = fixture.registry.consent().await.expect("consent");
    let request = BookingRequest { slot_id: slot.id, service_id, consent_version: consent.version, phone: None };
    fixture.registry.book(&fixture.token(2).await, "between-syncs", &request).await.expect("books");

    let second = ScheduleCache::open(&fixture.dir.join("second.sqlite3")).await.expect("open");
    let report = second.sync(&fixture.registry, &|_| {}).await.expect("snapshot and changes");
    assert_eq!(report.outcome, SyncOutcome::Snapshot);
    let day = second.day_slots(doctor_id, service_id, date, now()).await.expect("day");
    assert_eq!(day.iter().find(|s| s.id == slot.id).expect("the slot").status, SlotStatus::Busy);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM slot").fetch_one(&second.pool).await.expect("count");
    assert_eq!(second.status().await.expect("status").slots, count);
}

#[tokio::test]
async fn a_damaged_cache_file_is_rebuilt_and_resyncs() {
    let fixture = fixture().await;
    let path = fixture.dir.join("cache.sqlite3");
    let cache = ScheduleCache::open(&path).await.expect("open");
    cache.sync(&fixture.registry, &|_| {}).await.expect("snapshot");
    cache.close().await;

    // Cut the file in half, as a full disk or a crash of the disk might.
    let length = std::fs::metadata(&path).expect("file").len();
    std::fs::OpenOptions::new().write(true).open(&path).expect("open file").set_len(length / 2).expect("truncate");
    let reopened = ScheduleCache::open(&path).await.expect("a truncated cache reopens");
    assert!(!reopened.status().await.expect("status").ready, "rebuilt empty");
    reopened.sync(&fixture.registry, &|_| {}).await.expect("resync");
    assert_eq!(reopened.organizations("").await.expect("organizations").len(), 6);
    reopened.close().await;

    std::fs::write(&path, b"this is not a database, just words in a file").expect("garbage");
    let _ = std::fs::remove_file(path.with_extension("sqlite3-wal"));
    let rebuilt = ScheduleCache::open(&path).await.expect("a garbage file reopens");
    assert!(!rebuilt.status().await.expect("status").ready);
}

#[tokio::test]
async fn a_sync_stopped_half_way_leaves_the_previous_cache() {
    let fixture = fixture().await;
    let path = fixture.dir.join("cache.sqlite3");
    let cache = ScheduleCache::open(&path).await.expect("open");

    // Stop the first sync in the middle of writing slots.
    let (reached, mut written) = tokio::sync::watch::channel(0_u64);
    let syncing = {
        let cache = cache.clone();
        let registry = fixture.registry.clone();
        tokio::spawn(async move {
            let _ = cache
                .sync(&registry, &move |progress| {
                    if progress.phase == SyncPhase::Write {
                        let _ = reached.send(1);
                    }
                })
                .await;
        })
    };
    written.wait_for(|done| *done > 0).await.expect("the write phase starts");
    syncing.abort();
    let _ = syncing.await;
    cache.close().await;

    let reopened = ScheduleCache::open(&path).await.expect("reopens");
    let status = reopened.status().await.expect("status");
    assert!(!status.ready, "nothing half-written is visible");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM slot").fetch_one(&reopened.pool).await.expect("count");
    assert_eq!(count, 0);
    let report = reopened.sync(&fixture.registry, &|_| {}).await.expect("resync");
    assert_eq!(report.outcome, SyncOutcome::Snapshot);
}

/// The earliest free start of the service in the cache, found the slow way:
/// every slot of every doctor offering it.
async fn earliest_free(
    cache: &ScheduleCache,
    service_id: i64,
    clinic_id: Option<i64>,
) -> Option<i64> {
    sqlx::query_scalar(
        "SELECT min(s.starts_at) FROM slot s JOIN doctor_service ds ON ds.doctor_id = s.doctor_id \
         JOIN doctor d ON d.id = s.doctor_id \
         WHERE ds.service_id = $1 AND s.status = 'f' AND s.starts_at > $2 AND ($3 IS NULL OR d.clinic_id = $3)",
    )
    .bind(service_id)
    .bind(now())
    .bind(clinic_id)
    .fetch_one(&cache.pool)
    .await
    .expect("earliest")
}

/// A synced cache, and the service most doctors offer, so that the region
/// has a choice.
async fn synced_with_busiest_service(fixture: &Fixture) -> (ScheduleCache, i64) {
    let cache = ScheduleCache::open(&fixture.dir.join("cache.sqlite3")).await.expect("open");
    cache.sync(&fixture.registry, &|_| {}).await.expect("snapshot");
    let service_id =
        sqlx::query_scalar("SELECT service_id FROM doctor_service GROUP BY service_id ORDER BY count(*) DESC, service_id LIMIT 1")
            .fetch_one(&cache.pool)
            .await
            .expect("a service");
    (cache, service_id)
}

#[tokio::test]
async fn the_nearest_time_is_the_earliest_free_one_in_scope_and_the_server_confirms_it() {
    let fixture = fixture().await;
    let (cache, service_id) = synced_with_busiest_service(&fixture).await;

    let region = cache
        .nearest(&fixture.registry, service_id, NearestScope::Region, now())
        .await
        .expect("nearest")
        .expect("a time");
    assert_eq!(
        Some(region.slot.start.timestamp()),
        earliest_free(&cache, service_id, None).await
    );
    assert_eq!(region.slot.status, SlotStatus::Free);
    assert!(region.doctor.doctor.service_ids.contains(&service_id));
    assert_eq!(
        (
            region.doctor.doctor.clinic_id,
            region.clinic.organization_id
        ),
        (region.clinic.id, region.organization.id)
    );
    assert_eq!(
        region.date,
        crate::calendar::clinic_instant(
            region.slot.start.timestamp(),
            crate::region::KALUGA.time_zone
        )
        .date_naive()
    );
    let served = fixture
        .registry
        .day_slots(region.doctor.doctor.id, service_id, region.date)
        .await
        .expect("served day");
    assert!(served
        .iter()
        .any(|slot| slot.id == region.slot.id && slot.status == SlotStatus::Free));

    // Narrower scopes stay inside their clinic and organisation.
    let (clinic_id, organization_id): (i64, i64) = sqlx::query_as(
        "SELECT c.id, c.organization_id FROM clinic c JOIN doctor d ON d.clinic_id = c.id \
         JOIN doctor_service ds ON ds.doctor_id = d.id AND ds.service_id = $1 ORDER BY c.id DESC LIMIT 1",
    )
    .bind(service_id)
    .fetch_one(&cache.pool)
    .await
    .expect("a clinic offering it");
    let in_clinic = cache
        .nearest(
            &fixture.registry,
            service_id,
            NearestScope::Clinic(clinic_id),
            now(),
        )
        .await
        .expect("nearest")
        .expect("a time");
    assert_eq!(in_clinic.clinic.id, clinic_id);
    assert_eq!(
        Some(in_clinic.slot.start.timestamp()),
        earliest_free(&cache, service_id, Some(clinic_id)).await
    );
    let in_organization = cache
        .nearest(
            &fixture.registry,
            service_id,
            NearestScope::Organization(organization_id),
            now(),
        )
        .await
        .expect("nearest")
        .expect("a time");
    assert_eq!(in_organization.organization.id, organization_id);
    assert!(in_organization.slot.start <= in_clinic.slot.start);

    // A clinic where nobody offers the service has no time to offer.
    let elsewhere: Option<i64> = sqlx::query_scalar(
        "SELECT c.id FROM clinic c WHERE NOT EXISTS (SELECT 1 FROM doctor d JOIN doctor_service ds ON ds.doctor_id = d.id \
         WHERE d.clinic_id = c.id AND ds.service_id = $1) LIMIT 1",
    )
    .bind(service_id)
    .fetch_optional(&cache.pool)
    .await
    .expect("query");
    if let Some(clinic_id) = elsewhere {
        assert_eq!(
            cache
                .nearest(
                    &fixture.registry,
                    service_id,
                    NearestScope::Clinic(clinic_id),
                    now()
                )
                .await
                .expect("nearest"),
            None
        );
    }
}

#[tokio::test]
async fn a_nearest_time_taken_since_the_last_sync_is_never_offered() {
    let fixture = fixture().await;
    let (cache, service_id) = synced_with_busiest_service(&fixture).await;
    let candidate = cache
        .nearest_candidate(service_id, NearestScope::Region, now())
        .await
        .expect("query")
        .expect("a candidate");

    // Another patient takes it; this cache has not heard.
    let consent = fixture.registry.consent().await.expect("consent");
    let request = BookingRequest {
        slot_id: candidate.slot_id,
        service_id,
        consent_version: consent.version,
        phone: None,
    };
    fixture
        .registry
        .book(&fixture.token(2).await, "taken-first", &request)
        .await
        .expect("the other patient books");

    let offered = cache
        .nearest(&fixture.registry, service_id, NearestScope::Region, now())
        .await
        .expect("nearest")
        .expect("a time");
    assert_ne!(offered.slot.id, candidate.slot_id);
    assert!(offered.slot.start.timestamp() >= candidate.starts_at);
    let status: String = sqlx::query_scalar("SELECT status FROM slot WHERE id = $1")
        .bind(candidate.slot_id)
        .fetch_one(&cache.pool)
        .await
        .expect("the taken slot");
    assert_eq!(status, "b", "the server's answer is kept in the cache");
}

#[tokio::test]
async fn booking_again_opens_at_the_same_doctor_or_at_the_clinics_nearest_time() {
    let fixture = fixture().await;
    // Never synced, as when the appointment was booked on another device.
    let cache = ScheduleCache::open(&fixture.dir.join("cache.sqlite3")).await.expect("open");
    let (doctor_id, service_id, clinic_id): (i64, i64, i64) = {
        let other = ScheduleCache::open(&fixture.dir.join("other.sqlite3")).await.expect("open");
        other.sync(&fixture.registry, &|_| {}).await.expect("snapshot");
        let (doctor_id, service_id, _, _) = fixture.a_free_slot(&other).await;
        let clinic_id = sqlx::query_scalar("SELECT clinic_id FROM doctor WHERE id = $1")
            .bind(doctor_id)
            .fetch_one(&other.pool)
            .await
            .expect("the doctor's clinic");
        (doctor_id, service_id, clinic_id)
    };

    let again = cache.booking_again(&fixture.registry, clinic_id, doctor_id, service_id, now()).await.expect("again");
    assert!(cache.status().await.expect("status").ready, "the cache was synced first");
    let doctor = again.doctor.expect("the same doctor, who has a free time");
    assert_eq!((doctor.doctor.id, again.service.id, again.clinic.id), (doctor_id, service_id, clinic_id));
    assert_eq!(again.organization.id, again.clinic.organization_id);
    assert!(doctor.nearest_free_date.is_some());
    assert_eq!(again.nearest, None);

    // A doctor who no longer offers the service: the clinic's nearest time
    // for it, with another doctor who does.
    let stranger: i64 = sqlx::query_scalar(
        "SELECT d.id FROM doctor d WHERE d.clinic_id = $1 AND NOT EXISTS \
         (SELECT 1 FROM doctor_service ds WHERE ds.doctor_id = d.id AND ds.service_id = $2) LIMIT 1",
    )
    .bind(clinic_id)
    .bind(service_id)
    .fetch_optional(&cache.pool)
    .await
    .expect("query")
    .unwrap_or(-1);
    let again = cache.booking_again(&fixture.registry, clinic_id, stranger, service_id, now()).await.expect("again");
    assert_eq!(again.doctor, None);
    let nearest = again.nearest.expect("the clinic's nearest time");
    assert_eq!(nearest.clinic.id, clinic_id);
    assert!(nearest.doctor.doctor.service_ids.contains(&service_id));
    assert_eq!(Some(nearest.slot.start.timestamp()), earliest_free(&cache, service_id, Some(clinic_id)).await);

    // A clinic the region no longer has.
    let error = cache.booking_again(&fixture.registry, -5, doctor_id, service_id, now()).await.expect_err("gone");
    assert_eq!(error.kind(), crate::ErrorKind::NotFound);
}
