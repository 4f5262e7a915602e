//! The registry server deploys alone: what it links is the contract crate,
//! the HTTP stack and the database drivers, and none of the desktop's
//! keyring (D-Bus), PDF or GTK/WebKit libraries. The app embeds it without
//! the PostgreSQL driver.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Crates that belong to the desktop app and must never reach the server's
/// build: each needs a system library or service a server host lacks.
const DESKTOP_ONLY: &[&str] = &[
    "registratura-core",
    "keyring",
    "secret-service",
    "zbus",
    "dbus",
    "libdbus-sys",
    "genpdf",
    "printpdf",
    "lopdf",
    "rusttype",
    "qrcode",
    "gtk",
    "gdk",
    "glib",
    "cairo-rs",
    "pango",
    "poppler-rs",
    "webkit2gtk",
    "javascriptcore-rs",
    "soup3",
    "tauri",
    "wry",
    "tao",
];

/// The names of every crate `package`'s normal and build dependencies
/// bring, as `cargo tree` resolves them for this workspace's lock file and
/// that package's own features.
fn dependencies_of(package: &str) -> BTreeSet<String> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(&workspace)
        .args(["tree", "--locked", "--offline", "-p", package, "-e", "normal,build"])
        .args(["--prefix", "none", "--format", "{p}"])
        .output()
        .expect("cargo tree runs");
    assert!(output.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_server_links_none_of_the_desktops_libraries() {
    let dependencies = dependencies_of("registry-server");
    // The listing is read right only if it names what the server does use.
    for expected in ["registratura-contract", "axum", "sqlx"] {
        assert!(dependencies.contains(expected), "{expected} missing from {dependencies:?}");
    }
    let desktop: Vec<_> = DESKTOP_ONLY.iter().filter(|name| dependencies.contains(**name)).collect();
    assert!(desktop.is_empty(), "the registry server links desktop crates: {desktop:?}");
}

#[test]
fn the_apps_embedded_server_has_no_postgresql_driver() {
    let app = dependencies_of("registratura");
    assert!(app.contains("registry-server") && app.contains("sqlx-sqlite"), "{app:?}");
    assert!(!app.contains("sqlx-postgres"), "the app links the PostgreSQL driver");
    // The region's server does have it: the feature is on by default there.
    assert!(dependencies_of("registry-server").contains("sqlx-postgres"));
}
