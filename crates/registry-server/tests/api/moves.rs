//! Moving an appointment from «Записи на приём», on both backends: one step
//! that claims the new time and frees the old one, with every booking rule
//! checked for the new time, or nothing changes.

use registratura_core::api::SlotStatus;
use serde_json::json;

use crate::support::on_both_backends;

on_both_backends!(a_patient_moves_their_own_appointment_in_one_step_and_every_rule_holds, |app| {
    let token = app.demo_token(1).await;
    let consent = app.consent_version().await;
    let free = app.free_slots(4).await;
    let (status, booked) = app.book(&token, "move-1", &free.booking(0, &consent)).await;
    assert_eq!(status, 201, "{booked}");
    let id = booked["id"].as_i64().expect("id");
    assert!(booked["moved_at"].is_null());
    let path = format!("/api/v1/appointments/{id}/move");

    let (status, moved) = app.post_as(&token, &path, &json!({"slot_id": free.slots[1].id})).await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["slot_id"], free.slots[1].id);
    assert_eq!(moved["ticket"], booked["ticket"], "the ticket keeps its number");
    assert!(moved["moved_at"].is_string(), "the appointment says it was moved: {moved}");
    assert_eq!(app.slot_status(&free, free.slots[0].id).await, SlotStatus::Free, "the old time is free for others");
    assert_eq!(app.slot_status(&free, free.slots[1].id).await, SlotStatus::Busy);

    // Another patient's appointment does not exist for this one.
    let other = app.demo_token(2).await;
    let (status, _) = app.post_as(&other, &path, &json!({"slot_id": free.slots[2].id})).await;
    assert_eq!(status, 404);
    // A time someone holds: refused, and nothing changes.
    let (status, _) = app.book(&other, "move-2", &free.booking(2, &consent)).await;
    assert_eq!(status, 201);
    let (status, taken) = app.post_as(&token, &path, &json!({"slot_id": free.slots[2].id})).await;
    assert_eq!((status, taken["kind"].as_str()), (409, Some("slot_taken")), "{taken}");
    assert_eq!(app.slot_status(&free, free.slots[1].id).await, SlotStatus::Busy, "the appointment keeps its time");
    // A time kept for the desk is not the patient's to take online.
    let (reserved, service, _) = app.slot_with_status(SlotStatus::Unavailable).await;
    let (status, kept) = app.post_as(&token, &path, &json!({"slot_id": reserved.id, "service_id": service})).await;
    assert_eq!((status, kept["kind"].as_str()), (422, Some("slot_unavailable")), "{kept}");
    // Bad input.
    let (status, bad) = app.post_as(&token, &path, &json!({"slot": 1})).await;
    assert_eq!((status, bad["kind"].as_str()), (400, Some("invalid_input")));
    let (status, _) = app.post_as(&token, &path, &json!({"slot_id": 999_999_999})).await;
    assert_eq!(status, 404);
    // Once the appointment has started it stays where it is.
    app.clock.set(free.slots[1].start.timestamp());
    let (status, late) = app.post_as(&token, &path, &json!({"slot_id": free.slots[3].id})).await;
    assert_eq!((status, late["kind"].as_str()), (422, Some("too_late_to_cancel")), "{late}");
    app.clock.set(0);
    // Cancelled, it moves no more.
    let (status, _) = app.post_as(&token, &format!("/api/v1/appointments/{id}/cancel"), &json!({})).await;
    assert_eq!(status, 200);
    let (status, inactive) = app.post_as(&token, &path, &json!({"slot_id": free.slots[3].id})).await;
    assert_eq!((status, inactive["kind"].as_str()), (409, Some("not_active")), "{inactive}");
});
