//! The client of the registry server's HTTP API.

use std::time::Duration;

use serde::Deserialize;

use crate::Error;

/// A connection to one registry server: the embedded one on loopback or a
/// region's portal. Cheap to clone; clones share the connection pool.
#[derive(Debug, Clone)]
pub struct RegistryClient {
    base_url: String,
    http: reqwest::Client,
}

/// What `GET /healthz` answers.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Health {
    pub status: String,
    pub version: String,
}

impl RegistryClient {
    /// A client of the server at `base_url` (scheme, host and port, no path).
    pub fn new(base_url: &str) -> Result<Self, Error> {
        let base_url = base_url.trim_end_matches('/').to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(Error::InvalidInput(format!(
                "the portal address must start with http:// or https://, got {base_url:?}"
            )));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(20))
            .user_agent(concat!("registratura/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| Error::Internal(error.to_string()))?;
        Ok(Self { base_url, http })
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Asks the server whether it is up.
    pub async fn health(&self) -> Result<Health, Error> {
        let response = self
            .http
            .get(format!("{}/healthz", self.base_url))
            .send()
            .await
            .map_err(|_| Error::Offline)?;
        if !response.status().is_success() {
            return Err(Error::Internal(format!("healthz answered {}", response.status())));
        }
        response.json().await.map_err(|error| Error::Internal(error.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_an_address_without_a_scheme() {
        let error = RegistryClient::new("portal.example").expect_err("no scheme");
        assert_eq!(error.kind(), crate::ErrorKind::InvalidInput);
    }

    #[tokio::test]
    async fn reads_the_health_of_a_real_server() {
        let dir = std::env::temp_dir().join(format!("registratura-core-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let server = registry_server::embedded::EmbeddedServer::start(&dir.join("registry.sqlite3"))
            .await
            .expect("server starts");
        let client = RegistryClient::new(&format!("{}/", server.base_url())).expect("client");
        let health = client.health().await.expect("health");
        assert_eq!(health.status, "ok");
    }

    #[tokio::test]
    async fn a_port_where_nothing_listens_is_offline() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let client = RegistryClient::new(&format!("http://127.0.0.1:{port}")).expect("client");
        let error = client.health().await.expect_err("nothing listens");
        assert_eq!(error.kind(), crate::ErrorKind::Offline);
    }
}
