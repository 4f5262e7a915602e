//! A standalone registry server for one journey: the demo region on SQLite,
//! with the ESIA sandbox, on a loopback port. The test plays other patients
//! through its HTTP API, and stops and restarts it to take the app offline.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::driver::{free_port, AppSession, Profile, PATIENCE};

/// A journey's start: a fresh profile whose app talks to a portal of its
/// own. `preferences` (JSON) is written to the profile's preferences file
/// first when given; the app is on its start screen when this returns.
pub async fn app_on_portal(preferences: Option<&str>) -> (Profile, Portal, AppSession) {
    let profile = Profile::new();
    let portal = Portal::start(&profile.home);
    let profile = Profile { portal_url: Some(portal.url.clone()), ..profile };
    if let Some(json) = preferences {
        std::fs::create_dir_all(profile.config_dir()).expect("config dir");
        std::fs::write(profile.config_dir().join("preferences.json"), json).expect("preferences");
    }
    let app = AppSession::launch_profile(&profile).await;
    app.wait_until_ready().await;
    (profile, portal, app)
}

#[derive(Debug)]
pub struct Portal {
    pub url: String,
    port: u16,
    database: PathBuf,
    log: PathBuf,
    child: Option<Child>,
}

impl Portal {
    /// Generates the demo region into `dir` and starts serving it.
    pub fn start(dir: &std::path::Path) -> Self {
        let port = free_port();
        let mut portal = Self {
            url: format!("http://127.0.0.1:{port}"),
            port,
            database: dir.join("portal.sqlite3"),
            log: dir.join("portal.log"),
            child: None,
        };
        portal.resume();
        portal
    }

    /// Starts the server again on the same port and database.
    pub fn resume(&mut self) {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(&self.log).expect("portal log");
        let child = Command::new(server_binary())
            .args(["serve", "--demo", "--listen", &format!("127.0.0.1:{}", self.port)])
            .arg("--database-url")
            .arg(format!("sqlite:{}", self.database.display()))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log)
            .process_group(0)
            .spawn()
            .expect("start registry-server (built by scripts/test)");
        self.child = Some(child);
        let start = Instant::now();
        while !answers_health(&self.url) {
            assert!(start.elapsed() < PATIENCE, "the registry server did not come up; see {}", self.log.display());
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops the server: the app is offline until [`Portal::resume`].
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Makes the server refuse every access token it has issued, as if they
    /// had run out by its clock; the refresh tokens stay good.
    pub async fn forget_access_tokens(&self) -> u64 {
        let mut connection = self.database().await;
        sqlx::query("DELETE FROM access_token").execute(&mut connection).await.expect("forget access tokens").rows_affected()
    }

    /// The portal's database, for a journey to set up or read what it checks.
    pub async fn database(&self) -> sqlx::SqliteConnection {
        let url = format!("sqlite:{}", self.database.display());
        <sqlx::SqliteConnection as sqlx::Connection>::connect(&url).await.expect("open the portal's database")
    }

    /// The portal's database URL, for the server's own commands.
    pub fn database_url(&self) -> String {
        format!("sqlite:{}", self.database.display())
    }

    /// An access token for demo patient `number`, as `registry-server
    /// demo-token` prints it.
    pub fn token(&self, number: u32) -> String {
        let output = Command::new(server_binary())
            .args(["demo-token", "--patient", &number.to_string()])
            .arg("--database-url")
            .arg(format!("sqlite:{}", self.database.display()))
            .output()
            .expect("registry-server demo-token");
        assert!(output.status.success(), "demo-token: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The registry server built next to the app by the same workspace build.
pub(crate) fn server_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_registratura")).with_file_name("registry-server")
}

/// Whether `GET /healthz` answers 200: a plain blocking probe, since the
/// journeys' HTTP client is async and this runs before any await.
fn answers_health(base_url: &str) -> bool {
    use std::io::{Read, Write};
    let host = base_url.trim_start_matches("http://");
    let Ok(mut stream) = std::net::TcpStream::connect(host) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if write!(stream, "GET /healthz HTTP/1.0\r\nHost: {host}\r\n\r\n").is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200")
}
