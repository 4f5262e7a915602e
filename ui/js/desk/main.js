// The reception desk's page (REGISTRATURA_MODE=desk): the staff sign-in,
// then one workspace of a clinic's day — the patient search and card on
// the left, the day board on the right — driven by the keys listed at the
// bottom of the screen. Nothing here is reachable from the patient's page.

import * as api from "../api.js";
import { track } from "../busy.js";
import { h } from "../dom.js";
import { deskText, fillPage } from "../i18n/index.js";
import { act, asking, dayList, focusTime, stopAsking, takeTime } from "./actions.js";
import { closeCalendar, focusBoard, focusService, initBoard, loadBoard, openCalendar, shiftDay } from "./board.js";
import { clear, fail, say } from "./messages.js";
import { clearPatient, initPatient, showPatient } from "./patient.js";
import { closeRegister, initRegister, openRegister, registering } from "./register.js";
import { focusSearch, initSearch, resetSearch } from "./search.js";
import { desk, forget } from "./state.js";

const byId = (id) => document.getElementById(id);

/** What the last search had typed, for F2's form. */
let lastPrefill = {};

function setScreen(name) {
  document.body.dataset.screen = name;
  byId("desk-sign-in").hidden = name !== "sign-in";
  byId("desk-work").hidden = name !== "work";
  byId("desk-sign-out").hidden = name !== "work";
}

function showSignIn(view) {
  setScreen("sign-in");
  byId("desk-staff").textContent = "";
  byId("desk-clinic").replaceChildren();
  const demo = byId("desk-demo");
  demo.hidden = !view.demo;
  demo.textContent = view.demo ? deskText.demoHint(view.demo.login, view.demo.password) : "";
  byId("desk-password").value = "";
  byId("desk-login").focus();
}

async function signIn(event) {
  event.preventDefault();
  const button = byId("desk-sign-in-button");
  if (button.disabled) return;
  clear();
  button.disabled = true;
  button.textContent = deskText.signingIn;
  try {
    const view = await track(api.deskSignIn(byId("desk-login").value, byId("desk-password").value));
    byId("desk-password").value = "";
    await enterWork(view);
  } catch (error) {
    fail(error);
    byId("desk-password").select();
    byId("desk-password").focus();
  } finally {
    button.disabled = false;
    button.textContent = deskText.signIn;
  }
}

async function enterWork(view) {
  forget();
  setScreen("work");
  byId("desk-staff").textContent = view.name;
  resetSearch();
  clearPatient();
  closeRegister();
  drawClinics(view);
  focusSearch();
  say(deskText.preparing);
  await Promise.all([loadBoard(null), prepare(view)]);
  document.body.dataset.ready = "true";
}

/**
 * The clinic's names and services come from the schedule cache, brought up
 * to date first; the consent version from the server. Neither holds the
 * search or the board back.
 */
async function prepare(view) {
  try {
    await api.syncSchedule().catch(() => {});
    const clinic = view.clinics.find((candidate) => candidate.id === view.clinic_id);
    const [consent, services, clinics] = await Promise.all([
      api.consent(),
      api.services(view.clinic_id, ""),
      clinic ? api.clinics(clinic.organization_id, "") : Promise.resolve([]),
    ]);
    desk.consentVersion = consent.version;
    desk.services = services;
    nameClinics(view, clinics);
    if (byId("desk-status").textContent === deskText.preparing) say("");
  } catch (error) {
    fail(error);
  }
}

function drawClinics(view) {
  const box = byId("desk-clinic");
  if (view.clinics.length <= 1) {
    box.replaceChildren(h("span", { testid: "desk-clinic-name" }, deskText.clinicNumber(view.clinic_id)));
    return;
  }
  const select = h(
    "select",
    { testid: "desk-clinic-select", "aria-label": deskText.clinic, onchange: (event) => chooseClinic(Number(event.target.value)) },
    view.clinics.map((clinic) => h("option", { value: String(clinic.id), selected: clinic.id === view.clinic_id }, deskText.clinicNumber(clinic.id))),
  );
  box.replaceChildren(select);
}

/** Names the clinics once the cache knows them. */
function nameClinics(view, clinics) {
  const name = (id) => {
    const clinic = clinics.find((candidate) => candidate.id === id);
    return clinic ? clinic.name : deskText.clinicNumber(id);
  };
  const single = byId("desk-clinic").querySelector("[data-testid='desk-clinic-name']");
  if (single) single.textContent = name(view.clinic_id);
  for (const option of byId("desk-clinic").querySelectorAll("option")) option.textContent = name(Number(option.value));
}

async function chooseClinic(clinicId) {
  try {
    const view = await track(api.deskChooseClinic(clinicId));
    await enterWork(view);
  } catch (error) {
    fail(error);
  }
}

async function signOut() {
  stopAsking();
  const view = await track(api.deskSignOut()).catch(() => null);
  forget();
  resetSearch();
  clearPatient();
  closeRegister();
  byId("desk-grid").replaceChildren();
  showSignIn(view || (await api.deskView()));
  say(deskText.signedOut);
}

function inTextField(target) {
  return target instanceof HTMLInputElement && !["checkbox", "radio", "button", "submit"].includes(target.type);
}

/** The keys listed at the bottom of the screen; each works from anywhere in the workspace. */
function shortcut(event) {
  if (document.body.dataset.screen !== "work") return;
  const key = event.key;
  const plain = !event.ctrlKey && !event.altKey && !event.metaKey;
  let handled = true;
  if (plain && key === "F1") {
    closeRegister();
    focusSearch();
  } else if (plain && key === "F2") openRegister(lastPrefill);
  else if (plain && key === "F3") focusService();
  else if (plain && key === "F4") act("print", desk.appointment);
  else if (plain && key === "F5") loadBoard(desk.date, { focus: byId("desk-grid").contains(document.activeElement) });
  else if (plain && key === "F6") focusBoard();
  else if (plain && key === "F7") act("move", desk.appointment);
  else if (plain && key === "F8") act(event.shiftKey ? "undo_check_in" : "check_in", desk.appointment);
  else if (plain && key === "F9") act(event.shiftKey ? "undo_no_show" : "no_show", desk.appointment);
  else if (plain && key === "Delete" && !inTextField(event.target)) act("cancel", desk.appointment, document.activeElement);
  else if (event.ctrlKey && key === "PageUp") shiftDay(-1);
  else if (event.ctrlKey && key === "PageDown") shiftDay(1);
  else if (event.ctrlKey && key === "Home") loadBoard(null, { focus: true });
  else if (event.ctrlKey && (event.code === "KeyG" || key === "g")) openCalendar();
  else if (event.ctrlKey && (event.code === "KeyQ" || key === "q")) signOut();
  else if (event.ctrlKey && (event.code === "KeyP" || key === "p")) dayList(desk.doctorId);
  else if (event.ctrlKey && (event.code === "KeyS" || key === "s")) dayList(desk.doctorId, { save: true });
  else if (plain && key === "Escape") {
    closeCalendar();
    if (asking() || desk.moving) stopAsking();
    else if (registering()) closeRegister();
    focusSearch();
  } else handled = false;
  if (handled) event.preventDefault();
}

function drawKeys() {
  byId("desk-keys").replaceChildren(...deskText.shortcuts.map(([keys, what]) => h("li", {}, h("kbd", {}, keys), " ", what)));
}

function esiaWaiting(waiting) {
  byId("desk-esia-button").hidden = waiting;
  byId("desk-esia-waiting").hidden = !waiting;
  if (waiting) byId("desk-esia-cancel").focus();
}

async function startEsia() {
  clear();
  esiaWaiting(true);
  try {
    await api.deskEsiaStart();
  } catch (error) {
    esiaWaiting(false);
    fail(error);
  }
}

function wire() {
  byId("desk-sign-in-form").addEventListener("submit", signIn);
  byId("desk-esia-button").addEventListener("click", startEsia);
  byId("desk-esia-cancel").addEventListener("click", async () => {
    await api.deskEsiaCancel().catch(() => {});
    esiaWaiting(false);
    byId("desk-esia-button").focus();
  });
  api.onEvent("desk-changed", (view) => {
    esiaWaiting(false);
    if (view.signed_in) enterWork(view);
  });
  api.onEvent("login-failed", (failure) => {
    if (document.body.dataset.screen !== "sign-in") return;
    esiaWaiting(false);
    fail(failure);
    byId("desk-esia-button").focus();
  });
  byId("desk-sign-out").addEventListener("click", signOut);
  document.addEventListener("keydown", shortcut);
  initSearch({
    open: (patient) => {
      closeRegister();
      byId("desk-results").replaceChildren();
      showPatient(patient);
      // The next thing a registrar does for a walk-in is name the service.
      focusService({ list: false });
    },
    notFound: (prefill) => {
      lastPrefill = prefill;
      clearPatient();
    },
  });
  initRegister({
    registered: (patient) => {
      showPatient(patient);
      focusService({ list: false });
    },
    closed: () => focusSearch(),
  });
  initPatient({ act });
  initBoard({ take: takeTime, focusCell: focusTime, dayList: (doctorId) => dayList(doctorId) });
  drawKeys();
}

fillPage(deskText, deskText.windowTitle);
wire();
api
  .deskView()
  .then((view) => (view.signed_in ? enterWork(view) : showSignIn(view)))
  .catch((error) => {
    showSignIn({ demo: null });
    fail(error);
  });
