//! The client of the registry server's HTTP API.

use std::time::Duration;

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::api::{Appointment, ApiError, BookingRequest, Consent, MoveRequest, NewPhone, Profile, Slot, SyncChanges, SyncSnapshot};
use crate::identity::Phone;
use crate::sensitive::Sensitive;
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

    /// The whole public directory and schedule, for the first sync.
    ///
    /// A region's snapshot is large, so it gets a minute rather than the
    /// usual twenty seconds.
    pub async fn snapshot(&self) -> Result<SyncSnapshot, Error> {
        let request = self.http.get(self.url("/api/v1/sync/snapshot")).timeout(Duration::from_secs(120));
        read(request).await
    }

    /// The slots changed since `version`.
    pub async fn changes(&self, version: i64, directory_version: &str) -> Result<SyncChanges, Error> {
        let request = self
            .http
            .get(self.url("/api/v1/sync/changes"))
            .query(&[("since", version.to_string().as_str()), ("directory_version", directory_version)]);
        read(request).await
    }

    /// A doctor's slots on a clinic day, as the server has them now.
    pub async fn day_slots(&self, doctor_id: i64, service_id: i64, date: NaiveDate) -> Result<Vec<Slot>, Error> {
        let request = self
            .http
            .get(self.url(&format!("/api/v1/doctors/{doctor_id}/slots")))
            .query(&[("service", service_id.to_string()), ("date", date.to_string())]);
        read(request).await
    }

    /// The consent text a booking must agree to.
    pub async fn consent(&self) -> Result<Consent, Error> {
        read(self.http.get(self.url("/api/v1/consent"))).await
    }

    /// The signed-in patient's profile.
    pub async fn profile(&self, token: &Sensitive<String>) -> Result<Profile, Error> {
        read(self.http.get(self.url("/api/v1/me")).bearer_auth(token.expose())).await
    }

    /// Saves a contact phone to the profile; answers the phones now saved.
    pub async fn add_phone(&self, token: &Sensitive<String>, phone: Phone) -> Result<Vec<Phone>, Error> {
        let request = self.http.post(self.url("/api/v1/me/phones")).bearer_auth(token.expose()).json(&NewPhone { phone });
        read(request).await
    }

    /// Books a slot. A retry with the same `idempotency_key` is answered
    /// with the appointment the first attempt made, so a lost answer never
    /// books twice.
    pub async fn book(&self, token: &Sensitive<String>, idempotency_key: &str, request: &BookingRequest) -> Result<Appointment, Error> {
        let request = self
            .http
            .post(self.url("/api/v1/appointments"))
            .bearer_auth(token.expose())
            .header("Idempotency-Key", idempotency_key)
            .json(request);
        read(request).await
    }

    /// The patient's appointments.
    pub async fn appointments(&self, token: &Sensitive<String>) -> Result<Vec<Appointment>, Error> {
        read(self.http.get(self.url("/api/v1/appointments")).bearer_auth(token.expose())).await
    }

    /// One of the patient's appointments.
    pub async fn appointment(&self, token: &Sensitive<String>, id: i64) -> Result<Appointment, Error> {
        read(self.http.get(self.url(&format!("/api/v1/appointments/{id}"))).bearer_auth(token.expose())).await
    }

    /// Cancels one of the patient's appointments.
    pub async fn cancel(&self, token: &Sensitive<String>, id: i64) -> Result<Appointment, Error> {
        read(self.http.post(self.url(&format!("/api/v1/appointments/{id}/cancel"))).bearer_auth(token.expose())).await
    }

    /// Moves one of the patient's appointments to another time, in one step.
    pub async fn move_appointment(&self, token: &Sensitive<String>, id: i64, to: &MoveRequest) -> Result<Appointment, Error> {
        read(self.http.post(self.url(&format!("/api/v1/appointments/{id}/move"))).bearer_auth(token.expose()).json(to)).await
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }
}

/// Sends a request and reads its JSON answer, or the server's
/// `{kind, message}` as an [`Error`]. A request that never got an answer
/// means the server cannot be reached.
pub(crate) async fn read<T: DeserializeOwned>(request: reqwest::RequestBuilder) -> Result<T, Error> {
    let response = request.send().await.map_err(|_| Error::Offline)?;
    let status = response.status();
    if status.is_success() {
        return response.json().await.map_err(|error| {
            if error.is_decode() {
                Error::Internal(format!("the registry's answer did not parse: {error}"))
            } else {
                Error::Offline
            }
        });
    }
    match response.json::<ApiError>().await {
        Ok(body) => Err(Error::from_api(status.as_u16(), body)),
        Err(_) if status.is_server_error() => Err(Error::Offline),
        Err(_) => Err(Error::Internal(format!("the registry answered {status}"))),
    }
}

/// Sends a request whose success has no body (204), or reads the server's
/// `{kind, message}` as an [`Error`].
pub(crate) async fn send(request: reqwest::RequestBuilder) -> Result<(), Error> {
    let response = request.send().await.map_err(|_| Error::Offline)?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    match response.json::<ApiError>().await {
        Ok(body) => Err(Error::from_api(status.as_u16(), body)),
        Err(_) if status.is_server_error() => Err(Error::Offline),
        Err(_) => Err(Error::Internal(format!("the registry answered {status}"))),
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
