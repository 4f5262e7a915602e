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
