use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use registratura_core::api::Slot;

use crate::support::{on_both_backends, TestApp};

const BINARY: &str = env!("CARGO_BIN_EXE_registry-server");

on_both_backends!(demo_token_prints_a_working_token_for_demo_databases_only, |app| {
    let output = Command::new(BINARY)
        .args(["demo-token", "--database-url", &app.database_url, "--patient", "4"])
        .output()
        .expect("run demo-token");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let token = String::from_utf8(output.stdout).expect("utf-8").trim().to_owned();
    assert_eq!(token.len(), 64);
    let (status, profile) = app.get_as(&token, "/api/v1/me").await;
    assert_eq!(status, 200);
    assert_eq!(profile["last_name"], "Орлов");

    let output = Command::new(BINARY)
        .args(["demo-token", "--database-url", &app.database_url, "--patient", "99"])
        .output()
        .expect("run demo-token");
    assert!(!output.status.success(), "there is no demo patient 99");
});

#[test]
fn demo_token_refuses_a_database_that_is_not_a_demo() {
    let dir = std::env::temp_dir().join(format!("registratura-not-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let url = format!("sqlite:{}", dir.join("empty.sqlite3").display());
    let output = Command::new(BINARY)
        .args(["demo-token", "--database-url", &url, "--patient", "1"])
        .output()
        .expect("run demo-token");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("not generated as a demo"));
    assert!(output.stdout.is_empty(), "no token is printed");
}

on_both_backends!(demo_staff_lists_the_logins_and_audit_prints_what_staff_did, |app| {
    let output = Command::new(BINARY).args(["demo-staff", "--database-url", &app.database_url]).output().expect("run demo-staff");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let listed = String::from_utf8(output.stdout).expect("utf-8");
    assert!(listed.starts_with(&format!("password of every demo staff account: {}\n", registry_server::demo::STAFF_PASSWORD)), "{listed}");
    assert!(listed.lines().any(|line| line == "registrar1\tregistrar\tclinic 1"), "{listed}");
    assert!(listed.lines().any(|line| line == "admin1\tadmin\torganization 1"), "{listed}");

    // A search at the desk is audited; the CLI prints it, with ids only.
    let registrar = app.staff_token(&registry_server::demo::registrar_login(1)).await;
    let (status, _) = app.desk_get(&registrar, "/patients?clinic=1&last_name=Захарова&birth_date=1951-03-14").await;
    assert_eq!(status, 200);
    let output = Command::new(BINARY)
        .args(["audit", "--database-url", &app.database_url, "--since", "2000-01-01"])
        .output()
        .expect("run audit");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let audit = String::from_utf8(output.stdout).expect("utf-8");
    let line = audit.lines().find(|line| line.contains("\tsearch\t")).unwrap_or_else(|| panic!("the search is audited: {audit}"));
    let fields: Vec<&str> = line.split('\t').collect();
    assert_eq!(fields[1..], ["registrar1", "registrar", "1", "1", "search", "-", "-"], "{line}");
    assert!(!audit.contains("Захарова"), "no patient data in the audit");
    let output = Command::new(BINARY)
        .args(["audit", "--database-url", &app.database_url, "--since", "2999-01-01"])
        .output()
        .expect("run audit");
    assert!(output.status.success() && output.stdout.is_empty(), "nothing after a day to come");
});

#[test]
fn demo_staff_refuses_a_database_that_is_not_a_demo() {
    let dir = std::env::temp_dir().join(format!("registratura-not-demo-staff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let url = format!("sqlite:{}", dir.join("empty.sqlite3").display());
    let output = Command::new(BINARY).args(["demo-staff", "--database-url", &url]).output().expect("run demo-staff");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("not generated as a demo"));
    assert!(output.stdout.is_empty(), "no login is printed");
}

/// Serves the test database from a separate process whose machine time
/// zone is `tz`, and returns one day's slots as it answers them.
async fn slots_seen_from(app: &TestApp, tz: &str, path: &str) -> Vec<Slot> {
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port();
    let mut server = Command::new(BINARY)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--database-url", &app.database_url])
        .env("TZ", tz)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start registry-server");
    let url = format!("http://127.0.0.1:{port}{path}");
    let started = Instant::now();
    let slots = loop {
        match app.http.get(&url).send().await {
            Ok(response) => break response.json::<Vec<Slot>>().await.expect("slots"),
            Err(_) if started.elapsed() < Duration::from_secs(20) => tokio::time::sleep(Duration::from_millis(50)).await,
            Err(error) => panic!("registry-server never answered: {error}"),
        }
    };
    let _ = server.kill();
    let _ = server.wait();
    slots
}

on_both_backends!(clinic_times_do_not_depend_on_the_machine_zone, |app| {
    let free = app.free_slots(1).await;
    let path = format!("/api/v1/doctors/{}/slots?date={}&service={}", free.doctor.id, free.date, free.service_id);
    let from_kiritimati = slots_seen_from(&app, "Pacific/Kiritimati", &path).await;
    let from_honolulu = slots_seen_from(&app, "Pacific/Honolulu", &path).await;
    assert_eq!(from_kiritimati, from_honolulu);
    assert!(from_kiritimati.iter().all(|slot| slot.start.offset().local_minus_utc() == 3 * 3600));
    let first_free = from_kiritimati.iter().find(|slot| slot.id == free.slots[0].id).expect("listed");
    assert_eq!(first_free.time, free.slots[0].time, "the same wall-clock time in Moscow");
});

#[tokio::test]
async fn serve_logs_in_through_the_configured_esia_with_the_operators_signer() {
    let dir = std::env::temp_dir().join(format!("registratura-esia-prod-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let database = format!("sqlite:{}", dir.join("registry.sqlite3").display());

    // --demo plays the sandbox; it never goes with a real ESIA.
    let refused = Command::new(BINARY)
        .args(["serve", "--demo", "--database-url", &database, "--esia-url", "https://esia.example", "--esia-client-id", "P"])
        .args(["--esia-sign-command", "cat", "--esia-verify-command", "true"])
        .output()
        .expect("run serve");
    assert!(!refused.status.success());

    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port();
    // `cat` stands in for the GOST signing tool: the signature is then the
    // signed string itself, which the test can read back.
    let mut server = Command::new(BINARY)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--database-url", &database])
        .args(["--esia-url", "https://esia.example", "--esia-client-id", "PORTAL40"])
        .args(["--esia-sign-command", "cat", "--esia-verify-command", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start registry-server");
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let base = format!("http://127.0.0.1:{port}");
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let authorize = format!(
        "{base}/oauth/authorize?response_type=code&client_id=registratura-desktop\
         &redirect_uri=ru.registratura.app%3A%2Fauth%2Fcallback&state=app-state&code_challenge={challenge}&code_challenge_method=S256"
    );
    let started = Instant::now();
    let response = loop {
        match http.get(&authorize).send().await {
            Ok(response) => break response,
            Err(_) if started.elapsed() < Duration::from_secs(20) => tokio::time::sleep(Duration::from_millis(50)).await,
            Err(error) => panic!("registry-server never answered: {error}"),
        }
    };
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(location.starts_with("https://esia.example/aas/oauth2/v2/ac?client_id=PORTAL40&client_secret="), "{location}");
    let parameter = |name: &str| {
        let raw = location.split(['?', '&']).find_map(|pair| pair.strip_prefix(&format!("{name}="))).unwrap_or_default();
        registratura_core::oauth::percent_decode(raw).expect("a query value")
    };
    use base64::Engine as _;
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(parameter("client_secret")).expect("base64url");
    let expected = registry_server::esia::signed_string(
        "PORTAL40",
        registry_server::esia::SCOPE,
        &parameter("timestamp"),
        &parameter("state"),
        &format!("{base}/esia/callback"),
    );
    assert_eq!(String::from_utf8(secret).expect("utf-8"), expected, "client_secret is the operator's signature of ESIA's string");
    assert_ne!(parameter("state"), "app-state", "ESIA gets a state of the broker's own");
    // No sandbox on a server that talks to the real ESIA.
    let sandbox = http.get(format!("{base}/aas/oauth2/v2/ac")).send().await.expect("answer");
    assert_eq!(sandbox.status(), 404);
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn serve_takes_every_option_from_a_config_file_and_flags_override_it() {
    let dir = std::env::temp_dir().join(format!("registratura-config-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let free_port = || std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port();
    let (file_port, flag_port) = (free_port(), free_port());
    let config = dir.join("registry-server.toml");
    std::fs::write(
        &config,
        format!(
            "listen = \"127.0.0.1:{file_port}\"\ndatabase-url = \"sqlite:{}\"\ndemo = true\ndatabase_connections = 4\n",
            dir.join("registry.sqlite3").display()
        ),
    )
    .expect("write the config");

    // A misspelt option is refused by name, before anything starts.
    let misspelt = dir.join("misspelt.toml");
    std::fs::write(&misspelt, "databse-url = \"sqlite:x\"\n").expect("write");
    let refused = Command::new(BINARY).args(["serve", "--config"]).arg(&misspelt).output().expect("run serve");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("databse-url"), "{}", String::from_utf8_lossy(&refused.stderr));

    let mut server = Command::new(BINARY)
        .args(["serve", "--config"])
        .arg(&config)
        .args(["--listen", &format!("127.0.0.1:{flag_port}")])
        .env_remove("REGISTRATURA_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start registry-server");
    let http = reqwest::Client::new();
    let started = Instant::now();
    let organizations: Vec<serde_json::Value> = loop {
        match http.get(format!("http://127.0.0.1:{flag_port}/api/v1/organizations")).send().await {
            Ok(response) => break response.json().await.expect("organizations"),
            Err(_) if started.elapsed() < Duration::from_secs(30) => tokio::time::sleep(Duration::from_millis(50)).await,
            Err(error) => panic!("registry-server never answered on the flag's port: {error}"),
        }
    };
    assert!(!organizations.is_empty(), "`demo = true` in the file filled the database");
    assert!(http.get(format!("http://127.0.0.1:{file_port}/api/v1/organizations")).send().await.is_err(), "the flag's --listen won");
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
}

/// docs/deployment/: the example config names only real flags, and the
/// example unit is one systemd accepts without a warning.
#[test]
fn the_deployment_examples_are_a_config_serve_reads_and_a_unit_systemd_accepts() {
    let deployment = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/deployment");
    let config = deployment.join("registry-server.toml");
    // `--help` after the file's flags: clap checks every one of them, then
    // prints the help instead of serving.
    let checked = Command::new(BINARY).args(["serve", "--config"]).arg(&config).arg("--help").output().expect("run serve");
    assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stderr));

    let unit = std::fs::read_to_string(deployment.join("registry-server.service")).expect("the unit");
    assert!(unit.contains("ExecStart=/usr/local/bin/registry-server serve --config /etc/registratura/registry-server.toml"));
    let dir = std::env::temp_dir().join(format!("registratura-unit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let here = dir.join("registry-server.service");
    let exec = format!("ExecStart={BINARY} serve --config {}", config.display());
    std::fs::write(&here, unit.lines().map(|line| if line.starts_with("ExecStart=") { exec.as_str() } else { line }).collect::<Vec<_>>().join("\n"))
        .expect("write the unit");
    let verified = Command::new("systemd-analyze").arg("verify").arg(&here).output().expect("systemd-analyze (scripts/setup installs systemd)");
    let complaints = String::from_utf8_lossy(&verified.stderr);
    assert!(verified.status.success() && complaints.trim().is_empty(), "systemd-analyze verify: {complaints}");
    let _ = std::fs::remove_dir_all(&dir);
}
