use registratura_core::api::{Day, DayStatus, Slot, SlotStatus};

use crate::support::{on_both_backends, today};

on_both_backends!(a_calendar_and_its_days_agree, |app| {
    let free = app.free_slots(1).await;
    let days: Vec<Day> = app
        .typed(&format!("/api/v1/doctors/{}/dates?service={}", free.doctor.id, free.service_id))
        .await;
    assert_eq!(days.len(), 28, "four weeks by default");
    assert_eq!(days[0].date, today());
    for day in days.iter().skip(1).take(10) {
        let slots: Vec<Slot> = app
            .typed(&format!("/api/v1/doctors/{}/slots?date={}&service={}", free.doctor.id, day.date, free.service_id))
            .await;
        let free_count = slots.iter().filter(|slot| slot.status == SlotStatus::Free).count() as u32;
        assert_eq!(day.free_slots, free_count, "{}", day.date);
        assert_eq!(day.status == DayStatus::Available, free_count > 0, "{}", day.date);
        for slot in &slots {
            assert_eq!(slot.start.date_naive(), day.date);
            assert_eq!(slot.start.offset().local_minus_utc(), 3 * 3600, "clinic time is Moscow time");
            assert_eq!(slot.time, slot.start.format("%H:%M").to_string());
            assert!(slot.end > slot.start);
        }
    }
    // Sundays are days off for every generated doctor.
    assert!(days.iter().filter(|day| day.date.format("%u").to_string() == "7").all(|day| day.status == DayStatus::Unavailable));
    // A day off of a doctor who offers the service is an empty day, not an error.
    let sunday = days.iter().find(|day| day.date.format("%u").to_string() == "7").expect("a Sunday in four weeks");
    let (status, body) = app
        .get(&format!("/api/v1/doctors/{}/slots?date={}&service={}", free.doctor.id, sunday.date, free.service_id))
        .await;
    assert_eq!((status, body), (200, serde_json::json!([])));
});

on_both_backends!(a_range_of_dates_is_bounded_and_ordered, |app| {
    let free = app.free_slots(1).await;
    let base = format!("/api/v1/doctors/{}/dates?service={}", free.doctor.id, free.service_id);
    let from = today();
    let week: Vec<Day> = app.typed(&format!("{base}&from={from}&to={}", from + chrono::Duration::days(6))).await;
    assert_eq!(week.len(), 7);
    // Two well-formed dates the document cannot relate: 422, not malformed.
    let (status, body) = app.get(&format!("{base}&from={}&to={from}", from + chrono::Duration::days(1))).await;
    assert_eq!((status, body["kind"].as_str()), (422, Some("unacceptable_input")));
    let (status, _) = app.get(&format!("{base}&from={from}&to={}", from + chrono::Duration::days(90))).await;
    assert_eq!(status, 422);
});

on_both_backends!(a_service_the_doctor_does_not_offer_is_refused, |app| {
    let free = app.free_slots(1).await;
    let other = if free.service_id == 1 { 5 } else { 1 };
    let other = if free.doctor.service_ids.contains(&other) { 7 } else { other };
    let (status, body) = app.get(&format!("/api/v1/doctors/{}/dates?service={other}", free.doctor.id)).await;
    assert_eq!((status, body["kind"].as_str()), (422, Some("service_not_offered")));
    let (status, body) = app.get(&format!("/api/v1/doctors/999999/dates?service={other}")).await;
    assert_eq!((status, body["kind"].as_str()), (404, Some("not_found")));
    let day = free.date;
    let (status, body) = app.get(&format!("/api/v1/doctors/{}/slots?date={day}&service={other}", free.doctor.id)).await;
    assert_eq!((status, body["kind"].as_str()), (422, Some("service_not_offered")));
    let (status, body) = app.get(&format!("/api/v1/doctors/999999/slots?date={day}&service={other}")).await;
    assert_eq!((status, body["kind"].as_str()), (404, Some("not_found")));
});
