// The desk's two message lines under the workspace: what just happened
// (polite) and what went wrong (an alert). One of each at a time.

import { describeDeskError } from "../i18n/index.js";

const status = () => document.getElementById("desk-status");
const alert = () => document.getElementById("desk-error");

/** Says what just happened; clears the error line. */
export function say(text) {
  alert().textContent = "";
  status().textContent = text || "";
}

/** Says what went wrong: a sentence, or an error thrown by api.js. */
export function fail(problem) {
  status().textContent = "";
  alert().textContent = typeof problem === "string" ? problem : describeDeskError(problem);
}

/** Clears both lines. */
export function clear() {
  status().textContent = "";
  alert().textContent = "";
}
