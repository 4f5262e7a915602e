// Answers as a <dl>: the wizard's running summary, the confirm step and the
// ticket share one layout, so a patient reads them the same way everywhere.

import { h, hiddenText } from "../dom.js";
import { formatPhone, fullName, longDate, numericDate } from "../format.js";
import { text } from "../i18n/index.js";

/** The order answers are asked in, and so shown in. */
const ANSWERED_STEPS = ["organization", "clinic", "service", "doctor", "date", "time", "phone"];

/**
 * One row per answer given so far: `{step, label, value}`, where `value` is a
 * line or an array of lines. `detailed` adds addresses and positions, as the
 * confirm step shows them.
 */
export function answerRows(answers, detailed) {
  const values = {
    organization: (organization) =>
      detailed ? organization.name : organization.short_name || organization.name,
    clinic: (clinic) => (detailed ? [clinic.name, clinic.address] : clinic.name),
    service: (service) => `${service.code} ${service.name}`,
    doctor: (doctor) => (detailed ? [fullName(doctor), doctor.position] : fullName(doctor)),
    date: (date) => longDate(date),
    time: (slot) => (detailed ? text.clinicTime(slot.time) : slot.time),
    phone: (phone) => (phone ? formatPhone(phone) : text.phoneNotGiven),
  };
  return ANSWERED_STEPS.filter((step) => step in answers).map((step) => ({
    step,
    label: text.answerLabels[step],
    value: values[step](answers[step]),
  }));
}

/**
 * A `<dl data-testid=testid>` of `rows` (`{label, value, step?, testid?}`).
 * With `onChange`, a row that names its `step` gets an «Изменить» button
 * (`change-<step>`) that calls `onChange(step)`.
 */
export function detailsList(testid, rows, onChange) {
  return h(
    "dl",
    { class: "details", testid },
    rows.map((row) =>
      h(
        "div",
        { class: "details__row" },
        h("dt", { class: "details__term" }, row.label),
        h(
          "dd",
          { class: "details__value", testid: row.testid },
          [row.value].flat().filter(Boolean).map((line) => h("span", { class: "details__line" }, line)),
        ),
        onChange &&
          row.step &&
          h(
            "dd",
            { class: "details__action" },
            h(
              "button",
              {
                type: "button",
                class: "button button--link",
                testid: `change-${row.step}`,
                onclick: () => onChange(row.step),
              },
              text.change,
              hiddenText(` ${text.changeWhat[row.step]}`),
            ),
          ),
      ),
    ),
  );
}

/**
 * The ticket's rows, as the portal's ticket has them: `{key, label, value}`
 * for the ticket number, service, clinic, doctor, date, time and `status`
 * (a line or an element), and the clinic's phone when there is one.
 */
export function ticketRows(appointment, status) {
  const labels = text.ticketLabels;
  const { service, clinic, doctor } = appointment;
  return [
    { key: "ticket", label: labels.ticket, value: String(appointment.ticket) },
    { key: "service", label: labels.service, value: `${service.code} ${service.name}` },
    { key: "clinic", label: labels.clinic, value: [clinic.name, clinic.address] },
    { key: "doctor", label: labels.doctor, value: doctorLine(doctor) },
    { key: "date", label: labels.date, value: `${numericDate(appointment.date)} (${longDate(appointment.date)})` },
    { key: "time", label: labels.time, value: appointment.time },
    { key: "status", label: labels.status, value: status },
    clinic.phone && { key: "phone", label: text.clinicPhone, value: clinic.phone },
  ].filter(Boolean);
}

/** «Фамилия Имя Отчество, должность (основание)», as the portal's ticket writes it. */
function doctorLine(doctor) {
  const line = [doctor.full_name, doctor.position].filter(Boolean).join(", ");
  return doctor.basis ? `${line} (${doctor.basis})` : line;
}
