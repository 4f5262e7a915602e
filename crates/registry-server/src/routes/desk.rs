//! The reception desk's routes, under `/api/v1/desk/`. Each takes a staff
//! sign-in and checks the clinic of what it touches against the staff
//! member's own: another clinic's slot, appointment or board is not found.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use registratura_contract::api::desk::{DeskBooking, DeskCancel, DeskMe, DeskMove, PatientCard, PatientsFound, Registered, Registration};
use registratura_contract::api::{ApiError, Appointment};
use registratura_contract::calendar::clinic_day_bounds;
use registratura_contract::identity::{NameProblem, Phone, PolicyNumber, Snils, MAX_NAME_CHARS};
use registratura_contract::region::KALUGA;
use serde::Deserialize;

use crate::extract::{Json, Path, Query, Staff};
use crate::routes::appointments::{idempotency_key, request_digest};
use crate::store::desk::{BoardColumn, DayList, DayMark, DeskPatient, NearestSlot, PatientQuery, MAX_SEARCH_RESULTS};
use crate::store::staff::{AuditAction, AuditEntry, AuditRecord, Grant, StaffMember};
use crate::store::{Booker, BookingInput};
use crate::{AppState, Error};

#[utoipa::path(get, path = "/api/v1/desk/me", tag = "desk", security(("bearer" = [])),
    responses((status = 200, body = DeskMe), (status = 401, body = ApiError)))]
pub async fn me(Staff(staff): Staff) -> axum::Json<DeskMe> {
    axum::Json(DeskMe {
        staff_id: staff.id,
        last_name: staff.last_name,
        first_name: staff.first_name,
        middle_name: staff.middle_name,
        grants: staff.grants,
    })
}

/// The clinic a desk call acts at.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AtClinic {
    /// The clinic the staff member works at for this call.
    pub clinic: i64,
}

/// `GET /api/v1/desk/patients` query: exactly one way of finding a patient.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PatientSearch {
    pub clinic: i64,
    /// Sixteen digits (ЕНП), with a valid check digit.
    pub policy: Option<String>,
    /// Eleven digits with a valid checksum.
    pub snils: Option<String>,
    /// With `birth_date`.
    #[param(max_length = 60)]
    pub last_name: Option<String>,
    #[param(max_length = 60)]
    pub first_name: Option<String>,
    #[param(max_length = 60)]
    pub middle_name: Option<String>,
    /// `YYYY-MM-DD`, with `last_name`.
    pub birth_date: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/desk/patients", tag = "desk", security(("bearer" = [])), params(PatientSearch),
    responses((status = 200, body = PatientsFound), (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 404, body = ApiError, description = "not_found: the clinic is not the staff member's"),
        (status = 422, body = ApiError, description = "too_many_results: more than 20, narrow the query; unacceptable_input: not one criterion, a check digit that does not match, a name's letters")))]
pub async fn search(State(state): State<AppState>, Staff(staff): Staff, Query(search): Query<PatientSearch>) -> Result<axum::Json<PatientsFound>, Error> {
    let grant = grant_at(&staff, search.clinic)?;
    let query = patient_query(&search)?;
    let patients = state.store.search_patients(&query).await?;
    state
        .store
        .record(AuditRecord { at: state.clock.now(), staff_id: staff.id, grant, action: AuditAction::Search, patient_id: None, appointment_id: None })
        .await?;
    if patients.len() > MAX_SEARCH_RESULTS {
        return Err(Error::TooManyResults);
    }
    Ok(axum::Json(PatientsFound { patients }))
}

#[utoipa::path(get, path = "/api/v1/desk/patients/{id}", tag = "desk", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Patient id"), AtClinic),
    responses((status = 200, body = PatientCard), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn patient(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path(patient_id): Path<i64>,
    Query(at): Query<AtClinic>,
) -> Result<axum::Json<PatientCard>, Error> {
    let grant = grant_at(&staff, at.clinic)?;
    if !state.store.patient_exists(patient_id).await? {
        return Err(Error::NotFound("пациент"));
    }
    let appointments = state.store.patient_appointments_at(patient_id, at.clinic).await?;
    state
        .store
        .record(AuditRecord { at: state.clock.now(), staff_id: staff.id, grant, action: AuditAction::OpenPatient, patient_id: Some(patient_id), appointment_id: None })
        .await?;
    Ok(axum::Json(PatientCard { patient_id, appointments }))
}

#[utoipa::path(post, path = "/api/v1/desk/patients", tag = "desk", security(("bearer" = [])), request_body = Registration,
    responses((status = 201, body = Registered), (status = 400, body = ApiError, description = "invalid_input: not the document's shape"),
        (status = 401, body = ApiError), (status = 404, body = ApiError),
        (status = 422, body = ApiError, description = "unacceptable_input: which field and why (a name's letters, a birth date ahead or before 1900, a policy's or СНИЛС's check digit, a phone)"),
        (status = 409, body = ApiError, description = "patient_exists, with the patient's id as patient_id")))]
pub async fn register(State(state): State<AppState>, Staff(staff): Staff, Json(form): Json<Registration>) -> Result<Response, Error> {
    let grant = grant_at(&staff, form.clinic)?;
    let now = state.clock.now();
    let patient = DeskPatient {
        last_name: person_name("фамилия", &form.last_name, true)?,
        first_name: person_name("имя", &form.first_name, true)?,
        middle_name: person_name("отчество", &form.middle_name, false)?,
        birth_date: past_birth_date(form.birth_date, now)?,
        sex: form.sex,
        policy: PolicyNumber::parse(&form.policy).map_err(|_| Error::Unacceptable("полис ОМС: 16 цифр, последняя — контрольная; проверьте номер".to_owned()))?,
        snils: match form.snils.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(snils) => Some(Snils::parse(snils).map_err(|_| Error::Unacceptable("СНИЛС: 11 цифр с верной контрольной суммой; проверьте номер".to_owned()))?),
        },
        phone: Phone::parse(&form.phone).map_err(|_| Error::Unacceptable("телефон: +7 и десять цифр".to_owned()))?,
    };
    let patient_id = state.store.register_patient(&patient, grant, staff.id, now).await?;
    Ok((StatusCode::CREATED, axum::Json(Registered { patient_id })).into_response())
}

/// `GET /api/v1/desk/clinics/{id}/board` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BoardQuery {
    pub date: NaiveDate,
    /// Only the doctors who offer this service.
    pub service: Option<i64>,
    /// Only the doctors of this specialty.
    pub specialty: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/desk/clinics/{id}/board", tag = "desk", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Clinic id"), BoardQuery),
    responses((status = 200, body = Vec<BoardColumn>), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn board(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path(clinic_id): Path<i64>,
    Query(query): Query<BoardQuery>,
) -> Result<axum::Json<Vec<BoardColumn>>, Error> {
    grant_at(&staff, clinic_id)?;
    let specialty = crate::routes::search_term(query.specialty.as_deref())?;
    Ok(axum::Json(state.store.board(clinic_id, query.date, query.service, specialty).await?))
}

/// `GET /api/v1/desk/clinics/{id}/nearest` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct NearestQuery {
    pub service: i64,
    /// From this day on (default: now).
    pub from: Option<NaiveDate>,
    /// Only the times kept for the reception desk (default: free ones too).
    #[serde(default)]
    pub reserved_only: bool,
}

#[utoipa::path(get, path = "/api/v1/desk/clinics/{id}/nearest", tag = "desk", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Clinic id"), NearestQuery),
    responses((status = 200, body = NearestSlot), (status = 401, body = ApiError), (status = 404, body = ApiError, description = "not_found: no free time ahead")))]
pub async fn nearest(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path(clinic_id): Path<i64>,
    Query(query): Query<NearestQuery>,
) -> Result<axum::Json<NearestSlot>, Error> {
    grant_at(&staff, clinic_id)?;
    let now = state.clock.now();
    let after = query.from.map_or(now, |date| clinic_day_bounds(date, KALUGA.time_zone).0.max(now));
    state.store.nearest_at_desk(clinic_id, query.service, after, query.reserved_only).await?.map(axum::Json).ok_or(Error::NotFound("свободное время"))
}

#[utoipa::path(post, path = "/api/v1/desk/appointments", tag = "desk", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "1–128 visible ASCII characters")),
    request_body = DeskBooking,
    responses((status = 201, body = Appointment), (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 404, body = ApiError, description = "not_found: no such patient or slot, or another clinic's"),
        (status = 409, body = ApiError, description = "slot_taken, already_booked, idempotency_conflict"),
        (status = 422, body = ApiError, description = "slot_in_past, consent_required, service_not_offered")))]
pub async fn book(State(state): State<AppState>, Staff(staff): Staff, headers: HeaderMap, Json(body): Json<DeskBooking>) -> Result<Response, Error> {
    let idempotency_key = idempotency_key(&headers)?;
    let request_hash = request_digest(&(body.patient_id, &body.booking))?;
    let input = BookingInput {
        booker: Booker::Staff { staff, patient_id: body.patient_id },
        request: body.booking,
        idempotency_key,
        request_hash,
        now: state.clock.now(),
    };
    let booked = state.store.book(&input).await?;
    tracing::info!(appointment = booked.appointment.id, replayed = booked.replayed, "booked at the desk");
    Ok((StatusCode::CREATED, axum::Json(booked.appointment)).into_response())
}

#[utoipa::path(post, path = "/api/v1/desk/appointments/{id}/cancel", tag = "desk", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Appointment id")), request_body = DeskCancel,
    responses((status = 200, body = Appointment), (status = 401, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError, description = "not_active"), (status = 422, body = ApiError, description = "too_late_to_cancel")))]
pub async fn cancel(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path(appointment_id): Path<i64>,
    Json(body): Json<DeskCancel>,
) -> Result<axum::Json<Appointment>, Error> {
    state.store.desk_cancel(appointment_id, body.reason, &staff, state.clock.now()).await?;
    desk_appointment(&state, &staff, appointment_id).await
}

#[utoipa::path(post, path = "/api/v1/desk/appointments/{id}/move", tag = "desk", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Appointment id")), request_body = DeskMove,
    responses((status = 200, body = Appointment), (status = 401, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError, description = "slot_taken, already_booked, not_active"),
        (status = 422, body = ApiError, description = "slot_in_past, service_not_offered, too_late_to_cancel")))]
pub async fn move_appointment(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path(appointment_id): Path<i64>,
    Json(body): Json<DeskMove>,
) -> Result<axum::Json<Appointment>, Error> {
    state.store.move_appointment(appointment_id, body.slot_id, body.service_id, crate::store::moves::Mover::Staff(&staff), state.clock.now()).await?;
    desk_appointment(&state, &staff, appointment_id).await
}

macro_rules! day_mark_route {
    ($name:ident, $path:literal, $mark:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "desk", security(("bearer" = [])),
            params(("id" = i64, Path, description = "Appointment id")),
            responses((status = 200, body = Appointment), (status = 401, body = ApiError), (status = 404, body = ApiError),
                (status = 409, body = ApiError, description = "not_active: nothing to mark or undo"),
                (status = 422, body = ApiError, description = "not_today, not_started_yet")))]
        pub async fn $name(State(state): State<AppState>, Staff(staff): Staff, Path(appointment_id): Path<i64>) -> Result<axum::Json<Appointment>, Error> {
            state.store.mark_day(appointment_id, $mark, &staff, state.clock.now()).await?;
            desk_appointment(&state, &staff, appointment_id).await
        }
    };
}
day_mark_route!(check_in, "/api/v1/desk/appointments/{id}/check-in", DayMark::CheckIn, "«Пришёл»: the patient is here.");
day_mark_route!(undo_check_in, "/api/v1/desk/appointments/{id}/check-in/undo", DayMark::UndoCheckIn, "Undoes «Пришёл» on the same day.");
day_mark_route!(no_show, "/api/v1/desk/appointments/{id}/no-show", DayMark::NoShow, "«Не явился», after the start.");
day_mark_route!(undo_no_show, "/api/v1/desk/appointments/{id}/no-show/undo", DayMark::UndoNoShow, "Undoes «Не явился» on the same day.");

/// `GET /api/v1/desk/audit` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    pub organization: i64,
    /// From this day on, in the region's zone.
    pub since: NaiveDate,
}

#[utoipa::path(get, path = "/api/v1/desk/audit", tag = "desk", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = Vec<AuditEntry>), (status = 401, body = ApiError),
        (status = 403, body = ApiError, description = "forbidden: not an admin of the organisation")))]
pub async fn audit(State(state): State<AppState>, Staff(staff): Staff, Query(query): Query<AuditQuery>) -> Result<axum::Json<Vec<AuditEntry>>, Error> {
    if !staff.administers().contains(&query.organization) {
        return Err(Error::Forbidden);
    }
    let (since, _) = clinic_day_bounds(query.since, KALUGA.time_zone);
    Ok(axum::Json(state.store.audit(Some(query.organization), since, 10_000).await?))
}

/// One appointment at the staff member's clinics, as its ticket prints it.
#[utoipa::path(get, path = "/api/v1/desk/appointments/{id}", tag = "desk", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Appointment id")),
    responses((status = 200, body = Appointment), (status = 401, body = ApiError),
        (status = 404, body = ApiError, description = "not_found: no such appointment, or another clinic's")))]
pub async fn appointment(State(state): State<AppState>, Staff(staff): Staff, Path(appointment_id): Path<i64>) -> Result<axum::Json<Appointment>, Error> {
    desk_appointment(&state, &staff, appointment_id).await
}

/// `GET /api/v1/desk/doctors/{id}/day-list` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DayListQuery {
    pub date: NaiveDate,
}

/// A doctor's day list, with the patients' full names, for the doctor's
/// printed list; audited, since it shows more than the board.
#[utoipa::path(get, path = "/api/v1/desk/doctors/{id}/day-list", tag = "desk", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Doctor id"), DayListQuery),
    responses((status = 200, body = DayList), (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 404, body = ApiError, description = "not_found: no such doctor, or another clinic's")))]
pub async fn day_list(
    State(state): State<AppState>,
    Staff(staff): Staff,
    Path(doctor_id): Path<i64>,
    Query(query): Query<DayListQuery>,
) -> Result<axum::Json<DayList>, Error> {
    state.store.day_list(doctor_id, query.date, &staff, state.clock.now()).await?.map(axum::Json).ok_or(Error::NotFound("врач"))
}

/// The appointment as the desk shows it after an action.
async fn desk_appointment(state: &AppState, staff: &StaffMember, appointment_id: i64) -> Result<axum::Json<Appointment>, Error> {
    state.store.appointment_for_staff(appointment_id, staff).await?.map(axum::Json).ok_or(Error::NotFound("запись"))
}

/// The staff member's grant at `clinic_id`; another clinic does not exist for them.
fn grant_at(staff: &StaffMember, clinic_id: i64) -> Result<Grant, Error> {
    staff.at(clinic_id).ok_or(Error::NotFound("поликлиника"))
}

fn patient_query(search: &PatientSearch) -> Result<PatientQuery, Error> {
    let name_given = search.last_name.as_deref().is_some_and(|name| !name.trim().is_empty());
    match (search.policy.as_deref(), search.snils.as_deref(), name_given, search.birth_date) {
        (Some(policy), None, false, None) => PolicyNumber::parse(policy)
            .map(PatientQuery::Policy)
            .map_err(|_| Error::Unacceptable("полис ОМС: 16 цифр, последняя — контрольная; проверьте номер".to_owned())),
        (None, Some(snils), false, None) => Snils::parse(snils)
            .map(PatientQuery::Snils)
            .map_err(|_| Error::Unacceptable("СНИЛС: 11 цифр с верной контрольной суммой; проверьте номер".to_owned())),
        (None, None, true, Some(birth_date)) => Ok(PatientQuery::Name {
            last_name: person_name("фамилия", search.last_name.as_deref().unwrap_or_default(), true)?,
            first_name: optional_name("имя", search.first_name.as_deref())?,
            middle_name: optional_name("отчество", search.middle_name.as_deref())?,
            birth_date,
        }),
        _ => Err(Error::Unacceptable("ищите по одному признаку: полису ОМС, СНИЛС или фамилии с датой рождения".to_owned())),
    }
}

fn optional_name(field: &str, value: Option<&str>) -> Result<Option<String>, Error> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => person_name(field, value, true).map(Some),
    }
}

/// A part of a Russian name, or the refusal that names the field.
fn person_name(field: &str, value: &str, required: bool) -> Result<String, Error> {
    registratura_contract::identity::person_name(value, required).map_err(|problem| {
        Error::Unacceptable(match problem {
            NameProblem::Missing => format!("{field}: не заполнено"),
            NameProblem::TooLong => format!("{field}: не длиннее {MAX_NAME_CHARS} букв"),
            NameProblem::LatinLetters => format!("{field}: латинские буквы среди русских — проверьте раскладку"),
            NameProblem::NotLetters => format!("{field}: только русские буквы, дефис и пробел"),
        })
    })
}

fn past_birth_date(date: NaiveDate, now: i64) -> Result<NaiveDate, Error> {
    let today = registratura_contract::calendar::clinic_date(chrono::DateTime::from_timestamp(now, 0).unwrap_or_default(), KALUGA.time_zone);
    if date > today {
        return Err(Error::Unacceptable("дата рождения: ещё не наступила".to_owned()));
    }
    if date < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(date) {
        return Err(Error::Unacceptable("дата рождения: раньше 1900 года".to_owned()));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cyrillic_and_a_wrong_layout_is_caught() {
        assert_eq!(person_name("фамилия", " Салтыков-Щедрин ", true).expect("valid"), "Салтыков-Щедрин");
        assert!(person_name("фамилия", "Иванов", true).is_ok());
        // «С» and «о» typed in Latin.
        assert!(person_name("фамилия", "Cидoров", true).is_err());
        assert!(person_name("фамилия", "", true).is_err());
        assert_eq!(person_name("отчество", "", false).expect("optional"), "");
        assert!(person_name("имя", "Анна1", true).is_err());
    }

}
