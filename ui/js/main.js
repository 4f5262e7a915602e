// The start screen: fills in what the Rust side knows and wires the buttons.

import * as api from "./api.js";
import { describeError, text } from "./i18n/ru.js";

function show(id, value) {
  const element = document.getElementById(id);
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

function wireButtons() {
  for (const id of ["account-button", "book-button", "appointments-button"]) {
    document.getElementById(id)?.addEventListener("click", () => show("notice", text.comingSoon));
  }
}

wireButtons();
loadFacts();
