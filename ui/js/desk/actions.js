// What the desk does to appointments: book the patient at the window into a
// time, move an appointment, cancel it for a reason, mark «Пришёл» and «Не
// явился» (and undo them), and print the ticket. Booking and moving ask in
// one line above the board; Enter answers, Escape takes it back.

import * as api from "../api.js";
import { track } from "../busy.js";
import { createCancelConfirm } from "../components/cancel-confirm.js";
import { h } from "../dom.js";
import { numericDate } from "../format.js";
import { deskText } from "../i18n/index.js";
import { focusBoard, loadBoard } from "./board.js";
import { fail, say } from "./messages.js";
import { reloadPatient } from "./patient.js";
import { personName } from "./search.js";
import { desk } from "./state.js";
import { changed } from "./timing.js";

const byId = (id) => document.getElementById(id);

/** Enter on a time of the board. */
export function takeTime(cell) {
  const open = ["free", "reserved"].includes(cell.state);
  if (open && cell.started) return fail({ kind: "slot_in_past" });
  if (desk.moving) {
    if (!open) return fail(deskText.slotNotBookable);
    return askMove(cell);
  }
  if (!open) return;
  if (!desk.patient) return fail(deskText.needPatient);
  const serviceId = cell.serviceIds.includes(desk.serviceId) ? desk.serviceId : cell.serviceIds.length === 1 ? cell.serviceIds[0] : null;
  askBooking(cell, serviceId);
}

/** A time of the board got the focus: its appointment is what the action keys act on. */
export function focusTime(cell) {
  desk.doctorId = cell.doctorId;
  if (cell.appointmentId) desk.appointment = { id: cell.appointmentId, ticket: cell.ticket };
}

/** Whether a booking, move or cancel question is open. */
export function asking() {
  return !byId("desk-confirm").hidden;
}

/** Takes back an open question, and a move waiting for its time. */
export function stopAsking() {
  const box = byId("desk-confirm");
  const wasOpen = !box.hidden;
  box.hidden = true;
  box.replaceChildren();
  if (desk.moving) {
    desk.moving = null;
    say(deskText.moveCancelled);
    return true;
  }
  return wasOpen;
}

function open(...children) {
  const box = byId("desk-confirm");
  box.replaceChildren(...children);
  box.hidden = false;
  changed("question");
}

/**
 * The service of a booking: the one chosen, or, for a doctor of several
 * with none chosen, a choice among theirs (digit keys pick one).
 */
function serviceChoice(cell, serviceId) {
  if (serviceId) return { element: null, chosen: () => serviceId };
  const offered = cell.serviceIds.map((id) => desk.services.find((service) => service.id === id)).filter(Boolean);
  const radios = offered.map((service, index) =>
    h("label", {}, h("input", { type: "radio", name: "desk-book-service", value: String(service.id), checked: index === 0, testid: "desk-book-service" }), ` ${index + 1}. ${service.name}`),
  );
  const element = h("span", { class: "desk-confirm__services", role: "radiogroup", "aria-label": deskText.service }, radios);
  return {
    element,
    chosen: () => Number(element.querySelector("input:checked")?.value) || null,
    pick: (digit) => {
      const radio = radios[digit - 1] && radios[digit - 1].querySelector("input");
      if (radio) radio.checked = true;
      return Boolean(radio);
    },
  };
}

function askBooking(cell, preset) {
  const idempotencyKey = crypto.randomUUID();
  const services = serviceChoice(cell, preset);
  const consent = h("input", { type: "checkbox", id: "desk-consent", testid: "desk-consent" });
  const book = h("button", { type: "button", class: "button button--primary desk-small", testid: "desk-book", onclick: submit }, deskText.confirmBookButton, " ", h("kbd", {}, "Enter"));
  const keep = h("button", { type: "button", class: "button button--secondary desk-small", testid: "desk-book-keep", onclick: back }, deskText.confirmKeep, " ", h("kbd", {}, "Esc"));
  const form = h(
    "div",
    { class: "desk-confirm__body", role: "group", "aria-labelledby": "desk-confirm-question", onkeydown: keys },
    h("p", { id: "desk-confirm-question", class: "desk-confirm__question", testid: "desk-confirm-question" },
      deskText.confirmBook(personName(desk.patient), cell.doctor, numericDate(cell.date), cell.time)),
    services.element,
    h("label", { class: "desk-confirm__consent" }, consent, " ", deskText.consentTaken, " ", h("kbd", {}, deskText.spaceKey)),
    h("span", { class: "desk-confirm__actions" }, book, keep),
  );
  open(form);
  consent.focus();

  function keys(event) {
    if (services.pick && /^[1-9]$/.test(event.key) && services.pick(Number(event.key))) {
      event.preventDefault();
    } else if (event.key === "Enter" && event.target !== keep) {
      // Enter anywhere in the question books, except on «Отмена», which takes it back.
      event.preventDefault();
      submit();
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      back();
    }
  }

  function back() {
    stopAsking();
    focusBoard();
  }

  async function submit() {
    if (book.disabled) return;
    if (!consent.checked) {
      fail({ kind: "consent_required" });
      return consent.focus();
    }
    const serviceId = services.chosen();
    if (!serviceId) return fail(deskText.chooseServiceFirst);
    book.disabled = true;
    say(deskText.booking);
    try {
      const appointment = await track(
        api.deskBook({
          patientId: desk.patient.id,
          slotId: cell.slotId,
          serviceId,
          consentVersion: desk.consentVersion,
          idempotencyKey,
        }),
      );
      stopAsking();
      desk.appointment = { id: appointment.id, ticket: appointment.ticket };
      const done = deskText.booked(appointment.ticket, numericDate(appointment.date), appointment.time);
      say(done);
      // The board of the booked time's day, whichever day it showed before.
      await Promise.all([loadBoard(cell.date, { focusSlot: cell.slotId }), reloadPatient()]);
      await print(desk.appointment, done);
    } catch (error) {
      book.disabled = false;
      fail(error);
      if (["slot_taken", "slot_unavailable", "slot_in_past", "already_booked", "not_found"].includes(error.kind)) {
        stopAsking();
        await loadBoard(desk.date, { focusSlot: cell.slotId });
        fail(error);
      } else if (consent.isConnected) consent.focus();
    }
  }
}

function askMove(cell) {
  const moving = desk.moving;
  const go = h("button", { type: "button", class: "button button--primary desk-small", testid: "desk-move-confirm", onclick: submit }, deskText.confirmMoveButton, " ", h("kbd", {}, "Enter"));
  const keep = h("button", { type: "button", class: "button button--secondary desk-small", testid: "desk-move-keep", onclick: back }, deskText.confirmKeep, " ", h("kbd", {}, "Esc"));
  const body = h(
    "div",
    { class: "desk-confirm__body", role: "group", "aria-labelledby": "desk-confirm-question", onkeydown: keys },
    h("p", { id: "desk-confirm-question", class: "desk-confirm__question", testid: "desk-confirm-question" },
      deskText.confirmMove(numericDate(cell.date), cell.time, cell.doctor)),
    h("span", { class: "desk-confirm__actions" }, go, keep),
  );
  open(body);
  go.focus();

  function keys(event) {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      back();
    }
  }

  function back() {
    byId("desk-confirm").hidden = true;
    byId("desk-confirm").replaceChildren();
    focusBoard();
  }

  async function submit() {
    if (go.disabled) return;
    go.disabled = true;
    try {
      const serviceId = cell.serviceIds.includes(desk.serviceId) ? desk.serviceId : null;
      const appointment = await track(api.deskMove(moving.id, cell.slotId, serviceId));
      desk.moving = null;
      stopAsking();
      desk.appointment = { id: appointment.id, ticket: appointment.ticket };
      const done = deskText.moved(appointment.ticket, numericDate(appointment.date), appointment.time);
      say(done);
      // The board of the booked time's day, whichever day it showed before.
      await Promise.all([loadBoard(cell.date, { focusSlot: cell.slotId }), reloadPatient()]);
      await print(desk.appointment, done);
    } catch (error) {
      go.disabled = false;
      fail(error);
      go.focus();
    }
  }
}

/** F4, F7, F8, F9, Delete (Shift for undo) on the chosen appointment. */
export async function act(action, appointment, opener) {
  if (!appointment) return fail(deskText.noAppointmentChosen);
  switch (action) {
    case "print":
      return print(appointment, "");
    case "move":
      stopAsking();
      desk.moving = appointment;
      say(deskText.moveMode(appointment.ticket));
      return focusBoard();
    case "cancel":
      return askCancel(appointment, opener || document.activeElement);
    default:
      return mark(action, appointment);
  }
}

const MARKED = {
  check_in: deskText.checkedIn,
  undo_check_in: deskText.checkInUndone,
  no_show: deskText.noShowMarked,
  undo_no_show: deskText.noShowUndone,
};

async function mark(action, appointment) {
  try {
    await track(api.deskMark(appointment.id, action));
    say(MARKED[action](appointment.ticket));
    await Promise.all([loadBoard(desk.date), reloadPatient()]);
  } catch (error) {
    fail(error);
  }
}

async function print(appointment, before) {
  try {
    const outcome = await track(api.deskPrintTicket(appointment.id));
    const printed = outcome.mode === "silent" ? deskText.printedTo(outcome.printer) : outcome.printed ? deskText.printedDialog : deskText.printCancelled;
    say([before, printed].filter(Boolean).join(" "));
    document.body.dataset.printed = appointment.ticket;
  } catch (error) {
    fail(error);
  }
}

function askCancel(appointment, opener) {
  stopAsking();
  const dialog = createCancelConfirm({
    question: deskText.cancelQuestion(appointment.ticket),
    reasons: Object.entries(deskText.cancelReasons),
    words: { confirm: deskText.cancelConfirm, busy: deskText.cancelling, keep: deskText.cancelKeep },
    opener,
    onConfirm: async (reason) => {
      try {
        await track(api.deskCancel(appointment.id, reason));
        byId("desk-confirm").hidden = true;
        say(deskText.cancelled(appointment.ticket));
        desk.appointment = null;
        await Promise.all([loadBoard(desk.date), reloadPatient()]);
        if (opener && opener.isConnected) opener.focus();
        else focusBoard();
        return true;
      } catch (error) {
        fail(error);
        // Offline: the question stays to be answered again; anything else
        // (cancelled meanwhile, too late) ends it.
        if (["offline", "internal"].includes(error.kind)) return false;
        byId("desk-confirm").hidden = true;
        await Promise.all([loadBoard(desk.date), reloadPatient()]);
        return true;
      }
    },
    onClose: () => {
      byId("desk-confirm").hidden = true;
    },
  });
  open(dialog.element);
  dialog.focus();
}

/** Ctrl+P and Ctrl+S: the day list of the board's doctor, printed on A4 or saved as PDF. */
export async function dayList(doctorId, { save = false } = {}) {
  if (!doctorId || !desk.date) return fail(deskText.chooseDoctor);
  try {
    if (save) {
      const saved = await track(api.deskSaveDayList(doctorId, desk.date, deskText.dayListSaveTitle));
      if (saved.saved) say(deskText.dayListSaved(saved.file_name));
      return;
    }
    const outcome = await track(api.deskPrintDayList(doctorId, desk.date));
    say(outcome.mode === "silent" ? deskText.dayListPrintedTo(outcome.printer) : outcome.printed ? deskText.dayListPrinted : deskText.printCancelled);
  } catch (error) {
    fail(error);
  }
}
