//! The rule matrix: every refusal of `store::rules::Refusal` provoked
//! through the API, on both backends, with its status — and the desk's claim
//! of a slot kept for it, which the same request from a patient cannot make.

use std::collections::BTreeSet;

use registratura_core::api::SlotStatus;
use registry_server::store::rules::Refusal;
use serde_json::json;

use crate::support::on_both_backends;

on_both_backends!(every_booking_refusal_is_provoked, |app| {
    let consent = app.consent_version().await;
    let free = app.free_slots(4).await;
    let patient = app.new_patient_token(1).await;
    let mut seen = BTreeSet::new();
    let mut expect = |case: &str, (status, body): (u16, serde_json::Value), wanted_status: u16, kind: &str| {
        assert_eq!((status, body["kind"].as_str()), (wanted_status, Some(kind)), "{case}: {body}");
        seen.insert(kind.to_owned());
    };

    let unconfirmed = app.demo_token(9).await;
    expect("an unconfirmed ESIA account", app.book(&unconfirmed, "r1", &free.booking(0, &consent)).await, 403, "account_unconfirmed");
    expect("an outdated consent", app.book(&patient, "r2", &free.booking(0, "2000-01")).await, 422, "consent_required");
    let mut unknown = free.booking(0, &consent);
    unknown["slot_id"] = json!(999_999_999);
    expect("no such slot", app.book(&patient, "r3", &unknown).await, 404, "not_found");
    let mut other_service = free.booking(0, &consent);
    other_service["service_id"] = json!(free.service_id + 1_000);
    expect("a service the doctor does not offer", app.book(&patient, "r4", &other_service).await, 422, "service_not_offered");
    let (reserved, reserved_service, _) = app.clinic_slot(free.clinic.id, SlotStatus::Unavailable).await;
    let reserved_booking = json!({"slot_id": reserved.id, "service_id": reserved_service, "consent_version": consent, "phone": null});
    expect("a slot kept for the desk, online", app.book(&patient, "r5", &reserved_booking).await, 422, "slot_unavailable");

    let (status, first) = app.book(&patient, "r6", &free.booking(0, &consent)).await;
    assert_eq!(status, 201, "{first}");
    expect("the same key with another body", app.book(&patient, "r6", &free.booking(1, &consent)).await, 409, "idempotency_conflict");
    let rival = app.new_patient_token(2).await;
    expect("a slot someone holds", app.book(&rival, "r7", &free.booking(0, &consent)).await, 409, "slot_taken");
    let (status, body) = app.book(&patient, "r8", &free.booking(1, &consent)).await;
    expect("the same service in the same clinic", (status, body.clone()), 409, "already_booked");
    assert_eq!(body["existing_ticket"], first["ticket"], "the refusal names the ticket in the way");

    // The desk claims the reserved slot the patient could not.
    let registrar = app.staff_token(&registry_server::demo::registrar_login(free.clinic.id)).await;
    let patient_id = app.store.demo_patient(3).await.expect("query").expect("demo patient");
    let mut desk_booking = reserved_booking.clone();
    desk_booking["patient_id"] = json!(patient_id);
    let (status, booked) = app.desk_book(&registrar, "d1", &desk_booking).await;
    assert_eq!(status, 201, "the desk books a reserved slot: {booked}");
    assert_eq!(booked["channel"], "reception");
    // A registrar of another clinic does not find this clinic's slot.
    let other_clinic = if free.clinic.id == 1 { 2 } else { 1 };
    let elsewhere = app.staff_token(&registry_server::demo::registrar_login(other_clinic)).await;
    let mut far = free.booking(2, &consent);
    far["patient_id"] = json!(patient_id);
    let (status, body) = app.desk_book(&elsewhere, "d2", &far).await;
    assert_eq!((status, body["kind"].as_str()), (404, Some("not_found")), "another clinic's slot: {body}");

    // A slot that has started, last: the clock moves.
    app.clock.set(free.slots[3].start.timestamp());
    expect("a slot that has started", app.book(&rival, "r9", &free.booking(3, &consent)).await, 422, "slot_in_past");
    app.clock.set(0);

    let every: BTreeSet<String> = Refusal::ALL_KINDS.iter().map(|kind| (*kind).to_owned()).collect();
    assert_eq!(seen, every, "every refusal is provoked");
});
