use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;
use registratura_core::api::{Clinic, Day, DayStatus, Doctor, Organization, Slot, SlotStatus};
use registratura_core::calendar::clinic_date;
use registratura_core::identity::{PolicyNumber, Snils};
use registratura_core::region::KALUGA;
use registry_server::demo::{self, Size};
use registry_server::store::NewPatient;
use registry_server::{AppState, Clock, Store};
use serde_json::Value;
use tokio::net::TcpListener;

/// Runs `$body` (an async block using `app`) once per backend, as two tests
/// named `sqlite` and `postgres` inside a module named after the test.
macro_rules! on_both_backends {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $app = crate::support::TestApp::spawn(crate::support::Backend::Sqlite).await;
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let $app = crate::support::TestApp::spawn(crate::support::Backend::Postgres).await;
                $body
            }
        }
    };
}
pub(crate) use on_both_backends;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A server on a loopback port over a freshly generated demo region.
#[derive(Debug)]
pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub clock: Clock,
    pub http: reqwest::Client,
    pub database_url: String,
    /// With [`TestApp::spawn_with_standby`]: a connection to the standby's
    /// copy of the database, to watch and pause its replay.
    pub standby: Option<sqlx::PgPool>,
}

static NEXT_DATABASE: AtomicUsize = AtomicUsize::new(0);

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        let database_url = fresh_database(backend).await;
        let store = Store::open(&database_url).await.expect("open the test database");
        Self::serve(store, database_url, None).await
    }

    /// A PostgreSQL server whose public reads go to the hot standby that
    /// tests/support/with-postgres runs (`REGISTRATURA_TEST_PG_STANDBY_URL`),
    /// once the standby has replayed the demo region.
    pub async fn spawn_with_standby() -> Self {
        let database_url = fresh_database(Backend::Postgres).await;
        let standby_server = std::env::var("REGISTRATURA_TEST_PG_STANDBY_URL")
            .expect("REGISTRATURA_TEST_PG_STANDBY_URL is not set: tests/support/with-postgres starts the standby");
        let (_, name) = database_url.rsplit_once('/').expect("url with a database name");
        let standby_url = format!("{standby_server}/{name}");
        let store = Store::open(&database_url).await.expect("open the test database");
        // The standby has the new database only once it has replayed its creation.
        let started = std::time::Instant::now();
        let standby = loop {
            match sqlx::PgPool::connect(&standby_url).await {
                Ok(pool) => break pool,
                Err(_) if started.elapsed() < std::time::Duration::from_secs(30) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
                Err(error) => panic!("the standby never had {name}: {error}"),
            }
        };
        let store = store.with_read_replica(&standby_url).await.expect("connect the read replica");
        let app = Self::serve(store, database_url, Some(standby)).await;
        app.standby_caught_up().await;
        app
    }

    /// Waits until the standby has replayed everything the primary wrote.
    pub async fn standby_caught_up(&self) {
        let (Store::Postgres { write, .. }, Some(standby)) = (&self.store, &self.standby) else {
            panic!("no standby");
        };
        let written: String = sqlx::query_scalar("SELECT pg_current_wal_lsn()::text").fetch_one(write).await.expect("primary's WAL position");
        let started = std::time::Instant::now();
        loop {
            let replayed: bool = sqlx::query_scalar("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn")
                .bind(&written)
                .fetch_one(standby)
                .await
                .expect("standby's replay position");
            if replayed {
                return;
            }
            assert!(started.elapsed() < std::time::Duration::from_secs(30), "the standby did not catch up");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    async fn serve(store: Store, database_url: String, standby: Option<sqlx::PgPool>) -> Self {
        let clock = Clock::system();
        let region = demo::generate(Size::Demo, 1, today());
        store.load(&region, clock.now()).await.expect("load the demo region");
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let router = registry_server::app(AppState::new(store.clone(), clock.clone(), &base, true));
        tokio::spawn(async move {
            let _ = registry_server::serve(listener, router, std::future::pending()).await;
        });
        let http = reqwest::Client::builder().pool_max_idle_per_host(256).build().expect("client");
        Self { base, store, clock, http, database_url, standby }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// GETs `path` and returns the status and the JSON body.
    pub async fn get(&self, path: &str) -> (u16, Value) {
        let response = self.http.get(self.url(path)).send().await.expect("request");
        status_and_json(response).await
    }

    /// GETs `path` as `token`'s patient.
    pub async fn get_as(&self, token: &str, path: &str) -> (u16, Value) {
        let response = self.http.get(self.url(path)).bearer_auth(token).send().await.expect("request");
        status_and_json(response).await
    }

    /// POSTs JSON to `path` as `token`'s patient.
    pub async fn post_as(&self, token: &str, path: &str, body: &Value) -> (u16, Value) {
        let response = self.http.post(self.url(path)).bearer_auth(token).json(body).send().await.expect("request");
        status_and_json(response).await
    }

    /// Books as `token`'s patient with an idempotency key.
    pub async fn book(&self, token: &str, key: &str, body: &Value) -> (u16, Value) {
        self.post_with_key(token, "/api/v1/appointments", key, body).await
    }

    /// POSTs JSON to `path` as `token` with an `Idempotency-Key`.
    async fn post_with_key(&self, token: &str, path: &str, key: &str, body: &Value) -> (u16, Value) {
        let response =
            self.http.post(self.url(path)).bearer_auth(token).header("Idempotency-Key", key).json(body).send().await.expect("request");
        status_and_json(response).await
    }

    /// A token for generated demo patient `number` (1–8 confirmed, 9–10 not).
    pub async fn demo_token(&self, number: i64) -> String {
        let patient = self.store.demo_patient(number).await.expect("query").expect("demo patient");
        self.token_for(patient).await
    }

    /// A token for a new confirmed patient, distinct for each `n`.
    pub async fn new_patient_token(&self, n: u32) -> String {
        let patient = NewPatient {
            last_name: "Тестов".to_owned(),
            first_name: "Пациент".to_owned(),
            middle_name: format!("№{n}"),
            birth_date: NaiveDate::from_ymd_opt(1970, 1, 1).expect("date"),
            policy: PolicyNumber::completing(&format!("77{n:013}")).expect("policy"),
            snils: Snils::from_number(300_000_000 + n),
            confirmed: true,
        };
        let id = self.store.upsert_patient(&patient).await.expect("create patient");
        self.token_for(id).await
    }

    /// Signs a demo staff member in through the broker's password grant.
    pub async fn staff_token(&self, login: &str) -> String {
        let response = self
            .http
            .post(self.url("/oauth/token"))
            .form(&[
                ("grant_type", "password"),
                ("client_id", registry_server::oauth::CLIENT_ID),
                ("scope", "desk"),
                ("username", login),
                ("password", demo::STAFF_PASSWORD),
            ])
            .send()
            .await
            .expect("request");
        let (status, body) = status_and_json(response).await;
        assert_eq!(status, 200, "staff sign-in of {login}: {body}");
        body["access_token"].as_str().expect("access_token").to_owned()
    }

    /// Books at the desk as `token`'s staff member.
    pub async fn desk_book(&self, token: &str, key: &str, body: &Value) -> (u16, Value) {
        self.post_with_key(token, "/api/v1/desk/appointments", key, body).await
    }

    /// A free or reserved slot (as `status` says) on a day after today at
    /// `clinic_id`, with its doctor's first service.
    pub async fn clinic_slot(&self, clinic_id: i64, status: SlotStatus) -> (Slot, i64, i64) {
        let doctors: Vec<Doctor> = self.typed(&format!("/api/v1/clinics/{clinic_id}/doctors")).await;
        for offset in 1..10 {
            let date = today() + chrono::Duration::days(offset);
            for doctor in &doctors {
                let service = doctor.service_ids[0];
                let slots: Vec<Slot> = self.typed(&format!("/api/v1/doctors/{}/slots?date={date}&service={service}", doctor.id)).await;
                if let Some(slot) = slots.into_iter().find(|slot| slot.status == status) {
                    return (slot, service, doctor.id);
                }
            }
        }
        panic!("clinic {clinic_id} has no {status:?} slot ahead");
    }

    pub async fn token_for(&self, patient_id: i64) -> String {
        let token = registry_server::store::new_token().expect("token");
        // Valid for a month, so tests that move the clock to a slot's start
        // keep their patients signed in.
        self.store.issue_token(patient_id, &token, self.clock.now() + 30 * 86_400).await.expect("issue token");
        token
    }

    pub async fn consent_version(&self) -> String {
        let (status, consent) = self.get("/api/v1/consent").await;
        assert_eq!(status, 200);
        consent["version"].as_str().expect("version").to_owned()
    }

    /// Walks the API to a doctor with at least `wanted` free slots on one
    /// day after today, and returns those slots with the doctor's service.
    pub async fn free_slots(&self, wanted: usize) -> FreeSlots {
        for (clinic, doctor) in self.region_doctors().await {
            let service = doctor.service_ids[0];
            let days: Vec<Day> = self.typed(&format!("/api/v1/doctors/{}/dates?service={service}", doctor.id)).await;
            for day in days.iter().skip(1).filter(|day| day.status == DayStatus::Available) {
                let slots: Vec<Slot> =
                    self.typed(&format!("/api/v1/doctors/{}/slots?date={}&service={service}", doctor.id, day.date)).await;
                let free: Vec<Slot> = slots.into_iter().filter(|slot| slot.status == SlotStatus::Free).collect();
                if free.len() >= wanted {
                    return FreeSlots { clinic, doctor, service_id: service, date: day.date, slots: free };
                }
            }
        }
        panic!("no doctor has {wanted} free slots on one day");
    }

    /// A free slot of another doctor anywhere in the region that overlaps
    /// `slot` in time, with that doctor's first service.
    pub async fn overlapping_free_slot(&self, free: &FreeSlots, slot: &Slot) -> (Slot, i64) {
        for (_, doctor) in self.region_doctors().await.iter().filter(|(_, doctor)| doctor.id != free.doctor.id) {
            let service = doctor.service_ids[0];
            let slots: Vec<Slot> = self.typed(&format!("/api/v1/doctors/{}/slots?date={}&service={service}", doctor.id, free.date)).await;
            let overlaps = |other: &Slot| other.status == SlotStatus::Free && other.start < slot.end && other.end > slot.start;
            if let Some(other) = slots.into_iter().find(overlaps) {
                return (other, service);
            }
        }
        panic!("no other doctor is free at {}", slot.start);
    }

    /// Every doctor of the region with their clinic, walked through the
    /// directory as an app walks it.
    async fn region_doctors(&self) -> Vec<(Clinic, Doctor)> {
        let mut found = Vec::new();
        let organizations: Vec<Organization> = self.typed("/api/v1/organizations").await;
        for organization in &organizations {
            let clinics: Vec<Clinic> = self.typed(&format!("/api/v1/organizations/{}/clinics", organization.id)).await;
            for clinic in clinics {
                let doctors: Vec<Doctor> = self.typed(&format!("/api/v1/clinics/{}/doctors", clinic.id)).await;
                found.extend(doctors.into_iter().map(|doctor| (clinic.clone(), doctor)));
            }
        }
        found
    }

    /// A slot of the given status on a day after today.
    pub async fn slot_with_status(&self, status: SlotStatus) -> (Slot, i64, i64) {
        for (_, doctor) in self.region_doctors().await {
            let service = doctor.service_ids[0];
            for offset in 1..7 {
                let date = today() + chrono::Duration::days(offset);
                let slots: Vec<Slot> = self.typed(&format!("/api/v1/doctors/{}/slots?date={date}&service={service}", doctor.id)).await;
                if let Some(slot) = slots.into_iter().find(|slot| slot.status == status) {
                    return (slot, service, doctor.id);
                }
            }
        }
        panic!("no slot with status {status:?}");
    }

    /// GETs `path` expecting 200 and a body of type `T`.
    pub async fn typed<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        let (status, body) = self.get(path).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_value(body).unwrap_or_else(|error| panic!("GET {path}: {error}"))
    }

    /// The status of one slot as the day's listing shows it.
    pub async fn slot_status(&self, free: &FreeSlots, slot_id: i64) -> SlotStatus {
        let slots: Vec<Slot> = self
            .typed(&format!("/api/v1/doctors/{}/slots?date={}&service={}", free.doctor.id, free.date, free.service_id))
            .await;
        slots.into_iter().find(|slot| slot.id == slot_id).expect("slot listed").status
    }
}

/// Free slots of one doctor on one day.
#[derive(Debug, Clone)]
pub struct FreeSlots {
    pub clinic: Clinic,
    pub doctor: Doctor,
    pub service_id: i64,
    pub date: NaiveDate,
    pub slots: Vec<Slot>,
}

impl FreeSlots {
    pub fn booking(&self, index: usize, consent: &str) -> Value {
        serde_json::json!({
            "slot_id": self.slots[index].id,
            "service_id": self.service_id,
            "consent_version": consent,
            "phone": "+79101234567",
        })
    }
}

pub fn today() -> NaiveDate {
    clinic_date(chrono::Utc::now(), KALUGA.time_zone)
}

pub async fn status_and_json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let json = serde_json::from_str(&text).unwrap_or_else(|_| panic!("status {status}: not JSON: {text:?}"));
    (status, json)
}

async fn fresh_database(backend: Backend) -> String {
    let n = NEXT_DATABASE.fetch_add(1, Ordering::SeqCst);
    let name = format!("t{}_{n}", std::process::id());
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join("registratura-api-tests");
            std::fs::create_dir_all(&dir).expect("temp dir");
            let path = dir.join(format!("{name}.sqlite3"));
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            format!("sqlite:{}", path.display())
        }
        Backend::Postgres => {
            let admin = std::env::var("REGISTRATURA_TEST_PG_URL").expect(
                "REGISTRATURA_TEST_PG_URL is not set: the PostgreSQL tests run under scripts/test, \
                 which starts a private PostgreSQL (or set it to a database you may create databases from)",
            );
            let pool = sqlx::PgPool::connect(&admin).await.expect("connect to the test PostgreSQL");
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await.expect("create database");
            pool.close().await;
            let (server, _) = admin.rsplit_once('/').expect("url with a database name");
            format!("{server}/{name}")
        }
    }
}
