//! Storage: the same queries on SQLite (the embedded default) and
//! PostgreSQL (a region's server).
//!
//! Both backends run the very same SQL text wherever the dialects agree
//! (`$n` placeholders, `RETURNING`, `ON CONFLICT`, partial indexes); the few
//! places where they differ ask [`Dialect`]. The [`on_read!`] and
//! [`on_write!`] macros expand one body once per backend, so each is
//! type-checked against its own driver and nothing is dispatched at run time
//! inside a query.

mod auth;
mod booking;
pub mod desk;
mod directory;
mod group_commit;
pub mod kiosk;
mod load;
pub mod moves;
mod patients;
pub mod rules;
pub mod schedule;
pub mod staff;
mod sync;

use std::str::FromStr;
use std::time::Duration;

#[cfg(feature = "postgres")]
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub use auth::{PendingLogin, RedeemedCode, Refresh, SandboxCitizen};
pub use booking::{format_ticket, Booked, Booker, BookingInput, SqliteBookings};
#[cfg(feature = "postgres")]
pub use booking::PgBookings;
pub use patients::{new_token, token_hash, NewPatient};

use crate::Error;

/// A connection to the registry database.
#[derive(Debug, Clone)]
pub enum Store {
    /// SQLite in WAL mode with `synchronous=FULL`, so an acknowledged booking
    /// survives a crash. Writes go through a single connection: SQLite allows
    /// one writer at a time anyway, and queueing in the pool avoids the
    /// `SQLITE_BUSY` storms of several connections racing for the lock.
    /// Bookings reach that connection through a queue that commits them in
    /// groups ([`SqliteBookings`]).
    Sqlite { read: SqlitePool, write: SqlitePool, bookings: SqliteBookings },
    /// PostgreSQL with a pool sized for the server's concurrency; bookings
    /// are committed in groups too ([`PgBookings`]), by half of the pool's
    /// connections at most. `read` is the primary, like `write`, except in
    /// the view [`Store::public_reads`] gives, where it is the hot standby
    /// named by `replica`.
    #[cfg(feature = "postgres")]
    Postgres { read: PgPool, write: PgPool, replica: Option<PgPool>, bookings: PgBookings },
}

/// PostgreSQL connections for a pool when the operator names none: four per
/// core of this machine. More connections than the cores can run only queue
/// inside PostgreSQL, where they cost context switches and lock waits: on
/// two cores, 48 connections booked 656 a second and 8 booked 1,299
/// (`scripts/bench/server`, docs/performance.md).
pub fn default_pg_connections() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    u32::try_from(cores * 4).unwrap_or(u32::MAX)
}

/// Where the two SQL dialects differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The version a slot gets when a transaction changes it; the sync feed
    /// sends a client every slot whose version is at or above what it saw.
    ///
    /// SQLite serialises writers, so the current maximum plus one is always
    /// later than anything a reader has seen. PostgreSQL commits concurrent
    /// transactions in any order, so a counter could hand out 101 to one
    /// that commits after 102 was already sent; the transaction's own id is
    /// used instead, and [`Dialect::sync_horizon`] only ever promises ids
    /// below the oldest transaction still running.
    pub fn next_version(self) -> &'static str {
        match self {
            Dialect::Sqlite => "(SELECT COALESCE(MAX(version), 0) + 1 FROM slot)",
            Dialect::Postgres => "pg_current_xact_id()::text::bigint",
        }
    }

    /// A query for the first version not yet complete: every change below
    /// it is committed (or rolled back) and visible.
    pub fn sync_horizon(self) -> &'static str {
        match self {
            Dialect::Sqlite => "SELECT COALESCE(MAX(version), 0) + 1 FROM slot",
            Dialect::Postgres => "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint",
        }
    }
}

/// Runs `$body` once per backend with `$pool` bound to that backend's
/// pool: SQLite's `$field` pool (`read` or `write`), or PostgreSQL's one.
macro_rules! on_pool {
    ($store:expr, $field:ident, |$pool:ident, $dialect:ident| $body:expr) => {
        match $store {
            $crate::store::Store::Sqlite { $field, .. } => {
                let $pool = $field;
                #[allow(unused_variables)]
                let $dialect = $crate::store::Dialect::Sqlite;
                $body
            }
            #[cfg(feature = "postgres")]
            $crate::store::Store::Postgres { $field, .. } => {
                let $pool = $field;
                #[allow(unused_variables)]
                let $dialect = $crate::store::Dialect::Postgres;
                $body
            }
        }
    };
}

/// Runs `$body` with `$pool` bound to a pool fit for reading.
macro_rules! on_read {
    ($store:expr, |$pool:ident, $dialect:ident| $body:expr) => {
        $crate::store::on_pool!($store, read, |$pool, $dialect| $body)
    };
}

/// Runs `$body` with `$pool` bound to a pool fit for writing.
macro_rules! on_write {
    ($store:expr, |$pool:ident, $dialect:ident| $body:expr) => {
        $crate::store::on_pool!($store, write, |$pool, $dialect| $body)
    };
}

pub(crate) use {on_pool, on_read, on_write};

impl Store {
    /// Connects to `url` (`sqlite:PATH` or `postgres://…`), creating a SQLite
    /// file if there is none, and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Self, Error> {
        Self::open_with_connections(url, None).await
    }

    /// [`Store::open`] with `connections` in the PostgreSQL pool instead of
    /// [`default_pg_connections`]. SQLite keeps its one writer and eight readers.
    pub async fn open_with_connections(url: &str, connections: Option<u32>) -> Result<Self, Error> {
        let store = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|error| Error::InvalidInput(format!("database url: {error}")))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(30));
            // sqlx pings a connection each time it leaves the pool unless
            // told not to: a round trip to the connection's worker thread
            // here, and to the database server for PostgreSQL — as much as
            // the query itself. A file cannot hang up, and a PostgreSQL
            // connection that did fails its next query and is dropped.
            let write = SqlitePoolOptions::new()
                .test_before_acquire(false)
                .max_connections(1)
                .acquire_timeout(Duration::from_secs(60))
                .connect_with(options.clone())
                .await?;
            let read = SqlitePoolOptions::new()
                .test_before_acquire(false)
                .max_connections(8)
                .connect_with(options)
                .await?;
            let bookings = booking::sqlite_bookings(write.clone());
            Store::Sqlite { read, write, bookings }
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Self::open_postgres(url, connections).await?
        } else {
            return Err(Error::InvalidInput(
                "database url must start with sqlite: or postgres://".to_owned(),
            ));
        };
        store.migrate().await?;
        Ok(store)
    }

    #[cfg(feature = "postgres")]
    async fn open_postgres(url: &str, connections: Option<u32>) -> Result<Self, Error> {
        let connections = connections.unwrap_or_else(default_pg_connections).max(1);
        let pool = PgPoolOptions::new()
            .test_before_acquire(false)
            .max_connections(connections)
            .acquire_timeout(Duration::from_secs(60))
            .connect(url)
            .await?;
        let writers = usize::try_from(connections / 2).unwrap_or(1).max(1);
        let bookings = booking::pg_bookings(pool.clone(), writers);
        Ok(Store::Postgres { read: pool.clone(), write: pool, replica: None, bookings })
    }

    /// Sends [`Store::public_reads`] to the hot standby at `url`, a replica
    /// of this store's PostgreSQL by its own streaming replication, with as
    /// many connections as the primary's pool.
    pub async fn with_read_replica(self, url: &str) -> Result<Self, Error> {
        #[cfg(feature = "postgres")]
        if let Store::Postgres { read, write, bookings, .. } = self {
            if !(url.starts_with("postgres:") || url.starts_with("postgresql:")) {
                return Err(Error::InvalidInput("the read replica's url must start with postgres://".to_owned()));
            }
            let replica = PgPoolOptions::new()
                .test_before_acquire(false)
                .max_connections(write.options().get_max_connections())
                .acquire_timeout(Duration::from_secs(60))
                .connect(url)
                .await?;
            return Ok(Store::Postgres { read, write, replica: Some(replica), bookings });
        }
        // Only the PostgreSQL branch above reads `url`; it is compiled out
        // of the app's embedded server.
        let _ = url;
        Err(Error::InvalidInput("a read replica is PostgreSQL's streaming replication: the database must be PostgreSQL too".to_owned()))
    }

    /// This store with its reads on the hot standby, when there is one: for
    /// the public reads alone (the directory, calendars, day slots and the
    /// sync feed), which every client sees alike and which may be a moment
    /// old. A patient's, desk's or kiosk's own reads stay on the primary, so
    /// a booking shows in its owner's list at once. The sync feed reads its
    /// horizon and its rows in one transaction on the same server, so it
    /// never promises a version that server has not replayed.
    pub fn public_reads(&self) -> Store {
        match self {
            #[cfg(feature = "postgres")]
            Store::Postgres { write, replica: Some(replica), bookings, .. } => Store::Postgres {
                read: replica.clone(),
                write: write.clone(),
                replica: Some(replica.clone()),
                bookings: bookings.clone(),
            },
            other => other.clone(),
        }
    }

    /// The app's embedded server is built without the PostgreSQL driver: it
    /// only ever opens its SQLite file, and the driver is a third of its size.
    #[cfg(not(feature = "postgres"))]
    async fn open_postgres(_url: &str, _connections: Option<u32>) -> Result<Self, Error> {
        Err(Error::InvalidInput("this build of the server has no PostgreSQL driver (feature `postgres`)".to_owned()))
    }

    /// Which SQL dialect this store speaks.
    pub fn dialect(&self) -> Dialect {
        on_read!(self, |_pool, dialect| dialect)
    }

    async fn migrate(&self) -> Result<(), Error> {
        match self {
            Store::Sqlite { write, .. } => sqlx::migrate!("./migrations/sqlite").run(write).await?,
            #[cfg(feature = "postgres")]
            Store::Postgres { write, .. } => sqlx::migrate!("./migrations/postgres").run(write).await?,
        }
        Ok(())
    }

    /// A value from the `meta` table.
    pub async fn meta(&self, key: &str) -> Result<Option<String>, Error> {
        on_read!(self, |pool, dialect| {
            Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
                .bind(key)
                .fetch_optional(pool)
                .await?)
        })
    }

    /// Whether the database was filled by the demo generator.
    pub async fn is_demo(&self) -> Result<bool, Error> {
        Ok(self.meta("demo").await?.as_deref() == Some("true"))
    }

    /// Closes every connection.
    pub async fn close(&self) {
        match self {
            Store::Sqlite { read, write, .. } => {
                read.close().await;
                write.close().await;
            }
            #[cfg(feature = "postgres")]
            Store::Postgres { write, replica, .. } => {
                write.close().await;
                if let Some(replica) = replica {
                    replica.close().await;
                }
            }
        }
    }
}

pub use registratura_contract::search::search_key;

/// A search term as a `LIKE` pattern matching anywhere, with the pattern's
/// own wildcards escaped (the queries say `ESCAPE '\'`).
pub fn contains_pattern(term: &str) -> String {
    let mut pattern = String::with_capacity(term.len() + 2);
    pattern.push('%');
    for c in search_key(term.trim()).chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_patterns_escape_wildcards() {
        assert_eq!(contains_pattern(" Стом "), "%стом%");
        assert_eq!(contains_pattern("50%_"), "%50\\%\\_%");
    }
}
