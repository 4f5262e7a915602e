//! One app under WebDriver: `tauri-driver` in its own process group, the app
//! with its own profile and data directory, and a fantoccini client.

use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fantoccini::{Client, ClientBuilder, Locator};

/// How long a journey waits for the window to show what it expects.
pub const PATIENCE: Duration = Duration::from_secs(30);
/// How long opening a WebDriver session may take before it is tried anew.
const SESSION_PATIENCE: Duration = Duration::from_secs(60);

/// WebDriver's codes for keys that type no character.
#[allow(dead_code)] // scripts/bench/desk presses some the journeys do not
pub mod keys {
    pub const TAB: &str = "\u{E004}";
    pub const ENTER: &str = "\u{E007}";
    pub const ARROW_RIGHT: &str = "\u{E014}";
    /// Held down for the rest of the keys sent with it.
    pub const CONTROL: &str = "\u{E009}";
    pub const SHIFT: &str = "\u{E008}";
    /// Releases the modifier keys held down.
    pub const RELEASE: &str = "\u{E000}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const SPACE: &str = "\u{E00D}";
    pub const DELETE: &str = "\u{E017}";
    pub const PAGE_UP: &str = "\u{E00E}";
    pub const PAGE_DOWN: &str = "\u{E00F}";
    pub const F1: &str = "\u{E031}";
    pub const F2: &str = "\u{E032}";
    pub const F7: &str = "\u{E037}";
    pub const F8: &str = "\u{E038}";
}

/// An app profile of its own: identifier suffix, HOME and XDG folders, and
/// the log of URLs the app asked the "browser" to open. Two launches with
/// the same profile are the same installation started twice.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub home: PathBuf,
    /// A standalone registry server to use instead of the embedded one.
    pub portal_url: Option<String>,
    /// More environment for the app (e.g. another session bus).
    pub extra_env: Vec<(String, String)>,
}

impl Profile {
    pub fn new() -> Self {
        let name = format!("e2e{}", unique_suffix());
        let home = desktop_session_dir().join(&name);
        for sub in ["data", "config", "cache"] {
            std::fs::create_dir_all(home.join(sub)).expect("create the app's isolated folders");
        }
        Self { name, home, portal_url: None, extra_env: Vec::new() }
    }



    /// The app's identifier under this profile: its keyring service too.
    pub fn identifier(&self) -> String {
        format!("ru.registratura.desktop.{}", self.name)
    }

    /// The environment the app runs with under this profile.
    pub fn env(&self) -> Vec<(String, String)> {
        let browser = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/fake-browser");
        let mut env: Vec<(String, String)> = vec![
            ("REGISTRATURA_PROFILE".into(), self.name.clone()),
            ("HOME".into(), self.home.display().to_string()),
            ("XDG_DATA_HOME".into(), self.home.join("data").display().to_string()),
            ("XDG_CONFIG_HOME".into(), self.home.join("config").display().to_string()),
            ("XDG_CACHE_HOME".into(), self.home.join("cache").display().to_string()),
            ("BROWSER".into(), browser.display().to_string()),
            ("REGISTRATURA_FAKE_BROWSER_LOG".into(), self.opened_log().display().to_string()),
            // The OS asks for Russian, whatever the machine running the tests
            // says; a journey in English sets its own in `extra_env`.
            ("LANGUAGE".into(), "ru".into()),
        ];
        if let Some(url) = &self.portal_url {
            env.push(("REGISTRATURA_PORTAL_URL".into(), url.clone()));
        }
        env.extend(self.extra_env.iter().cloned());
        env
    }

    /// The app's config folder under this profile, where preferences live.
    pub fn config_dir(&self) -> PathBuf {
        self.home.join("config").join(self.identifier())
    }

    fn opened_log(&self) -> PathBuf {
        self.home.join("opened-urls")
    }

    /// The next URL the app opens in the "browser", waiting for it.
    pub fn wait_for_opened_url(&self, seen_before: usize) -> String {
        let start = Instant::now();
        loop {
            let opened = std::fs::read_to_string(self.opened_log()).unwrap_or_default();
            if let Some(url) = opened.lines().nth(seen_before) {
                return url.to_owned();
            }
            assert!(start.elapsed() < PATIENCE, "the app never opened the browser");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Starts the app a second time with `url` in argv, as the OS does for
    /// a custom-scheme link, and waits for that second process to end.
    pub fn launch_with_url(&self, url: &str) -> std::process::ExitStatus {
        let mut child = Command::new(env!("CARGO_BIN_EXE_registratura"))
            .arg(url)
            .env_remove("REGISTRATURA_PORTAL_URL")
            .envs(self.env())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start a second instance");
        let start = Instant::now();
        loop {
            if let Some(status) = child.try_wait().expect("wait") {
                return status;
            }
            if start.elapsed() > PATIENCE {
                let _ = child.kill();
                panic!("the second instance did not hand the link over and quit");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A running app and the WebDriver session that drives it.
///
/// Dropping it kills `tauri-driver`'s whole process group, which takes
/// `WebKitWebDriver` and the app with it even when the test panicked before
/// [`AppSession::close`].
#[derive(Debug)]
pub struct AppSession {
    pub client: Client,
    driver: Child,
}

impl AppSession {
    /// Starts the app on the embedded default with a fresh profile.
    pub async fn launch() -> Self {
        Self::launch_profile(&Profile::new()).await
    }

    /// Starts the app on the embedded default under `profile`.
    pub async fn launch_profile(profile: &Profile) -> Self {
        Self::launch_profile_with_args(profile, &[]).await
    }

    /// Starts the app under `profile` with `args` on its command line, as
    /// the OS does when a link starts it.
    pub async fn launch_profile_with_args(profile: &Profile, args: &[&str]) -> Self {
        // Under load WebKitWebDriver now and then drops the request that
        // creates the session (the answer never comes), or the app of the
        // previous session still holds its single-instance name on D-Bus for
        // a moment after it was killed, so that the new one hands over and
        // quits. Either way the whole chain is started again on new ports,
        // at most three times.
        let mut attempt = 1;
        loop {
            match Self::try_launch(profile, args).await {
                Ok(session) => return session,
                Err(error) if attempt < 3 => {
                    eprintln!("WebDriver session, attempt {attempt}: {error}; starting tauri-driver again");
                    attempt += 1;
                }
                Err(error) => panic!("open a WebDriver session with the app: {error}"),
            }
        }
    }

    async fn try_launch(profile: &Profile, args: &[&str]) -> Result<Self, String> {
        let home = &profile.home;
        let port = free_port();
        let native_port = free_port();
        let log = std::fs::OpenOptions::new().create(true).append(true).open(home.join("tauri-driver.log")).expect("create driver log");
        let mut command = Command::new(tauri_driver());
        command
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            // The app inherits this environment through WebKitWebDriver: its
            // own identifier and folders keep a person's data out of reach.
            .env_remove("REGISTRATURA_PORTAL_URL")
            .envs(profile.env())
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("clone log handle"))
            .stderr(log)
            .process_group(0);
        let driver = command.spawn().expect("start tauri-driver (installed by scripts/setup)");
        let mut guard = DriverGuard(Some(driver));
        // tauri-driver accepts connections before the WebKitWebDriver it
        // proxies to is listening, and drops a session request made in that
        // gap; wait for both.
        wait_for_port(port, Duration::from_secs(20));
        wait_for_port(native_port, Duration::from_secs(20));

        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), "wry".into());
        capabilities.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": env!("CARGO_BIN_EXE_registratura"), "args": args }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let mut builder = ClientBuilder::new(connector);
        builder.capabilities(capabilities);
        let address = format!("http://127.0.0.1:{port}");
        // A session opens in a few seconds; one whose answer is lost would
        // otherwise be waited for until the test's own time-out.
        let client = tokio::time::timeout(SESSION_PATIENCE, builder.connect(&address))
            .await
            .map_err(|_| format!("no answer in {} s", SESSION_PATIENCE.as_secs()))?
            .map_err(|error| error.to_string())?;
        let driver = guard.0.take().expect("driver still owned");
        Ok(Self { client, driver })
    }

    /// The trimmed text of the element with `data-testid` = `test_id`, once
    /// it is on screen.
    pub async fn text_of(&self, test_id: &str) -> String {
        self.text_of_css(&format!("[data-testid='{test_id}']")).await
    }

    /// The first element matching `selector`, once it is on screen.
    async fn element(&self, selector: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(selector))
            .await
            .unwrap_or_else(|error| panic!("{selector} never appeared: {error}"))
    }

    /// The trimmed text of the first element matching `selector`.
    pub async fn text_of_css(&self, selector: &str) -> String {
        self.element(selector).await.text().await.expect("read element text").trim().to_owned()
    }

    /// Clicks the element with `data-testid` = `test_id`.
    pub async fn click(&self, test_id: &str) {
        self.click_css(&format!("[data-testid='{test_id}']")).await;
    }

    /// Waits until the element with `data-testid` = `test_id` shows `text`.
    pub async fn wait_for_text(&self, test_id: &str, text: &str) {
        let start = Instant::now();
        loop {
            let selector = format!("[data-testid='{test_id}']");
            let shown = match self.client.find(Locator::Css(&selector)).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if shown.trim() == text {
                return;
            }
            assert!(start.elapsed() < PATIENCE, "{test_id} shows {shown:?}, never {text:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks the first element matching the CSS `selector`, once it is on
    /// screen.
    pub async fn click_css(&self, selector: &str) {
        self.element(selector).await.click().await.unwrap_or_else(|error| panic!("could not click {selector}: {error}"));
    }

    /// The attribute `name` of the first element matching `selector`.
    pub async fn attr_of(&self, selector: &str, name: &str) -> String {
        self.element(selector).await.attr(name).await.expect("read attribute").unwrap_or_default()
    }

    /// Types `text` into the element with `data-testid` = `test_id`.
    pub async fn type_into(&self, test_id: &str, text: &str) {
        let element = self.element(&format!("[data-testid='{test_id}']")).await;
        element.send_keys(text).await.unwrap_or_else(|error| panic!("could not type into {test_id}: {error}"));
    }

    /// Waits until `script` (a JavaScript expression) is true in the page.
    pub async fn wait_until(&self, what: &str, script: &str) {
        self.wait_until_within(what, script, PATIENCE).await;
    }

    /// Waits until `script` is true in the page, at most `limit`.
    pub async fn wait_until_within(&self, what: &str, script: &str, limit: Duration) {
        let start = Instant::now();
        loop {
            let value = self.client.execute(&format!("return Boolean({script});"), vec![]).await.unwrap_or_default();
            if value == serde_json::Value::Bool(true) {
                return;
            }
            assert!(start.elapsed() < limit, "never happened: {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the wizard shows `step` with its data loaded.
    pub async fn wait_for_step(&self, step: &str) {
        self.wait_until(
            &format!("the wizard shows the {step} step"),
            &format!("document.body.dataset.step === '{step}' && document.body.dataset.busy === 'false'"),
        )
        .await;
    }

    /// Presses `key` (text, or a WebDriver key code such as [`keys::TAB`])
    /// on whatever has the focus, as a keyboard would.
    pub async fn press(&self, key: &str) {
        let focused = self.client.active_element().await.expect("something has the focus");
        focused.send_keys(key).await.unwrap_or_else(|error| panic!("could not press {key:?}: {error}"));
    }

    /// Whether the focused element matches `selector`.
    pub async fn focus_matches(&self, selector: &str) -> bool {
        let answer = self
            .client
            .execute("return Boolean(document.activeElement && document.activeElement.matches(arguments[0]));", vec![selector.into()])
            .await
            .unwrap_or_default();
        answer == serde_json::Value::Bool(true)
    }

    /// Presses Tab until the focus reaches an element matching `selector`,
    /// as a person using the keyboard alone would; fails when it is never
    /// reached within `limit` presses.
    pub async fn tab_to(&self, selector: &str, limit: usize) {
        for _ in 0..limit {
            if self.focus_matches(selector).await {
                return;
            }
            self.press(keys::TAB).await;
        }
        assert!(self.focus_matches(selector).await, "Tab never reached {selector} in {limit} presses");
    }

    /// Saves a screenshot as `name.png` in `REGISTRATURA_E2E_SCREENSHOTS`
    /// when that is set (for reviewing the screens and for the docs).
    pub async fn screenshot(&self, name: &str) {
        let Some(dir) = std::env::var_os("REGISTRATURA_E2E_SCREENSHOTS") else { return };
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(PathBuf::from(dir).join(format!("{name}.png")), png).expect("save screenshot");
    }

    /// Waits until the start screen has loaded what the Rust side knows.
    pub async fn wait_until_ready(&self) {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css("body[data-ready]"))
            .await
            .expect("the start screen never finished loading");
    }

    /// Ends the WebDriver session, then stops every process it started.
    pub async fn close(mut self) {
        let client = self.client.clone();
        // A modal dialog can block `close`; never wait on it for long.
        let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        kill_group(&mut self.driver);
    }
}

impl Drop for AppSession {
    fn drop(&mut self) {
        kill_group(&mut self.driver);
    }
}

/// Kills tauri-driver's group if the session never opened.
struct DriverGuard(Option<Child>);

impl Drop for DriverGuard {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            kill_group(child);
        }
    }
}

fn kill_group(child: &mut Child) {
    // The child leads its own process group (process_group(0)), so its pid
    // names the group: tauri-driver, WebKitWebDriver and the app. A signal
    // call rather than the `kill` program: procps' `kill -KILL -PID` reads
    // the negative pid as an option and signals every process (-1) instead.
    if let Ok(pid) = i32::try_from(child.id()) {
        let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pid), nix::sys::signal::SIGKILL);
    }
    let _ = child.wait();
}

fn desktop_session_dir() -> PathBuf {
    match std::env::var_os("REGISTRATURA_E2E_SESSION") {
        Some(dir) if std::env::var_os("DISPLAY").is_some() => PathBuf::from(dir),
        _ => panic!(
            "the end-to-end tests need the private desktop session: run them with scripts/test \
             (or tests/e2e/desktop-session cargo nextest run --profile full --test e2e)"
        ),
    }
}

fn tauri_driver() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    match cargo_home.map(|home| home.join("bin/tauri-driver")) {
        Some(path) if path.exists() => path,
        _ => PathBuf::from("tauri-driver"),
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

fn wait_for_port(port: u16, limit: Duration) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < limit, "tauri-driver did not listen on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn unique_suffix() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default()
}
