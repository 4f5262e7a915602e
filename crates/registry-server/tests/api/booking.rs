use registratura_core::api::{Appointment, AppointmentStatus, SlotStatus};
use serde_json::json;

use crate::support::on_both_backends;

on_both_backends!(a_booking_gets_a_ticket_and_takes_the_slot, |app| {
    let token = app.demo_token(1).await;
    let consent = app.consent_version().await;
    let free = app.free_slots(2).await;

    let (status, body) = app.book(&token, "first-try", &free.booking(0, &consent)).await;
    assert_eq!(status, 201, "{body}");
    let appointment: Appointment = serde_json::from_value(body).expect("appointment");
    assert_eq!(appointment.ticket.len(), 7);
    assert!(appointment.ticket.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(appointment.status, AppointmentStatus::Booked);
    assert_eq!(appointment.slot_id, free.slots[0].id);
    assert_eq!(appointment.clinic.id, free.clinic.id);
    assert_eq!(appointment.doctor.id, free.doctor.id);
    assert_eq!(appointment.service.id, free.service_id);
    assert_eq!(appointment.start, free.slots[0].start);
    assert_eq!(appointment.time, free.slots[0].time);
    assert_eq!(appointment.consent_version, consent);
    assert_eq!(appointment.phone.as_ref().map(|p| p.as_str()), Some("+79101234567"));

    assert_eq!(app.slot_status(&free, free.slots[0].id).await, SlotStatus::Busy);

    let (status, listed) = app.get_as(&token, "/api/v1/appointments").await;
    assert_eq!(status, 200);
    let listed: Vec<Appointment> = serde_json::from_value(listed).expect("list");
    assert_eq!(listed, vec![appointment.clone()]);
    let (status, one) = app.get_as(&token, &format!("/api/v1/appointments/{}", appointment.id)).await;
    assert_eq!(status, 200);
    assert_eq!(serde_json::from_value::<Appointment>(one).expect("one"), appointment);
});

on_both_backends!(a_declined_phone_is_recorded_as_none, |app| {
    let token = app.demo_token(2).await;
    let consent = app.consent_version().await;
    let free = app.free_slots(1).await;
    let mut body = free.booking(0, &consent);
    body["phone"] = serde_json::Value::Null;
    let (status, booked) = app.book(&token, "no-phone", &body).await;
    assert_eq!(status, 201, "{booked}");
    assert!(booked["phone"].is_null());
});

on_both_backends!(a_retry_with_the_same_key_returns_the_same_appointment, |app| {
    let token = app.demo_token(1).await;
    let consent = app.consent_version().await;
    let free = app.free_slots(2).await;
    let (first_status, first) = app.book(&token, "retry-key", &free.booking(0, &consent)).await;
    let (again_status, again) = app.book(&token, "retry-key", &free.booking(0, &consent)).await;
    assert_eq!((first_status, again_status), (201, 201));
    assert_eq!(first["id"], again["id"]);
    assert_eq!(first["ticket"], again["ticket"]);
    let (_, listed) = app.get_as(&token, "/api/v1/appointments").await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "a retry books nothing new");

    let (status, body) = app.book(&token, "retry-key", &free.booking(1, &consent)).await;
    assert_eq!((status, body["kind"].as_str()), (409, Some("idempotency_conflict")));
});

on_both_backends!(no_booking_without_the_current_consent, |app| {
    let token = app.demo_token(1).await;
    let free = app.free_slots(1).await;
    let (status, body) = app.book(&token, "old-consent", &free.booking(0, "2019-01-01")).await;
    assert_eq!((status, body["kind"].as_str()), (422, Some("consent_required")));
    assert_eq!(app.slot_status(&free, free.slots[0].id).await, SlotStatus::Free);
});

on_both_backends!(reserved_and_taken_slots_cannot_be_booked_online, |app| {
    let token = app.demo_token(1).await;
    let consent = app.consent_version().await;
    let (reserved, service, _) = app.slot_with_status(SlotStatus::Unavailable).await;
    let body = json!({"slot_id": reserved.id, "service_id": service, "consent_version": consent, "phone": null});
    let (status, answer) = app.book(&token, "reserved", &body).await;
    assert_eq!((status, answer["kind"].as_str()), (422, Some("slot_unavailable")));

    let (taken, service, _) = app.slot_with_status(SlotStatus::Busy).await;
    let body = json!({"slot_id": taken.id, "service_id": service, "consent_version": consent, "phone": null});
    let (status, answer) = app.book(&token, "taken", &body).await;
    assert_eq!((status, answer["kind"].as_str()), (409, Some("slot_taken")));
});

on_both_backends!(a_slot_that_has_started_cannot_be_booked, |app| {
    let token = app.demo_token(1).await;
    let consent = app.consent_version().await;
    let free = app.free_slots(1).await;
    app.clock.set(free.slots[0].start.timestamp());
    let (status, body) = app.book(&token, "late", &free.booking(0, &consent)).await;
    assert_eq!((status, body["kind"].as_str()), (422, Some("slot_in_past")));
});

on_both_backends!(overlapping_or_same_service_bookings_are_refused_with_the_ticket, |app| {
    let token = app.demo_token(3).await;
    let consent = app.consent_version().await;
    let free = app.free_slots(3).await;
    let (status, first) = app.book(&token, "one", &free.booking(0, &consent)).await;
    assert_eq!(status, 201, "{first}");

    // Another slot of the same doctor and service in the same clinic.
    let (status, body) = app.book(&token, "two", &free.booking(2, &consent)).await;
    assert_eq!((status, body["kind"].as_str()), (409, Some("already_booked")));
    assert_eq!(body["existing_ticket"], first["ticket"]);
    assert_eq!(body["clash"], "same_service", "{body}");
    assert!(body["message"].as_str().is_some_and(|message| message.contains("на эту услугу")), "{body}");

    // Another doctor at the same time: the clash is the time, and the
    // message says so rather than naming the service.
    let (overlapping, service) = app.overlapping_free_slot(&free, &free.slots[0]).await;
    let other_doctor = json!({"slot_id": overlapping.id, "service_id": service, "consent_version": consent, "phone": null});
    let (status, body) = app.book(&token, "overlap", &other_doctor).await;
    assert_eq!((status, body["kind"].as_str(), &body["clash"]), (409, Some("already_booked"), &json!("same_time")), "{body}");
    assert_eq!(body["existing_ticket"], first["ticket"]);
    assert!(body["message"].as_str().is_some_and(|message| message.contains("На это время")), "{body}");

    // Cancelling the first clears the way.
    let (status, _) = app.post_as(&token, &format!("/api/v1/appointments/{}/cancel", first["id"]), &json!({})).await;
    assert_eq!(status, 200);
    let (status, body) = app.book(&token, "three", &free.booking(2, &consent)).await;
    assert_eq!(status, 201, "{body}");
});

on_both_backends!(an_unconfirmed_account_cannot_book, |app| {
    let token = app.demo_token(9).await;
    let consent = app.consent_version().await;
    let free = app.free_slots(1).await;
    let (status, body) = app.book(&token, "unconfirmed", &free.booking(0, &consent)).await;
    assert_eq!((status, body["kind"].as_str()), (403, Some("account_unconfirmed")));
    let (status, profile) = app.get_as(&token, "/api/v1/me").await;
    assert_eq!(status, 200);
    assert_eq!(profile["confirmed"], false);
});

on_both_backends!(patients_see_and_cancel_only_their_own, |app| {
    let owner = app.demo_token(1).await;
    let stranger = app.demo_token(2).await;
    let consent = app.consent_version().await;
    let free = app.free_slots(1).await;
    let (_, booked) = app.book(&owner, "mine", &free.booking(0, &consent)).await;
    let id = booked["id"].as_i64().expect("id");

    let (status, body) = app.get_as(&stranger, &format!("/api/v1/appointments/{id}")).await;
    assert_eq!((status, body["kind"].as_str()), (404, Some("not_found")));
    let (status, _) = app.post_as(&stranger, &format!("/api/v1/appointments/{id}/cancel"), &json!({})).await;
    assert_eq!(status, 404);
    let (_, theirs) = app.get_as(&stranger, "/api/v1/appointments").await;
    assert_eq!(theirs, json!([]));
    assert_eq!(app.slot_status(&free, free.slots[0].id).await, SlotStatus::Busy);

    for path in ["/api/v1/appointments", "/api/v1/me", "/api/v1/me/phones"] {
        let (status, body) = app.get(path).await;
        assert_eq!((status, body["kind"].as_str()), (401, Some("unauthorized")), "{path}");
        let (status, _) = app.get_as("not-a-token", path).await;
        assert_eq!(status, 401, "{path}");
    }
});

on_both_backends!(cancel_frees_the_slot_at_once_and_is_harmless_twice, |app| {
    let first = app.demo_token(1).await;
    let second = app.demo_token(2).await;
    let consent = app.consent_version().await;
    let free = app.free_slots(1).await;
    let (_, booked) = app.book(&first, "to-cancel", &free.booking(0, &consent)).await;
    let cancel = format!("/api/v1/appointments/{}/cancel", booked["id"]);

    let (status, cancelled) = app.post_as(&first, &cancel, &json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(cancelled["status"], "cancelled_by_patient");
    assert_eq!(app.slot_status(&free, free.slots[0].id).await, SlotStatus::Free);
    let (status, again) = app.post_as(&first, &cancel, &json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(again["status"], "cancelled_by_patient");

    let (status, body) = app.book(&second, "after-cancel", &free.booking(0, &consent)).await;
    assert_eq!(status, 201, "another patient books the freed slot: {body}");
    assert_eq!(app.slot_status(&free, free.slots[0].id).await, SlotStatus::Busy);
});

on_both_backends!(cancelling_after_the_start_is_refused, |app| {
    let token = app.demo_token(1).await;
    let consent = app.consent_version().await;
    let free = app.free_slots(1).await;
    let (_, booked) = app.book(&token, "started", &free.booking(0, &consent)).await;
    app.clock.set(free.slots[0].start.timestamp() + 60);
    let (status, body) = app.post_as(&token, &format!("/api/v1/appointments/{}/cancel", booked["id"]), &json!({})).await;
    assert_eq!((status, body["kind"].as_str()), (422, Some("too_late_to_cancel")));
    app.clock.set(0);
    assert_eq!(app.slot_status(&free, free.slots[0].id).await, SlotStatus::Busy);
});

// An appointment names its consent text, service and clinic; on PostgreSQL
// no foreign key guards those rows any more (booking locked them), so
// triggers refuse to delete them. Both backends must refuse.
on_both_backends!(the_consent_service_and_clinic_an_appointment_names_are_kept, |app| {
    let token = app.demo_token(1).await;
    let consent = app.consent_version().await;
    let free = app.free_slots(1).await;
    let (status, booked) = app.book(&token, "kept", &free.booking(0, &consent)).await;
    assert_eq!(status, 201, "{booked}");
    let deletions = [
        ("DELETE FROM consent WHERE version = $1", serde_json::Value::from(consent.clone())),
        ("DELETE FROM service WHERE id = $1", booked["service"]["id"].clone()),
        ("DELETE FROM clinic WHERE id = $1", booked["clinic"]["id"].clone()),
    ];
    for (sql, key) in deletions {
        let refused = match (&app.store, key.as_i64()) {
            (registry_server::Store::Sqlite { write, .. }, Some(id)) => sqlx::query(sql).bind(id).execute(write).await.is_err(),
            (registry_server::Store::Sqlite { write, .. }, None) => {
                sqlx::query(sql).bind(key.as_str()).execute(write).await.is_err()
            }
            (registry_server::Store::Postgres { write: pool, .. }, Some(id)) => sqlx::query(sql).bind(id).execute(pool).await.is_err(),
            (registry_server::Store::Postgres { write: pool, .. }, None) => {
                sqlx::query(sql).bind(key.as_str()).execute(pool).await.is_err()
            }
        };
        assert!(refused, "{sql} must be refused");
    }
    let (status, _) = app.get_as(&token, &format!("/api/v1/appointments/{}", booked["id"])).await;
    assert_eq!(status, 200);
});
