//! Dates and times as a patient reads them: in the clinic's zone, in Russian.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

/// Today's date in `zone` at the instant `now`.
///
/// The machine's own zone never enters: a receptionist in Kaluga and a
/// relative booking from Vladivostok must see the same clinic day.
pub fn clinic_date(now: DateTime<Utc>, zone: Tz) -> NaiveDate {
    now.with_timezone(&zone).date_naive()
}

/// The instant `unix_seconds` as the clinic's wall clock shows it, with the
/// clinic's UTC offset kept so the value is unambiguous on the wire.
pub fn clinic_instant(unix_seconds: i64, zone: Tz) -> DateTime<FixedOffset> {
    let utc = Utc.timestamp_opt(unix_seconds, 0).single().unwrap_or_default();
    utc.with_timezone(&zone).fixed_offset()
}

/// The first instant of `date` in `zone` and the first of the next day, as
/// Unix seconds: the half-open range a query for that clinic day uses.
pub fn clinic_day_bounds(date: NaiveDate, zone: Tz) -> (i64, i64) {
    let start_of = |day: NaiveDate| {
        // A zone may skip midnight (a DST jump); the earliest valid instant
        // of the day is then its start.
        zone.from_local_datetime(&day.and_time(NaiveTime::MIN))
            .earliest()
            .or_else(|| zone.from_local_datetime(&day.and_hms_opt(1, 0, 0).unwrap_or_default()).earliest())
            .map(|instant| instant.timestamp())
            .unwrap_or_default()
    };
    (start_of(date), start_of(date.succ_opt().unwrap_or(date)))
}

/// `HH:MM` of an instant on the clinic's clock.
pub fn clinic_time_of_day(instant: &DateTime<FixedOffset>) -> String {
    instant.format("%H:%M").to_string()
}

/// A date written out as Russians say it: «четверг, 26 ноября 2026».
pub fn long_date(date: NaiveDate) -> String {
    format!(
        "{}, {} {} {}",
        weekday_name(date.weekday()),
        date.day(),
        month_genitive(date.month()),
        date.year()
    )
}

/// When data was fetched, as «данные на …» needs it: the clinic time alone
/// when it was today, else the day and time («25 ноября, 14:05»).
pub fn as_of(at_unix: i64, now: DateTime<Utc>, zone: Tz) -> String {
    let at = clinic_instant(at_unix, zone);
    if at.date_naive() == clinic_date(now, zone) {
        clinic_time_of_day(&at)
    } else {
        format!("{} {}, {}", at.day(), month_genitive(at.month()), clinic_time_of_day(&at))
    }
}

/// The weekday's full name in lower case, as it stands inside a sentence.
pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "понедельник",
        Weekday::Tue => "вторник",
        Weekday::Wed => "среда",
        Weekday::Thu => "четверг",
        Weekday::Fri => "пятница",
        Weekday::Sat => "суббота",
        Weekday::Sun => "воскресенье",
    }
}

/// The month's name in the genitive case, as it follows a day number.
pub fn month_genitive(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
        "октября", "ноября", "декабря",
    ];
    NAMES[(month.clamp(1, 12) - 1) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn clinic_date_follows_the_clinic_zone_not_utc() {
        // 22:30 UTC on 25 November is already 26 November in Moscow.
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 22, 30, 0).single().expect("valid instant");
        let date = clinic_date(now, chrono_tz::Europe::Moscow);
        assert_eq!(date, NaiveDate::from_ymd_opt(2026, 11, 26).expect("valid date"));
    }

    #[test]
    fn clinic_instants_carry_the_clinic_offset() {
        // 06:15 UTC is 09:15 in Moscow.
        let instant = clinic_instant(1_795_760_100, chrono_tz::Europe::Moscow);
        assert_eq!(instant.to_rfc3339(), "2026-11-27T09:15:00+03:00");
        assert_eq!(clinic_time_of_day(&instant), "09:15");
    }

    #[test]
    fn a_clinic_day_starts_at_local_midnight() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 27).expect("valid date");
        let (start, end) = clinic_day_bounds(date, chrono_tz::Europe::Moscow);
        assert_eq!(clinic_instant(start, chrono_tz::Europe::Moscow).to_rfc3339(), "2026-11-27T00:00:00+03:00");
        assert_eq!(end - start, 86_400);
    }

    #[test]
    fn as_of_names_the_day_only_when_it_was_not_today() {
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 11, 5, 0).single().expect("valid instant");
        let zone = chrono_tz::Europe::Moscow;
        assert_eq!(as_of(now.timestamp(), now, zone), "14:05");
        assert_eq!(as_of(now.timestamp() - 86_400, now, zone), "25 ноября, 14:05");
    }

    #[test]
    fn long_date_reads_as_russian() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 26).expect("valid date");
        assert_eq!(long_date(date), "четверг, 26 ноября 2026");
        let date = NaiveDate::from_ymd_opt(2027, 3, 1).expect("valid date");
        assert_eq!(long_date(date), "понедельник, 1 марта 2027");
    }
}
