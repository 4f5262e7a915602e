// Signing in, when the booking needs it. The wizard goes on by itself when
// the "session-changed" event reports the patient signed in.

import { esiaLogin } from "../components/esia-login.js";
import { h } from "../dom.js";
import { text } from "../i18n/index.js";

export function render(ctx) {
  const { session } = ctx.state;
  if (session.signed_in && !session.confirmed) {
    ctx.heading(text.unconfirmedHeading);
    ctx.body.append(h("p", { class: "wizard__lead", testid: "unconfirmed" }, text.unconfirmed));
    return;
  }

  ctx.heading(text.loginHeading);
  const prompt = esiaLogin({
    prefix: "wizard",
    actionsClass: "wizard__actions",
    alive: ctx.alive,
    clear: () => ctx.error(""),
    failed: ctx.fail,
  });
  ctx.body.append(h("p", { class: "wizard__lead" }, text.loginToBook), prompt.actions, prompt.waiting);
}
