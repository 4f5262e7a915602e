// «Перенести» in «Записи на приём»: a new time for an appointment, of the
// same doctor and service by default or of another doctor of the clinic who
// offers the service. The month calendar and the slot grid are the wizard's;
// the move itself is one step at the server, so the old time is given up
// only when the new one is the patient's.

import * as api from "./api.js";
import { track } from "./busy.js";
import { createCalendar } from "./components/calendar.js";
import { createSlotGrid } from "./components/slot-grid.js";
import { h } from "./dom.js";
import { fullName, longDateOn, monthOf } from "./format.js";
import { describeError, text } from "./i18n/index.js";

/**
 * The move panel for `appointment`. `onMoved(updated)` when the server has
 * moved it; `onClose()` when the patient gives up; `say`/`error` speak in the
 * panel's message lines.
 */
export function createMovePanel(appointment, { onMoved, onClose, say, error }) {
  const choice = { doctorId: appointment.doctor.id, doctorName: appointment.doctor.full_name, serviceId: appointment.service.id, date: null, slot: null };
  const doctorLine = h("p", { class: "move__doctor", testid: "move-doctor" });
  const doctorList = h("div", { class: "move__doctors", testid: "move-doctors", hidden: true });
  const slotsBox = h("div", { class: "move__slots", testid: "move-slots" });
  const question = h("div", { class: "move__question", testid: "move-question", hidden: true });

  const calendar = createCalendar({
    chosen: null,
    onChoose: (date) => showDay(date),
    onUnavailable: () => say(text.moveNoTimeThatDay),
    onTooEarly: () => say(text.moveNoTimeThatDay),
    onMonth: (month, focusDate) => showMonth(month, focusDate),
  });
  const grid = createSlotGrid({
    onChoose: (slot) => ask(slot),
    onRefused: (reason) => say(reason),
  });

  const otherDoctor = h(
    "button",
    { type: "button", class: "button button--secondary", testid: "move-other-doctor", onclick: () => showDoctors() },
    text.moveOtherDoctor,
  );
  const element = h(
    "section",
    { class: "move", testid: "move-panel", "aria-label": text.moveHeading },
    h("h4", { class: "move__heading", tabindex: "-1" }, text.moveHeading),
    doctorLine,
    otherDoctor,
    doctorList,
    calendar.element,
    slotsBox,
    question,
    h("button", { type: "button", class: "button button--secondary", testid: "move-close", onclick: () => onClose() }, text.moveKeep),
  );

  function drawDoctor() {
    doctorLine.textContent = text.moveDoctor(choice.doctorName);
  }

  async function showMonth(month, focusDate) {
    try {
      calendar.show(await track(api.month(choice.doctorId, choice.serviceId, month)), focusDate);
    } catch (failure) {
      error(describeError(failure));
    }
  }

  async function showDay(date) {
    choice.date = date;
    question.hidden = true;
    try {
      const day = await track(api.daySlots(choice.doctorId, choice.serviceId, date));
      // The appointment's own time is not a new one.
      const slots = day.slots.filter((slot) => slot.id !== appointment.slot_id);
      slotsBox.replaceChildren(h("p", { class: "move__day" }, longDateOn(date)), grid.element);
      grid.show(slots, day.fresh);
    } catch (failure) {
      error(describeError(failure));
    }
  }

  async function showDoctors() {
    try {
      const doctors = await track(api.doctors(appointment.clinic.id, choice.serviceId, ""));
      doctorList.replaceChildren(
        ...doctors.map((doctor) =>
          h(
            "button",
            {
              type: "button",
              class: "button button--secondary move__doctor-choice",
              testid: "move-doctor-choice",
              data: { doctorId: String(doctor.id) },
              onclick: () => {
                choice.doctorId = doctor.id;
                choice.doctorName = fullName(doctor);
                doctorList.hidden = true;
                slotsBox.replaceChildren();
                question.hidden = true;
                drawDoctor();
                showMonth(monthOf(appointment.date), null);
              },
            },
            fullName(doctor),
          ),
        ),
      );
      doctorList.hidden = false;
    } catch (failure) {
      error(describeError(failure));
    }
  }

  function ask(slot) {
    choice.slot = slot;
    const confirm = h("button", { type: "button", class: "button button--primary", testid: "move-confirm", onclick: () => submit(confirm) }, text.moveConfirm);
    question.replaceChildren(h("p", {}, text.moveQuestion(longDateOn(choice.date), slot.time)), confirm);
    question.hidden = false;
    confirm.focus();
  }

  async function submit(button) {
    button.disabled = true;
    error("");
    try {
      const serviceId = choice.serviceId === appointment.service.id ? null : choice.serviceId;
      onMoved(await track(api.moveAppointment(appointment.id, choice.slot.id, serviceId)));
    } catch (failure) {
      button.disabled = false;
      error(describeError(failure));
      // A time taken meanwhile: the day again, with what is free now.
      if (failure && failure.kind === "slot_taken") showDay(choice.date);
    }
  }

  drawDoctor();
  // The appointment's own month first: a move is most often to a near day.
  showMonth(monthOf(appointment.date), appointment.date);
  return { element, focus: () => element.querySelector(".move__heading").focus() };
}
