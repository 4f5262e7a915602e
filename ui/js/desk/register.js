// «Новый пациент»: the registration form, filled with what the search had
// typed. Every field is checked by the Rust side as the server will check
// it; each problem is said next to its field, and the focus goes to the
// first. A patient the server already knows is opened instead.

import * as api from "../api.js";
import { track } from "../busy.js";
import { h } from "../dom.js";
import { deskText, fieldProblemText } from "../i18n/index.js";
import { fail, say } from "./messages.js";
import { changed } from "./timing.js";
import { parseTypedDate } from "./typed-date.js";
import { numericDate } from "../format.js";

const byId = (id) => document.getElementById(id);

const FIELDS = [
  ["last_name", deskText.lastName, { autocomplete: "off" }],
  ["first_name", deskText.firstName, { autocomplete: "off" }],
  ["middle_name", deskText.middleName, { autocomplete: "off" }],
  ["birth_date", deskText.birthDate, { inputmode: "numeric", placeholder: deskText.dateMask }],
  ["policy", deskText.policy, { inputmode: "numeric" }],
  ["snils", deskText.snils, { inputmode: "numeric" }],
  ["phone", deskText.phone, { inputmode: "tel", placeholder: "+7" }],
];

let handlers = { registered: () => {}, closed: () => {} };

/**
 * @param {object} options
 * @param {(patient) => void} options.registered a patient to open: the new one, or the one already known
 * @param {() => void} options.closed the form was left without registering
 */
export function initRegister(options) {
  handlers = options;
}

/** Whether the form is open. */
export function registering() {
  return !byId("desk-register").hidden;
}

/** Opens the form with `prefill` (what the search had typed). */
export function openRegister(prefill = {}) {
  const box = byId("desk-register");
  const inputs = {};
  const rows = FIELDS.map(([name, label, extra]) => {
    const value = name === "birth_date" && prefill.birth_date ? numericDate(prefill.birth_date) : prefill[name] || "";
    inputs[name] = h("input", { name, value, testid: `register-${name}`, spellcheck: "false", "aria-describedby": `register-${name}-problem`, ...extra });
    return h(
      "label",
      { class: "desk-field" },
      h("span", {}, label),
      inputs[name],
      h("span", { class: "desk-field__problem", id: `register-${name}-problem`, testid: `register-${name}-problem` }),
    );
  });
  const sex = h(
    "fieldset",
    { class: "desk-field desk-sex", "aria-describedby": "register-sex-problem" },
    h("legend", {}, deskText.sex),
    ["female", "male"].map((value) =>
      h("label", {}, h("input", { type: "radio", name: "sex", value, testid: `register-sex-${value}` }), ` ${deskText[value]}`),
    ),
    h("span", { class: "desk-field__problem", id: "register-sex-problem", testid: "register-sex-problem" }),
  );
  rows.splice(4, 0, sex);
  const submit = h("button", { type: "submit", class: "button button--primary", testid: "register-submit" }, deskText.register);
  const cancel = h("button", { type: "button", class: "button button--secondary", testid: "register-cancel", onclick: close }, deskText.registerCancel);
  const form = h(
    "form",
    { class: "desk-form desk-register", novalidate: true, "aria-labelledby": "register-heading", onkeydown: escape },
    h("h2", { class: "desk-heading", id: "register-heading", tabindex: "-1" }, deskText.registerHeading, " ", h("kbd", {}, "F2")),
    rows,
    h("div", { class: "desk-form__actions" }, submit, cancel),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    await send(form, inputs, submit);
  });
  box.replaceChildren(form);
  box.hidden = false;
  const firstEmpty = FIELDS.map(([name]) => inputs[name]).find((input) => !input.value && input.name !== "middle_name");
  (firstEmpty || inputs.last_name).focus();
  changed("registration");
}

/** Closes the form without registering. */
export function closeRegister() {
  const box = byId("desk-register");
  if (box.hidden) return;
  box.hidden = true;
  box.replaceChildren();
}

function close() {
  closeRegister();
  handlers.closed();
}

function escape(event) {
  if (event.key !== "Escape") return;
  event.preventDefault();
  event.stopPropagation();
  close();
}

async function send(form, inputs, submit) {
  for (const problem of form.querySelectorAll(".desk-field__problem")) problem.textContent = "";
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  const typedDate = inputs.birth_date.value;
  const birthDate = parseTypedDate(typedDate);
  const sex = form.querySelector("input[name=sex]:checked");
  const early = [];
  if (!birthDate) early.push({ field: "birth_date", problem: typedDate.trim() ? "not_a_date" : "missing" });
  if (!sex) early.push({ field: "sex", problem: "missing" });
  if (early.length) return showProblems(form, early);
  const patient = {
    last_name: inputs.last_name.value,
    first_name: inputs.first_name.value,
    middle_name: inputs.middle_name.value,
    birth_date: birthDate,
    sex: sex.value,
    policy: inputs.policy.value,
    snils: inputs.snils.value || null,
    phone: inputs.phone.value,
  };
  submit.disabled = true;
  submit.textContent = deskText.registering;
  try {
    const { patient_id } = await track(api.deskRegister(patient));
    closeRegister();
    say(deskText.registered);
    handlers.registered(found(patient_id, patient));
  } catch (error) {
    submit.disabled = false;
    submit.textContent = deskText.register;
    if (error.kind === "invalid_input" && Array.isArray(error.fields) && error.fields.length) return showProblems(form, error.fields);
    if (error.kind === "patient_exists" && error.patient_id) {
      closeRegister();
      say(deskText.alreadyRegistered);
      return handlers.registered(found(error.patient_id, patient));
    }
    fail(error);
  }
}

function showProblems(form, problems) {
  for (const { field, problem } of problems) {
    const line = form.querySelector(`#register-${field}-problem`);
    if (line) line.textContent = fieldProblemText(field, problem);
    const input = form.querySelector(`[name=${field}]`);
    if (input) input.setAttribute("aria-invalid", "true");
  }
  fail(deskText.fixFields(problems.length));
  const first = form.querySelector("[aria-invalid]");
  if (first) first.focus();
}

/** The patient as the search would have listed them, for the card. */
function found(id, patient) {
  const policy = patient.policy.replace(/\D/g, "");
  return {
    id,
    last_name: patient.last_name.trim(),
    first_name: patient.first_name.trim(),
    middle_name: patient.middle_name.trim(),
    birth_date: patient.birth_date,
    policy_masked: `${"*".repeat(Math.max(policy.length - 4, 0))}${policy.slice(-4)}`,
    phone_masked: null,
  };
}
