//! «Ближайшее время» in the real window: the doctor step finds the first
//! free time of the service across the region, never offers one another
//! patient took since the app's last sync, and books the one it offers.
//! «Записаться снова» books the same doctor and service again, counting the
//! patient's clicks from the app's start.

use registratura_core::api::SlotStatus;
use registratura_core::registry::RegistryClient;

use crate::booking::book_elsewhere;
use crate::driver::AppSession;
use crate::login::sign_in;
use crate::portal::{app_on_portal, Portal};

/// The earliest free start (Unix seconds) of the service across the region,
/// and its slot, from the server's sync snapshot: every slot of every doctor
/// offering it, the slow way.
async fn earliest_on_the_server(portal: &Portal, service_id: i64) -> (i64, i64) {
    let registry = RegistryClient::new(&portal.url).expect("a client");
    let snapshot = registry.snapshot().await.expect("the snapshot");
    let changes = registry
        .changes(snapshot.version, &snapshot.directory_version)
        .await
        .expect("the changes since");
    let offering: Vec<i64> = snapshot
        .doctors
        .iter()
        .filter(|doctor| doctor.service_ids.contains(&service_id))
        .map(|doctor| doctor.id)
        .collect();
    let mut slots = snapshot.slots.decode().expect("slot columns");
    // The snapshot may be a little older than the server: what changed since wins.
    let changed = changes.slots.decode().expect("changed columns");
    for slot in &changed {
        if let Some(old) = slots.iter_mut().find(|old| old.id == slot.id) {
            *old = *slot;
        }
    }
    let now = chrono::Utc::now().timestamp();
    slots
        .into_iter()
        .filter(|slot| {
            offering.contains(&slot.doctor_id)
                && slot.status == SlotStatus::Free
                && slot.starts_at > now
        })
        .map(|slot| (slot.starts_at, slot.id))
        .min()
        .expect("a free time in the region")
}

async fn offered_slot(app: &AppSession) -> i64 {
    app.wait_until("the nearest time", "document.querySelector(\"[data-testid='nearest-take']\") && document.body.dataset.busy === 'false'").await;
    app.attr_of("[data-testid='nearest-take']", "data-slot-id")
        .await
        .parse()
        .expect("a slot id")
}

#[tokio::test]
async fn the_nearest_time_in_the_region_is_checked_with_the_server_and_booked() {
    let (profile, portal, app) = app_on_portal(None).await;
    sign_in(&app, &profile).await;
    app.click("book-button").await;
    for step in ["organization", "clinic", "service"] {
        app.wait_for_step(step).await;
        app.click_css("[data-testid='choice']").await;
    }
    app.wait_for_step("doctor").await;
    let service_id: i64 = app
        .attr_of("[data-testid='nearest']", "data-service-id")
        .await
        .parse()
        .expect("a service id");

    // In the clinic: the time offered is of this clinic.
    let clinic = app.text_of("wizard-summary").await;
    app.click("nearest-clinic").await;
    offered_slot(&app).await;
    let offered_clinic = app.text_of("nearest-place").await;
    let clinic_name = offered_clinic
        .split(", ")
        .next()
        .expect("a clinic name")
        .to_owned();
    assert!(
        clinic.contains(&clinic_name),
        "{offered_clinic} is not the chosen clinic: {clinic}"
    );

    // In the region: the earliest free time there is.
    app.click("nearest-region").await;
    let (earliest_start, earliest_slot) = earliest_on_the_server(&portal, service_id).await;
    let first = offered_slot(&app).await;
    assert_eq!(
        first, earliest_slot,
        "the region's earliest starts at {earliest_start}"
    );
    assert!(app
        .text_of("wizard-status")
        .await
        .starts_with("Найдено время"));
    app.screenshot("nearest-offer").await;
    let offer = app.text_of("nearest-offer").await;
    assert!(
        !offer.contains("null") && !offer.contains("undefined"),
        "{offer}"
    );

    // Another patient takes it; the app has not synced since. Asking again
    // offers another time: the server's check saw it taken.
    book_elsewhere(&portal, 2, first, service_id).await;
    app.click("nearest-region").await;
    let second = offered_slot(&app).await;
    assert_ne!(second, first, "a time another patient took was offered");
    assert_eq!(second, earliest_on_the_server(&portal, service_id).await.1);
    let when = app.text_of("nearest-when").await;
    let doctor = app.text_of("nearest-doctor").await;

    // «Записаться на это время» carries the whole choice to the booking.
    app.click("nearest-take").await;
    app.wait_for_step("consent").await;
    app.click("consent-agree").await;
    app.wait_for_step("phone").await;
    app.click("phone-decline").await;
    app.wait_for_step("confirm").await;
    let details = app.text_of("confirm-details").await;
    let doctor_name = doctor.split(", ").next().expect("a name");
    assert!(
        details.contains(doctor_name),
        "{details} lacks {doctor_name}"
    );
    let time = when.rsplit(", ").next().expect("a time");
    assert!(details.contains(time), "{details} lacks {time}");
    app.click("confirm-book").await;
    app.wait_for_step("booked").await;
    let ticket = app.text_of("ticket-number").await;
    let mine: Vec<serde_json::Value> = reqwest::Client::new()
        .get(format!("{}/api/v1/appointments", portal.url))
        .bearer_auth(portal.token(1))
        .send()
        .await
        .expect("the portal answers")
        .json()
        .await
        .expect("appointments");
    let booked = mine
        .iter()
        .find(|appointment| appointment["ticket"] == ticket.as_str())
        .expect("the server has the ticket");
    assert_eq!(booked["slot_id"], second);
    app.close().await;
}

#[tokio::test]
async fn booking_again_from_a_cancelled_appointment_takes_five_clicks_from_the_start() {
    let (profile, portal, app) = app_on_portal(None).await;
    sign_in(&app, &profile).await;
    app.close().await;

    // The patient booked the first free time of some doctor, with a phone,
    // and cancelled it (through the portal: another device).
    let registry = RegistryClient::new(&portal.url).expect("a client");
    let snapshot = registry.snapshot().await.expect("the snapshot");
    let now = chrono::Utc::now().timestamp() + 3600;
    let slot = snapshot
        .slots
        .decode()
        .expect("slot columns")
        .into_iter()
        .find(|slot| slot.status == SlotStatus::Free && slot.starts_at > now)
        .expect("a free time");
    let doctor = snapshot.doctors.iter().find(|doctor| doctor.id == slot.doctor_id).expect("its doctor");
    let service_id = doctor.service_ids[0];
    let token = registratura_core::sensitive::Sensitive::new(portal.token(1));
    let consent = registry.consent().await.expect("consent");
    let request = registratura_core::api::BookingRequest {
        slot_id: slot.id,
        service_id,
        consent_version: consent.version.clone(),
        phone: Some(registratura_core::identity::Phone::parse("+79105550147").expect("a phone")),
    };
    let earlier = registry.book(&token, "booked-before", &request).await.expect("booked");
    registry.cancel(&token, earlier.id).await.expect("cancelled");

    // From the start, signed in from the keyring: every click is counted.
    let app = AppSession::launch_profile(&profile).await;
    app.wait_until_ready().await;
    let mut clicks = 0;
    app.click("appointments-button").await;
    clicks += 1;
    let again = format!("[data-appointment-id='{}'] [data-testid='book-again']", earlier.id);
    app.wait_until("«Записаться снова»", &format!("document.querySelector(\"{again}\")")).await;
    app.click_css(&again).await;
    clicks += 1;
    app.wait_for_step("date").await;
    app.click_css("[data-testid='day'][data-status='available']").await;
    clicks += 1;
    app.wait_for_step("time").await;
    let slot = "[data-testid='slot'][data-status='free']";
    let slot_id: i64 = app.attr_of(slot, "data-slot-id").await.parse().expect("a slot id");
    app.click_css(slot).await;
    clicks += 1;

    // The consent and the phone of the earlier booking came along.
    app.wait_for_step("confirm").await;
    app.screenshot("booking-again-confirm").await;
    let details = app.text_of("confirm-details").await;
    assert!(details.contains(&doctor.last_name), "{details}");
    assert!(details.contains("+7 910 555-01-47"), "{details}");
    assert!(details.contains("дано при прошлой записи"), "{details}");
    app.click("confirm-book").await;
    clicks += 1;
    app.wait_for_step("booked").await;
    assert!(clicks <= 5, "{clicks} clicks from the start to a booked appointment");

    let ticket = app.text_of("ticket-number").await;
    let mine = registry.appointments(&token).await.expect("appointments");
    let booked = mine.iter().find(|appointment| appointment.ticket == ticket).expect("the server has the ticket");
    assert_eq!((booked.slot_id, booked.doctor.id, booked.service.id), (slot_id, doctor.id, service_id));
    assert_eq!(booked.consent_version, consent.version);
    assert_eq!(serde_json::to_value(&booked.phone).expect("json"), serde_json::json!("+79105550147"));
    app.close().await;
}
