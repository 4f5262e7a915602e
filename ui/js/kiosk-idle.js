// A lobby kiosk left alone. With the kiosk's sign-out on, a screen other
// than the start that nobody has touched for the set time warns for its
// last seconds, then goes back to the start and signs out: the next person
// must never find the last one's answers or appointments.

import * as api from "./api.js";
import { h } from "./dom.js";
import { text } from "./i18n/index.js";

/** How long the warning stands before the kiosk leaves. */
const WARNING_SECONDS = 15;

/** Below the shortest idle time a setting allows, nothing needs checking. */
const SHORTEST_IDLE_SECONDS = 30;

/** How long the preferences read are trusted: settings change on the start screen only. */
const PREFERENCES_FRESH_MS = 10_000;

/**
 * Starts watching; `leave()` returns to the start and signs out. Touches,
 * clicks, keys and the wheel count as use; so does a load on its way
 * (`data-busy`, a print dialog among them) and waiting for ESIA, where the
 * patient is busy in the browser and nothing of theirs is on screen yet.
 */
export function watchKioskIdle({ leave }) {
  let lastUse = Date.now();
  let preferences = null;
  let readAt = 0;
  const warning = h("div", { class: "idle-warning", role: "alert", testid: "idle-warning", hidden: true });
  document.body.append(warning);

  const used = () => {
    lastUse = Date.now();
    warning.hidden = true;
  };
  for (const type of ["pointerdown", "keydown", "wheel", "touchstart"]) {
    document.addEventListener(type, used, { capture: true, passive: true });
  }

  async function currentPreferences() {
    if (!preferences || Date.now() - readAt > PREFERENCES_FRESH_MS) {
      preferences = await api.preferences().catch(() => ({ kiosk_sign_out: false }));
      readAt = Date.now();
    }
    return preferences;
  }

  function resting() {
    const body = document.body.dataset;
    const panel = body.panel || "start";
    return panel === "start" || panel === "login" || body.step === "login" || body.busy === "true";
  }

  async function tick() {
    if (resting()) return used();
    const idle = (Date.now() - lastUse) / 1000;
    if (idle < SHORTEST_IDLE_SECONDS - WARNING_SECONDS) return;
    const { kiosk_sign_out: kiosk, kiosk_idle_seconds: limit } = await currentPreferences();
    if (!kiosk || !limit || resting()) return;
    const left = Math.ceil(limit - (Date.now() - lastUse) / 1000);
    if (left > WARNING_SECONDS) {
      warning.hidden = true;
    } else if (left > 0) {
      warning.textContent = text.idleWarning(left, document.body.dataset.session === "signed-in");
      warning.hidden = false;
    } else {
      used();
      leave();
    }
  }

  setInterval(tick, 1000);
}
