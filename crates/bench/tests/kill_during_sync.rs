//! `kill -9` in the middle of a sync: the cache must open afterwards and
//! resync. The sync runs in a child process (`registratura-bench
//! sync-once`), which is killed with SIGKILL once it reports that it is
//! writing slots — inside the sync's transaction, before its commit.

#![allow(clippy::print_stdout)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use registratura_core::cache::{ScheduleCache, SyncOutcome};
use registratura_core::registry::RegistryClient;
use registry_server::embedded::EmbeddedServer;

/// How many syncs to kill: one in the test suite, more from
/// scripts/bench/crash (`REGISTRATURA_KILL_SYNC_RUNS=100`).
fn runs() -> usize {
    std::env::var("REGISTRATURA_KILL_SYNC_RUNS").ok().and_then(|runs| runs.parse().ok()).unwrap_or(1)
}

// Two workers: the embedded server keeps serving while this test blocks on
// the child's output.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_killed_with_sigkill_leaves_a_cache_that_opens_and_resyncs() {
    let dir = std::env::temp_dir().join(format!("registratura-kill-sync-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let server = EmbeddedServer::start(&dir.join("registry.sqlite3")).await.expect("server");
    let runs = runs();
    for run in 0..runs {
        // The first run kills at the first write; later ones at a later
        // progress report, so the kill lands at different points of the
        // transaction.
        let writes_before_kill = 1 + run % 4;
        let cache_path = dir.join(format!("cache-{run}.sqlite3"));
        kill_a_sync_and_reopen(&server, &cache_path, writes_before_kill).await;
    }
    println!("kill during sync: {runs} runs, every cache opened and resynced");
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

async fn kill_a_sync_and_reopen(server: &EmbeddedServer, cache_path: &std::path::Path, writes_before_kill: usize) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_registratura-bench"))
        .args(["sync-once", "--url", &server.base_url(), "--cache"])
        .arg(cache_path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the sync");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut writes = 0;
    let writing = loop {
        match lines.next() {
            Some(Ok(line)) if line.starts_with("write ") => {
                writes += 1;
                // "write DONE/TOTAL": past half-way the kill would race the
                // commit, so it comes no later than that.
                let (done, total) = line["write ".len()..].split_once('/').expect("DONE/TOTAL");
                let (done, total): (u64, u64) = (done.parse().expect("done"), total.parse().expect("total"));
                if writes >= writes_before_kill || done * 2 >= total {
                    break true;
                }
            }
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

    let cache = ScheduleCache::open(cache_path).await.expect("the cache opens after kill -9");
    let status = cache.status().await.expect("status");
    assert!(!status.ready, "nothing of the killed sync is visible");
    let registry = RegistryClient::new(&server.base_url()).expect("client");
    let report = cache.sync(&registry, &|_| {}).await.expect("resync");
    assert_eq!(report.outcome, SyncOutcome::Snapshot);
    assert_eq!(cache.organizations("").await.expect("organizations").len(), 6);
    assert_eq!(cache.status().await.expect("status").slots, report.slots_written as i64);
    cache.close().await;
}
