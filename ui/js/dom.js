// Builds elements from data without HTML strings, so the strict CSP holds
// and no text from the server is ever parsed as markup.

/**
 * Creates `<tag>` with `attributes` and `children`.
 * Special attributes: `class`; `testid` (data-testid); `data` (an object for
 * dataset); `on<event>` (a listener). An attribute that is null, undefined or
 * false is left out, `true` sets it empty. Children that are null, undefined
 * or false are skipped, strings become text nodes, arrays are flattened.
 * @param {string} tag
 * @param {Record<string, unknown>} [attributes]
 * @param {...(Node|string|false|null|undefined|Array)} children
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "testid") element.dataset.testid = value;
    else if (name === "data") Object.assign(element.dataset, value);
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  const kept = children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false);
  element.append(...kept);
  return element;
}

/** Text that screen readers read but the screen does not show. */
export function hiddenText(content) {
  return h("span", { class: "visually-hidden" }, content);
}

/**
 * Moves the single `tabindex="0"` among `items` to `target` (roving
 * tabindex: one Tab stop for a whole grid, arrow keys inside it).
 */
export function rove(items, target, focus = true) {
  for (const item of items) item.tabIndex = item === target ? 0 : -1;
  if (focus) target.focus();
}
