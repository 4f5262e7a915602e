// The clinic's day board: a column per doctor, a row per time, each time a
// button with its state (free, busy with the patient's initials, kept for
// the desk, arrived, no-show). One Tab stop for the whole board; the arrow
// keys move across doctors and times, Enter takes the time. Above it: the
// day (previous, next, today, a typed date) and the service, whose Enter
// finds the nearest free time across the clinic's doctors.

import * as api from "../api.js";
import { track } from "../busy.js";
import { createCalendar } from "../components/calendar.js";
import { h, rove } from "../dom.js";
import { addDays, longDate } from "../format.js";
import { deskText } from "../i18n/index.js";
import { fail, say } from "./messages.js";
import { changed } from "./timing.js";
import { desk } from "./state.js";
import { parseTypedDate } from "./typed-date.js";

const byId = (id) => document.getElementById(id);

let handlers = { take: () => {}, focusCell: () => {}, dayList: () => {} };
let loads = 0;

/**
 * @param {object} options
 * @param {(cell) => void} options.take Enter on a time: `{slotId, doctor, time, state, appointmentId, ticket, serviceIds}`
 * @param {(cell) => void} options.focusCell a time got the focus
 * @param {(doctorId: number) => void} options.dayList a doctor's «Список» was pressed
 */
export function initBoard(options) {
  handlers = options;
  byId("desk-day-prev").addEventListener("click", () => shiftDay(-1));
  byId("desk-day-next").addEventListener("click", () => shiftDay(1));
  byId("desk-day-today").addEventListener("click", () => loadBoard(null, { focus: true }));
  byId("desk-jump-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const date = parseTypedDate(byId("desk-jump").value);
    if (!date) return fail(deskText.jumpWrong);
    byId("desk-jump").value = "";
    loadBoard(date, { focus: true });
  });
  const service = byId("desk-service");
  service.addEventListener("input", () => showServices(service.value));
  service.addEventListener("keydown", serviceKeys);
  service.addEventListener("blur", () => setTimeout(hideServices, 150));
  byId("desk-grid").addEventListener("keydown", gridKeys);
  byId("desk-grid").addEventListener("focusin", (event) => {
    const cell = event.target.closest("[data-testid='desk-cell']");
    if (cell) handlers.focusCell(cellData(cell));
  });
}

/** Moves the board a day back or forth. */
export function shiftDay(days) {
  if (!desk.date) return;
  return loadBoard(addDays(desk.date, days), { focus: byId("desk-grid").contains(document.activeElement) });
}

/**
 * Ctrl+G: the shared month calendar over the board, on the board's day;
 * Enter on any day shows its board (a day with nothing left to take too,
 * since the desk checks patients in on full days), Escape closes it.
 */
export async function openCalendar() {
  const box = byId("desk-calendar");
  const calendar = createCalendar({
    chosen: desk.date,
    onChoose: jump,
    onUnavailable: jump,
    onTooEarly: () => {},
    onMonth: (month, focusDate) => showMonth(month, focusDate),
  });
  box.replaceChildren(calendar.element);
  box.hidden = false;
  box.onkeydown = (event) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    event.stopPropagation();
    closeCalendar();
    focusBoard();
  };

  async function showMonth(month, focusDate) {
    try {
      calendar.show(await track(api.deskMonth(month, desk.serviceId)), focusDate);
      changed("calendar");
    } catch (error) {
      fail(error);
    }
  }

  function jump(date) {
    closeCalendar();
    loadBoard(date, { focus: true });
  }

  await showMonth((desk.date || "").slice(0, 7), desk.date);
}

/** Closes the calendar, if open. */
export function closeCalendar() {
  const box = byId("desk-calendar");
  box.hidden = true;
  box.replaceChildren();
}

/**
 * Focuses the service field with its text selected; with `list`, the
 * services show at once (F3), else from the first key typed.
 */
export function focusService({ list = true } = {}) {
  const field = byId("desk-service");
  field.focus();
  field.select();
  if (list) showServices(field.value);
}

/** Focuses the board's current time (or its first). */
export function focusBoard() {
  const cells = allCells();
  const current = cells.find((cell) => cell.tabIndex === 0) || cells[0];
  if (current) current.focus();
  else byId("desk-board-heading").focus();
}

/**
 * Loads and draws `date`'s board (today when null) for the chosen service.
 * With `focusSlot`, that time gets the focus; with `focus`, the board does.
 */
export async function loadBoard(date, { focus = false, focusSlot = null } = {}) {
  const load = ++loads;
  const keep = !focusSlot && byId("desk-grid").contains(document.activeElement) ? document.activeElement.dataset.slotId : null;
  try {
    const board = await track(api.deskBoard(date ?? desk.date, desk.serviceId));
    if (load !== loads) return;
    desk.date = board.date;
    desk.board = board;
    draw(board);
    const target = cellFor(focusSlot) || cellFor(keep);
    // A question above the board keeps the focus while the board fills in.
    const takeFocus = !byId("desk-confirm").contains(document.activeElement) && Boolean(focus || focusSlot || keep);
    if (target) rove(allCells(), target, takeFocus);
    else if (focus) focusBoard();
    changed("board");
  } catch (error) {
    if (load === loads) fail(error);
  }
}

function cellFor(slotId) {
  if (slotId === null || slotId === undefined) return null;
  return allCells().find((cell) => cell.dataset.slotId === String(slotId)) || null;
}

function allCells() {
  return [...byId("desk-grid").querySelectorAll("[data-testid='desk-cell']")];
}

function draw(board) {
  byId("desk-board-heading").textContent = `${longDate(board.date)}${board.is_today ? ` — ${deskText.today.toLowerCase()}` : ""}`;
  document.body.dataset.boardDate = board.date;
  const grid = byId("desk-grid");
  const columns = board.columns.filter((column) => column.slots.length > 0);
  if (columns.length === 0) {
    grid.replaceChildren(h("p", { class: "desk-hint", testid: "desk-board-empty" }, deskText.boardEmpty));
    return;
  }
  const times = [...new Set(columns.flatMap((column) => column.slots.map((slot) => slot.time)))].sort();
  const byTime = columns.map((column) => new Map(column.slots.map((slot) => [slot.time, slot])));
  const head = h(
    "thead",
    {},
    h(
      "tr",
      {},
      h("th", { scope: "col", class: "desk-grid__corner" }, deskText.timeColumn),
      columns.map((column) =>
        h("th", { scope: "col", class: "desk-grid__doctor", data: { doctorId: String(column.doctor_id) } },
          h("span", { class: "desk-grid__name" }, column.full_name),
          h("span", { class: "desk-grid__position" }, column.position),
          h(
            "button",
            {
              type: "button",
              class: "desk-grid__list",
              testid: "desk-day-list",
              tabindex: "-1",
              "aria-label": deskText.dayListOf(column.full_name),
              onclick: () => handlers.dayList(column.doctor_id),
            },
            deskText.dayListButton,
          )),
      ),
    ),
  );
  const body = h(
    "tbody",
    {},
    times.map((time, row) =>
      h(
        "tr",
        {},
        h("th", { scope: "row", class: "desk-grid__time" }, time),
        columns.map((column, col) => {
          const slot = byTime[col].get(time);
          return h("td", {}, slot && cell(slot, column, row, col));
        }),
      ),
    ),
  );
  const table = h("table", { class: "desk-grid__table", "aria-label": deskText.boardLabel(longDate(board.date)) }, head, body);
  grid.replaceChildren(table);
  const cells = allCells();
  // The board opens at the first time still to come that can be taken.
  const ahead = cells.filter((button) => button.dataset.started === "false");
  const first = ahead.find((button) => ["free", "reserved"].includes(button.dataset.state)) || ahead[0] || cells[0];
  if (first) {
    rove(cells, first, false);
    first.scrollIntoView({ block: "center", inline: "nearest" });
  }
}

function cell(slot, column, row, col) {
  // A time gone by that nobody took can no longer be taken: it says so.
  const past = slot.started && ["free", "reserved"].includes(slot.state);
  const word = past ? deskText.slotPast : deskText.slotWords[slot.state];
  return h(
    "button",
    {
      type: "button",
      class: `desk-cell desk-cell--${past ? "past" : slot.state}`,
      testid: "desk-cell",
      tabindex: "-1",
      data: {
        slotId: String(slot.slot_id),
        state: slot.state,
        doctorId: String(column.doctor_id),
        doctor: column.full_name,
        serviceIds: column.service_ids.join(","),
        time: slot.time,
        row: String(row),
        col: String(col),
        appointmentId: slot.appointment_id ? String(slot.appointment_id) : "",
        ticket: slot.ticket || "",
        started: String(slot.started),
      },
      "aria-label": deskText.cellLabel(slot.time, column.full_name, word, slot.patient),
      onclick: (event) => handlers.take(cellData(event.currentTarget)),
    },
    h("span", { class: "desk-cell__state" }, word),
    slot.patient && h("span", { class: "desk-cell__patient" }, slot.patient),
  );
}

/** What a time's button says about it. */
export function cellData(button) {
  const data = button.dataset;
  return {
    slotId: Number(data.slotId),
    state: data.state,
    doctorId: Number(data.doctorId),
    doctor: data.doctor,
    serviceIds: data.serviceIds ? data.serviceIds.split(",").map(Number) : [],
    time: data.time,
    date: desk.date,
    appointmentId: data.appointmentId ? Number(data.appointmentId) : null,
    ticket: data.ticket || null,
    started: data.started === "true",
  };
}

/** Arrow keys across doctors and times; Home/End along a doctor's day. */
function gridKeys(event) {
  const from = event.target.closest("[data-testid='desk-cell']");
  if (!from) return;
  const cells = allCells();
  const row = Number(from.dataset.row);
  const col = Number(from.dataset.col);
  const at = (r, c) => cells.find((button) => Number(button.dataset.row) === r && Number(button.dataset.col) === c);
  const inColumn = cells.filter((button) => Number(button.dataset.col) === col);
  let target = null;
  if (event.key === "ArrowDown") target = inColumn.find((button) => Number(button.dataset.row) > row);
  else if (event.key === "ArrowUp") target = inColumn.reverse().find((button) => Number(button.dataset.row) < row);
  else if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
    const step = event.key === "ArrowRight" ? 1 : -1;
    const columns = Math.max(...cells.map((button) => Number(button.dataset.col))) + 1;
    for (let c = col + step; c >= 0 && c < columns && !target; c += step) {
      target = at(row, c) || nearestInColumn(cells, c, row);
    }
  } else if (event.key === "Home") target = inColumn[0];
  else if (event.key === "End") target = inColumn[inColumn.length - 1];
  else if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    return handlers.take(cellData(from));
  } else return;
  event.preventDefault();
  if (target) {
    rove(cells, target);
    target.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
}

function nearestInColumn(cells, col, row) {
  const column = cells.filter((button) => Number(button.dataset.col) === col);
  let best = null;
  for (const button of column) {
    if (!best || Math.abs(Number(button.dataset.row) - row) < Math.abs(Number(best.dataset.row) - row)) best = button;
  }
  return best;
}

// The service field: a combobox over the clinic's services.

let shown = [];
let active = -1;

function showServices(typed) {
  const query = (typed || "").trim().toLowerCase();
  const matches = (service) =>
    [service.name, service.code, service.specialty].some((field) => (field || "").toLowerCase().includes(query));
  shown = desk.services.filter((service) => !query || matches(service)).slice(0, 12);
  active = shown.length ? 0 : -1;
  drawServices();
}

function drawServices() {
  const list = byId("desk-service-list");
  const field = byId("desk-service");
  list.replaceChildren(
    ...shown.map((service, index) =>
      h(
        "li",
        {
          id: `desk-service-${service.id}`,
          role: "option",
          class: "desk-service__option",
          testid: "desk-service-option",
          "aria-selected": String(index === active),
          data: { serviceId: String(service.id) },
          onmousedown: (event) => {
            event.preventDefault();
            choose(service, { reservedOnly: false });
          },
        },
        service.name,
      ),
    ),
  );
  if (shown.length === 0 && field.value.trim()) list.append(h("li", { class: "desk-service__none", role: "presentation" }, deskText.noServices));
  list.hidden = document.activeElement !== field || list.childElementCount === 0;
  field.setAttribute("aria-expanded", String(!list.hidden));
  if (active >= 0) field.setAttribute("aria-activedescendant", `desk-service-${shown[active].id}`);
  else field.removeAttribute("aria-activedescendant");
}

function hideServices() {
  byId("desk-service-list").hidden = true;
  byId("desk-service").setAttribute("aria-expanded", "false");
}

function serviceKeys(event) {
  const field = event.currentTarget;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    if (shown.length === 0) return showServices(field.value);
    active = (active + (event.key === "ArrowDown" ? 1 : -1) + shown.length) % shown.length;
    return drawServices();
  }
  if (event.key === "Escape" && !byId("desk-service-list").hidden) {
    event.preventDefault();
    event.stopPropagation();
    return hideServices();
  }
  if (event.key !== "Enter") return;
  event.preventDefault();
  if (!field.value.trim()) {
    desk.serviceId = null;
    hideServices();
    return loadBoard(desk.date, { focus: true });
  }
  if (active < 0) return fail(deskText.noServices);
  choose(shown[active], { reservedOnly: event.shiftKey });
}

/**
 * The board shows the service's doctors, and the nearest free time across
 * them gets the focus (Shift+Enter: the nearest kept for the desk).
 */
async function choose(service, { reservedOnly }) {
  desk.serviceId = service.id;
  const field = byId("desk-service");
  field.value = service.name;
  hideServices();
  try {
    const nearest = await track(api.deskNearest(service.id, { reservedOnly }));
    // The question about the time comes at once; the board of its day
    // follows behind it, with the time chosen but the focus left on the question.
    handlers.take({
      slotId: nearest.slot_id,
      state: nearest.reserved ? "reserved" : "free",
      doctorId: nearest.doctor_id,
      doctor: nearest.doctor,
      serviceIds: [service.id],
      time: nearest.time,
      date: nearest.date,
      appointmentId: null,
      ticket: null,
      started: false,
    });
    await loadBoard(nearest.date, { focusSlot: nearest.slot_id, focus: false });
  } catch (error) {
    if (error.kind === "not_found") {
      fail(deskText.nearestNone);
      return loadBoard(desk.date, { focus: false });
    }
    fail(error);
  }
}

