//! The registry server: the portal's backend, which owns the truth about
//! slots, appointments, ticket numbers and consent records.
//!
//! # Layout
//! - [`app`] builds the axum router; tests call it without a socket.
//! - [`serve`] runs a router on a bound listener until shut down.
//! - [`embedded`] starts the server in-process on loopback for the desktop
//!   app's embedded default.
//! - `main.rs` only reads the command line and calls these.

pub mod embedded;
pub mod error;

use std::future::Future;

use axum::{routing::get, Json, Router};
use serde::Serialize;
use tokio::net::TcpListener;

pub use error::Error;

/// Shared state of every request handler.
#[derive(Debug, Clone, Default)]
pub struct AppState {}

/// The answer of `GET /healthz`.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Health {
    /// Always `"ok"` when the server answers at all.
    pub status: String,
    /// The server's version, so a client can tell which contract it speaks.
    pub version: String,
}

/// Builds the server's router.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .fallback(error::not_found)
        .with_state(state)
}

/// Serves `router` on `listener` until `shutdown` completes, then lets
/// requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router).with_graceful_shutdown(shutdown).await
}

async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::{to_bytes, Body};
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    #[tokio::test]
    async fn healthz_answers_ok_with_the_version() {
        let response = app(AppState::default())
            .oneshot(Request::get("/healthz").body(Body::empty()).expect("request"))
            .await
            .expect("response");
        assert_eq!(response.status(), StatusCode::OK);
        let body = to_bytes(response.into_body(), 1 << 16).await.expect("body");
        let health: Health = serde_json::from_slice(&body).expect("json");
        assert_eq!(health.status, "ok");
        assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
    }

    #[tokio::test]
    async fn unknown_route_is_a_json_404() {
        let response = app(AppState::default())
            .oneshot(Request::get("/api/v1/nothing-here").body(Body::empty()).expect("request"))
            .await
            .expect("response");
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let body = to_bytes(response.into_body(), 1 << 16).await.expect("body");
        let error: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(error["kind"], "not_found");
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}
