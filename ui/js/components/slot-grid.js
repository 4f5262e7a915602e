// A day's times as a grid of buttons. One Tab stop for the grid (roving
// tabindex); arrow keys move along rows and columns, whatever number of
// columns the window's width gives. Busy and reserved times stay focusable
// so a screen reader hears them, and say why they cannot be chosen.

import { h, rove } from "../dom.js";
import { text } from "../i18n/index.js";

/**
 * @param {object} options
 * @param {string|number|undefined} options.chosenId the slot chosen earlier
 * @param {(slot) => void} options.onChoose a free slot was picked
 * @param {(reason: string) => void} options.onRefused another slot was picked
 */
export function createSlotGrid({ chosenId, onChoose, onRefused }) {
  const grid = h("div", { class: "slots", role: "group", "aria-label": text.slotsLabel, onkeydown: keydown });

  function buttons() {
    return [...grid.querySelectorAll(".slot")];
  }

  /** How many buttons share the first row: the columns of the grid as laid out now. */
  function columns(all) {
    const top = all[0].offsetTop;
    const firstBelow = all.findIndex((button) => button.offsetTop !== top);
    return firstBelow < 0 ? all.length : firstBelow;
  }

  function keydown(event) {
    const all = buttons();
    const index = all.indexOf(event.target);
    if (index < 0) return;
    const width = columns(all);
    const moves = {
      ArrowLeft: index - 1,
      ArrowRight: index + 1,
      ArrowUp: index - width,
      ArrowDown: index + width,
      Home: 0,
      End: all.length - 1,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const target = all[moves[event.key]];
    if (target) rove(all, target);
  }

  /** Draws `slots`; when `online` is false no slot can be chosen. */
  function show(slots, online) {
    // A redraw under the patient's focus (a refresh) keeps it on the same time.
    const focusedId = grid.contains(document.activeElement) ? document.activeElement.dataset.slotId : null;
    const drawn = slots.map((slot) => {
      const word = text.slotWords[slot.status] || text.slotWords.unavailable;
      const usable = slot.status === "free" && online;
      const chosen = chosenId !== undefined && String(slot.id) === String(chosenId);
      const button = h(
        "button",
        {
          type: "button",
          class: `slot slot--${slot.status}${chosen ? " slot--chosen" : ""}`,
          testid: "slot",
          data: { slotId: slot.id, status: slot.status, time: slot.time },
          tabindex: "-1",
          "aria-disabled": usable ? null : "true",
          "aria-label": [slot.time, word, chosen && text.chosen].filter(Boolean).join(", "),
        },
        // The space keeps the visible words apart for assistive technology
        // (the name must contain them as shown); the layout ignores it.
        h("span", { class: "slot__time" }, slot.time),
        " ",
        h("span", { class: "slot__status" }, word),
      );
      button.addEventListener("click", (event) => {
        // The second click of a double click would land on the next step.
        if (event.detail > 1) return;
        rove(buttons(), button, false);
        if (usable) onChoose(slot);
        else onRefused(refusal(slot.status));
      });
      return button;
    });
    grid.replaceChildren(...drawn);
    const withId = (id) =>
      id !== null && id !== undefined && drawn.find((button) => button.dataset.slotId === String(id));
    const target =
      withId(focusedId) ||
      withId(chosenId) ||
      drawn.find((button) => button.getAttribute("aria-disabled") === null) ||
      drawn[0];
    if (target) rove(drawn, target, Boolean(withId(focusedId)));
  }

  return { element: grid, show };
}

function refusal(status) {
  if (status === "busy") return text.slotBusy;
  if (status === "free") return text.slotNeedsNetwork;
  return text.slotReserved;
}
