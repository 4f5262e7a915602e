// The ticket's print page: what «Печать талона» prints on every system.
// Rust lays the ticket out (core::ticket::layout, the same words as the
// PDF) and this draws it into #print-sheet, which is the only thing the
// print media shows; the webview then prints its own page. The paper's
// size goes into an @page rule through the CSSOM, which the strict CSP
// allows where a <style> element would not be.

import { h } from "../dom.js";

const SVG = "http://www.w3.org/2000/svg";

/** Draws `sheet` (from `print_ticket`) as the page to print, replacing any earlier one. */
export function drawPrintSheet(sheet) {
  const scale = sheet.scale || 1;
  const points = (size) => `${(size * scale).toFixed(1)}pt`;
  const qr = document.createElementNS(SVG, "svg");
  // Four modules of quiet zone on every side, as scanners expect.
  const side = sheet.qr_modules + 8;
  qr.setAttribute("viewBox", `-4 -4 ${side} ${side}`);
  qr.setAttribute("class", "print-sheet__qr");
  qr.setAttribute("shape-rendering", "crispEdges");
  qr.style.width = `${(28 * scale).toFixed(1)}mm`;
  qr.style.height = qr.style.width;
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", sheet.qr_path);
  qr.append(path);

  const page = h(
    "div",
    { class: "print-sheet__page" },
    h("p", { class: "print-sheet__title" }, sheet.title),
    h("p", { class: "print-sheet__number" }, sheet.number),
    h("table", { class: "print-sheet__rows" }, h("tbody", {}, sheet.rows.map(([label, value]) => h("tr", {}, h("th", {}, label), h("td", {}, value))))),
    qr,
    h("p", { class: "print-sheet__reminder" }, sheet.reminder),
    h("p", { class: "print-sheet__footer" }, sheet.footer),
  );
  page.style.width = `${sheet.width_mm}mm`;
  // A millimetre short of the paper, so that rounding never starts a second sheet.
  page.style.height = `${sheet.height_mm - 1}mm`;
  page.style.fontSize = points(9);
  page.querySelector(".print-sheet__title").style.fontSize = points(14);
  page.querySelector(".print-sheet__number").style.fontSize = points(28);
  page.querySelector(".print-sheet__reminder").style.fontSize = points(9);
  page.querySelector(".print-sheet__footer").style.fontSize = points(7);

  let container = document.getElementById("print-sheet");
  if (!container) {
    container = h("div", { id: "print-sheet", "aria-hidden": "true" });
    document.body.append(container);
  }
  container.replaceChildren(page);
  container.dataset.paper = sheet.paper;
  setPageSize(sheet.width_mm, sheet.height_mm);
}

/** Puts `@page { size: W H; margin: 0 }` last in the app's stylesheet, once. */
function setPageSize(width, height) {
  const styles = [...document.styleSheets].find((candidate) => candidate.href && candidate.href.endsWith("styles.css"));
  if (!styles) return;
  const rule = `@page { size: ${width}mm ${height}mm; margin: 0; }`;
  const rules = [...styles.cssRules];
  const earlier = rules.findIndex((existing) => existing.type === CSSRule.PAGE_RULE);
  if (earlier >= 0) styles.deleteRule(earlier);
  styles.insertRule(rule, styles.cssRules.length);
}
