// How long a screen change takes, for scripts/bench/desk: the time from the
// last key press (or click) to the frame after the change was drawn. Each
// change since the bench last cleared them is on <body> as data-changes,
// "name ms" pairs separated by ";".

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
      const seen = document.body.dataset.changes;
      const entry = `${name} ${(performance.now() - from).toFixed(1)}`;
      document.body.dataset.changes = seen ? `${seen};${entry}` : entry;
    }, 0),
  );
}
