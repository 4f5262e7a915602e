// «Записи на приём»: the patient's appointments from the personal account,
// upcoming and past, with the ticket's buttons on each and «Отменить эту
// запись» on those still to come. main.js shows the panel; this module owns
// what is inside it.

import * as api from "./api.js";
import { track } from "./busy.js";
import { createCancelConfirm } from "./components/cancel-confirm.js";
import { esiaLogin } from "./components/esia-login.js";
import { detailsList, ticketRows } from "./components/summary.js";
import { ticketActions } from "./components/ticket-actions.js";
import { createMovePanel } from "./move-appointment.js";
import { h } from "./dom.js";
import { longDate, longDateOn } from "./format.js";
import { describeError, errorText, text } from "./i18n/index.js";
import { sessionEnded } from "./session.js";

const byId = (id) => document.getElementById(id);

/** A small mark before each status, so the status is read in words and seen in shape, never in colour alone. */
const STATUS_MARKS = Object.freeze({
  booked: "✓",
  cancelled_by_patient: "✕",
  cancelled_by_clinic: "✕",
  fulfilled: "✓",
  no_show: "!",
});

let frame = null;
let onBook = () => {};
let onBookAgain = () => {};
let onExit = () => {};
let isOpen = false;
let visits = 0; // one per opening: answers from an earlier visit are dropped
let loads = 0; // one per load: only the latest list is shown
let list = null; // `{upcoming, past}` as shown
let signingIn = null; // the sign-in prompt's controls while it is shown

/**
 * Wires the panel once: `book()` opens the booking wizard, `bookAgain(appointment)`
 * opens it for the same doctor and service, `exit()` returns to the start.
 */
export function initAppointments({ book, bookAgain, exit }) {
  onBook = book;
  onBookAgain = bookAgain;
  onExit = exit;
  frame = {
    heading: byId("appointments-heading"),
    back: byId("appointments-back"),
    refresh: byId("appointments-refresh"),
    error: byId("appointments-error"),
    status: byId("appointments-status"),
    body: byId("appointments-body"),
  };
  frame.back.addEventListener("click", () => onExit());
  frame.refresh.addEventListener("click", () => load({ announce: true }));
}

/** Shows the panel's content afresh: the list, or the sign-in prompt. */
export function openAppointments() {
  closeAppointments();
  isOpen = true;
  document.body.dataset.panel = "appointments";
  load();
}

/** Forgets the list; main.js calls it when another panel takes over. */
export function closeAppointments() {
  isOpen = false;
  visits += 1;
  loads += 1;
  list = null;
  signingIn = null;
  if (!frame) return;
  frame.body.replaceChildren();
  frame.error.textContent = "";
  frame.status.textContent = "";
}

/** Follows the header's session: a sign-in loads the list, a sign-out hides it. */
export function appointmentsSessionChanged(view) {
  if (!isOpen) return;
  if (view && view.signed_in) {
    if (signingIn) load();
  } else if (!signingIn) {
    showSignIn();
  }
}

/** A login that came back refused or stale, while the sign-in prompt waits. */
export function appointmentsLoginFailed(failure) {
  if (!isOpen || !signingIn) return;
  signingIn.setWaiting(false);
  const stale = failure && failure.kind === "invalid_input";
  error(stale ? text.staleLogin : describeError(failure));
}

function say(message) {
  frame.status.textContent = message;
}

function error(message) {
  frame.error.textContent = message;
}

/** Whether the answer to something started during visit `visit` still matters. */
function current(visit) {
  return isOpen && visit === visits;
}

/**
 * Asks who is signed in, then for the list. `keep` leaves the status and
 * error as they are (a reload after an error that explains itself);
 * `announce` says so when the list has been read again.
 */
async function load({ keep = false, announce = false } = {}) {
  const visit = visits;
  loads += 1;
  const mine = loads;
  if (!keep) {
    error("");
    say("");
  }
  if (!list) {
    frame.refresh.hidden = true;
    frame.body.replaceChildren(h("p", { class: "panel__loading", testid: "appointments-loading" }, text.appointmentsLoading));
  }
  try {
    const answer = await track(
      (async () => {
        const session = await api.sessionView();
        return session && session.signed_in ? { appointments: await api.appointments() } : { signedOut: true };
      })(),
    );
    if (!current(visit) || mine !== loads) return;
    if (answer.signedOut) return showSignIn();
    list = { upcoming: answer.appointments.upcoming || [], past: answer.appointments.past || [] };
    renderList();
    if (announce) say(text.appointmentsRefreshed);
  } catch (failure) {
    if (!current(visit) || mine !== loads) return;
    failed(failure);
  }
}

/** An error no action explains itself: an expired session means signing in again, here. */
function failed(failure) {
  if (failure && failure.kind === "session_expired") {
    sessionEnded();
    showSignIn();
    error(errorText.session_expired);
    return;
  }
  error(describeError(failure));
  if (!list) {
    frame.body.replaceChildren();
    frame.refresh.hidden = false;
    keepFocus();
  }
}

/** The focus went with a button that is gone: the heading takes it, so the keyboard starts from the top. */
function keepFocus() {
  const active = document.activeElement;
  if (!active || active === document.body || !active.isConnected) frame.heading.focus();
}

/** «Войти через ЕСИА», as on the personal-account panel; the list loads once the session says so. */
function showSignIn() {
  list = null;
  frame.refresh.hidden = true;
  const visit = visits;
  const prompt = esiaLogin({
    prefix: "appointments",
    actionsClass: "start__actions",
    alive: () => current(visit) && prompt.actions.isConnected,
    clear: () => error(""),
    failed: (failure) => error(describeError(failure)),
  });
  frame.body.replaceChildren(
    h(
      "div",
      { class: "appointments__signin", testid: "appointments-signin" },
      h("p", { class: "start__lead" }, text.appointmentsSignIn),
      prompt.actions,
      prompt.waiting,
    ),
  );
  signingIn = prompt;
  keepFocus();
}

/** The two lists, or the empty state; the focus stays on the same button of the same appointment. */
function renderList() {
  signingIn = null;
  frame.refresh.hidden = false;
  const focused = focusedControl();
  const { upcoming, past } = list;
  if (upcoming.length === 0 && past.length === 0) {
    frame.body.replaceChildren(
      h(
        "div",
        { class: "appointments__empty", testid: "appointments-empty" },
        h("p", { class: "start__lead" }, text.appointmentsEmpty),
        bookButton(),
      ),
    );
  } else {
    frame.body.replaceChildren(
      section("upcoming", text.upcomingHeading, upcoming, true),
      section("past", text.pastHeading, past, false),
    );
  }
  restoreFocus(focused);
}

function bookButton() {
  return h(
    "button",
    { type: "button", class: "button button--primary button--large", testid: "appointments-book", onclick: () => onBook() },
    text.bookAppointment,
  );
}

function section(name, title, appointments, upcoming) {
  const headingId = `appointments-${name}-heading`;
  return h(
    "section",
    { class: "appointments__section", "aria-labelledby": headingId },
    h("h2", { class: "appointments__heading", id: headingId, testid: `appointments-${name}-heading` }, title),
    appointments.length
      ? h(
          "ul",
          { class: "appointments__list", testid: `appointments-${name}` },
          appointments.map((appointment) => h("li", {}, card(appointment, upcoming))),
        )
      : h(
          "div",
          { class: "appointments__none", testid: `appointments-${name}-none` },
          h("p", {}, upcoming ? text.noUpcoming : text.noPast),
          upcoming && bookButton(),
        ),
  );
}

/** One appointment as the portal's ticket shows it, with what can be done with it. */
function card(appointment, upcoming) {
  const { id, status } = appointment;
  const titleId = `appointment-${id}-title`;
  const active = upcoming && status === "booked";
  const statusValue = h(
    "span",
    { class: `status status--${status}` },
    h("span", { class: "status__mark", "aria-hidden": "true" }, STATUS_MARKS[status] || "•"),
    text.appointmentStatus[status] || status,
  );
  const rows = ticketRows(appointment, statusValue).map((row) => ({ ...row, testid: `appointment-${row.key}` }));
  const actions = ticketActions(appointment, { load: track, say, error, fail: failed });
  const article = h(
    "article",
    {
      class: `appointment${active ? "" : " appointment--inactive"}`,
      testid: "appointment",
      data: { appointmentId: String(id), ticket: String(appointment.ticket), status },
      "aria-labelledby": titleId,
    },
    h(
      "h3",
      { class: "appointment__title", id: titleId, tabindex: "-1" },
      text.appointmentTitle(longDate(appointment.date), appointment.time),
    ),
    detailsList("appointment-details", rows),
  );
  const cancel =
    active &&
    h(
      "button",
      {
        type: "button",
        class: "button button--warning appointment__cancel",
        testid: "cancel-appointment",
        onclick: () => askCancel(appointment, article, cancel),
      },
      text.cancelAppointment,
    );
  const move =
    active &&
    h(
      "button",
      { type: "button", class: "button button--secondary appointment__move", testid: "move-appointment", onclick: () => openMove(appointment, article, move) },
      text.moveAppointment,
    );
  // Past and cancelled ones: the same doctor and service once more.
  const again =
    !active &&
    h(
      "button",
      { type: "button", class: "button button--primary appointment__again", testid: "book-again", onclick: () => onBookAgain(appointment) },
      text.bookAgain,
    );
  if (appointment.moved_at) {
    article.append(h("p", { class: "appointment__moved", testid: "appointment-moved" }, text.movedMark));
  }
  article.append(
    h("div", { class: "appointment__actions" }, again, actions.print, actions.pdf, active && actions.calendar, move, cancel),
  );
  return article;
}

/** «Перенести»: the move panel under the appointment; one at a time. */
function openMove(appointment, article, opener) {
  for (const open of frame.body.querySelectorAll(".move, .cancel-confirm")) open.remove();
  error("");
  say("");
  const visit = visits;
  const panel = createMovePanel(appointment, {
    say,
    error,
    onClose: () => {
      panel.element.remove();
      opener.focus();
    },
    onMoved: (updated) => {
      if (!current(visit)) return;
      list = { ...list, upcoming: list.upcoming.map((item) => (item.id === updated.id ? updated : item)).sort((a, b) => a.start.localeCompare(b.start)) };
      renderList();
      say(text.moved(updated.ticket, longDateOn(updated.date), updated.time));
      const title = byId(`appointment-${updated.id}-title`);
      (title || frame.heading).focus();
    },
  });
  article.append(panel.element);
  panel.focus();
}

/**
 * The confirmation under the appointment it names: «Отменить запись к
 * Захаровой С. С. (врач-стоматолог) на …?». Escape or «Не отменять» closes
 * it and gives the focus back to «Отменить эту запись».
 */
function askCancel(appointment, article, cancelButton) {
  for (const open of frame.body.querySelectorAll(".cancel-confirm")) open.remove();
  error("");
  say("");
  const visit = visits;
  const dialog = createCancelConfirm({
    question: text.cancelQuestion(
      appointment.doctor.full_name,
      appointment.doctor.position,
      longDateOn(appointment.date),
      appointment.time,
    ),
    consequence: text.cancelConsequence,
    words: { confirm: text.cancelConfirm, busy: text.cancelling, keep: text.cancelKeep },
    opener: cancelButton,
    onConfirm: submit,
  });
  article.append(dialog.element);
  dialog.focus();

  /** Resolves true when the question is answered for good. */
  async function submit() {
    error("");
    say("");
    try {
      const updated = await track(api.cancelAppointment(appointment.id));
      if (!current(visit)) return true;
      cancelled({ ...appointment, ...updated });
      return true;
    } catch (failure) {
      if (!current(visit)) return true;
      return refused(failure);
    }
  }

  function refused(failure) {
    switch (failure && failure.kind) {
      case "too_late_to_cancel":
        dialog.close();
        error(errorText.too_late_to_cancel);
        return true;
      case "not_active":
        // Someone else (the clinic, another device) changed it: show it as it is.
        dialog.close();
        error(errorText.not_active);
        load({ keep: true });
        return true;
      case "session_expired":
        failed(failure);
        return true;
      default:
        // Offline or anything else: the question stays, to be answered again.
        error(describeError(failure));
        return false;
    }
  }
}

/** The cancelled appointment moves to the past ones, at the top, and takes the focus there. */
function cancelled(appointment) {
  list = {
    upcoming: list.upcoming.filter((item) => item.id !== appointment.id),
    past: [appointment, ...list.past.filter((item) => item.id !== appointment.id)],
  };
  renderList();
  say(text.cancelled(appointment.ticket));
  const title = byId(`appointment-${appointment.id}-title`);
  (title || frame.heading).focus();
}

/** The focused control inside an appointment, to be found again after the list is drawn anew. */
function focusedControl() {
  const active = document.activeElement;
  if (!active || !frame.body.contains(active)) return null;
  const article = active.closest("[data-appointment-id]");
  return article ? { id: article.dataset.appointmentId, testid: active.dataset.testid } : null;
}

function restoreFocus(focused) {
  if (focused) {
    const article = [...frame.body.querySelectorAll("[data-appointment-id]")].find(
      (candidate) => candidate.dataset.appointmentId === focused.id,
    );
    const again =
      article &&
      ([...article.querySelectorAll("[data-testid]")].find((control) => control.dataset.testid === focused.testid) ||
        article.querySelector(".appointment__title"));
    if (again) return again.focus();
  }
  keepFocus();
}
