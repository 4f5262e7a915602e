// The marks of a calendar or slot grid explained in words, so that nothing
// depends on telling colours apart.

import { h } from "../dom.js";
import { text } from "../i18n/index.js";

/** A legend from `[swatchModifier, sentence]` pairs. */
export function legend(entries) {
  return h(
    "div",
    { class: "legend", testid: "legend" },
    h("h2", { class: "legend__heading" }, text.legendHeading),
    h(
      "ul",
      { class: "legend__list" },
      entries.map(([swatch, sentence]) =>
        h(
          "li",
          { class: "legend__item" },
          h("span", { class: `legend__swatch legend__swatch--${swatch}`, "aria-hidden": "true" }),
          h("span", {}, sentence),
        ),
      ),
    ),
  );
}
