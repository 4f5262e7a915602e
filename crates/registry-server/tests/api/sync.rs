use registratura_core::api::{SlotStatus, SyncChanges, SyncSnapshot};
use serde_json::json;

use crate::support::on_both_backends;

on_both_backends!(a_snapshot_then_changes_follow_every_booking_and_cancel, |app| {
    let snapshot: SyncSnapshot = app.typed("/api/v1/sync/snapshot").await;
    assert!(!snapshot.directory_version.is_empty());
    assert_eq!(snapshot.time_zone, "Europe/Moscow");
    assert!(snapshot.organizations.len() >= 5);
    assert!(snapshot.doctors.iter().all(|doctor| !doctor.service_ids.is_empty()));
    let slots = snapshot.slots.decode().expect("columns decode");
    assert!(slots.len() > 10_000, "{} slots", slots.len());
    assert!(slots.windows(2).all(|pair| pair[0].id < pair[1].id));

    let changes_since = |version: i64| format!("/api/v1/sync/changes?since={version}&directory_version={}", snapshot.directory_version);
    let quiet: SyncChanges = app.typed(&changes_since(snapshot.version)).await;
    assert!(!quiet.snapshot_required);
    assert!(quiet.slots.is_empty(), "nothing changed: {:?}", quiet.slots);

    let token = app.demo_token(1).await;
    let consent = app.consent_version().await;
    let free = app.free_slots(1).await;
    let (_, booked) = app.book(&token, "sync", &free.booking(0, &consent)).await;
    let after_booking = changes_including(&app, &changes_since(quiet.version), free.slots[0].id).await;
    let changed = after_booking.slots.decode().expect("decode");
    assert_eq!(changed.len(), 1);
    assert_eq!((changed[0].id, changed[0].status), (free.slots[0].id, SlotStatus::Busy));
    assert!(after_booking.version > quiet.version);

    app.post_as(&token, &format!("/api/v1/appointments/{}/cancel", booked["id"]), &json!({})).await;
    let after_cancel = changes_including(&app, &changes_since(after_booking.version), free.slots[0].id).await;
    let changed = after_cancel.slots.decode().expect("decode");
    assert_eq!(changed.iter().map(|slot| (slot.id, slot.status)).collect::<Vec<_>>(), vec![(free.slots[0].id, SlotStatus::Free)]);

    let settled: SyncChanges = app.typed(&changes_since(after_cancel.version)).await;
    assert!(settled.slots.is_empty());

    let other: SyncChanges = app.typed("/api/v1/sync/changes?since=0&directory_version=another").await;
    assert!(other.snapshot_required);
});

on_both_backends!(the_feed_is_gzip_compressed_for_clients_that_accept_it, |app| {
    let raw = reqwest::Client::builder().no_gzip().build().expect("client");
    let fetch = |encoding: &'static str| {
        raw.get(app.url("/api/v1/sync/snapshot")).header("accept-encoding", encoding).send()
    };
    let compressed = fetch("gzip").await.expect("request");
    assert_eq!(compressed.status(), 200);
    assert_eq!(compressed.headers().get("content-encoding").and_then(|v| v.to_str().ok()), Some("gzip"));
    let compressed = compressed.bytes().await.expect("body");
    let plain = fetch("identity").await.expect("request");
    assert_eq!(plain.headers().get("content-encoding"), None);
    assert_eq!(plain.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"));
    let plain = plain.bytes().await.expect("body");
    let mut unpacked = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&compressed[..]), &mut unpacked).expect("gunzip");
    assert_eq!(unpacked, plain.to_vec(), "the same snapshot either way");
    assert!(compressed.len() * 3 < plain.len(), "{} bytes compressed from {}", compressed.len(), plain.len());

    let (status, body) = app.get("/api/v1/sync/changes?since=-1&directory_version=x").await;
    assert_eq!((status, body["kind"].as_str()), (400, Some("invalid_input")));
});

// Apps that ask within half a minute of each other share one snapshot; one
// that was built before a booking still leads to it through the changes
// since its version, so the app's cache ends up exact either way.
on_both_backends!(apps_share_a_snapshot_and_catch_up_through_the_changes_since_it, |app| {
    let asked = (0..4).map(|_| app.typed::<SyncSnapshot>("/api/v1/sync/snapshot"));
    let first = futures::future::join_all(asked).await;
    assert!(first.iter().all(|snapshot| snapshot.version == first[0].version), "apps asking at once get the same snapshot");

    let token = app.demo_token(1).await;
    let consent = app.consent_version().await;
    let free = app.free_slots(1).await;
    let (status, _) = app.book(&token, "shared-snapshot", &free.booking(0, &consent)).await;
    assert_eq!(status, 201);

    let second: SyncSnapshot = app.typed("/api/v1/sync/snapshot").await;
    assert_eq!(second.version, first[0].version, "the same snapshot, still fresh");
    let in_snapshot = second.slots.decode().expect("decode").into_iter().find(|slot| slot.id == free.slots[0].id);
    assert_eq!(in_snapshot.map(|slot| slot.status), Some(SlotStatus::Free), "as of its version");
    let path = format!("/api/v1/sync/changes?since={}&directory_version={}", second.version, second.directory_version);
    let caught_up = changes_including(&app, &path, free.slots[0].id).await.slots.decode().expect("decode");
    assert_eq!(caught_up.iter().find(|slot| slot.id == free.slots[0].id).map(|slot| slot.status), Some(SlotStatus::Busy));
});

/// Asks for changes until they include `slot_id`. On PostgreSQL the feed
/// holds back changes while any older transaction in the cluster is still
/// running (other tests load whole regions meanwhile), so a change may take
/// a moment to be promised; it must never be lost.
async fn changes_including(app: &crate::support::TestApp, path: &str, slot_id: i64) -> SyncChanges {
    let started = std::time::Instant::now();
    loop {
        let changes: SyncChanges = app.typed(path).await;
        let slots = changes.slots.decode().expect("decode");
        if slots.iter().any(|slot| slot.id == slot_id) || started.elapsed() > std::time::Duration::from_secs(20) {
            return changes;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

on_both_backends!(a_demo_schedule_is_extended_to_four_weeks_ahead_and_synced_as_a_delta, |app| {
    let snapshot: SyncSnapshot = app.typed("/api/v1/sync/snapshot").await;
    let before = snapshot.slots.decode().expect("decode");
    let last_start = before.iter().map(|slot| slot.starts_at).max().expect("slots");

    // Three weeks on, the demo still offers four weeks of schedule.
    let later = crate::support::today() + chrono::Duration::days(20);
    let added = app.store.extend_demo_schedule(later).await.expect("extend");
    assert!(added > 0);
    assert_eq!(app.store.extend_demo_schedule(later).await.expect("again"), 0, "nothing more to add");

    // PostgreSQL's feed only promises versions below the oldest transaction
    // still running anywhere in the cluster, and other tests run theirs in
    // parallel: the new slots arrive once those have finished.
    let mut new = Vec::new();
    for _ in 0..100 {
        let changes: SyncChanges = app
            .typed(&format!("/api/v1/sync/changes?since={}&directory_version={}", snapshot.version, snapshot.directory_version))
            .await;
        new = changes.slots.decode().expect("decode");
        if new.len() >= added {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(new.len(), added, "every new slot reaches the apps as a delta");
    assert!(new.iter().all(|slot| slot.starts_at > last_start && slot.status != SlotStatus::Busy));
    let zone = registratura_core::region::KALUGA.time_zone;
    let last_day = new.iter().map(|slot| registratura_core::calendar::clinic_instant(slot.starts_at, zone).date_naive()).max();
    assert!(last_day >= Some(later + chrono::Duration::days(registry_server::demo::SCHEDULE_DAYS - 8)), "{last_day:?}");
    let known: std::collections::HashSet<i64> = before.iter().map(|slot| slot.id).collect();
    assert!(new.iter().all(|slot| !known.contains(&slot.id)), "new ids");
});

// A snapshot of an old directory would send every app that took it straight
// back for another: once the directory changes, the next snapshot is new.
on_both_backends!(a_changed_directory_is_never_served_from_an_old_snapshot, |app| {
    let before: SyncSnapshot = app.typed("/api/v1/sync/snapshot").await;
    let reload = "UPDATE meta SET value = 'reloaded' WHERE key = 'directory_version'";
    match &app.store {
        registry_server::Store::Sqlite { write, .. } => sqlx::query(reload).execute(write).await.map(|_| ()),
        registry_server::Store::Postgres { write: pool, .. } => sqlx::query(reload).execute(pool).await.map(|_| ()),
    }
    .expect("change the directory version");
    let after: SyncSnapshot = app.typed("/api/v1/sync/snapshot").await;
    assert_ne!(before.directory_version, "reloaded");
    assert_eq!(after.directory_version, "reloaded");
    let quiet: SyncChanges = app.typed("/api/v1/sync/changes?since=0&directory_version=reloaded").await;
    assert!(!quiet.snapshot_required);
});
