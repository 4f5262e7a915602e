//! Filling the cache from the registry's sync feed: a snapshot the first
//! time (or when the directory changed), then only the slots that changed.

use std::time::Instant;

use serde::Serialize;
use sqlx::{Sqlite, Transaction};

use super::{cache_error, ScheduleCache};
use crate::search::search_key;
use crate::api::{SyncChanges, SyncSlot, SyncSnapshot};
use crate::registry::RegistryClient;
use crate::Error;

/// Slots written per INSERT statement: one statement per row would spend
/// more time crossing to SQLite's thread than writing. 500 rows bind 2,500
/// values, well under SQLite's limit of 32,766.
const SLOTS_PER_STATEMENT: usize = 500;

/// How often the write phase reports progress, in slots.
const PROGRESS_EVERY: usize = 25_000;

/// What a sync did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncOutcome {
    /// The whole directory and schedule were loaded.
    Snapshot,
    /// Only changed slots were applied.
    Changes,
    /// Nothing had changed.
    Unchanged,
}

/// A finished sync and where its time went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub outcome: SyncOutcome,
    pub slots_written: usize,
    /// Unix seconds.
    pub synced_at: i64,
    /// Milliseconds waiting for and parsing the server's answer.
    pub download_ms: u64,
    /// Milliseconds writing to the cache, commit included.
    pub write_ms: u64,
}

/// Which part of a sync is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    /// Waiting for the server's answer; its size is not known in advance.
    Download,
    /// Writing rows to the cache.
    Write,
}

/// Progress of a sync, for the progress bar: `done` of `total` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SyncProgress {
    pub phase: SyncPhase,
    pub done: u64,
    pub total: u64,
}

impl ScheduleCache {
    /// Brings the cache up to date with the server. One sync runs at a time;
    /// a second caller waits for the first and then asks for what is left.
    ///
    /// Each sync is one transaction: whatever stops it half-way — a lost
    /// connection, `kill -9` — leaves the cache as it was before.
    pub async fn sync(&self, registry: &RegistryClient, progress: &(dyn Fn(SyncProgress) + Send + Sync)) -> Result<SyncReport, Error> {
        let _one_at_a_time = self.sync_lock.lock().await;
        let held: Option<(String, String)> = sqlx::query_as(
            "SELECT v.value, d.value FROM meta v JOIN meta d ON d.key = 'directory_version' WHERE v.key = 'version'",
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(cache_error)?;
        let held = held.and_then(|(version, directory)| Some((version.parse::<i64>().ok()?, directory)));

        let started = Instant::now();
        progress(SyncProgress { phase: SyncPhase::Download, done: 0, total: 0 });
        if let Some((version, directory_version)) = held {
            let changes = registry.changes(version, &directory_version).await?;
            if !changes.snapshot_required {
                let download_ms = elapsed_ms(started);
                return self.apply_changes(changes, download_ms, progress).await;
            }
        }
        let snapshot = registry.snapshot().await?;
        let (version, directory_version) = (snapshot.version, snapshot.directory_version.clone());
        let download_ms = elapsed_ms(started);
        let report = self.apply_snapshot(snapshot, download_ms, progress).await?;

        // A region's server hands every app the snapshot it built last, up
        // to half a minute old (its version says as of when): what changed
        // since follows at once, so the cache is as fresh as after a delta.
        let started = Instant::now();
        let changes = registry.changes(version, &directory_version).await?;
        if changes.snapshot_required || changes.slots.is_empty() {
            return Ok(report);
        }
        let caught_up = self.apply_changes(changes, elapsed_ms(started), progress).await?;
        Ok(SyncReport {
            outcome: SyncOutcome::Snapshot,
            slots_written: report.slots_written + caught_up.slots_written,
            synced_at: caught_up.synced_at,
            download_ms: report.download_ms + caught_up.download_ms,
            write_ms: report.write_ms + caught_up.write_ms,
        })
    }

    async fn apply_snapshot(
        &self,
        snapshot: SyncSnapshot,
        download_ms: u64,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
    ) -> Result<SyncReport, Error> {
        let started = Instant::now();
        let slots = snapshot.slots.decode().ok_or_else(|| Error::Internal("the snapshot's slot columns disagree".to_owned()))?;
        let mut tx = self.pool.begin().await.map_err(cache_error)?;
        write_directory(&mut tx, &snapshot).await.map_err(cache_error)?;
        // Building the index once after the load is several times faster
        // than keeping it up to date row by row.
        sqlx::query("DROP INDEX IF EXISTS slot_by_doctor").execute(&mut *tx).await.map_err(cache_error)?;
        write_slots(&mut tx, &slots, progress).await.map_err(cache_error)?;
        sqlx::query("CREATE INDEX slot_by_doctor ON slot (doctor_id, starts_at)").execute(&mut *tx).await.map_err(cache_error)?;
        let synced_at = now();
        let count = i64::try_from(slots.len()).unwrap_or(i64::MAX);
        write_meta(&mut tx, snapshot.version, &snapshot.directory_version, synced_at, Some(count)).await.map_err(cache_error)?;
        tx.commit().await.map_err(cache_error)?;
        Ok(SyncReport {
            outcome: SyncOutcome::Snapshot,
            slots_written: slots.len(),
            synced_at,
            download_ms,
            write_ms: elapsed_ms(started),
        })
    }

    async fn apply_changes(
        &self,
        changes: SyncChanges,
        download_ms: u64,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
    ) -> Result<SyncReport, Error> {
        let started = Instant::now();
        let slots = changes.slots.decode().ok_or_else(|| Error::Internal("the changes' slot columns disagree".to_owned()))?;
        let mut tx = self.pool.begin().await.map_err(cache_error)?;
        write_slots(&mut tx, &slots, progress).await.map_err(cache_error)?;
        let count = if slots.is_empty() {
            None
        } else {
            Some(sqlx::query_scalar::<_, i64>("SELECT count(*) FROM slot").fetch_one(&mut *tx).await.map_err(cache_error)?)
        };
        let synced_at = now();
        write_meta(&mut tx, changes.version, &changes.directory_version, synced_at, count).await.map_err(cache_error)?;
        tx.commit().await.map_err(cache_error)?;
        Ok(SyncReport {
            outcome: if slots.is_empty() { SyncOutcome::Unchanged } else { SyncOutcome::Changes },
            slots_written: slots.len(),
            synced_at,
            download_ms,
            write_ms: elapsed_ms(started),
        })
    }
}

async fn write_directory(tx: &mut Transaction<'_, Sqlite>, snapshot: &SyncSnapshot) -> Result<(), sqlx::Error> {
    for table in ["slot", "doctor_service", "doctor", "service", "clinic", "organization"] {
        sqlx::query(&format!("DELETE FROM {table}")).execute(&mut **tx).await?;
    }
    for organization in &snapshot.organizations {
        sqlx::query("INSERT INTO organization (id, name, short_name, address, search) VALUES ($1, $2, $3, $4, $5)")
            .bind(organization.id)
            .bind(&organization.name)
            .bind(&organization.short_name)
            .bind(&organization.address)
            .bind(search_key(&format!("{} {}", organization.name, organization.short_name)))
            .execute(&mut **tx)
            .await?;
    }
    for clinic in &snapshot.clinics {
        sqlx::query("INSERT INTO clinic (id, organization_id, name, address, phone, search) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(clinic.id)
            .bind(clinic.organization_id)
            .bind(&clinic.name)
            .bind(&clinic.address)
            .bind(&clinic.phone)
            .bind(search_key(&format!("{} {}", clinic.name, clinic.address)))
            .execute(&mut **tx)
            .await?;
    }
    for service in &snapshot.services {
        sqlx::query("INSERT INTO service (id, code, name, specialty, search) VALUES ($1, $2, $3, $4, $5)")
            .bind(service.id)
            .bind(&service.code)
            .bind(&service.name)
            .bind(&service.specialty)
            .bind(search_key(&format!("{} {}", service.code, service.name)))
            .execute(&mut **tx)
            .await?;
    }
    for doctor in &snapshot.doctors {
        sqlx::query(
            "INSERT INTO doctor (id, clinic_id, last_name, first_name, middle_name, position, basis, search) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(doctor.id)
        .bind(doctor.clinic_id)
        .bind(&doctor.last_name)
        .bind(&doctor.first_name)
        .bind(&doctor.middle_name)
        .bind(&doctor.position)
        .bind(&doctor.basis)
        // Surname first: a search by surname is what the step offers.
        .bind(search_key(&format!("{} {} {}", doctor.last_name, doctor.first_name, doctor.middle_name)))
        .execute(&mut **tx)
        .await?;
        for service_id in &doctor.service_ids {
            sqlx::query("INSERT INTO doctor_service (doctor_id, service_id) VALUES ($1, $2)")
                .bind(doctor.id)
                .bind(service_id)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// Writes slots, replacing any with the same id, many rows a statement.
pub(super) async fn write_slots(
    tx: &mut Transaction<'_, Sqlite>,
    slots: &[SyncSlot],
    progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<(), sqlx::Error> {
    let total = slots.len() as u64;
    let full_statement = insert_slots_sql(SLOTS_PER_STATEMENT);
    let mut since_report = 0;
    let mut done = 0_u64;
    progress(SyncProgress { phase: SyncPhase::Write, done, total });
    for chunk in slots.chunks(SLOTS_PER_STATEMENT) {
        let partial_statement;
        let sql = if chunk.len() == SLOTS_PER_STATEMENT {
            full_statement.as_str()
        } else {
            partial_statement = insert_slots_sql(chunk.len());
            partial_statement.as_str()
        };
        let mut query = sqlx::query(sql);
        for slot in chunk {
            query = query.bind(slot.id).bind(slot.doctor_id).bind(slot.starts_at).bind(slot.ends_at).bind(slot.status.letter());
        }
        query.execute(&mut **tx).await?;
        done += chunk.len() as u64;
        since_report += chunk.len();
        if since_report >= PROGRESS_EVERY {
            since_report = 0;
            progress(SyncProgress { phase: SyncPhase::Write, done, total });
        }
    }
    progress(SyncProgress { phase: SyncPhase::Write, done: total, total });
    Ok(())
}

fn insert_slots_sql(rows: usize) -> String {
    let mut sql = String::with_capacity(80 + rows * 12);
    sql.push_str("INSERT INTO slot (id, doctor_id, starts_at, ends_at, status) VALUES ");
    for row in 0..rows {
        if row > 0 {
            sql.push(',');
        }
        sql.push_str("(?,?,?,?,?)");
    }
    sql.push_str(
        " ON CONFLICT (id) DO UPDATE SET doctor_id = excluded.doctor_id, starts_at = excluded.starts_at, \
         ends_at = excluded.ends_at, status = excluded.status",
    );
    sql
}

async fn write_meta(
    tx: &mut Transaction<'_, Sqlite>,
    version: i64,
    directory_version: &str,
    synced_at: i64,
    slot_count: Option<i64>,
) -> Result<(), sqlx::Error> {
    let mut entries = vec![
        ("version", version.to_string()),
        ("directory_version", directory_version.to_owned()),
        ("synced_at", synced_at.to_string()),
    ];
    if let Some(count) = slot_count {
        entries.push(("slot_count", count.to_string()));
    }
    for (key, value) in entries {
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn elapsed_ms(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}
