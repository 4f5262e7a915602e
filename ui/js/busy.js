// `document.body.dataset.busy` for the panels outside the wizard (which
// counts its own loads): "true" while any of their loads is on its way, so
// WebDriver tests and the cursor know the screen is not settled yet.

let pending = 0;

/** Marks the page busy until `promise` settles; returns it. */
export function track(promise) {
  setPending(1);
  return Promise.resolve(promise).finally(() => setPending(-1));
}

function setPending(delta) {
  pending += delta;
  document.body.dataset.busy = String(pending > 0);
}
