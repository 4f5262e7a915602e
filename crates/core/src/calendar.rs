//! Dates and times as a patient reads them: in the clinic's zone, in Russian.

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;

/// Today's date in `zone` at the instant `now`.
///
/// The machine's own zone never enters: a receptionist in Kaluga and a
/// relative booking from Vladivostok must see the same clinic day.
pub fn clinic_date(now: DateTime<Utc>, zone: Tz) -> NaiveDate {
    now.with_timezone(&zone).date_naive()
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
    fn long_date_reads_as_russian() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 26).expect("valid date");
        assert_eq!(long_date(date), "четверг, 26 ноября 2026");
        let date = NaiveDate::from_ymd_opt(2027, 3, 1).expect("valid date");
        assert_eq!(long_date(date), "понедельник, 1 марта 2027");
    }
}
