// The kiosk's admin screens: entering the device credential when the kiosk
// is not registered, and the settings behind the admin PIN (the printer,
// the ticket's paper, how long a step waits). The PIN is checked by the
// server, and again when the settings are saved.

import * as api from "../api.js";
import { h } from "../dom.js";
import { kioskText } from "../i18n/index.js";
import { digitPad } from "./pad.js";

/** The kiosk has no credential: the admin types or scans the one `kiosk register` printed. */
export function showEnroll(frame, done) {
  const input = h("input", { id: "kiosk-credential", class: "kiosk-input", testid: "kiosk-credential", autocomplete: "off", spellcheck: "false" });
  const form = h(
    "form",
    {
      class: "kiosk-form",
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          done(await frame.busy(() => api.kioskEnroll(input.value)));
        } catch (error) {
          frame.fail(error);
        }
      },
    },
    h("label", { class: "kiosk-field", for: "kiosk-credential" }, kioskText.enrollLabel),
    input,
    h("button", { type: "submit", class: "button button--primary kiosk-big", testid: "kiosk-enroll" }, kioskText.enroll),
  );
  frame.show("enroll", { heading: kioskText.enrollHeading, lead: kioskText.enrollLead, body: form });
}

/** The admin PIN on the digit pad, then the settings. */
export function showPin(frame, back) {
  let pin = "";
  const shown = h("output", { class: "kiosk-number", testid: "pin-shown" });
  const redraw = () => {
    shown.textContent = "•".repeat(pin.length);
  };
  const pad = digitPad({
    label: kioskText.pinHeading,
    onKey: (digit) => {
      if (pin.length < 12) pin += digit;
      redraw();
    },
    onErase: () => {
      pin = pin.slice(0, -1);
      redraw();
    },
    onClear: () => {
      pin = "";
      redraw();
    },
    onNext: async () => {
      try {
        const settings = await frame.busy(() => api.kioskSettings(pin));
        showSettings(frame, pin, settings, back);
      } catch (error) {
        pin = "";
        redraw();
        frame.fail(error);
      }
    },
  });
  frame.show("pin", {
    heading: kioskText.pinHeading,
    lead: kioskText.pinLead,
    body: [shown, pad],
    foot: [frame.bigButton(kioskText.back, "kiosk-back", back, "secondary")],
  });
  redraw();
}

function showSettings(frame, pin, settings, back) {
  const printer = h(
    "select",
    { id: "kiosk-printer", class: "kiosk-input", testid: "kiosk-printer" },
    h("option", { value: "" }, kioskText.printerDefault),
    ...settings.printers.map((name) => h("option", { value: name, selected: name === settings.printer }, name)),
  );
  const paper = h(
    "select",
    { id: "kiosk-paper", class: "kiosk-input", testid: "kiosk-paper" },
    ...["a6", "a5"].map((size) => h("option", { value: size, selected: size === settings.paper }, size.toUpperCase())),
  );
  const step = h("input", { id: "kiosk-step", class: "kiosk-input", testid: "kiosk-step", type: "number", min: "30", max: "1800", value: String(settings.step_seconds) });
  const save = async () => {
    try {
      await frame.busy(() =>
        api.kioskSettingsSet(pin, { printer: printer.value || null, paper: paper.value, step_seconds: Number(step.value), printers: [] }),
      );
    } catch (error) {
      frame.fail(error);
      return;
    }
    back();
    frame.say(kioskText.saved);
  };
  frame.show("settings", {
    heading: kioskText.settingsHeading,
    body: h(
      "div",
      { class: "kiosk-form" },
      h("label", { class: "kiosk-field", for: "kiosk-printer" }, kioskText.printerLabel),
      printer,
      h("label", { class: "kiosk-field", for: "kiosk-paper" }, kioskText.paperLabel),
      paper,
      h("label", { class: "kiosk-field", for: "kiosk-step" }, kioskText.stepLabel),
      step,
      frame.bigButton(kioskText.save, "kiosk-settings-save", save),
    ),
    foot: [frame.bigButton(kioskText.back, "kiosk-back", back, "secondary")],
  });
}
