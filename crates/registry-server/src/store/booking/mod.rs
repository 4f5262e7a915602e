//! Booking and cancelling: the rules the server enforces, never only the UI.

use std::sync::Arc;

use registratura_contract::api::{
    Appointment, AppointmentDoctor, AppointmentStatus, BookingRequest, Channel, Clinic, Service,
};
use registratura_contract::calendar::{clinic_instant, clinic_time_of_day};
use registratura_contract::identity::Phone;
use registratura_contract::region::KALUGA;

#[cfg(feature = "postgres")]
use sqlx::PgPool;
use sqlx::{SqliteConnection, SqlitePool};

use super::group_commit::{GroupOutcome, GroupQueue};
use super::kiosk::{kiosk_audit_in, Kiosk, KioskAction, KioskAuditRecord};
use super::staff::{audit_in, AuditAction, AuditRecord, StaffMember};
use super::rules::{decide_group, Actor, Ask, Decision, Facts, Plan, Refusal, SlotFacts, SlotState};
use super::{on_read, on_write, token_hash, Dialect, Store};
use crate::Error;

#[cfg(feature = "postgres")]
mod postgres;

/// Reads the facts of slot `$slot_id` for `$service_id` inside `$tx`: a
/// `Result<Option<SlotFacts>, Error>`. A macro, like the other `…_in!`
/// helpers, so that it expands once per backend.
macro_rules! slot_facts_in {
    ($tx:expr, $slot_id:expr, $service_id:expr) => {{
        let row: Option<(i64, i64, String, i64, bool, bool)> = sqlx::query_as(
            "SELECT sl.starts_at, sl.ends_at, sl.status, d.clinic_id, \
             EXISTS (SELECT 1 FROM doctor_service ds WHERE ds.doctor_id = sl.doctor_id AND ds.service_id = $2), \
             EXISTS (SELECT 1 FROM kiosk_slot k WHERE k.slot_id = sl.id) \
             FROM slot sl JOIN doctor d ON d.id = sl.doctor_id WHERE sl.id = $1",
        )
        .bind($slot_id)
        .bind($service_id)
        .fetch_optional(&mut *$tx)
        .await?;
        row.map(|(starts_at, ends_at, state, clinic_id, offers_service, kiosk_kept)| {
            $crate::store::booking::slot_facts(starts_at, ends_at, &state, clinic_id, offers_service, kiosk_kept)
        })
        .transpose()
    }};
}
pub(super) use slot_facts_in;

/// Reads inside `$tx` the patient's booked appointments that have not ended
/// by `$now`, but for appointment `$except` (`0` for none): a `Vec<Held>`.
macro_rules! held_in {
    ($tx:expr, $patient_id:expr, $now:expr, $except:expr) => {{
        let rows: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT ticket, starts_at, ends_at, service_id, clinic_id FROM appointment \
             WHERE patient_id = $1 AND status = 'booked' AND ends_at > $2 AND id <> $3",
        )
        .bind($patient_id)
        .bind($now)
        .bind($except)
        .fetch_all(&mut *$tx)
        .await?;
        rows.into_iter()
            .map(|(ticket, starts_at, ends_at, service_id, clinic_id)| $crate::store::rules::Held { ticket, starts_at, ends_at, service_id, clinic_id })
            .collect::<Vec<_>>()
    }};
}
pub(super) use held_in;

/// Gives slot `$slot_id` back to everyone inside `$tx`, with a new version
/// for the sync feed.
macro_rules! free_slot_in {
    ($tx:expr, $dialect:expr, $slot_id:expr) => {{
        sqlx::query(&format!("UPDATE slot SET status = 'free', version = {} WHERE id = $1 AND status = 'busy'", $dialect.next_version()))
            .bind($slot_id)
            .execute(&mut *$tx)
            .await?;
    }};
}
pub(super) use free_slot_in;

/// Everything a booking needs besides the store.
#[derive(Debug, Clone)]
pub struct BookingInput {
    /// Who books, and for whom: the channel comes from this, never from the body.
    pub booker: Booker,
    pub request: BookingRequest,
    /// The client's `Idempotency-Key`; a retry with the same key returns the
    /// same appointment.
    pub idempotency_key: String,
    /// A digest of the request body, to refuse a reused key with a new body.
    pub request_hash: String,
    /// Unix seconds; passed in so tests control the clock.
    pub now: i64,
}

/// Who books, as the credential of the request says.
#[derive(Clone)]
pub enum Booker {
    /// A patient booking for themselves over the internet, by the bearer
    /// token they sent; the token is checked in the booking's transaction.
    Patient { token: String },
    /// A staff member booking at the desk for a patient they found; the
    /// patient gave their consent to them in person.
    Staff { staff: StaffMember, patient_id: i64 },
    /// A patient identified at a kiosk by policy and birth date, booking
    /// there; the kiosk's visit was checked before the booking was queued.
    Kiosk { kiosk: Kiosk, patient_id: i64 },
}

impl Booker {
    /// The actor the rules see.
    pub fn actor(&self) -> Actor {
        match self {
            Booker::Patient { .. } => Actor::patient(),
            Booker::Staff { staff, .. } => Actor::desk(staff.clinics()),
            Booker::Kiosk { kiosk, .. } => Actor::kiosk(kiosk.clinics.clone()),
        }
    }

    fn token(&self) -> Option<&str> {
        match self {
            Booker::Patient { token } => Some(token),
            Booker::Staff { .. } | Booker::Kiosk { .. } => None,
        }
    }

    fn known_patient(&self) -> Option<i64> {
        match self {
            Booker::Patient { .. } => None,
            Booker::Staff { patient_id, .. } | Booker::Kiosk { patient_id, .. } => Some(*patient_id),
        }
    }

    fn staff_id(&self) -> Option<i64> {
        match self {
            Booker::Patient { .. } | Booker::Kiosk { .. } => None,
            Booker::Staff { staff, .. } => Some(staff.id),
        }
    }

    /// The audit record of a booking this staff member made at `clinic_id`.
    fn audit(&self, clinic_id: i64, patient_id: i64, appointment_id: i64, at: i64) -> Option<AuditRecord> {
        match self {
            Booker::Patient { .. } | Booker::Kiosk { .. } => None,
            Booker::Staff { staff, .. } => Some(AuditRecord {
                at,
                staff_id: staff.id,
                grant: staff.at(clinic_id)?,
                action: AuditAction::Book,
                patient_id: Some(patient_id),
                appointment_id: Some(appointment_id),
            }),
        }
    }
}

impl Booker {
    /// The kiosk's audit record of a booking made there.
    fn kiosk_audit(&self, patient_id: i64, appointment_id: i64, at: i64) -> Option<KioskAuditRecord> {
        match self {
            Booker::Kiosk { kiosk, .. } => Some(KioskAuditRecord {
                at,
                device_id: kiosk.id,
                action: KioskAction::Book,
                outcome: "booked",
                patient_id: Some(patient_id),
                appointment_id: Some(appointment_id),
            }),
            Booker::Patient { .. } | Booker::Staff { .. } => None,
        }
    }
}

impl std::fmt::Debug for Booker {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token is a credential: never printed.
        match self {
            Booker::Patient { .. } => formatter.write_str("Booker::Patient { token: <redacted> }"),
            Booker::Staff { staff, .. } => formatter.debug_struct("Booker::Staff").field("staff_id", &staff.id).finish_non_exhaustive(),
            Booker::Kiosk { kiosk, .. } => formatter.debug_struct("Booker::Kiosk").field("device_id", &kiosk.id).finish_non_exhaustive(),
        }
    }
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
    moved_at: Option<i64>,
}

impl Store {
    /// Books a slot for a patient: every rule checked, and the slot claimed
    /// with a single conditional update, in one transaction with the other
    /// bookings of its group; answered once that transaction has committed.
    pub async fn book(&self, input: &BookingInput) -> Result<Booked, Error> {
        match self {
            Store::Sqlite { bookings, .. } => {
                let (patient_id, appointment_id, replayed) = bookings.submit(input.clone()).await?;
                let appointment = self
                    .appointment(patient_id, appointment_id)
                    .await?
                    .ok_or_else(|| Error::Internal("a booked appointment vanished".to_owned()))?;
                Ok(Booked { appointment, replayed })
            }
            #[cfg(feature = "postgres")]
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
                free_slot_in!(tx, dialect, slot_id);
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

    /// An appointment at one of the clinics `staff` works at; `None` when it
    /// does not exist or is another clinic's.
    pub async fn appointment_for_staff(&self, appointment_id: i64, staff: &StaffMember) -> Result<Option<Appointment>, Error> {
        on_read!(self, |pool, dialect| {
            let row: Option<AppointmentRow> = sqlx::query_as("SELECT * FROM appointment_ticket WHERE id = $1")
                .bind(appointment_id)
                .fetch_optional(pool)
                .await?;
            row.filter(|row| staff.at(row.clinic_id).is_some()).map(appointment_from_row).transpose()
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

/// SQLite's bookings, each answered with the patient, the appointment's id
/// and whether it was a replay; the request reads the ticket afterwards,
/// off the one writer.
pub type SqliteBookings = GroupQueue<BookingInput, Result<(i64, i64, bool), Error>>;

/// PostgreSQL's bookings, each answered with the booked appointment.
#[cfg(feature = "postgres")]
pub type PgBookings = GroupQueue<BookingInput, Result<Booked, Error>>;

/// SQLite has one writer, and with `synchronous=FULL` each commit waits for
/// the disk: committing each booking on its own held the server to one
/// booking a flush (610–900 a second with half the CPU idle). Its one writer
/// books every booking that queued meanwhile in one transaction. No answer
/// leaves before the commit, so an acknowledged booking is still on disk
/// after a crash. A refusal changes nothing and leaves the group be; a
/// failure (the database's, or no free ticket number) undoes the whole
/// group, whose bookings are then booked one by one, so one booking's
/// failure is only its own. Failing the group rather than one savepoint also
/// covers the errors after which SQLite rolls the transaction back by itself.
pub(super) fn sqlite_bookings(write: SqlitePool) -> SqliteBookings {
    GroupQueue::start(1, GROUP_LIMIT, move |group: Arc<[BookingInput]>| {
        let write = write.clone();
        async move { book_group_sqlite(&write, &group).await }
    })
}

/// PostgreSQL books a group in one transaction of four statements whatever
/// its size: who the tokens belong to and the group's locks, the facts, the
/// claims with their appointments, and the tickets. Several groups run side
/// by side, one per writer, in as many connections; each takes its locks in
/// an order that keeps them from waiting on each other in a circle. If a
/// group fails as a whole (the database gave up on the transaction), its
/// bookings are booked again one by one, so one booking's failure is only
/// its own.
#[cfg(feature = "postgres")]
pub(super) fn pg_bookings(pool: PgPool, writers: usize) -> PgBookings {
    GroupQueue::start(writers, GROUP_LIMIT, move |group: Arc<[BookingInput]>| {
        let pool = pool.clone();
        async move { postgres::book_group_pg(&pool, &group).await }
    })
}

/// The rules' view of each booking of a group, once its patients are known
/// (`0` for a token that belongs to nobody; its facts then say so).
fn asks<'a>(group: &'a [BookingInput], actors: &'a [Actor], patients: &[Option<i64>]) -> Vec<Ask<'a>> {
    group
        .iter()
        .zip(actors)
        .zip(patients)
        .map(|((input, actor), patient)| Ask {
            actor,
            patient_id: patient.unwrap_or_default(),
            slot_id: input.request.slot_id,
            service_id: input.request.service_id,
            consent_version: &input.request.consent_version,
            idempotency_key: &input.idempotency_key,
            request_hash: &input.request_hash,
            now: input.now,
        })
        .collect()
}

/// Each booking's answer once the group's planned bookings are written
/// (`written[i]`: booking `i`'s new appointment id and ticket): the
/// appointment to answer and whether it was a replay, or the refusal.
fn answers(group: &[BookingInput], decisions: Vec<Decision>, written: &[Option<(i64, i64)>]) -> Vec<Result<(i64, bool), Error>> {
    let tickets: Vec<Option<i64>> = written.iter().map(|written| written.map(|(_, ticket)| ticket)).collect();
    decisions
        .into_iter()
        .enumerate()
        .map(|(index, decision)| match decision.with_group_tickets(&tickets) {
            Decision::Planned(Plan::Book { .. }) => match written[index] {
                Some((appointment_id, _)) => Ok((appointment_id, false)),
                // Only a slot claimed under our own lock could be missing,
                // which the lock rules out; refused as taken all the same.
                None => Err(Error::Refused(Refusal::SlotTaken)),
            },
            Decision::Planned(Plan::Replay { appointment_id }) => Ok((appointment_id, true)),
            Decision::Planned(Plan::ReplayOfGroupItem { index: first }) => written[first]
                .map(|(appointment_id, _)| (appointment_id, true))
                .ok_or(Error::Refused(Refusal::SlotTaken)),
            Decision::Refused(refusal) => Err(Error::Refused(refusal)),
            Decision::ClashesWithGroupItem { .. } => Err(Error::Internal("a clash in the group was left unresolved".to_owned())),
            // A patient's token that names nobody is no sign-in; the patient
            // a registrar picked is one who is not there.
            Decision::UnknownPatient => match group[index].booker {
                Booker::Patient { .. } => Err(Error::Unauthorized),
                Booker::Staff { .. } => Err(Error::NotFound("пациент")),
                Booker::Kiosk { .. } => Err(Error::VisitEnded),
            },
        })
        .collect()
}

/// The SQLite writer's group: the facts of each booking read in turn, the
/// rules decided for all of them, then each planned booking written; all in
/// one transaction, which the single writer makes race-free.
async fn book_group_sqlite(pool: &SqlitePool, group: &[BookingInput]) -> GroupOutcome<(i64, i64, bool)> {
    let mut tx = pool.begin().await?;
    let mut patients = Vec::with_capacity(group.len());
    let mut facts = Vec::with_capacity(group.len());
    let current_consent: Option<String> =
        sqlx::query_scalar("SELECT version FROM consent ORDER BY published_at DESC, version DESC LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?;
    for input in group {
        let patient = match (input.booker.token(), input.booker.known_patient()) {
            (_, Some(patient_id)) => Some(patient_id),
            (Some(token), None) => sqlx::query_scalar(
                "SELECT patient_id FROM access_token WHERE token_hash = $1 AND expires_at > $2",
            )
            .bind(token_hash(token))
            .bind(input.now)
            .fetch_optional(&mut *tx)
            .await?,
            (None, None) => None,
        };
        let mut these = Facts { current_consent: current_consent.clone(), ..Facts::default() };
        if let Some(patient_id) = patient {
            read_facts_sqlite(&mut tx, patient_id, input, &mut these).await?;
        }
        patients.push(patient);
        facts.push(these);
    }
    let actors: Vec<Actor> = group.iter().map(|input| input.booker.actor()).collect();
    let decisions = decide_group(&asks(group, &actors, &patients), &facts);
    let mut written = Vec::with_capacity(group.len());
    for ((((input, actor), patient), decision), these) in group.iter().zip(&actors).zip(&patients).zip(&decisions).zip(&facts) {
        written.push(match (decision, patient) {
            (Decision::Planned(Plan::Book { clinic_id, starts_at, ends_at }), Some(patient_id)) => {
                let planned = Planned { patient_id: *patient_id, clinic_id: *clinic_id, starts_at: *starts_at, ends_at: *ends_at };
                let written = claim_and_insert_sqlite(&mut tx, &planned, input, actor, actor.may_claim_reserved_in(these)).await?;
                if let Some(record) = written.and_then(|(id, _)| input.booker.audit(*clinic_id, *patient_id, id, input.now)) {
                    audit_in!(tx, record);
                }
                if let Some(record) = written.and_then(|(id, _)| input.booker.kiosk_audit(*patient_id, id, input.now)) {
                    kiosk_audit_in!(tx, record);
                }
                written
            }
            _ => None,
        });
    }
    tx.commit().await?;
    Ok(answers(group, decisions, &written)
        .into_iter()
        .zip(&patients)
        .map(|(answer, patient)| answer.map(|(appointment_id, replayed)| (patient.unwrap_or_default(), appointment_id, replayed)))
        .collect())
}

/// The facts of one SQLite booking: the patient, an earlier booking with the
/// same key, the slot, and the patient's appointments still ahead.
async fn read_facts_sqlite(tx: &mut SqliteConnection, patient_id: i64, input: &BookingInput, facts: &mut Facts) -> Result<(), Error> {
    let booker: Option<(bool, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT p.confirmed, earlier.id, earlier.request_hash FROM patient p \
         LEFT JOIN appointment earlier ON earlier.patient_id = p.id AND earlier.idempotency_key = $2 WHERE p.id = $1",
    )
    .bind(patient_id)
    .bind(&input.idempotency_key)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((confirmed, earlier_id, earlier_hash)) = booker else {
        return Ok(());
    };
    facts.confirmed = Some(confirmed);
    facts.earlier = earlier_id.zip(earlier_hash);
    facts.slot = slot_facts_in!(tx, input.request.slot_id, input.request.service_id)?;
    facts.held = held_in!(tx, patient_id, input.now, 0_i64);
    Ok(())
}

pub(super) fn slot_facts(starts_at: i64, ends_at: i64, state: &str, clinic_id: i64, offers_service: bool, kiosk_kept: bool) -> Result<SlotFacts, Error> {
    let state = SlotState::from_db(state).ok_or_else(|| Error::Internal(format!("a slot has status {state:?}")))?;
    Ok(SlotFacts { starts_at, ends_at, state, clinic_id, offers_service, kiosk_kept })
}

/// A booking the rules let through, with what its appointment row needs.
#[derive(Debug, Clone, Copy)]
struct Planned {
    patient_id: i64,
    clinic_id: i64,
    starts_at: i64,
    ends_at: i64,
}

/// The claim and the appointment's row: the only writes of a booking.
/// Answers the appointment's id and ticket, or `None` if the slot was not
/// free after all (nothing written then).
async fn claim_and_insert_sqlite(
    tx: &mut SqliteConnection,
    planned: &Planned,
    input: &BookingInput,
    actor: &Actor,
    may_claim_reserved: bool,
) -> Result<Option<(i64, i64)>, Error> {
    let request = &input.request;
    // The claim: exactly one of any number of concurrent requests finds the
    // slot still free. A reserved slot is claimed only by the actors the
    // rules let book it.
    let claimed = sqlx::query(&format!(
        "UPDATE slot SET status = 'busy', version = {} \
         WHERE id = $1 AND (status = 'free' OR (status = 'unavailable' AND $2))",
        Dialect::Sqlite.next_version()
    ))
    .bind(request.slot_id)
    .bind(may_claim_reserved)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed != 1 {
        return Ok(None);
    }

    let phone = request.phone.as_ref().map(Phone::as_str);
    for ticket in tickets() {
        let appointment_id = sqlx::query_scalar(
            "INSERT INTO appointment (ticket, patient_id, slot_id, service_id, clinic_id, starts_at, ends_at, \
             status, channel, consent_version, consented_at, phone, created_at, idempotency_key, request_hash, consent_taken_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'booked', $8, $9, $10, $11, $10, $12, $13, $14) \
             ON CONFLICT (ticket) DO NOTHING RETURNING id",
        )
        .bind(ticket)
        .bind(planned.patient_id)
        .bind(request.slot_id)
        .bind(request.service_id)
        .bind(planned.clinic_id)
        .bind(planned.starts_at)
        .bind(planned.ends_at)
        .bind(actor.channel.as_str())
        .bind(&request.consent_version)
        .bind(input.now)
        .bind(phone)
        .bind(&input.idempotency_key)
        .bind(&input.request_hash)
        .bind(input.booker.staff_id())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(appointment_id) = appointment_id {
            return Ok(Some((appointment_id, ticket)));
        }
    }
    Err(Error::Internal("no free ticket number after several tries".to_owned()))
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
        moved_at: row.moved_at.map(|at| clinic_instant(at, zone)),
    })
}
