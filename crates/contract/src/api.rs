//! The registry server's public contract: the JSON bodies of `/api/v1`.
//!
//! The server serialises these and the app deserialises them, so the two can
//! never disagree about a field. Times are instants written with the clinic's
//! UTC offset (RFC 3339), plus the clinic-local `date` and `time` a person
//! reads, so no client has to know time-zone rules to show them.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::identity::{Phone, PolicyNumber, Snils};

pub mod desk;
pub mod kiosk;

/// A medical organisation (FHIR Organization), e.g. a city hospital.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organization {
    pub id: i64,
    pub name: String,
    pub short_name: String,
    pub address: String,
}

/// A subdivision of an organisation with its own address (FHIR Location).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Clinic {
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
    pub address: String,
    pub phone: String,
}

/// A medical service from the national nomenclature (FHIR HealthcareService).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Service {
    pub id: i64,
    /// The nomenclature code, e.g. `B01.064.001`.
    pub code: String,
    pub name: String,
    pub specialty: String,
}

/// A doctor in a clinic (FHIR PractitionerRole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Doctor {
    pub id: i64,
    pub clinic_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    /// E.g. «врач-терапевт участковый».
    pub position: String,
    /// E.g. «прием по полису ОМС».
    pub basis: String,
    /// The services this doctor's schedule can be booked for.
    pub service_ids: Vec<i64>,
}

/// A doctor as both stores read one: id, clinic id, last, first and middle
/// name, position, basis.
pub type DoctorRow = (i64, i64, String, String, String, String, String);

impl Doctor {
    /// Doctors from their rows and the `(doctor id, service id)` links that
    /// give each its services, in the order of `links`.
    pub fn with_services(rows: Vec<DoctorRow>, links: Vec<(i64, i64)>) -> Vec<Doctor> {
        let mut services: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
        for (doctor_id, service_id) in links {
            services.entry(doctor_id).or_default().push(service_id);
        }
        rows.into_iter()
            .map(|(id, clinic_id, last_name, first_name, middle_name, position, basis)| Doctor {
                service_ids: services.remove(&id).unwrap_or_default(),
                id,
                clinic_id,
                last_name,
                first_name,
                middle_name,
                position,
                basis,
            })
            .collect()
    }
}

/// Whether a day can be booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DayStatus {
    /// At least one free slot.
    Available,
    /// No free slot (weekend, all taken or reserved, or past).
    Unavailable,
}

/// One day of a doctor's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Day {
    pub date: NaiveDate,
    pub status: DayStatus,
    /// How many slots are free that day.
    pub free_slots: u32,
}

/// A slot's state (FHIR Slot.status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SlotStatus {
    /// Bookable.
    Free,
    /// Taken by another patient.
    Busy,
    /// Exists but is not bookable online: kept for the reception desk, a
    /// kiosk or the call centre (FHIR `busy-unavailable`).
    Unavailable,
}

impl SlotStatus {
    /// The word stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            SlotStatus::Free => "free",
            SlotStatus::Busy => "busy",
            SlotStatus::Unavailable => "unavailable",
        }
    }

    /// Reads the word stored in the database.
    pub fn from_db(word: &str) -> Option<Self> {
        match word {
            "free" => Some(SlotStatus::Free),
            "busy" => Some(SlotStatus::Busy),
            "unavailable" => Some(SlotStatus::Unavailable),
            _ => None,
        }
    }

    /// The one letter the sync feed and the app's cache use.
    pub fn letter(self) -> &'static str {
        match self {
            SlotStatus::Free => "f",
            SlotStatus::Busy => "b",
            SlotStatus::Unavailable => "u",
        }
    }

    /// Reads [`SlotStatus::letter`].
    pub fn from_letter(letter: u8) -> Option<Self> {
        match letter {
            b'f' => Some(SlotStatus::Free),
            b'b' => Some(SlotStatus::Busy),
            b'u' => Some(SlotStatus::Unavailable),
            _ => None,
        }
    }
}

/// A slot of a doctor's schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slot {
    pub id: i64,
    #[serde(with = "crate::calendar::rfc3339")]
    pub start: DateTime<FixedOffset>,
    #[serde(with = "crate::calendar::rfc3339")]
    pub end: DateTime<FixedOffset>,
    /// The clinic-local time of the start, `HH:MM`.
    pub time: String,
    pub status: SlotStatus,
}

/// The consent to personal-data processing a patient must give to book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consent {
    pub version: String,
    pub title: String,
    pub text: String,
}

/// The body of `POST /api/v1/appointments/{id}/move`: the new time, and the
/// service when it changes with the doctor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MoveRequest {
    pub slot_id: i64,
    #[serde(default)]
    pub service_id: Option<i64>,
}

/// The body of `POST /api/v1/appointments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BookingRequest {
    pub slot_id: i64,
    pub service_id: i64,
    /// The consent version the patient agreed to; must be the current one.
    pub consent_version: String,
    /// A contact phone, or `null` when the patient declined to give one.
    pub phone: Option<Phone>,
}

/// Where an appointment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    /// «Заявка подтверждена».
    Booked,
    CancelledByPatient,
    CancelledByClinic,
    Fulfilled,
    NoShow,
}

impl AppointmentStatus {
    /// The word stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            AppointmentStatus::Booked => "booked",
            AppointmentStatus::CancelledByPatient => "cancelled_by_patient",
            AppointmentStatus::CancelledByClinic => "cancelled_by_clinic",
            AppointmentStatus::Fulfilled => "fulfilled",
            AppointmentStatus::NoShow => "no_show",
        }
    }

    /// Reads the word stored in the database.
    pub fn from_db(word: &str) -> Option<Self> {
        Some(match word {
            "booked" => AppointmentStatus::Booked,
            "cancelled_by_patient" => AppointmentStatus::CancelledByPatient,
            "cancelled_by_clinic" => AppointmentStatus::CancelledByClinic,
            "fulfilled" => AppointmentStatus::Fulfilled,
            "no_show" => AppointmentStatus::NoShow,
            _ => return None,
        })
    }
}

/// How an appointment was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Internet,
    Kiosk,
    Reception,
    CallCentre,
}

impl Channel {
    /// The word stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Internet => "internet",
            Channel::Kiosk => "kiosk",
            Channel::Reception => "reception",
            Channel::CallCentre => "call_centre",
        }
    }

    /// Reads the word stored in the database.
    pub fn from_db(word: &str) -> Option<Self> {
        Some(match word {
            "internet" => Channel::Internet,
            "kiosk" => Channel::Kiosk,
            "reception" => Channel::Reception,
            "call_centre" => Channel::CallCentre,
            _ => return None,
        })
    }
}

/// An appointment with everything its ticket (талон) shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Appointment {
    pub id: i64,
    /// The seven-digit ticket number, e.g. `5512792`.
    pub ticket: String,
    pub status: AppointmentStatus,
    pub channel: Channel,
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    /// Clinic-local date and time of the start.
    pub date: NaiveDate,
    pub time: String,
    pub slot_id: i64,
    pub service: Service,
    pub doctor: AppointmentDoctor,
    pub clinic: Clinic,
    pub organization_name: String,
    pub consent_version: String,
    pub consented_at: DateTime<FixedOffset>,
    pub phone: Option<Phone>,
    pub created_at: DateTime<FixedOffset>,
    /// When the appointment was last moved to another time, if ever.
    #[serde(default)]
    pub moved_at: Option<DateTime<FixedOffset>>,
}

/// The doctor as a ticket names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentDoctor {
    pub id: i64,
    pub full_name: String,
    pub position: String,
    pub basis: String,
}

/// The signed-in patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub birth_date: NaiveDate,
    pub policy: PolicyNumber,
    pub snils: Snils,
    pub phones: Vec<Phone>,
    /// Whether the ESIA account is confirmed; an unconfirmed one cannot book.
    pub confirmed: bool,
}

/// The body of `POST /api/v1/me/phones`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPhone {
    pub phone: Phone,
}

/// Why an appointment the patient holds rules a new one out. The patient is
/// told which, since the remedies differ: another time, or the one booking
/// a service allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Clash {
    /// The two overlap in time, whatever the doctor or clinic.
    SameTime,
    /// Both are for the same service in the same clinic.
    SameService,
}

/// Every error body: a stable `kind` and a Russian `message` fit to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub kind: String,
    pub message: String,
    /// For `already_booked`: the ticket of the appointment in the way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing_ticket: Option<String>,
    /// For `already_booked`: how that appointment rules this one out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clash: Option<Clash>,
    /// For `patient_exists`: the patient the desk found instead of
    /// registering them again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient_id: Option<i64>,
    /// For `policy_locked` and `too_many_attempts`: seconds until a new
    /// try can succeed, as the `Retry-After` header says too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<i64>,
}

/// Slots in columns, for the sync feed: a region's 1.2 million slots as a
/// handful of integer arrays that compress and parse far faster than a
/// million objects. Ids and starts are delta-encoded (each value is the
/// difference from the previous row's, the first from zero); statuses are
/// one letter a slot: `f` free, `b` busy, `u` unavailable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotColumns {
    pub id_deltas: Vec<i64>,
    pub doctor_ids: Vec<i64>,
    pub start_deltas: Vec<i64>,
    pub minutes: Vec<u16>,
    pub statuses: String,
}

/// One slot as the sync feed carries it: instants in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncSlot {
    pub id: i64,
    pub doctor_id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub status: SlotStatus,
}

impl SlotColumns {
    /// Encodes slots in the order given (the feed sends them by id).
    pub fn encode(slots: impl IntoIterator<Item = SyncSlot>) -> Self {
        let mut columns = Self::default();
        let (mut last_id, mut last_start) = (0, 0);
        for slot in slots {
            columns.id_deltas.push(slot.id - last_id);
            columns.doctor_ids.push(slot.doctor_id);
            columns.start_deltas.push(slot.starts_at - last_start);
            columns.minutes.push(((slot.ends_at - slot.starts_at) / 60).clamp(0, i64::from(u16::MAX)) as u16);
            columns.statuses.push_str(slot.status.letter());
            (last_id, last_start) = (slot.id, slot.starts_at);
        }
        columns
    }

    /// How many slots the columns hold.
    pub fn len(&self) -> usize {
        self.id_deltas.len()
    }

    /// Whether the columns hold no slot.
    pub fn is_empty(&self) -> bool {
        self.id_deltas.is_empty()
    }

    /// Decodes the slots; `None` when the columns disagree in length or a
    /// status letter is unknown, which only a damaged body can cause.
    pub fn decode(&self) -> Option<Vec<SyncSlot>> {
        let n = self.id_deltas.len();
        let statuses = self.statuses.as_bytes();
        if self.doctor_ids.len() != n || self.start_deltas.len() != n || self.minutes.len() != n || statuses.len() != n {
            return None;
        }
        let mut slots = Vec::with_capacity(n);
        let (mut id, mut start) = (0_i64, 0_i64);
        let rows = self.id_deltas.iter().zip(&self.doctor_ids).zip(&self.start_deltas).zip(&self.minutes).zip(statuses);
        for ((((id_delta, doctor_id), start_delta), minutes), letter) in rows {
            id += id_delta;
            start += start_delta;
            slots.push(SyncSlot {
                id,
                doctor_id: *doctor_id,
                starts_at: start,
                ends_at: start + i64::from(*minutes) * 60,
                status: SlotStatus::from_letter(*letter)?,
            });
        }
        Some(slots)
    }
}

/// `GET /api/v1/sync/snapshot`: the whole public directory and schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncSnapshot {
    /// Pass this as `since` to the next `GET /api/v1/sync/changes`.
    pub version: i64,
    /// Changes when the directory itself changes; a client holding another
    /// one must take a new snapshot.
    pub directory_version: String,
    pub time_zone: String,
    pub organizations: Vec<Organization>,
    pub clinics: Vec<Clinic>,
    pub services: Vec<Service>,
    pub doctors: Vec<Doctor>,
    pub slots: SlotColumns,
}

/// `GET /api/v1/sync/changes?since=V&directory_version=D`: the slots
/// changed since a snapshot or the previous changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncChanges {
    /// Pass this as `since` next time.
    pub version: i64,
    pub directory_version: String,
    /// True when the client's directory is out of date: take a snapshot.
    pub snapshot_required: bool,
    /// Every slot whose state changed, in its current state.
    pub slots: SlotColumns,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_columns_round_trip() {
        let slots = vec![
            SyncSlot { id: 10, doctor_id: 3, starts_at: 1_795_760_100, ends_at: 1_795_761_000, status: SlotStatus::Free },
            SyncSlot { id: 11, doctor_id: 3, starts_at: 1_795_761_000, ends_at: 1_795_762_320, status: SlotStatus::Busy },
            SyncSlot { id: 7, doctor_id: 1, starts_at: 1_795_700_000, ends_at: 1_795_701_800, status: SlotStatus::Unavailable },
        ];
        let columns = SlotColumns::encode(slots.clone());
        assert_eq!(columns.id_deltas, vec![10, 1, -4]);
        assert_eq!(columns.minutes, vec![15, 22, 30]);
        assert_eq!(columns.statuses, "fbu");
        assert_eq!(columns.decode(), Some(slots));
    }

    #[test]
    fn damaged_columns_do_not_decode() {
        let mut columns = SlotColumns::encode([SyncSlot { id: 1, doctor_id: 1, starts_at: 0, ends_at: 900, status: SlotStatus::Free }]);
        columns.statuses = "x".to_owned();
        assert_eq!(columns.decode(), None);
        columns.statuses = "ff".to_owned();
        assert_eq!(columns.decode(), None);
    }
}
