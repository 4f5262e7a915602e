// The patient at the window: who they are (masked as the search showed
// them) and their upcoming appointments at this clinic. One Tab stop for
// the list; the arrow keys choose the appointment the action keys act on,
// and each row has its actions as buttons too.

import * as api from "../api.js";
import { track } from "../busy.js";
import { h, rove } from "../dom.js";
import { numericDate } from "../format.js";
import { deskText } from "../i18n/index.js";
import { fail } from "./messages.js";
import { personName } from "./search.js";
import { changed } from "./timing.js";
import { desk } from "./state.js";

const byId = (id) => document.getElementById(id);

let handlers = { act: () => {} };
let loads = 0;

/**
 * @param {object} options
 * @param {(action: string, appointment: {id, ticket}, opener: HTMLElement) => void} options.act
 */
export function initPatient(options) {
  handlers = options;
}

/** Opens `patient`'s card and loads their appointments. */
export async function showPatient(patient) {
  desk.patient = patient;
  desk.appointment = null;
  drawHeader(patient, null);
  changed("patient");
  await reloadPatient();
}

/** Loads the card's appointments again (after a change). */
export async function reloadPatient() {
  const patient = desk.patient;
  if (!patient) return;
  const load = ++loads;
  try {
    const card = await track(api.deskPatient(patient.id));
    if (load !== loads || desk.patient !== patient) return;
    drawHeader(patient, card.upcoming);
    changed("appointments");
  } catch (error) {
    if (load === loads) fail(error);
  }
}

/** Closes the card (another patient, a sign-out). */
export function clearPatient() {
  desk.patient = null;
  desk.appointment = null;
  byId("desk-patient").replaceChildren(h("p", { class: "desk-hint", testid: "desk-no-patient" }, deskText.noPatient));
}

/** Focuses the chosen appointment of the card, if there is one. */
export function focusPatient() {
  const rows = appointmentRows();
  const target = rows.find((row) => row.tabIndex === 0) || rows[0];
  if (target) target.focus();
}

function appointmentRows() {
  return [...byId("desk-patient").querySelectorAll("[data-testid='desk-appointment']")];
}

function drawHeader(patient, upcoming) {
  const box = byId("desk-patient");
  const header = h(
    "div",
    { class: "desk-patient__who" },
    h("h2", { class: "desk-heading", id: "desk-patient-heading", tabindex: "-1", testid: "desk-patient-name", data: { patientId: String(patient.id) } }, personName(patient)),
    h("p", { class: "desk-patient__facts" }, deskText.born(numericDate(patient.birth_date)), " · ", deskText.policyMasked(patient.policy_masked)),
  );
  if (upcoming === null) return box.replaceChildren(header);
  const list =
    upcoming.length === 0
      ? h("p", { class: "desk-hint", testid: "desk-no-appointments" }, deskText.noUpcoming)
      : h("ul", { class: "desk-appointments", "aria-label": deskText.upcoming, onkeydown: keys }, upcoming.map(row));
  box.replaceChildren(header, h("h3", { class: "desk-subheading" }, deskText.upcoming), list);
  const rows = appointmentRows();
  const keep = desk.appointment && rows.find((candidate) => candidate.dataset.appointmentId === String(desk.appointment.id));
  if (rows.length) {
    const chosen = keep || rows[0];
    rove(rows, chosen, false);
    choose(chosen);
  }
}

function row(appointment) {
  const item = h(
    "li",
    {
      class: "desk-appointment",
      testid: "desk-appointment",
      tabindex: "-1",
      data: { appointmentId: String(appointment.id), ticket: appointment.ticket },
      onfocus: (event) => choose(event.currentTarget),
    },
    h("span", { class: "desk-appointment__when" }, `${numericDate(appointment.date)} ${appointment.time}`),
    h("span", { class: "desk-appointment__what" }, `${appointment.service.name} · ${appointment.doctor.full_name}`),
    h("span", { class: "desk-appointment__ticket" }, deskText.ticketNumber(appointment.ticket)),
    h(
      "span",
      { class: "desk-appointment__actions" },
      action("print", "F4", deskText.actions.print),
      action("move", "F7", deskText.actions.move),
      action("check_in", "F8", deskText.actions.check_in),
      action("no_show", "F9", deskText.actions.no_show),
      action("cancel", "Del", deskText.actions.cancel),
    ),
  );
  function action(name, key, label) {
    return h(
      "button",
      {
        type: "button",
        class: "button button--secondary desk-small",
        tabindex: "-1",
        testid: `desk-action-${name}`,
        "aria-keyshortcuts": key === "Del" ? "Delete" : key,
        onclick: (event) => {
          choose(item);
          handlers.act(name, desk.appointment, event.currentTarget);
        },
      },
      label,
      " ",
      h("kbd", {}, key),
    );
  }
  return item;
}

function choose(item) {
  desk.appointment = { id: Number(item.dataset.appointmentId), ticket: item.dataset.ticket };
  for (const other of appointmentRows()) other.setAttribute("aria-current", String(other === item));
}

function keys(event) {
  const rows = appointmentRows();
  const index = rows.indexOf(event.target);
  if (index < 0) return;
  const target = { ArrowDown: rows[index + 1], ArrowUp: rows[index - 1], Home: rows[0], End: rows[rows.length - 1] }[event.key];
  if (!target) return;
  event.preventDefault();
  rove(rows, target);
}
