//! The one state every command receives.

use registratura_core::registry::RegistryClient;
use registry_server::embedded::EmbeddedServer;

use crate::settings::Settings;

/// Where the app's registry server runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PortalMode {
    /// In-process on loopback, with the demo region.
    Embedded,
    /// A region's standalone server.
    Remote,
}

/// Everything the commands share.
#[derive(Debug)]
pub struct AppState {
    pub registry: RegistryClient,
    pub mode: PortalMode,
    /// Kept so that the embedded server lives exactly as long as the app.
    _embedded: Option<EmbeddedServer>,
}

impl AppState {
    /// Connects to the configured portal, starting the embedded server when
    /// none is configured.
    pub async fn start(settings: &Settings, data_dir: &std::path::Path) -> Result<Self, Box<dyn std::error::Error>> {
        match &settings.portal_url {
            Some(url) => Ok(Self {
                registry: RegistryClient::new(url)?,
                mode: PortalMode::Remote,
                _embedded: None,
            }),
            None => {
                std::fs::create_dir_all(data_dir)?;
                let server = EmbeddedServer::start(&data_dir.join("demo-registry.sqlite3")).await?;
                Ok(Self {
                    registry: RegistryClient::new(&server.base_url())?,
                    mode: PortalMode::Embedded,
                    _embedded: Some(server),
                })
            }
        }
    }
}
