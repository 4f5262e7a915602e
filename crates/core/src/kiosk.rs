//! The lobby kiosk: the device's credential (entered once and kept in the
//! OS keyring), the one patient it serves at a time (in memory only, and
//! forgotten when the visit ends), the client of the kiosk routes, and what
//! a kiosk prints: a ticket with the patient's initials only, and the
//! check-in slip with the room and the place in the queue.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use chrono::NaiveDate;
use serde::Serialize;

use crate::api::kiosk::{CheckedIn, Identified, Identify, KioskDevice, PinCheck, VISIT_HEADER};
use crate::api::{Appointment, BookingRequest, Day, Slot};
use crate::identity::PolicyNumber;
use crate::registry::{read, send, RegistryClient};
use crate::secrets::{Keyring, RefreshTokenStore};
use crate::sensitive::Sensitive;
use crate::ticket::{Paper, TicketLayout};
use crate::Error;

/// What the kiosk's screens may know of the terminal and its patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KioskView {
    /// Whether a working device credential is set.
    pub registered: bool,
    /// The kiosk's name and clinic, for the admin's settings screen.
    pub name: Option<String>,
    pub clinic_id: Option<i64>,
    /// Whether the keyring could be used: without it the credential holds
    /// until the app closes only.
    pub keyring: bool,
    /// The identified patient's initials, while a visit lasts.
    pub patient: Option<String>,
}

#[derive(Debug)]
struct Visit {
    token: Sensitive<String>,
    initials: String,
}

#[derive(Debug)]
struct Device {
    credential: Sensitive<String>,
    device: KioskDevice,
}

/// The kiosk: its device, and the patient of the visit in progress.
#[derive(Debug, Default)]
pub struct KioskTerminal {
    device: Mutex<Option<Device>>,
    visit: Mutex<Option<Visit>>,
    keyring_works: AtomicBool,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The keyring entry that keeps the kiosk's credential.
pub fn credential_store(service: &str) -> RefreshTokenStore {
    RefreshTokenStore::kiosk_credential(service)
}

impl KioskTerminal {
    /// At start: the credential from the keyring, checked with the server.
    /// A credential the server refuses (revoked) is forgotten.
    pub async fn start(&self, registry: &RegistryClient, keyring: &RefreshTokenStore) -> KioskView {
        let saved = keyring.load();
        self.keyring_works.store(matches!(saved, Keyring::Available(_)), Ordering::Relaxed);
        if let Keyring::Available(Some(credential)) = saved {
            match registry.kiosk_device(&credential).await {
                Ok(device) => *lock(&self.device) = Some(Device { credential, device }),
                Err(Error::DeviceUnknown) => {
                    let _ = keyring.delete();
                }
                Err(error) => tracing::warn!(kind = ?error.kind(), "the kiosk could not check its credential"),
            }
        }
        self.view()
    }

    /// Whether a credential is held, checked or not (the server was down at start).
    pub fn has_device(&self) -> bool {
        lock(&self.device).is_some()
    }

    /// Enters the device credential an admin registered: checked with the
    /// server, then kept in the keyring.
    pub async fn enroll(&self, registry: &RegistryClient, keyring: &RefreshTokenStore, credential: Sensitive<String>) -> Result<KioskView, Error> {
        let trimmed = Sensitive::new(credential.expose().trim().to_owned());
        if trimmed.expose().is_empty() || trimmed.expose().len() > 200 {
            return Err(Error::DeviceUnknown);
        }
        let device = registry.kiosk_device(&trimmed).await?;
        let saved = keyring.save(&trimmed);
        self.keyring_works.store(matches!(saved, Keyring::Available(())), Ordering::Relaxed);
        *lock(&self.device) = Some(Device { credential: trimmed, device });
        Ok(self.view())
    }

    /// The terminal as the screens see it.
    pub fn view(&self) -> KioskView {
        let device = lock(&self.device);
        KioskView {
            registered: device.is_some(),
            name: device.as_ref().map(|device| device.device.name.clone()),
            clinic_id: device.as_ref().map(|device| device.device.clinic_id),
            keyring: self.keyring_works.load(Ordering::Relaxed),
            patient: lock(&self.visit).as_ref().map(|visit| visit.initials.clone()),
        }
    }

    /// The device credential, or `DeviceUnknown`.
    fn credential(&self) -> Result<Sensitive<String>, Error> {
        lock(&self.device).as_ref().map(|device| device.credential.clone()).ok_or(Error::DeviceUnknown)
    }

    /// The kiosk's device as the server described it.
    pub fn device(&self) -> Result<KioskDevice, Error> {
        lock(&self.device).as_ref().map(|device| device.device.clone()).ok_or(Error::DeviceUnknown)
    }

    /// Identifies the patient at the screen. A typed or scanned text that is
    /// not a policy number is refused here, before the server counts it.
    pub async fn identify(&self, registry: &RegistryClient, policy: &str, birth_date: NaiveDate) -> Result<String, Error> {
        let policy = PolicyNumber::parse(policy).map_err(|_| Error::NotAPolicy)?;
        let credential = self.credential()?;
        // A visit left open is ended first: one patient at a time.
        self.forget(registry).await;
        let identified = self.answer(registry.kiosk_identify(&credential, &Identify { policy: policy.digits().to_owned(), birth_date }).await)?;
        let initials = identified.initials.clone();
        *lock(&self.visit) = Some(Visit { token: Sensitive::new(identified.visit_token), initials: identified.initials });
        Ok(initials)
    }

    /// Forgets the patient: the visit is ended at the server (so its token
    /// opens nothing even if it were copied) and dropped from memory.
    pub async fn forget(&self, registry: &RegistryClient) {
        let visit = lock(&self.visit).take();
        if let (Some(visit), Ok(credential)) = (visit, self.credential()) {
            if let Err(error) = registry.kiosk_end_visit(&credential, &visit.token).await {
                tracing::warn!(kind = ?error.kind(), "the kiosk visit could not be ended at the server; it expires by itself");
            }
        }
    }

    /// Whether a patient is identified now.
    pub fn has_patient(&self) -> bool {
        lock(&self.visit).is_some()
    }

    /// The initials of the patient, for their ticket.
    pub fn initials(&self) -> Result<String, Error> {
        lock(&self.visit).as_ref().map(|visit| visit.initials.clone()).ok_or(Error::VisitEnded)
    }

    /// Runs a call for the identified patient with the device credential
    /// and the visit's token. A visit the server ended is forgotten here; a
    /// device it no longer knows is forgotten too.
    pub async fn for_patient<T, F, Fut>(&self, call: F) -> Result<T, Error>
    where
        F: FnOnce(Sensitive<String>, Sensitive<String>) -> Fut,
        Fut: std::future::Future<Output = Result<T, Error>>,
    {
        let credential = self.credential()?;
        let token = lock(&self.visit).as_ref().map(|visit| visit.token.clone()).ok_or(Error::VisitEnded)?;
        let answer = call(credential, token).await;
        self.answer(answer)
    }

    /// Runs a call of the device alone (the day's times, the PIN).
    pub async fn for_device<T, F, Fut>(&self, call: F) -> Result<T, Error>
    where
        F: FnOnce(Sensitive<String>) -> Fut,
        Fut: std::future::Future<Output = Result<T, Error>>,
    {
        let credential = self.credential()?;
        let answer = call(credential).await;
        self.answer(answer)
    }

    fn answer<T>(&self, answer: Result<T, Error>) -> Result<T, Error> {
        match &answer {
            Err(Error::VisitEnded) => *lock(&self.visit) = None,
            Err(Error::DeviceUnknown) => {
                *lock(&self.visit) = None;
                *lock(&self.device) = None;
            }
            _ => {}
        }
        answer
    }
}

impl RegistryClient {
    /// `GET /api/v1/kiosk/device`.
    pub async fn kiosk_device(&self, credential: &Sensitive<String>) -> Result<KioskDevice, Error> {
        read(self.http().get(self.url("/api/v1/kiosk/device")).bearer_auth(credential.expose())).await
    }

    /// `POST /api/v1/kiosk/identify`.
    pub async fn kiosk_identify(&self, credential: &Sensitive<String>, identify: &Identify) -> Result<Identified, Error> {
        read(self.http().post(self.url("/api/v1/kiosk/identify")).bearer_auth(credential.expose()).json(identify)).await
    }

    /// `DELETE /api/v1/kiosk/visit`.
    pub async fn kiosk_end_visit(&self, credential: &Sensitive<String>, visit: &Sensitive<String>) -> Result<(), Error> {
        send(self.http().delete(self.url("/api/v1/kiosk/visit")).bearer_auth(credential.expose()).header(VISIT_HEADER, visit.expose())).await
    }

    /// `POST /api/v1/kiosk/pin`: whether the admin PIN is right.
    pub async fn kiosk_pin(&self, credential: &Sensitive<String>, pin: &Sensitive<String>) -> Result<(), Error> {
        send(self.http().post(self.url("/api/v1/kiosk/pin")).bearer_auth(credential.expose()).json(&PinCheck { pin: pin.expose().clone() })).await
    }

    /// The identified patient's appointments.
    pub async fn kiosk_appointments(&self, credential: &Sensitive<String>, visit: &Sensitive<String>) -> Result<Vec<Appointment>, Error> {
        read(self.http().get(self.url("/api/v1/kiosk/appointments")).bearer_auth(credential.expose()).header(VISIT_HEADER, visit.expose())).await
    }

    /// Books for the identified patient.
    pub async fn kiosk_book(&self, credential: &Sensitive<String>, visit: &Sensitive<String>, idempotency_key: &str, booking: &BookingRequest) -> Result<Appointment, Error> {
        let request = self
            .http()
            .post(self.url("/api/v1/kiosk/appointments"))
            .bearer_auth(credential.expose())
            .header(VISIT_HEADER, visit.expose())
            .header("Idempotency-Key", idempotency_key)
            .json(booking);
        read(request).await
    }

    /// Cancels one of the identified patient's appointments.
    pub async fn kiosk_cancel(&self, credential: &Sensitive<String>, visit: &Sensitive<String>, appointment_id: i64) -> Result<Appointment, Error> {
        let request = self
            .http()
            .post(self.url(&format!("/api/v1/kiosk/appointments/{appointment_id}/cancel")))
            .bearer_auth(credential.expose())
            .header(VISIT_HEADER, visit.expose());
        read(request).await
    }

    /// «Я пришёл».
    pub async fn kiosk_check_in(&self, credential: &Sensitive<String>, visit: &Sensitive<String>, appointment_id: i64) -> Result<CheckedIn, Error> {
        let request = self
            .http()
            .post(self.url(&format!("/api/v1/kiosk/appointments/{appointment_id}/check-in")))
            .bearer_auth(credential.expose())
            .header(VISIT_HEADER, visit.expose());
        read(request).await
    }

    /// A doctor's next two weeks as the kiosk may book them.
    pub async fn kiosk_dates(&self, credential: &Sensitive<String>, doctor_id: i64, service_id: i64) -> Result<Vec<Day>, Error> {
        let request = self.http().get(self.url(&format!("/api/v1/kiosk/doctors/{doctor_id}/dates"))).query(&[("service", service_id)]).bearer_auth(credential.expose());
        read(request).await
    }

    /// A doctor's day as the kiosk may book it.
    pub async fn kiosk_slots(&self, credential: &Sensitive<String>, doctor_id: i64, service_id: i64, date: NaiveDate) -> Result<Vec<Slot>, Error> {
        let request = self
            .http()
            .get(self.url(&format!("/api/v1/kiosk/doctors/{doctor_id}/slots")))
            .query(&[("service", service_id.to_string()), ("date", date.to_string())])
            .bearer_auth(credential.expose());
        read(request).await
    }
}

/// The ticket a kiosk prints: the portal's ticket, with the patient named
/// by initials only, since it may be left on the printer of a public hall.
pub fn ticket_layout(appointment: &Appointment, paper: Paper, initials: &str) -> TicketLayout {
    let mut layout = crate::ticket::layout(appointment, paper);
    layout.rows.insert(1, ("Пациент:".to_owned(), initials.to_owned()));
    layout.footer = "Регистратура · терминал в холле поликлиники".to_owned();
    layout
}

/// The slip «Я пришёл» prints: where to go, and the place in the queue.
pub fn check_in_slip(checked_in: &CheckedIn, initials: &str) -> TicketLayout {
    let appointment = &checked_in.appointment;
    let room = if checked_in.room.is_empty() { "уточните в регистратуре".to_owned() } else { checked_in.room.clone() };
    let mut layout = crate::ticket::layout(appointment, Paper::A6);
    layout.title = "Вы отметились о приходе".to_owned();
    layout.rows = vec![
        ("Пациент:".to_owned(), initials.to_owned()),
        ("Кабинет:".to_owned(), room),
        ("Место в очереди:".to_owned(), checked_in.queue_place.to_string()),
        ("Врач:".to_owned(), format!("{}, {}", appointment.doctor.full_name, appointment.doctor.position)),
        ("Время приема:".to_owned(), format!("{} {}", appointment.date.format("%d.%m.%Y"), appointment.time)),
        ("Талон:".to_owned(), appointment.ticket.clone()),
    ];
    layout.reminder = "Ожидайте вызова у кабинета. Очередь идёт по времени записи.".to_owned();
    layout.footer = "Регистратура · терминал в холле поликлиники".to_owned();
    layout
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kiosk_ticket_names_the_patient_by_initials_and_the_slip_gives_room_and_place() {
        let appointment = crate::ticket::sample();
        let ticket = ticket_layout(&appointment, Paper::A6, "А. С. И.");
        assert!(ticket.rows.contains(&("Пациент:".to_owned(), "А. С. И.".to_owned())));
        let checked_in = CheckedIn { appointment: appointment.clone(), room: "214".to_owned(), queue_place: 3 };
        let slip = check_in_slip(&checked_in, "А. С. И.");
        assert!(slip.rows.contains(&("Кабинет:".to_owned(), "214".to_owned())));
        assert!(slip.rows.contains(&("Место в очереди:".to_owned(), "3".to_owned())));
        let unknown_room = check_in_slip(&CheckedIn { room: String::new(), ..checked_in }, "А. С. И.");
        assert!(unknown_room.rows.contains(&("Кабинет:".to_owned(), "уточните в регистратуре".to_owned())));
    }
}
