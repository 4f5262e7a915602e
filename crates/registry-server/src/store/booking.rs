//! Booking and cancelling: the rules the server enforces, never only the UI.

use std::sync::Arc;

use registratura_core::api::{
    Appointment, AppointmentDoctor, AppointmentStatus, BookingRequest, Channel, Clinic, Service,
};
use registratura_core::calendar::{clinic_instant, clinic_time_of_day};
use registratura_core::identity::Phone;
use registratura_core::region::KALUGA;

use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgPool, Row, SqliteConnection, SqlitePool};

use super::group_commit::{GroupOutcome, GroupQueue};
use super::{on_read, on_write, token_hash, Dialect, Store};
use crate::Error;

/// Everything a booking needs besides the store.
#[derive(Debug, Clone)]
pub struct BookingInput {
    /// The bearer token of the patient who books; checked with the booking.
    pub token: String,
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
#[derive(Debug, Clone)]
pub struct Booked {
    pub appointment: Appointment,
    /// True when this was a retry answered from the first booking.
    pub replayed: bool,
}

/// How many random ticket numbers to try before giving up; with seven digits
/// and a region's bookings, a second try is already rare.
const TICKET_ATTEMPTS: usize = 16;

/// Why a booking for a service the doctor does not offer is refused.
const SERVICE_NOT_OFFERED: &str = "этот врач не оказывает выбранную услугу";

/// One appointment with everything its ticket shows: a row of the
/// `appointment_ticket` view (migrations/*/0003).
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
    /// Books a slot for a patient: every rule checked, and the slot claimed
    /// with a single conditional update, in one transaction with the other
    /// bookings of its group; answered once that transaction has committed.
    pub async fn book(&self, input: &BookingInput) -> Result<Booked, Error> {
        match self {
            Store::Sqlite { bookings, .. } => {
                let patient_id = self.patient_for_token(&input.token, input.now).await?.ok_or(Error::Unauthorized)?;
                let (appointment_id, replayed) = bookings.submit((patient_id, input.clone())).await?;
                let appointment = self
                    .appointment(patient_id, appointment_id)
                    .await?
                    .ok_or_else(|| Error::Internal("a booked appointment vanished".to_owned()))?;
                Ok(Booked { appointment, replayed })
            }
            Store::Postgres { bookings, .. } => bookings.submit(input.clone()).await,
        }
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
        on_read!(self, |pool, dialect| {
            let row: Option<AppointmentRow> =
                sqlx::query_as("SELECT * FROM appointment_ticket WHERE id = $1 AND patient_id = $2")
                .bind(appointment_id)
                .bind(patient_id)
                .fetch_optional(pool)
                .await?;
            row.map(appointment_from_row).transpose()
        })
    }

    /// All of the patient's appointments, latest start first.
    pub async fn appointments(&self, patient_id: i64) -> Result<Vec<Appointment>, Error> {
        on_read!(self, |pool, dialect| {
            let rows: Vec<AppointmentRow> = sqlx::query_as(
                "SELECT * FROM appointment_ticket WHERE patient_id = $1 ORDER BY starts_at DESC, id DESC LIMIT 500",
            )
            .bind(patient_id)
            .fetch_all(pool)
            .await?;
            rows.into_iter().map(appointment_from_row).collect()
        })
    }
}

/// How many bookings a writer books in one transaction at most. A group
/// holds its locks until it commits (SQLite's write lock: cancellations and
/// sign-ins wait), so it stays short: tens of milliseconds at the largest.
const GROUP_LIMIT: usize = 128;

/// SQLite's bookings, by patient (the token already checked), each answered
/// with the appointment's id and whether it was a replay.
pub type SqliteBookings = GroupQueue<(i64, BookingInput), Result<(i64, bool), Error>>;

/// PostgreSQL's bookings, each answered with the booked appointment.
pub type PgBookings = GroupQueue<BookingInput, Result<Booked, Error>>;

/// SQLite has one writer, and with `synchronous=FULL` each commit waits for
/// the disk: committing each booking on its own held the server to one
/// booking a flush (610–900 a second with half the CPU idle). Its one writer
/// books every booking that queued meanwhile in one transaction, one after
/// another. No answer leaves before the commit, so an acknowledged booking
/// is still on disk after a crash. A refusal changes nothing and leaves the
/// group be; a failure (the database's, or no free ticket number) undoes
/// the whole group, whose bookings are then booked one by one, as on
/// PostgreSQL, so one booking's failure is only its own. Failing the group
/// rather than one savepoint also covers the errors after which SQLite rolls
/// the transaction back by itself.
pub(super) fn sqlite_bookings(write: SqlitePool) -> SqliteBookings {
    GroupQueue::start(1, GROUP_LIMIT, move |group: Arc<[(i64, BookingInput)]>| {
        let write = write.clone();
        async move { book_group(&write, &group).await }
    })
}

/// PostgreSQL books a group in one call of `book_slots` (migrations/postgres/
/// 0004): one round trip, one transaction, one flush for the group. Several
/// groups run side by side, one per writer, in as many connections; the
/// function takes its locks in an order that keeps them from waiting on each
/// other in a circle. If a group fails as a whole (a booking found no free
/// ticket number, or the database gave up on the transaction), its bookings
/// are booked again one by one, so one booking's failure is only its own.
pub(super) fn pg_bookings(pool: PgPool, writers: usize) -> PgBookings {
    GroupQueue::start(writers, GROUP_LIMIT, move |group: Arc<[BookingInput]>| {
        let pool = pool.clone();
        async move { book_in_one_call(&pool, &group).await }
    })
}

/// Books each of `group` in turn in one transaction and answers each
/// booking or its refusal; any failure fails the group, nothing stored.
async fn book_group(pool: &SqlitePool, group: &[(i64, BookingInput)]) -> GroupOutcome<(i64, bool)> {
    let mut tx = pool.begin().await?;
    let mut outcomes = Vec::with_capacity(group.len());
    for (patient_id, input) in group {
        match book_step_by_step(&mut tx, *patient_id, input).await {
            Err(error @ Error::Internal(_)) => return Err(error),
            outcome => outcomes.push(outcome),
        }
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// The first check of a SQLite booking: the patient, an earlier booking with
/// the same key, and the consent in force.
#[derive(Debug, sqlx::FromRow)]
struct Booker {
    confirmed: bool,
    earlier_id: Option<i64>,
    earlier_hash: Option<String>,
    current_consent: Option<String>,
}

/// SQLite runs in-process, so a statement costs no network round trip, only
/// a hand-over to sqlx's worker thread; the checks are two statements and
/// the writes two more. The single writer serialises bookings, which also
/// makes one patient's checks race-free. Runs inside the group's
/// transaction and writes nothing when it refuses.
async fn book_step_by_step(
    tx: &mut SqliteConnection,
    patient_id: i64,
    input: &BookingInput,
) -> Result<(i64, bool), Error> {
    let request = &input.request;

    let booker: Option<Booker> = sqlx::query_as(
        "SELECT p.confirmed, earlier.id AS earlier_id, earlier.request_hash AS earlier_hash, \
         (SELECT version FROM consent ORDER BY published_at DESC, version DESC LIMIT 1) AS current_consent \
         FROM patient p LEFT JOIN appointment earlier ON earlier.patient_id = p.id AND earlier.idempotency_key = $2 \
         WHERE p.id = $1",
    )
    .bind(patient_id)
    .bind(&input.idempotency_key)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(booker) = booker else {
        return Err(Error::Unauthorized);
    };
    if !booker.confirmed {
        return Err(Error::AccountUnconfirmed);
    }
    if let Some(appointment_id) = booker.earlier_id {
        if booker.earlier_hash.as_deref() != Some(input.request_hash.as_str()) {
            return Err(Error::IdempotencyConflict);
        }
        return Ok((appointment_id, true));
    }
    if booker.current_consent.as_deref() != Some(request.consent_version.as_str()) {
        return Err(Error::ConsentRequired(request.consent_version.clone()));
    }

    // The slot, whether its doctor offers the service, and the patient's
    // first active appointment that overlaps it or has the same service in
    // the same clinic.
    let slot: Option<(i64, i64, String, i64, bool, Option<i64>)> = sqlx::query_as(
        "SELECT sl.starts_at, sl.ends_at, sl.status, d.clinic_id, \
         EXISTS (SELECT 1 FROM doctor_service ds WHERE ds.doctor_id = sl.doctor_id AND ds.service_id = $2), \
         (SELECT a.ticket FROM appointment a WHERE a.patient_id = $3 AND a.status = 'booked' AND a.ends_at > $4 \
          AND ((a.starts_at < sl.ends_at AND a.ends_at > sl.starts_at) OR (a.service_id = $2 AND a.clinic_id = d.clinic_id)) \
          ORDER BY a.starts_at LIMIT 1) \
         FROM slot sl JOIN doctor d ON d.id = sl.doctor_id WHERE sl.id = $1",
    )
    .bind(request.slot_id)
    .bind(request.service_id)
    .bind(patient_id)
    .bind(input.now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((starts_at, ends_at, status, clinic_id, offers_service, clash)) = slot else {
        return Err(Error::NotFound("время приёма"));
    };
    if !offers_service {
        return Err(Error::InvalidInput(SERVICE_NOT_OFFERED.to_owned()));
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
    if let Some(ticket) = clash {
        return Err(Error::AlreadyBooked { ticket: format_ticket(ticket) });
    }

    let appointment_id = claim_and_insert(tx, patient_id, clinic_id, starts_at, ends_at, input).await?;
    Ok((appointment_id, false))
}

/// The claim and the appointment's row: the only writes of a booking. A
/// refusal here (the slot taken) has written nothing.
async fn claim_and_insert(
    tx: &mut SqliteConnection,
    patient_id: i64,
    clinic_id: i64,
    starts_at: i64,
    ends_at: i64,
    input: &BookingInput,
) -> Result<i64, Error> {
    let request = &input.request;
    // The claim: exactly one of any number of concurrent requests
    // finds the slot still free. A reserved slot is claimed only by
    // the desk channels, which reach this point for it.
    let claimed = sqlx::query(&format!(
        "UPDATE slot SET status = 'busy', version = {} \
         WHERE id = $1 AND (status = 'free' OR (status = 'unavailable' AND $2))",
        Dialect::Sqlite.next_version()
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
    for ticket in tickets() {
        let appointment_id = sqlx::query_scalar(
            "INSERT INTO appointment (ticket, patient_id, slot_id, service_id, clinic_id, starts_at, ends_at, \
             status, channel, consent_version, consented_at, phone, created_at, idempotency_key, request_hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'booked', $8, $9, $10, $11, $10, $12, $13) \
             ON CONFLICT (ticket) DO NOTHING RETURNING id",
        )
        .bind(ticket)
        .bind(patient_id)
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
        if let Some(appointment_id) = appointment_id {
            return Ok(appointment_id);
        }
    }
    Err(Error::Internal("no free ticket number after several tries".to_owned()))
}

/// PostgreSQL checks the token and the same rules in the same order inside
/// `book_slot`, so a booking costs no round trip of its own (the migrations
/// say why); the integration suite runs against both backends to keep them
/// equal. Answers each booking of `group` in order; the outer error is for
/// the call as a whole.
async fn book_in_one_call(pool: &PgPool, group: &[BookingInput]) -> GroupOutcome<Booked> {
    let column = |pick: fn(&BookingInput) -> String| group.iter().map(pick).collect::<Vec<String>>();
    let rows = sqlx::query(
        "SELECT b.item, b.outcome, b.existing_ticket, (b.appointment).* \
         FROM book_slots($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) b",
    )
    .bind(column(|input| token_hash(&input.token)))
    .bind(group.iter().map(|input| input.request.slot_id).collect::<Vec<i64>>())
    .bind(group.iter().map(|input| input.request.service_id).collect::<Vec<i64>>())
    .bind(column(|input| input.request.consent_version.clone()))
    .bind(group.iter().map(|input| input.request.phone.as_ref().map(|phone| phone.as_str().to_owned())).collect::<Vec<Option<String>>>())
    .bind(column(|input| input.channel.as_str().to_owned()))
    .bind(group.iter().map(|input| input.now).collect::<Vec<i64>>())
    .bind(column(|input| input.idempotency_key.clone()))
    .bind(column(|input| input.request_hash.clone()))
    .bind(group.iter().flat_map(|_| tickets()).collect::<Vec<i64>>())
    .bind(TICKET_ATTEMPTS as i32)
    .fetch_all(pool)
    .await?;
    let mut outcomes: Vec<Option<Result<Booked, Error>>> = group.iter().map(|_| None).collect();
    for row in rows {
        let item: i32 = row.try_get("item")?;
        let index = usize::try_from(item - 1).ok().filter(|&index| index < group.len());
        let index = index.ok_or_else(|| Error::Internal(format!("book_slots answered for booking {item}")))?;
        outcomes[index] = Some(booking_outcome(&row, &group[index]));
    }
    Ok(outcomes
        .into_iter()
        .map(|outcome| outcome.unwrap_or_else(|| Err(Error::Internal("book_slots skipped a booking".to_owned()))))
        .collect())
}

/// What `book_slot` answered for one booking, as the API's result.
fn booking_outcome(row: &PgRow, input: &BookingInput) -> Result<Booked, Error> {
    let request = &input.request;
    let outcome: String = row.try_get("outcome")?;
    let booked = |replayed| -> Result<Booked, Error> {
        let appointment = appointment_from_row(AppointmentRow::from_row(row)?)?;
        Ok(Booked { appointment, replayed })
    };
    match outcome.as_str() {
        "booked" => booked(false),
        "replayed" => booked(true),
        "unauthorized" => Err(Error::Unauthorized),
        "account_unconfirmed" => Err(Error::AccountUnconfirmed),
        "idempotency_conflict" => Err(Error::IdempotencyConflict),
        "consent_required" => Err(Error::ConsentRequired(request.consent_version.clone())),
        "not_found" => Err(Error::NotFound("время приёма")),
        "service_not_offered" => Err(Error::InvalidInput(SERVICE_NOT_OFFERED.to_owned())),
        "slot_in_past" => Err(Error::SlotInPast(request.slot_id)),
        "slot_unavailable" => Err(Error::SlotUnavailable(request.slot_id)),
        "slot_taken" => Err(Error::SlotTaken(request.slot_id)),
        "already_booked" => {
            let ticket: Option<i64> = row.try_get("existing_ticket")?;
            Err(Error::AlreadyBooked { ticket: format_ticket(ticket.unwrap_or_default()) })
        }
        other => Err(Error::Internal(format!("book_slot answered {other:?}"))),
    }
}

/// Random ticket numbers to try in turn, until one is not yet taken.
fn tickets() -> impl Iterator<Item = i64> {
    (0..TICKET_ATTEMPTS).map(|_| random_ticket())
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
