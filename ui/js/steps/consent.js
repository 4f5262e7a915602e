// The consent to personal data processing, read in full before agreeing.

import * as api from "../api.js";
import { h } from "../dom.js";
import { text } from "../i18n/index.js";

export function render(ctx) {
  ctx.heading(text.consentHeading);
  const region = h("div", {
    class: "consent",
    testid: "consent-text",
    tabindex: "0",
    role: "region",
    // Its own name: the step's panel is already named by the same heading,
    // and two landmarks of one name cannot be told apart.
    "aria-label": text.consentText,
  });
  ctx.body.append(region);

  async function show() {
    try {
      const consent = await ctx.load(api.consent());
      if (!ctx.alive()) return;
      region.replaceChildren(
        h("h2", { class: "consent__title" }, consent.title),
        ...paragraphs(consent.text).map((paragraph) => h("p", {}, paragraph)),
      );
      // The button comes only with the text: nobody agrees to what they could not see.
      ctx.body.append(
        h(
          "div",
          { class: "wizard__actions" },
          h(
            "button",
            {
              type: "button",
              class: "button button--primary button--large",
              testid: "consent-agree",
              onclick: () => ctx.choose({ version: consent.version }),
            },
            text.agree,
          ),
        ),
      );
    } catch (error) {
      ctx.fail(error);
    }
  }

  show();
}

/** Paragraphs are separated by blank lines; single line breaks are only wrapping. */
function paragraphs(source) {
  return source
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s*\n\s*/g, " ").trim())
    .filter(Boolean);
}
