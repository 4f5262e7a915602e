// Every step of the kiosk but the start waits a set time for a touch; in its
// last 15 seconds it says so on screen, and then it returns to the start and
// forgets the patient. A load or a print on its way counts as use.

import { kioskText } from "../i18n/index.js";

const WARNING_SECONDS = 15;

/**
 * Starts watching. `seconds()` is the time a step waits, `resting()` says
 * whether the screen is one that needs no watching (the start), and
 * `leave()` returns to the start.
 */
export function watchIdle({ seconds, resting, leave }) {
  let lastUse = Date.now();
  const box = document.getElementById("kiosk-idle");
  const sentence = document.getElementById("kiosk-idle-text");
  const used = () => {
    lastUse = Date.now();
    if (!box.hidden) box.hidden = true;
  };
  // A click counts too: a screen reader's or a switch's activation, and a
  // synthetic one, come without a pointer going down.
  for (const type of ["pointerdown", "click", "keydown", "touchstart", "wheel"]) {
    document.addEventListener(type, used, { capture: true, passive: true });
  }
  document.getElementById("kiosk-idle-stay").addEventListener("click", used);

  setInterval(() => {
    if (resting() || document.body.dataset.busy === "true") {
      used();
      return;
    }
    const left = Math.ceil(seconds() - (Date.now() - lastUse) / 1000);
    if (left <= 0) {
      box.hidden = true;
      lastUse = Date.now();
      leave();
    } else if (left <= WARNING_SECONDS) {
      sentence.textContent = kioskText.idle(left);
      box.hidden = false;
    }
  }, 250);
  return { used };
}
