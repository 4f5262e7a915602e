//! A doctor's schedule as a patient sees it: the days of a calendar and the
//! slots of a day. The registry server and the app's cache both answer from
//! these functions, so a day the server calls available is one the cache
//! calls available too.

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::api::{Day, DayStatus, Slot, SlotStatus};
use crate::calendar::{clinic_instant, clinic_time_of_day};

/// One slot of a doctor's schedule, with instants in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotRow {
    pub id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub status: SlotStatus,
}

impl SlotRow {
    /// The slot as the API and the wizard show it, on the clinic's clock.
    pub fn to_slot(self, zone: Tz) -> Slot {
        let start = clinic_instant(self.starts_at, zone);
        Slot { id: self.id, time: clinic_time_of_day(&start), start, end: clinic_instant(self.ends_at, zone), status: self.status }
    }
}

/// Each day of `[from, to]` with the number of its free slots that have
/// not started by `now`. A day is available when that number is not zero.
pub fn days(slots: &[SlotRow], from: NaiveDate, to: NaiveDate, now: i64, zone: Tz) -> Vec<Day> {
    let mut days: Vec<Day> = from
        .iter_days()
        .take_while(|date| *date <= to)
        .map(|date| Day { date, status: DayStatus::Unavailable, free_slots: 0 })
        .collect();
    for slot in slots.iter().filter(|slot| slot.status == SlotStatus::Free && slot.starts_at > now) {
        let date = clinic_instant(slot.starts_at, zone).date_naive();
        if let Some(day) = usize::try_from((date - from).num_days()).ok().and_then(|index| days.get_mut(index)) {
            day.free_slots += 1;
            day.status = DayStatus::Available;
        }
    }
    days
}

/// The slots of a day that have not started by `now`, on the clinic's
/// clock: a slot already under way can no longer be offered.
pub fn upcoming_slots(rows: impl IntoIterator<Item = SlotRow>, now: i64, zone: Tz) -> Vec<Slot> {
    rows.into_iter().filter(|row| row.starts_at > now).map(|row| row.to_slot(zone)).collect()
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::calendar::clinic_day_bounds;
    use crate::region::KALUGA;

    #[test]
    fn a_day_is_available_only_with_a_future_free_slot() {
        let zone = KALUGA.time_zone;
        let from = NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
        let (day_start, _) = clinic_day_bounds(from, zone);
        let at = |hour: i64| day_start + hour * 3600;
        let slots = [
            SlotRow { id: 1, starts_at: at(9), ends_at: at(9) + 900, status: SlotStatus::Busy },
            SlotRow { id: 2, starts_at: at(10), ends_at: at(10) + 900, status: SlotStatus::Unavailable },
            SlotRow { id: 3, starts_at: at(24 + 9), ends_at: at(24 + 9) + 900, status: SlotStatus::Free },
            SlotRow { id: 4, starts_at: at(48 + 9), ends_at: at(48 + 9) + 900, status: SlotStatus::Free },
        ];
        let to = from + Duration::days(2);
        let early = days(&slots, from, to, at(8), zone);
        assert_eq!(early.len(), 3);
        assert_eq!(early[0].status, DayStatus::Unavailable, "busy and reserved slots only");
        assert_eq!((early[1].status, early[1].free_slots), (DayStatus::Available, 1));
        assert_eq!((early[2].status, early[2].free_slots), (DayStatus::Available, 1));
        // Once the third day's only free slot has started, the day is gone.
        let late = days(&slots, from, to, at(48 + 9) + 60, zone);
        assert_eq!(late[2].status, DayStatus::Unavailable);
    }

    #[test]
    fn slots_under_way_are_not_offered_and_times_are_the_clinics() {
        let zone = KALUGA.time_zone;
        let date = NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
        let (day_start, _) = clinic_day_bounds(date, zone);
        let rows = [
            SlotRow { id: 1, starts_at: day_start + 9 * 3600, ends_at: day_start + 9 * 3600 + 900, status: SlotStatus::Free },
            SlotRow { id: 2, starts_at: day_start + 16 * 3600 + 1800, ends_at: day_start + 16 * 3600 + 2700, status: SlotStatus::Busy },
        ];
        let slots = upcoming_slots(rows, day_start + 9 * 3600, zone);
        assert_eq!(slots.len(), 1);
        assert_eq!(slots[0].time, "16:30");
        assert_eq!(slots[0].start.offset().local_minus_utc(), 3 * 3600, "Moscow time whatever the machine's zone");
    }
}
