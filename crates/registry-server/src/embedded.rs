//! The embedded default: the server running inside the desktop app.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::demo::{self, Size};
use crate::{app, serve, AppState, Clock, Error, Store};

/// The seed of the embedded demo region: every installation shows the same
/// organisations and doctors.
pub const DEMO_SEED: u64 = 40;

/// The admin PIN of the kiosk registered on the embedded demo region.
pub const DEMO_KIOSK_PIN: &str = "2468";

/// A server running in-process on a loopback port. Dropping the handle shuts
/// the server down gracefully.
#[derive(Debug)]
pub struct EmbeddedServer {
    address: SocketAddr,
    store: Store,
    shutdown: Option<oneshot::Sender<()>>,
}

impl EmbeddedServer {
    /// Opens (or creates) the demo database at `database`, fills it with the
    /// demo region on first start, binds a free loopback port and serves on
    /// the current Tokio runtime.
    ///
    /// Only loopback is bound: the embedded server must never be reachable
    /// from the network the machine is on.
    pub async fn start(database: &Path) -> Result<Self, Error> {
        let url = format!("sqlite:{}", database.display());
        let store = Store::open(&url).await?;
        let clock = Clock::system();
        if store.is_empty().await? {
            let today = registratura_contract::calendar::clinic_date(chrono::Utc::now(), registratura_contract::region::KALUGA.time_zone);
            let region = demo::generate(Size::Demo, DEMO_SEED, today);
            store.load(&region, clock.now()).await?;
            tracing::info!(slots = region.slots.len(), "generated the demo region");
        }
        let today = registratura_contract::calendar::clinic_date(chrono::Utc::now(), registratura_contract::region::KALUGA.time_zone);
        let added = store.extend_demo_schedule(today).await?;
        if added > 0 {
            tracing::info!(slots = added, "extended the demo schedule to four weeks ahead");
        }
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(|error| Error::Internal(format!("bind loopback: {error}")))?;
        let address = listener.local_addr().map_err(|error| Error::Internal(error.to_string()))?;
        let (shutdown, stopped) = oneshot::channel::<()>();
        // The embedded default is a demo: it plays ESIA's sandbox too.
        let router = app(AppState::new(store.clone(), clock, &format!("http://{address}"), true));
        tokio::spawn(async move {
            let shutdown_signal = async {
                let _ = stopped.await;
            };
            if let Err(error) = serve(listener, router, shutdown_signal).await {
                tracing::error!(%error, "embedded registry server stopped");
            }
        });
        tracing::info!(%address, "embedded registry server started");
        Ok(Self { address, store, shutdown: Some(shutdown) })
    }

    /// The base URL clients use, e.g. `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Registers a lobby kiosk at the demo's first clinic, with the demo's
    /// admin PIN, and answers its credential: what `REGISTRATURA_MODE=kiosk`
    /// does on first start over the embedded demo region, so that a kiosk
    /// works at once. Never on a database that is not a demo.
    pub async fn register_demo_kiosk(&self) -> Result<String, Error> {
        if !self.store.is_demo().await? {
            return Err(Error::Forbidden);
        }
        let (_, credential) = self.store.register_kiosk(1, "Демо-терминал в холле", DEMO_KIOSK_PIN, None, Clock::system().now()).await?;
        Ok(credential)
    }

    /// The embedded server's database.
    pub fn store(&self) -> &Store {
        &self.store
    }
}

impl Drop for EmbeddedServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
