// The only module that talks to the Rust side. Every function returns data or
// throws an object `{kind, message}`; screens never see Tauri itself.

const tauri = window.__TAURI__;

/**
 * Calls a Rust command and normalises its failure to `{kind, message}`.
 * @param {string} command
 * @param {Record<string, unknown>} [args]
 */
async function call(command, args) {
  if (!tauri || !tauri.core) {
    throw { kind: "internal", message: "the page is not running inside the app" };
  }
  try {
    return await tauri.core.invoke(command, args);
  } catch (error) {
    if (error && typeof error === "object" && typeof error.kind === "string") {
      throw error;
    }
    throw { kind: "internal", message: String(error) };
  }
}

/** The language the UI speaks: "ru" or "en". */
export function uiLanguage() {
  return call("ui_language");
}

/** Gives the window the page's title; a failure costs nothing but the title. */
export async function setWindowTitle(title) {
  try {
    await tauri.window.getCurrentWindow().setTitle(title);
  } catch {
    // Outside the app, or a window manager without titles.
  }
}

/** The app's version, region, today's date and the portal's state. */
export function appInfo() {
  return call("app_info");
}

/** The session as the header shows it: `{signed_in, name, confirmed, remembered}`. */
export function sessionView() {
  return call("session_view");
}

/** Opens the system browser at the ESIA login. */
export function loginStart() {
  return call("login_start");
}

/** Forgets the login in progress. */
export function loginCancel() {
  return call("login_cancel");
}

/** Signs out; returns the new session view. */
export function logout() {
  return call("logout");
}

/** The schedule cache: `{ready, synced_at, synced_at_local, slots}`. */
export function cacheStatus() {
  return call("cache_status");
}

/**
 * Brings the schedule cache up to date from the registry server:
 * `{outcome: "snapshot"|"changes"|"unchanged", slots_written, synced_at_local}`.
 * Progress arrives as "sync-progress" events.
 */
export function syncSchedule() {
  return call("sync_schedule");
}

/** Medical organisations whose name matches `query`: `[{id, name, short_name, address}]`. */
export function organizations(query) {
  return call("organizations", { query });
}

/** An organisation's clinics: `[{id, organization_id, name, address, phone}]`. */
export function clinics(organizationId, query) {
  return call("clinics", { organizationId, query });
}

/** A clinic's services, by name or code: `[{id, code, name, specialty}]`. */
export function services(clinicId, query) {
  return call("services", { clinicId, query });
}

/**
 * The clinic's doctors for a service, by surname: `[{id, clinic_id, last_name,
 * first_name, middle_name, position, basis, service_ids, nearest_free_date}]`.
 */
export function doctors(clinicId, serviceId, query) {
  return call("doctors", { clinicId, serviceId, query });
}

/**
 * A doctor's month ("YYYY-MM") for a service: `{month, today, first_available,
 * days: [{date, status: "available"|"unavailable", free_slots}]}`, every day of the month.
 */
export function month(doctorId, serviceId, month) {
  return call("month", { doctorId, serviceId, month });
}

/**
 * A day's slots: `{fresh, as_of_local, slots: [{id, start, end, time,
 * status: "free"|"busy"|"unavailable"}]}`; `fresh` is false when the server
 * was out of reach and the cache answered.
 */
export function daySlots(doctorId, serviceId, date) {
  return call("day_slots", { doctorId, serviceId, date });
}

/**
 * «Ближайшее время»: the first free time of a service across the doctors of
 * a clinic (`{scope: "clinic", id}`), an organisation (`{scope:
 * "organization", id}`) or the region (`{scope: "region"}`), confirmed by the
 * server: `{organization, clinic, doctor, date, slot}`, or null when nobody
 * in scope has one.
 */
export function nearestTime(serviceId, { scope, id = null }) {
  return call("nearest_time", { serviceId, scope, scopeId: id });
}

/**
 * «Записаться снова» for a past appointment: `{organization, clinic, service,
 * doctor, nearest}`. `doctor` is the same doctor when they have a free time
 * ahead (the wizard opens at the date step), else null, with `nearest` the
 * clinic's first free time confirmed by the server (or null when it has none).
 */
export function bookingAgain(clinicId, doctorId, serviceId) {
  return call("booking_again", { clinicId, doctorId, serviceId });
}

/** The consent to personal data processing: `{version, title, text}`. */
export function consent() {
  return call("consent");
}

/** The patient's profile: `{phones: ["+7…"], confirmed}`. */
export function profile() {
  return call("profile");
}

/** Saves a contact phone ("+7" and ten digits); returns `{phones}`. */
export function savePhone(phone) {
  return call("save_phone", { phone });
}

/**
 * Books a slot. The same `idempotencyKey` for a retry of the same choice
 * makes the server answer with the first booking instead of a second one.
 * Returns the appointment with its ticket.
 */
export function book({ slotId, serviceId, consentVersion, phone, idempotencyKey }) {
  return call("book", {
    request: {
      slot_id: slotId,
      service_id: serviceId,
      consent_version: consentVersion,
      phone,
      idempotency_key: idempotencyKey,
    },
  });
}

/**
 * The patient's appointments: `{upcoming, past}`, upcoming nearest first,
 * past (and cancelled) most recent first. Each is `{id, ticket, status,
 * channel, start, end, date: "YYYY-MM-DD", time: "HH:MM", slot_id, service:
 * {id, code, name, specialty}, doctor: {id, full_name, position, basis},
 * clinic: {id, organization_id, name, address, phone}, organization_name,
 * phone, created_at}`; `status` is "booked", "cancelled_by_patient",
 * "cancelled_by_clinic", "fulfilled" or "no_show".
 */
export function appointments() {
  return call("appointments");
}

/** Cancels a booked appointment; returns it as it now stands. */
export function cancelAppointment(appointmentId) {
  return call("cancel_appointment", { appointmentId });
}

/**
 * Moves an appointment to another time (`serviceId` null: the same service),
 * in one step at the server; answers the appointment at its new time.
 */
export function moveAppointment(appointmentId, slotId, serviceId) {
  return call("move_appointment", { appointmentId, slotId, serviceId: serviceId || null });
}

/**
 * Prints an appointment's ticket: `{mode: "silent", printer}` when it went to
 * the preferred printer, else `{mode: "page", sheet, printer}`: the ticket to
 * draw as the print page and print with `printPage` (to `printer` without a
 * dialog when it is set: Windows's silent printing).
 */
export function printTicket(appointmentId) {
  return call("print_ticket", { appointmentId });
}

/**
 * Prints the page the window shows in print media on `paper` ("a6"|"a5"),
 * through the system's dialog, or to `printer` without one (Windows):
 * `{printed}`, null where the system does not say.
 */
export function printPage(paper, printer = null) {
  return call("print_page", { paper, printer });
}

/** Saves the ticket as a PDF where the person chooses: `{saved, file_name}`. */
export function saveTicketPdf(appointmentId, title) {
  return call("save_ticket_pdf", { appointmentId, title });
}

/** Saves the appointment as a calendar file (.ics): `{saved, file_name}`. */
export function saveCalendar(appointmentId, title) {
  return call("save_calendar", { appointmentId, title });
}

/** `{exit_countdown_seconds, kiosk_sign_out, kiosk_idle_seconds, silent_printer, paper}`; `silent_printer` null means the print dialog. */
export function preferences() {
  return call("preferences");
}

/** Saves `{exit_countdown_seconds, kiosk_sign_out, kiosk_idle_seconds, silent_printer, paper}`; returns them as saved. */
export function preferencesSet(preferences) {
  return call("preferences_set", { preferences });
}

/**
 * Calls `handler(payload)` on every event `name` from the Rust side
 * ("session-changed", "login-failed", "sync-progress", "desk-changed").
 */
export function onEvent(name, handler) {
  if (!tauri || !tauri.event) return Promise.resolve(() => {});
  return tauri.event.listen(name, (event) => handler(event.payload));
}

// The reception desk (REGISTRATURA_MODE=desk). Every call but the sign-in
// needs a staff member signed in; the desk's clinic is the one chosen there.

/** `{signed_in, name, clinics: [{id, organization_id, role}], clinic_id, demo: {login, password}|null}`. */
export function deskView() {
  return call("desk_view");
}

/** Signs a staff member in; answers the new `deskView()`. */
export function deskSignIn(login, password) {
  return call("desk_sign_in", { login, password });
}

/**
 * «Войти через ЕСИА» at the desk: opens the system browser. The sign-in
 * ends in a "desk-changed" event (the new `deskView()`) or "login-failed".
 */
export function deskEsiaStart() {
  return call("desk_esia_start");
}

/** Forgets the sign-in through ESIA in progress. */
export function deskEsiaCancel() {
  return call("desk_esia_cancel");
}

/** Signs the staff member out; answers the new `deskView()`. */
export function deskSignOut() {
  return call("desk_sign_out");
}

/** Switches the desk to another of the staff member's clinics. */
export function deskChooseClinic(clinicId) {
  return call("desk_choose_clinic", { clinicId });
}

/**
 * Finds patients: `lookup` is `{by: "policy", policy}`, `{by: "snils", snils}`
 * or `{by: "name", last_name, first_name, middle_name, birth_date}`.
 * Answers `{patients: [{id, last_name, first_name, middle_name, birth_date, policy_masked, phone_masked}]}`.
 */
export function deskSearch(lookup) {
  return call("desk_search", { lookup });
}

/** A patient's appointments at the desk's clinic: `{patient_id, upcoming, past}`. */
export function deskPatient(patientId) {
  return call("desk_patient", { patientId });
}

/**
 * Registers `{last_name, first_name, middle_name, birth_date, sex: "male"|"female",
 * policy, snils, phone}` at the desk's clinic; answers `{patient_id}`.
 */
export function deskRegister(patient) {
  return call("desk_register", { patient });
}

/**
 * The clinic's day (`date` "YYYY-MM-DD", today when null): `{date, title, is_today,
 * columns: [{doctor_id, full_name, position, service_ids, slots: [{slot_id, time,
 * state: "free"|"busy"|"reserved"|"arrived"|"no_show", appointment_id, patient, ticket, started}]}]}`.
 */
export function deskBoard(date, serviceId) {
  return call("desk_board", { date: date || null, serviceId: serviceId || null });
}

/**
 * A month ("YYYY-MM") of the desk clinic's calendar from the cache, as the
 * shared calendar draws it: a day is available when a time the desk may take
 * is still to come (of `serviceId`, when given).
 */
export function deskMonth(month, serviceId) {
  return call("desk_month", { month, serviceId: serviceId || null });
}

/**
 * The first free time of a service across the clinic (with `reservedOnly`,
 * the first kept for the desk): `{slot_id, doctor_id, service_id, date, time, reserved}`.
 */
export function deskNearest(serviceId, { from = null, reservedOnly = false } = {}) {
  return call("desk_nearest", { serviceId, from, reservedOnly });
}

/** Books a slot for a patient at the window; answers the appointment with its ticket. */
export function deskBook({ patientId, slotId, serviceId, consentVersion, phone, idempotencyKey }) {
  return call("desk_book", {
    request: {
      patient_id: patientId,
      slot_id: slotId,
      service_id: serviceId,
      consent_version: consentVersion,
      phone: phone || null,
      idempotency_key: idempotencyKey,
    },
  });
}

/** Cancels with `reason` "patient_request", "doctor_unavailable" or "other". */
export function deskCancel(appointmentId, reason) {
  return call("desk_cancel", { appointmentId, reason });
}

/** Moves an appointment to `slotId` (and `serviceId`, when another). */
export function deskMove(appointmentId, slotId, serviceId) {
  return call("desk_move", { appointmentId, slotId, serviceId: serviceId || null });
}

/** `mark` is "check_in", "undo_check_in", "no_show" or "undo_no_show". */
export function deskMark(appointmentId, mark) {
  return call("desk_mark", { appointmentId, mark });
}

/** Prints the ticket, silently to the desk printer when one is set: `{mode, printer, printed}`. */
export function deskPrintTicket(appointmentId) {
  return call("desk_print_ticket", { appointmentId });
}

/** Prints a doctor's day list on A4 (silently to the desk printer when one is set): `{mode, printer, printed}`. */
export function deskPrintDayList(doctorId, date) {
  return call("desk_print_day_list", { doctorId, date });
}

/** Saves a doctor's day list as a PDF where the registrar chooses: `{saved, file_name}`. */
export function deskSaveDayList(doctorId, date, title) {
  return call("desk_save_day_list", { doctorId, date, title });
}

// The lobby kiosk (REGISTRATURA_MODE=kiosk). The device's credential stays in
// Rust and the keyring; the identified patient's visit stays in Rust's memory
// until `kioskForget()`.

/** The terminal: `{registered, name, clinic_id, keyring, patient, step_seconds, demo}`. */
export function kioskView() {
  return call("kiosk_view");
}

/** Enters the device credential from `registry-server kiosk register`; answers `kioskView()`. */
export function kioskEnroll(credential) {
  return call("kiosk_enroll", { credential });
}

/** Refuses, as `not_a_policy`, what is not an ОМС policy number. */
export function kioskCheckPolicy(policy) {
  return call("kiosk_check_policy", { policy });
}

/** Identifies the patient by policy and birth date (YYYY-MM-DD); answers their initials. */
export function kioskIdentify(policy, birthDate) {
  return call("kiosk_identify", { policy, birthDate });
}

/** Forgets the patient at the server and in the app; answers `kioskView()`. */
export function kioskForget() {
  return call("kiosk_forget");
}

/** The services of the kiosk's clinic whose name matches `query`. */
export function kioskServices(query) {
  return call("kiosk_services", { query: query || "" });
}

/** The doctors of the kiosk's clinic offering a service, with their nearest free day. */
export function kioskDoctors(serviceId) {
  return call("kiosk_doctors", { serviceId });
}

/** A doctor's next two weeks: `[{date, status, free}]`. */
export function kioskDates(doctorId, serviceId) {
  return call("kiosk_dates", { doctorId, serviceId });
}

/** A doctor's times on a day, as the kiosk may book them. */
export function kioskSlots(doctorId, serviceId, date) {
  return call("kiosk_slots", { doctorId, serviceId, date });
}

/**
 * Books for the identified patient and prints the ticket:
 * `{appointment, printed, print_error}`. The same key on a retry books once.
 */
export function kioskBook(request) {
  return call("kiosk_book", { request });
}

/** The identified patient's appointments: `{upcoming, past}`. */
export function kioskAppointments() {
  return call("kiosk_appointments");
}

/** Cancels one of the identified patient's appointments. */
export function kioskCancel(appointmentId) {
  return call("kiosk_cancel", { appointmentId });
}

/** Prints one of the identified patient's tickets again. */
export function kioskPrintTicket(appointmentId) {
  return call("kiosk_print_ticket", { appointmentId });
}

/** «Я пришёл»: `{appointment, room, queue_place, printed, print_error}`. */
export function kioskCheckIn(appointmentId) {
  return call("kiosk_check_in", { appointmentId });
}

/** The settings behind the admin PIN: `{printer, paper, step_seconds, printers}`. */
export function kioskSettings(pin) {
  return call("kiosk_settings", { pin });
}

/** Saves the settings (the PIN is checked again); answers `kioskView()`. */
export function kioskSettingsSet(pin, settings) {
  return call("kiosk_settings_set", { pin, settings });
}
