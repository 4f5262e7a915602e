// «Настройки»: the language, how long the ticket stays on screen, the
// kiosk's sign-out and idle time, and the printer a reception desk or kiosk
// prints to without a dialog.

import * as api from "./api.js";
import { track } from "./busy.js";
import { h } from "./dom.js";
import { describeError, text } from "./i18n/index.js";

const byId = (id) => document.getElementById(id);

const COUNTDOWN = { min: 5, max: 600 };
const KIOSK_IDLE = { min: 30, max: 1800 };

/** The sessionStorage key that brings the page back to the settings after a new language reloads it. */
export const REOPEN_SETTINGS = "registratura.reopen-settings";

const LANGUAGES = ["system", "ru", "en"];

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

/** Shows the form with the saved preferences, and `status` under it. */
export async function openSettings({ status = "" } = {}) {
  closeSettings();
  isOpen = true;
  document.body.dataset.panel = "settings";
  const visit = visits;
  const form = buildForm();
  frame.body.replaceChildren(form.element);
  try {
    const preferences = await track(api.preferences());
    if (isOpen && visit === visits) {
      form.fill(preferences);
      frame.status.textContent = status;
    }
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

/**
 * A whole number of seconds in `range`, with its label, hint and the error
 * shown beside it; `check()` answers the number or `null` after showing why not.
 */
function secondsField({ id, label, hint, invalid, range }) {
  const error = h("p", { class: "field-error", id: `${id}-error`, testid: `${id}-error`, hidden: true });
  const input = h("input", {
    type: "number",
    id,
    class: "number-field",
    testid: id,
    min: range.min,
    max: range.max,
    step: 1,
    inputmode: "numeric",
    required: true,
    "aria-describedby": `${id}-hint`,
  });
  const element = h(
    "div",
    { class: "field" },
    h("label", { class: "field-label", for: id }, label),
    h("p", { class: "field-hint", id: `${id}-hint` }, hint),
    error,
    input,
  );

  function showError(message) {
    error.textContent = message;
    error.hidden = !message;
    input.setAttribute("aria-describedby", message ? `${id}-hint ${id}-error` : `${id}-hint`);
    input.setAttribute("aria-invalid", String(Boolean(message)));
    if (message) input.focus();
  }

  function check() {
    const typed = input.value.trim();
    const seconds = Number(typed);
    if (!/^\d+$/.test(typed) || seconds < range.min || seconds > range.max) {
      showError(invalid);
      return null;
    }
    showError("");
    return seconds;
  }

  return { element, input, check, showError };
}

function buildForm() {
  const visit = visits;
  const countdown = secondsField({
    id: "setting-countdown",
    label: text.settingCountdown,
    hint: text.settingCountdownHint,
    invalid: text.countdownInvalid,
    range: COUNTDOWN,
  });
  const idle = secondsField({
    id: "setting-idle",
    label: text.settingIdle,
    hint: text.settingIdleHint,
    invalid: text.idleInvalid,
    range: KIOSK_IDLE,
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
  const languages = LANGUAGES.map((code) =>
    h("input", { type: "radio", name: "setting-language", id: `setting-language-${code}`, value: code, class: "checkbox__input", testid: `setting-language-${code}` }),
  );
  const language = h(
    "fieldset",
    { class: "field settings__choice", "aria-describedby": "setting-language-hint" },
    h("legend", { class: "field-label" }, text.settingLanguage),
    h("p", { class: "field-hint", id: "setting-language-hint" }, text.settingLanguageHint),
    ...languages.map((input) =>
      h(
        "div",
        { class: "checkbox" },
        input,
        // The languages are named in their own tongue, and screen readers told so.
        h("label", { class: "checkbox__label", for: input.id, lang: input.value === "system" ? null : input.value }, text.languages[input.value]),
      ),
    ),
  );
  const save = h("button", { type: "submit", class: "button button--primary button--large", testid: "settings-save" }, text.save);
  // What the form does not show (the ticket's paper) is sent back as loaded,
  // so that saving here never resets it.
  let loaded = {};

  const element = h(
    "form",
    { class: "settings", testid: "settings-form", novalidate: true, onsubmit: submit },
    language,
    countdown.element,
    h(
      "div",
      { class: "field checkbox" },
      kiosk,
      h("label", { class: "checkbox__label", for: "setting-kiosk" }, text.settingKiosk),
    ),
    idle.element,
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
    loaded = preferences;
    countdown.input.value = String(preferences.exit_countdown_seconds);
    kiosk.checked = Boolean(preferences.kiosk_sign_out);
    idle.input.value = String(preferences.kiosk_idle_seconds);
    printer.value = preferences.silent_printer || "";
    for (const input of languages) input.checked = input.value === (preferences.language || "system");
  }

  async function submit(event) {
    event.preventDefault();
    if (save.disabled) return;
    frame.error.textContent = "";
    frame.status.textContent = "";
    idle.showError("");
    const seconds = countdown.check();
    if (seconds === null) return;
    const idleSeconds = idle.check();
    if (idleSeconds === null) return;
    const chosenLanguage = (languages.find((input) => input.checked) || languages[0]).value;
    save.disabled = true;
    try {
      const saved = await track(
        api.preferencesSet({
          ...loaded,
          exit_countdown_seconds: seconds,
          kiosk_sign_out: kiosk.checked,
          kiosk_idle_seconds: idleSeconds,
          silent_printer: printer.value.trim() || null,
          language: chosenLanguage,
        }),
      );
      if (!isOpen || visit !== visits) return;
      if (chosenLanguage !== (loaded.language || "system")) {
        // Every screen takes its words once, at load: a new language reloads the page.
        sessionStorage.setItem(REOPEN_SETTINGS, "true");
        window.location.reload();
        return;
      }
      fill(saved);
      frame.status.textContent = text.settingsSaved;
    } catch (failure) {
      if (!isOpen || visit !== visits) return;
      if (failure && failure.kind === "invalid_input") countdown.showError(text.countdownInvalid);
      else frame.error.textContent = describeError(failure);
    } finally {
      save.disabled = false;
      if (save.isConnected && document.activeElement === document.body) save.focus();
    }
  }

  return { element, fill };
}
