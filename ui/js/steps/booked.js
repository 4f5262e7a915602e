// The ticket, and the automatic exit the portal makes after a booking.

import * as api from "../api.js";
import { detailsList } from "../components/summary.js";
import { h } from "../dom.js";
import { longDate, numericDate } from "../format.js";
import { describeError, text } from "../i18n/ru.js";

/** What the app does if its preferences cannot be read: the portal's own 18 seconds. */
const DEFAULT_PREFERENCES = { exit_countdown_seconds: 18, kiosk_sign_out: false };

export function render(ctx) {
  const appointment = ctx.state.appointment;
  const labels = text.ticketLabels;
  const { service, clinic, doctor } = appointment;
  ctx.heading(ctx.template("check-mark-template"), h("span", { testid: "booked-heading" }, text.bookedHeading));

  const countdown = h("p", { class: "booked__countdown", testid: "countdown" });
  ctx.body.append(
    h("p", { class: "wizard__lead" }, text.bookedLead),
    detailsList("ticket", [
      { label: labels.ticket, value: String(appointment.ticket), testid: "ticket-number" },
      { label: labels.service, value: `${service.code} ${service.name}` },
      { label: labels.clinic, value: [clinic.name, clinic.address] },
      { label: labels.doctor, value: doctorLine(doctor) },
      { label: labels.date, value: `${numericDate(appointment.date)} (${longDate(appointment.date)})` },
      { label: labels.time, value: appointment.time },
      { label: labels.status, value: text.ticketStatus },
    ]),
    h(
      "div",
      { class: "wizard__actions" },
      h(
        "button",
        { type: "button", class: "button button--primary button--large", testid: "print-ticket", onclick: print },
        text.printTicket,
      ),
      h(
        "button",
        { type: "button", class: "button button--secondary button--large", testid: "to-start", onclick: finish },
        text.toStart,
      ),
    ),
    countdown,
  );

  let preferences = DEFAULT_PREFERENCES;
  let timer = 0;
  ctx.onLeave(() => clearInterval(timer));

  function finish() {
    ctx.exit({ signOut: preferences.kiosk_sign_out });
  }

  async function print() {
    ctx.error("");
    try {
      await ctx.load(api.printTicket(appointment.id));
      ctx.say(text.printed);
    } catch (error) {
      // Not ctx.fail: the booking is done, nothing here needs signing in again.
      ctx.error(describeError(error));
    }
  }

  // Clicks and keys do not hold the countdown back, as on the portal.
  async function start() {
    preferences = await ctx.load(api.preferences()).catch(() => DEFAULT_PREFERENCES);
    if (!ctx.alive()) return;
    let left = preferences.exit_countdown_seconds;
    countdown.textContent = text.countdown(left);
    timer = setInterval(() => {
      left -= 1;
      if (left > 0) countdown.textContent = text.countdown(left);
      else finish();
    }, 1000);
  }

  start();
}

/** «Фамилия Имя Отчество, должность (основание)», as the portal's ticket writes it. */
function doctorLine(doctor) {
  const line = [doctor.full_name, doctor.position].filter(Boolean).join(", ");
  return doctor.basis ? `${line} (${doctor.basis})` : line;
}
