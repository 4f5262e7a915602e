//! The registry server's public contract: the JSON bodies of `/api/v1`.
//!
//! The server serialises these and the app deserialises them, so the two can
//! never disagree about a field. Times are instants written with the clinic's
//! UTC offset (RFC 3339), plus the clinic-local `date` and `time` a person
//! reads, so no client has to know time-zone rules to show them.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::identity::{Phone, PolicyNumber, Snils};

/// A medical organisation (FHIR Organization), e.g. a city hospital.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    pub id: i64,
    pub name: String,
    pub short_name: String,
    pub address: String,
}

/// A subdivision of an organisation with its own address (FHIR Location).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clinic {
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
    pub address: String,
    pub phone: String,
}

/// A medical service from the national nomenclature (FHIR HealthcareService).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub id: i64,
    /// The nomenclature code, e.g. `B01.064.001`.
    pub code: String,
    pub name: String,
    pub specialty: String,
}

/// A doctor in a clinic (FHIR PractitionerRole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// Whether a day can be booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayStatus {
    /// At least one free slot.
    Available,
    /// No free slot (weekend, all taken or reserved, or past).
    Unavailable,
}

/// One day of a doctor's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Day {
    pub date: NaiveDate,
    pub status: DayStatus,
    /// How many slots are free that day.
    pub free_slots: u32,
}

/// A slot's state (FHIR Slot.status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
}

/// A slot of a doctor's schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub id: i64,
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    /// The clinic-local time of the start, `HH:MM`.
    pub time: String,
    pub status: SlotStatus,
}

/// The consent to personal-data processing a patient must give to book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub version: String,
    pub title: String,
    pub text: String,
}

/// The body of `POST /api/v1/appointments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

/// The doctor as a ticket names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentDoctor {
    pub id: i64,
    pub full_name: String,
    pub position: String,
    pub basis: String,
}

/// The signed-in patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[serde(deny_unknown_fields)]
pub struct NewPhone {
    pub phone: Phone,
}

/// Every error body: a stable `kind` and a Russian `message` fit to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub kind: String,
    pub message: String,
    /// For `already_booked`: the ticket of the appointment in the way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing_ticket: Option<String>,
}
