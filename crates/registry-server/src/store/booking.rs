//! Booking and cancelling: the rules the server enforces, never only the UI.

use registratura_core::api::{
    Appointment, AppointmentDoctor, AppointmentStatus, BookingRequest, Channel, Clinic, Service,
};
use registratura_core::calendar::{clinic_instant, clinic_time_of_day};
use registratura_core::identity::Phone;
use registratura_core::region::KALUGA;

use super::{on_read, on_write, Store};
use crate::Error;

/// Everything a booking needs besides the store.
#[derive(Debug, Clone)]
pub struct BookingInput {
    pub patient_id: i64,
    pub request: BookingRequest,
    /// The client's `Idempotency-Key`; a retry with the same key returns the
    /// same appointment.
    pub idempotency_key: String,
    /// A digest of the request body, to refuse a reused key with a new body.
    pub request_hash: String,
    pub channel: Channel,
    /// Unix seconds; passed in so tests control the clock.
    pub now: i64,
}

/// What a successful booking returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Booked {
    pub appointment_id: i64,
    /// True when this was a retry answered from the first booking.
    pub replayed: bool,
}

/// How many random ticket numbers to try before giving up; with seven digits
/// and a region's bookings, a second try is already rare.
const TICKET_ATTEMPTS: usize = 16;

const APPOINTMENT_COLUMNS: &str = "a.id, a.ticket, a.status, a.channel, a.starts_at, a.ends_at, a.slot_id, \
     s.id AS service_id, s.code AS service_code, s.name AS service_name, s.specialty AS service_specialty, \
     d.id AS doctor_id, d.last_name, d.first_name, d.middle_name, d.position, d.basis, \
     c.id AS clinic_id, c.organization_id, c.name AS clinic_name, c.address AS clinic_address, \
     c.phone AS clinic_phone, o.name AS organization_name, \
     a.consent_version, a.consented_at, a.phone, a.created_at";

const APPOINTMENT_JOINS: &str = "FROM appointment a \
     JOIN service s ON s.id = a.service_id \
     JOIN slot sl ON sl.id = a.slot_id \
     JOIN doctor d ON d.id = sl.doctor_id \
     JOIN clinic c ON c.id = a.clinic_id \
     JOIN organization o ON o.id = c.organization_id";

/// One appointment with everything its ticket shows, as the joins return it.
#[derive(Debug, sqlx::FromRow)]
struct AppointmentRow {
    id: i64,
    ticket: i64,
    status: String,
    channel: String,
    starts_at: i64,
    ends_at: i64,
    slot_id: i64,
    service_id: i64,
    service_code: String,
    service_name: String,
    service_specialty: String,
    doctor_id: i64,
    last_name: String,
    first_name: String,
    middle_name: String,
    position: String,
    basis: String,
    clinic_id: i64,
    organization_id: i64,
    clinic_name: String,
    clinic_address: String,
    clinic_phone: String,
    organization_name: String,
    consent_version: String,
    consented_at: i64,
    phone: Option<String>,
    created_at: i64,
}

impl Store {
    /// Books a slot for a patient: one transaction that checks every rule
    /// and claims the slot with a single conditional update.
    pub async fn book(&self, input: &BookingInput) -> Result<Booked, Error> {
        let request = &input.request;
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;

            let confirmed: Option<bool> = sqlx::query_scalar(dialect.lock_patient())
                .bind(input.patient_id)
                .fetch_optional(&mut *tx)
                .await?;
            match confirmed {
                None => return Err(Error::Unauthorized),
                Some(false) => return Err(Error::AccountUnconfirmed),
                Some(true) => {}
            }

            let earlier: Option<(i64, String)> = sqlx::query_as(
                "SELECT id, request_hash FROM appointment WHERE patient_id = $1 AND idempotency_key = $2",
            )
            .bind(input.patient_id)
            .bind(&input.idempotency_key)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((appointment_id, hash)) = earlier {
                if hash != input.request_hash {
                    return Err(Error::IdempotencyConflict);
                }
                tx.commit().await?;
                return Ok(Booked { appointment_id, replayed: true });
            }

            let current_consent: Option<String> = sqlx::query_scalar(
                "SELECT version FROM consent ORDER BY published_at DESC, version DESC LIMIT 1",
            )
            .fetch_optional(&mut *tx)
            .await?;
            if current_consent.as_deref() != Some(request.consent_version.as_str()) {
                return Err(Error::ConsentRequired(request.consent_version.clone()));
            }

            let slot: Option<(i64, i64, String, i64, bool)> = sqlx::query_as(
                "SELECT sl.starts_at, sl.ends_at, sl.status, d.clinic_id, \
                 EXISTS (SELECT 1 FROM doctor_service ds WHERE ds.doctor_id = sl.doctor_id AND ds.service_id = $2) \
                 FROM slot sl JOIN doctor d ON d.id = sl.doctor_id WHERE sl.id = $1",
            )
            .bind(request.slot_id)
            .bind(request.service_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((starts_at, ends_at, status, clinic_id, offers_service)) = slot else {
                return Err(Error::NotFound("время приёма"));
            };
            if !offers_service {
                return Err(Error::InvalidInput("этот врач не оказывает выбранную услугу".to_owned()));
            }
            if starts_at <= input.now {
                return Err(Error::SlotInPast(request.slot_id));
            }
            match status.as_str() {
                "unavailable" if input.channel == Channel::Internet => {
                    return Err(Error::SlotUnavailable(request.slot_id))
                }
                "busy" => return Err(Error::SlotTaken(request.slot_id)),
                _ => {}
            }

            let clash: Option<i64> = sqlx::query_scalar(
                "SELECT ticket FROM appointment WHERE patient_id = $1 AND status = 'booked' AND ends_at > $2 \
                 AND ((starts_at < $3 AND ends_at > $4) OR (service_id = $5 AND clinic_id = $6)) \
                 ORDER BY starts_at LIMIT 1",
            )
            .bind(input.patient_id)
            .bind(input.now)
            .bind(ends_at)
            .bind(starts_at)
            .bind(request.service_id)
            .bind(clinic_id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(ticket) = clash {
                return Err(Error::AlreadyBooked { ticket: format_ticket(ticket) });
            }

            // The claim: exactly one of any number of concurrent requests
            // finds the slot still free. A reserved slot is claimed only by
            // the desk channels, which reach this point for it.
            let claimed = sqlx::query(&format!(
                "UPDATE slot SET status = 'busy', version = {} \
                 WHERE id = $1 AND (status = 'free' OR (status = 'unavailable' AND $2))",
                dialect.next_version()
            ))
            .bind(request.slot_id)
            .bind(input.channel != Channel::Internet)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed != 1 {
                return Err(Error::SlotTaken(request.slot_id));
            }

            let phone = request.phone.as_ref().map(Phone::as_str);
            let mut appointment_id = None;
            for _ in 0..TICKET_ATTEMPTS {
                appointment_id = sqlx::query_scalar(
                    "INSERT INTO appointment (ticket, patient_id, slot_id, service_id, clinic_id, starts_at, ends_at, \
                     status, channel, consent_version, consented_at, phone, created_at, idempotency_key, request_hash) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 'booked', $8, $9, $10, $11, $10, $12, $13) \
                     ON CONFLICT (ticket) DO NOTHING RETURNING id",
                )
                .bind(random_ticket())
                .bind(input.patient_id)
                .bind(request.slot_id)
                .bind(request.service_id)
                .bind(clinic_id)
                .bind(starts_at)
                .bind(ends_at)
                .bind(input.channel.as_str())
                .bind(&request.consent_version)
                .bind(input.now)
                .bind(phone)
                .bind(&input.idempotency_key)
                .bind(&input.request_hash)
                .fetch_optional(&mut *tx)
                .await?;
                if appointment_id.is_some() {
                    break;
                }
            }
            let appointment_id = appointment_id
                .ok_or_else(|| Error::Internal("no free ticket number after several tries".to_owned()))?;
            tx.commit().await?;
            Ok(Booked { appointment_id, replayed: false })
        })
    }

    /// Cancels a patient's own appointment and frees its slot at once.
    /// Cancelling one already cancelled by the patient is harmless.
    pub async fn cancel(&self, patient_id: i64, appointment_id: i64, now: i64) -> Result<(), Error> {
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            let row: Option<(String, i64, i64)> = sqlx::query_as(
                "SELECT status, starts_at, slot_id FROM appointment WHERE id = $1 AND patient_id = $2",
            )
            .bind(appointment_id)
            .bind(patient_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((status, starts_at, slot_id)) = row else {
                return Err(Error::NotFound("запись"));
            };
            match AppointmentStatus::from_db(&status) {
                Some(AppointmentStatus::CancelledByPatient) => return Ok(()),
                Some(AppointmentStatus::Booked) => {}
                _ => return Err(Error::NotActive),
            }
            if starts_at <= now {
                return Err(Error::TooLateToCancel);
            }
            let cancelled = sqlx::query(
                "UPDATE appointment SET status = 'cancelled_by_patient', cancelled_at = $2 \
                 WHERE id = $1 AND status = 'booked'",
            )
            .bind(appointment_id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if cancelled == 1 {
                sqlx::query(&format!(
                    "UPDATE slot SET status = 'free', version = {} WHERE id = $1 AND status = 'busy'",
                    dialect.next_version()
                ))
                .bind(slot_id)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// One of the patient's appointments; `None` when it does not exist or
    /// belongs to someone else.
    pub async fn appointment(&self, patient_id: i64, appointment_id: i64) -> Result<Option<Appointment>, Error> {
        let sql = format!("SELECT {APPOINTMENT_COLUMNS} {APPOINTMENT_JOINS} WHERE a.id = $1 AND a.patient_id = $2");
        on_read!(self, |pool, dialect| {
            let row: Option<AppointmentRow> = sqlx::query_as(&sql)
                .bind(appointment_id)
                .bind(patient_id)
                .fetch_optional(pool)
                .await?;
            row.map(appointment_from_row).transpose()
        })
    }

    /// All of the patient's appointments, latest start first.
    pub async fn appointments(&self, patient_id: i64) -> Result<Vec<Appointment>, Error> {
        let sql = format!(
            "SELECT {APPOINTMENT_COLUMNS} {APPOINTMENT_JOINS} WHERE a.patient_id = $1 ORDER BY a.starts_at DESC, a.id DESC LIMIT 500"
        );
        on_read!(self, |pool, dialect| {
            let rows: Vec<AppointmentRow> = sqlx::query_as(&sql).bind(patient_id).fetch_all(pool).await?;
            rows.into_iter().map(appointment_from_row).collect()
        })
    }
}

/// A ticket number as printed: seven digits.
pub fn format_ticket(ticket: i64) -> String {
    format!("{ticket:07}")
}

fn random_ticket() -> i64 {
    let mut bytes = [0u8; 8];
    // The OS generator never fails on the platforms we ship; a zero buffer
    // would still give a valid number, only a colliding one.
    let _ = getrandom::fill(&mut bytes);
    1_000_000 + (u64::from_le_bytes(bytes) % 9_000_000) as i64
}

fn appointment_from_row(row: AppointmentRow) -> Result<Appointment, Error> {
    let zone = KALUGA.time_zone;
    let start = clinic_instant(row.starts_at, zone);
    let id = row.id;
    Ok(Appointment {
        id,
        ticket: format_ticket(row.ticket),
        status: AppointmentStatus::from_db(&row.status)
            .ok_or_else(|| Error::Internal(format!("appointment {id} has status {:?}", row.status)))?,
        channel: Channel::from_db(&row.channel)
            .ok_or_else(|| Error::Internal(format!("appointment {id} has channel {:?}", row.channel)))?,
        date: start.date_naive(),
        time: clinic_time_of_day(&start),
        start,
        end: clinic_instant(row.ends_at, zone),
        slot_id: row.slot_id,
        service: Service {
            id: row.service_id,
            code: row.service_code,
            name: row.service_name,
            specialty: row.service_specialty,
        },
        doctor: AppointmentDoctor {
            id: row.doctor_id,
            full_name: format!("{} {} {}", row.last_name, row.first_name, row.middle_name).trim_end().to_owned(),
            position: row.position,
            basis: row.basis,
        },
        clinic: Clinic {
            id: row.clinic_id,
            organization_id: row.organization_id,
            name: row.clinic_name,
            address: row.clinic_address,
            phone: row.clinic_phone,
        },
        organization_name: row.organization_name,
        consent_version: row.consent_version,
        consented_at: clinic_instant(row.consented_at, zone),
        phone: row.phone.map(|phone| Phone::parse(&phone)).transpose()?,
        created_at: clinic_instant(row.created_at, zone),
    })
}
