//! Portal steps 1–4: «Личный кабинет» → «Войти через ЕСИА» → sign in at
//! ESIA in the browser → the header shows «Фамилия И. О.».

use std::process::Command;

use crate::driver::{AppSession, Profile};

/// Plays the person in the browser: from the URL the app opened, through
/// the broker and the ESIA sandbox's login and consent pages, to the
/// redirect the browser would hand to the OS. Returns that redirect.
pub async fn sign_in_at_esia(opened: &str, login: &str, password: &str) -> String {
    let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let location = |response: &reqwest::Response| {
        response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    };
    let base = opened.split("/oauth/authorize").next().expect("a broker URL").to_owned();
    let to_esia = browser.get(opened).send().await.expect("broker");
    let page = browser.get(location(&to_esia)).send().await.expect("login page").text().await.expect("html");
    let marker = r#"name="request" value=""#;
    let start = page.find(marker).expect("a login form") + marker.len();
    let request = &page[start..start + page[start..].find('"').expect("quote")];
    browser
        .post(format!("{base}/aas/oauth2/v2/ac"))
        .form(&[("request", request), ("login", login), ("password", password)])
        .send()
        .await
        .expect("login");
    let to_broker = browser
        .post(format!("{base}/aas/oauth2/v2/ac/consent"))
        .form(&[("request", request), ("decision", "allow")])
        .send()
        .await
        .expect("consent");
    let to_app = browser.get(location(&to_broker)).send().await.expect("broker callback");
    location(&to_app)
}

/// The demo's first test citizen and the sandbox password.
pub const CITIZEN: (&str, &str) = ("patient1@esia-sandbox.test", "esia-test-2026");

/// Completes a login the app has just opened in the "browser" (the
/// `seen_before`-th URL it opened), delivering the callback as the OS does,
/// and waits for the name in the header.
pub async fn complete_login(app: &AppSession, profile: &Profile, seen_before: usize) {
    let opened = profile.wait_for_opened_url(seen_before);
    let callback = sign_in_at_esia(&opened, CITIZEN.0, CITIZEN.1).await;
    assert!(profile.launch_with_url(&callback).success(), "the second instance hands the link over");
    app.wait_for_text("user-name", "Захарова С. С.").await;
}

/// Signs in from the header's «Личный кабинет».
pub async fn sign_in(app: &AppSession, profile: &Profile) {
    app.click("account-button").await;
    app.click("esia-button").await;
    complete_login(app, profile, 0).await;
}

fn keyring_entries(profile: &Profile) -> usize {
    let output = Command::new("secret-tool")
        .args(["search", "--all", "service", &profile.identifier()])
        .output()
        .expect("secret-tool (libsecret-tools, installed by scripts/setup)");
    String::from_utf8_lossy(&output.stdout).lines().filter(|line| line.starts_with('[')).count()
}

#[tokio::test]
async fn signing_in_shows_the_name_survives_a_restart_and_signs_out() {
    let profile = Profile::new();
    let app = AppSession::launch_profile(&profile).await;
    app.wait_until_ready().await;

    app.click("account-button").await;
    app.click("esia-button").await;
    app.wait_for_text("login-waiting-text", "Завершите вход в браузере").await;
    let opened = profile.wait_for_opened_url(0);
    assert!(opened.contains("/oauth/authorize?response_type=code&client_id=registratura-desktop"), "{opened}");
    assert!(opened.contains("code_challenge_method=S256"));

    let callback = sign_in_at_esia(&opened, "patient1@esia-sandbox.test", "esia-test-2026").await;
    assert!(callback.starts_with("ru.registratura.app:/auth/callback?code="), "{callback}");
    // As the OS does: a second launch with the link, which hands it over.
    let second = profile.launch_with_url(&callback);
    assert!(second.success(), "the second instance exits cleanly: {second}");

    app.wait_for_text("user-name", "Захарова С. С.").await;
    assert_eq!(keyring_entries(&profile), 1, "the refresh token is in the keyring");
    app.close().await;

    // The next start restores the session without asking.
    let again = AppSession::launch_profile(&profile).await;
    again.wait_for_text("user-name", "Захарова С. С.").await;
    again.click("logout-button").await;
    again.wait_for_text("account-button", "Личный кабинет").await;
    assert_eq!(keyring_entries(&profile), 0, "signing out forgets the token");
    again.close().await;
}

#[tokio::test]
async fn a_forged_or_stale_callback_is_refused_with_a_clear_message() {
    let profile = Profile::new();
    let app = AppSession::launch_profile(&profile).await;
    app.wait_until_ready().await;
    app.click("account-button").await;
    app.click("esia-button").await;
    profile.wait_for_opened_url(0);

    let status = profile.launch_with_url("ru.registratura.app:/auth/callback?code=stolen&state=forged");
    assert!(status.success());
    app.wait_for_text(
        "login-error",
        "Эта ссылка входа устарела или уже использована. Нажмите «Войти через ЕСИА» ещё раз.",
    )
    .await;
    assert_eq!(app.text_of("account-button").await, "Личный кабинет", "nobody is signed in");
    assert_eq!(keyring_entries(&profile), 0);
    app.close().await;
}

#[tokio::test]
async fn without_the_url_scheme_the_login_comes_back_through_loopback() {
    let profile = Profile::new();
    // A file where the user's applications folder should be: the app cannot
    // install its scheme handler, as on a locked-down desktop.
    std::fs::write(profile.home.join("data/applications"), b"not a folder").expect("block the handler folder");
    let app = AppSession::launch_profile(&profile).await;
    app.wait_until_ready().await;
    app.click("account-button").await;
    app.click("esia-button").await;
    let opened = profile.wait_for_opened_url(0);
    assert!(opened.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A"), "the loopback redirect: {opened}");

    let callback = sign_in_at_esia(&opened, CITIZEN.0, CITIZEN.1).await;
    assert!(callback.starts_with("http://127.0.0.1:") && callback.contains("/auth/callback?code="), "{callback}");
    // The browser follows the redirect to the app's own listener.
    let page = reqwest::get(&callback).await.expect("the app's listener answers");
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("page").contains("Вернитесь в приложение"));
    app.wait_for_text("user-name", "Захарова С. С.").await;
    app.close().await;
}

#[tokio::test]
async fn a_login_begun_before_the_app_closed_finishes_when_its_link_starts_the_app() {
    // A region's portal keeps running when the app closes (the embedded one
    // stops with the app, and with it the login it was brokering).
    let profile = Profile::new();
    let portal = crate::portal::Portal::start(&profile.home);
    let profile = Profile { portal_url: Some(portal.url.clone()), ..profile };
    let app = AppSession::launch_profile(&profile).await;
    app.wait_until_ready().await;
    app.click("account-button").await;
    app.click("esia-button").await;
    let opened = profile.wait_for_opened_url(0);
    // The person closes the app while the browser is still open…
    app.close().await;
    let callback = sign_in_at_esia(&opened, CITIZEN.0, CITIZEN.1).await;

    // …and the OS starts it anew with the login's link.
    let app = AppSession::launch_profile_with_args(&profile, &[&callback]).await;
    app.wait_for_text("user-name", "Захарова С. С.").await;
    assert_eq!(keyring_entries(&profile), 1, "the refresh token stays; the login in progress is gone");
    app.close().await;
}

/// A session bus of its own with no Secret Service on it: a machine without
/// a keyring. Killed on drop.
struct BusWithoutKeyring(std::process::Child, String);

impl BusWithoutKeyring {
    fn start(folder: &std::path::Path) -> Self {
        let config = folder.join("bus-without-keyring.conf");
        let socket = folder.join("bus-without-keyring");
        std::fs::write(
            &config,
            format!(
                "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" \
                 \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\
                 <busconfig><type>session</type><listen>unix:path={}</listen>\
                 <policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>\
                 <allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>",
                socket.display()
            ),
        )
        .expect("bus config");
        let child = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .arg("--nofork")
            .spawn()
            .expect("dbus-daemon");
        let start = std::time::Instant::now();
        while !socket.exists() {
            assert!(start.elapsed() < std::time::Duration::from_secs(10), "the private bus did not start");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Self(child, format!("unix:path={}", socket.display()))
    }
}

impl Drop for BusWithoutKeyring {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn without_a_keyring_the_session_lives_in_memory_and_the_app_says_so() {
    let profile = Profile::new();
    let bus = BusWithoutKeyring::start(&profile.home);
    let profile = Profile { extra_env: vec![("DBUS_SESSION_BUS_ADDRESS".to_owned(), bus.1.clone())], ..profile };
    let app = AppSession::launch_profile(&profile).await;
    app.wait_until_ready().await;
    sign_in(&app, &profile).await;
    app.wait_for_text(
        "notice",
        "Хранилище паролей на этом компьютере недоступно: после закрытия приложения войдите снова.",
    )
    .await;
    assert_eq!(keyring_entries(&profile), 0, "no token went anywhere but memory");
    app.close().await;

    // The next start knows nobody.
    let again = AppSession::launch_profile(&profile).await;
    again.wait_until_ready().await;
    again.wait_for_text("account-button", "Личный кабинет").await;
    again.close().await;
}
