// The confirmation a cancellation asks for, shown inline under what it names
// (an alertdialog, not a modal): the question, what follows from it,
// optionally the reasons to choose from, and «Отменить» / «Не отменять».
// Escape or «Не отменять» closes it and gives the focus back to the control
// that opened it. While the cancellation is on its way both buttons wait.
//
// The patient's «Записи на приём» asks it without reasons; the reception
// desk asks with them and answers the digit keys 1, 2, 3 for the reasons.

import { h } from "../dom.js";

let opened = 0;

/**
 * @param {object} options
 * @param {string} options.question
 * @param {string} [options.consequence]
 * @param {Array<[string, string]>} [options.reasons] `[value, label]`, the first chosen
 * @param {{confirm: string, busy: string, keep: string}} options.words
 * @param {HTMLElement} options.opener focused again when it closes
 * @param {(reason: string|undefined) => Promise<boolean>} options.onConfirm
 *   runs the cancellation; resolves true when the confirmation is done with
 *   (it then closes), false to ask again (the buttons come back)
 * @param {() => void} [options.onClose] after it closed without cancelling
 */
export function createCancelConfirm({ question, consequence, reasons = [], words, opener, onConfirm, onClose }) {
  const id = `cancel-${++opened}`;
  const confirm = h("button", { type: "button", class: "button button--danger", testid: "cancel-confirm", onclick: submit }, words.confirm);
  const keep = h("button", { type: "button", class: "button button--secondary", testid: "cancel-keep", onclick: close }, words.keep);
  const choices = reasons.map(([value, label], index) =>
    h(
      "label",
      { class: "cancel-confirm__reason" },
      h("input", { type: "radio", name: `${id}-reason`, value, checked: index === 0, testid: `cancel-reason-${value}` }),
      ` ${index + 1}. ${label}`,
    ),
  );
  const element = h(
    "div",
    {
      class: "cancel-confirm",
      role: "alertdialog",
      "aria-labelledby": `${id}-question`,
      "aria-describedby": consequence ? `${id}-consequence` : null,
      tabindex: "-1",
      testid: "cancel-dialog",
      onkeydown: keydown,
    },
    h("p", { class: "cancel-confirm__question", id: `${id}-question`, testid: "cancel-question" }, question),
    consequence && h("p", { class: "cancel-confirm__consequence", id: `${id}-consequence` }, consequence),
    choices.length > 0 && h("div", { class: "cancel-confirm__reasons", role: "radiogroup", "aria-labelledby": `${id}-question` }, choices),
    h("div", { class: "cancel-confirm__actions" }, confirm, keep),
  );
  opener.setAttribute("aria-expanded", "true");

  function keydown(event) {
    if (confirm.disabled) return;
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (choices.length && /^[1-9]$/.test(event.key) && Number(event.key) <= choices.length) {
      event.preventDefault();
      const radio = choices[Number(event.key) - 1].querySelector("input");
      radio.checked = true;
      radio.focus();
    } else if (event.key === "Enter" && event.target.type === "radio") {
      event.preventDefault();
      submit();
    }
  }

  function chosenReason() {
    const checked = element.querySelector("input[type=radio]:checked");
    return checked ? checked.value : undefined;
  }

  function close() {
    element.remove();
    opener.setAttribute("aria-expanded", "false");
    if (opener.isConnected) opener.focus();
    if (onClose) onClose();
  }

  async function submit() {
    if (confirm.disabled) return;
    confirm.disabled = true;
    keep.disabled = true;
    confirm.textContent = words.busy;
    element.focus();
    const done = await onConfirm(chosenReason()).catch(() => false);
    if (done) {
      element.remove();
      opener.setAttribute("aria-expanded", "false");
      return;
    }
    if (!element.isConnected) return;
    confirm.disabled = false;
    keep.disabled = false;
    confirm.textContent = words.confirm;
    confirm.focus();
  }

  /** Puts the focus where the person answers: the first reason, else the dialog. */
  function focus() {
    const first = element.querySelector("input[type=radio]:checked");
    (first || element).focus();
  }

  return { element, focus, close };
}
