//! The registry server: the portal's backend, which owns the truth about
//! slots, appointments, ticket numbers and consent records.
//!
//! # Layout
//! - [`app`] builds the axum router; tests call it without a socket.
//! - [`serve`] runs a router on a bound listener until shut down.
//! - [`store`]: the same queries on SQLite and PostgreSQL; every booking rule
//!   is enforced there, in one transaction.
//! - `routes/`: the HTTP API, one file per area; `extract.rs`: extractors
//!   whose failures answer with the API's error body.
//! - [`demo`]: the deterministic demo-region generator.
//! - [`embedded`]: the server inside the desktop app, on loopback.
//! - `main.rs` only reads the command line and calls these.

pub mod consent;
pub mod demo;
pub mod embedded;
pub mod error;
pub mod esia;
mod extract;
pub mod id_token;
pub mod oauth;
pub mod openapi;
mod routes;
mod snapshot_cache;
pub mod store;

use std::future::Future;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use registratura_contract::api::Consent;
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;

pub use error::Error;
pub use store::Store;

/// The largest request body any route accepts; a booking is under 200 bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// The largest refused body still read to its end before the 413, so that
/// the client gets the answer; a larger one is cut off.
const MAX_REFUSED_BODY_BYTES: usize = 1024 * 1024;
/// The longest query string any route accepts: room for every query the
/// OpenAPI document calls valid (the longest, a desk search by three names of
/// 60 letters, is about 2.2 KB percent-encoded), and no more than that.
pub const MAX_QUERY_BYTES: usize = 4096;

/// Shared state of every request handler.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    /// The same store with its reads on the hot standby when there is one
    /// ([`Store::public_reads`]): for the directory, schedule and sync
    /// routes only.
    pub public: Store,
    pub clock: Clock,
    /// The server's own address as clients reach it: the OAuth issuer.
    pub public_url: String,
    /// How the broker reaches ESIA; `None` when logins are not configured.
    pub esia: Option<Arc<esia::EsiaConfig>>,
    /// Whether this server also plays ESIA (demo databases only).
    pub sandbox: bool,
    /// The client for calls to ESIA.
    pub http: reqwest::Client,
    /// The sync feed's snapshot, built once for many apps.
    snapshots: Arc<snapshot_cache::SnapshotCache>,
    /// The id_token keys, read (or made) at their first use.
    id_tokens: Arc<tokio::sync::OnceCell<id_token::IdTokenSigner>>,
}

impl AppState {
    /// A server at `public_url`; with `sandbox`, it is its own ESIA.
    pub fn new(store: Store, clock: Clock, public_url: &str, sandbox: bool) -> Self {
        let public_url = public_url.trim_end_matches('/').to_owned();
        Self {
            public: store.public_reads(),
            store,
            clock,
            esia: sandbox.then(|| Arc::new(esia::EsiaConfig::sandbox(&public_url))),
            public_url,
            sandbox,
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(20))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_default(),
            snapshots: Arc::default(),
            id_tokens: Arc::default(),
        }
    }

    /// The broker's id_token keys, loaded from the database once.
    pub async fn id_token_signer(&self) -> Result<&id_token::IdTokenSigner, Error> {
        self.id_tokens.get_or_try_init(|| id_token::IdTokenSigner::load_or_create(&self.store, self.clock.now())).await
    }
}

impl AppState {
    /// Logins through the real ESIA as `esia` describes it (never together
    /// with the sandbox).
    pub fn with_esia(mut self, esia: esia::EsiaConfig) -> Self {
        self.esia = Some(Arc::new(esia));
        self.sandbox = false;
        self
    }
}

/// The server's idea of now, in Unix seconds. The system clock in
/// production; tests pin it to reach the edges of the rules (a slot that has
/// just started, a cancel one second too late).
#[derive(Debug, Clone, Default)]
pub struct Clock(Arc<AtomicI64>);

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self::default()
    }

    /// Pins the clock at `unix_seconds`; `0` returns it to the system clock.
    pub fn set(&self, unix_seconds: i64) {
        self.0.store(unix_seconds, Ordering::SeqCst);
    }

    /// Now, in Unix seconds.
    pub fn now(&self) -> i64 {
        match self.0.load(Ordering::SeqCst) {
            0 => chrono::Utc::now().timestamp(),
            pinned => pinned,
        }
    }
}

/// The answer of `GET /healthz`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Health {
    /// Always `"ok"` when the server and its database answer.
    pub status: String,
    /// The server's version, so a client can tell which contract it speaks.
    pub version: String,
}

/// Builds the server's router.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/organizations", get(routes::directory::organizations))
        .route("/organizations/{id}/clinics", get(routes::directory::clinics))
        .route("/clinics/{id}/services", get(routes::directory::services))
        .route("/clinics/{id}/doctors", get(routes::directory::doctors))
        .route("/doctors/{id}/dates", get(routes::schedule::dates))
        .route("/doctors/{id}/slots", get(routes::schedule::slots))
        .route("/consent", get(consent))
        .route("/openapi.json", get(openapi::openapi_json))
        .route("/appointments", post(routes::appointments::book).get(routes::appointments::list))
        .route("/appointments/{id}", get(routes::appointments::get))
        .route("/appointments/{id}/cancel", post(routes::appointments::cancel))
        .route("/appointments/{id}/move", post(routes::appointments::move_appointment))
        .route("/me", get(routes::me::profile))
        .route("/desk/me", get(routes::desk::me))
        .route("/desk/patients", get(routes::desk::search).post(routes::desk::register))
        .route("/desk/patients/{id}", get(routes::desk::patient))
        .route("/desk/clinics/{id}/board", get(routes::desk::board))
        .route("/desk/clinics/{id}/nearest", get(routes::desk::nearest))
        .route("/desk/doctors/{id}/day-list", get(routes::desk::day_list))
        .route("/desk/appointments", post(routes::desk::book))
        .route("/desk/appointments/{id}", get(routes::desk::appointment))
        .route("/desk/appointments/{id}/cancel", post(routes::desk::cancel))
        .route("/desk/appointments/{id}/move", post(routes::desk::move_appointment))
        .route("/desk/appointments/{id}/check-in", post(routes::desk::check_in))
        .route("/desk/appointments/{id}/check-in/undo", post(routes::desk::undo_check_in))
        .route("/desk/appointments/{id}/no-show", post(routes::desk::no_show))
        .route("/desk/appointments/{id}/no-show/undo", post(routes::desk::undo_no_show))
        .route("/desk/audit", get(routes::desk::audit))
        .route("/desk/kiosks", get(routes::kiosk::list).post(routes::kiosk::register))
        .route("/desk/kiosks/{id}/revoke", post(routes::kiosk::revoke))
        .route("/desk/slots/{id}/kiosk", put(routes::kiosk::keep_for_kiosks))
        .route("/kiosk/device", get(routes::kiosk::device))
        .route("/kiosk/identify", post(routes::kiosk::identify))
        .route("/kiosk/pin", post(routes::kiosk::pin))
        .route("/kiosk/visit", delete(routes::kiosk::end_visit))
        .route("/kiosk/appointments", get(routes::kiosk::appointments).post(routes::kiosk::book))
        .route("/kiosk/appointments/{id}/cancel", post(routes::kiosk::cancel))
        .route("/kiosk/appointments/{id}/check-in", post(routes::kiosk::check_in))
        .route("/kiosk/doctors/{id}/dates", get(routes::kiosk::dates))
        .route("/kiosk/doctors/{id}/slots", get(routes::kiosk::slots))
        .route("/me/phones", get(routes::me::phones).post(routes::me::add_phone))
        .merge(
            // The feed is large and repetitive: gzip makes a region's
            // snapshot several times smaller on the wire.
            Router::new()
                .route("/sync/snapshot", get(routes::sync::snapshot))
                .route("/sync/changes", get(routes::sync::changes))
                .layer(CompressionLayer::new().gzip(true)),
        );
    let login = Router::new()
        .route("/.well-known/openid-configuration", get(oauth::discovery))
        .route("/oauth/authorize", get(oauth::authorize))
        .route("/oauth/token", post(oauth::token))
        .route("/oauth/revoke", post(oauth::revoke))
        .route("/oauth/userinfo", get(oauth::userinfo))
        .route("/oauth/jwks", get(oauth::jwks))
        .route("/esia/callback", get(oauth::esia_callback));
    let login = if state.sandbox {
        login
            .route("/aas/oauth2/v2/ac", get(esia::sandbox::authorize).post(esia::sandbox::login))
            .route("/aas/oauth2/v2/ac/consent", post(esia::sandbox::consent))
            .route("/aas/oauth2/v3/te", post(esia::sandbox::token))
            .route("/rs/prns/{*path}", get(esia::sandbox::person))
    } else {
        login
    };
    Router::new()
        .route("/healthz", get(healthz))
        .merge(login)
        .nest("/api/v1", api)
        .fallback(error::not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(bound_request_and_log))
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

/// `GET /healthz` — the server and its database answer.
#[utoipa::path(get, path = "/healthz", tag = "meta", responses((status = 200, body = Health), (status = 500, body = registratura_contract::api::ApiError)))]
async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, Error> {
    state.store.meta("demo").await?;
    Ok(Json(Health { status: "ok".to_owned(), version: env!("CARGO_PKG_VERSION").to_owned() }))
}

/// `GET /api/v1/consent` — the consent text in force and its version.
#[utoipa::path(get, path = "/api/v1/consent", tag = "appointments", responses((status = 200, body = Consent), (status = 404, body = registratura_contract::api::ApiError)))]
async fn consent(State(state): State<AppState>) -> Result<Json<Consent>, Error> {
    state.store.current_consent().await?.map(Json).ok_or(Error::NotFound("текст согласия"))
}

async fn method_not_allowed() -> Error {
    Error::MethodNotAllowed
}

/// Refuses overlong query strings and bodies declared longer than any route
/// accepts, and logs each request by its route template — never its path values, query or body, which may identify a
/// patient.
async fn bound_request_and_log(request: Request, next: Next) -> Response {
    use axum::response::IntoResponse;
    if request.uri().query().is_some_and(|query| query.len() > MAX_QUERY_BYTES) {
        return Error::TooLarge.into_response();
    }
    let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
    if let Some(declared) = declared.filter(|&declared| declared > MAX_BODY_BYTES as u64) {
        // Answering before the client has sent its body and then closing
        // on the unread bytes resets the connection: the client sees a
        // broken pipe instead of the 413. A body of moderate size is read
        // and dropped first, so the client finishes sending and reads why.
        if declared <= MAX_REFUSED_BODY_BYTES as u64 {
            let _ = axum::body::to_bytes(request.into_body(), MAX_REFUSED_BODY_BYTES).await;
        }
        return Error::TooLarge.into_response();
    }
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_owned())
        .unwrap_or_else(|| "(unmatched)".to_owned());
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::debug!(%method, %route, status = response.status().as_u16(), micros = started.elapsed().as_micros() as u64, "request");
    response
}
