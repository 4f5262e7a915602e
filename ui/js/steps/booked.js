// The ticket, and the automatic exit the portal makes after a booking.

import * as api from "../api.js";
import { detailsList, ticketRows } from "../components/summary.js";
import { ticketActions } from "../components/ticket-actions.js";
import { h } from "../dom.js";
import { describeError, text } from "../i18n/index.js";

/** What the app does if its preferences cannot be read: the portal's own 18 seconds. */
const DEFAULT_PREFERENCES = { exit_countdown_seconds: 18, kiosk_sign_out: false, kiosk_idle_seconds: 120, silent_printer: null };

export function render(ctx) {
  const appointment = ctx.state.appointment;
  ctx.heading(ctx.template("check-mark-template"), h("span", { testid: "booked-heading" }, text.bookedHeading));

  // A print or save dialog that is open holds the automatic exit back.
  let running = 0;
  const actions = ticketActions(appointment, {
    load: (promise) => {
      running += 1;
      return ctx.load(promise).finally(() => {
        running -= 1;
      });
    },
    say: ctx.say,
    error: ctx.error,
    // Not ctx.fail: the booking is done, nothing here needs signing in again.
    fail: (error) => ctx.error(describeError(error)),
    classes: {
      print: "button button--primary button--large",
      pdf: "button button--secondary",
      calendar: "button button--secondary",
    },
  });

  const countdown = h("p", { class: "booked__countdown", testid: "countdown" });
  const rows = ticketRows(appointment, text.ticketStatus).map((row) =>
    row.key === "ticket" ? { ...row, testid: "ticket-number" } : row,
  );
  ctx.body.append(
    h("p", { class: "wizard__lead" }, text.bookedLead),
    detailsList("ticket", rows),
    h(
      "div",
      { class: "wizard__actions" },
      actions.print,
      h(
        "button",
        { type: "button", class: "button button--secondary button--large", testid: "to-start", onclick: finish },
        text.toStart,
      ),
    ),
    h("div", { class: "wizard__actions wizard__actions--more" }, actions.pdf, actions.calendar),
    countdown,
  );

  let preferences = DEFAULT_PREFERENCES;
  let timer = 0;
  ctx.onLeave(() => clearInterval(timer));

  function finish() {
    ctx.exit({ signOut: preferences.kiosk_sign_out });
  }

  // Clicks and keys do not hold the countdown back, as on the portal; only
  // a print or save dialog still open does, at its last second.
  async function start() {
    preferences = await ctx.load(api.preferences()).catch(() => DEFAULT_PREFERENCES);
    if (!ctx.alive()) return;
    let left = preferences.exit_countdown_seconds;
    countdown.textContent = text.countdown(left);
    timer = setInterval(() => {
      if (left > 1) {
        left -= 1;
        countdown.textContent = text.countdown(left);
      } else if (running === 0) {
        finish();
      }
    }, 1000);
  }

  start();
}
