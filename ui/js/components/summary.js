// Answers as a <dl>: the wizard's running summary, the confirm step and the
// ticket share one layout, so a patient reads them the same way everywhere.

import { h, hiddenText } from "../dom.js";
import { formatPhone, fullName, longDate } from "../format.js";
import { text } from "../i18n/ru.js";

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
