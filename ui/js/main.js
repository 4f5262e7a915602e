// The start screen and the personal account: fills in what the Rust side
// knows, signs in through ESIA, shows who is signed in and switches between
// the panels (start, personal account, booking, appointments, settings).

import * as api from "./api.js";
import {
  appointmentsLoginFailed,
  appointmentsSessionChanged,
  closeAppointments,
  initAppointments,
  openAppointments,
} from "./appointments.js";
import { longDate } from "./format.js";
import { describeError, fillPage, text } from "./i18n/index.js";
import { watchKioskIdle } from "./kiosk-idle.js";
import { onSessionEnded } from "./session.js";
import { closeSettings, initSettings, openSettings, REOPEN_SETTINGS } from "./settings.js";
import { closeWizard, initWizard, loginFailed, openWizard, openWizardAgain, sessionChanged } from "./wizard.js";

const byId = (id) => document.getElementById(id);

function show(id, value) {
  const element = byId(id);
  if (element) element.textContent = value;
}

function portalLine(portal) {
  const where = portal.mode === "embedded" ? text.portalEmbedded : text.portalRemote;
  const state = portal.online ? text.portalOnline : text.portalOffline;
  return `${where}, ${state}`;
}

async function loadFacts() {
  try {
    const info = await api.appInfo();
    show("region-name", info.region.name);
    show("today", longDate(info.today));
    show("portal-status", portalLine(info.portal));
    show("app-version", info.version);
    document.body.dataset.ready = "true";
  } catch (error) {
    show("notice", describeError(error));
    document.body.dataset.ready = "error";
  }
}

const PANELS = {
  start: "start-panel",
  login: "login-panel",
  wizard: "wizard-panel",
  appointments: "appointments-panel",
  settings: "settings-panel",
};

const HEADINGS = {
  start: "start-heading",
  login: "login-heading",
  appointments: "appointments-heading",
  settings: "settings-heading",
};

/**
 * Shows one panel and focuses its heading; `data-panel` on <body> names it
 * for tests. The panels left behind stop their timers and forget their data.
 */
function showPanel(name) {
  for (const [panel, id] of Object.entries(PANELS)) byId(id).hidden = panel !== name;
  document.body.dataset.panel = name;
  // Settings are for the start screen: in the middle of a booking they would cost the answers.
  byId("settings-button").hidden = name !== "start";
  if (name !== "appointments") closeAppointments();
  if (name !== "settings") closeSettings();
  // The wizard focuses its own step headings.
  if (name === "wizard") return;
  closeWizard();
  byId(HEADINGS[name])?.focus();
}

function openBooking() {
  show("notice", "");
  showPanel("wizard");
  openWizard();
}

/** «Записаться снова» from «Записи на приём». */
function openBookingAgain(appointment) {
  show("notice", "");
  showPanel("wizard");
  openWizardAgain(appointment);
}

/** Back to the start from «Записи на приём»; a lobby kiosk signs the patient out on the way. */
async function leaveAppointments() {
  showPanel("start");
  if (document.body.dataset.session !== "signed-in") return;
  const preferences = await api.preferences().catch(() => ({ kiosk_sign_out: false }));
  if (!preferences.kiosk_sign_out) return;
  await signOutHere(text.signedOut);
}

/** The patient left the wizard; a lobby kiosk signs them out on the way. */
async function leaveWizard({ signOut = false } = {}) {
  showPanel("start");
  if (signOut) await signOutHere(text.signedOut);
}

/** A kiosk nobody has touched for its idle time: back to the start, signed out. */
async function leaveIdleKiosk() {
  showPanel("start");
  if (document.body.dataset.session === "signed-in") await signOutHere(text.idleLeftSignedOut);
  else show("notice", text.idleLeft);
}

/**
 * Signs out (forgotten here even when the provider cannot be reached) and
 * tells the header and the panels, then says `notice`.
 */
async function signOutHere(notice) {
  const view = await api.logout().catch(() => ({ signed_in: false }));
  renderSession(view);
  sessionChanged(view);
  appointmentsSessionChanged(view);
  show("notice", notice);
}

function setWaiting(waiting) {
  byId("login-actions").hidden = waiting;
  byId("login-waiting").hidden = !waiting;
  if (waiting) byId("login-cancel").focus();
}

function renderSession(view) {
  const signedIn = Boolean(view && view.signed_in);
  byId("account-button").hidden = signedIn;
  byId("signed-in").hidden = !signedIn;
  show("user-name", signedIn ? view.name : "");
  document.body.dataset.session = signedIn ? "signed-in" : "signed-out";
  const notes = [];
  if (signedIn && !view.confirmed) notes.push(text.unconfirmed);
  if (signedIn && !view.remembered) notes.push(text.notRemembered);
  if (signedIn && view.renewable === false) notes.push(text.notRenewable);
  if (notes.length) show("notice", notes.join(" "));
}

async function startLogin() {
  show("login-error", "");
  setWaiting(true);
  try {
    await api.loginStart();
  } catch (error) {
    setWaiting(false);
    show("login-error", describeError(error));
  }
}

/** Whether the page was reloaded to speak the language just saved in «Настройки». */
function reopenedSettings() {
  const reopen = sessionStorage.getItem(REOPEN_SETTINGS) === "true";
  sessionStorage.removeItem(REOPEN_SETTINGS);
  return reopen;
}

function wire() {
  byId("account-button").addEventListener("click", () => showPanel("login"));
  byId("login-back").addEventListener("click", () => showPanel("start"));
  byId("esia-button").addEventListener("click", startLogin);
  byId("login-cancel").addEventListener("click", async () => {
    await api.loginCancel().catch(() => {});
    setWaiting(false);
    byId("esia-button").focus();
  });
  byId("logout-button").addEventListener("click", () => signOutHere(text.signedOut));
  byId("book-button").addEventListener("click", openBooking);
  byId("appointments-button").addEventListener("click", () => {
    show("notice", "");
    showPanel("appointments");
    openAppointments();
  });
  byId("settings-button").addEventListener("click", () => {
    show("notice", "");
    showPanel("settings");
    openSettings();
  });
  initWizard({ exit: leaveWizard });
  initAppointments({ book: openBooking, bookAgain: openBookingAgain, exit: leaveAppointments });
  initSettings({ exit: () => showPanel("start") });

  onSessionEnded(() => renderSession({ signed_in: false }));
  watchKioskIdle({ leave: leaveIdleKiosk });
  api.onEvent("session-changed", (view) => {
    renderSession(view);
    sessionChanged(view);
    appointmentsSessionChanged(view);
    if (view.signed_in && !byId("login-panel").hidden) {
      setWaiting(false);
      showPanel("start");
      if (view.confirmed && view.remembered && view.renewable !== false) show("notice", text.signedIn(view.name));
    }
  });
  api.onEvent("login-failed", (failure) => {
    setWaiting(false);
    const stale = failure && failure.kind === "invalid_input";
    show("login-error", stale ? text.staleLogin : describeError(failure));
    loginFailed(failure);
    appointmentsLoginFailed(failure);
  });
}

fillPage(text, text.windowTitle);
wire();
document.body.dataset.panel = "start";
loadFacts();
api.sessionView().then(renderSession).catch(() => {});
// A new language reloads the page (settings.js); it comes back to the settings it left.
if (reopenedSettings()) {
  showPanel("settings");
  openSettings({ status: text.settingsSaved });
}
