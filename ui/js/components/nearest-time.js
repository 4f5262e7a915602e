// «Ближайшее время» on the doctor step: for a patient to whom the doctor
// matters less than the day, the first free time of the chosen service
// across the doctors of this clinic, of its organisation or of the region.
// Core finds it in the local cache and has the server confirm it, so what is
// offered here was free a moment ago.

import * as api from "../api.js";
import { h } from "../dom.js";
import { fullName, longDate } from "../format.js";
import { text } from "../i18n/index.js";

/**
 * @param {object} options
 * @param {object} options.answers the wizard's answers: organization, clinic and service are set
 * @param {(promise: Promise) => Promise} options.load marks the page busy while it waits
 * @param {() => boolean} options.alive false once the patient has moved on
 * @param {(message: string) => void} options.say the status region
 * @param {(error) => void} options.fail
 * @param {(found) => void} options.onTake called with `{organization, clinic, doctor, date, slot}`
 * @param {{found: object|null, note: string}} [options.initial] a time already
 *   found in the clinic, shown at once under `note` (booking again)
 */
export function createNearestTime({ answers, load, alive, say, fail, onTake, initial = null }) {
  const scopes = [
    ["clinic", { scope: "clinic", id: answers.clinic.id }],
    ["organization", { scope: "organization", id: answers.organization.id }],
    ["region", { scope: "region" }],
  ];
  const offer = h("div", { class: "nearest__offer", testid: "nearest-offer", hidden: true });
  const buttons = scopes.map(([name, scope]) =>
    h(
      "button",
      {
        type: "button",
        class: "button button--secondary",
        testid: `nearest-${name}`,
        "aria-pressed": "false",
        onclick: () => find(name, scope),
      },
      text.nearestIn[name],
    ),
  );
  const element = h(
    "section",
    { class: "nearest", testid: "nearest", "aria-labelledby": "nearest-heading", data: { serviceId: answers.service.id } },
    h("h2", { class: "nearest__heading", id: "nearest-heading" }, text.nearestHeading),
    h("p", { class: "nearest__hint" }, text.nearestHint),
    h("div", { class: "nearest__scopes" }, buttons),
    offer,
  );

  // A later click has its own search on the way: an earlier answer is dropped.
  let asked = 0;

  if (initial) {
    press("clinic");
    if (initial.found) show(initial.found, initial.note);
    else showNone("clinic", initial.note);
  }

  function press(name) {
    buttons.forEach((button, index) => button.setAttribute("aria-pressed", String(scopes[index][0] === name)));
  }

  async function find(name, scope) {
    const ask = ++asked;
    press(name);
    try {
      const found = await load(api.nearestTime(answers.service.id, scope));
      if (!alive() || ask !== asked) return;
      if (found) show(found);
      else showNone(name);
    } catch (error) {
      if (alive() && ask === asked) fail(error);
    }
  }

  /** The offer; `note` (booking again) says first why it is offered. */
  function show(found, note = "") {
    const when = `${longDate(found.date)}, ${found.slot.time}`;
    const take = h(
      "button",
      { type: "button", class: "button button--primary", testid: "nearest-take", data: { slotId: found.slot.id }, onclick: () => onTake(found) },
      text.nearestTake,
    );
    // Another organisation is named too: the patient chose a different one.
    const elsewhere = found.organization.id !== answers.organization.id;
    offer.replaceChildren(
      ...(note ? [h("p", { class: "nearest__note", testid: "nearest-note" }, note)] : []),
      h("p", { class: "nearest__when", testid: "nearest-when" }, when),
      h("p", { class: "nearest__detail", testid: "nearest-doctor" }, `${fullName(found.doctor)}, ${found.doctor.position}`),
      h("p", { class: "nearest__detail", testid: "nearest-place" }, `${found.clinic.name}, ${found.clinic.address}`),
      ...(elsewhere ? [h("p", { class: "nearest__detail" }, found.organization.short_name || found.organization.name)] : []),
      take,
    );
    offer.hidden = false;
    say(note ? `${note} ${text.nearestFound(when, fullName(found.doctor))}` : text.nearestFound(when, fullName(found.doctor)));
  }

  function showNone(name, note = "") {
    offer.replaceChildren(
      ...(note ? [h("p", { class: "nearest__note", testid: "nearest-note" }, note)] : []),
      h("p", { class: "nearest__none", testid: "nearest-none" }, text.nearestNone[name]),
    );
    offer.hidden = false;
    say(note ? `${note} ${text.nearestNone[name]}` : text.nearestNone[name]);
  }

  return { element };
}
