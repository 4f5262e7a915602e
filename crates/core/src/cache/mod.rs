//! The schedule cache: a local SQLite copy of the registry's public
//! directory and schedule, so that every wizard step answers at once and the
//! schedule can be browsed offline.
//!
//! It holds public data only — organisations, clinics, services, doctors
//! and slots — never a token or anything about a patient. The server keeps
//! the last word: the time step re-reads the chosen day before offering it,
//! and booking always goes to the server.
//!
//! - `sync.rs`: filling the cache from the server's sync feed.
//! - `queries.rs`: what the wizard's steps read.
//! - `nearest.rs`: «Ближайшее время», the first free time across doctors.

mod nearest;
mod queries;
mod sync;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::Error;

pub use nearest::{BookingAgain, NearestCandidate, NearestScope, NearestTime};
pub use queries::{DaySlots, DoctorChoice, Month};
pub use sync::{SyncOutcome, SyncPhase, SyncProgress, SyncReport};

/// The cache file and its connections. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ScheduleCache {
    pool: SqlitePool,
    path: PathBuf,
    /// One sync at a time: a second caller waits, then finds little to do.
    sync_lock: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// What the cache holds, for the wizard's first screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheStatus {
    /// Whether a sync has ever completed: the wizard can answer from it.
    pub ready: bool,
    /// When the last sync completed, in Unix seconds.
    pub synced_at: Option<i64>,
    /// How many slots the cache holds.
    pub slots: i64,
}

impl ScheduleCache {
    /// Opens the cache at `path`, creating it when missing. A file that is
    /// not a readable cache — damaged, truncated, or from an unknown
    /// version — is deleted and created afresh: it holds nothing that the
    /// next sync cannot bring back.
    pub async fn open(path: &Path) -> Result<Self, Error> {
        match Self::try_open(path).await {
            Ok(cache) => Ok(cache),
            Err(error) => {
                tracing::warn!(%error, "the schedule cache cannot be read; rebuilding it");
                remove_database(path)?;
                Self::try_open(path).await.map_err(|error| Error::Cache(error.to_string()))
            }
        }
    }

    async fn try_open(path: &Path) -> Result<Self, sqlx::Error> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            // WAL lets the wizard read while a sync writes, and a sync that
            // is killed half-way is simply never committed.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        sqlx::migrate!("./migrations/cache").run(&pool).await?;
        // Reading every table's root page finds a file damaged at the start;
        // quick_check reads every page and finds the rest.
        let check: String = sqlx::query_scalar("PRAGMA quick_check(1)").fetch_one(&pool).await?;
        if check != "ok" {
            pool.close().await;
            return Err(sqlx::Error::Protocol(format!("quick_check: {check}")));
        }
        Ok(Self { pool, path: path.to_owned(), sync_lock: Default::default() })
    }

    /// The cache's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the cache can answer, and as of when.
    pub async fn status(&self) -> Result<CacheStatus, Error> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT key, value FROM meta WHERE key IN ('version', 'synced_at', 'slot_count')")
                .fetch_all(&self.pool)
                .await
                .map_err(cache_error)?;
        let value = |key: &str| rows.iter().find(|(name, _)| name == key).and_then(|(_, value)| value.parse::<i64>().ok());
        Ok(CacheStatus {
            ready: value("version").is_some(),
            synced_at: value("synced_at"),
            slots: value("slot_count").unwrap_or_default(),
        })
    }

    /// Moves the write-ahead log into the file and closes the connections,
    /// so that the cache is one self-contained file when the app is closed.
    pub async fn close(&self) {
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await {
            tracing::warn!(%error, "could not checkpoint the schedule cache");
        }
        self.pool.close().await;
    }
}

fn remove_database(path: &Path) -> Result<(), Error> {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(Error::Cache(format!("cannot remove the damaged cache: {error}"))),
        }
    }
    Ok(())
}

fn cache_error(error: sqlx::Error) -> Error {
    Error::Cache(error.to_string())
}

#[cfg(test)]
mod tests;
