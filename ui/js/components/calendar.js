// A month of days as a grid of buttons, weeks from Monday. One Tab stop for
// the whole month (roving tabindex); arrow keys move by day and week,
// Home/End to the week's ends, Page Up/Down by month. Unavailable days stay
// focusable, so a screen reader hears them too, but cannot be chosen.

import { h, hiddenText, rove } from "../dom.js";
import { addDays, addMonths, dayMonth, daysInMonth, monthOf, monthTitle, weekday } from "../format.js";
import { dates, text } from "../i18n/index.js";

/** Where each key takes the focus from `date`. */
const MOVES = {
  ArrowLeft: (date) => addDays(date, -1),
  ArrowRight: (date) => addDays(date, 1),
  ArrowUp: (date) => addDays(date, -7),
  ArrowDown: (date) => addDays(date, 7),
  Home: (date) => addDays(date, -weekday(date)),
  End: (date) => addDays(date, 6 - weekday(date)),
  PageUp: (date) => addMonths(date, -1),
  PageDown: (date) => addMonths(date, 1),
};

/**
 * @param {object} options
 * @param {string|undefined} options.chosen the date chosen earlier
 * @param {(date: string) => void} options.onChoose an available day was picked
 * @param {(date: string) => void} options.onUnavailable an unavailable day was picked
 * @param {() => void} options.onTooEarly the patient asked for a month before this one
 * @param {(month: string, focusDate: string|null) => void} options.onMonth another month is wanted
 */
export function createCalendar({ chosen, onChoose, onUnavailable, onTooEarly, onMonth }) {
  let shown = null; // the month data drawn now

  const title = h("h2", { class: "calendar__title", id: "calendar-title", "aria-live": "polite" });
  const prevName = h("span");
  const nextName = h("span");
  const prev = h(
    "button",
    { type: "button", class: "button button--secondary button--back", testid: "month-prev", onclick: () => step(-1) },
    hiddenText(text.previousMonth),
    prevName,
  );
  const next = h(
    "button",
    { type: "button", class: "button button--secondary button--forward", testid: "month-next", onclick: () => step(1) },
    hiddenText(text.nextMonth),
    nextName,
  );
  const weeks = h("tbody", { onkeydown: keydown, onclick: click });
  const element = h(
    "div",
    { class: "calendar", testid: "calendar" },
    h("div", { class: "calendar__bar" }, prev, title, next),
    h(
      "div",
      { class: "calendar__scroll" },
      h(
        "table",
        { class: "calendar__grid", role: "grid", "aria-labelledby": "calendar-title" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            dates.weekdayShortNames.map((short, index) =>
              h("th", { scope: "col", class: "calendar__weekday" }, h("abbr", { title: dates.weekdayNames[index] }, short)),
            ),
          ),
        ),
        weeks,
      ),
    ),
  );

  function step(delta) {
    if (!shown) return;
    if (delta < 0 && isFirstMonth()) return onTooEarly();
    onMonth(monthOf(addMonths(`${shown.month}-01`, delta)), null);
  }

  function isFirstMonth() {
    return shown.month <= monthOf(shown.today);
  }

  function days() {
    return [...weeks.querySelectorAll("[data-date]")];
  }

  function keydown(event) {
    const from = event.target.closest("[data-date]");
    const move = MOVES[event.key];
    if (!from || !move) return;
    event.preventDefault();
    const target = move(from.dataset.date);
    if (monthOf(target) === shown.month) {
      rove(days(), days().find((day) => day.dataset.date === target));
    } else if (monthOf(target) < monthOf(shown.today)) {
      onTooEarly();
    } else {
      onMonth(monthOf(target), target);
    }
  }

  function click(event) {
    const day = event.target.closest("[data-date]");
    // The second click of a double click would land on the next step.
    if (!day || event.detail > 1) return;
    rove(days(), day, false);
    if (day.dataset.status === "available") onChoose(day.dataset.date);
    else onUnavailable(day.dataset.date);
  }

  function dayButton(info) {
    const { date } = info;
    const available = info.status === "available";
    const free = available ? info.free_slots : 0;
    const isToday = date === shown.today;
    const isChosen = date === chosen;
    const classes = ["day", available ? "day--available" : "day--unavailable"];
    if (isToday) classes.push("day--today");
    if (isChosen) classes.push("day--chosen");
    return h(
      "button",
      {
        type: "button",
        class: classes.join(" "),
        testid: "day",
        data: { date, status: available ? "available" : "unavailable" },
        tabindex: "-1",
        "aria-disabled": available ? null : "true",
        "aria-current": isToday ? "date" : null,
        "aria-label": text.dayLabel(dayMonth(date), free, isToday, isChosen),
      },
      // Spaces keep the visible words apart for assistive technology (the
      // name must contain them in this order); the layout ignores them.
      h("span", { class: "day__number" }, String(Number(date.slice(8)))),
      " ",
      h("span", { class: "day__places" }, available ? text.places(free) : text.noPlaces),
      isToday && " ",
      isToday && h("span", { class: "day__today" }, text.today),
    );
  }

  /** Draws `month` (the API's answer) and focuses `focusDate` if given. */
  function show(month, focusDate) {
    // A redraw under the patient's focus (a refresh) keeps it on the same day.
    const focused = weeks.contains(document.activeElement) ? document.activeElement.dataset.date : null;
    focusDate ||= focused;
    shown = month;
    title.textContent = monthTitle(month.month);
    prevName.textContent = monthTitle(monthOf(addMonths(`${month.month}-01`, -1)));
    nextName.textContent = monthTitle(monthOf(addMonths(`${month.month}-01`, 1)));
    prev.setAttribute("aria-disabled", String(isFirstMonth()));

    const known = new Map(month.days.map((day) => [day.date, day]));
    const cells = Array.from({ length: weekday(`${month.month}-01`) }, () => h("td", { class: "calendar__blank" }));
    for (let number = 1; number <= daysInMonth(month.month); number += 1) {
      const date = `${month.month}-${String(number).padStart(2, "0")}`;
      const info = known.get(date) || { date, status: "unavailable", free_slots: 0 };
      cells.push(h("td", { class: "calendar__cell" }, dayButton(info)));
    }
    while (cells.length % 7 !== 0) cells.push(h("td", { class: "calendar__blank" }));
    const rows = [];
    for (let start = 0; start < cells.length; start += 7) rows.push(h("tr", {}, cells.slice(start, start + 7)));
    weeks.replaceChildren(...rows);

    // The Tab stop: the day asked for, else the chosen one, the first free
    // day, today, or the 1st.
    const all = days();
    const pick = (date) => date && all.find((day) => day.dataset.date === date);
    const firstFree = all.find((day) => day.dataset.status === "available");
    const target = pick(focusDate) || pick(chosen) || firstFree || pick(month.today) || all[0];
    rove(all, target, Boolean(focusDate));
  }

  return { element, show };
}
