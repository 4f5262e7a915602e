//! The lobby kiosk's part of the contract: the JSON bodies of
//! `/api/v1/kiosk/` and of the admins' kiosk routes under `/api/v1/desk/`.
//!
//! A kiosk sends its device credential as `Authorization: Bearer …` on every
//! call; once it has identified a patient it also sends the visit's token in
//! the `Kiosk-Visit` header, which works only beside the credential of the
//! device that asked for it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Appointment, BookingRequest};

/// The header a kiosk sends its patient's visit token in.
pub const VISIT_HEADER: &str = "kiosk-visit";

/// `POST /api/v1/kiosk/identify`: the policy as typed or scanned, and the
/// birth date typed on the screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Identify {
    /// Sixteen digits (ЕНП) with a valid check digit.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{16}$"))]
    pub policy: String,
    pub birth_date: NaiveDate,
}

/// A patient identified at a kiosk: the visit's token, and only what the
/// screen may show of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Identified {
    /// Sent back in the `Kiosk-Visit` header; short-lived, and bound to the
    /// device that asked.
    pub visit_token: String,
    /// Seconds the token lives unless the visit ends first.
    pub expires_in: i64,
    /// «И. О. Ф.»: the initials, which are all a public screen or a
    /// kiosk's ticket shows of the patient.
    pub initials: String,
}

/// `GET /api/v1/kiosk/device`: the kiosk as the server knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KioskDevice {
    pub device_id: i64,
    pub name: String,
    pub clinic_id: i64,
    pub organization_id: i64,
    /// The clinics of the kiosk's organisation, where it may book.
    pub clinics: Vec<i64>,
}

/// `POST /api/v1/kiosk/pin`: the admin PIN typed on the kiosk to open its settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PinCheck {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4,12}$"))]
    pub pin: String,
}

/// `POST /api/v1/kiosk/appointments`: a booking at the kiosk, for the
/// identified patient. The same body as a patient's booking.
pub type KioskBooking = BookingRequest;

/// `POST /api/v1/kiosk/appointments/{id}/check-in`: «Я пришёл».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckedIn {
    pub appointment: Appointment,
    /// The doctor's room, or empty when the clinic has not said.
    pub room: String,
    /// The patient's place among those who have come to this doctor today
    /// and not yet been seen, by appointment time: 1 is next.
    pub queue_place: i64,
}

/// `POST /api/v1/desk/kiosks`: an organisation admin registers a kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct KioskRegistration {
    pub clinic: i64,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    /// Four to twelve digits.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4,12}$"))]
    pub pin: String,
}

/// A registered kiosk with its credential, which is shown this once only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KioskRegistered {
    pub device_id: i64,
    pub credential: String,
}

/// One kiosk of an organisation, as its admin lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KioskListed {
    pub device_id: i64,
    pub clinic_id: i64,
    pub name: String,
    /// Unix seconds.
    pub registered_at: i64,
    /// Unix seconds; `None` while the kiosk works.
    pub revoked_at: Option<i64>,
}

/// `PUT /api/v1/desk/slots/{id}/kiosk`: whether a slot kept for the desk
/// may be booked at the clinic's kiosks too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct KioskSlot {
    pub kiosk: bool,
}

/// The initials of a person, «А. С. И.» (first name, patronymic, surname),
/// which is all a kiosk shows or prints of them.
pub fn initials(last_name: &str, first_name: &str, middle_name: &str) -> String {
    [first_name, middle_name, last_name]
        .iter()
        .filter_map(|name| name.trim().chars().next())
        .map(|letter| format!("{}.", letter.to_uppercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_take_each_name_once_and_skip_a_missing_patronymic() {
        assert_eq!(initials("Иванова", "анна", "Сергеевна"), "А. С. И.");
        assert_eq!(initials("Смит", "Джон", ""), "Д. С.");
    }
}
