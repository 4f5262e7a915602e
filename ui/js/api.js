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

/** Prints an appointment's ticket. */
export function printTicket(appointmentId) {
  return call("print_ticket", { appointmentId });
}

/** `{exit_countdown_seconds, kiosk_sign_out}`. */
export function preferences() {
  return call("preferences");
}

/**
 * Calls `handler(payload)` on every event `name` from the Rust side
 * ("session-changed", "login-failed", "sync-progress").
 */
export function onEvent(name, handler) {
  if (!tauri || !tauri.event) return Promise.resolve(() => {});
  return tauri.event.listen(name, (event) => handler(event.payload));
}
