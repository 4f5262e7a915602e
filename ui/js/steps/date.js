// The date question: a month calendar of the doctor's free days.

import * as api from "../api.js";
import { createCalendar } from "../components/calendar.js";
import { legend } from "../components/legend.js";
import { monthOf } from "../format.js";
import { text } from "../i18n/index.js";

export function render(ctx) {
  const { doctor, service, date: chosen } = ctx.state.answers;
  ctx.heading(text.chooseDate);
  const calendar = createCalendar({
    chosen,
    onChoose: ctx.choose,
    onUnavailable: () => ctx.say(text.dayUnavailable),
    onTooEarly: () => ctx.say(text.noEarlierMonth),
    onMonth: (month, focusDate) => show(month, focusDate, false),
  });
  ctx.body.append(
    calendar.element,
    legend([
      ["available", text.legendAvailable],
      ["unavailable", text.legendUnavailable],
      ["today", text.legendToday],
    ]),
  );

  let wanted = null; // the month last asked for: older answers are dropped

  async function show(month, focusDate, opening) {
    wanted = month;
    try {
      const data = await ctx.load(api.month(doctor.id, service.id, month));
      if (!ctx.alive() || wanted !== month) return;
      // On opening, go to the month of the first free day if it is another one.
      const first = data.first_available && monthOf(data.first_available);
      if (opening && !chosen && first && first !== data.month) return show(first, null, false);
      calendar.show(data, focusDate);
    } catch (error) {
      ctx.fail(error);
    }
  }

  // A first guess at the month to open; the answer's `first_available`
  // corrects it, so the machine's clock only matters without any hint.
  const today = new Date();
  const thisMonth = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}`;
  show(monthOf(chosen || doctor.nearest_free_date || thisMonth), null, true);
  ctx.onRefresh(() => show(wanted, null, false));
}
