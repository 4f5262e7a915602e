//! The embedded default: the server running inside the desktop app.

use std::net::{Ipv4Addr, SocketAddr};

use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::{app, serve, AppState};

/// A server running in-process on a loopback port. Dropping the handle shuts
/// the server down gracefully.
#[derive(Debug)]
pub struct EmbeddedServer {
    address: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
}

impl EmbeddedServer {
    /// Binds a free loopback port and serves on the current Tokio runtime.
    ///
    /// Only loopback is bound: the embedded server must never be reachable
    /// from the network the machine is on.
    pub async fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let address = listener.local_addr()?;
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let shutdown_signal = async {
                let _ = stopped.await;
            };
            if let Err(error) = serve(listener, app(AppState::default()), shutdown_signal).await {
                tracing::error!(%error, "embedded registry server stopped");
            }
        });
        tracing::info!(%address, "embedded registry server started");
        Ok(Self { address, shutdown: Some(shutdown) })
    }

    /// The base URL clients use, e.g. `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }
}

impl Drop for EmbeddedServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
