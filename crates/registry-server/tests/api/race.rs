use futures::future::join_all;
use serde_json::Value;

use crate::support::on_both_backends;

/// How many clients race for each slot, and how many slots they race for.
const CLIENTS: u32 = 200;
const ROUNDS: usize = 3;

on_both_backends!(exactly_one_of_many_concurrent_clients_wins_a_slot, |app| {
    let consent = app.consent_version().await;
    let free = app.free_slots(ROUNDS).await;
    // Each round has its own patients: a winner may not book the same
    // service in the same clinic again, which would blur what is measured.
    let mut tokens = Vec::new();
    for n in 0..CLIENTS * ROUNDS as u32 {
        tokens.push(app.new_patient_token(n).await);
    }
    for round in 0..ROUNDS {
        let body = free.booking(round, &consent);
        let round_tokens = &tokens[round * CLIENTS as usize..(round + 1) * CLIENTS as usize];
        let app = &app;
        let attempts = round_tokens.iter().enumerate().map(|(n, token)| {
            let body: &Value = &body;
            async move { app.book(token, &format!("race-{round}-{n}"), body).await }
        });
        let results = join_all(attempts).await;
        let winners = results.iter().filter(|(status, _)| *status == 201).count();
        let losers = results
            .iter()
            .filter(|(status, body)| *status == 409 && body["kind"] == "slot_taken")
            .count();
        assert_eq!(winners, 1, "round {round}: {winners} winners");
        assert_eq!(losers, CLIENTS as usize - 1, "round {round}: every other client hears slot_taken");
    }
    // And the stored appointments agree: one live appointment a raced slot.
    let mut holders = vec![0; ROUNDS];
    for token in &tokens {
        let (_, mine) = app.get_as(token, "/api/v1/appointments").await;
        for appointment in mine.as_array().expect("list") {
            for (round, held) in holders.iter_mut().enumerate() {
                if appointment["slot_id"] == free.slots[round].id && appointment["status"] == "booked" {
                    *held += 1;
                }
            }
        }
    }
    assert_eq!(holders, vec![1; ROUNDS]);
});

/// Slots raced for at the same time, and clients per slot.
const SPREAD_SLOTS: usize = 8;
const SPREAD_CLIENTS: usize = 25;

// Many bookings of different slots at once: on SQLite they are committed
// together in groups, where winners and refusals sit side by side. Each
// slot must still have exactly one winner, every winner's appointment must
// be stored with its own ticket, and no refusal may undo a neighbour.
on_both_backends!(concurrent_bookings_of_different_slots_each_land_once, |app| {
    let consent = app.consent_version().await;
    let free = app.free_slots(SPREAD_SLOTS).await;
    let mut tokens = Vec::new();
    for n in 0..SPREAD_SLOTS * SPREAD_CLIENTS {
        tokens.push(app.new_patient_token(u32::try_from(n).expect("small")).await);
    }
    let app = &app;
    let attempts = tokens.iter().enumerate().map(|(n, token)| {
        let slot = n % SPREAD_SLOTS;
        let body = free.booking(slot, &consent);
        async move { (slot, token, app.book(token, &format!("spread-{n}"), &body).await) }
    });
    let results = join_all(attempts).await;

    let mut tickets = std::collections::HashSet::new();
    for slot in 0..SPREAD_SLOTS {
        let tries: Vec<_> = results.iter().filter(|(raced, _, _)| *raced == slot).collect();
        let winners: Vec<_> = tries.iter().filter(|(_, _, (status, _))| *status == 201).collect();
        assert_eq!(winners.len(), 1, "slot {slot}: {} winners", winners.len());
        let taken = tries.iter().filter(|(_, _, (status, body))| *status == 409 && body["kind"] == "slot_taken").count();
        assert_eq!(taken, SPREAD_CLIENTS - 1, "slot {slot}: every other client hears slot_taken");

        let (_, token, (_, booked)) = winners[0];
        let (status, stored) = app.get_as(token, &format!("/api/v1/appointments/{}", booked["id"])).await;
        assert_eq!(status, 200, "slot {slot}: the winner's appointment is stored");
        assert_eq!(&stored, booked);
        assert!(tickets.insert(booked["ticket"].as_str().expect("ticket").to_owned()), "tickets are unique");
        assert_eq!(app.slot_status(&free, free.slots[slot].id).await, registratura_core::api::SlotStatus::Busy);
    }
});

/// The booking the test makes fail inside the database.
const FAILING_KEY: &str = "fails-inside-the-database";

// A booking that fails inside the database (here a test trigger refuses its
// row) fails its group's transaction; the others of its group must still be
// booked, one by one, and the failing one must leave its slot free.
on_both_backends!(a_booking_that_fails_in_the_database_fails_alone, |app| {
    let failing_insert = match &app.store {
        registry_server::Store::Sqlite { write, .. } => sqlx::raw_sql(
            "CREATE TRIGGER refuse_in_test BEFORE INSERT ON appointment \
             WHEN NEW.idempotency_key = 'fails-inside-the-database' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
        )
        .execute(write)
        .await
        .map(|_| ()),
        registry_server::Store::Postgres { write: pool, .. } => sqlx::raw_sql(
            "CREATE FUNCTION refuse_in_test() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN IF NEW.idempotency_key = 'fails-inside-the-database' THEN RAISE EXCEPTION 'refused by the test'; END IF; \
             RETURN NEW; END $$; \
             CREATE TRIGGER refuse_in_test BEFORE INSERT ON appointment FOR EACH ROW EXECUTE FUNCTION refuse_in_test();",
        )
        .execute(pool)
        .await
        .map(|_| ()),
    };
    failing_insert.expect("install the test trigger");

    let consent = app.consent_version().await;
    let free = app.free_slots(SPREAD_SLOTS).await;
    let mut tokens = Vec::new();
    for n in 0..SPREAD_SLOTS {
        tokens.push(app.new_patient_token(u32::try_from(n).expect("small")).await);
    }
    let app = &app;
    let attempts = tokens.iter().enumerate().map(|(n, token)| {
        let body = free.booking(n, &consent);
        let key = if n == SPREAD_SLOTS / 2 { FAILING_KEY.to_owned() } else { format!("alone-{n}") };
        async move { app.book(token, &key, &body).await }
    });
    let results = join_all(attempts).await;
    for (n, (status, body)) in results.iter().enumerate() {
        if n == SPREAD_SLOTS / 2 {
            assert_eq!((*status, body["kind"].as_str()), (500, Some("internal")), "{body}");
            assert_eq!(app.slot_status(&free, free.slots[n].id).await, registratura_core::api::SlotStatus::Free);
        } else {
            assert_eq!(*status, 201, "booking {n}: {body}");
            assert_eq!(app.slot_status(&free, free.slots[n].id).await, registratura_core::api::SlotStatus::Busy);
        }
    }
});
