// «Поиск пациента»: one field that takes a policy (16 digits), a СНИЛС (11
// digits) or a surname with a birth date and, optionally, the name and
// patronymic. One hit opens the patient at once; several are listed for
// the arrow keys; none offers the registration with what was typed.

import * as api from "../api.js";
import { track } from "../busy.js";
import { h, rove } from "../dom.js";
import { numericDate } from "../format.js";
import { deskText } from "../i18n/index.js";
import { clear, fail, say } from "./messages.js";
import { changed } from "./timing.js";
import { parseTypedDate } from "./typed-date.js";

const byId = (id) => document.getElementById(id);

/**
 * What the search field asks for: `{lookup, prefill}` for the server and
 * the registration form, or `{problem}` to say what to type instead.
 */
export function parseSearch(typed) {
  const raw = (typed || "").trim();
  const digits = raw.replace(/[\s-]/g, "");
  if (/^\d+$/.test(digits)) {
    if (digits.length === 16) return { lookup: { by: "policy", policy: digits }, prefill: { policy: digits } };
    if (digits.length === 11) return { lookup: { by: "snils", snils: digits }, prefill: { snils: digits } };
    return { problem: digits.length > 11 ? deskText.searchPolicyLength(digits.length) : deskText.searchNotUnderstood };
  }
  const words = raw.split(/\s+/).filter(Boolean);
  const dateAt = words.findIndex((word) => parseTypedDate(word));
  const names = words.filter((_, index) => index !== dateAt);
  if (dateAt < 0 || names.length === 0 || names.length > 3) return { problem: deskText.searchNotUnderstood };
  const [last_name, first_name = "", middle_name = ""] = names;
  const birth_date = parseTypedDate(words[dateAt]);
  return {
    lookup: { by: "name", last_name, first_name, middle_name, birth_date },
    prefill: { last_name, first_name, middle_name, birth_date },
  };
}

let handlers = { open: () => {}, notFound: () => {} };

/**
 * @param {object} options
 * @param {(patient) => void} options.open a patient was chosen
 * @param {(prefill) => void} options.notFound nobody matched; `prefill` is what was typed
 */
export function initSearch(options) {
  handlers = options;
  byId("desk-search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
  byId("desk-search").addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown") return;
    const first = byId("desk-results").querySelector("[data-testid='desk-result']");
    if (first) {
      event.preventDefault();
      rove(results(), first);
    }
  });
}

/** Focuses the search field with its text selected, ready for the next patient. */
export function focusSearch() {
  const field = byId("desk-search");
  field.focus();
  field.select();
}

/** Forgets the last search (a new staff member signs in). */
export function resetSearch() {
  byId("desk-search").value = "";
  byId("desk-results").replaceChildren();
}

function results() {
  return [...byId("desk-results").querySelectorAll("[data-testid='desk-result']")];
}

async function search() {
  const parsed = parseSearch(byId("desk-search").value);
  byId("desk-results").replaceChildren();
  if (parsed.problem) return fail(parsed.problem);
  clear();
  say(deskText.searching);
  try {
    const { patients } = await track(api.deskSearch(parsed.lookup));
    if (patients.length === 0) {
      say(deskText.notFound);
      return handlers.notFound(parsed.prefill);
    }
    if (patients.length === 1) {
      clear();
      return handlers.open(patients[0]);
    }
    say(deskText.found(patients.length));
    showResults(patients);
  } catch (error) {
    fail(error);
  }
}

function showResults(patients) {
  const items = patients.map((patient) =>
    h(
      "li",
      {},
      h(
        "button",
        {
          type: "button",
          class: "desk-result",
          testid: "desk-result",
          tabindex: "-1",
          data: { patientId: String(patient.id) },
          onclick: () => handlers.open(patient),
          onkeydown: (event) => move(event),
        },
        h("span", { class: "desk-result__name" }, personName(patient)),
        h("span", {}, deskText.born(numericDate(patient.birth_date))),
        h("span", {}, deskText.policyMasked(patient.policy_masked)),
        h("span", {}, patient.phone_masked ? deskText.phoneMasked(patient.phone_masked) : deskText.noPhone),
      ),
    ),
  );
  byId("desk-results").replaceChildren(h("ul", { class: "desk-results", "aria-label": deskText.resultsLabel }, items));
  rove(results(), results()[0]);
  changed("results");
}

function move(event) {
  const all = results();
  const index = all.indexOf(event.target);
  const target = { ArrowDown: all[index + 1], ArrowUp: all[index - 1], Home: all[0], End: all[all.length - 1] }[event.key];
  if (event.key === "ArrowUp" && index === 0) {
    event.preventDefault();
    return focusSearch();
  }
  if (!target) return;
  event.preventDefault();
  rove(all, target);
}

/** «Иванова Анна Петровна». */
export function personName(patient) {
  return [patient.last_name, patient.first_name, patient.middle_name].filter(Boolean).join(" ");
}
