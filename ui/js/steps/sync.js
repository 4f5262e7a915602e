// Filling an empty schedule cache before the first question can be asked.

import * as api from "../api.js";
import { h } from "../dom.js";
import { groupDigits } from "../format.js";
import { describeError, text } from "../i18n/index.js";

export function render(ctx) {
  ctx.heading(text.syncHeading);
  const progress = h("progress", { class: "sync__progress", testid: "sync-progress", "aria-labelledby": "sync-text" });
  const line = h("p", { class: "sync__text", id: "sync-text", testid: "sync-text" }, text.syncStarting);
  const retry = h(
    "button",
    { type: "button", class: "button button--primary button--large", testid: "sync-retry", hidden: true, onclick: run },
    text.retry,
  );
  ctx.body.append(h("div", { class: "sync" }, progress, line, retry));

  const listening = api.onEvent("sync-progress", (report) => {
    if (ctx.alive()) showProgress(report);
  });
  ctx.onLeave(() => listening.then((unlisten) => unlisten()));

  /** `{phase, done, total}`; an unknown total (0) while downloading is an indeterminate bar. */
  function showProgress({ done, total }) {
    if (total > 0) {
      progress.max = total;
      progress.value = done;
      const percent = Math.floor((done * 100) / total);
      line.textContent = text.syncProgress(percent, groupDigits(done), groupDigits(total));
    } else {
      progress.removeAttribute("value");
      line.textContent = text.syncStarting;
    }
  }

  async function run() {
    retry.hidden = true;
    ctx.error("");
    showProgress({ done: 0, total: 0 });
    try {
      const result = await ctx.load(ctx.sync());
      if (ctx.alive()) ctx.scheduleReady(result);
    } catch (error) {
      if (!ctx.alive()) return;
      ctx.error(error.kind === "offline" ? text.syncOfflineEmpty : describeError(error));
      retry.hidden = false;
      retry.focus();
    }
  }

  run();
}
