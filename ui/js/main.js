// The start screen and the personal account: fills in what the Rust side
// knows, signs in through ESIA and shows who is signed in.

import * as api from "./api.js";
import { describeError, text } from "./i18n/ru.js";
import { closeWizard, initWizard, loginFailed, openWizard, sessionChanged } from "./wizard.js";

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
    show("today", info.today);
    show("portal-status", portalLine(info.portal));
    show("app-version", info.version);
    document.body.dataset.ready = "true";
  } catch (error) {
    show("notice", describeError(error));
    document.body.dataset.ready = "error";
  }
}

/** Shows the start screen, the personal-account panel or the booking wizard. */
function showPanel(name) {
  byId("start-panel").hidden = name !== "start";
  byId("login-panel").hidden = name !== "login";
  byId("wizard-panel").hidden = name !== "wizard";
  // The wizard focuses its own step headings.
  if (name === "wizard") return;
  closeWizard();
  const heading = name === "login" ? byId("login-heading") : byId("start-heading");
  heading?.focus();
}

/** The patient left the wizard; a lobby kiosk signs them out on the way. */
async function leaveWizard({ signOut = false } = {}) {
  showPanel("start");
  if (signOut) {
    renderSession(await api.logout().catch(() => ({ signed_in: false })));
    show("notice", text.signedOut);
  }
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

function wire() {
  byId("account-button").addEventListener("click", () => showPanel("login"));
  byId("login-back").addEventListener("click", () => showPanel("start"));
  byId("esia-button").addEventListener("click", startLogin);
  byId("login-cancel").addEventListener("click", async () => {
    await api.loginCancel().catch(() => {});
    setWaiting(false);
    byId("esia-button").focus();
  });
  byId("logout-button").addEventListener("click", async () => {
    const view = await api.logout().catch(() => ({ signed_in: false }));
    renderSession(view);
    sessionChanged(view);
    show("notice", text.signedOut);
  });
  byId("book-button").addEventListener("click", () => {
    show("notice", "");
    showPanel("wizard");
    openWizard();
  });
  byId("appointments-button").addEventListener("click", () => show("notice", text.comingSoon));
  initWizard({ exit: leaveWizard });

  api.onEvent("session-changed", (view) => {
    renderSession(view);
    sessionChanged(view);
    if (view.signed_in && !byId("login-panel").hidden) {
      setWaiting(false);
      showPanel("start");
      if (view.confirmed && view.remembered) show("notice", text.signedIn(view.name));
    }
  });
  api.onEvent("login-failed", (failure) => {
    setWaiting(false);
    const stale = failure && failure.kind === "invalid_input";
    show("login-error", stale ? text.staleLogin : describeError(failure));
    loginFailed(failure);
  });
}

wire();
loadFacts();
api.sessionView().then(renderSession).catch(() => {});
