// The lobby kiosk: the start, identification by policy and birth date, the
// menu of what a patient can do, and the return to the start that forgets
// them. Booking is in booking.js, «Мои записи» and «Я пришёл» in visits.js,
// the admin's screens in admin.js.

import * as api from "../api.js";
import { h } from "../dom.js";
import { describeKioskError, fillPage, kioskText } from "../i18n/index.js";
import { watchIdle } from "./idle.js";
import { digitPad } from "./pad.js";
import { startBooking } from "./booking.js";
import { showArrival, showMine } from "./visits.js";
import { showEnroll, showPin } from "./admin.js";

/** What the screens share while a patient is at the kiosk. */
const state = {
  terminal: null,
  /** The patient's initials; null when no one is identified. */
  patient: null,
  /** What the patient chose on the start screen, done once they are identified. */
  intent: null,
  policy: "",
  /** Settles when the schedule cache the booking lists come from is filled. */
  synced: Promise.resolve(),
};

const screenBox = () => document.getElementById("kiosk-screen");

/** Puts one step on screen: its heading, lead, body and footer buttons. */
function show(name, { heading, lead = "", body = [], foot = [] }) {
  document.body.dataset.screen = name;
  const title = document.getElementById("kiosk-heading");
  title.textContent = heading;
  document.getElementById("kiosk-lead").textContent = lead;
  screenBox().replaceChildren(...[body].flat());
  document.getElementById("kiosk-foot").replaceChildren(...foot);
  clearMessages();
  title.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

function clearMessages() {
  document.getElementById("kiosk-error").textContent = "";
  document.getElementById("kiosk-status").textContent = "";
}

/** Says what just happened. */
function say(sentence) {
  document.getElementById("kiosk-error").textContent = "";
  document.getElementById("kiosk-status").textContent = sentence;
}

/** Says what went wrong; a visit the server ended starts over. */
function fail(problem) {
  document.getElementById("kiosk-status").textContent = "";
  document.getElementById("kiosk-error").textContent = typeof problem === "string" ? problem : describeKioskError(problem);
  if (problem && (problem.kind === "visit_ended" || problem.kind === "device_unknown")) {
    const sentence = describeKioskError(problem);
    finish().then(() => {
      document.getElementById("kiosk-error").textContent = sentence;
    });
  }
}

/** Runs `work` with the page marked busy, so the idle timer waits for it. */
async function busy(work) {
  document.body.dataset.busy = "true";
  try {
    return await work();
  } finally {
    document.body.dataset.busy = "false";
  }
}

/** A big button of a screen's body or footer. */
function bigButton(label, testid, onclick, kind = "primary") {
  return h("button", { type: "button", class: `button button--${kind} kiosk-big`, testid, onclick }, label);
}

/** The buttons every step after identification offers at its foot. */
function patientFoot(back) {
  return [
    back && bigButton(kioskText.back, "kiosk-back", back, "secondary"),
    bigButton(kioskText.finish, "kiosk-finish", () => finish(), "secondary"),
  ].filter(Boolean);
}

/** The frame the other modules draw in. */
const frame = { show, say, fail, busy, bigButton, patientFoot, finish, menu: showMenu, state };

/**
 * Returns to the start and forgets the patient: at the server, in Rust's
 * memory, and on the page, where nothing of theirs is left in the DOM.
 */
async function finish() {
  state.patient = null;
  state.intent = null;
  state.policy = "";
  document.getElementById("kiosk-patient").textContent = "";
  screenBox().replaceChildren();
  clearMessages();
  try {
    state.terminal = await api.kioskForget();
  } catch (error) {
    // Nothing to forget, or no server: the page forgets all the same.
  }
  showStart();
}

function showStart() {
  const terminal = state.terminal;
  if (!terminal || !terminal.registered) {
    showEnroll(frame, (next) => {
      state.terminal = next;
      showStart();
    });
    return;
  }
  const choose = (intent) => () => {
    state.intent = intent;
    showPolicy();
  };
  show("start", {
    heading: kioskText.startHeading,
    lead: kioskText.startLead,
    body: h(
      "div",
      { class: "kiosk-choices" },
      bigButton(kioskText.book, "kiosk-start-book", choose("book")),
      bigButton(kioskText.mine, "kiosk-start-mine", choose("mine")),
      bigButton(kioskText.arrived, "kiosk-start-arrived", choose("arrived")),
    ),
    foot: [
      terminal.demo ? h("p", { class: "kiosk-demo", testid: "kiosk-demo" }, kioskText.demo("2468")) : null,
      h("button", { type: "button", class: "button button--quiet kiosk-settings-button", testid: "kiosk-settings", onclick: () => showPin(frame, () => showStart()) }, kioskText.settings),
    ].filter(Boolean),
  });
}

/** The policy step: the pad, or a scanner that types the number and Enter. */
function showPolicy() {
  const shown = h("output", { class: "kiosk-number", testid: "policy-shown", "aria-live": "polite" });
  const count = h("p", { class: "kiosk-count", testid: "policy-count" });
  const redraw = () => {
    shown.textContent = state.policy.replace(/(\d{4})(?=\d)/g, "$1 ");
    count.textContent = kioskText.policyShown(state.policy.length);
  };
  const pad = digitPad({
    label: kioskText.policyHeading,
    onKey: (digit) => {
      if (state.policy.length < 16) state.policy += digit;
      redraw();
    },
    onErase: () => {
      state.policy = state.policy.slice(0, -1);
      redraw();
    },
    onClear: () => {
      state.policy = "";
      redraw();
    },
    onNext: () => acceptPolicy(state.policy),
  });
  show("policy", {
    heading: kioskText.policyHeading,
    lead: kioskText.policyLead,
    body: [shown, count, pad],
    foot: [bigButton(kioskText.back, "kiosk-back", () => finish(), "secondary")],
  });
  redraw();
}

/** Checks a typed or scanned number before the birth date is asked for. */
async function acceptPolicy(number) {
  try {
    await busy(() => api.kioskCheckPolicy(number));
  } catch (error) {
    fail(error);
    return;
  }
  state.policy = number;
  showBirthDate();
}

function showBirthDate() {
  let digits = "";
  const shown = h("output", { class: "kiosk-number", testid: "birth-shown", "aria-live": "polite" });
  const redraw = () => {
    const mask = kioskText.birthMask;
    const filled = [...mask].map((letter, index) => digits[index] || letter).join("");
    shown.textContent = `${filled.slice(0, 2)}.${filled.slice(2, 4)}.${filled.slice(4)}`;
  };
  const pad = digitPad({
    label: kioskText.birthHeading,
    onKey: (digit) => {
      if (digits.length < 8) digits += digit;
      redraw();
    },
    onErase: () => {
      digits = digits.slice(0, -1);
      redraw();
    },
    onClear: () => {
      digits = "";
      redraw();
    },
    onNext: () => identify(digits),
  });
  show("birth-date", {
    heading: kioskText.birthHeading,
    lead: kioskText.birthLead,
    body: [shown, pad],
    foot: [bigButton(kioskText.back, "kiosk-back", () => showPolicy(), "secondary"), bigButton(kioskText.finish, "kiosk-finish", () => finish(), "secondary")],
  });
  redraw();
}

/** ДДММГГГГ as YYYY-MM-DD, or null when it is no real date up to today. */
function isoBirthDate(digits) {
  if (!/^\d{8}$/.test(digits)) return null;
  const [day, month, year] = [digits.slice(0, 2), digits.slice(2, 4), digits.slice(4)];
  const iso = `${year}-${month}-${day}`;
  const date = new Date(`${iso}T12:00:00Z`);
  const real = !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
  return real && Number(year) >= 1900 && date.getTime() <= Date.now() ? iso : null;
}

async function identify(digits) {
  const birthDate = isoBirthDate(digits);
  if (!birthDate) {
    fail(kioskText.birthInvalid);
    return;
  }
  try {
    state.patient = await busy(() => api.kioskIdentify(state.policy, birthDate));
  } catch (error) {
    fail(error);
    return;
  }
  state.policy = "";
  document.getElementById("kiosk-patient").textContent = kioskText.hello(state.patient);
  const intent = state.intent;
  state.intent = null;
  if (intent === "book") startBooking(frame);
  else if (intent === "mine") showMine(frame);
  else if (intent === "arrived") showArrival(frame);
  else showMenu();
}

/** What an identified patient can do. */
function showMenu() {
  show("menu", {
    heading: kioskText.menuHeading,
    body: h(
      "div",
      { class: "kiosk-choices" },
      bigButton(kioskText.book, "kiosk-menu-book", () => startBooking(frame)),
      bigButton(kioskText.mine, "kiosk-menu-mine", () => showMine(frame)),
      bigButton(kioskText.arrived, "kiosk-menu-arrived", () => showArrival(frame)),
    ),
    foot: patientFoot(null),
  });
}

/**
 * A barcode scanner types the policy's digits and Enter as a keyboard
 * would. On the start and the policy step, what was typed since the last
 * Enter is taken as a scan; elsewhere keys are left alone.
 */
function listenForScans() {
  let typed = "";
  let last = 0;
  document.addEventListener("keydown", (event) => {
    const screen = document.body.dataset.screen;
    if (screen !== "start" && screen !== "policy") return;
    if (event.target instanceof HTMLInputElement) return;
    const now = Date.now();
    // A pause longer than a scanner's between keys starts a new scan.
    if (now - last > 1500) typed = "";
    last = now;
    if (event.key === "Enter") {
      if (!typed) return;
      event.preventDefault();
      const scanned = typed;
      typed = "";
      if (!/^\d{16}$/.test(scanned)) {
        fail({ kind: "not_a_policy" });
        return;
      }
      if (screen === "start") state.intent = null;
      acceptPolicy(scanned);
    } else if (event.key.length === 1) {
      typed += event.key;
    }
  });
}

async function start() {
  listenForScans();
  watchIdle({
    seconds: () => (state.terminal && state.terminal.step_seconds) || 60,
    resting: () => ["start", "enroll", "loading"].includes(document.body.dataset.screen),
    leave: () => finish(),
  });
  try {
    state.terminal = await api.kioskView();
  } catch (error) {
    fail(error);
    return;
  }
  // The directory the booking lists come from is public: the cache fills
  // in the background while the start screen waits.
  state.synced = api
    .syncSchedule()
    .then(() => {
      document.body.dataset.synced = "true";
    })
    .catch(() => {});
  showStart();
}

fillPage(kioskText, kioskText.windowTitle);
start();
