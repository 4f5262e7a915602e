// The contact phone: a saved one, a new one, or none at all.

import * as api from "../api.js";
import { h } from "../dom.js";
import { formatNational, formatPhone, nationalDigits } from "../format.js";
import { text } from "../i18n/index.js";

export function render(ctx) {
  ctx.heading(text.phoneHeading);
  const saved = h("div", { class: "phone-saved" });
  const input = h("input", {
    type: "text",
    id: "phone-input",
    class: "phone-field__input",
    testid: "phone-input",
    inputmode: "numeric",
    autocomplete: "tel-national",
    "aria-describedby": "phone-hint",
    oninput: mask,
    onkeydown: (event) => {
      if (event.key === "Enter") submitNew();
    },
  });
  const error = h("p", { class: "field-error", id: "phone-error", testid: "phone-error", hidden: true });
  ctx.body.append(
    h("p", { class: "wizard__lead" }, text.phoneLead),
    saved,
    h(
      "div",
      { class: "phone-new" },
      h("label", { class: "field-label", for: "phone-input" }, text.newPhone),
      h("p", { class: "field-hint", id: "phone-hint" }, text.phoneHint),
      error,
      h(
        "div",
        { class: "phone-field" },
        // The hint says «после +7» for screen readers; the prefix is for the eye.
        h("span", { class: "phone-field__prefix", "aria-hidden": "true" }, "+7"),
        input,
        h(
          "button",
          { type: "button", class: "button button--primary", testid: "phone-confirm", onclick: submitNew },
          text.confirmPhone,
        ),
      ),
    ),
    h(
      "div",
      { class: "wizard__actions" },
      h(
        "button",
        { type: "button", class: "button button--secondary", testid: "phone-decline", onclick: () => ctx.choose(null) },
        text.declinePhone,
      ),
    ),
  );

  function showError(message) {
    error.textContent = message;
    error.hidden = !message;
    input.setAttribute("aria-describedby", message ? "phone-hint phone-error" : "phone-hint");
    input.setAttribute("aria-invalid", String(Boolean(message)));
    if (message) input.focus();
  }

  let sending = false;

  async function submitNew() {
    const digits = nationalDigits(input.value);
    if (digits.length !== 10) return showError(text.phoneInvalid);
    if (sending) return;
    showError("");
    sending = true;
    try {
      await ctx.load(api.savePhone(`+7${digits}`));
      if (ctx.alive()) ctx.choose(`+7${digits}`);
    } catch (failure) {
      if (!ctx.alive()) return;
      if (failure.kind === "invalid_input") showError(text.phoneInvalid);
      else ctx.fail(failure);
    } finally {
      sending = false;
    }
  }

  async function show() {
    try {
      const { phones } = await ctx.load(api.profile());
      if (!ctx.alive() || phones.length === 0) return;
      saved.replaceChildren(savedPhones(phones, ctx));
    } catch (failure) {
      ctx.fail(failure);
    }
  }

  show();
}

/** The saved phones as radio buttons; the earlier answer, else the first, is checked. */
function savedPhones(phones, ctx) {
  const earlier = phones.includes(ctx.state.answers.phone) ? ctx.state.answers.phone : phones[0];
  const group = h(
    "fieldset",
    { class: "radios" },
    h("legend", { class: "radios__legend" }, text.savedPhones),
    phones.map((phone, index) =>
      h(
        "div",
        { class: "radio" },
        h("input", {
          type: "radio",
          name: "saved-phone",
          id: `saved-phone-${index}`,
          class: "radio__input",
          testid: "phone-option",
          value: phone,
          checked: phone === earlier,
        }),
        h("label", { class: "radio__label", for: `saved-phone-${index}` }, formatPhone(phone)),
      ),
    ),
    h(
      "button",
      {
        type: "button",
        class: "button button--primary button--large",
        testid: "phone-continue",
        onclick: () => ctx.choose(group.querySelector("input:checked").value),
      },
      text.continue,
    ),
  );
  return group;
}

/**
 * Formats the field as «910 123-45-67» while the person types, keeping the
 * caret after the same digit it followed.
 */
function mask(event) {
  const input = event.target;
  const typed = input.value;
  const digitsBeforeCaret = typed.slice(0, input.selectionStart).replace(/\D/g, "").length;
  const allDigits = typed.replace(/\D/g, "");
  const digits = nationalDigits(typed);
  // nationalDigits drops a leading 8 or 7 of a longer number: one digit fewer before the caret.
  const dropped = allDigits.length > 10 && /^[78]/.test(allDigits) ? 1 : 0;
  const formatted = formatNational(digits);
  input.value = formatted;
  let caret = 0;
  for (let seen = 0; caret < formatted.length && seen < digitsBeforeCaret - dropped; caret += 1) {
    if (/\d/.test(formatted[caret])) seen += 1;
  }
  input.setSelectionRange(caret, caret);
}
