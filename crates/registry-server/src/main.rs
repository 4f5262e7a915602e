//! `registry-server`: reads the command line and calls the library.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use registry_server::demo::{self, Size};
use registry_server::{AppState, Clock, Error, Store};
use tokio::net::TcpListener;

mod config_file;

/// The registry server of Регистратура: directory, schedules, booking and
/// tickets over HTTP/JSON, on SQLite or PostgreSQL.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serves the API until interrupted (Ctrl-C or SIGTERM).
    #[command(args_override_self = true)]
    Serve {
        /// A TOML file of these options, `flag-name = value` a line (e.g.
        /// `database-url = "postgres://…"`, `demo = true`); flags given here
        /// override it. An example: docs/deployment/registry-server.toml.
        #[arg(long, value_name = "FILE")]
        config: Option<std::path::PathBuf>,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1:8040")]
        listen: SocketAddr,
        /// `sqlite:PATH` or `postgres://USER@HOST:PORT/DB`.
        #[arg(long, env = "REGISTRATURA_DATABASE_URL")]
        database_url: String,
        /// Fill an empty database with the demo region first, and play
        /// ESIA's sandbox (test citizens) for logins.
        #[arg(long)]
        demo: bool,
        /// The server's address as clients reach it (the OAuth issuer and
        /// ESIA's redirect target); defaults to http://LISTEN.
        #[arg(long)]
        public_url: Option<String>,
        /// PostgreSQL connections in the server's pool (default: four per
        /// core of this machine). Ignored for SQLite.
        #[arg(long, env = "REGISTRATURA_DATABASE_CONNECTIONS", value_parser = clap::value_parser!(u32).range(1..=1000))]
        database_connections: Option<u32>,
        /// A hot standby of the PostgreSQL database (`postgres://…`), by its
        /// own streaming replication: the public reads (directory, calendars,
        /// day slots, the sync feed) go there; a patient's, the desk's and
        /// the kiosks' reads and every write stay on the primary.
        #[arg(long, env = "REGISTRATURA_DATABASE_READ_URL")]
        database_read_url: Option<String>,
        #[command(flatten)]
        esia: EsiaOptions,
    },
    /// Fills an empty database with a generated region.
    Generate {
        #[arg(long, value_enum, default_value = "demo")]
        size: Size,
        #[arg(long, env = "REGISTRATURA_DATABASE_URL")]
        database_url: String,
        #[arg(long, default_value_t = registry_server::embedded::DEMO_SEED)]
        seed: u64,
    },
    /// Prints an access token for demo patient N (demo databases only).
    DemoToken {
        #[arg(long, env = "REGISTRATURA_DATABASE_URL")]
        database_url: String,
        /// The demo patient's number, from 1.
        #[arg(long)]
        patient: i64,
        /// How long the token is valid.
        #[arg(long, default_value_t = 12)]
        hours: i64,
    },
    /// Prints the demo region's staff logins (a registrar for every clinic,
    /// an admin for every organisation) and their password. Demo databases only.
    DemoStaff {
        #[arg(long, env = "REGISTRATURA_DATABASE_URL")]
        database_url: String,
    },
    /// Registers and revokes lobby kiosks.
    Kiosk {
        #[command(subcommand)]
        command: KioskCommand,
    },
    /// Prints the staff actions recorded since a day, oldest first, one a
    /// line, tab-separated: time, staff login, role, organisation, clinic,
    /// action, patient id, appointment id. Names and numbers of patients
    /// are never in it: their ids are.
    Audit {
        #[arg(long, env = "REGISTRATURA_DATABASE_URL")]
        database_url: String,
        /// The first day, `YYYY-MM-DD`, in the region's zone.
        #[arg(long)]
        since: chrono::NaiveDate,
        /// Only this organisation's.
        #[arg(long)]
        organization: Option<i64>,
    },
}

#[derive(Debug, Subcommand)]
enum KioskCommand {
    /// Registers a kiosk at a clinic. Prints its admin PIN (when generated)
    /// and, as the last word of the last line, its device credential, which
    /// is shown this once: enter it on the kiosk.
    Register {
        #[arg(long, env = "REGISTRATURA_DATABASE_URL")]
        database_url: String,
        #[arg(long)]
        clinic: i64,
        /// What staff call the kiosk, e.g. «Холл, 1 этаж».
        #[arg(long)]
        name: String,
        /// The admin PIN that opens the kiosk's settings, 4–12 digits
        /// (default: six random digits, printed).
        #[arg(long)]
        pin: Option<String>,
    },
    /// Revokes a kiosk: its next request is refused.
    Revoke {
        #[arg(long, env = "REGISTRATURA_DATABASE_URL")]
        database_url: String,
        /// The kiosk's id, as `register` printed it.
        #[arg(long)]
        id: i64,
    },
}

/// The real ESIA (docs/esia.md): all four options together, never with
/// `--demo`.
#[derive(Debug, clap::Args)]
struct EsiaOptions {
    /// ESIA's base URL, e.g. https://esia.gosuslugi.ru (test: https://esia-portal1.test.gosuslugi.ru).
    #[arg(long, env = "REGISTRATURA_ESIA_URL", requires_all = ["esia_client_id", "esia_sign_command", "esia_verify_command"])]
    esia_url: Option<String>,
    /// The portal's client id (мнемоника) registered at ESIA.
    #[arg(long, env = "REGISTRATURA_ESIA_CLIENT_ID")]
    esia_client_id: Option<String>,
    /// The command that signs `client_secret` with the portal's GOST key:
    /// bytes on stdin, detached CMS signature (DER) on stdout.
    #[arg(long, env = "REGISTRATURA_ESIA_SIGN_COMMAND")]
    esia_sign_command: Option<std::path::PathBuf>,
    /// The command that checks ESIA's id_token signature: the signing input
    /// on stdin, the signature (base64url) as its last argument; exit 0 =
    /// valid, 1 = not.
    #[arg(long, env = "REGISTRATURA_ESIA_VERIFY_COMMAND")]
    esia_verify_command: Option<std::path::PathBuf>,
    /// The `alg` of ESIA's id_tokens.
    #[arg(long, default_value = "GOST3410_2012_256")]
    esia_token_algorithm: String,
}

impl EsiaOptions {
    fn config(&self, public_url: &str) -> Option<registry_server::esia::EsiaConfig> {
        use registry_server::esia::signer::{CommandSigner, CommandVerifier};
        let (Some(url), Some(client_id), Some(sign), Some(verify)) =
            (&self.esia_url, &self.esia_client_id, &self.esia_sign_command, &self.esia_verify_command)
        else {
            return None;
        };
        Some(registry_server::esia::EsiaConfig::production(
            url,
            client_id,
            std::sync::Arc::new(CommandSigner { program: sign.clone(), args: Vec::new() }),
            std::sync::Arc::new(CommandVerifier { program: verify.clone(), args: Vec::new(), algorithm: self.esia_token_algorithm.clone() }),
            public_url,
        ))
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("REGISTRATURA_LOG").unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let arguments = match config_file::expand(std::env::args_os().collect()) {
        Ok(arguments) => arguments,
        Err(message) => {
            eprintln!("registry-server: {message}");
            return ExitCode::from(2);
        }
    };
    let result = match Cli::parse_from(arguments).command {
        Command::Serve { config: _, listen, database_url, demo, public_url, database_connections, database_read_url, esia } => {
            let database = Database { url: database_url, connections: database_connections, read_url: database_read_url };
            serve(listen, &database, demo, public_url, &esia).await
        }
        Command::Generate { size, database_url, seed } => generate(size, &database_url, seed).await,
        Command::DemoToken { database_url, patient, hours } => demo_token(&database_url, patient, hours).await,
        Command::DemoStaff { database_url } => demo_staff(&database_url).await,
        Command::Audit { database_url, since, organization } => audit(&database_url, since, organization).await,
        Command::Kiosk { command: KioskCommand::Register { database_url, clinic, name, pin } } => {
            register_kiosk(&database_url, clinic, &name, pin).await
        }
        Command::Kiosk { command: KioskCommand::Revoke { database_url, id } } => revoke_kiosk(&database_url, id).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("registry-server: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Where `serve` keeps its data.
struct Database {
    url: String,
    connections: Option<u32>,
    read_url: Option<String>,
}

async fn serve(listen: SocketAddr, database: &Database, demo: bool, public_url: Option<String>, esia: &EsiaOptions) -> Result<(), Error> {
    if demo && esia.esia_url.is_some() {
        return Err(Error::InvalidInput("--demo plays ESIA's sandbox; it cannot be used with --esia-url".to_owned()));
    }
    let mut store = Store::open_with_connections(&database.url, database.connections).await?;
    if let Some(read_url) = &database.read_url {
        store = store.with_read_replica(read_url).await?;
        tracing::info!("public reads on the read replica");
    }
    if demo && store.is_empty().await? {
        generate_into(&store, Size::Demo, registry_server::embedded::DEMO_SEED).await?;
    }
    if demo {
        let today = registratura_contract::calendar::clinic_date(chrono::Utc::now(), registratura_contract::region::KALUGA.time_zone);
        let added = store.extend_demo_schedule(today).await?;
        if added > 0 {
            tracing::info!(slots = added, "extended the demo schedule to four weeks ahead");
        }
    }
    let listener = TcpListener::bind(listen).await.map_err(|error| Error::Internal(format!("bind {listen}: {error}")))?;
    tracing::info!(address = %listen, "serving");
    let public_url = public_url.unwrap_or_else(|| format!("http://{listen}"));
    // The sandbox plays ESIA only on a demo database: never on real patients.
    let sandbox = demo && store.is_demo().await?;
    let mut state = AppState::new(store.clone(), Clock::system(), &public_url, sandbox);
    if let Some(config) = esia.config(&public_url) {
        tracing::info!(esia = %config.base_url, "logins through ESIA");
        state = state.with_esia(config);
    }
    let router = registry_server::app(state);
    registry_server::serve(listener, router, shutdown_signal())
        .await
        .map_err(|error| Error::Internal(error.to_string()))?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn generate(size: Size, database_url: &str, seed: u64) -> Result<(), Error> {
    let store = Store::open(database_url).await?;
    generate_into(&store, size, seed).await?;
    store.close().await;
    Ok(())
}

async fn generate_into(store: &Store, size: Size, seed: u64) -> Result<(), Error> {
    let started = std::time::Instant::now();
    let today = registratura_contract::calendar::clinic_date(chrono::Utc::now(), registratura_contract::region::KALUGA.time_zone);
    let region = demo::generate(size, seed, today);
    let generated = started.elapsed();
    store.load(&region, Clock::system().now()).await?;
    tracing::info!(
        organizations = region.organizations.len(),
        clinics = region.clinics.len(),
        doctors = region.doctors.len(),
        slots = region.slots.len(),
        generate_ms = generated.as_millis() as u64,
        total_ms = started.elapsed().as_millis() as u64,
        "generated"
    );
    Ok(())
}

async fn demo_token(database_url: &str, patient: i64, hours: i64) -> Result<(), Error> {
    let store = Store::open(database_url).await?;
    if !store.is_demo().await? {
        return Err(Error::InvalidInput("this database was not generated as a demo; refusing to mint a token".to_owned()));
    }
    let patient_id = store
        .demo_patient(patient)
        .await?
        .ok_or_else(|| Error::InvalidInput(format!("there is no demo patient {patient}")))?;
    let token = registry_server::store::new_token()?;
    let expires = Clock::system().now() + hours.clamp(1, 24 * 30) * 3600;
    store.issue_token(patient_id, &token, expires).await?;
    store.close().await;
    // The token is the command's output, for a test or a demo to use; it is
    // printed to stdout only, never logged.
    #[allow(clippy::print_stdout)]
    {
        println!("{token}");
    }
    Ok(())
}

async fn demo_staff(database_url: &str) -> Result<(), Error> {
    let store = Store::open(database_url).await?;
    if !store.is_demo().await? {
        return Err(Error::InvalidInput("this database was not generated as a demo; refusing to list its staff".to_owned()));
    }
    let logins = store.staff_logins().await?;
    store.close().await;
    let mut out = format!("password of every demo staff account: {}\n", demo::STAFF_PASSWORD);
    for (login, role, clinic, organization) in logins {
        let place = match (clinic, organization) {
            (Some(clinic), _) => format!("clinic {clinic}"),
            (None, Some(organization)) => format!("organization {organization}"),
            (None, None) => String::new(),
        };
        out.push_str(&format!("{login}\t{role}\t{place}\n"));
    }
    #[allow(clippy::print_stdout)]
    {
        print!("{out}");
    }
    Ok(())
}

async fn audit(database_url: &str, since: chrono::NaiveDate, organization: Option<i64>) -> Result<(), Error> {
    let store = Store::open(database_url).await?;
    let zone = registratura_contract::region::KALUGA.time_zone;
    let (from, _) = registratura_contract::calendar::clinic_day_bounds(since, zone);
    let entries = store.audit(organization, from, i64::MAX).await?;
    store.close().await;
    let mut out = String::new();
    let id = |value: Option<i64>| value.map_or_else(|| "-".to_owned(), |value| value.to_string());
    for entry in entries {
        let at = registratura_contract::calendar::clinic_instant(entry.at, zone).to_rfc3339();
        out.push_str(&format!(
            "{at}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            entry.staff_login,
            entry.role,
            id(entry.organization_id),
            id(entry.clinic_id),
            entry.action,
            id(entry.patient_id),
            id(entry.appointment_id)
        ));
    }
    #[allow(clippy::print_stdout)]
    {
        print!("{out}");
    }
    Ok(())
}

async fn register_kiosk(database_url: &str, clinic: i64, name: &str, pin: Option<String>) -> Result<(), Error> {
    let store = Store::open(database_url).await?;
    let (pin, generated) = match pin {
        Some(pin) => (pin, false),
        None => (registry_server::store::kiosk::random_pin()?, true),
    };
    let (id, credential) = store.register_kiosk(clinic, name, &pin, None, Clock::system().now()).await?;
    store.close().await;
    // The credential and a generated PIN are this command's output, shown
    // once to the admin who sets the kiosk up; never logged.
    let mut out = String::new();
    if generated {
        out.push_str(&format!("admin PIN: {pin}\n"));
    }
    out.push_str(&format!("kiosk {id} registered at clinic {clinic}; credential: {credential}\n"));
    #[allow(clippy::print_stdout)]
    {
        print!("{out}");
    }
    Ok(())
}

async fn revoke_kiosk(database_url: &str, id: i64) -> Result<(), Error> {
    let store = Store::open(database_url).await?;
    let revoked = store.revoke_kiosk(id, None, Clock::system().now()).await?;
    store.close().await;
    if !revoked {
        return Err(Error::InvalidInput(format!("there is no kiosk {id}")));
    }
    #[allow(clippy::print_stdout)]
    {
        println!("kiosk {id} revoked");
    }
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM, so that a service manager's stop lets
/// requests in flight finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
