/**
 * The end of a session as the panels learn it: the server refused the
 * patient's session while the wizard or «Записи на приём» was using it, and
 * the header (main.js) must stop showing the patient's name at once.
 */

const SESSION_ENDED = "registratura:session-ended";

/** Tells the header that the session has ended. */
export function sessionEnded() {
  document.dispatchEvent(new CustomEvent(SESSION_ENDED));
}

/** Calls `then` each time a panel finds the session ended. */
export function onSessionEnded(then) {
  document.addEventListener(SESSION_ENDED, then);
}
