//! The reception desk's work: finding and registering patients, a clinic's
//! day board, and cancelling, moving and checking in appointments. Every
//! change writes its audit record in its own transaction; every read of an
//! appointment is limited to the clinics the staff member works at.

use chrono::NaiveDate;
use registratura_contract::calendar::{clinic_date, clinic_day_bounds};
use registratura_contract::identity::{Phone, PolicyNumber, Snils};
use registratura_contract::region::KALUGA;
use registratura_contract::search::search_key;
pub use registratura_contract::api::desk::{BoardColumn, BoardSlot, BoardState, CancelReason, DayList, DayListEntry, FoundPatient, NearestSlot, Sex};

use super::booking::free_slot_in;
use super::staff::{audit_in, AuditAction, AuditRecord, Grant, StaffMember};
use super::{on_read, on_write, Store};
use crate::Error;

/// The most patients a search answers; past that, a narrower query is asked for.
pub const MAX_SEARCH_RESULTS: usize = 20;

/// How a registrar looks for a patient: by any one of these.
#[derive(Debug, Clone)]
pub enum PatientQuery {
    Policy(PolicyNumber),
    Snils(Snils),
    /// A surname and a birth date; the name and patronymic narrow further
    /// (each matches from its start, so an initial will do).
    Name { last_name: String, first_name: Option<String>, middle_name: Option<String>, birth_date: NaiveDate },
}

/// A new patient registered at the desk; every field already parsed.
#[derive(Debug, Clone)]
pub struct DeskPatient {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub policy: PolicyNumber,
    pub snils: Option<Snils>,
    pub phone: Phone,
}

/// A mark on an appointment on the day of the visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayMark {
    /// «Пришёл»: the patient is here.
    CheckIn,
    UndoCheckIn,
    /// «Не явился»: the visit has started and the patient is not here.
    NoShow,
    UndoNoShow,
}

/// A patient as the search reads them, before masking.
#[derive(Debug, sqlx::FromRow)]
struct SearchRow {
    id: i64,
    last_name: String,
    first_name: String,
    middle_name: String,
    birth_date: String,
    policy: String,
    phone: Option<String>,
}

/// The appointment's row a desk action needs: whose it is and where.
#[derive(Debug, Clone)]
struct DeskRow {
    patient_id: i64,
    slot_id: i64,
    starts_at: i64,
    arrived_at: Option<i64>,
}

impl Store {
    /// Patients matching `query`, at most [`MAX_SEARCH_RESULTS`] + 1 so the
    /// caller can tell there were more.
    pub async fn search_patients(&self, query: &PatientQuery) -> Result<Vec<FoundPatient>, Error> {
        let limit = MAX_SEARCH_RESULTS as i64 + 1;
        let rows: Vec<SearchRow> = on_read!(self, |pool, dialect| {
            let select = "SELECT p.id, p.last_name, p.first_name, p.middle_name, p.birth_date, p.policy, \
                          (SELECT ph.phone FROM patient_phone ph WHERE ph.patient_id = p.id ORDER BY ph.added_at, ph.phone LIMIT 1) AS phone \
                          FROM patient p";
            match query {
                PatientQuery::Policy(policy) => sqlx::query_as(&format!("{select} WHERE p.policy = $1"))
                    .bind(policy.digits())
                    .fetch_all(pool)
                    .await?,
                PatientQuery::Snils(snils) => sqlx::query_as(&format!("{select} WHERE p.snils = $1"))
                    .bind(snils.digits())
                    .fetch_all(pool)
                    .await?,
                // A birth date holds a few dozen of a region's patients at
                // most; the names are matched here, where Cyrillic folds.
                PatientQuery::Name { birth_date, .. } => {
                    sqlx::query_as(&format!("{select} WHERE p.birth_date = $1 ORDER BY p.last_name, p.first_name, p.id"))
                        .bind(birth_date.to_string())
                        .fetch_all(pool)
                        .await?
                }
            }
        });
        // A name part matches from its start, in any case; an absent one matches.
        let starts = |whole: &str, part: Option<&str>| part.is_none_or(|part| search_key(whole).starts_with(&search_key(part.trim())));
        let mut found = Vec::new();
        for SearchRow { id, last_name, first_name, middle_name, birth_date, policy, phone } in rows {
            if let PatientQuery::Name { last_name: wanted, first_name: first, middle_name: middle, .. } = query {
                if !(starts(&last_name, Some(wanted)) && starts(&first_name, first.as_deref()) && starts(&middle_name, middle.as_deref())) {
                    continue;
                }
            }
            let birth_date = NaiveDate::parse_from_str(&birth_date, "%Y-%m-%d")
                .map_err(|error| Error::Internal(format!("patient {id} birth date: {error}")))?;
            found.push(FoundPatient {
                id,
                last_name,
                first_name,
                middle_name,
                birth_date,
                policy_masked: mask(&policy, 4),
                phone_masked: phone.map(|phone| mask(&phone, 2)),
            });
            if found.len() as i64 >= limit {
                break;
            }
        }
        Ok(found)
    }

    /// Registers a patient at the desk, with the audit record, in one
    /// transaction. A patient whose policy or СНИЛС is already known is not
    /// registered again: [`Error::PatientExists`] names them.
    pub async fn register_patient(&self, patient: &DeskPatient, grant: Grant, staff_id: i64, now: i64) -> Result<i64, Error> {
        let snils = patient.snils.as_ref().map(|snils| snils.digits().to_owned());
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            let known: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM patient WHERE policy = $1 OR (snils IS NOT NULL AND snils = $2) ORDER BY id LIMIT 1",
            )
            .bind(patient.policy.digits())
            .bind(&snils)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(patient_id) = known {
                return Err(Error::PatientExists { patient_id });
            }
            let patient_id: i64 = sqlx::query_scalar(
                "INSERT INTO patient (last_name, first_name, middle_name, birth_date, policy, snils, confirmed, sex, \
                 registered_by, registered_at) VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7, $8, $9) RETURNING id",
            )
            .bind(&patient.last_name)
            .bind(&patient.first_name)
            .bind(&patient.middle_name)
            .bind(patient.birth_date.to_string())
            .bind(patient.policy.digits())
            .bind(&snils)
            .bind(patient.sex.as_str())
            .bind(staff_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("INSERT INTO patient_phone (patient_id, phone, added_at) VALUES ($1, $2, $3)")
                .bind(patient_id)
                .bind(patient.phone.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            audit_in!(tx, AuditRecord { at: now, staff_id, grant, action: AuditAction::Register, patient_id: Some(patient_id), appointment_id: None });
            tx.commit().await?;
            Ok(patient_id)
        })
    }

    /// Whether a patient with this id exists.
    pub async fn patient_exists(&self, patient_id: i64) -> Result<bool, Error> {
        on_read!(self, |pool, dialect| {
            let found: Option<i64> = sqlx::query_scalar("SELECT id FROM patient WHERE id = $1").bind(patient_id).fetch_optional(pool).await?;
            Ok(found.is_some())
        })
    }

    /// The patient's appointments at `clinic_id`, latest first.
    pub async fn patient_appointments_at(&self, patient_id: i64, clinic_id: i64) -> Result<Vec<registratura_contract::api::Appointment>, Error> {
        Ok(self.appointments(patient_id).await?.into_iter().filter(|appointment| appointment.clinic.id == clinic_id).collect())
    }

    /// A clinic's day: each doctor a column (those offering `service_id`
    /// only, when given), each slot with its state and, for staff, whose it is.
    pub async fn board(&self, clinic_id: i64, date: NaiveDate, service_id: Option<i64>, specialty: Option<&str>) -> Result<Vec<BoardColumn>, Error> {
        let (from, to) = clinic_day_bounds(date, KALUGA.time_zone);
        type DoctorRow = (i64, String, String, String, String);
        type SlotRow = (i64, i64, i64, i64, String);
        type AppointmentRow = (i64, i64, String, i64, Option<i64>, String, String, String);
        // Slots by the clinic's doctors and appointments by the clinic's day,
        // each from its own index: one join of the two had SQLite scan every
        // slot of the region and index the appointments anew for each board.
        let (doctors, slots, booked): (Vec<DoctorRow>, Vec<SlotRow>, Vec<AppointmentRow>) = on_read!(self, |pool, dialect| {
            let doctors: Vec<DoctorRow> = sqlx::query_as(
                "SELECT d.id, d.last_name, d.first_name, d.middle_name, d.position \
                 FROM doctor d WHERE d.clinic_id = $1 ORDER BY d.last_name, d.first_name, d.id",
            )
            .bind(clinic_id)
            .fetch_all(pool)
            .await?;
            let slots: Vec<SlotRow> = sqlx::query_as(
                "SELECT sl.id, sl.doctor_id, sl.starts_at, sl.ends_at, sl.status FROM slot sl \
                 WHERE sl.doctor_id IN (SELECT id FROM doctor WHERE clinic_id = $1) AND sl.starts_at >= $2 AND sl.starts_at < $3 \
                 ORDER BY sl.doctor_id, sl.starts_at",
            )
            .bind(clinic_id)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?;
            let booked: Vec<AppointmentRow> = sqlx::query_as(
                "SELECT a.slot_id, a.id, a.status, a.ticket, a.arrived_at, p.last_name, p.first_name, p.middle_name \
                 FROM appointment a JOIN patient p ON p.id = a.patient_id \
                 WHERE a.clinic_id = $1 AND a.starts_at >= $2 AND a.starts_at < $3 AND a.status IN ('booked', 'no_show')",
            )
            .bind(clinic_id)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?;
            (doctors, slots, booked)
        });
        let on_slot: std::collections::HashMap<i64, &AppointmentRow> = booked.iter().map(|row| (row.0, row)).collect();
        let offers: Vec<(i64, i64, String)> = on_read!(self, |pool, dialect| {
            sqlx::query_as(
                "SELECT ds.doctor_id, ds.service_id, s.specialty FROM doctor_service ds JOIN doctor d ON d.id = ds.doctor_id \
                 JOIN service s ON s.id = ds.service_id WHERE d.clinic_id = $1 ORDER BY ds.doctor_id, ds.service_id",
            )
            .bind(clinic_id)
            .fetch_all(pool)
            .await?
        });
        let mut columns = Vec::with_capacity(doctors.len());
        for (doctor_id, last_name, first_name, middle_name, position) in doctors {
            let offered: Vec<&(i64, i64, String)> = offers.iter().filter(|(doctor, ..)| *doctor == doctor_id).collect();
            if service_id.is_some_and(|wanted| !offered.iter().any(|(_, service, _)| *service == wanted)) {
                continue;
            }
            if specialty.is_some_and(|wanted| !offered.iter().any(|(.., offered)| search_key(offered) == search_key(wanted))) {
                continue;
            }
            let slots = slots
                .iter()
                .filter(|slot| slot.1 == doctor_id)
                .map(|(id, _, starts_at, ends_at, status)| {
                    let appointment = on_slot.get(id);
                    let state = match (status.as_str(), appointment.map(|row| (row.2.as_str(), row.4))) {
                        (_, Some(("no_show", _))) => BoardState::NoShow,
                        (_, Some((_, Some(_)))) => BoardState::Arrived,
                        ("busy", _) => BoardState::Busy,
                        ("unavailable", _) => BoardState::Reserved,
                        _ => BoardState::Free,
                    };
                    BoardSlot {
                        id: *id,
                        starts_at: *starts_at,
                        ends_at: *ends_at,
                        state,
                        appointment_id: appointment.map(|row| row.1),
                        patient: appointment.map(|row| initials(&row.5, &row.6, &row.7)),
                        ticket: appointment.map(|row| super::format_ticket(row.3)),
                    }
                })
                .collect();
            columns.push(BoardColumn {
                doctor_id,
                full_name: format!("{last_name} {first_name} {middle_name}").trim_end().to_owned(),
                position,
                service_ids: offered.iter().map(|(_, service, _)| *service).collect(),
                slots,
            });
        }
        Ok(columns)
    }

    /// The first slot after `after` (Unix seconds) that the desk may book
    /// for `service_id` at `clinic_id`, free or kept for the desk.
    pub async fn nearest_at_desk(&self, clinic_id: i64, service_id: i64, after: i64, reserved_only: bool) -> Result<Option<NearestSlot>, Error> {
        on_read!(self, |pool, dialect| {
            let row: Option<(i64, i64, i64, String, String, String, String)> = sqlx::query_as(
                "SELECT sl.id, sl.doctor_id, sl.starts_at, sl.status, d.last_name, d.first_name, d.middle_name FROM doctor d \
                 JOIN doctor_service ds ON ds.doctor_id = d.id AND ds.service_id = $2 \
                 JOIN slot sl ON sl.doctor_id = d.id AND sl.starts_at > $3 \
                   AND (sl.status = 'unavailable' OR (sl.status = 'free' AND NOT $4)) \
                 WHERE d.clinic_id = $1 ORDER BY sl.starts_at, sl.id LIMIT 1",
            )
            .bind(clinic_id)
            .bind(service_id)
            .bind(after)
            .bind(reserved_only)
            .fetch_optional(pool)
            .await?;
            Ok(row.map(|(slot_id, doctor_id, starts_at, status, last, first, middle)| NearestSlot {
                slot_id,
                doctor_id,
                doctor: format!("{last} {first} {middle}").trim_end().to_owned(),
                service_id,
                starts_at,
                reserved: status == "unavailable",
            }))
        })
    }

    /// A doctor's day list at one of the staff member's clinics, with its
    /// audit record; `None` for a doctor of another clinic.
    pub async fn day_list(&self, doctor_id: i64, date: NaiveDate, staff: &StaffMember, now: i64) -> Result<Option<DayList>, Error> {
        let (from, to) = clinic_day_bounds(date, KALUGA.time_zone);
        type DoctorRow = (i64, String, String, String, String, String);
        type EntryRow = (i64, i64, String, String, String, String, String, String, Option<i64>);
        let doctor: Option<DoctorRow> = on_read!(self, |pool, dialect| {
            sqlx::query_as(
                "SELECT d.clinic_id, d.last_name, d.first_name, d.middle_name, d.position, c.name \
                 FROM doctor d JOIN clinic c ON c.id = d.clinic_id WHERE d.id = $1",
            )
            .bind(doctor_id)
            .fetch_optional(pool)
            .await?
        });
        let Some((clinic_id, last_name, first_name, middle_name, position, clinic)) = doctor else { return Ok(None) };
        let Some(grant) = staff.at(clinic_id) else { return Ok(None) };
        let rows: Vec<EntryRow> = on_read!(self, |pool, dialect| {
            sqlx::query_as(
                "SELECT a.starts_at, a.ticket, a.status, p.last_name, p.first_name, p.middle_name, p.birth_date, s.name, a.arrived_at \
                 FROM appointment a JOIN slot sl ON sl.id = a.slot_id \
                 JOIN patient p ON p.id = a.patient_id JOIN service s ON s.id = a.service_id \
                 WHERE a.clinic_id = $4 AND a.starts_at >= $2 AND a.starts_at < $3 AND a.status IN ('booked', 'no_show') AND sl.doctor_id = $1 \
                 ORDER BY a.starts_at",
            )
            .bind(doctor_id)
            .bind(from)
            .bind(to)
            .bind(clinic_id)
            .fetch_all(pool)
            .await?
        });
        self.record(AuditRecord { at: now, staff_id: staff.id, grant, action: AuditAction::DayList, patient_id: None, appointment_id: None }).await?;
        let mut entries = Vec::with_capacity(rows.len());
        for (starts_at, ticket, status, last, first, middle, birth_date, service, arrived_at) in rows {
            let birth_date = NaiveDate::parse_from_str(&birth_date, "%Y-%m-%d").map_err(|error| Error::Internal(format!("a birth date: {error}")))?;
            let state = match (status.as_str(), arrived_at) {
                ("no_show", _) => BoardState::NoShow,
                (_, Some(_)) => BoardState::Arrived,
                _ => BoardState::Busy,
            };
            entries.push(DayListEntry {
                starts_at,
                ticket: super::booking::format_ticket(ticket),
                patient: format!("{last} {first} {middle}").trim_end().to_owned(),
                birth_date,
                service,
                state,
            });
        }
        Ok(Some(DayList {
            doctor_id,
            doctor: format!("{last_name} {first_name} {middle_name}").trim_end().to_owned(),
            position,
            clinic,
            date,
            entries,
        }))
    }

    /// Cancels an appointment at one of `clinics` and frees its slot, with
    /// the reason and the audit record, in one transaction.
    pub async fn desk_cancel(&self, appointment_id: i64, reason: CancelReason, staff: &StaffMember, now: i64) -> Result<(), Error> {
        let staff_id = staff.id;
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            let row = desk_row_in!(tx, appointment_id, staff)?;
            let (row, status, grant) = row;
            if status != "booked" {
                return Err(Error::NotActive);
            }
            if row.starts_at <= now {
                return Err(Error::TooLateToCancel);
            }
            sqlx::query("UPDATE appointment SET status = $2, cancelled_at = $3, cancel_reason = $4 WHERE id = $1 AND status = 'booked'")
                .bind(appointment_id)
                .bind(reason.status().as_str())
                .bind(now)
                .bind(reason.as_str())
                .execute(&mut *tx)
                .await?;
            free_slot_in!(tx, dialect, row.slot_id);
            event_in!(tx, appointment_id, now, "cancelled", None::<i64>, None::<i64>, staff_id);
            audit_in!(tx, AuditRecord { at: now, staff_id, grant, action: AuditAction::Cancel, patient_id: Some(row.patient_id), appointment_id: Some(appointment_id) });
            tx.commit().await?;
            Ok(())
        })
    }

    /// «Пришёл», «Не явился» and their undoing, on the day of the visit only.
    pub async fn mark_day(&self, appointment_id: i64, mark: DayMark, staff: &StaffMember, now: i64) -> Result<(), Error> {
        let staff_id = staff.id;
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            let (row, status, grant) = desk_row_in!(tx, appointment_id, staff)?;
            let zone = KALUGA.time_zone;
            let visit_day = clinic_date(chrono::DateTime::from_timestamp(row.starts_at, 0).unwrap_or_default(), zone);
            let today = clinic_date(chrono::DateTime::from_timestamp(now, 0).unwrap_or_default(), zone);
            if visit_day != today {
                return Err(Error::NotToday);
            }
            // Each mark sets the appointment's status and arrival anew.
            let (new_status, arrived_at, action) = match mark {
                DayMark::CheckIn if status == "booked" && row.arrived_at.is_none() => ("booked", Some(now), AuditAction::CheckIn),
                DayMark::UndoCheckIn if status == "booked" && row.arrived_at.is_some() => ("booked", None, AuditAction::UndoCheckIn),
                DayMark::NoShow if status == "booked" && row.arrived_at.is_none() => {
                    if row.starts_at > now {
                        return Err(Error::NotStartedYet);
                    }
                    ("no_show", None, AuditAction::NoShow)
                }
                DayMark::UndoNoShow if status == "no_show" => ("booked", None, AuditAction::UndoNoShow),
                _ => return Err(Error::NotActive),
            };
            sqlx::query("UPDATE appointment SET status = $2, arrived_at = $3 WHERE id = $1")
                .bind(appointment_id)
                .bind(new_status)
                .bind(arrived_at)
                .execute(&mut *tx)
                .await?;
            event_in!(tx, appointment_id, now, action.as_str(), None::<i64>, None::<i64>, staff_id);
            audit_in!(tx, AuditRecord { at: now, staff_id, grant, action, patient_id: Some(row.patient_id), appointment_id: Some(appointment_id) });
            tx.commit().await?;
            Ok(())
        })
    }

    /// What happened to an appointment after it was booked, oldest first:
    /// (Unix seconds, event).
    pub async fn appointment_history(&self, appointment_id: i64) -> Result<Vec<(i64, String)>, Error> {
        on_read!(self, |pool, dialect| {
            Ok(sqlx::query_as("SELECT at, event FROM appointment_event WHERE appointment_id = $1 ORDER BY at, id")
                .bind(appointment_id)
                .fetch_all(pool)
                .await?)
        })
    }
}

/// Reads the appointment a desk action touches inside `$tx`, refusing one
/// outside the staff member's clinics as not found: `(DeskRow, status, Grant)`.
macro_rules! desk_row_in {
    ($tx:expr, $appointment_id:expr, $staff:expr) => {{
        let row: Option<(i64, i64, i64, i64, Option<i64>, String)> = sqlx::query_as(
            "SELECT patient_id, slot_id, clinic_id, starts_at, arrived_at, status FROM appointment WHERE id = $1",
        )
        .bind($appointment_id)
        .fetch_optional(&mut *$tx)
        .await?;
        match row {
            Some((patient_id, slot_id, clinic_id, starts_at, arrived_at, status)) => match $staff.at(clinic_id) {
                Some(grant) => Ok((DeskRow { patient_id, slot_id, starts_at, arrived_at }, status, grant)),
                None => Err(Error::NotFound("запись")),
            },
            None => Err(Error::NotFound("запись")),
        }
    }};
}
use desk_row_in;

/// Adds a line to an appointment's history inside `$tx`.
macro_rules! event_in {
    ($tx:expr, $appointment_id:expr, $at:expr, $event:expr, $from:expr, $to:expr, $staff_id:expr) => {{
        sqlx::query("INSERT INTO appointment_event (appointment_id, at, event, from_slot_id, to_slot_id, staff_id) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind($appointment_id)
            .bind($at)
            .bind($event)
            .bind($from)
            .bind($to)
            .bind($staff_id)
            .execute(&mut *$tx)
            .await?;
    }};
}
pub(super) use event_in;

/// «Захарова С. С.»: the surname and the initials.
pub fn initials(last_name: &str, first_name: &str, middle_name: &str) -> String {
    let mut text = last_name.to_owned();
    for name in [first_name, middle_name] {
        if let Some(initial) = name.chars().next() {
            text.push(' ');
            text.push(initial);
            text.push('.');
        }
    }
    text
}

/// All but the last `shown` characters as asterisks.
fn mask(value: &str, shown: usize) -> String {
    let count = value.chars().count();
    value.chars().enumerate().map(|(index, c)| if index + shown >= count { c } else { '*' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_are_shortened_for_the_screen() {
        assert_eq!(initials("Захарова", "Софья", "Сергеевна"), "Захарова С. С.");
        assert_eq!(initials("Ли", "Анна", ""), "Ли А.");
        assert_eq!(mask("3555620822001994", 4), "************1994");
        assert_eq!(mask("+79101234567", 2), "**********67");
    }
}
