// «Войти через ЕСИА» and its waiting state, shared by the wizard's sign-in
// step and «Записи на приём»: the button opens the browser, «Отмена»
// forgets the login. The session's arrival is main.js's business.

import * as api from "../api.js";
import { h } from "../dom.js";
import { text } from "../i18n/index.js";

/**
 * The sign-in controls. `prefix` names their test ids (`PREFIX-login`,
 * `PREFIX-login-cancel`, `PREFIX-login-waiting`); `actionsClass` is the
 * button row's look; `alive()` says whether the screen is still shown;
 * `clear()` empties the screen's error and `failed(error)` explains a
 * browser that would not open.
 *
 * @returns {{actions: HTMLElement, waiting: HTMLElement, setWaiting: (on: boolean) => void}}
 */
export function esiaLogin({ prefix, actionsClass, alive, clear, failed }) {
  const start = h(
    "button",
    { type: "button", class: "button button--primary button--large", testid: `${prefix}-login`, onclick: login },
    text.loginButton,
  );
  const cancel = h(
    "button",
    { type: "button", class: "button button--secondary button--large", testid: `${prefix}-login-cancel`, onclick: stop },
    text.cancel,
  );
  const actions = h("div", { class: actionsClass }, start);
  const waiting = h(
    "div",
    { class: "login__waiting", testid: `${prefix}-login-waiting`, hidden: true },
    h("p", { class: "login__waiting-text" }, text.finishInBrowser),
    h("p", {}, text.browserReturns),
    cancel,
  );

  function setWaiting(on) {
    actions.hidden = on;
    waiting.hidden = !on;
    (on ? cancel : start).focus();
  }

  async function login() {
    clear();
    setWaiting(true);
    try {
      await api.loginStart();
    } catch (error) {
      if (!alive()) return;
      setWaiting(false);
      failed(error);
    }
  }

  async function stop() {
    await api.loginCancel().catch(() => {});
    if (alive()) setWaiting(false);
  }

  return { actions, waiting, setWaiting };
}
