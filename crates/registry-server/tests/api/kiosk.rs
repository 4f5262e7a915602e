//! Lobby kiosks on both backends: a registered device, the identification by
//! policy and birth date with its lockout and rate limit, visit tokens bound
//! to their device, a revoked device, booking with the kiosk's channel and
//! the slots kept for kiosks, the check-in with its room and queue place,
//! and the admins' kiosk routes.

use registratura_core::api::kiosk::VISIT_HEADER;
use registratura_core::api::{Profile, SlotStatus};
use registratura_core::identity::PolicyNumber;
use registry_server::demo::{admin_login, registrar_login};
use serde_json::{json, Value};

use crate::support::{on_both_backends, status_and_json, FreeSlots, TestApp};

/// A kiosk registered at `clinic_id`, with an identified patient.
struct AtKiosk {
    credential: String,
}

impl TestApp {
    async fn kiosk_at(&self, clinic_id: i64) -> AtKiosk {
        let (_, credential) = self.store.register_kiosk(clinic_id, "Холл, 1 этаж", "2468", None, self.clock.now()).await.expect("register a kiosk");
        AtKiosk { credential }
    }

    async fn kiosk_call(&self, method: reqwest::Method, kiosk: &AtKiosk, visit: Option<&str>, path: &str, body: Option<&Value>) -> (u16, Value, Option<String>) {
        let mut request = self.http.request(method, self.url(&format!("/api/v1/kiosk{path}"))).bearer_auth(&kiosk.credential);
        if let Some(visit) = visit {
            request = request.header(VISIT_HEADER, visit);
        }
        if let Some(body) = body {
            request = request.header("Idempotency-Key", format!("kiosk-{}", body["slot_id"])).json(body);
        }
        let response = request.send().await.expect("request");
        let retry_after = response.headers().get("retry-after").and_then(|value| value.to_str().ok()).map(str::to_owned);
        if response.status().as_u16() == 204 {
            return (204, Value::Null, retry_after);
        }
        let (status, body) = status_and_json(response).await;
        (status, body, retry_after)
    }

    async fn identify_raw(&self, kiosk: &AtKiosk, policy: &str, birth_date: &str) -> (u16, Value, Option<String>) {
        let response = self
            .http
            .post(self.url("/api/v1/kiosk/identify"))
            .bearer_auth(&kiosk.credential)
            .json(&json!({"policy": policy, "birth_date": birth_date}))
            .send()
            .await
            .expect("request");
        let retry_after = response.headers().get("retry-after").and_then(|value| value.to_str().ok()).map(str::to_owned);
        let (status, body) = status_and_json(response).await;
        (status, body, retry_after)
    }

    async fn demo_profile(&self, number: i64) -> (i64, Profile) {
        let id = self.store.demo_patient(number).await.expect("query").expect("demo patient");
        (id, self.store.profile(id).await.expect("query").expect("profile"))
    }

    async fn kiosk_pin(&self, kiosk: &AtKiosk, pin: &str) -> (u16, Value, Option<String>) {
        let response = self.http.post(self.url("/api/v1/kiosk/pin")).bearer_auth(&kiosk.credential).json(&json!({"pin": pin})).send().await.expect("request");
        if response.status().as_u16() == 204 {
            return (204, Value::Null, None);
        }
        let (status, body) = status_and_json(response).await;
        (status, body, None)
    }

    /// A doctor (with a service) of an organisation other than the kiosk's.
    async fn doctor_of_another_organisation(&self, kiosk: &AtKiosk) -> (i64, i64) {
        let (_, device, _) = self.kiosk_call(reqwest::Method::GET, kiosk, None, "/device", None).await;
        let organizations: Vec<registratura_core::api::Organization> = self.typed("/api/v1/organizations").await;
        let other = organizations.iter().find(|organization| json!(organization.id) != device["organization_id"]).expect("another organisation");
        let clinics: Vec<registratura_core::api::Clinic> = self.typed(&format!("/api/v1/organizations/{}/clinics", other.id)).await;
        let doctors: Vec<registratura_core::api::Doctor> = self.typed(&format!("/api/v1/clinics/{}/doctors", clinics[0].id)).await;
        (doctors[0].id, doctors[0].service_ids[0])
    }

    /// A visit token for demo patient `number` at `kiosk`.
    async fn visit(&self, kiosk: &AtKiosk, number: i64) -> String {
        let (_, profile) = self.demo_profile(number).await;
        let (status, body, _) = self.identify_raw(kiosk, profile.policy.digits(), &profile.birth_date.to_string()).await;
        assert_eq!(status, 200, "{body}");
        body["visit_token"].as_str().expect("visit_token").to_owned()
    }
}

fn booking(free: &FreeSlots, index: usize, consent: &str) -> Value {
    json!({"slot_id": free.slots[index].id, "service_id": free.service_id, "consent_version": consent, "phone": null})
}

on_both_backends!(a_kiosk_books_lists_checks_in_and_cancels_for_the_patient_it_identified, |app| {
    let free = app.free_slots(2).await;
    let kiosk = app.kiosk_at(free.clinic.id).await;
    let (status, device, _) = app.kiosk_call(reqwest::Method::GET, &kiosk, None, "/device", None).await;
    assert_eq!(status, 200, "{device}");
    assert_eq!(device["clinic_id"], free.clinic.id);
    assert!(device["clinics"].as_array().expect("clinics").contains(&json!(free.clinic.id)));

    let (patient_id, profile) = app.demo_profile(9).await;
    assert!(!profile.confirmed, "demo patient 9 has an unconfirmed ESIA account, which does not stop a kiosk");
    let (status, identified, _) = app.identify_raw(&kiosk, profile.policy.digits(), &profile.birth_date.to_string()).await;
    assert_eq!(status, 200, "{identified}");
    let initials = identified["initials"].as_str().expect("initials");
    assert_eq!(initials, registratura_core::api::kiosk::initials(&profile.last_name, &profile.first_name, &profile.middle_name));
    assert!(!initials.contains(&profile.last_name), "a kiosk is told the initials only");
    let visit = identified["visit_token"].as_str().expect("token").to_owned();

    let consent = app.consent_version().await;
    let (status, booked, _) = app.kiosk_call(reqwest::Method::POST, &kiosk, Some(&visit), "/appointments", Some(&booking(&free, 0, &consent))).await;
    assert_eq!(status, 201, "{booked}");
    assert_eq!(booked["channel"], "kiosk");
    let (status, again, _) = app.kiosk_call(reqwest::Method::POST, &kiosk, Some(&visit), "/appointments", Some(&booking(&free, 0, &consent))).await;
    assert_eq!((status, &again["id"]), (201, &booked["id"]), "a retry with the same key answers the same booking");
    let (status, listed, _) = app.kiosk_call(reqwest::Method::GET, &kiosk, Some(&visit), "/appointments", None).await;
    assert_eq!(status, 200);
    assert!(listed.as_array().expect("list").iter().any(|appointment| appointment["id"] == booked["id"]));

    // Check-in on the day, before the start: the room and the place.
    let booked_id = booked["id"].as_i64().expect("id");
    let path = format!("/appointments/{booked_id}/check-in");
    let (status, early, _) = app.kiosk_call(reqwest::Method::POST, &kiosk, Some(&visit), &path, None).await;
    assert_eq!((status, early["kind"].as_str()), (422, Some("not_today")), "{early}");
    app.clock.set(free.slots[0].start.timestamp() - 600);
    // The visit token is short-lived: the pinned clock is days later, so a new visit.
    let visit = app.visit(&kiosk, 9).await;
    let (status, checked_in, _) = app.kiosk_call(reqwest::Method::POST, &kiosk, Some(&visit), &path, None).await;
    assert_eq!(status, 200, "{checked_in}");
    assert_eq!(checked_in["queue_place"], 1);
    assert!(!checked_in["room"].as_str().expect("room").is_empty(), "the generated doctors have rooms");
    assert_eq!(checked_in["appointment"]["id"], booked["id"]);
    // Another patient of the same doctor, later that day, arrives: second in the queue.
    let other = app.visit(&kiosk, 2).await;
    let (status, second, _) = app.kiosk_call(reqwest::Method::POST, &kiosk, Some(&other), "/appointments", Some(&booking(&free, 1, &consent))).await;
    assert_eq!(status, 201, "{second}");
    let (status, place, _) = app.kiosk_call(reqwest::Method::POST, &kiosk, Some(&other), &format!("/appointments/{}/check-in", second["id"]), None).await;
    assert_eq!((status, &place["queue_place"]), (200, &json!(2)), "{place}");
    // Checking in twice answers the place again.
    let (_, again, _) = app.kiosk_call(reqwest::Method::POST, &kiosk, Some(&visit), &path, None).await;
    assert_eq!(again["queue_place"], 1);
    app.clock.set(free.slots[1].end.timestamp() + 60);
    let other = app.visit(&kiosk, 2).await;
    let (status, late, _) = app.kiosk_call(reqwest::Method::POST, &kiosk, Some(&other), &format!("/appointments/{}/check-in", second["id"]), None).await;
    assert_eq!((status, late["kind"].as_str()), (422, Some("check_in_closed")), "{late}");
    app.clock.set(0);

    // Cancelling frees the slot for everyone.
    let visit = app.visit(&kiosk, 9).await;
    let (status, cancelled, _) = app.kiosk_call(reqwest::Method::POST, &kiosk, Some(&visit), &format!("/appointments/{booked_id}/cancel"), None).await;
    assert_eq!((status, cancelled["status"].as_str()), (200, Some("cancelled_by_patient")), "{cancelled}");
    assert_eq!(app.slot_status(&free, free.slots[0].id).await, SlotStatus::Free);

    // The visit ends: its token opens nothing any more.
    let (status, _, _) = app.kiosk_call(reqwest::Method::DELETE, &kiosk, Some(&visit), "/visit", None).await;
    assert_eq!(status, 204);
    let (status, ended, _) = app.kiosk_call(reqwest::Method::GET, &kiosk, Some(&visit), "/appointments", None).await;
    assert_eq!((status, ended["kind"].as_str()), (401, Some("visit_ended")));

    // Every identification, booking, check-in and cancellation is in the
    // kiosk's audit, by ids only.
    let audit = app.store.kiosk_audit(0).await.expect("audit");
    let actions: Vec<&str> = audit.iter().map(|entry| entry.action.as_str()).collect();
    for action in ["identify", "book", "check_in", "cancel"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    assert!(audit.iter().any(|entry| entry.action == "book" && entry.outcome == "booked" && entry.patient_id == Some(patient_id)));
});

on_both_backends!(an_unknown_policy_and_a_wrong_birth_date_answer_alike_and_five_lock_the_policy, |app| {
    let kiosk = app.kiosk_at(1).await;
    let (_, profile) = app.demo_profile(1).await;
    let policy = profile.policy.digits().to_owned();
    let wrong_date = (profile.birth_date + chrono::Duration::days(1)).to_string();
    let unknown = PolicyNumber::completing("770000000000999").expect("policy");

    let (status, wrong, _) = app.identify_raw(&kiosk, &policy, &wrong_date).await;
    let (unknown_status, nobody, _) = app.identify_raw(&kiosk, unknown.digits(), &profile.birth_date.to_string()).await;
    assert_eq!((status, unknown_status), (422, 422));
    assert_eq!(wrong, nobody, "the same kind and the same message for both");
    assert_eq!(wrong["kind"], "not_identified");

    // Not a policy number at all: refused as a misread, not counted.
    for _ in 0..10 {
        let (status, misread, _) = app.identify_raw(&kiosk, "1234567890123456", "1980-01-01").await;
        assert_eq!((status, misread["kind"].as_str()), (422, Some("unacceptable_input")), "sixteen digits, a wrong check digit");
    }
    let (status, _, _) = app.identify_raw(&kiosk, &policy, "2999-01-01").await;
    assert_eq!(status, 422, "a birth date in the future is bad input");

    // Four more wrong dates (five in all) lock the policy, even for the right date.
    for _ in 0..4 {
        let (status, _, _) = app.identify_raw(&kiosk, &policy, &wrong_date).await;
        assert_eq!(status, 422);
    }
    let (status, locked, retry_after) = app.identify_raw(&kiosk, &policy, &profile.birth_date.to_string()).await;
    assert_eq!((status, locked["kind"].as_str()), (429, Some("policy_locked")), "{locked}");
    let retry_after: i64 = retry_after.expect("Retry-After").parse().expect("seconds");
    assert!((840..=900).contains(&retry_after), "{retry_after}");
    // An unknown policy locks the same way: the lock tells no one which numbers exist.
    for _ in 0..4 {
        app.identify_raw(&kiosk, unknown.digits(), "1980-01-01").await;
    }
    let (status, unknown_locked, _) = app.identify_raw(&kiosk, unknown.digits(), "1980-01-01").await;
    assert_eq!((status, unknown_locked["kind"].as_str()), (429, Some("policy_locked")));
    // Another device is locked out of that policy too: the lock is the policy's.
    let other = app.kiosk_at(1).await;
    let (status, _, _) = app.identify_raw(&other, &policy, &profile.birth_date.to_string()).await;
    assert_eq!(status, 429);

    // Fifteen minutes later the right date works, and clears the count.
    app.clock.set(app.clock.now() + 15 * 60 + 1);
    let (status, identified, _) = app.identify_raw(&kiosk, &policy, &profile.birth_date.to_string()).await;
    assert_eq!(status, 200, "{identified}");
    app.clock.set(0);

    // The audit has each attempt's outcome and never what was typed.
    let audit = app.store.kiosk_audit(0).await.expect("audit");
    let outcomes: Vec<&str> = audit.iter().filter(|entry| entry.action == "identify").map(|entry| entry.outcome.as_str()).collect();
    assert!(outcomes.contains(&"not_identified") && outcomes.contains(&"policy_locked") && outcomes.contains(&"identified"), "{outcomes:?}");
});

on_both_backends!(a_device_is_slowed_down_after_twenty_failures_in_ten_minutes, |app| {
    let kiosk = app.kiosk_at(1).await;
    for n in 0..20 {
        let policy = PolicyNumber::completing(&format!("7700000001{n:05}")).expect("policy");
        let (status, body, _) = app.identify_raw(&kiosk, policy.digits(), "1980-01-01").await;
        assert_eq!(status, 422, "{n}: {body}");
    }
    let (_, profile) = app.demo_profile(1).await;
    let (status, throttled, retry_after) = app.identify_raw(&kiosk, profile.policy.digits(), &profile.birth_date.to_string()).await;
    assert_eq!((status, throttled["kind"].as_str()), (429, Some("too_many_attempts")), "{throttled}");
    let retry_after: i64 = retry_after.expect("Retry-After").parse().expect("seconds");
    assert!((1..=600).contains(&retry_after), "{retry_after}");
    // Another device is not slowed down by this one's failures.
    let other = app.kiosk_at(1).await;
    let (status, _, _) = app.identify_raw(&other, profile.policy.digits(), &profile.birth_date.to_string()).await;
    assert_eq!(status, 200);
    // Ten minutes on, the device works again.
    app.clock.set(app.clock.now() + 601);
    let (status, _, _) = app.identify_raw(&kiosk, profile.policy.digits(), &profile.birth_date.to_string()).await;
    assert_eq!(status, 200);
    app.clock.set(0);
});

on_both_backends!(visit_tokens_are_bound_to_their_device_and_a_revoked_device_stops_at_once, |app| {
    let first = app.kiosk_at(1).await;
    let second = app.kiosk_at(1).await;
    let visit = app.visit(&first, 1).await;
    let (status, _, _) = app.kiosk_call(reqwest::Method::GET, &first, Some(&visit), "/appointments", None).await;
    assert_eq!(status, 200);
    // The same token beside another kiosk's credential opens nothing.
    let (status, body, _) = app.kiosk_call(reqwest::Method::GET, &second, Some(&visit), "/appointments", None).await;
    assert_eq!((status, body["kind"].as_str()), (401, Some("visit_ended")));
    // Nor as a patient's bearer token, nor without any device.
    let (status, _) = app.get_as(&visit, "/api/v1/appointments").await;
    assert_eq!(status, 401);
    let response = app.http.get(app.url("/api/v1/kiosk/appointments")).header(VISIT_HEADER, &visit).send().await.expect("request");
    let (status, body) = status_and_json(response).await;
    assert_eq!((status, body["kind"].as_str()), (401, Some("device_unknown")));
    // A patient's token is no device credential.
    let patient = app.demo_token(1).await;
    let (status, body) = app.get_as(&patient, "/api/v1/kiosk/device").await;
    assert_eq!((status, body["kind"].as_str()), (401, Some("device_unknown")));

    // Revoked from the command line's store call: the next request fails,
    // and so does the visit that was open there.
    let (status, device, _) = app.kiosk_call(reqwest::Method::GET, &first, None, "/device", None).await;
    assert_eq!(status, 200);
    let device_id = device["device_id"].as_i64().expect("id");
    assert!(app.store.revoke_kiosk(device_id, None, app.clock.now()).await.expect("revoke"));
    let (status, body, _) = app.kiosk_call(reqwest::Method::GET, &first, None, "/device", None).await;
    assert_eq!((status, body["kind"].as_str()), (401, Some("device_unknown")));
    let (status, _, _) = app.identify_raw(&first, "3555620822001994", "1980-01-01").await;
    assert_eq!(status, 401);
    let (status, _, _) = app.kiosk_call(reqwest::Method::GET, &second, None, "/device", None).await;
    assert_eq!(status, 200, "another kiosk goes on working");
});

on_both_backends!(a_kiosk_books_only_its_organisation_and_the_reserved_slots_kept_for_kiosks, |app| {
    let (reserved, service, doctor) = app.clinic_slot(1, SlotStatus::Unavailable).await;
    let kiosk = app.kiosk_at(1).await;
    let visit = app.visit(&kiosk, 1).await;
    let consent = app.consent_version().await;
    let body = json!({"slot_id": reserved.id, "service_id": service, "consent_version": consent, "phone": null});
    let (status, refused, _) = app.kiosk_call(reqwest::Method::POST, &kiosk, Some(&visit), "/appointments", Some(&body)).await;
    assert_eq!((status, refused["kind"].as_str()), (422, Some("slot_unavailable")), "{refused}");

    // The clinic keeps it for kiosks: a registrar of another clinic cannot,
    // and a free slot cannot be kept.
    let elsewhere = app.staff_token(&registrar_login(2)).await;
    let keep = |token: String, slot: i64, kiosk: bool| {
        let http = app.http.clone();
        let url = app.url(&format!("/api/v1/desk/slots/{slot}/kiosk"));
        async move {
            let response = http.put(url).bearer_auth(token).json(&json!({"kiosk": kiosk})).send().await.expect("request");
            let status = response.status().as_u16();
            let body: Value = if status == 204 { Value::Null } else { response.json().await.expect("json") };
            (status, body)
        }
    };
    assert_eq!(keep(elsewhere, reserved.id, true).await.0, 404);
    let registrar = app.staff_token(&registrar_login(1)).await;
    let (free, _, _) = app.clinic_slot(1, SlotStatus::Free).await;
    let (status, not_kept) = keep(registrar.clone(), free.id, true).await;
    assert_eq!((status, not_kept["kind"].as_str()), (422, Some("not_reserved")));
    assert_eq!(keep(registrar.clone(), reserved.id, true).await.0, 204);

    // The kiosk sees it free on its own view; the public view still keeps it.
    let date = reserved.start.date_naive();
    let (status, slots, _) = app.kiosk_call(reqwest::Method::GET, &kiosk, None, &format!("/doctors/{doctor}/slots?date={date}&service={service}"), None).await;
    assert_eq!(status, 200, "{slots}");
    let listed = slots.as_array().expect("slots").iter().find(|slot| slot["id"] == reserved.id).expect("listed").clone();
    assert_eq!(listed["status"], "free");
    let (status, days, _) = app.kiosk_call(reqwest::Method::GET, &kiosk, None, &format!("/doctors/{doctor}/dates?service={service}"), None).await;
    assert_eq!(status, 200, "{days}");
    let patient = app.demo_token(2).await;
    let (status, online) = app.book(&patient, "online-kept", &body).await;
    assert_eq!((status, online["kind"].as_str()), (422, Some("slot_unavailable")), "kept for kiosks is still closed online: {online}");
    let (status, booked, _) = app.kiosk_call(reqwest::Method::POST, &kiosk, Some(&visit), "/appointments", Some(&body)).await;
    assert_eq!(status, 201, "{booked}");

    // A doctor of another organisation does not exist for this kiosk.
    let (doctor, service) = app.doctor_of_another_organisation(&kiosk).await;
    let (status, body, _) = app.kiosk_call(reqwest::Method::GET, &kiosk, None, &format!("/doctors/{doctor}/slots?date={date}&service={service}"), None).await;
    assert_eq!((status, body["kind"].as_str()), (404, Some("not_found")));
});

on_both_backends!(an_organisation_admin_registers_lists_and_revokes_kiosks_at_the_desk, |app| {
    let registrar = app.staff_token(&registrar_login(1)).await;
    let (status, me) = app.desk_get(&registrar, "/me").await;
    assert_eq!(status, 200);
    let organization = me["grants"][0]["organization_id"].as_i64().expect("organisation");
    let form = json!({"clinic": 1, "name": "Холл", "pin": "135790"});
    let (status, body) = app.desk_post(&registrar, "/kiosks", &form).await;
    assert_eq!((status, body["kind"].as_str()), (403, Some("forbidden")), "a registrar registers no kiosk");

    let admin = app.staff_token(&admin_login(organization)).await;
    let (status, bad) = app.desk_post(&admin, "/kiosks", &json!({"clinic": 1, "name": "Холл", "pin": "12"})).await;
    assert_eq!((status, bad["kind"].as_str()), (400, Some("invalid_input")));
    let (status, registered) = app.desk_post(&admin, "/kiosks", &form).await;
    assert_eq!(status, 201, "{registered}");
    let kiosk = AtKiosk { credential: registered["credential"].as_str().expect("credential").to_owned() };
    let (status, _, _) = app.kiosk_call(reqwest::Method::GET, &kiosk, None, "/device", None).await;
    assert_eq!(status, 200);

    // The PIN opens the settings; wrong PINs count against the device.
    let (status, _, _) = app.kiosk_pin(&kiosk, "135790").await;
    assert_eq!(status, 204);
    let (status, wrong, _) = app.kiosk_pin(&kiosk, "000000").await;
    assert_eq!((status, wrong["kind"].as_str()), (403, Some("wrong_pin")));

    let (status, listed) = app.desk_get(&admin, "/kiosks").await;
    assert_eq!(status, 200);
    let device_id = registered["device_id"].clone();
    assert!(listed.as_array().expect("kiosks").iter().any(|kiosk| kiosk["device_id"] == device_id && kiosk["revoked_at"].is_null()));
    let other_admin = app.staff_token(&admin_login(organization + 1)).await;
    let (status, _) = app.desk_post(&other_admin, &format!("/kiosks/{device_id}/revoke"), &json!({})).await;
    assert_eq!(status, 404, "another organisation's admin does not see the kiosk");
    let response = app.http.post(app.url(&format!("/api/v1/desk/kiosks/{device_id}/revoke"))).bearer_auth(&admin).send().await.expect("revoke");
    assert_eq!(response.status().as_u16(), 204);
    let (status, _, _) = app.kiosk_call(reqwest::Method::GET, &kiosk, None, "/device", None).await;
    assert_eq!(status, 401);
});

on_both_backends!(malformed_kiosk_requests_answer_4xx_with_a_json_body_and_count_nothing, |app| {
    let kiosk = app.kiosk_at(1).await;
    let send = |body: String| {
        let request = app.http.post(app.url("/api/v1/kiosk/identify")).bearer_auth(&kiosk.credential).header("content-type", "application/json").body(body);
        async move { status_and_json(request.send().await.expect("request")).await }
    };
    for (body, why) in [
        ("{not json".to_owned(), "broken JSON"),
        (json!({"policy": "3555620822001994"}).to_string(), "no birth date"),
        (json!({"policy": "3555620822001994", "birth_date": "31.12.1950"}).to_string(), "a date in another format"),
        (json!({"policy": 3555620822001994_i64, "birth_date": "1950-12-31"}).to_string(), "a number, not a string"),
        (json!({"policy": "3555620822001994", "birth_date": "1950-12-31", "snils": "1"}).to_string(), "an unknown field"),
        (json!({"policy": "abc", "birth_date": "1950-12-31"}).to_string(), "letters"),
    ] {
        let (status, body) = send(body).await;
        assert_eq!((status, body["kind"].as_str()), (400, Some("invalid_input")), "{why}: {body}");
    }
    // Well-formed, but no one alive was born then: a rule, not the document's shape.
    let (status, body) = send(json!({"policy": "3555620822001994", "birth_date": "1850-01-01"}).to_string()).await;
    assert_eq!((status, body["kind"].as_str()), (422, Some("unacceptable_input")), "a birth date before 1900: {body}");
    // None of that was a guess: the policy is not locked by bad input.
    let (_, profile) = app.demo_profile(1).await;
    let (status, _, _) = app.identify_raw(&kiosk, profile.policy.digits(), &profile.birth_date.to_string()).await;
    assert_eq!(status, 200);

    let visit = app.visit(&kiosk, 1).await;
    for (path, why) in [("/appointments/abc/check-in", "a word for an id"), ("/appointments/99999999999999999999/cancel", "an id too large")] {
        let (status, body, _) = app.kiosk_call(reqwest::Method::POST, &kiosk, Some(&visit), path, None).await;
        assert_eq!((status, body["kind"].as_str()), (400, Some("invalid_input")), "{why}: {body}");
    }
    let (status, body, _) = app.kiosk_call(reqwest::Method::POST, &kiosk, Some(&visit), "/appointments/1/check-in", None).await;
    assert_eq!((status, body["kind"].as_str()), (404, Some("not_found")), "another patient's appointment: {body}");
    let (status, body, _) = app.kiosk_call(reqwest::Method::GET, &kiosk, None, "/doctors/1/slots?service=1", None).await;
    assert_eq!((status, body["kind"].as_str()), (400, Some("invalid_input")), "no date: {body}");
    let (status, body, _) = app.kiosk_call(reqwest::Method::GET, &kiosk, None, "/doctors/1/dates?service=1&from=2026-12-10&to=2026-12-01", None).await;
    assert_eq!((status, body["kind"].as_str()), (422, Some("unacceptable_input")), "«по» before «с»: {body}");
    let (_, device, _) = app.kiosk_call(reqwest::Method::GET, &kiosk, None, "/device", None).await;
    let admin = app.staff_token(&admin_login(device["organization_id"].as_i64().expect("organisation"))).await;
    let (status, body) = app.desk_post(&admin, "/kiosks", &json!({"clinic": 1, "name": "", "pin": "1234"})).await;
    assert_eq!((status, body["kind"].as_str()), (400, Some("invalid_input")), "an empty name: {body}");
});
