//! Loading a generated region into an empty database.

use sqlx::QueryBuilder;

use super::{on_write, search_key, Store};
use super::staff::{hash_password, NewStaff, Role};
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
                QueryBuilder::new("INSERT INTO doctor (id, clinic_id, last_name, first_name, middle_name, position, basis, search, room) ")
                    .push_values(chunk, |mut row, doctor| {
                        row.push_bind(doctor.id)
                            .push_bind(doctor.clinic_id)
                            .push_bind(&doctor.last_name)
                            .push_bind(&doctor.first_name)
                            .push_bind(&doctor.middle_name)
                            .push_bind(doctor.position)
                            .push_bind("прием по полису ОМС")
                            .push_bind(search_key(&doctor.last_name))
                            .push_bind(demo_room(doctor.id));
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
        self.save_sandbox_citizens(&crate::esia::sandbox::citizens(&region.patients), crate::esia::sandbox::PASSWORD).await?;
        self.create_demo_staff(region).await
    }

    /// A registrar for every clinic and an admin for every organisation of
    /// the demo region, all with [`demo::STAFF_PASSWORD`]. The password is
    /// hashed once for all of them: a demo needs no salt of its own per
    /// account, and argon2 is slow by design.
    async fn create_demo_staff(&self, region: &DemoRegion) -> Result<(), Error> {
        let password_hash = Some(hash_password(crate::demo::STAFF_PASSWORD)?);
        let admins = region.organizations.iter().map(|organization| (Role::Admin, organization.id, crate::demo::admin_login(organization.id)));
        let registrars = region.clinics.iter().map(|clinic| (Role::Registrar, clinic.id, crate::demo::registrar_login(clinic.id)));
        let mut citizens = Vec::new();
        let accounts: Vec<NewStaff> = admins
            .chain(registrars)
            .enumerate()
            .map(|(index, (role, place, login))| {
                // Each is also a citizen of the ESIA sandbox, so the desk's
                // sign-in through ESIA can be tried on the demo as well.
                let citizen = crate::esia::sandbox::staff_citizen(index, &login, crate::demo::staff_names(index));
                let (last_name, first_name, middle_name) = crate::demo::staff_names(index);
                let account = NewStaff { login, esia_oid: Some(citizen.oid.clone()), password_hash: password_hash.clone(), last_name, first_name, middle_name, role, place };
                citizens.push(citizen);
                account
            })
            .collect();
        self.create_staff(&accounts).await?;
        self.save_sandbox_citizens(&citizens, crate::esia::sandbox::PASSWORD).await
    }

    /// Keeps a demo region bookable: a demo database is generated once with
    /// four weeks of schedule, and without this a demo app would show no
    /// free day a month later. While fewer than four weeks from `today` are
    /// scheduled, the last week is copied a week ahead — same doctors, same
    /// shifts, every copied slot free except those kept for the reception
    /// desk — with new ids and a new version, so the sync feed carries the
    /// new days to every app's cache as a delta. Appointments already made
    /// are untouched. Answers how many slots were added.
    ///
    /// A week later is 604,800 seconds later on the clinic's clock because
    /// the region's zone (Moscow) has no daylight saving.
    pub async fn extend_demo_schedule(&self, today: chrono::NaiveDate) -> Result<usize, Error> {
        if !self.is_demo().await? {
            return Ok(0);
        }
        let zone = registratura_contract::region::KALUGA.time_zone;
        let last_day = match self.meta("last_day").await? {
            Some(day) => day.parse::<chrono::NaiveDate>().map_err(|error| Error::Internal(format!("meta last_day: {error}")))?,
            None => {
                let first: chrono::NaiveDate = self
                    .meta("first_day")
                    .await?
                    .ok_or_else(|| Error::Internal("a demo database without first_day".to_owned()))?
                    .parse()
                    .map_err(|error| Error::Internal(format!("meta first_day: {error}")))?;
                first + chrono::Duration::days(crate::demo::SCHEDULE_DAYS - 1)
            }
        };
        let wanted = today + chrono::Duration::days(crate::demo::SCHEDULE_DAYS - 1);
        let mut last_day = last_day;
        let mut added = 0_usize;
        while last_day < wanted {
            let (week_start, _) = registratura_contract::calendar::clinic_day_bounds(last_day - chrono::Duration::days(6), zone);
            let (_, week_end) = registratura_contract::calendar::clinic_day_bounds(last_day, zone);
            let next_last_day = last_day + chrono::Duration::days(7);
            let copied: u64 = on_write!(self, |pool, dialect| {
                let mut tx = pool.begin().await?;
                let version: i64 = sqlx::query_scalar(&format!("SELECT {}", dialect.next_version())).fetch_one(&mut *tx).await?;
                let (max_id, week_first_id): (Option<i64>, Option<i64>) =
                    sqlx::query_as("SELECT (SELECT MAX(id) FROM slot), (SELECT MIN(id) FROM slot WHERE starts_at >= $1 AND starts_at < $2)")
                        .bind(week_start)
                        .bind(week_end)
                        .fetch_one(&mut *tx)
                        .await?;
                let offset = max_id.unwrap_or(0) - week_first_id.unwrap_or(0) + 1;
                let result = sqlx::query(
                    "INSERT INTO slot (id, doctor_id, starts_at, ends_at, status, version) \
                     SELECT id + $1, doctor_id, starts_at + 604800, ends_at + 604800, \
                            CASE WHEN status = 'unavailable' THEN 'unavailable' ELSE 'free' END, $2 \
                     FROM slot WHERE starts_at >= $3 AND starts_at < $4",
                )
                .bind(offset)
                .bind(version)
                .bind(week_start)
                .bind(week_end)
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM meta WHERE key = 'last_day'").execute(&mut *tx).await?;
                sqlx::query("INSERT INTO meta (key, value) VALUES ('last_day', $1)")
                    .bind(next_last_day.to_string())
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok::<u64, Error>(result.rows_affected())
            })?;
            added += copied as usize;
            last_day = next_last_day;
        }
        Ok(added)
    }
}

/// A generated doctor's room, as a kiosk's check-in slip names it: a floor
/// from 1 to 4 and a door on it, from the doctor's id so that it never
/// changes between loads.
fn demo_room(doctor_id: i64) -> String {
    format!("{}{:02}", 1 + doctor_id % 4, 1 + (doctor_id / 4) % 30)
}
