// How long a screen change takes, for scripts/bench/desk: the time from the
// last key press (or click) to the frame after the change was drawn, left
// on <body> as data-change-ms with the change's name in data-change.

let pressedAt = 0;
for (const kind of ["keydown", "click"]) {
  document.addEventListener(kind, (event) => {
    pressedAt = event.timeStamp;
  }, true);
}

/** Marks the change `name` drawn; the mark lands after the next frame is painted. */
export function changed(name) {
  const from = pressedAt;
  requestAnimationFrame(() =>
    setTimeout(() => {
      document.body.dataset.changeMs = (performance.now() - from).toFixed(1);
      document.body.dataset.change = name;
    }, 0),
  );
}
