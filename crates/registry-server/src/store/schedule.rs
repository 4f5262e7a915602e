//! Doctors' schedules: slots in a time range.

use registratura_contract::api::SlotStatus;
use registratura_contract::schedule::SlotRow;

use super::{on_read, Store};
use crate::Error;

/// A row of the slots query: a slot of the day, or nulls when the doctor
/// offers the service and the day has no slots.
#[derive(Debug, sqlx::FromRow)]
struct OfferedSlot {
    id: Option<i64>,
    starts_at: Option<i64>,
    ends_at: Option<i64>,
    status: Option<String>,
}

impl Store {
    /// A doctor's slots starting in `[from, to)` (Unix seconds), by start,
    /// when the doctor offers `service_id`; `None` when the doctor does not
    /// (or there is no such doctor: `doctor_offers` tells which). One query
    /// whatever the day holds: the offer is the join's left side, so a day
    /// without slots is one row of nulls rather than a second query.
    pub async fn slots(&self, doctor_id: i64, service_id: i64, from: i64, to: i64) -> Result<Option<Vec<SlotRow>>, Error> {
        on_read!(self, |pool, dialect| {
            let rows: Vec<OfferedSlot> = sqlx::query_as(
                "SELECT sl.id, sl.starts_at, sl.ends_at, sl.status FROM doctor_service ds \
                 LEFT JOIN slot sl ON sl.doctor_id = ds.doctor_id AND sl.starts_at >= $2 AND sl.starts_at < $3 \
                 WHERE ds.doctor_id = $1 AND ds.service_id = $4 \
                 ORDER BY sl.starts_at",
            )
            .bind(doctor_id)
            .bind(from)
            .bind(to)
            .bind(service_id)
            .fetch_all(pool)
            .await?;
            if rows.is_empty() {
                return Ok(None);
            }
            rows.into_iter()
                .filter_map(|row| Some((row.id?, row.starts_at?, row.ends_at?, row.status?)))
                .map(|(id, starts_at, ends_at, status)| {
                    let status = SlotStatus::from_db(&status)
                        .ok_or_else(|| Error::Internal(format!("slot {id} has status {status:?}")))?;
                    Ok(SlotRow { id, starts_at, ends_at, status })
                })
                .collect::<Result<Vec<_>, Error>>()
                .map(Some)
        })
    }
}
