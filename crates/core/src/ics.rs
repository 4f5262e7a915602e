//! «Добавить в календарь»: the appointment as an iCalendar file (RFC 5545)
//! that any calendar application imports, in the clinic's zone, with the
//! clinic's address as the location and a reminder the day before.

use chrono::{DateTime, Utc};

use crate::api::Appointment;
use crate::region::KALUGA;

/// The appointment as a `.ics` file's text (CRLF line ends, folded lines).
///
/// The time zone is written out (`VTIMEZONE`) rather than assumed: Moscow
/// time has been UTC+3 all year since 2014, and a calendar on a machine set
/// to any other zone must still show the clinic's 10:30.
pub fn appointment_ics(appointment: &Appointment, now: DateTime<Utc>) -> String {
    let zone = KALUGA.time_zone.name();
    let local = |instant: &DateTime<chrono::FixedOffset>| {
        instant.with_timezone(&KALUGA.time_zone).format("%Y%m%dT%H%M%S").to_string()
    };
    let doctor = &appointment.doctor;
    let description = format!(
        "Талон № {}. {} {}. Врач: {}, {} ({}). Возьмите с собой полис ОМС и документ, удостоверяющий личность.",
        appointment.ticket,
        appointment.service.code,
        appointment.service.name,
        doctor.full_name,
        doctor.position,
        doctor.basis
    );
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Registratura//Registratura 40//RU".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VTIMEZONE".to_owned(),
        format!("TZID:{zone}"),
        "BEGIN:STANDARD".to_owned(),
        "DTSTART:20141026T020000".to_owned(),
        "TZOFFSETFROM:+0400".to_owned(),
        "TZOFFSETTO:+0300".to_owned(),
        "TZNAME:MSK".to_owned(),
        "END:STANDARD".to_owned(),
        "END:VTIMEZONE".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:appointment-{}-{}@registratura40", appointment.id, appointment.ticket),
        format!("DTSTAMP:{}", now.format("%Y%m%dT%H%M%SZ")),
        format!("DTSTART;TZID={zone}:{}", local(&appointment.start)),
        format!("DTEND;TZID={zone}:{}", local(&appointment.end)),
        format!("SUMMARY:{}", escape(&format!("Приём: {}", appointment.service.name))),
        format!("LOCATION:{}", escape(&format!("{}, {}", appointment.clinic.name, appointment.clinic.address))),
        format!("DESCRIPTION:{}", escape(&description)),
        "STATUS:CONFIRMED".to_owned(),
        "BEGIN:VALARM".to_owned(),
        "ACTION:DISPLAY".to_owned(),
        "TRIGGER:-P1D".to_owned(),
        format!("DESCRIPTION:{}", escape(&format!("Завтра приём: {}, {}", appointment.service.name, appointment.time))),
        "END:VALARM".to_owned(),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    lines.iter().map(|line| fold(line)).collect()
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\n' => escaped.push_str("\\n"),
            '\r' => {}
            other => escaped.push(other),
        }
    }
    escaped
}

/// Folds a content line at 75 octets without splitting a UTF-8 character
/// (RFC 5545 §3.1), and ends it with CRLF.
fn fold(line: &str) -> String {
    let mut folded = String::with_capacity(line.len() + 8);
    let mut octets = 0;
    for c in line.chars() {
        let width = c.len_utf8();
        if octets + width > 75 {
            folded.push_str("\r\n ");
            octets = 1;
        }
        folded.push(c);
        octets += width;
    }
    folded.push_str("\r\n");
    folded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ticket::tests::sample_appointment;

    #[test]
    fn the_file_parses_and_keeps_the_clinics_time_location_and_reminder() {
        let appointment = sample_appointment();
        let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 26, 9, 0, 0).single().expect("instant");
        let text = appointment_ics(&appointment, now);
        assert!(text.lines().all(|line| line.len() <= 76), "folded at 75 octets");
        assert!(text.ends_with("END:VCALENDAR\r\n"));

        let calendar: icalendar::Calendar = text.parse().expect("an iCalendar parser reads it");
        let event = calendar
            .components
            .iter()
            .find_map(|component| match component {
                icalendar::CalendarComponent::Event(event) => Some(event),
                _ => None,
            })
            .expect("one event");
        use icalendar::{Component, EventLike};
        let start = event.properties().get("DTSTART").expect("DTSTART");
        assert_eq!(start.value(), "20261127T103000");
        assert_eq!(start.params().get("TZID").map(|p| p.value()), Some("Europe/Moscow"));
        assert_eq!(event.properties().get("DTEND").expect("DTEND").value(), "20261127T105000");
        let location = event.get_location().expect("a location");
        assert!(location.contains("Стоматологическая поликлиника") && location.contains("ул. Плеханова"), "{location}");
        assert!(event.get_summary().expect("summary").contains("врача-стоматолога"));
        let alarm = text.split("BEGIN:VALARM").nth(1).expect("a reminder");
        assert!(alarm.contains("TRIGGER:-P1D"), "{alarm}");
        assert!(alarm.contains("ACTION:DISPLAY"));
    }

    #[test]
    fn long_cyrillic_lines_fold_between_characters() {
        let line = format!("DESCRIPTION:{}", "ё".repeat(60));
        let folded = fold(&line);
        for part in folded.split("\r\n").filter(|part| !part.is_empty()) {
            assert!(part.len() <= 75, "{part:?}");
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), line);
    }
}
