//! The reception desk's API on both backends: who may act where, finding and
//! registering patients, and a walk-in's appointment from booking to the day
//! of the visit, each step in the audit.

use registratura_core::api::{Appointment, SlotStatus};
use registratura_core::identity::{PolicyNumber, Snils};
use registry_server::demo::{admin_login, registrar_login};
use registry_server::store::NewPatient;
use serde_json::{json, Value};

use crate::support::{on_both_backends, status_and_json, TestApp};

impl TestApp {
    pub(crate) async fn desk_get(&self, token: &str, path: &str) -> (u16, Value) {
        self.get_as(token, &format!("/api/v1/desk{path}")).await
    }

    pub(crate) async fn desk_post(&self, token: &str, path: &str, body: &Value) -> (u16, Value) {
        self.post_as(token, &format!("/api/v1/desk{path}"), body).await
    }
}

on_both_backends!(staff_sign_in_and_act_only_where_they_work, |app| {
    let registrar = app.staff_token(&registrar_login(1)).await;
    let (status, me) = app.desk_get(&registrar, "/me").await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["grants"], json!([{"role": "registrar", "clinic_id": 1, "organization_id": me["grants"][0]["organization_id"]}]));

    // A wrong password and an unknown login get the same answer.
    for (login, password) in [(registrar_login(1), "wrong"), ("nobody".to_owned(), "desk-test-2026")] {
        let response = app
            .http
            .post(app.url("/oauth/token"))
            .form(&[("grant_type", "password"), ("client_id", registry_server::oauth::CLIENT_ID), ("scope", "desk"), ("username", &login), ("password", password)])
            .send()
            .await
            .expect("request");
        let (status, body) = status_and_json(response).await;
        assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")), "{login}");
    }

    // A patient's token opens no desk route, and a staff token no patient's.
    let patient = app.demo_token(1).await;
    for path in ["/me", "/clinics/1/board?date=2030-01-01", "/patients?clinic=1&policy=3555620822001994"] {
        let (status, body) = app.desk_get(&patient, path).await;
        assert_eq!((status, body["kind"].as_str()), (401, Some("unauthorized")), "{path}");
    }
    let (status, _) = app.get_as(&registrar, "/api/v1/appointments").await;
    assert_eq!(status, 401);

    // Another clinic does not exist for a registrar.
    let date = crate::support::today() + chrono::Duration::days(1);
    let (status, _) = app.desk_get(&registrar, &format!("/clinics/1/board?date={date}")).await;
    assert_eq!(status, 200);
    let (status, body) = app.desk_get(&registrar, &format!("/clinics/2/board?date={date}")).await;
    assert_eq!((status, body["kind"].as_str()), (404, Some("not_found")));
    let (status, _) = app.desk_get(&registrar, "/patients?clinic=2&policy=3555620822001994").await;
    assert_eq!(status, 404);

    // The audit is an admin's, of their own organisation.
    let organization = me["grants"][0]["organization_id"].as_i64().expect("organisation");
    let (status, body) = app.desk_get(&registrar, &format!("/audit?organization={organization}&since={date}")).await;
    assert_eq!((status, body["kind"].as_str()), (403, Some("forbidden")));
    let admin = app.staff_token(&admin_login(organization)).await;
    let (status, _) = app.desk_get(&admin, &format!("/audit?organization={organization}&since={date}")).await;
    assert_eq!(status, 200);
    let (status, _) = app.desk_get(&admin, &format!("/audit?organization={}&since={date}", organization + 1)).await;
    assert_eq!(status, 403);

    // Signing out ends the staff sign-in.
    let response = app.http.post(app.url("/oauth/revoke")).form(&[("token", registrar.as_str())]).send().await.expect("revoke");
    assert_eq!(response.status().as_u16(), 200);
    let (status, _) = app.desk_get(&registrar, "/me").await;
    assert_eq!(status, 401);
});

on_both_backends!(patients_are_found_by_any_one_key_and_registered_once, |app| {
    let registrar = app.staff_token(&registrar_login(1)).await;
    let demo = app.store.demo_patient(1).await.expect("query").expect("patient 1");
    let profile = app.store.profile(demo).await.expect("query").expect("profile");
    let by_policy = format!("/patients?clinic=1&policy={}", profile.policy.digits());
    let (status, found) = app.desk_get(&registrar, &by_policy).await;
    assert_eq!(status, 200, "{found}");
    let patients = found["patients"].as_array().expect("patients");
    assert_eq!(patients.len(), 1);
    assert_eq!(patients[0]["id"], demo);
    assert_eq!(patients[0]["last_name"], profile.last_name);
    assert!(patients[0]["policy_masked"].as_str().is_some_and(|masked| masked.starts_with("************") && masked.ends_with(&profile.policy.digits()[12..])));
    let (_, found) = app.desk_get(&registrar, &format!("/patients?clinic=1&snils={}", profile.snils.digits())).await;
    assert_eq!(found["patients"][0]["id"], demo);
    let surname = profile.last_name.to_lowercase();
    let (_, found) = app.desk_get(&registrar, &format!("/patients?clinic=1&last_name={surname}&birth_date={}", profile.birth_date)).await;
    assert_eq!(found["patients"][0]["id"], demo, "the surname in any case, with the birth date");

    // Bad input: a clear 400 naming the field.
    for (query, field) in [
        ("policy=355562082200199", "полис"),
        ("policy=3555620822001995", "полис"),
        ("snils=11223344596", "СНИЛС"),
        ("last_name=Иванов", "признаку"),
        ("policy=3555620822001994&snils=11223344595", "признаку"),
    ] {
        let (status, body) = app.desk_get(&registrar, &format!("/patients?clinic=1&{query}")).await;
        assert_eq!((status, body["kind"].as_str()), (422, Some("unacceptable_input")), "{query}");
        assert!(body["message"].as_str().is_some_and(|message| message.contains(field)), "{query}: {body}");
    }

    let new_patient = |policy: &str, snils: Value, last_name: &str, birth_date: &str| {
        json!({"clinic": 1, "last_name": last_name, "first_name": "Вера", "middle_name": "Павловна", "birth_date": birth_date,
               "sex": "female", "policy": policy, "snils": snils, "phone": "+7 (910) 555-12-34"})
    };
    let policy = PolicyNumber::completing("400000000000123").expect("policy");
    for (body, field) in [
        (new_patient("40000000000012", json!(null), "Миронова", "1950-03-08"), "полис"),
        (new_patient(policy.digits(), json!("11223344596"), "Миронова", "1950-03-08"), "СНИЛС"),
        (new_patient(policy.digits(), json!(null), "Миронова", "2999-01-01"), "дата рождения"),
        (new_patient(policy.digits(), json!(null), "Mиронова", "1950-03-08"), "латинские"),
    ] {
        let (status, refused) = app.desk_post(&registrar, "/patients", &body).await;
        assert_eq!((status, refused["kind"].as_str()), (422, Some("unacceptable_input")), "{body}");
        assert!(refused["message"].as_str().is_some_and(|message| message.contains(field)), "{refused}");
    }
    let (_, found) = app.desk_get(&registrar, &format!("/patients?clinic=1&policy={}", policy.digits())).await;
    assert_eq!(found["patients"], json!([]), "nothing was half-saved");

    let (status, registered) = app.desk_post(&registrar, "/patients", &new_patient(policy.digits(), json!(null), "Миронова", "1950-03-08")).await;
    assert_eq!(status, 201, "{registered}");
    let patient_id = registered["patient_id"].as_i64().expect("id");
    let (status, again) = app.desk_post(&registrar, "/patients", &new_patient(policy.digits(), json!(null), "Миронова", "1950-03-08")).await;
    assert_eq!((status, again["kind"].as_str(), again["patient_id"].as_i64()), (409, Some("patient_exists"), Some(patient_id)));
    let (status, again) = app.desk_post(&registrar, "/patients", &new_patient(profile.policy.digits(), json!(null), "Другая", "1950-03-08")).await;
    assert_eq!((status, again["patient_id"].as_i64()), (409, Some(demo)), "a known policy is found, not registered");
});

on_both_backends!(a_walk_in_is_booked_moved_checked_in_and_audited, |app| {
    let registrar = app.staff_token(&registrar_login(1)).await;
    let consent = app.consent_version().await;
    let policy = PolicyNumber::completing("400000000000456").expect("policy");
    let (status, registered) = app
        .desk_post(&registrar, "/patients", &json!({"clinic": 1, "last_name": "Гусев", "first_name": "Пётр", "birth_date": "1949-11-02",
            "sex": "male", "policy": policy.digits(), "phone": "89105550000"}))
        .await;
    assert_eq!(status, 201, "{registered}");
    let patient_id = registered["patient_id"].as_i64().expect("id");

    // Booked into a slot kept for the desk, with the consent given in person.
    let (reserved, service, _) = app.clinic_slot(1, SlotStatus::Unavailable).await;
    let booking = json!({"patient_id": patient_id, "slot_id": reserved.id, "service_id": service, "consent_version": consent, "phone": "+79105550000"});
    let (status, booked) = app.desk_book(&registrar, "walk-in-1", &booking).await;
    assert_eq!(status, 201, "{booked}");
    let appointment: Appointment = serde_json::from_value(booked.clone()).expect("appointment");
    let (status, replay) = app.desk_book(&registrar, "walk-in-1", &booking).await;
    assert_eq!((status, &replay["id"]), (201, &booked["id"]), "a retry answers the same appointment");

    // The board shows the slot busy with the patient's initials.
    let date = appointment.date;
    let (_, board) = app.desk_get(&registrar, &format!("/clinics/1/board?date={date}")).await;
    let cell = board.as_array().expect("columns").iter().flat_map(|column| column["slots"].as_array().expect("slots").iter()).find(|slot| slot["id"] == reserved.id).expect("the slot on the board").clone();
    assert_eq!((cell["state"].as_str(), cell["patient"].as_str()), (Some("busy"), Some("Гусев П.")));

    // Moved to a free time of the same doctor and service: one operation.
    let (free, free_service, _) = app.clinic_slot(1, SlotStatus::Free).await;
    let (status, moved) = app.desk_post(&registrar, &format!("/appointments/{}/move", appointment.id), &json!({"slot_id": free.id, "service_id": free_service})).await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!((moved["slot_id"].as_i64(), &moved["ticket"]), (Some(free.id), &booked["ticket"]));
    let history = app.store.appointment_history(appointment.id).await.expect("history");
    assert!(history.iter().any(|(_, event)| event == "moved"), "{history:?}");
    let (_, board) = app.desk_get(&registrar, &format!("/clinics/1/board?date={date}")).await;
    let old = board.as_array().expect("columns").iter().flat_map(|column| column["slots"].as_array().expect("slots").iter()).find(|slot| slot["id"] == reserved.id).expect("the old slot").clone();
    assert_eq!(old["state"], "free", "the old slot is given back");
    // A move onto a slot someone holds changes nothing.
    let (taken, _, _) = app.clinic_slot(1, SlotStatus::Busy).await;
    let (status, refused) = app.desk_post(&registrar, &format!("/appointments/{}/move", appointment.id), &json!({"slot_id": taken.id})).await;
    assert_eq!((status, refused["kind"].as_str()), (409, Some("slot_taken")));

    // On the day of the visit: «Пришёл», undone, and «Не явился» after the start.
    let start = moved["start"].as_str().and_then(|start| chrono::DateTime::parse_from_rfc3339(start).ok()).expect("start").timestamp();
    let id = appointment.id;
    let (status, body) = app.desk_post(&registrar, &format!("/appointments/{id}/check-in"), &json!({})).await;
    assert_eq!((status, body["kind"].as_str()), (422, Some("not_today")), "not before the day");
    app.clock.set(start - 1800);
    // The registrar of that day signs in that morning.
    let registrar = app.staff_token(&registrar_login(1)).await;
    for (path, wanted) in [("check-in", 200), ("check-in", 409), ("check-in/undo", 200), ("no-show", 422)] {
        let (status, body) = app.desk_post(&registrar, &format!("/appointments/{id}/{path}"), &json!({})).await;
        assert_eq!(status, wanted, "{path}: {body}");
    }
    app.clock.set(start + 600);
    for path in ["no-show", "no-show/undo", "check-in"] {
        let (status, body) = app.desk_post(&registrar, &format!("/appointments/{id}/{path}"), &json!({})).await;
        assert_eq!(status, 200, "{path}: {body}");
    }
    let (_, board) = app.desk_get(&registrar, &format!("/clinics/1/board?date={date}")).await;
    let cell = board.as_array().expect("columns").iter().flat_map(|column| column["slots"].as_array().expect("slots").iter()).find(|slot| slot["id"] == free.id).expect("the new slot").clone();
    assert_eq!(cell["state"], "arrived");
    app.clock.set(0);

    // The patient signs in through ESIA later, with a СНИЛС the desk never
    // had: the same patient, the same appointment.
    let same = app
        .store
        .upsert_patient(&NewPatient {
            last_name: "Гусев".to_owned(),
            first_name: "Пётр".to_owned(),
            middle_name: String::new(),
            birth_date: chrono::NaiveDate::from_ymd_opt(1949, 11, 2).expect("date"),
            policy: policy.clone(),
            snils: Snils::from_number(123_456_789),
            confirmed: true,
        })
        .await
        .expect("sign in");
    assert_eq!(same, patient_id);
    let token = app.token_for(same).await;
    let (_, mine) = app.get_as(&token, "/api/v1/appointments").await;
    assert_eq!(mine[0]["id"], booked["id"]);

    // Cancelled at the desk with a reason: the clinic's cancellation.
    let other_patient = app.store.demo_patient(4).await.expect("query").expect("patient 4");
    let (other, other_service, _) = app.clinic_slot(1, SlotStatus::Free).await;
    let (status, second) = app
        .desk_book(&registrar, "walk-in-2", &json!({"patient_id": other_patient, "slot_id": other.id, "service_id": other_service, "consent_version": consent, "phone": null}))
        .await;
    assert_eq!(status, 201, "{second}");
    let second_id = second["id"].as_i64().expect("id");
    let (status, body) = app.desk_post(&registrar, &format!("/appointments/{second_id}/cancel"), &json!({"reason": "because"})).await;
    assert_eq!(status, 400, "an unknown reason: {body}");
    let (status, cancelled) = app.desk_post(&registrar, &format!("/appointments/{second_id}/cancel"), &json!({"reason": "doctor_unavailable"})).await;
    assert_eq!((status, cancelled["status"].as_str()), (200, Some("cancelled_by_clinic")), "{cancelled}");

    // Another clinic's registrar finds none of it.
    let elsewhere = app.staff_token(&registrar_login(2)).await;
    let (status, _) = app.desk_post(&elsewhere, &format!("/appointments/{id}/check-in"), &json!({})).await;
    assert_eq!(status, 404);

    // Every action is in the audit, in order, with who and where.
    let organization = app.desk_get(&registrar, "/me").await.1["grants"][0]["organization_id"].as_i64().expect("organisation");
    let admin = app.staff_token(&admin_login(organization)).await;
    let (status, audit) = app.desk_get(&admin, &format!("/audit?organization={organization}&since=2000-01-01")).await;
    assert_eq!(status, 200, "{audit}");
    let actions: Vec<&str> = audit.as_array().expect("entries").iter().filter(|entry| entry["staff_login"] == registrar_login(1)).filter_map(|entry| entry["action"].as_str()).collect();
    for wanted in ["register", "book", "move", "check_in", "undo_check_in", "no_show", "undo_no_show", "cancel"] {
        assert!(actions.contains(&wanted), "{wanted} in {actions:?}");
    }
    assert!(audit.as_array().expect("entries").iter().all(|entry| entry["clinic_id"] == 1 && entry["role"] == "registrar" || entry["staff_login"] != registrar_login(1)));
});

on_both_backends!(the_nearest_time_is_free_or_kept_for_the_desk_and_one_appointment_reads_at_its_clinic_only, |app| {
    let registrar = app.staff_token(&registrar_login(1)).await;
    let (reserved, service, _) = app.clinic_slot(1, SlotStatus::Unavailable).await;

    // The nearest time of any kind starts no later than the nearest kept for the desk.
    let (status, any) = app.desk_get(&registrar, &format!("/clinics/1/nearest?service={service}")).await;
    assert_eq!(status, 200, "{any}");
    let (status, kept) = app.desk_get(&registrar, &format!("/clinics/1/nearest?service={service}&reserved_only=true")).await;
    assert_eq!(status, 200, "{kept}");
    assert_eq!(kept["reserved"], true, "{kept}");
    assert!(any["starts_at"].as_i64() <= kept["starts_at"].as_i64(), "{any} {kept}");
    assert!(kept["starts_at"].as_i64() <= Some(reserved.start.timestamp()), "no later than a reserved time known ahead");
    let (status, _) = app.desk_get(&registrar, &format!("/clinics/2/nearest?service={service}")).await;
    assert_eq!(status, 404, "another clinic's nearest time is not this registrar's");
    let (status, refused) = app.desk_get(&registrar, &format!("/clinics/1/nearest?service={service}&reserved_only=maybe")).await;
    assert_eq!((status, refused["kind"].as_str()), (400, Some("invalid_input")));

    // Booked, the appointment reads at its own clinic and nowhere else.
    let policy = PolicyNumber::completing("400000000000789").expect("policy");
    let (_, registered) = app
        .desk_post(&registrar, "/patients", &json!({"clinic": 1, "last_name": "Лебедева", "first_name": "Ольга", "birth_date": "1961-05-20",
            "sex": "female", "policy": policy.digits(), "phone": "+79105550101"}))
        .await;
    let booking = json!({"patient_id": registered["patient_id"], "slot_id": kept["slot_id"], "service_id": service,
        "consent_version": app.consent_version().await, "phone": null});
    let (status, booked) = app.desk_book(&registrar, "nearest-1", &booking).await;
    assert_eq!(status, 201, "{booked}");
    let id = booked["id"].as_i64().expect("id");
    let (status, read) = app.desk_get(&registrar, &format!("/appointments/{id}")).await;
    assert_eq!((status, &read["ticket"]), (200, &booked["ticket"]));
    let other = app.staff_token(&registrar_login(2)).await;
    let (status, body) = app.desk_get(&other, &format!("/appointments/{id}")).await;
    assert_eq!((status, body["kind"].as_str()), (404, Some("not_found")));
    let (status, _) = app.desk_get(&registrar, &format!("/appointments/{}", id + 1_000_000)).await;
    assert_eq!(status, 404);

    // The doctor's day list names the patient in full, for the doctor's printed list.
    let (doctor, date) = (kept["doctor_id"].as_i64().expect("doctor"), booked["date"].as_str().expect("date"));
    let (status, list) = app.desk_get(&registrar, &format!("/doctors/{doctor}/day-list?date={date}")).await;
    assert_eq!(status, 200, "{list}");
    let entry = list["entries"].as_array().expect("entries").iter().find(|entry| entry["ticket"] == booked["ticket"]).expect("the booking").clone();
    assert_eq!((entry["patient"].as_str(), entry["birth_date"].as_str(), entry["state"].as_str()), (Some("Лебедева Ольга"), Some("1961-05-20"), Some("busy")));
    let (status, _) = app.desk_get(&other, &format!("/doctors/{doctor}/day-list?date={date}")).await;
    assert_eq!(status, 404, "another clinic's doctor");
    let (status, _) = app.desk_get(&registrar, &format!("/doctors/{doctor}/day-list?date=someday")).await;
    assert_eq!(status, 400);
    let audit = app.store.audit(None, 0, 100).await.expect("audit");
    assert!(audit.iter().any(|entry| entry.action == "day_list"), "reading the list is audited");
});
