// «Настройки»: how long the ticket stays on screen, the kiosk's sign-out and
// the printer a reception desk or kiosk prints to without a dialog.

import * as api from "./api.js";
import { track } from "./busy.js";
import { h } from "./dom.js";
import { describeError, text } from "./i18n/ru.js";

const byId = (id) => document.getElementById(id);

const COUNTDOWN_MIN = 5;
const COUNTDOWN_MAX = 600;

let frame = null;
let isOpen = false;
let visits = 0;

/** Wires the panel once; `exit()` returns to the start. */
export function initSettings({ exit }) {
  frame = {
    heading: byId("settings-heading"),
    error: byId("settings-error"),
    status: byId("settings-status"),
    body: byId("settings-body"),
  };
  byId("settings-back").addEventListener("click", () => exit());
}

/** Shows the form with the saved preferences. */
export async function openSettings() {
  closeSettings();
  isOpen = true;
  document.body.dataset.panel = "settings";
  const visit = visits;
  const form = buildForm();
  frame.body.replaceChildren(form.element);
  try {
    const preferences = await track(api.preferences());
    if (isOpen && visit === visits) form.fill(preferences);
  } catch (failure) {
    if (isOpen && visit === visits) frame.error.textContent = describeError(failure);
  }
}

/** Main.js calls it when another panel takes over. */
export function closeSettings() {
  isOpen = false;
  visits += 1;
  if (!frame) return;
  frame.body.replaceChildren();
  frame.error.textContent = "";
  frame.status.textContent = "";
}

function buildForm() {
  const visit = visits;
  const countdownError = h("p", {
    class: "field-error",
    id: "setting-countdown-error",
    testid: "setting-countdown-error",
    hidden: true,
  });
  const countdown = h("input", {
    type: "number",
    id: "setting-countdown",
    class: "number-field",
    testid: "setting-countdown",
    min: COUNTDOWN_MIN,
    max: COUNTDOWN_MAX,
    step: 1,
    inputmode: "numeric",
    required: true,
    "aria-describedby": "setting-countdown-hint",
  });
  const kiosk = h("input", { type: "checkbox", id: "setting-kiosk", class: "checkbox__input", testid: "setting-kiosk" });
  const printer = h("input", {
    type: "text",
    id: "setting-printer",
    class: "text-field",
    testid: "setting-printer",
    autocomplete: "off",
    spellcheck: "false",
    "aria-describedby": "setting-printer-hint setting-printer-empty",
  });
  const save = h("button", { type: "submit", class: "button button--primary button--large", testid: "settings-save" }, text.save);

  const element = h(
    "form",
    { class: "settings", testid: "settings-form", novalidate: true, onsubmit: submit },
    h(
      "div",
      { class: "field" },
      h("label", { class: "field-label", for: "setting-countdown" }, text.settingCountdown),
      h("p", { class: "field-hint", id: "setting-countdown-hint" }, text.settingCountdownHint),
      countdownError,
      countdown,
    ),
    h(
      "div",
      { class: "field checkbox" },
      kiosk,
      h("label", { class: "checkbox__label", for: "setting-kiosk" }, text.settingKiosk),
    ),
    h(
      "div",
      { class: "field" },
      h("label", { class: "field-label", for: "setting-printer" }, text.settingPrinter),
      h("p", { class: "field-hint", id: "setting-printer-hint" }, text.settingPrinterHint),
      h("p", { class: "field-hint", id: "setting-printer-empty" }, text.settingPrinterEmpty),
      printer,
    ),
    h("div", { class: "wizard__actions" }, save),
  );

  function fill(preferences) {
    countdown.value = String(preferences.exit_countdown_seconds);
    kiosk.checked = Boolean(preferences.kiosk_sign_out);
    printer.value = preferences.silent_printer || "";
  }

  function showError(message) {
    countdownError.textContent = message;
    countdownError.hidden = !message;
    countdown.setAttribute(
      "aria-describedby",
      message ? "setting-countdown-hint setting-countdown-error" : "setting-countdown-hint",
    );
    countdown.setAttribute("aria-invalid", String(Boolean(message)));
    if (message) countdown.focus();
  }

  async function submit(event) {
    event.preventDefault();
    if (save.disabled) return;
    frame.error.textContent = "";
    frame.status.textContent = "";
    const typed = countdown.value.trim();
    const seconds = Number(typed);
    if (!/^\d+$/.test(typed) || seconds < COUNTDOWN_MIN || seconds > COUNTDOWN_MAX) {
      return showError(text.countdownInvalid);
    }
    showError("");
    save.disabled = true;
    try {
      const saved = await track(
        api.preferencesSet({
          exit_countdown_seconds: seconds,
          kiosk_sign_out: kiosk.checked,
          silent_printer: printer.value.trim() || null,
        }),
      );
      if (!isOpen || visit !== visits) return;
      fill(saved);
      frame.status.textContent = text.settingsSaved;
    } catch (failure) {
      if (!isOpen || visit !== visits) return;
      if (failure && failure.kind === "invalid_input") showError(text.countdownInvalid);
      else frame.error.textContent = describeError(failure);
    } finally {
      save.disabled = false;
      if (save.isConnected && document.activeElement === document.body) save.focus();
    }
  }

  return { element, fill };
}
