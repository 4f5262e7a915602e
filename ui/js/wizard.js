// The booking wizard: one question per step, answers carried forward, and
// the schedule cache kept fresh in the background. Each step lives in
// steps/*.js and gets a small context; this module owns the answers, the
// navigation and the frame every step shares (heading, «Назад», summary,
// status and error regions).

import * as api from "./api.js";
import { answerRows, detailsList } from "./components/summary.js";
import { h } from "./dom.js";
import { describeError, errorText, text } from "./i18n/index.js";
import { sessionEnded } from "./session.js";
import { render as booked } from "./steps/booked.js";
import { render as confirm } from "./steps/confirm.js";
import { render as consent } from "./steps/consent.js";
import { render as date } from "./steps/date.js";
import { clinic, doctor, organization, service } from "./steps/lists.js";
import { render as login } from "./steps/login.js";
import { render as phone } from "./steps/phone.js";
import { render as sync } from "./steps/sync.js";
import { render as time } from "./steps/time.js";

const STEPS = { organization, clinic, service, doctor, date, time, login, consent, phone, confirm, booked, sync };

/** The steps in the order a patient meets them; `sync` stands apart. */
const ORDER = [
  "organization", "clinic", "service", "doctor", "date", "time",
  "login", "consent", "phone", "confirm", "booked",
];

/** Answers that depend on the one before: another clinic voids the doctor, the date and the time. */
const CHAIN = ["organization", "clinic", "service", "doctor", "date", "time"];

/** Steps that are on screen at once: their whole point is showing progress. */
const SHOWN_AT_ONCE = new Set(["sync"]);

/** Steps that show their own answers, or none: the running summary would repeat them. */
const NO_SUMMARY = new Set(["confirm", "booked", "sync"]);

const SYNC_RETRY_MS = 15_000;

/**
 * How long a step may wait for its data before it is shown without it
 * (with the page marked busy). Data from the local cache comes in a few
 * milliseconds, so a step normally appears whole, in one frame.
 */
const REVEAL_AFTER_MS = 150;

const byId = (id) => document.getElementById(id);

let frame = null;
let onExit = () => {};
let state = freshState();
let isOpen = false;
let visits = 0; // one per opening, so late answers from an earlier visit are dropped
let current = null;
let renderId = 0;
let cleanups = [];
let refreshStep = null;
let pending = 0;
let syncedAt = null;
let syncing = null;
let retryTimer = 0;
// The step being drawn off-screen until its data is in: `{id, heading, body}`.
let stage = null;
let revealTimer = 0;
let renderStarted = 0;
let renderEntered = 0;
let renderSetUp = 0;
let renderMeasured = true;

function freshState() {
  return {
    // By step name: organization, clinic, service, doctor, date, time (the
    // slot), consent ({version}) and phone ("+7…" or null when declined).
    answers: {},
    session: { signed_in: false, confirmed: false },
    // Set while the patient walks back from «Изменить»: each choice then
    // leads to the first unanswered step rather than the next one.
    changing: false,
    // The step to return to once signed in after a session expired there.
    resume: null,
    // Answers a booking again carried from the earlier appointment
    // (consent, phone): their steps are passed by, and shown on the confirm
    // step to be changed there.
    carried: new Set(),
    // «Ближайшее время» already found for the doctor step to show on
    // opening: `{found, note}`, taken by the step once drawn.
    offer: null,
    // One idempotency key per choice: `{signature, key}`.
    booking: null,
    appointment: null,
  };
}

/** Wires the frame once; `exit(options)` is called when the patient leaves. */
export function initWizard({ exit }) {
  onExit = exit;
  frame = {
    back: byId("wizard-back"),
    asOf: byId("data-as-of"),
    summary: byId("wizard-summary-box"),
    heading: byId("step-heading"),
    error: byId("wizard-error"),
    step: byId("wizard-step"),
    status: byId("wizard-status"),
  };
  frame.back.addEventListener("click", back);
  document.body.dataset.busy = "false";
}

/**
 * Starts a booking from the first step. The schedule comes from the local
 * cache: an empty cache is filled first, a filled one is shown at once and
 * refreshed in the background.
 */
export async function openWizard() {
  closeWizard();
  state = freshState();
  isOpen = true;
  const visit = visits;
  const [status, session] = await track(
    Promise.all([
      api.cacheStatus().catch(() => ({ ready: false, synced_at_local: null })),
      api.sessionView().catch(() => state.session),
    ]),
  );
  if (!isOpen || visit !== visits) return;
  state.session = session;
  syncedAt = status.synced_at_local;
  if (status.ready) {
    go("organization");
    refreshSchedule();
  } else {
    go("sync");
  }
}

/**
 * «Записаться снова» for a past appointment: the wizard opens at the date
 * step of the same doctor and service, or, when that doctor has no free
 * time, at the doctor step with the clinic's nearest free time offered. The
 * consent and the phone of that booking come along; the server refuses a
 * consent that is no longer current, and the wizard then asks for it.
 */
export async function openWizardAgain(appointment) {
  closeWizard();
  state = freshState();
  isOpen = true;
  const visit = visits;
  let again;
  try {
    const [answer, session] = await track(
      Promise.all([
        api.bookingAgain(appointment.clinic.id, appointment.doctor.id, appointment.service.id),
        api.sessionView().catch(() => state.session),
      ]),
    );
    again = answer;
    state.session = session;
  } catch (error) {
    if (!isOpen || visit !== visits) return;
    const status = await api.cacheStatus().catch(() => ({ ready: false, synced_at_local: null }));
    if (!isOpen || visit !== visits) return;
    syncedAt = status.synced_at_local;
    const message = error && error.kind === "not_found" ? text.againGone : describeError(error);
    if (status.ready) go("organization", { error: message });
    else go("sync", { error: message });
    return;
  }
  if (!isOpen || visit !== visits) return;
  const { organization, clinic, service, doctor, nearest } = again;
  Object.assign(state.answers, { organization, clinic, service });
  state.answers.consent = { version: appointment.consent_version };
  state.answers.phone = appointment.phone ?? null;
  state.carried = new Set(["consent", "phone"]);
  if (doctor) {
    state.answers.doctor = doctor;
    go("date");
  } else {
    state.offer = { found: nearest, note: text.againNoTime(appointment.doctor.full_name) };
    go("doctor");
  }
  refreshSchedule();
}

/** Stops the wizard's timers; main.js calls it when another panel takes over. */
export function closeWizard() {
  leave();
  isOpen = false;
  visits += 1;
  current = null;
  renderId += 1;
  stage = null;
  clearTimeout(revealTimer);
  clearTimeout(retryTimer);
  if (frame) frame.asOf.hidden = true;
  delete document.body.dataset.step;
}

/** Follows the header's session: resumes the booking once the patient signs in. */
export function sessionChanged(view) {
  state.session = view;
  if (!isOpen || current !== "login") return;
  if (view.signed_in && view.confirmed) {
    if (state.resume) go(state.resume);
    else advance("login");
  } else {
    go("login");
  }
}

/** A login that came back refused or stale, while the sign-in step waits. */
export function loginFailed(failure) {
  if (!isOpen || current !== "login") return;
  const stale = failure && failure.kind === "invalid_input";
  go("login", { error: stale ? text.staleLogin : describeError(failure) });
}

/**
 * Shows `step`. `error` fills the error region after the change; `revisit`
 * means «go there, then come back»: later answers stay and the next choice
 * leads to the first unanswered step.
 *
 * The step is drawn off-screen and takes the place of the previous one in
 * the frame after its data arrives (or after REVEAL_AFTER_MS), so the page
 * changes once per click instead of showing an empty step first: steadier
 * for the eye, and one paint instead of two.
 */
function go(step, { error = "", revisit = false } = {}) {
  leave();
  renderEntered = performance.now();
  // The click (or key) that led here, on the same clock as performance.now().
  renderStarted = window.event ? window.event.timeStamp : renderEntered;
  renderMeasured = false;
  if (revisit) state.changing = true;
  if (step === "confirm") state.changing = false;
  if (step !== "login") state.resume = null;
  current = step;
  renderId += 1;
  // Built now, while the step's data is on its way, so that the frame
  // after the data only has to swap it in.
  stage = { id: renderId, heading: [], body: document.createDocumentFragment(), summary: summaryRows() };
  document.body.dataset.step = step;
  frame.error.textContent = error;
  frame.status.textContent = "";
  showBusy();
  STEPS[step](context(step, renderId));
  renderSetUp = performance.now();
  clearTimeout(revealTimer);
  if (SHOWN_AT_ONCE.has(step)) reveal();
  else revealTimer = setTimeout(reveal, REVEAL_AFTER_MS);
  if (pending === 0) markRendered();
}

/** Puts the staged step on screen: heading, answers so far, «Назад» and the step itself. */
function reveal() {
  if (!stage || stage.id !== renderId) return;
  const { heading, body, summary } = stage;
  stage = null;
  clearTimeout(revealTimer);
  frame.heading.replaceChildren(...heading);
  frame.back.hidden = current === "booked";
  frame.summary.hidden = summary === null;
  frame.summary.replaceChildren(...(summary || []));
  frame.step.replaceChildren(body);
  frame.heading.focus();
  showBusy();
}

/**
 * Records how long the step took from the click to its first paint with its
 * data, as `data-render-ms` on <body>: scripts/bench/wizard reads it in the
 * real window. The staged step goes on screen in the animation frame; the
 * timer after it runs once that frame has painted.
 * `data-render-phases` splits it, so a slow step says where its time went:
 * the click's way to our handler, the step's own drawing, the wait for its
 * data, the wait for the frame, and the frame's style, layout and paint.
 */
function markRendered() {
  if (renderMeasured) return;
  renderMeasured = true;
  const step = current;
  const started = renderStarted;
  const entered = renderEntered;
  const setUp = renderSetUp;
  const ready = performance.now();
  requestAnimationFrame(() => {
    reveal();
    const frameStarted = performance.now();
    setTimeout(() => {
      if (current !== step || started !== renderStarted) return;
      const painted = performance.now();
      const phases = [entered - started, setUp - entered, ready - setUp, frameStarted - ready, painted - frameStarted];
      document.body.dataset.renderPhases = phases.map((ms) => ms.toFixed(1)).join(" ");
      document.body.dataset.renderMs = (painted - started).toFixed(1);
      document.body.dataset.renderStep = step;
    }, 0);
  });
}

/** «Назад»: the previous question, or the start screen from the first. */
function back() {
  state.changing = false;
  if (current === "sync") return exit();
  const earlier = ORDER.slice(0, ORDER.indexOf(current)).filter(
    (step) => step !== "login" || !answered("login"),
  );
  if (earlier.length === 0) return exit();
  go(earlier[earlier.length - 1]);
}

/** Records the answer to `step`; a different answer voids the ones that depended on it. */
function choose(step, value) {
  const before = state.answers[step];
  const index = CHAIN.indexOf(step);
  if (index >= 0 && !sameAnswer(before, value)) {
    for (const later of CHAIN.slice(index + 1)) delete state.answers[later];
  }
  state.answers[step] = value;
  state.carried.delete(step);
  advance(step);
}

/**
 * Takes the answers of the whole chain up to the time at once, as
 * «Ближайшее время» offers them, and goes on as if the time had been chosen.
 */
function take(answers) {
  for (const step of CHAIN) {
    if (step in answers) state.answers[step] = answers[step];
  }
  advance("time");
}

function advance(from) {
  if (state.changing) {
    go(ORDER.find((step) => !answered(step)));
  } else {
    go(
      ORDER.slice(ORDER.indexOf(from) + 1).find(
        (step) => (step !== "login" || !answered("login")) && !state.carried.has(step),
      ),
    );
  }
}

function answered(step) {
  if (step === "login") return Boolean(state.session.signed_in && state.session.confirmed);
  if (step === "confirm" || step === "booked") return false;
  return step in state.answers;
}

function sameAnswer(a, b) {
  const key = (answer) => (answer && typeof answer === "object" ? answer.id : answer);
  return a !== undefined && key(a) === key(b);
}

function exit(options = {}) {
  onExit(options);
}

/** What a step may do; `alive()` turns false once the patient has moved on. */
function context(step, id) {
  const alive = () => isOpen && id === renderId;
  return {
    state,
    // Off-screen until the step is revealed, the frame's own element after.
    get body() {
      return stage && stage.id === id ? stage.body : frame.step;
    },
    alive,
    heading: (...content) => {
      if (stage && stage.id === id) stage.heading = content;
      else if (alive()) frame.heading.replaceChildren(...content);
    },
    say: (message) => {
      if (alive()) frame.status.textContent = message;
    },
    error: (message) => {
      if (alive()) frame.error.textContent = message;
    },
    fail: (error) => {
      if (alive()) fail(error);
    },
    load: track,
    debounce,
    choose: (value) => {
      if (alive()) choose(step, value);
    },
    // Several answers at once (a time offered with its doctor and clinic).
    take: (answers) => {
      if (alive()) take(answers);
    },
    go,
    exit,
    booked: (appointment) => {
      state.appointment = appointment;
      go("booked");
    },
    onLeave: (cleanup) => cleanups.push(cleanup),
    onRefresh: (refresh) => {
      refreshStep = refresh;
    },
    sync: runSync,
    scheduleReady: (result) => {
      syncedAt = result.synced_at_local;
      go("organization");
    },
    template: (templateId) => byId(templateId).content.cloneNode(true),
  };
}

/** The failure no step handles itself: an expired session means signing in again, here. */
function fail(error) {
  if (error && error.kind === "session_expired") {
    state.session = { signed_in: false, confirmed: false };
    sessionEnded();
    if (current !== "login") state.resume = current;
    go("login", { error: errorText.session_expired });
    return;
  }
  frame.error.textContent = describeError(error);
}

function leave() {
  for (const cleanup of cleanups.splice(0)) cleanup();
  refreshStep = null;
}

/** The answers so far with «Изменить», or null when this step shows none. */
function summaryRows() {
  const rows = NO_SUMMARY.has(current) ? [] : answerRows(state.answers, false).filter((row) => row.step !== current);
  if (rows.length === 0) return null;
  return [
    h("h2", { class: "summary__heading", id: "summary-heading" }, text.summaryHeading),
    detailsList("wizard-summary", rows, (step) => go(step, { revisit: true })),
  ];
}

/**
 * Marks the page busy until `promise` settles, so tests (and the cursor)
 * know a step's data is still on its way.
 */
function track(promise) {
  setPending(1);
  return promise.finally(() => setPending(-1));
}

function setPending(delta) {
  pending += delta;
  showBusy();
  if (pending === 0 && current) markRendered();
}

/** Busy while data is on its way or the next step is not on screen yet. */
function showBusy() {
  document.body.dataset.busy = String(pending > 0 || stage !== null);
}

/**
 * `fn` called once typing pauses for `delay` ms; the page counts as busy
 * from the first keystroke, so nobody reads a list that is about to change.
 */
function debounce(fn, delay) {
  let timer = 0;
  let release = null;
  cleanups.push(() => {
    clearTimeout(timer);
    release?.();
  });
  return (...args) => {
    clearTimeout(timer);
    if (!release) track(new Promise((resolve) => (release = resolve)));
    timer = setTimeout(() => {
      const done = release;
      release = null;
      fn(...args);
      done();
    }, delay);
  };
}

/**
 * Refreshes the cache behind the steps. Offline, the lists stay on the cached
 * data with a note saying how old it is, and the sync is retried quietly.
 */
async function refreshSchedule() {
  const visit = visits;
  clearTimeout(retryTimer);
  try {
    const result = await runSync();
    if (!isOpen || visit !== visits) return;
    syncedAt = result.synced_at_local;
    frame.asOf.hidden = true;
    refreshStep?.();
  } catch (error) {
    if (!isOpen || visit !== visits) return;
    if (error.kind === "offline") {
      frame.asOf.textContent = text.dataAsOf(syncedAt);
      frame.asOf.hidden = false;
    }
    retryTimer = setTimeout(refreshSchedule, SYNC_RETRY_MS);
  }
}

/** One sync at a time: the sync step and the background refresh share it. */
function runSync() {
  syncing ??= api.syncSchedule().finally(() => {
    syncing = null;
  });
  return syncing;
}
