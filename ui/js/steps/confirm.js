// The last check before booking, and the booking itself.

import * as api from "../api.js";
import { answerRows, detailsList } from "../components/summary.js";
import { h } from "../dom.js";
import { describeError, text } from "../i18n/index.js";

export function render(ctx) {
  const { state } = ctx;
  const { answers } = state;
  ctx.heading(text.confirmHeading);
  const request = {
    slotId: answers.time.id,
    serviceId: answers.service.id,
    consentVersion: answers.consent.version,
    phone: answers.phone,
  };
  // One key per choice: a retry after a lost answer is recognised by the
  // server and never books twice, while a different choice is a new booking.
  const signature = JSON.stringify(request);
  if (!state.booking || state.booking.signature !== signature) {
    state.booking = { signature, key: crypto.randomUUID() };
  }

  const book = h(
    "button",
    { type: "button", class: "button button--primary button--large", testid: "confirm-book", onclick: submit },
    text.book,
  );
  // A consent carried from the earlier booking is named, to be read again.
  const consentRow = state.carried.has("consent")
    ? [{ step: "consent", label: text.answerLabels.consent, value: text.consentCarried }]
    : [];
  ctx.body.append(
    detailsList("confirm-details", [...answerRows(answers, true), ...consentRow], (step) => ctx.go(step, { revisit: true })),
    h("div", { class: "wizard__actions" }, book),
  );

  async function submit() {
    if (book.disabled) return;
    ctx.error("");
    book.disabled = true;
    book.textContent = text.booking;
    try {
      const appointment = await ctx.load(api.book({ ...request, idempotencyKey: state.booking.key }));
      if (ctx.alive()) ctx.booked(appointment);
    } catch (error) {
      if (!ctx.alive()) return;
      book.disabled = false;
      book.textContent = text.book;
      refused(error);
      if (ctx.alive()) book.focus();
    }
  }

  function refused(error) {
    switch (error.kind) {
      case "slot_taken":
      case "slot_unavailable":
      case "slot_in_past":
        // Back to the same day, read again: the lost time now shows as it is.
        delete answers.time;
        return ctx.go("time", { error: describeError(error), revisit: true });
      case "consent_required":
        delete answers.consent;
        return ctx.go("consent", { error: text.consentAgain, revisit: true });
      case "already_booked":
        return ctx.error(text.alreadyBooked(error.existing_ticket, error.clash));
      case "offline":
        return ctx.error(text.bookOffline);
      default:
        // An expired session signs in again and comes back here.
        return ctx.fail(error);
    }
  }
}
