//! The reception desk: a staff member's sign-in, held in memory only, and
//! the client of the registry server's `/api/v1/desk/` routes.
//!
//! A desk PC is shared between shifts, so the staff token never reaches the
//! keyring or a file: it ends with the app, with «Выйти», or after the
//! working day the server gives it.

use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::api::desk::{
    BoardColumn, BoardState, CancelReason, DayList, DeskBooking, DeskCancel, DeskMe, DeskMove, Grant, NearestSlot, PatientCard, PatientsFound,
    Registered, Registration, Role, Sex,
};
use crate::api::Appointment;
use crate::identity::{person_name, NameProblem, Phone, PolicyNumber, Snils};
use crate::calendar::{clinic_date, clinic_instant, clinic_time_of_day};
use crate::login::CLIENT_ID;
use crate::oauth::{form_encode, new_state, parse_callback, Callback, PendingLogins, Pkce};
use crate::registry::{read, RegistryClient};
use crate::sensitive::Sensitive;
use crate::Error;

/// How a registrar looks for a patient: exactly one of these.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum PatientLookup {
    Policy { policy: String },
    Snils { snils: String },
    Name {
        last_name: String,
        #[serde(default)]
        first_name: String,
        #[serde(default)]
        middle_name: String,
        birth_date: NaiveDate,
    },
}

impl PatientLookup {
    fn query(&self, clinic_id: i64) -> Vec<(&'static str, String)> {
        let mut query = vec![("clinic", clinic_id.to_string())];
        match self {
            PatientLookup::Policy { policy } => query.push(("policy", digits_of(policy))),
            PatientLookup::Snils { snils } => query.push(("snils", digits_of(snils))),
            PatientLookup::Name { last_name, first_name, middle_name, birth_date } => {
                query.push(("last_name", last_name.trim().to_owned()));
                for (field, value) in [("first_name", first_name), ("middle_name", middle_name)] {
                    if !value.trim().is_empty() {
                        query.push((field, value.trim().to_owned()));
                    }
                }
                query.push(("birth_date", birth_date.to_string()));
            }
        }
        query
    }
}

/// A number as typed at the desk, with the spaces and dashes people and
/// scanners put between its groups taken out.
fn digits_of(typed: &str) -> String {
    typed.chars().filter(|c| !matches!(c, ' ' | '-' | '\u{a0}')).collect()
}

/// A mark on an appointment on the day of the visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayMark {
    CheckIn,
    UndoCheckIn,
    NoShow,
    UndoNoShow,
}

impl DayMark {
    fn path(self) -> &'static str {
        match self {
            DayMark::CheckIn => "check-in",
            DayMark::UndoCheckIn => "check-in/undo",
            DayMark::NoShow => "no-show",
            DayMark::UndoNoShow => "no-show/undo",
        }
    }
}

/// The desk's clinic as the header shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeskClinic {
    pub id: i64,
    pub organization_id: i64,
    pub role: Role,
}

/// What the desk's UI may know of the sign-in: never the token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeskView {
    pub signed_in: bool,
    /// «Фамилия И. О.».
    pub name: Option<String>,
    /// The clinics the staff member works at, and the one the desk acts at now.
    pub clinics: Vec<DeskClinic>,
    pub clinic_id: Option<i64>,
}

#[derive(Debug)]
struct Signed {
    token: Sensitive<String>,
    expires: Instant,
    me: DeskMe,
    clinic_id: i64,
}

/// The desk's one sign-in.
#[derive(Debug, Default)]
pub struct DeskSession {
    current: Mutex<Option<Signed>>,
    /// Sign-ins through ESIA in progress, by state: each is good once.
    pending: Mutex<PendingLogins>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl DeskSession {
    /// Signs in with a staff login and password; the desk then acts at the
    /// first clinic the staff member works at.
    pub async fn sign_in(&self, registry: &RegistryClient, login: &str, password: &Sensitive<String>) -> Result<DeskView, Error> {
        let login = login.trim();
        if login.is_empty() || password.expose().is_empty() {
            return Err(Error::WrongCredentials);
        }
        let (token, lifetime) = registry.staff_token(login, password).await?;
        self.signed_in(registry, token, lifetime).await
    }

    /// Keeps a new staff token with who it belongs to; the desk then acts
    /// at the first clinic the staff member works at.
    async fn signed_in(&self, registry: &RegistryClient, token: Sensitive<String>, lifetime: Duration) -> Result<DeskView, Error> {
        let me = registry.desk_me(&token).await?;
        let Some(clinic_id) = clinics_of(&me.grants).first().map(|clinic| clinic.id) else {
            // A staff record with no clinic cannot act anywhere.
            let _ = registry.revoke(&token).await;
            return Err(Error::Forbidden);
        };
        *lock(&self.current) = Some(Signed { token, expires: Instant::now() + lifetime, me, clinic_id });
        Ok(self.view())
    }

    /// Starts a sign-in through ESIA at the registry's broker (`scope=desk`):
    /// the URL to open in the system browser, which comes back to
    /// `redirect_uri` (the app's scheme or its loopback listener).
    pub fn start_esia(&self, registry: &RegistryClient, redirect_uri: &str) -> Result<String, Error> {
        let pkce = Pkce::generate()?;
        let state = new_state()?;
        let query = form_encode(&[
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", redirect_uri),
            ("state", &state),
            ("code_challenge", &pkce.challenge),
            ("code_challenge_method", "S256"),
            ("scope", "desk"),
        ]);
        // A staff sign-in asks for no id_token, so it sends no nonce.
        lock(&self.pending).insert(state, pkce.verifier, None, redirect_uri.to_owned(), Instant::now());
        Ok(registry.url(&format!("/oauth/authorize?{query}")))
    }

    /// Forgets the sign-ins through ESIA in progress («Отмена»).
    pub fn cancel_esia(&self) {
        lock(&self.pending).clear();
    }

    /// Whether a sign-in through ESIA is waiting for its callback.
    pub fn esia_pending(&self) -> bool {
        !lock(&self.pending).is_empty()
    }

    /// Finishes a sign-in through ESIA from the callback `url`: the code is
    /// traded for a staff token with the verifier only this app holds.
    pub async fn finish_esia(&self, registry: &RegistryClient, url: &str, loopback_port: Option<u16>) -> Result<DeskView, Error> {
        let callback = parse_callback(url, loopback_port).map_err(|_| Error::InvalidInput("not a login callback".to_owned()))?;
        let (code, state) = match callback {
            // The broker's staff sign-in: the desk knows no other issuer.
            Callback::Code { code, state, .. } => (code, state),
            Callback::Refused { error, state } => {
                if let Some(state) = state {
                    lock(&self.pending).take(&state, Instant::now());
                }
                return Err(Error::LoginRefused(error));
            }
        };
        let Some(login) = lock(&self.pending).take(&state, Instant::now()) else {
            return Err(Error::InvalidInput("a sign-in this desk did not start, or started too long ago".to_owned()));
        };
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code.expose().as_str()),
            ("redirect_uri", login.redirect_uri.as_str()),
            ("client_id", CLIENT_ID),
            ("code_verifier", login.verifier.expose().as_str()),
        ];
        let (token, lifetime) = registry.desk_token_request(&form).await?;
        self.signed_in(registry, token, lifetime).await
    }

    /// Switches the desk to another of the staff member's clinics.
    pub fn choose_clinic(&self, clinic_id: i64) -> Result<DeskView, Error> {
        {
            let mut current = lock(&self.current);
            let signed = current.as_mut().ok_or(Error::SessionExpired)?;
            if !signed.me.grants.iter().any(|grant| grant.clinic_id == clinic_id) {
                return Err(Error::NotFound);
            }
            signed.clinic_id = clinic_id;
        }
        Ok(self.view())
    }

    /// The sign-in as the UI shows it.
    pub fn view(&self) -> DeskView {
        match &*lock(&self.current) {
            Some(signed) if signed.expires > Instant::now() => DeskView {
                signed_in: true,
                name: Some(short_name(&signed.me)),
                clinics: clinics_of(&signed.me.grants),
                clinic_id: Some(signed.clinic_id),
            },
            _ => DeskView { signed_in: false, name: None, clinics: Vec::new(), clinic_id: None },
        }
    }

    /// Signs out here and at the server; forgotten here even when the
    /// server cannot be reached.
    pub async fn sign_out(&self, registry: &RegistryClient) -> DeskView {
        let signed = lock(&self.current).take();
        if let Some(signed) = signed {
            if let Err(error) = registry.revoke(&signed.token).await {
                tracing::warn!(kind = ?error.kind(), "the staff token could not be revoked at the server");
            }
        }
        self.view()
    }

    /// Runs `call` with the staff token and the desk's clinic. A token the
    /// server no longer accepts ends the sign-in here too.
    pub async fn authorized<T, F, Fut>(&self, call: F) -> Result<T, Error>
    where
        F: FnOnce(Sensitive<String>, i64) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let (token, clinic_id) = {
            let current = lock(&self.current);
            match &*current {
                Some(signed) if signed.expires > Instant::now() => (signed.token.clone(), signed.clinic_id),
                _ => return Err(Error::SessionExpired),
            }
        };
        let answer = call(token, clinic_id).await;
        if matches!(answer, Err(Error::SessionExpired)) {
            *lock(&self.current) = None;
        }
        answer
    }
}

fn clinics_of(grants: &[Grant]) -> Vec<DeskClinic> {
    let mut clinics: Vec<DeskClinic> = Vec::new();
    for grant in grants {
        match clinics.iter_mut().find(|clinic| clinic.id == grant.clinic_id) {
            // A registrar's grant names the desk's work even where the person is also the admin.
            Some(clinic) if grant.role == Role::Registrar => clinic.role = Role::Registrar,
            Some(_) => {}
            None => clinics.push(DeskClinic { id: grant.clinic_id, organization_id: grant.organization_id, role: grant.role }),
        }
    }
    clinics.sort_by_key(|clinic| clinic.id);
    clinics
}

fn short_name(me: &DeskMe) -> String {
    let initial = |part: &str| part.chars().next().map(|c| format!(" {c}.")).unwrap_or_default();
    format!("{}{}{}", me.last_name, initial(&me.first_name), initial(&me.middle_name))
}

/// A clinic's day as the desk's board draws it: times as the clinic's
/// clock reads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayBoard {
    pub date: NaiveDate,
    pub is_today: bool,
    pub columns: Vec<BoardDoctor>,
}

/// A doctor's column on the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoardDoctor {
    pub doctor_id: i64,
    pub full_name: String,
    pub position: String,
    pub service_ids: Vec<i64>,
    pub slots: Vec<BoardTime>,
}

/// A time on the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoardTime {
    pub slot_id: i64,
    /// «09:15».
    pub time: String,
    pub state: BoardState,
    pub appointment_id: Option<i64>,
    pub patient: Option<String>,
    pub ticket: Option<String>,
    /// Whether the time has begun: «Не явился» is possible only then.
    pub started: bool,
}

/// Turns the server's board into the desk's: clinic-local times.
pub fn day_board(columns: Vec<BoardColumn>, date: NaiveDate, now: chrono::DateTime<chrono::Utc>, zone: chrono_tz::Tz) -> DayBoard {
    let time = |unix: i64| clinic_time_of_day(&clinic_instant(unix, zone));
    DayBoard {
        date,
        is_today: clinic_date(now, zone) == date,
        columns: columns
            .into_iter()
            .map(|column| BoardDoctor {
                doctor_id: column.doctor_id,
                full_name: column.full_name,
                position: column.position,
                service_ids: column.service_ids,
                slots: column
                    .slots
                    .into_iter()
                    .map(|slot| BoardTime {
                        slot_id: slot.id,
                        time: time(slot.starts_at),
                        state: slot.state,
                        appointment_id: slot.appointment_id,
                        patient: slot.patient,
                        ticket: slot.ticket,
                        started: slot.starts_at <= now.timestamp(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The nearest free time, as the desk offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NearestTime {
    pub slot_id: i64,
    pub doctor_id: i64,
    pub doctor: String,
    pub service_id: i64,
    pub date: NaiveDate,
    pub time: String,
    pub reserved: bool,
}

impl NearestTime {
    pub fn new(nearest: NearestSlot, zone: chrono_tz::Tz) -> Self {
        let instant = clinic_instant(nearest.starts_at, zone);
        Self {
            slot_id: nearest.slot_id,
            doctor_id: nearest.doctor_id,
            doctor: nearest.doctor,
            service_id: nearest.service_id,
            date: instant.date_naive(),
            time: clinic_time_of_day(&instant),
            reserved: nearest.reserved,
        }
    }
}

/// A new patient as the desk's form gives them; the desk's clinic is added
/// by [`NewPatient::at`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NewPatient {
    pub last_name: String,
    pub first_name: String,
    #[serde(default)]
    pub middle_name: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub policy: String,
    #[serde(default)]
    pub snils: Option<String>,
    pub phone: String,
}

/// What is wrong with one field of a form, in stable words the UI turns
/// into sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    /// `last_name`, `first_name`, `middle_name`, `birth_date`, `policy`, `snils` or `phone`.
    pub field: &'static str,
    /// `missing`, `too_long`, `latin_letters`, `not_letters`, `in_future`,
    /// `too_old`, `length` or `checksum`.
    pub problem: &'static str,
}

impl NewPatient {
    /// Every field checked as the server will check it, so the desk can say
    /// at once what to correct; the server checks again and is the truth.
    pub fn check(&self, today: NaiveDate) -> Result<(), Error> {
        let mut problems = Vec::new();
        let mut flag = |field: &'static str, problem: &'static str| problems.push(FieldProblem { field, problem });
        for (field, value, required) in [
            ("last_name", &self.last_name, true),
            ("first_name", &self.first_name, true),
            ("middle_name", &self.middle_name, false),
        ] {
            if let Err(problem) = person_name(value, required) {
                flag(field, match problem {
                    NameProblem::Missing => "missing",
                    NameProblem::TooLong => "too_long",
                    NameProblem::LatinLetters => "latin_letters",
                    NameProblem::NotLetters => "not_letters",
                });
            }
        }
        if self.birth_date > today {
            flag("birth_date", "in_future");
        } else if self.birth_date.year() < 1900 {
            flag("birth_date", "too_old");
        }
        let policy = digits_of(&self.policy);
        if policy.len() != 16 || !policy.bytes().all(|b| b.is_ascii_digit()) {
            flag("policy", "length");
        } else if PolicyNumber::parse(&policy).is_err() {
            flag("policy", "checksum");
        }
        let snils = self.snils.as_deref().map(digits_of).unwrap_or_default();
        if !snils.is_empty() {
            if snils.len() != 11 || !snils.bytes().all(|b| b.is_ascii_digit()) {
                flag("snils", "length");
            } else if Snils::parse(&snils).is_err() {
                flag("snils", "checksum");
            }
        }
        if self.phone.trim().is_empty() {
            flag("phone", "missing");
        } else if Phone::parse(&self.phone).is_err() {
            flag("phone", "length");
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidFields(problems))
        }
    }

    /// The registration of this patient at `clinic_id`'s desk.
    pub fn at(self, clinic_id: i64) -> Registration {
        Registration {
            clinic: clinic_id,
            last_name: self.last_name,
            first_name: self.first_name,
            middle_name: self.middle_name,
            birth_date: self.birth_date,
            sex: self.sex,
            policy: digits_of(&self.policy),
            snils: self.snils.map(|snils| digits_of(&snils)).filter(|snils| !snils.is_empty()),
            phone: self.phone,
        }
    }
}

/// What the token endpoint answers a staff sign-in.
#[derive(Deserialize)]
struct StaffToken {
    access_token: String,
    expires_in: i64,
}

/// An OAuth error body (RFC 6749 §5.2).
#[derive(Deserialize)]
struct OAuthError {
    error: String,
}

impl RegistryClient {
    /// A staff sign-in (`grant_type=password`, `scope=desk`): the token and
    /// how long it lasts.
    pub async fn staff_token(&self, login: &str, password: &Sensitive<String>) -> Result<(Sensitive<String>, Duration), Error> {
        self.desk_token_request(&[
            ("grant_type", "password"),
            ("client_id", CLIENT_ID),
            ("scope", "desk"),
            ("username", login),
            ("password", password.expose().as_str()),
        ])
        .await
    }

    /// A request to the token endpoint that answers a staff token: the
    /// token and how long it lasts. A refused grant is [`Error::WrongCredentials`].
    async fn desk_token_request(&self, form: &[(&str, &str)]) -> Result<(Sensitive<String>, Duration), Error> {
        let response = self.http().post(self.url("/oauth/token")).form(form).send().await.map_err(|_| Error::Offline)?;
        let status = response.status();
        if status.is_success() {
            let token: StaffToken = response.json().await.map_err(|error| Error::Internal(format!("the staff token did not parse: {error}")))?;
            return Ok((Sensitive::new(token.access_token), Duration::from_secs(token.expires_in.max(0) as u64)));
        }
        if status.is_server_error() {
            return Err(Error::Offline);
        }
        match response.json::<OAuthError>().await {
            Ok(body) if body.error == "invalid_grant" => Err(Error::WrongCredentials),
            Ok(body) => Err(Error::Internal(format!("the staff sign-in answered {status} {}", body.error))),
            Err(_) => Err(Error::Internal(format!("the staff sign-in answered {status}"))),
        }
    }

    /// Ends a staff token at the server.
    pub async fn revoke(&self, token: &Sensitive<String>) -> Result<(), Error> {
        let response = self
            .http()
            .post(self.url("/oauth/revoke"))
            .form(&[("token", token.expose().as_str()), ("client_id", CLIENT_ID)])
            .send()
            .await
            .map_err(|_| Error::Offline)?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(Error::Internal(format!("revocation answered {}", response.status())))
        }
    }

    /// Who the staff token belongs to, and where they work.
    pub async fn desk_me(&self, token: &Sensitive<String>) -> Result<DeskMe, Error> {
        read(self.http().get(self.url("/api/v1/desk/me")).bearer_auth(token.expose())).await
    }

    /// Patients matching `lookup`, as seen from `clinic_id`'s desk.
    pub async fn desk_search(&self, token: &Sensitive<String>, clinic_id: i64, lookup: &PatientLookup) -> Result<PatientsFound, Error> {
        let request = self.http().get(self.url("/api/v1/desk/patients")).query(&lookup.query(clinic_id)).bearer_auth(token.expose());
        read(request).await
    }

    /// A patient's appointments at `clinic_id`.
    pub async fn desk_patient(&self, token: &Sensitive<String>, clinic_id: i64, patient_id: i64) -> Result<PatientCard, Error> {
        let request = self
            .http()
            .get(self.url(&format!("/api/v1/desk/patients/{patient_id}")))
            .query(&[("clinic", clinic_id)])
            .bearer_auth(token.expose());
        read(request).await
    }

    /// Registers a new patient; one already known is [`Error::PatientExists`].
    pub async fn desk_register(&self, token: &Sensitive<String>, registration: &Registration) -> Result<Registered, Error> {
        read(self.http().post(self.url("/api/v1/desk/patients")).bearer_auth(token.expose()).json(registration)).await
    }

    /// The clinic's day board, optionally for one service's doctors.
    pub async fn desk_board(&self, token: &Sensitive<String>, clinic_id: i64, date: NaiveDate, service_id: Option<i64>) -> Result<Vec<BoardColumn>, Error> {
        let mut query = vec![("date", date.to_string())];
        if let Some(service_id) = service_id {
            query.push(("service", service_id.to_string()));
        }
        let request = self.http().get(self.url(&format!("/api/v1/desk/clinics/{clinic_id}/board"))).query(&query).bearer_auth(token.expose());
        read(request).await
    }

    /// The first free time of a service across the clinic's doctors, from
    /// `from` on; with `reserved_only`, the first time kept for the desk.
    pub async fn desk_nearest(
        &self,
        token: &Sensitive<String>,
        clinic_id: i64,
        service_id: i64,
        from: Option<NaiveDate>,
        reserved_only: bool,
    ) -> Result<NearestSlot, Error> {
        let mut query = vec![("service", service_id.to_string()), ("reserved_only", reserved_only.to_string())];
        if let Some(from) = from {
            query.push(("from", from.to_string()));
        }
        let request = self.http().get(self.url(&format!("/api/v1/desk/clinics/{clinic_id}/nearest"))).query(&query).bearer_auth(token.expose());
        read(request).await
    }

    /// Books at the desk; a retry with the same `idempotency_key` answers the first booking.
    pub async fn desk_book(&self, token: &Sensitive<String>, idempotency_key: &str, booking: &DeskBooking) -> Result<Appointment, Error> {
        let request = self
            .http()
            .post(self.url("/api/v1/desk/appointments"))
            .bearer_auth(token.expose())
            .header("Idempotency-Key", idempotency_key)
            .json(booking);
        read(request).await
    }

    /// One appointment at the staff member's clinics.
    pub async fn desk_appointment(&self, token: &Sensitive<String>, appointment_id: i64) -> Result<Appointment, Error> {
        read(self.http().get(self.url(&format!("/api/v1/desk/appointments/{appointment_id}"))).bearer_auth(token.expose())).await
    }

    /// Cancels an appointment for `reason`.
    pub async fn desk_cancel(&self, token: &Sensitive<String>, appointment_id: i64, reason: CancelReason) -> Result<Appointment, Error> {
        let request = self
            .http()
            .post(self.url(&format!("/api/v1/desk/appointments/{appointment_id}/cancel")))
            .bearer_auth(token.expose())
            .json(&DeskCancel { reason });
        read(request).await
    }

    /// Moves an appointment to another slot, in one server transaction.
    pub async fn desk_move(&self, token: &Sensitive<String>, appointment_id: i64, to: &DeskMove) -> Result<Appointment, Error> {
        let request = self
            .http()
            .post(self.url(&format!("/api/v1/desk/appointments/{appointment_id}/move")))
            .bearer_auth(token.expose())
            .json(to);
        read(request).await
    }

    /// A doctor's day list, with the patients' full names.
    pub async fn desk_day_list(&self, token: &Sensitive<String>, doctor_id: i64, date: NaiveDate) -> Result<DayList, Error> {
        let request = self
            .http()
            .get(self.url(&format!("/api/v1/desk/doctors/{doctor_id}/day-list")))
            .query(&[("date", date.to_string())])
            .bearer_auth(token.expose());
        read(request).await
    }

    /// «Пришёл», «Не явился», or undoing either.
    pub async fn desk_mark(&self, token: &Sensitive<String>, appointment_id: i64, mark: DayMark) -> Result<Appointment, Error> {
        let path = format!("/api/v1/desk/appointments/{appointment_id}/{}", mark.path());
        read(self.http().post(self.url(&path)).bearer_auth(token.expose())).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_number_loses_its_separators() {
        let lookup = PatientLookup::Policy { policy: "4000 0000-0000 0014".to_owned() };
        assert_eq!(lookup.query(7), vec![("clinic", "7".to_owned()), ("policy", "4000000000000014".to_owned())]);
    }

    #[test]
    fn a_name_search_sends_only_the_parts_given() {
        let lookup = PatientLookup::Name {
            last_name: " Иванова ".to_owned(),
            first_name: String::new(),
            middle_name: "П".to_owned(),
            birth_date: NaiveDate::from_ymd_opt(1950, 3, 8).expect("date"),
        };
        let fields: Vec<&str> = lookup.query(1).iter().map(|(field, _)| *field).collect();
        assert_eq!(fields, ["clinic", "last_name", "middle_name", "birth_date"]);
    }

    fn patient() -> NewPatient {
        NewPatient {
            last_name: "Иванова".to_owned(),
            first_name: "Анна".to_owned(),
            middle_name: String::new(),
            birth_date: NaiveDate::from_ymd_opt(1950, 3, 8).expect("date"),
            sex: Sex::Female,
            policy: "4000 0000 0000 0014".to_owned(),
            snils: None,
            phone: "+7 910 123-45-67".to_owned(),
        }
    }

    fn problems(patient: &NewPatient) -> Vec<(&'static str, &'static str)> {
        match patient.check(NaiveDate::from_ymd_opt(2026, 12, 1).expect("date")) {
            Ok(()) => Vec::new(),
            Err(Error::InvalidFields(problems)) => problems.into_iter().map(|p| (p.field, p.problem)).collect(),
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn a_well_formed_patient_passes_the_check() {
        let mut valid = patient();
        // A policy of the demo's kind, completed with its real check digit.
        valid.policy = PolicyNumber::completing("400000000000001").expect("policy").digits().to_owned();
        assert_eq!(problems(&valid), []);
    }

    #[test]
    fn every_field_names_its_own_problem() {
        let mut wrong = patient();
        wrong.last_name = "Ивaнова".to_owned(); // a Latin «a»
        wrong.first_name = " ".to_owned();
        wrong.birth_date = NaiveDate::from_ymd_opt(2027, 1, 1).expect("date");
        wrong.policy = "123".to_owned();
        wrong.snils = Some("112-233-445 96".to_owned());
        wrong.phone = "12345".to_owned();
        assert_eq!(
            problems(&wrong),
            [
                ("last_name", "latin_letters"),
                ("first_name", "missing"),
                ("birth_date", "in_future"),
                ("policy", "length"),
                ("snils", "checksum"),
                ("phone", "length"),
            ]
        );
        let mut checksum = patient();
        let valid = PolicyNumber::completing("400000000000001").expect("policy").digits().to_owned();
        let last = valid.as_bytes()[15] - b'0';
        checksum.policy = format!("{}{}", &valid[..15], (last + 1) % 10);
        assert_eq!(problems(&checksum), [("policy", "checksum")]);
    }

    #[test]
    fn a_registrar_grant_wins_over_an_admin_grant_at_the_same_clinic() {
        let grants = [
            Grant { role: Role::Admin, clinic_id: 2, organization_id: 1 },
            Grant { role: Role::Registrar, clinic_id: 2, organization_id: 1 },
            Grant { role: Role::Admin, clinic_id: 1, organization_id: 1 },
        ];
        let clinics = clinics_of(&grants);
        assert_eq!(clinics.iter().map(|clinic| (clinic.id, clinic.role)).collect::<Vec<_>>(), [(1, Role::Admin), (2, Role::Registrar)]);
    }

    /// Plays the browser from the broker's authorize URL through the ESIA
    /// sandbox to the redirect the OS would hand the app.
    async fn through_the_sandbox(opened: &str, login: &str) -> String {
        let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        let location = |response: &reqwest::Response| response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let base = opened.split("/oauth/authorize").next().expect("a broker URL").to_owned();
        let to_esia = browser.get(opened).send().await.expect("broker");
        let page = browser.get(location(&to_esia)).send().await.expect("login page").text().await.expect("html");
        let marker = r#"name="request" value=""#;
        let start = page.find(marker).expect("a login form") + marker.len();
        let request = &page[start..start + page[start..].find('"').expect("quote")];
        let form = [("request", request), ("login", login), ("password", "esia-test-2026")];
        browser.post(format!("{base}/aas/oauth2/v2/ac")).form(&form).send().await.expect("login");
        let consent = [("request", request), ("decision", "allow")];
        let to_broker = browser.post(format!("{base}/aas/oauth2/v2/ac/consent")).form(&consent).send().await.expect("consent");
        let to_app = browser.get(location(&to_broker)).send().await.expect("broker callback");
        location(&to_app)
    }

    #[tokio::test]
    async fn a_staff_member_signs_in_by_password_or_through_esia_works_and_signs_out() {
        let dir = std::env::temp_dir().join(format!("registratura-core-desk-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let server = registry_server::embedded::EmbeddedServer::start(&dir.join("registry.sqlite3")).await.expect("server");
        let registry = RegistryClient::new(&server.base_url()).expect("client");
        let desk = DeskSession::default();

        let wrong = desk.sign_in(&registry, "registrar1", &Sensitive::new("not-it".to_owned())).await.expect_err("a wrong password");
        assert_eq!(wrong.kind(), crate::ErrorKind::WrongCredentials);
        assert!(!desk.view().signed_in);
        let view = desk.sign_in(&registry, " registrar1 ", &Sensitive::new(registry_server::demo::STAFF_PASSWORD.to_owned())).await.expect("sign in");
        assert_eq!((view.signed_in, view.clinic_id), (true, Some(1)));
        let lookup = PatientLookup::Name {
            last_name: "Захарова".to_owned(),
            first_name: String::new(),
            middle_name: String::new(),
            birth_date: NaiveDate::from_ymd_opt(1951, 3, 14).expect("date"),
        };
        let found = desk.authorized(|token, clinic| { let (registry, lookup) = (&registry, &lookup); async move { registry.desk_search(&token, clinic, lookup).await } }).await.expect("search");
        assert_eq!(found.patients.len(), 1);
        assert!(desk.choose_clinic(2).is_err(), "registrar1 works at clinic 1 only");
        let after = desk.sign_out(&registry).await;
        assert!(!after.signed_in);
        let gone = desk.authorized(|token, clinic| { let (registry, lookup) = (&registry, &lookup); async move { registry.desk_search(&token, clinic, lookup).await } }).await;
        assert_eq!(gone.expect_err("signed out").kind(), crate::ErrorKind::SessionExpired);

        // Through ESIA: the broker's sandbox, back by the app's scheme.
        let opened = desk.start_esia(&registry, crate::oauth::CUSTOM_SCHEME_REDIRECT).expect("start");
        assert!(opened.contains("scope=desk"), "{opened}");
        let callback = through_the_sandbox(&opened, "registrar1@esia-sandbox.test").await;
        let view = desk.finish_esia(&registry, &callback, None).await.expect("finish");
        assert_eq!((view.signed_in, view.clinic_id), (true, Some(1)));
        let replayed = desk.finish_esia(&registry, &callback, None).await.expect_err("a callback is good once");
        assert_eq!(replayed.kind(), crate::ErrorKind::InvalidInput);
        desk.sign_out(&registry).await;

        // A citizen who is no staff member is refused.
        let opened = desk.start_esia(&registry, crate::oauth::CUSTOM_SCHEME_REDIRECT).expect("start");
        let callback = through_the_sandbox(&opened, "patient1@esia-sandbox.test").await;
        let refused = desk.finish_esia(&registry, &callback, None).await.expect_err("not staff");
        assert_eq!(refused.kind(), crate::ErrorKind::LoginRefused);
        assert!(!desk.view().signed_in);
    }
}
