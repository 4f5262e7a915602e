//! The crash and failover drills' bookkeeping: what each booking was
//! answered, written down as it happened, and checked against the database
//! once the server is back.
//!
//! A journal has one line a booking: `acknowledged ID` for a 201 (the
//! appointment's id), `refused PATIENT` for a 409, and `unanswered PATIENT
//! SLOT SERVICE` for a request that got no answer or a 5xx. A booking's
//! idempotency key and token follow from its load patient's number, so a
//! retry sends exactly the request that went unanswered.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use registry_server::Store;

use crate::{bench_token, Result};

/// One booking as the load sent it.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    pub patient: usize,
    pub slot_id: i64,
    pub service_id: i64,
}

impl Request {
    fn idempotency_key(self) -> String {
        format!("bench-{}", self.patient)
    }
}

/// What a booking was answered.
#[derive(Debug, Clone)]
pub enum Entry {
    /// 201: the booking happened; its appointment's id.
    Acknowledged(i64),
    /// 409: refused (the slot was taken); the load patient.
    Refused(usize),
    /// No answer, or one that says nothing of the booking (a 5xx).
    Unanswered(Request),
}

impl Entry {
    /// The entry for `request` from the answer it got.
    pub async fn of(request: Request, response: reqwest::Result<reqwest::Response>) -> Entry {
        match response {
            Ok(response) if response.status() == 201 => match response.json::<serde_json::Value>().await {
                Ok(body) => body["id"].as_i64().map_or(Entry::Unanswered(request), Entry::Acknowledged),
                // The status came but the body did not: the client never saw
                // the acknowledgement in full, so it does not count as one.
                Err(_) => Entry::Unanswered(request),
            },
            Ok(response) if response.status() == 409 => Entry::Refused(request.patient),
            _ => Entry::Unanswered(request),
        }
    }

    fn line(&self) -> String {
        match self {
            Entry::Acknowledged(id) => format!("acknowledged {id}"),
            Entry::Refused(patient) => format!("refused {patient}"),
            Entry::Unanswered(request) => format!("unanswered {} {} {}", request.patient, request.slot_id, request.service_id),
        }
    }

    fn parse(line: &str) -> Result<Entry> {
        let words: Vec<&str> = line.split_whitespace().collect();
        Ok(match words.as_slice() {
            ["acknowledged", id] => Entry::Acknowledged(id.parse()?),
            ["refused", patient] => Entry::Refused(patient.parse()?),
            ["unanswered", patient, slot_id, service_id] => {
                Entry::Unanswered(Request { patient: patient.parse()?, slot_id: slot_id.parse()?, service_id: service_id.parse()? })
            }
            _ => return Err(format!("not a journal line: {line:?}").into()),
        })
    }
}

pub fn write_journal(path: &Path, entries: &[Entry]) -> Result<()> {
    std::fs::write(path, entries.iter().map(|entry| entry.line() + "\n").collect::<String>())?;
    Ok(())
}

fn read_journal(path: &Path) -> Result<Vec<Entry>> {
    std::fs::read_to_string(path)?.lines().filter(|line| !line.is_empty()).map(Entry::parse).collect()
}

/// Sends each unanswered booking of `journal` again, with its own key, until
/// the server answers it (for up to a minute each), and journals the answers
/// to `out`. A booking that happened before the crash is answered 201 with
/// that same appointment; one that did not is booked now, once.
pub async fn retry(url: &str, journal: &Path, out: &Path) -> Result<()> {
    let consent: serde_json::Value = reqwest::get(format!("{url}/api/v1/consent")).await?.json().await?;
    let consent = consent["version"].as_str().unwrap_or_default().to_owned();
    let http = reqwest::Client::new();
    let mut entries = Vec::new();
    for entry in read_journal(journal)? {
        let Entry::Unanswered(request) = entry else { continue };
        let started = Instant::now();
        loop {
            let body = serde_json::json!({"slot_id": request.slot_id, "service_id": request.service_id, "consent_version": consent, "phone": null});
            let response = http
                .post(format!("{url}/api/v1/appointments"))
                .bearer_auth(bench_token(request.patient))
                .header("Idempotency-Key", request.idempotency_key())
                .json(&body)
                .send()
                .await;
            let answered = Entry::of(request, response).await;
            if !matches!(answered, Entry::Unanswered(_)) || started.elapsed() > Duration::from_secs(60) {
                entries.push(answered);
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let answered = |wanted: fn(&Entry) -> bool| entries.iter().filter(|entry| wanted(entry)).count();
    println!(
        "retry: {} sent again, {} acknowledged, {} refused, {} still unanswered",
        entries.len(),
        answered(|entry| matches!(entry, Entry::Acknowledged(_))),
        answered(|entry| matches!(entry, Entry::Refused(_))),
        answered(|entry| matches!(entry, Entry::Unanswered(_))),
    );
    write_journal(out, &entries)
}

/// Checks every journal against the database and prints `verify: A
/// acknowledged, L lost; R refused, P of them present; K keys booked twice`.
pub async fn verify(database_url: &str, journals: &[PathBuf]) -> Result<()> {
    let mut acknowledged = Vec::new();
    let mut refused = Vec::new();
    for journal in journals {
        for entry in read_journal(journal)? {
            match entry {
                Entry::Acknowledged(id) => acknowledged.push(id),
                Entry::Refused(patient) => refused.push(patient),
                Entry::Unanswered(_) => {}
            }
        }
    }
    let store = Store::open(database_url).await?;
    let mut found = 0;
    // The journals' numbers were parsed as integers, so writing them into
    // the SQL is safe.
    for chunk in acknowledged.chunks(1000) {
        let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        found += count(&store, &format!("SELECT COUNT(*) FROM appointment WHERE id IN ({list})")).await?;
    }
    let mut present = 0;
    for chunk in refused.chunks(1000) {
        let list = chunk.iter().map(|patient| format!("'bench-{patient}'")).collect::<Vec<_>>().join(", ");
        present += count(&store, &format!("SELECT COUNT(*) FROM appointment WHERE idempotency_key IN ({list})")).await?;
    }
    let twice = count(
        &store,
        "SELECT COUNT(*) FROM (SELECT patient_id, idempotency_key FROM appointment \
         GROUP BY patient_id, idempotency_key HAVING COUNT(*) > 1) AS repeated",
    )
    .await?;
    store.close().await;
    let lost = acknowledged.len() - usize::try_from(found)?;
    println!(
        "verify: {} acknowledged, {lost} lost; {} refused, {present} of them present; {twice} keys booked twice",
        acknowledged.len(),
        refused.len()
    );
    Ok(())
}

async fn count(store: &Store, sql: &str) -> Result<i64> {
    Ok(match store {
        Store::Sqlite { read, .. } => sqlx::query_scalar(sql).fetch_one(read).await?,
        Store::Postgres { write, .. } => sqlx::query_scalar(sql).fetch_one(write).await?,
    })
}
