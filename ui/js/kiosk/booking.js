// Booking at the kiosk, by touch: the specialty (with an on-screen keyboard
// to search), the doctor, the day, the time, a check of the answers, and the
// booking with its ticket printed. After it, «Записаться к другому врачу»
// keeps the patient and «Завершить» forgets them.

import * as api from "../api.js";
import { h } from "../dom.js";
import { createSlotGrid } from "../components/slot-grid.js";
import { dayMonth, fullName, longDate, weekdayShort } from "../format.js";
import { kioskText } from "../i18n/index.js";
import { cyrillicKeyboard } from "./pad.js";

/** Starts a booking for the identified patient. */
export function startBooking(frame) {
  const answers = { service: null, doctor: null, date: null, slot: null, key: null };
  showServices(frame, answers);
}

/** A list button, the wizard's `.choice` drawn larger for touch. */
function choice(label, detail, testid, onclick, data = {}) {
  return h(
    "button",
    { type: "button", class: "choice kiosk-choice", testid, onclick, data },
    h("span", { class: "choice__title" }, label),
    detail && h("span", { class: "choice__detail" }, detail),
  );
}

async function showServices(frame, answers) {
  const list = h("div", { class: "kiosk-list", testid: "kiosk-services" });
  const keyboardBox = h("div", { class: "kiosk-keyboard-box", hidden: true });
  const fill = async (query) => {
    let services;
    try {
      // On a kiosk's first start the lists wait for the cache to fill.
      services = await frame.busy(async () => {
        await frame.state.synced;
        return api.kioskServices(query);
      });
    } catch (error) {
      frame.fail(error);
      return;
    }
    list.replaceChildren(
      ...services.map((service) =>
        choice(service.specialty || service.name, service.specialty ? service.name : null, "kiosk-service", () => {
          answers.service = service;
          showDoctors(frame, answers);
        }, { serviceId: service.id, code: service.code }),
      ),
    );
    if (!services.length) list.append(h("p", { class: "kiosk-empty" }, kioskText.noServices));
  };
  keyboardBox.append(cyrillicKeyboard({ onText: (typed) => fill(typed) }));
  const searchButton = frame.bigButton(kioskText.search, "kiosk-search", () => {
    keyboardBox.hidden = !keyboardBox.hidden;
  }, "secondary");
  frame.show("service", {
    heading: kioskText.serviceHeading,
    lead: kioskText.serviceLead,
    body: [searchButton, keyboardBox, list],
    foot: frame.patientFoot(() => frame.menu()),
  });
  await fill("");
}

async function showDoctors(frame, answers) {
  let doctors;
  try {
    doctors = await frame.busy(() => api.kioskDoctors(answers.service.id));
  } catch (error) {
    frame.fail(error);
    return;
  }
  const list = h(
    "div",
    { class: "kiosk-list", testid: "kiosk-doctors" },
    ...doctors.map((doctor) =>
      choice(
        fullName(doctor),
        `${doctor.position} · ${doctor.nearest_free_date ? kioskText.doctorNearest(dayMonth(doctor.nearest_free_date)) : kioskText.doctorNone}`,
        "kiosk-doctor",
        () => {
          answers.doctor = doctor;
          showDays(frame, answers);
        },
        { doctorId: doctor.id, nearest: doctor.nearest_free_date || "" },
      ),
    ),
  );
  frame.show("doctor", { heading: kioskText.doctorHeading, lead: answers.service.name, body: list, foot: frame.patientFoot(() => showServices(frame, answers)) });
}

async function showDays(frame, answers) {
  let days;
  try {
    days = await frame.busy(() => api.kioskDates(answers.doctor.id, answers.service.id));
  } catch (error) {
    frame.fail(error);
    return;
  }
  const open = days.filter((day) => day.status === "available");
  const body = open.length
    ? h(
        "div",
        { class: "kiosk-days", testid: "kiosk-days" },
        ...open.map((day) =>
          choice(`${weekdayShort(day.date)}, ${dayMonth(day.date)}`, kioskText.dayFree(day.free_slots), "kiosk-day", () => {
            answers.date = day.date;
            showTimes(frame, answers);
          }, { date: day.date }),
        ),
      )
    : h("p", { class: "kiosk-empty", testid: "kiosk-no-days" }, kioskText.noDays);
  frame.show("day", { heading: kioskText.dayHeading, lead: fullName(answers.doctor), body, foot: frame.patientFoot(() => showDoctors(frame, answers)) });
}

async function showTimes(frame, answers) {
  let slots;
  try {
    slots = await frame.busy(() => api.kioskSlots(answers.doctor.id, answers.service.id, answers.date));
  } catch (error) {
    frame.fail(error);
    return;
  }
  const grid = createSlotGrid({
    chosenId: answers.slot && answers.slot.id,
    onChoose: (slot) => {
      answers.slot = slot;
      answers.key = null;
      showConfirm(frame, answers);
    },
    onRefused: (reason) => frame.fail(reason),
  });
  const free = slots.filter((slot) => slot.status === "free");
  frame.show("time", {
    heading: kioskText.timeHeading,
    lead: longDate(answers.date),
    body: free.length ? grid.element : h("p", { class: "kiosk-empty" }, kioskText.noTimes),
    foot: frame.patientFoot(() => showDays(frame, answers)),
  });
  // Only the free times: a kiosk's patient has nothing to do with the others.
  grid.show(free, true);
}

function rowsOf(pairs) {
  return h(
    "dl",
    { class: "kiosk-rows", testid: "kiosk-rows" },
    ...pairs.map(([label, value]) => h("div", { class: "kiosk-rows__row" }, h("dt", {}, label), h("dd", {}, value))),
  );
}

async function showConfirm(frame, answers) {
  let consent;
  try {
    consent = await frame.busy(() => api.consent());
  } catch (error) {
    frame.fail(error);
    return;
  }
  const full = h("div", { class: "kiosk-consent", testid: "kiosk-consent-text", hidden: true }, h("h2", {}, consent.title), h("p", {}, consent.text));
  const rows = rowsOf([
    [kioskText.rows.service, answers.service.name],
    [kioskText.rows.doctor, `${fullName(answers.doctor)}, ${answers.doctor.position}`],
    [kioskText.rows.date, longDate(answers.date)],
    [kioskText.rows.time, answers.slot.time],
  ]);
  const book = async () => {
    // One key for this patient's answers: a second tap, or a retry after a
    // lost answer, books once.
    answers.key = answers.key || `kiosk-${answers.slot.id}-${crypto.randomUUID()}`;
    let booked;
    try {
      booked = await frame.busy(() =>
        api.kioskBook({ slot_id: answers.slot.id, service_id: answers.service.id, consent_version: consent.version, idempotency_key: answers.key }),
      );
    } catch (error) {
      frame.fail(error);
      if (error && (error.kind === "slot_taken" || error.kind === "slot_unavailable")) showTimes(frame, answers);
      return;
    }
    showBooked(frame, booked);
  };
  frame.show("confirm", {
    heading: kioskText.confirmHeading,
    lead: kioskText.confirmLead,
    body: [
      rows,
      h("p", { class: "kiosk-note" }, kioskText.consentNote),
      frame.bigButton(kioskText.consentRead, "kiosk-consent", () => {
        full.hidden = !full.hidden;
      }, "secondary"),
      full,
      frame.bigButton(kioskText.confirm, "kiosk-confirm", book),
    ],
    foot: frame.patientFoot(() => showTimes(frame, answers)),
  });
}

function showBooked(frame, booked) {
  const appointment = booked.appointment;
  frame.show("booked", {
    heading: kioskText.bookedHeading,
    lead: booked.printed ? kioskText.bookedPrinted : kioskText.bookedNotPrinted,
    body: [
      h("p", { class: "kiosk-ticket-number", testid: "kiosk-ticket" }, `${kioskText.rows.ticket} ${appointment.ticket}`),
      rowsOf([
        [kioskText.rows.doctor, appointment.doctor.full_name],
        [kioskText.rows.date, longDate(appointment.date)],
        [kioskText.rows.time, appointment.time],
        [kioskText.rows.clinic, `${appointment.clinic.name}, ${appointment.clinic.address}`],
      ]),
      h(
        "div",
        { class: "kiosk-choices" },
        frame.bigButton(kioskText.another, "kiosk-another", () => startBooking(frame)),
        frame.bigButton(kioskText.finish, "kiosk-done", () => frame.finish(), "secondary"),
      ),
    ],
    foot: [],
  });
  if (!booked.printed && booked.print_error) frame.fail(booked.print_error);
}

export { rowsOf };
