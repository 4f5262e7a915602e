//! The one state every command receives.

use registratura_core::cache::ScheduleCache;
use registratura_core::desk::DeskSession;
use registratura_core::kiosk::{credential_store, KioskTerminal};
use registratura_core::secrets::RefreshTokenStore;
use registratura_core::oauth::CUSTOM_SCHEME_REDIRECT;
use registratura_core::preferences::PreferencesFile;
use registratura_core::ticket::TicketRenderer;
use registratura_core::registry::RegistryClient;
use registratura_core::session::Sessions;
use registry_server::embedded::EmbeddedServer;

use crate::settings::{AppMode, Settings};

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
    /// Who the app is for: patients or a reception desk.
    pub app_mode: AppMode,
    /// The signed-in session; the broker is the registry server itself.
    pub sessions: Sessions,
    /// The local copy of the public directory and schedule.
    pub cache: ScheduleCache,
    pub preferences: PreferencesFile,
    /// The ticket PDF renderer, with its fonts parsed once.
    pub tickets: TicketRenderer,
    /// A staff member's sign-in at the desk (desk mode only).
    pub desk: DeskSession,
    /// The lobby terminal's device and its patient (kiosk mode only).
    pub kiosk: KioskTerminal,
    /// The keyring entry of the terminal's device credential.
    pub kiosk_keyring: RefreshTokenStore,
    /// Kept so that the embedded server lives exactly as long as the app.
    _embedded: Option<EmbeddedServer>,
}

impl AppState {
    /// Connects to the configured portal, starting the embedded server when
    /// none is configured.
    ///
    /// `keyring_service` names the app's keyring entries (the identifier,
    /// which a test profile changes).
    pub async fn start(
        settings: &Settings,
        data_dir: &std::path::Path,
        config_dir: &std::path::Path,
        keyring_service: &str,
    ) -> Result<Self, Box<dyn std::error::Error>> {
        std::fs::create_dir_all(data_dir)?;
        let cache = ScheduleCache::open(&data_dir.join("schedule-cache.sqlite3")).await?;
        let (registry, mode, embedded) = match &settings.portal_url {
            Some(url) => (RegistryClient::new(url)?, PortalMode::Remote, None),
            None => {
                let server = EmbeddedServer::start(&data_dir.join("demo-registry.sqlite3")).await?;
                (RegistryClient::new(&server.base_url())?, PortalMode::Embedded, Some(server))
            }
        };
        let sessions = Sessions::new(registry.base_url(), CUSTOM_SCHEME_REDIRECT, keyring_service);
        let kiosk = KioskTerminal::default();
        let kiosk_keyring = credential_store(keyring_service);
        if settings.mode == AppMode::Kiosk {
            kiosk.start(&registry, &kiosk_keyring).await;
            // On the embedded demo region a kiosk registers itself on first
            // start, so that `REGISTRATURA_MODE=kiosk scripts/run` works at
            // once; a region's kiosk is registered by its admin.
            if let (false, Some(server)) = (kiosk.has_device(), &embedded) {
                let credential = server.register_demo_kiosk().await?;
                kiosk.enroll(&registry, &kiosk_keyring, registratura_core::sensitive::Sensitive::new(credential)).await?;
                tracing::info!("registered the demo kiosk");
            }
        }
        Ok(Self {
            registry,
            mode,
            app_mode: settings.mode,
            sessions,
            cache,
            preferences: PreferencesFile::new(config_dir),
            tickets: TicketRenderer::new()?,
            desk: DeskSession::default(),
            kiosk,
            kiosk_keyring,
            _embedded: embedded,
        })
    }
}
