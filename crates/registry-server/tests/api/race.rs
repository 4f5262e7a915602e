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
