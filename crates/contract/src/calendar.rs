//! Dates and times as a patient reads them: in the clinic's zone, in Russian.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone, Timelike, Utc, Weekday};
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
    format!("{:02}:{:02}", instant.hour(), instant.minute())
}

/// Writes a clinic instant as RFC 3339, `2026-11-27T09:15:00+03:00`: byte
/// for byte what chrono writes for a whole second, without chrono's general
/// formatter. A day's slots carry two instants each, and on slot reads that
/// formatter (a format string parsed per value, a character per call) took
/// a tenth of the server's time. Anything else (fractions of a second, UTC
/// itself, written `Z`, an offset with seconds, a year beyond four digits)
/// is left to chrono.
/// Reading is chrono's.
pub mod rfc3339 {
    use chrono::{DateTime, Datelike, FixedOffset, Timelike};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(instant: &DateTime<FixedOffset>, serializer: S) -> Result<S::Ok, S::Error> {
        let offset = instant.offset().local_minus_utc();
        let year = instant.year();
        if instant.nanosecond() != 0 || offset == 0 || offset % 60 != 0 || !(0..=9999).contains(&year) {
            return instant.serialize(serializer);
        }
        let mut text = *b"0000-00-00T00:00:00+00:00";
        let mut put = |at: usize, digits: usize, mut value: u32| {
            for place in (at..at + digits).rev() {
                text[place] = b'0' + (value % 10) as u8;
                value /= 10;
            }
        };
        put(0, 4, year.unsigned_abs());
        put(5, 2, instant.month());
        put(8, 2, instant.day());
        put(11, 2, instant.hour());
        put(14, 2, instant.minute());
        put(17, 2, instant.second());
        put(20, 2, offset.unsigned_abs() / 3600);
        put(23, 2, offset.unsigned_abs() / 60 % 60);
        if offset < 0 {
            text[19] = b'-';
        }
        serializer.serialize_str(std::str::from_utf8(&text).map_err(serde::ser::Error::custom)?)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<FixedOffset>, D::Error> {
        DateTime::<FixedOffset>::deserialize(deserializer)
    }
}

/// A date written out as Russians write it in full: «четверг, 26 ноября
/// 2026 г.», as the UI's `longDate` (ui/js/format.js) writes it too.
pub fn long_date(date: NaiveDate) -> String {
    format!(
        "{}, {} {} {} г.",
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

    /// The fast writer must agree with chrono's own serialisation, which is
    /// also what the app reads back.
    #[test]
    fn instants_are_written_exactly_as_chrono_writes_them() {
        #[derive(serde::Serialize)]
        struct Fast(#[serde(with = "rfc3339")] DateTime<FixedOffset>);
        let zones = [0, 3 * 3600, 11 * 3600, -(3 * 3600 + 30 * 60), 5 * 3600 + 45 * 60, 37, -59];
        let instants = [0_i64, 1_795_760_100, 1_795_760_100 + 59, 253_402_300_799, -1, 951_782_400];
        for offset in zones {
            let zone = FixedOffset::east_opt(offset).expect("offset");
            for seconds in instants {
                for nanos in [0, 500_000_000] {
                    let instant = Utc.timestamp_opt(seconds, nanos).single().expect("instant").with_timezone(&zone);
                    let fast = serde_json::to_string(&Fast(instant)).expect("fast");
                    assert_eq!(fast, serde_json::to_string(&instant).expect("chrono"), "{instant:?}");
                    // chrono itself writes an offset with seconds to the minute.
                    if offset % 60 == 0 {
                        let back: DateTime<FixedOffset> = serde_json::from_str(&fast).expect("read back");
                        assert_eq!(back, instant);
                    }
                }
            }
        }
        let kaluga = clinic_instant(1_795_760_100, crate::region::KALUGA.time_zone);
        assert_eq!(serde_json::to_string(&Fast(kaluga)).expect("fast"), "\"2026-11-27T09:15:00+03:00\"");
        assert_eq!(clinic_time_of_day(&kaluga), "09:15");
    }

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
        assert_eq!(long_date(date), "четверг, 26 ноября 2026 г.");
        let date = NaiveDate::from_ymd_opt(2027, 3, 1).expect("valid date");
        assert_eq!(long_date(date), "понедельник, 1 марта 2027 г.");
    }
}
