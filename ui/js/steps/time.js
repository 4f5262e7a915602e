// The time question: the chosen day's slots, read live from the registry
// server when it answers and from the cache when it does not.

import * as api from "../api.js";
import { legend } from "../components/legend.js";
import { createSlotGrid } from "../components/slot-grid.js";
import { h } from "../dom.js";
import { longDate } from "../format.js";
import { text } from "../i18n/index.js";

export function render(ctx) {
  const { doctor, service, date, time: chosen } = ctx.state.answers;
  ctx.heading(text.chooseTime);
  const retry = h(
    "button",
    { type: "button", class: "button button--secondary", testid: "slots-retry", onclick: show },
    text.checkAgain,
  );
  const offlineText = h("span");
  const offline = h("div", { class: "wizard__note", testid: "offline-note", hidden: true }, offlineText, retry);
  const none = h("p", { class: "wizard__lead", testid: "slots-none", hidden: true }, text.noFreeSlots);
  const grid = createSlotGrid({ chosenId: chosen?.id, onChoose: ctx.choose, onRefused: ctx.say });
  ctx.body.append(
    h("p", { class: "wizard__lead" }, longDate(date)),
    offline,
    none,
    grid.element,
    legend([
      ["free", text.legendFree],
      ["busy", text.legendBusy],
      ["reserved", text.legendReserved],
    ]),
  );

  async function show() {
    try {
      const day = await ctx.load(api.daySlots(doctor.id, service.id, date));
      if (!ctx.alive()) return;
      offline.hidden = day.fresh;
      offlineText.textContent = day.fresh ? "" : text.slotsOffline(day.as_of_local);
      none.hidden = day.slots.some((slot) => slot.status === "free");
      grid.show(day.slots, day.fresh);
    } catch (error) {
      ctx.fail(error);
    }
  }

  show();
  ctx.onRefresh(show);
}
