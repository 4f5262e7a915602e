//! The reception desk's part of the contract: the JSON bodies of
//! `/api/v1/desk/`. The server serialises these and the desk's client reads
//! them, so the two can never disagree about a field.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Appointment, BookingRequest};

/// What a staff member may do where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Books, moves, cancels and checks in patients at their clinics.
    Registrar,
    /// Runs an organisation: a registrar at each of its clinics, and reads
    /// the organisation's audit.
    Admin,
}

impl Role {
    /// The word stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Registrar => "registrar",
            Role::Admin => "admin",
        }
    }

    /// Reads the word stored in the database.
    pub fn from_db(word: &str) -> Option<Self> {
        match word {
            "registrar" => Some(Role::Registrar),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// A role at one clinic; an admin's role at an organisation is one grant a clinic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Grant {
    pub role: Role,
    pub clinic_id: i64,
    pub organization_id: i64,
}

/// `GET /api/v1/desk/me`: who is signed in, and where they work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeskMe {
    pub staff_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub grants: Vec<Grant>,
}

/// A patient as the desk's search lists them: enough to tell people apart,
/// with the policy and phone masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FoundPatient {
    pub id: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub birth_date: NaiveDate,
    /// The last four digits, the rest as asterisks.
    pub policy_masked: String,
    /// The first saved phone's last two digits, the rest masked; `None` without one.
    pub phone_masked: Option<String>,
}

/// The answer of `GET /api/v1/desk/patients`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatientsFound {
    pub patients: Vec<FoundPatient>,
}

/// A patient's card at the desk: their appointments at this clinic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatientCard {
    pub patient_id: i64,
    pub appointments: Vec<Appointment>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// The word stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

/// The body of `POST /api/v1/desk/patients`: a new patient, as typed at
/// the desk. The server parses and checks every field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Registration {
    pub clinic: i64,
    pub last_name: String,
    pub first_name: String,
    /// Empty when the patient has none.
    #[serde(default)]
    pub middle_name: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub policy: String,
    #[serde(default)]
    pub snils: Option<String>,
    pub phone: String,
}

/// The answer of `POST /api/v1/desk/patients`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Registered {
    pub patient_id: i64,
}

/// The body of `POST /api/v1/desk/appointments`: a booking for a patient
/// found at the desk, who agreed to the consent in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeskBooking {
    pub patient_id: i64,
    #[serde(flatten)]
    pub booking: BookingRequest,
}

/// One object of the booking's fields and `patient_id`. The derived schema
/// of a flattened field is an `allOf` of two objects that each forbid the
/// other's fields, which no body can satisfy.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for DeskBooking {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{Object, Schema};
        use utoipa::openapi::RefOr;
        let mut object = match <BookingRequest as utoipa::PartialSchema>::schema() {
            RefOr::T(Schema::Object(object)) => object,
            _ => Object::new(),
        };
        object.properties.insert("patient_id".to_owned(), <i64 as utoipa::PartialSchema>::schema());
        object.required.insert(0, "patient_id".to_owned());
        object.description = Some("A booking for a patient found at the desk, who agreed to the consent in person.".to_owned());
        RefOr::T(Schema::Object(object))
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for DeskBooking {
    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        <BookingRequest as utoipa::ToSchema>::schemas(schemas);
    }
}

/// Why an appointment is cancelled at the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CancelReason {
    /// The patient asked: counted as the patient's cancellation.
    PatientRequest,
    /// The doctor cannot see patients then: the clinic's cancellation.
    DoctorUnavailable,
    Other,
}

impl CancelReason {
    /// The word stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            CancelReason::PatientRequest => "patient_request",
            CancelReason::DoctorUnavailable => "doctor_unavailable",
            CancelReason::Other => "other",
        }
    }

    /// The appointment's status after a cancellation for this reason.
    pub fn status(self) -> super::AppointmentStatus {
        match self {
            CancelReason::PatientRequest => super::AppointmentStatus::CancelledByPatient,
            CancelReason::DoctorUnavailable | CancelReason::Other => super::AppointmentStatus::CancelledByClinic,
        }
    }
}

/// The body of `POST /api/v1/desk/appointments/{id}/cancel`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeskCancel {
    pub reason: CancelReason,
}

/// The body of `POST /api/v1/desk/appointments/{id}/move`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeskMove {
    pub slot_id: i64,
    /// Another service for the new time; the same one when left out.
    pub service_id: Option<i64>,
}

/// A slot on the day board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardSlot {
    pub id: i64,
    /// Unix seconds.
    pub starts_at: i64,
    pub ends_at: i64,
    pub state: BoardState,
    /// The appointment on the slot, when there is one.
    pub appointment_id: Option<i64>,
    /// The patient's initials («Захарова С. С.»): staff see whose it is
    /// without the full name on a screen others may glance at.
    pub patient: Option<String>,
    pub ticket: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BoardState {
    Free,
    Busy,
    /// Kept for the reception desk.
    Reserved,
    Arrived,
    NoShow,
}

/// A doctor's column on the day board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardColumn {
    pub doctor_id: i64,
    pub full_name: String,
    pub position: String,
    pub service_ids: Vec<i64>,
    pub slots: Vec<BoardSlot>,
}

/// The first free time of a specialty across a clinic's doctors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NearestSlot {
    pub slot_id: i64,
    pub doctor_id: i64,
    /// «Фамилия Имя Отчество», so the desk can ask about the time at once.
    pub doctor: String,
    pub service_id: i64,
    pub starts_at: i64,
    pub reserved: bool,
}

/// A doctor's day as the printed list for the doctor shows it: the
/// appointments still on it, with the patients' full names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayList {
    pub doctor_id: i64,
    pub doctor: String,
    pub position: String,
    pub clinic: String,
    pub date: NaiveDate,
    pub entries: Vec<DayListEntry>,
}

/// One appointment on a doctor's day list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayListEntry {
    /// Unix seconds.
    pub starts_at: i64,
    pub ticket: String,
    /// «Фамилия Имя Отчество».
    pub patient: String,
    pub birth_date: NaiveDate,
    pub service: String,
    pub state: BoardState,
}
