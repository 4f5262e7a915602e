//! Doctors' schedules: slots in a time range.

use registratura_core::api::SlotStatus;
use registratura_core::schedule::SlotRow;

use super::{on_read, Store};
use crate::Error;

impl Store {
    /// A doctor's slots starting in `[from, to)` (Unix seconds), by start,
    /// when the doctor offers `service_id`; none otherwise. One query on the
    /// hot path: the caller asks why only when the answer is empty.
    pub async fn slots(&self, doctor_id: i64, service_id: i64, from: i64, to: i64) -> Result<Vec<SlotRow>, Error> {
        on_read!(self, |pool, dialect| {
            let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(
                "SELECT id, starts_at, ends_at, status FROM slot \
                 WHERE doctor_id = $1 AND starts_at >= $2 AND starts_at < $3 \
                 AND EXISTS (SELECT 1 FROM doctor_service WHERE doctor_id = $1 AND service_id = $4) \
                 ORDER BY starts_at",
            )
            .bind(doctor_id)
            .bind(from)
            .bind(to)
            .bind(service_id)
            .fetch_all(pool)
            .await?;
            rows.into_iter()
                .map(|(id, starts_at, ends_at, status)| {
                    let status = SlotStatus::from_db(&status)
                        .ok_or_else(|| Error::Internal(format!("slot {id} has status {status:?}")))?;
                    Ok(SlotRow { id, starts_at, ends_at, status })
                })
                .collect()
        })
    }
}
