// «Мои записи» and «Я пришёл» at the kiosk: the patient's upcoming
// appointments with «Печать талона» and «Отменить запись», and today's
// appointments here, one of which the patient marks as arrived and gets a
// slip with the room and their place in the queue.

import * as api from "../api.js";
import { h } from "../dom.js";
import { longDate } from "../format.js";
import { kioskText } from "../i18n/index.js";
import { rowsOf } from "./booking.js";

async function upcoming(frame) {
  try {
    return (await frame.busy(() => api.kioskAppointments())).upcoming;
  } catch (error) {
    frame.fail(error);
    return null;
  }
}

function card(appointment, ...actions) {
  return h(
    "article",
    { class: "kiosk-card", testid: "kiosk-appointment", data: { ticket: appointment.ticket } },
    h("h2", { class: "kiosk-card__title" }, `${longDate(appointment.date)}, ${appointment.time}`),
    h("p", {}, `${appointment.doctor.full_name}, ${appointment.doctor.position}`),
    h("p", { class: "kiosk-card__detail" }, `${appointment.service.name} · ${kioskText.rows.ticket} ${appointment.ticket}`),
    h("div", { class: "kiosk-card__actions" }, ...actions),
  );
}

/** «Мои записи». */
export async function showMine(frame) {
  const list = await upcoming(frame);
  if (!list) return;
  const cards = list.map((appointment) =>
    card(
      appointment,
      frame.bigButton(kioskText.printTicket, "kiosk-print", async () => {
        try {
          await frame.busy(() => api.kioskPrintTicket(appointment.id));
          frame.say(kioskText.printed);
        } catch (error) {
          frame.fail(error);
        }
      }, "secondary"),
      frame.bigButton(kioskText.cancel, "kiosk-cancel", () => askCancel(frame, appointment), "secondary"),
    ),
  );
  frame.show("mine", {
    heading: kioskText.mineHeading,
    body: cards.length ? h("div", { class: "kiosk-cards" }, ...cards) : h("p", { class: "kiosk-empty", testid: "kiosk-mine-empty" }, kioskText.mineEmpty),
    foot: frame.patientFoot(() => frame.menu()),
  });
}

function askCancel(frame, appointment) {
  frame.show("cancel", {
    heading: kioskText.cancelQuestion,
    body: [
      card(appointment),
      h(
        "div",
        { class: "kiosk-choices" },
        frame.bigButton(kioskText.cancelYes, "kiosk-cancel-yes", async () => {
          try {
            await frame.busy(() => api.kioskCancel(appointment.id));
          } catch (error) {
            frame.fail(error);
            return;
          }
          await showMine(frame);
          frame.say(kioskText.cancelled);
        }),
        frame.bigButton(kioskText.cancelNo, "kiosk-cancel-no", () => showMine(frame), "secondary"),
      ),
    ],
    foot: frame.patientFoot(null),
  });
}

/** «Я пришёл»: today's appointments at this clinic. */
export async function showArrival(frame) {
  const list = await upcoming(frame);
  if (!list) return;
  const clinic = frame.state.terminal && frame.state.terminal.clinic_id;
  const today = frame.state.terminal && frame.state.terminal.today;
  const todays = list.filter((appointment) => appointment.date === today && appointment.clinic.id === clinic);
  const cards = todays.map((appointment) =>
    card(appointment, frame.bigButton(kioskText.arrived, "kiosk-check-in", () => checkIn(frame, appointment))),
  );
  frame.show("arrival", {
    heading: kioskText.arrivedHeading,
    lead: cards.length ? kioskText.arrivedLead : "",
    body: cards.length ? h("div", { class: "kiosk-cards" }, ...cards) : h("p", { class: "kiosk-empty", testid: "kiosk-arrival-none" }, kioskText.arrivedNone),
    foot: frame.patientFoot(() => frame.menu()),
  });
}

async function checkIn(frame, appointment) {
  let done;
  try {
    done = await frame.busy(() => api.kioskCheckIn(appointment.id));
  } catch (error) {
    frame.fail(error);
    return;
  }
  frame.show("arrived", {
    heading: kioskText.arrivedDone,
    lead: `${kioskText.arrivedRoom(done.room)} ${kioskText.arrivedQueue(done.queue_place)}`,
    body: [
      rowsOf([
        [kioskText.rows.room, done.room || "—"],
        [kioskText.rows.queue, String(done.queue_place)],
        [kioskText.rows.doctor, done.appointment.doctor.full_name],
        [kioskText.rows.time, done.appointment.time],
      ]),
      h("p", { class: "kiosk-note", testid: "kiosk-arrived-printed" }, done.printed ? kioskText.arrivedPrinted : ""),
      h(
        "div",
        { class: "kiosk-choices" },
        frame.bigButton(kioskText.another, "kiosk-another", () => frame.menu()),
        frame.bigButton(kioskText.finish, "kiosk-done", () => frame.finish(), "secondary"),
      ),
    ],
    foot: [],
  });
  if (!done.printed && done.print_error) frame.fail(done.print_error);
}
