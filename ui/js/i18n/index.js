// The UI's words in the language it speaks: Russian or English, asked of
// the Rust side once before any screen draws (the one chosen in «Настройки»,
// or the system's). Every screen imports its words from here, never from a
// dictionary directly, so that one choice holds for the whole window.

import * as api from "../api.js";
import * as deskEn from "./desk-en.js";
import * as deskRu from "./desk-ru.js";
import * as en from "./en.js";
import * as kioskEn from "./kiosk-en.js";
import * as kioskRu from "./kiosk-ru.js";
import * as ru from "./ru.js";

/** Each language's dictionaries, by the code the Rust side answers. */
export const dictionaries = Object.freeze({
  ru: Object.freeze({ patient: ru, desk: deskRu, kiosk: kioskRu }),
  en: Object.freeze({ patient: en, desk: deskEn, kiosk: kioskEn }),
});

async function askLanguage() {
  try {
    const answer = await api.uiLanguage();
    return Object.hasOwn(dictionaries, answer) ? answer : "ru";
  } catch {
    // Outside the app, or the command failed: the portal's own language.
    return "ru";
  }
}

/** "ru" or "en". */
export const language = await askLanguage();

const chosen = dictionaries[language];

export const { text, errorText, dates } = chosen.patient;
export const { deskText, deskErrorText } = chosen.desk;
export const { kioskText, kioskErrorText } = chosen.kiosk;

/** The words for an error thrown by api.js: its kind's, or «something went wrong». */
export function describeError(error) {
  return errorText[error && error.kind] || errorText.internal;
}

/** The desk's words for an error: the registrar, not the patient, reads them. */
export function describeDeskError(error) {
  return deskErrorText[error && error.kind] || deskErrorText.internal;
}

/** The kiosk's words for an error, with the wait when the server gave one. */
export function describeKioskError(error) {
  const sentence = kioskErrorText[error && error.kind] || kioskErrorText.internal;
  const locked = error && (error.kind === "policy_locked" || error.kind === "too_many_attempts");
  return locked && error.retry_minutes ? `${sentence} ${kioskText.retryIn(error.retry_minutes)}` : sentence;
}

/** «Полис ОМС: контрольная цифра не сходится…» for a registration field's problem. */
export function fieldProblemText(field, problem) {
  const { fieldNames, fieldProblems, fieldLengths } = chosen.desk;
  const what = problem === "length" && fieldLengths[field] ? fieldLengths[field] : fieldProblems[problem] || fieldProblems.missing;
  return `${fieldNames[field] || field}: ${what}.`;
}

/** The value at a dotted `key` ("page.startHeading") of `dictionary`. */
export function lookup(dictionary, key) {
  return key.split(".").reduce((value, part) => (value == null ? undefined : value[part]), dictionary);
}

/**
 * Fills the page's own words from `dictionary`: the text of every element
 * with `data-text="key"`, and the attributes named by
 * `data-text-attrs="aria-label:key title:key"`. It also gives the document
 * its language and title, and the window its title. A key the dictionary
 * lacks shows as the key itself, so a test (and a person) sees it at once.
 */
export function fillPage(dictionary, title) {
  document.documentElement.lang = language;
  for (const element of document.querySelectorAll("[data-text]")) {
    const words = lookup(dictionary, element.dataset.text);
    element.textContent = typeof words === "string" ? words : element.dataset.text;
  }
  for (const element of document.querySelectorAll("[data-text-attrs]")) {
    for (const pair of element.dataset.textAttrs.split(/\s+/).filter(Boolean)) {
      const [attribute, key] = pair.split(":");
      const words = lookup(dictionary, key);
      element.setAttribute(attribute, typeof words === "string" ? words : key);
    }
  }
  document.title = title;
  api.setWindowTitle(title);
}
