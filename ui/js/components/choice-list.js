// A search field over a list of big buttons, one per choice. The caller
// fetches; this component only draws, and keeps focus on the same choice
// when the list is redrawn underneath the patient.

import { h } from "../dom.js";
import { text } from "../i18n/index.js";

/**
 * @param {object} options
 * @param {string} options.label the search field's visible label
 * @param {(item) => {lead?: string, title: string, details?: string[]}} options.describe
 * @param {string|number|undefined} options.chosenId the earlier answer, marked «ваш выбор»
 * @param {(query: string) => void} options.onSearch called on every edit of the field
 * @param {(item) => void} options.onChoose
 * @param {(query: string) => string} options.emptyText what to say when nothing matches
 */
export function createChoiceList({ label, describe, chosenId, onSearch, onChoose, emptyText }) {
  const search = h("input", {
    type: "search",
    id: "list-search",
    class: "search__input",
    testid: "list-search",
    autocomplete: "off",
    spellcheck: "false",
    oninput: () => onSearch(query()),
  });
  const empty = h("p", { class: "choices__empty", testid: "list-empty", hidden: true });
  const list = h("ul", { class: "choices" });
  const element = h(
    "div",
    { class: "choice-list" },
    h("div", { class: "search" }, h("label", { class: "search__label", for: "list-search" }, label), search),
    empty,
    list,
  );

  function query() {
    return search.value.trim();
  }

  function button(item) {
    const { lead, title, details = [] } = describe(item);
    const chosen = chosenId !== undefined && String(item.id) === String(chosenId);
    return h(
      "button",
      {
        type: "button",
        class: chosen ? "choice choice--chosen" : "choice",
        testid: "choice",
        data: { id: item.id },
        // The second click of a double click would land on the next step's list.
        onclick: (event) => {
          if (event.detail < 2) onChoose(item);
        },
      },
      lead && h("span", { class: "choice__lead" }, lead),
      h("span", { class: "choice__title" }, title),
      details.filter(Boolean).map((detail) => h("span", { class: "choice__detail" }, detail)),
      chosen && h("span", { class: "choice__mark" }, text.yourChoice),
    );
  }

  /** Draws `items` found for `forQuery`. */
  function show(items, forQuery) {
    const focusedId = list.contains(document.activeElement) ? document.activeElement.dataset.id : null;
    list.replaceChildren(...items.map((item) => h("li", { class: "choices__item" }, button(item))));
    empty.hidden = items.length > 0;
    empty.textContent = items.length > 0 ? "" : emptyText(forQuery);
    if (focusedId !== null) {
      const same = [...list.querySelectorAll(".choice")].find((choice) => choice.dataset.id === focusedId);
      (same || search).focus();
    }
  }

  return { element, show, query };
}
