//! PostgreSQL's booking of a group: four statements whatever the group's
//! size (locks, facts, claims with their appointments, tickets). SQLite's
//! one writer books in `super`; the rules both ask are in `store/rules.rs`.

use sqlx::postgres::PgRow;
use sqlx::{PgPool, Row};

use super::*;
use crate::store::rules::Held;

/// Who each token belongs to, and the group's locks, in one statement: every
/// patient's advisory lock in the order of their ids (one patient's bookings
/// are checked one after another, without writing to the patient's row),
/// then every slot's row lock in the order of the slots' ids, so the facts
/// read next cannot change before the group commits. Groups side by side
/// take patients before slots and each in ascending order, so they never
/// wait on each other in a circle. The one-time filter makes the slot locks
/// wait for the patient locks; the slots are found by the array of ids
/// itself, since a generic plan for ids from the CTE may scan every slot.
const LOCK_GROUP: &str = "\
WITH asked AS ( \
    SELECT a.item, COALESCE(a.patient_id, t.patient_id) AS patient_id, a.slot_id \
    FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) WITH ORDINALITY AS a (token_hash, patient_id, slot_id, now, item) \
    LEFT JOIN access_token t ON t.token_hash = a.token_hash AND t.expires_at > a.now \
), patients_locked AS ( \
    SELECT count(*) AS n FROM ( \
        SELECT pg_advisory_xact_lock(p.patient_id) FROM \
            (SELECT DISTINCT patient_id FROM asked WHERE patient_id IS NOT NULL ORDER BY patient_id) p \
    ) locks \
), slots_locked AS ( \
    SELECT sl.id FROM slot sl \
    WHERE sl.id = ANY($3) AND (SELECT n FROM patients_locked) >= 0 \
    ORDER BY sl.id FOR NO KEY UPDATE \
) \
SELECT asked.item, asked.patient_id, (SELECT count(*) FROM slots_locked) AS slots FROM asked ORDER BY asked.item";

/// Every booking's facts in one statement, read after the locks so that
/// they include whatever the groups before committed. The patient's own
/// appointments are read behind a fence (`OFFSET 0`): with the whole
/// condition in view, the planner combined the patient's index with every
/// booked appointment of the region (the partial index on booked slots),
/// 0.7 ms a booking and growing with the region's bookings.
const GROUP_FACTS: &str = "\
SELECT a.item, p.confirmed, e.id AS earlier_id, e.request_hash AS earlier_hash, \
    (SELECT c.version FROM consent c ORDER BY c.published_at DESC, c.version DESC LIMIT 1) AS current_consent, \
    sl.starts_at, sl.ends_at, sl.status, d.clinic_id, \
    EXISTS (SELECT 1 FROM doctor_service ds WHERE ds.doctor_id = sl.doctor_id AND ds.service_id = a.service_id) AS offers_service, \
    EXISTS (SELECT 1 FROM kiosk_slot k WHERE k.slot_id = sl.id) AS kiosk_kept, \
    h.tickets, h.starts, h.ends, h.services, h.clinics \
FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[]) WITH ORDINALITY AS a (patient_id, slot_id, service_id, idempotency_key, now, item) \
LEFT JOIN patient p ON p.id = a.patient_id \
LEFT JOIN appointment e ON e.patient_id = a.patient_id AND e.idempotency_key = a.idempotency_key \
LEFT JOIN slot sl ON sl.id = a.slot_id \
LEFT JOIN doctor d ON d.id = sl.doctor_id \
LEFT JOIN LATERAL ( \
    SELECT array_agg(m.ticket) AS tickets, array_agg(m.starts_at) AS starts, array_agg(m.ends_at) AS ends, \
           array_agg(m.service_id) AS services, array_agg(m.clinic_id) AS clinics \
    FROM (SELECT * FROM appointment x WHERE x.patient_id = a.patient_id OFFSET 0) m \
    WHERE m.status = 'booked' AND m.ends_at > a.now \
) h ON TRUE \
ORDER BY a.item";

/// The appointments of a group's planned bookings, `$1`–`$15` one array
/// each; answers the id, slot and ticket of each row written. A ticket
/// number already taken writes nothing for that booking, which is then
/// written again with another number.
const INSERT_PLANNED: &str = "\
INSERT INTO appointment (ticket, patient_id, slot_id, service_id, clinic_id, starts_at, ends_at, status, channel, \
    consent_version, consented_at, phone, created_at, idempotency_key, request_hash, consent_taken_by) \
SELECT p.ticket, p.patient_id, p.slot_id, p.service_id, p.clinic_id, p.starts_at, p.ends_at, 'booked', p.channel, \
    p.consent_version, p.now, p.phone, p.now, p.idempotency_key, p.request_hash, p.consent_taken_by \
FROM planned p";

/// The planned bookings as a table.
const PLANNED: &str = "\
planned AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], \
    $7::bigint[], $8::text[], $9::text[], $10::bigint[], $11::text[], $12::text[], $13::text[], $14::bigint[], $15::boolean[]) \
    AS p (ticket, patient_id, slot_id, service_id, clinic_id, starts_at, ends_at, channel, consent_version, now, phone, \
          idempotency_key, request_hash, consent_taken_by, may_claim_reserved))";

pub(super) async fn book_group_pg(pool: &PgPool, group: &[BookingInput]) -> GroupOutcome<Booked> {
    let mut tx = pool.begin().await?;

    let rows = sqlx::query(LOCK_GROUP)
        .bind(group.iter().map(|input| input.booker.token().map(token_hash)).collect::<Vec<Option<String>>>())
        .bind(group.iter().map(|input| input.booker.known_patient()).collect::<Vec<Option<i64>>>())
        .bind(group.iter().map(|input| input.request.slot_id).collect::<Vec<i64>>())
        .bind(group.iter().map(|input| input.now).collect::<Vec<i64>>())
        .fetch_all(&mut *tx)
        .await?;
    let patients: Vec<Option<i64>> = rows.iter().map(|row| row.try_get("patient_id")).collect::<Result<_, _>>()?;
    if patients.len() != group.len() {
        return Err(Error::Internal(format!("the group's locks answered {} of {} bookings", patients.len(), group.len())));
    }

    let rows = sqlx::query(GROUP_FACTS)
        .bind(&patients)
        .bind(group.iter().map(|input| input.request.slot_id).collect::<Vec<i64>>())
        .bind(group.iter().map(|input| input.request.service_id).collect::<Vec<i64>>())
        .bind(group.iter().map(|input| input.idempotency_key.clone()).collect::<Vec<String>>())
        .bind(group.iter().map(|input| input.now).collect::<Vec<i64>>())
        .fetch_all(&mut *tx)
        .await?;
    let facts: Vec<Facts> = rows.iter().map(facts_from_row).collect::<Result<_, _>>()?;

    let actors: Vec<Actor> = group.iter().map(|input| input.booker.actor()).collect();
    let decisions = decide_group(&asks(group, &actors, &patients), &facts);
    let planned: Vec<(usize, Planned)> = decisions
        .iter()
        .enumerate()
        .filter_map(|(index, decision)| match (decision, patients[index]) {
            (Decision::Planned(Plan::Book { clinic_id, starts_at, ends_at }), Some(patient_id)) => {
                Some((index, Planned { patient_id, clinic_id: *clinic_id, starts_at: *starts_at, ends_at: *ends_at }))
            }
            _ => None,
        })
        .collect();
    let may_claim_reserved: Vec<bool> = actors.iter().zip(&facts).map(|(actor, facts)| actor.may_claim_reserved_in(facts)).collect();
    let written = write_planned_pg(&mut tx, group, &actors, &may_claim_reserved, &planned).await?;
    // A desk's bookings are audited in their own transaction; a patient's
    // own bookings are not staff actions.
    for (index, planned) in &planned {
        let record = written[*index].and_then(|(id, _)| group[*index].booker.audit(planned.clinic_id, planned.patient_id, id, group[*index].now));
        if let Some(record) = record {
            audit_in!(tx, record);
        }
        if let Some(record) = written[*index].and_then(|(id, _)| group[*index].booker.kiosk_audit(planned.patient_id, id, group[*index].now)) {
            kiosk_audit_in!(tx, record);
        }
    }

    let answers = answers(group, decisions, &written);
    let ids: Vec<i64> = answers.iter().filter_map(|answer| answer.as_ref().ok().map(|(id, _)| *id)).collect();
    let rows: Vec<AppointmentRow> = sqlx::query_as("SELECT * FROM appointment_ticket WHERE id = ANY($1)")
        .bind(&ids)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;

    let mut appointments: std::collections::HashMap<i64, Appointment> = std::collections::HashMap::with_capacity(rows.len());
    for row in rows {
        appointments.insert(row.id, appointment_from_row(row)?);
    }
    Ok(answers
        .into_iter()
        .map(|answer| {
            let (id, replayed) = answer?;
            let appointment = appointments.get(&id).cloned().ok_or_else(|| Error::Internal(format!("appointment {id} was not read back")))?;
            Ok(Booked { appointment, replayed })
        })
        .collect())
}

fn facts_from_row(row: &PgRow) -> Result<Facts, Error> {
    let slot = match row.try_get::<Option<i64>, _>("starts_at")? {
        Some(starts_at) => Some(slot_facts(
            starts_at,
            row.try_get("ends_at")?,
            &row.try_get::<String, _>("status")?,
            row.try_get("clinic_id")?,
            row.try_get("offers_service")?,
            row.try_get("kiosk_kept")?,
        )?),
        None => None,
    };
    let column = |name: &str| -> Result<Vec<i64>, Error> { Ok(row.try_get::<Option<Vec<i64>>, _>(name)?.unwrap_or_default()) };
    let (tickets, starts, ends, services, clinics) = (column("tickets")?, column("starts")?, column("ends")?, column("services")?, column("clinics")?);
    let held = (0..tickets.len())
        .map(|i| Held { ticket: tickets[i], starts_at: starts[i], ends_at: ends[i], service_id: services[i], clinic_id: clinics[i] })
        .collect();
    let earlier_id: Option<i64> = row.try_get("earlier_id")?;
    let earlier_hash: Option<String> = row.try_get("earlier_hash")?;
    Ok(Facts {
        confirmed: row.try_get("confirmed")?,
        earlier: earlier_id.zip(earlier_hash),
        current_consent: row.try_get("current_consent")?,
        slot,
        held,
    })
}

/// Claims the planned slots and writes their appointments: one statement,
/// and one more for each round of ticket numbers that were already taken.
/// Answers, for each booking of the group, its appointment's id and ticket.
async fn write_planned_pg(
    tx: &mut sqlx::PgConnection,
    group: &[BookingInput],
    actors: &[Actor],
    may_claim_reserved: &[bool],
    planned: &[(usize, Planned)],
) -> Result<Vec<Option<(i64, i64)>>, Error> {
    let mut written: Vec<Option<(i64, i64)>> = vec![None; group.len()];
    if planned.is_empty() {
        return Ok(written);
    }
    let claim = format!(
        "WITH {PLANNED}, claimed AS ( \
            UPDATE slot SET status = 'busy', version = {} FROM planned p \
            WHERE slot.id = p.slot_id AND (slot.status = 'free' OR (slot.status = 'unavailable' AND p.may_claim_reserved)) \
            RETURNING slot.id) \
         {INSERT_PLANNED} JOIN claimed c ON c.id = p.slot_id ON CONFLICT (ticket) DO NOTHING RETURNING id, slot_id, ticket",
        Dialect::Postgres.next_version()
    );
    let again = format!("WITH {PLANNED} {INSERT_PLANNED} ON CONFLICT (ticket) DO NOTHING RETURNING id, slot_id, ticket");
    let mut waiting: Vec<(usize, Planned)> = planned.to_vec();
    for attempt in 0..TICKET_ATTEMPTS {
        let sql = if attempt == 0 { &claim } else { &again };
        let inputs: Vec<&BookingInput> = waiting.iter().map(|(index, _)| &group[*index]).collect();
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(sql)
            .bind(waiting.iter().map(|_| random_ticket()).collect::<Vec<i64>>())
            .bind(waiting.iter().map(|(_, p)| p.patient_id).collect::<Vec<i64>>())
            .bind(inputs.iter().map(|input| input.request.slot_id).collect::<Vec<i64>>())
            .bind(inputs.iter().map(|input| input.request.service_id).collect::<Vec<i64>>())
            .bind(waiting.iter().map(|(_, p)| p.clinic_id).collect::<Vec<i64>>())
            .bind(waiting.iter().map(|(_, p)| p.starts_at).collect::<Vec<i64>>())
            .bind(waiting.iter().map(|(_, p)| p.ends_at).collect::<Vec<i64>>())
            .bind(waiting.iter().map(|(index, _)| actors[*index].channel.as_str().to_owned()).collect::<Vec<String>>())
            .bind(inputs.iter().map(|input| input.request.consent_version.clone()).collect::<Vec<String>>())
            .bind(inputs.iter().map(|input| input.now).collect::<Vec<i64>>())
            .bind(inputs.iter().map(|input| input.request.phone.as_ref().map(|phone| phone.as_str().to_owned())).collect::<Vec<Option<String>>>())
            .bind(inputs.iter().map(|input| input.idempotency_key.clone()).collect::<Vec<String>>())
            .bind(inputs.iter().map(|input| input.request_hash.clone()).collect::<Vec<String>>())
            .bind(inputs.iter().map(|input| input.booker.staff_id()).collect::<Vec<Option<i64>>>())
            .bind(waiting.iter().map(|(index, _)| may_claim_reserved[*index]).collect::<Vec<bool>>())
            .fetch_all(&mut *tx)
            .await?;
        for (appointment_id, slot_id, ticket) in rows {
            if let Some(position) = waiting.iter().position(|(index, _)| group[*index].request.slot_id == slot_id) {
                let (index, _) = waiting.swap_remove(position);
                written[index] = Some((appointment_id, ticket));
            }
        }
        if waiting.is_empty() {
            return Ok(written);
        }
        if attempt == 0 {
            // A slot that was not claimed has no appointment to retry; only
            // ticket numbers already taken are tried again. Under the group's
            // slot locks every planned slot is claimed.
            let claimed: Vec<i64> = sqlx::query_scalar("SELECT id FROM slot WHERE id = ANY($1) AND status = 'busy'")
                .bind(waiting.iter().map(|(index, _)| group[*index].request.slot_id).collect::<Vec<i64>>())
                .fetch_all(&mut *tx)
                .await?;
            waiting.retain(|(index, _)| claimed.contains(&group[*index].request.slot_id));
            if waiting.is_empty() {
                return Ok(written);
            }
        }
    }
    Err(Error::Internal("no free ticket number after several tries".to_owned()))
}
