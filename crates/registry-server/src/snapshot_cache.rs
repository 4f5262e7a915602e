//! The region's snapshot, built once and handed to every app that asks
//! until it is half a minute old.
//!
//! A snapshot carries a region's 1.2 M slots: reading and encoding them
//! takes the database and the server seconds, and many apps ask for it at
//! once when a region's clinics open in the morning. Any snapshot is exact
//! as of its `version`, and the changes since that version bring an app up
//! to now, so an app is served as well by one built a few seconds ago as by
//! one built for it. The cache keeps the body ready in JSON and in gzip; it
//! is rebuilt in the background while the old one is still served, and at
//! once, before answering, when the directory itself changed (an app given
//! an old directory would be told to take a snapshot again).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use registratura_contract::api::SyncSnapshot;
use registratura_contract::region::KALUGA;
use tokio::sync::Mutex as AsyncMutex;

use crate::{Error, Store};

/// How long a snapshot is handed out before the next request rebuilds it.
const FRESH_FOR: Duration = Duration::from_secs(30);

/// The snapshot built last, and the one build that may be running.
#[derive(Debug, Default)]
pub struct SnapshotCache {
    built: Arc<Mutex<Option<Arc<BuiltSnapshot>>>>,
    building: Arc<AsyncMutex<()>>,
}

/// A snapshot's body, encoded once.
#[derive(Debug)]
pub struct BuiltSnapshot {
    directory_version: String,
    built_at: Instant,
    json: Bytes,
    gzip: Bytes,
}

impl SnapshotCache {
    /// The snapshot to hand out now: the one built last unless the
    /// directory changed since, else a new one. A snapshot past its half
    /// minute is still handed out while its successor is built.
    pub async fn get(&self, store: &Store) -> Result<Arc<BuiltSnapshot>, Error> {
        let directory_version = store.directory_version().await?;
        if let Some(built) = self.built_for(&directory_version) {
            if built.built_at.elapsed() > FRESH_FOR {
                self.rebuild_in_background(store);
            }
            return Ok(built);
        }
        // One build at a time: the apps that ask meanwhile wait for it
        // rather than each reading the whole region.
        let _building = self.building.lock().await;
        if let Some(built) = self.built_for(&directory_version) {
            return Ok(built);
        }
        let built = Arc::new(build(store).await?);
        self.keep(built.clone());
        Ok(built)
    }

    fn built_for(&self, directory_version: &str) -> Option<Arc<BuiltSnapshot>> {
        let built = self.built.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        built.as_ref().filter(|built| built.directory_version == directory_version).cloned()
    }

    fn keep(&self, built: Arc<BuiltSnapshot>) {
        *self.built.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(built);
    }

    fn rebuild_in_background(&self, store: &Store) {
        let Ok(building) = self.building.clone().try_lock_owned() else {
            return; // Already being rebuilt.
        };
        let (store, built) = (store.clone(), self.built.clone());
        tokio::spawn(async move {
            let _building = building;
            match build(&store).await {
                Ok(new) => *built.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Arc::new(new)),
                // The old snapshot is still exact as of its version; the
                // next request tries again.
                Err(error) => tracing::warn!(%error, "rebuilding the sync snapshot failed"),
            }
        });
    }
}

impl BuiltSnapshot {
    /// The snapshot's `version`-exact body, gzip-compressed when the client
    /// accepts gzip.
    pub fn response(&self, request: &HeaderMap) -> Response {
        let (body, encoding) = if accepts_gzip(request) { (self.gzip.clone(), Some("gzip")) } else { (self.json.clone(), None) };
        let mut response = body.into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Some(encoding) = encoding {
            // Already compressed: the compression layer passes it through.
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response
    }
}

/// Reads the snapshot and encodes it, off the request threads: a region's
/// JSON and its compression take a few hundred milliseconds of CPU.
async fn build(store: &Store) -> Result<BuiltSnapshot, Error> {
    let started = Instant::now();
    let snapshot = store.snapshot().await?;
    let directory_version = snapshot.directory_version.clone();
    let body = SyncSnapshot {
        version: snapshot.version,
        directory_version: snapshot.directory_version,
        time_zone: KALUGA.time_zone.name().to_owned(),
        organizations: snapshot.organizations,
        clinics: snapshot.clinics,
        services: snapshot.services,
        doctors: snapshot.doctors,
        slots: snapshot.slots,
    };
    let slots = body.slots.len();
    let (json, gzip) = tokio::task::spawn_blocking(move || -> Result<(Vec<u8>, Vec<u8>), Error> {
        let json = serde_json::to_vec(&body).map_err(|error| Error::Internal(format!("encoding the snapshot: {error}")))?;
        let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(json.len() / 4), flate2::Compression::default());
        std::io::Write::write_all(&mut encoder, &json)
            .and_then(|()| encoder.finish())
            .map(|gzip| (json, gzip))
            .map_err(|error| Error::Internal(format!("compressing the snapshot: {error}")))
    })
    .await
    .map_err(|error| Error::Internal(format!("the snapshot encoder stopped: {error}")))??;
    tracing::info!(slots, build_ms = started.elapsed().as_millis() as u64, json_bytes = json.len(), gzip_bytes = gzip.len(), "built the sync snapshot");
    Ok(BuiltSnapshot { directory_version, built_at: Instant::now(), json: json.into(), gzip: gzip.into() })
}

/// Whether the request's `Accept-Encoding` accepts gzip: `gzip` (or `*`)
/// listed without `q=0`.
fn accepts_gzip(request: &HeaderMap) -> bool {
    request.get_all(header::ACCEPT_ENCODING).iter().filter_map(|value| value.to_str().ok()).flat_map(|value| value.split(',')).any(|coding| {
        let mut parts = coding.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let refused = parts.any(|parameter| {
            parameter.strip_prefix("q=").is_some_and(|q| q.parse::<f32>().is_ok_and(|q| q <= 0.0))
        });
        ["gzip", "x-gzip", "*"].iter().any(|accepted| name.eq_ignore_ascii_case(accepted)) && !refused
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepting(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).expect("header"));
        headers
    }

    #[test]
    fn gzip_is_sent_only_to_clients_that_accept_it() {
        assert!(accepts_gzip(&accepting("gzip")));
        assert!(accepts_gzip(&accepting("br, GZIP;q=0.8")));
        assert!(accepts_gzip(&accepting("*")));
        assert!(!accepts_gzip(&accepting("br")));
        assert!(!accepts_gzip(&accepting("gzip;q=0")));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
