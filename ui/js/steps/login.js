// Signing in, when the booking needs it. The wizard goes on by itself when
// the "session-changed" event reports the patient signed in.

import * as api from "../api.js";
import { h } from "../dom.js";
import { text } from "../i18n/ru.js";

export function render(ctx) {
  const { session } = ctx.state;
  if (session.signed_in && !session.confirmed) {
    ctx.heading(text.unconfirmedHeading);
    ctx.body.append(h("p", { class: "wizard__lead", testid: "unconfirmed" }, text.unconfirmed));
    return;
  }

  ctx.heading(text.loginHeading);
  const start = h(
    "button",
    { type: "button", class: "button button--primary button--large", testid: "wizard-login", onclick: login },
    text.loginButton,
  );
  const cancel = h(
    "button",
    { type: "button", class: "button button--secondary button--large", testid: "wizard-login-cancel", onclick: stop },
    text.cancel,
  );
  const actions = h("div", { class: "wizard__actions" }, start);
  const waiting = h(
    "div",
    { class: "login__waiting", testid: "wizard-login-waiting", hidden: true },
    h("p", { class: "login__waiting-text" }, text.finishInBrowser),
    h("p", {}, text.browserReturns),
    cancel,
  );
  ctx.body.append(h("p", { class: "wizard__lead" }, text.loginToBook), actions, waiting);

  function setWaiting(on) {
    actions.hidden = on;
    waiting.hidden = !on;
    (on ? cancel : start).focus();
  }

  async function login() {
    ctx.error("");
    setWaiting(true);
    try {
      await api.loginStart();
    } catch (error) {
      if (!ctx.alive()) return;
      setWaiting(false);
      ctx.fail(error);
    }
  }

  async function stop() {
    await api.loginCancel().catch(() => {});
    if (ctx.alive()) setWaiting(false);
  }
}
