//! `kill -9` in the middle of a sync: the cache must open afterwards and
//! resync. The sync runs in a child process (`registratura-bench
//! sync-once`), which is killed with SIGKILL once it reports that it is
//! writing slots — inside the sync's transaction, before its commit.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use registratura_core::cache::{ScheduleCache, SyncOutcome};
use registratura_core::registry::RegistryClient;
use registry_server::embedded::EmbeddedServer;

// Two workers: the embedded server keeps serving while this test blocks on
// the child's output.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_killed_with_sigkill_leaves_a_cache_that_opens_and_resyncs() {
    let dir = std::env::temp_dir().join(format!("registratura-kill-sync-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let server = EmbeddedServer::start(&dir.join("registry.sqlite3")).await.expect("server");
    let cache_path = dir.join("cache.sqlite3");

    let mut child = Command::new(env!("CARGO_BIN_EXE_registratura-bench"))
        .args(["sync-once", "--url", &server.base_url(), "--cache"])
        .arg(&cache_path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the sync");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let writing = loop {
        match lines.next() {
            Some(Ok(line)) if line.starts_with("write ") => break true,
            Some(Ok(line)) if line.starts_with("done") => break false,
            Some(Ok(_)) => continue,
            _ => break false,
        }
    };
    assert!(writing, "the sync reached its write phase");
    child.kill().expect("SIGKILL");
    let _ = child.wait();

    // The killed sync left its pages in the write-ahead log, uncommitted.
    let wal = std::fs::metadata(cache_path.with_extension("sqlite3-wal")).map(|meta| meta.len()).unwrap_or(0);
    assert!(wal > 0, "the sync had written before it was killed");

    let cache = ScheduleCache::open(&cache_path).await.expect("the cache opens after kill -9");
    let status = cache.status().await.expect("status");
    assert!(!status.ready, "nothing of the killed sync is visible");
    let registry = RegistryClient::new(&server.base_url()).expect("client");
    let report = cache.sync(&registry, &|_| {}).await.expect("resync");
    assert_eq!(report.outcome, SyncOutcome::Snapshot);
    assert_eq!(cache.organizations("").await.expect("organizations").len(), 6);
    assert_eq!(cache.status().await.expect("status").slots, report.slots_written as i64);
    cache.close().await;
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
