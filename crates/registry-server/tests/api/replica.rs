//! A region's server with a hot standby (`serve --database-read-url`): the
//! public reads go to the standby, a patient's own to the primary, and the
//! sync feed never promises a version the standby has not replayed. The
//! standby's replay is paused to make the difference visible.

use registratura_core::api::{SlotStatus, SyncChanges};
use registry_server::Store;

use crate::support::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_reads_come_from_the_standby_and_a_patient_sees_their_booking_at_once() {
    let app = TestApp::spawn_with_standby().await;
    let standby = app.standby.clone().expect("standby");
    let Store::Postgres { write: primary, .. } = &app.store else { panic!("PostgreSQL") };
    let token = app.demo_token(1).await;
    let consent = app.consent_version().await;
    let free = app.free_slots(1).await;
    let slot_id = free.slots[0].id;
    let (_, snapshot) = app.get("/api/v1/sync/snapshot").await;
    let directory = snapshot["directory_version"].as_str().expect("directory version").to_owned();
    let changes = |since: i64| {
        let (app, directory) = (&app, &directory);
        async move {
            let (status, body) = app.get(&format!("/api/v1/sync/changes?since={since}&directory_version={directory}")).await;
            assert_eq!(status, 200, "{body}");
            let changes = serde_json::from_value::<SyncChanges>(body).expect("changes");
            assert!(!changes.snapshot_required);
            changes
        }
    };
    let before = changes(0).await.version;

    sqlx::query("SELECT pg_wal_replay_pause()").execute(&standby).await.expect("pause the standby's replay");
    let paused = std::time::Instant::now();
    loop {
        let state: String = sqlx::query_scalar("SELECT pg_get_wal_replay_pause_state()").fetch_one(&standby).await.expect("state");
        if state == "paused" {
            break;
        }
        assert!(paused.elapsed() < std::time::Duration::from_secs(10), "replay never paused");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }

    let (status, booked) = app.book(&token, "on-the-primary", &free.booking(0, &consent)).await;
    assert_eq!(status, 201, "{booked}");
    // The patient's own list is read from the primary: the booking is there.
    let (status, mine) = app.get_as(&token, "/api/v1/appointments").await;
    assert_eq!(status, 200);
    assert!(mine.as_array().expect("list").iter().any(|appointment| appointment["id"] == booked["id"]), "{mine}");
    // The day's public slots come from the standby, which has not seen it.
    assert_eq!(app.slot_status(&free, slot_id).await, SlotStatus::Free, "the public read is the standby's");
    // The feed's horizon is the standby's: the booking's version is not
    // promised yet, so an app that syncs now will still be sent it later.
    let version: i64 =
        sqlx::query_scalar("SELECT version FROM slot WHERE id = $1").bind(slot_id).fetch_one(primary).await.expect("the slot's version");
    let paused_changes = changes(before).await;
    assert!(paused_changes.version <= version, "the feed promised {} past the booking's {version}", paused_changes.version);
    let listed = paused_changes.slots.decode().expect("columns");
    assert!(listed.iter().all(|slot| slot.id != slot_id), "the standby cannot list a change it has not replayed");

    sqlx::query("SELECT pg_wal_replay_resume()").execute(&standby).await.expect("resume the replay");
    app.standby_caught_up().await;
    assert_eq!(app.slot_status(&free, slot_id).await, SlotStatus::Busy);
    // The horizon is the oldest transaction still running anywhere in the
    // cluster, and other tests' databases share it: it passes the booking's
    // version once their transactions of the moment have ended.
    let waited = std::time::Instant::now();
    let caught_up = loop {
        let answer = changes(paused_changes.version).await;
        if answer.version > version {
            break answer;
        }
        assert!(waited.elapsed() < std::time::Duration::from_secs(30), "the feed never passed the booking's version {version}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let listed = caught_up.slots.decode().expect("columns");
    let slot = listed.iter().find(|slot| slot.id == slot_id).expect("the booked slot is sent once replayed");
    assert_eq!(slot.status, SlotStatus::Busy);
}
