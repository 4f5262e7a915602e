//! Loading a generated region into an empty database.

use sqlx::QueryBuilder;

use super::{on_write, search_key, Store};
use crate::consent;
use crate::demo::{DemoRegion, Size};
use crate::Error;

/// Rows per multi-row INSERT: well under SQLite's 32,766 and PostgreSQL's
/// 65,535 bound parameters, and large enough that round trips don't dominate.
const BATCH: usize = 4_000;

impl Store {
    /// Whether the directory holds anything yet.
    pub async fn is_empty(&self) -> Result<bool, Error> {
        super::on_read!(self, |pool, dialect| {
            let any: Option<i64> = sqlx::query_scalar("SELECT id FROM organization LIMIT 1")
                .fetch_optional(pool)
                .await?;
            Ok(any.is_none())
        })
    }

    /// Loads `region` in one transaction and marks the database as a demo.
    /// Refuses a database that already holds a directory.
    pub async fn load(&self, region: &DemoRegion, now: i64) -> Result<(), Error> {
        if !self.is_empty().await? {
            return Err(Error::InvalidInput("база данных уже заполнена".to_owned()));
        }
        let size = match region.size {
            Size::Demo => "demo",
            Size::Region => "region",
        };
        on_write!(self, |pool, dialect| {
            let mut tx = pool.begin().await?;
            for (key, value) in [
                ("demo", "true".to_owned()),
                ("size", size.to_owned()),
                ("seed", region.seed.to_string()),
                ("first_day", region.first_day.to_string()),
                ("directory_version", format!("{size}-{}-{}", region.seed, region.first_day)),
            ] {
                sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2)")
                    .bind(key)
                    .bind(value)
                    .execute(&mut *tx)
                    .await?;
            }

            for chunk in region.organizations.chunks(BATCH) {
                QueryBuilder::new("INSERT INTO organization (id, name, short_name, address, search) ")
                    .push_values(chunk, |mut row, org| {
                        row.push_bind(org.id)
                            .push_bind(&org.name)
                            .push_bind(&org.short_name)
                            .push_bind(&org.address)
                            .push_bind(search_key(&format!("{} {}", org.name, org.short_name)));
                    })
                    .build()
                    .execute(&mut *tx)
                    .await?;
            }
            for chunk in region.clinics.chunks(BATCH) {
                QueryBuilder::new("INSERT INTO clinic (id, organization_id, name, address, phone, search) ")
                    .push_values(chunk, |mut row, clinic| {
                        row.push_bind(clinic.id)
                            .push_bind(clinic.organization_id)
                            .push_bind(&clinic.name)
                            .push_bind(&clinic.address)
                            .push_bind(&clinic.phone)
                            .push_bind(search_key(&format!("{} {}", clinic.name, clinic.address)));
                    })
                    .build()
                    .execute(&mut *tx)
                    .await?;
            }
            for chunk in region.services.chunks(BATCH) {
                QueryBuilder::new("INSERT INTO service (id, code, name, specialty, search) ")
                    .push_values(chunk, |mut row, service| {
                        row.push_bind(service.id)
                            .push_bind(service.code)
                            .push_bind(&service.name)
                            .push_bind(service.specialty)
                            .push_bind(search_key(&format!("{} {} {}", service.code, service.name, service.specialty)));
                    })
                    .build()
                    .execute(&mut *tx)
                    .await?;
            }
            for chunk in region.doctors.chunks(BATCH) {
                QueryBuilder::new("INSERT INTO doctor (id, clinic_id, last_name, first_name, middle_name, position, basis, search) ")
                    .push_values(chunk, |mut row, doctor| {
                        row.push_bind(doctor.id)
                            .push_bind(doctor.clinic_id)
                            .push_bind(&doctor.last_name)
                            .push_bind(&doctor.first_name)
                            .push_bind(&doctor.middle_name)
                            .push_bind(doctor.position)
                            .push_bind("прием по полису ОМС")
                            .push_bind(search_key(&doctor.last_name));
                    })
                    .build()
                    .execute(&mut *tx)
                    .await?;
            }
            for chunk in region.doctor_services.chunks(BATCH) {
                QueryBuilder::new("INSERT INTO doctor_service (doctor_id, service_id) ")
                    .push_values(chunk, |mut row, (doctor_id, service_id)| {
                        row.push_bind(*doctor_id).push_bind(*service_id);
                    })
                    .build()
                    .execute(&mut *tx)
                    .await?;
            }
            for chunk in region.slots.chunks(BATCH) {
                QueryBuilder::new("INSERT INTO slot (id, doctor_id, starts_at, ends_at, status, version) ")
                    .push_values(chunk, |mut row, slot| {
                        row.push_bind(slot.id)
                            .push_bind(slot.doctor_id)
                            .push_bind(slot.starts_at)
                            .push_bind(slot.ends_at)
                            .push_bind(slot.status)
                            .push_bind(1_i64);
                    })
                    .build()
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("INSERT INTO consent (version, title, text, published_at) VALUES ($1, $2, $3, $4)")
                .bind(consent::VERSION)
                .bind(consent::TITLE)
                .bind(consent::TEXT)
                .bind(now)
                .execute(&mut *tx)
                .await?;

            for patient in &region.patients {
                let patient_id: i64 = sqlx::query_scalar(
                    "INSERT INTO patient (last_name, first_name, middle_name, birth_date, policy, snils, confirmed, demo_number) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(&patient.last_name)
                .bind(&patient.first_name)
                .bind(&patient.middle_name)
                .bind(patient.birth_date.to_string())
                .bind(&patient.policy)
                .bind(patient.snils.digits())
                .bind(patient.confirmed)
                .bind(patient.demo_number)
                .fetch_one(&mut *tx)
                .await?;
                for phone in &patient.phones {
                    sqlx::query("INSERT INTO patient_phone (patient_id, phone, added_at) VALUES ($1, $2, $3)")
                        .bind(patient_id)
                        .bind(phone)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
            Ok::<(), Error>(())
        })?;
        self.save_sandbox_citizens(&crate::esia::sandbox::citizens(&region.patients), crate::esia::sandbox::PASSWORD).await
    }
}
