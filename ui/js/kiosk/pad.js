// On-screen keys for a touch screen without a keyboard: the digit pad for
// the policy, the birth date and the PIN, and a Cyrillic keyboard for
// searching a list. Every key is a real button of at least 56 px.

import { h } from "../dom.js";
import { kioskText } from "../i18n/index.js";

/**
 * A digit pad. `onKey(digit)` for 0–9, `onErase()`, `onClear()`, and
 * `onNext()` for «Далее» when given.
 */
export function digitPad({ onKey, onErase, onClear, onNext, label }) {
  const key = (digit) =>
    h("button", { type: "button", class: "kiosk-key", testid: `pad-${digit}`, onclick: () => onKey(String(digit)) }, String(digit));
  const rows = [[1, 2, 3], [4, 5, 6], [7, 8, 9]].map((row) => row.map(key));
  return h(
    "div",
    { class: "kiosk-pad", role: "group", "aria-label": label },
    ...rows.flat(),
    h("button", { type: "button", class: "kiosk-key kiosk-key--quiet", testid: "pad-clear", onclick: onClear }, kioskText.clear),
    key(0),
    h("button", { type: "button", class: "kiosk-key kiosk-key--quiet", testid: "pad-erase", "aria-label": kioskText.erase, onclick: onErase }, "⌫"),
    onNext && h("button", { type: "button", class: "kiosk-key kiosk-key--next", testid: "pad-next", onclick: onNext }, kioskText.next),
  );
}

const RUSSIAN_ROWS = ["ЙЦУКЕНГШЩЗХ", "ФЫВАПРОЛДЖЭ", "ЯЧСМИТЬБЮ"];

/** A Cyrillic keyboard for a search field: `onText(text)` after each key. */
export function cyrillicKeyboard({ onText }) {
  let typed = "";
  const field = h("output", { class: "kiosk-typed", testid: "keyboard-typed", "aria-live": "polite" });
  const changed = () => {
    field.textContent = typed;
    onText(typed);
  };
  const key = (letter) =>
    h("button", { type: "button", class: "kiosk-key kiosk-key--letter", testid: `key-${letter}`, onclick: () => { typed += letter.toLowerCase(); changed(); } }, letter);
  return h(
    "div",
    { class: "kiosk-keyboard", role: "group", "aria-label": kioskText.searchLabel },
    h("div", { class: "kiosk-keyboard__field" }, h("span", { class: "kiosk-keyboard__label" }, kioskText.searchLabel), field),
    ...RUSSIAN_ROWS.map((row) => h("div", { class: "kiosk-keyboard__row" }, ...[...row].map(key))),
    h(
      "div",
      { class: "kiosk-keyboard__row" },
      h("button", { type: "button", class: "kiosk-key kiosk-key--wide", testid: "key-space", onclick: () => { typed += " "; changed(); } }, kioskText.space),
      h("button", { type: "button", class: "kiosk-key kiosk-key--quiet", testid: "key-erase", "aria-label": kioskText.erase, onclick: () => { typed = typed.slice(0, -1); changed(); } }, "⌫"),
      h("button", { type: "button", class: "kiosk-key kiosk-key--quiet", testid: "key-clear", onclick: () => { typed = ""; changed(); } }, kioskText.clear),
    ),
  );
}
