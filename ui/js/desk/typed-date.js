// A date as a registrar types it: ДД.ММ.ГГГГ, also with "-" or "/" or with
// no separators at all, read into the "YYYY-MM-DD" the Rust side takes.

/** "08.03.1950" → "1950-03-08"; null when it is no date of the calendar. */
export function parseTypedDate(typed) {
  const match = /^\s*(\d{1,2})[.\-/]?(\d{1,2})[.\-/]?(\d{4})\s*$/.exec(typed || "");
  if (!match) return null;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}
