//! Moving an appointment to another time: by the desk for a patient at the
//! window, or by the patient from «Записи на приём». One transaction: the
//! booking rules checked for the new slot as if the appointment were not
//! there, the new slot claimed, the appointment pointed at it, the old slot
//! freed, and the history (and a desk's audit) written — or nothing changes.

use super::booking::{free_slot_in, held_in, slot_facts_in};
use super::desk::event_in;
use super::rules::{decide_group, Actor, Ask, Decision, Facts, Plan, Refusal};
use super::staff::{audit_in, AuditAction, AuditRecord, StaffMember};
use super::{on_write, Dialect, Store};
use crate::Error;

/// Who moves the appointment, as the credential says.
#[derive(Debug, Clone, Copy)]
pub enum Mover<'a> {
    /// A registrar, within their clinics.
    Staff(&'a StaffMember),
    /// The patient the appointment is for, online.
    Patient(i64),
}

impl Mover<'_> {
    fn actor(&self) -> Actor {
        match self {
            Mover::Staff(staff) => Actor::desk(staff.clinics()),
            Mover::Patient(_) => Actor::patient(),
        }
    }

    fn staff_id(&self) -> Option<i64> {
        match self {
            Mover::Staff(staff) => Some(staff.id),
            Mover::Patient(_) => None,
        }
    }
}

/// What a move reads of the appointment and its patient.
#[derive(Debug, sqlx::FromRow)]
struct MovedRow {
    patient_id: i64,
    slot_id: i64,
    service_id: i64,
    clinic_id: i64,
    starts_at: i64,
    status: String,
    consent_version: String,
    confirmed: bool,
}

impl Store {
    /// Moves an appointment to `new_slot_id`, for `service_id` or the same
    /// service. Another clinic's appointment (for staff) or another
    /// patient's (for a patient) is not found.
    pub async fn move_appointment(&self, appointment_id: i64, new_slot_id: i64, service_id: Option<i64>, mover: Mover<'_>, now: i64) -> Result<(), Error> {
        let actor = mover.actor();
        let staff_id = mover.staff_id();
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            let row: Option<MovedRow> = sqlx::query_as(
                "SELECT a.patient_id, a.slot_id, a.service_id, a.clinic_id, a.starts_at, a.status, a.consent_version, p.confirmed \
                 FROM appointment a JOIN patient p ON p.id = a.patient_id WHERE a.id = $1",
            )
            .bind(appointment_id)
            .fetch_optional(&mut *tx)
            .await?;
            let row = row.ok_or(Error::NotFound("запись"))?;
            let grant = match mover {
                Mover::Staff(staff) => Some(staff.at(row.clinic_id).ok_or(Error::NotFound("запись"))?),
                Mover::Patient(patient_id) if patient_id == row.patient_id => None,
                Mover::Patient(_) => return Err(Error::NotFound("запись")),
            };
            if row.status != "booked" {
                return Err(Error::NotActive);
            }
            if row.starts_at <= now {
                return Err(Error::TooLateToCancel);
            }
            if dialect == Dialect::Postgres {
                // The same order of locks as a booking group's: the patient,
                // then the slots by id.
                sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(row.patient_id).execute(&mut *tx).await?;
                sqlx::query("SELECT id FROM slot WHERE id IN ($1, $2) ORDER BY id FOR NO KEY UPDATE")
                    .bind(row.slot_id)
                    .bind(new_slot_id)
                    .execute(&mut *tx)
                    .await?;
            }
            let service_id = service_id.unwrap_or(row.service_id);
            let consent = row.consent_version.clone();
            // The rules of a booking, with the appointment's own consent
            // (a move is no new agreement) and without the appointment itself.
            let facts = Facts {
                confirmed: Some(row.confirmed),
                earlier: None,
                current_consent: Some(consent.clone()),
                slot: slot_facts_in!(tx, new_slot_id, service_id)?,
                held: held_in!(tx, row.patient_id, now, appointment_id),
            };
            let ask = Ask {
                actor: &actor,
                patient_id: row.patient_id,
                slot_id: new_slot_id,
                service_id,
                consent_version: &consent,
                idempotency_key: "",
                request_hash: "",
                now,
            };
            let (clinic_id, starts_at, ends_at) = match decide_group(std::slice::from_ref(&ask), std::slice::from_ref(&facts)).remove(0) {
                Decision::Planned(Plan::Book { clinic_id, starts_at, ends_at }) => (clinic_id, starts_at, ends_at),
                Decision::Refused(refusal) => return Err(Error::Refused(refusal)),
                other => return Err(Error::Internal(format!("a move was decided as {other:?}"))),
            };
            let claimed = sqlx::query(&format!(
                "UPDATE slot SET status = 'busy', version = {} WHERE id = $1 AND (status = 'free' OR (status = 'unavailable' AND $2))",
                dialect.next_version()
            ))
            .bind(new_slot_id)
            .bind(actor.may_claim_reserved_in(&facts))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed != 1 {
                return Err(Error::Refused(Refusal::SlotTaken));
            }
            // Read before the locks were taken: cancelled since, it is not moved
            // (and the claim above is undone with the transaction).
            let moved = sqlx::query(
                "UPDATE appointment SET slot_id = $2, service_id = $3, clinic_id = $4, starts_at = $5, ends_at = $6, arrived_at = NULL \
                 WHERE id = $1 AND status = 'booked'",
            )
            .bind(appointment_id)
            .bind(new_slot_id)
            .bind(service_id)
            .bind(clinic_id)
            .bind(starts_at)
            .bind(ends_at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if moved != 1 {
                return Err(Error::NotActive);
            }
            free_slot_in!(tx, dialect, row.slot_id);
            event_in!(tx, appointment_id, now, "moved", Some(row.slot_id), Some(new_slot_id), staff_id);
            if let (Some(grant), Some(staff_id)) = (grant, staff_id) {
                audit_in!(tx, AuditRecord { at: now, staff_id, grant, action: AuditAction::Move, patient_id: Some(row.patient_id), appointment_id: Some(appointment_id) });
            }
            tx.commit().await?;
            Ok(())
        })
    }
}
