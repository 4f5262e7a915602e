// The ticket out of the app: «Печать талона», «Сохранить PDF» and «Добавить
// в календарь». The booked step and the list of appointments share these
// buttons, so a ticket prints, saves and reports the same way everywhere.

import * as api from "../api.js";
import { h } from "../dom.js";
import { describeError, errorText, text } from "../i18n/index.js";
import { drawPrintSheet } from "./print-sheet.js";

/** «Печать талона»: silently when a printer is set, else the ticket's print page through the system's dialog. */
async function printTicket(appointmentId) {
  const outcome = await api.printTicket(appointmentId);
  if (outcome.mode !== "page") return outcome;
  drawPrintSheet(outcome.sheet);
  // A printer named here (Windows) takes the page without a dialog.
  const printed = await api.printPage(outcome.sheet.paper, outcome.printer);
  return { ...outcome, ...printed, mode: outcome.printer ? "silent" : "page" };
}

/**
 * The three buttons for `appointment`; the caller places them.
 *
 * `load(promise)` marks the screen busy while a command runs; `say(message)`
 * and `error(message)` fill the screen's status and error regions; `fail(error)`
 * takes the errors these buttons do not explain themselves (by default, the
 * error's text). `classes` gives each button its look:
 * `{print, pdf, calendar}`, "button button--secondary" when left out.
 *
 * @returns {{print: HTMLButtonElement, pdf: HTMLButtonElement, calendar: HTMLButtonElement}}
 */
export function ticketActions(appointment, { load, say, error, fail, classes = {} }) {
  const unexplained = fail || ((failure) => error(describeError(failure)));
  const button = (name, testid, label, busyLabel, request, done) => {
    const element = h(
      "button",
      { type: "button", class: classes[name] || "button button--secondary", testid },
      label,
    );
    element.addEventListener("click", () => run(element, label, busyLabel, request, done));
    return element;
  };

  return {
    print: button("print", "print-ticket", text.printTicket, text.printing, printTicket, (result) => {
      // The system's print dialog has spoken for itself.
      if (result && result.mode === "silent") say(text.printedTo(result.printer));
    }),
    pdf: button("pdf", "save-pdf", text.savePdf, text.saving, (id) => api.saveTicketPdf(id, text.savePdfTitle), (result) => {
      // Not saved: the person closed the dialog, which needs no answer.
      if (result && result.saved) say(text.pdfSaved(result.file_name));
    }),
    calendar: button("calendar", "add-to-calendar", text.addToCalendar, text.saving, (id) => api.saveCalendar(id, text.saveCalendarTitle), (result) => {
      if (result && result.saved) say(text.calendarSaved(result.file_name));
    }),
  };

  /** One command at a time per button; the button says what it is doing meanwhile. */
  async function run(element, label, busyLabel, request, done) {
    if (element.disabled) return;
    error("");
    say("");
    element.disabled = true;
    element.textContent = busyLabel;
    try {
      done(await load(request(appointment.id)));
    } catch (failure) {
      explain(failure);
    } finally {
      element.disabled = false;
      element.textContent = label;
      // A disabled button drops the focus; give it back if nothing else took it.
      const lost = document.activeElement === element || document.activeElement === document.body;
      if (element.isConnected && lost) element.focus();
    }
  }

  function explain(failure) {
    switch (failure && failure.kind) {
      case "printer_missing":
        return error(text.printerMissing(failure.printer));
      case "print_failed":
        return error(errorText.print_failed);
      default:
        return unexplained(failure);
    }
  }
}
