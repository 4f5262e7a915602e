// What the desk's screens share while a staff member works: the patient at
// the window, the appointment the action keys act on, the board's day and
// service, and a move in progress. Nothing here outlives a sign-out.

export const desk = {
  /** The patient at the window, as the search found them. */
  patient: null,
  /** `{id, ticket}`: what F4, F7, F8, F9 and Delete act on. */
  appointment: null,
  /** The doctor of the board's last focused time: whose day list Ctrl+P prints. */
  doctorId: null,
  /** `{id, ticket}` while a move waits for its new time. */
  moving: null,
  /** The consent version the patient agrees to at the window. */
  consentVersion: null,
  /** The clinic's services, from the schedule cache. */
  services: [],
  /** The board's service filter, or null for all. */
  serviceId: null,
  /** The board's day, "YYYY-MM-DD"; null until the first board. */
  date: null,
  /** The board as last drawn. */
  board: null,
};

/** Forgets everything of the staff member who signed out. */
export function forget() {
  Object.assign(desk, { patient: null, appointment: null, doctorId: null, moving: null, services: [], serviceId: null, date: null, board: null });
}
