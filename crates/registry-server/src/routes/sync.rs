//! The sync feed for the app's schedule cache.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use registratura_contract::api::{ApiError, SyncChanges, SyncSnapshot};
use serde::Deserialize;

use crate::extract::Query;
use crate::{AppState, Error};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// The `version` of the last snapshot or changes the client applied.
    since: i64,
    /// The `directory_version` the client holds.
    directory_version: String,
}

/// `GET /api/v1/sync/snapshot` — everything public, in columns, as of its
/// `version`; the one built last for every app, up to half a minute old
/// (src/snapshot_cache.rs), so the changes since its version follow.
#[utoipa::path(get, path = "/api/v1/sync/snapshot", tag = "sync",
    responses((status = 200, body = SyncSnapshot, description = "gzip-compressed when the client accepts it")))]
pub async fn snapshot(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, Error> {
    let built = state.snapshots.get(&state.public).await?;
    Ok(built.response(&headers))
}

/// `GET /api/v1/sync/changes?since=V&directory_version=D` — the slots
/// changed since version `V`; an unchanged schedule answers an empty list.
#[utoipa::path(get, path = "/api/v1/sync/changes", tag = "sync", params(ChangesQuery),
    responses((status = 200, body = SyncChanges), (status = 400, body = ApiError)))]
pub async fn changes(State(state): State<AppState>, Query(query): Query<ChangesQuery>) -> Result<Json<SyncChanges>, Error> {
    if query.since < 0 {
        return Err(Error::InvalidInput("since не может быть отрицательным".to_owned()));
    }
    let (version, directory_version, slots) = state.public.changes(query.since).await?;
    let snapshot_required = directory_version != query.directory_version;
    Ok(Json(SyncChanges {
        version,
        slots: if snapshot_required { Default::default() } else { slots },
        directory_version,
        snapshot_required,
    }))
}
