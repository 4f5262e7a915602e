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

/**
 * Calls `handler(payload)` on every event `name` from the Rust side
 * ("session-changed", "login-failed").
 */
export function onEvent(name, handler) {
  if (!tauri || !tauri.event) return Promise.resolve(() => {});
  return tauri.event.listen(name, (event) => handler(event.payload));
}
