//! «Записи на приём»: the patient's appointments in the order a person
//! looks for them.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::api::{Appointment, AppointmentStatus};

/// Upcoming appointments, nearest first, and the rest, latest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppointmentLists {
    pub upcoming: Vec<Appointment>,
    pub past: Vec<Appointment>,
}

/// Sorts `appointments` as of `now`: an appointment is upcoming while it is
/// booked and has not ended; cancelled, missed and past ones follow.
pub fn arrange(appointments: Vec<Appointment>, now: DateTime<Utc>) -> AppointmentLists {
    let (mut upcoming, mut past): (Vec<_>, Vec<_>) = appointments
        .into_iter()
        .partition(|appointment| appointment.status == AppointmentStatus::Booked && appointment.end > now);
    upcoming.sort_by_key(|appointment| appointment.start);
    past.sort_by_key(|appointment| std::cmp::Reverse(appointment.start));
    AppointmentLists { upcoming, past }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ticket::tests::sample_appointment;

    #[test]
    fn booked_future_ones_come_first_nearest_first() {
        let base = sample_appointment();
        let at = |days: i64, status| {
            let mut appointment = base.clone();
            appointment.id = days;
            appointment.start = base.start + chrono::Duration::days(days);
            appointment.end = appointment.start + chrono::Duration::minutes(20);
            appointment.status = status;
            appointment
        };
        let now = base.start.with_timezone(&Utc);
        let lists = arrange(
            vec![
                at(5, AppointmentStatus::Booked),
                at(-3, AppointmentStatus::Fulfilled),
                at(1, AppointmentStatus::Booked),
                at(2, AppointmentStatus::CancelledByPatient),
                at(-1, AppointmentStatus::Booked),
            ],
            now,
        );
        assert_eq!(lists.upcoming.iter().map(|a| a.id).collect::<Vec<_>>(), vec![1, 5]);
        assert_eq!(lists.past.iter().map(|a| a.id).collect::<Vec<_>>(), vec![2, -1, -3]);
    }
}
