// Dates, phones and numbers written out in the UI's language. Dates arrive
// as "YYYY-MM-DD" strings in the clinic's own calendar; arithmetic on them
// runs in UTC so the machine's time zone can never move a day.

import { dates } from "./i18n/index.js";

/** "2026-11-27" → [2026, 11, 27]. */
function parts(isoDate) {
  return isoDate.split("-").map(Number);
}

function utc(isoDate) {
  const [year, month, day] = parts(isoDate);
  return new Date(Date.UTC(year, month - 1, day));
}

const pad = (number) => String(number).padStart(2, "0");

function iso(date) {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** "2026-11-27" → "2026-11". */
export function monthOf(isoDate) {
  return isoDate.slice(0, 7);
}

/** The day of the week, 0 for Monday to 6 for Sunday. */
export function weekday(isoDate) {
  return (utc(isoDate).getUTCDay() + 6) % 7;
}

/** "2026-11" → 30. */
export function daysInMonth(month) {
  const [year, number] = parts(month);
  return new Date(Date.UTC(year, number, 0)).getUTCDate();
}

/** The date `days` days after (or before, if negative) `isoDate`. */
export function addDays(isoDate, days) {
  const date = utc(isoDate);
  date.setUTCDate(date.getUTCDate() + days);
  return iso(date);
}

/** The same day `months` months later, kept inside shorter months: 31 января + 1 → 28 февраля. */
export function addMonths(isoDate, months) {
  const [year, month, day] = parts(isoDate);
  const first = new Date(Date.UTC(year, month - 1 + months, 1));
  const target = monthOf(iso(first));
  return `${target}-${pad(Math.min(day, daysInMonth(target)))}`;
}

/** "2026-11-27" → "27 ноября" / "27 November". */
export function dayMonth(isoDate) {
  const [, month, day] = parts(isoDate);
  return dates.dayMonth(month, day);
}

/** "2026-11-27" → "пятница, 27 ноября 2026 г." / "Friday, 27 November 2026". */
export function longDate(isoDate) {
  return dates.longDate(weekday(isoDate), ...parts(isoDate));
}

/** "2026-11-27" → "пятницу, 27 ноября 2026 г.", as it follows «на» (in English the same as `longDate`). */
export function longDateOn(isoDate) {
  return dates.longDateOn(weekday(isoDate), ...parts(isoDate));
}

/** The day of the week's short name: "пт" / "Fri". */
export function weekdayShort(isoDate) {
  return dates.weekdayShortNames[weekday(isoDate)];
}

/** "2026-11-27" → "27.11.2026". */
export function numericDate(isoDate) {
  const [year, month, day] = parts(isoDate);
  return `${pad(day)}.${pad(month)}.${year}`;
}

/** "2026-11" → "Ноябрь 2026" / "November 2026". */
export function monthTitle(month) {
  const [year, number] = parts(month);
  return dates.monthTitle(year, number);
}

/** 1200000 → "1 200 000", grouped with no-break spaces so a number never splits. */
export function groupDigits(number) {
  return String(number).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
}

/**
 * The ten digits after +7 in whatever a person typed or pasted: everything
 * but digits is dropped, and so is a leading 8 or 7 when there are more than
 * ten digits (people write 8 910… and +7 910… alike).
 */
export function nationalDigits(typed) {
  const digits = typed.replace(/\D/g, "");
  return (digits.length > 10 && /^[78]/.test(digits) ? digits.slice(1) : digits).slice(0, 10);
}

/** Up to ten digits grouped as they are typed: "9101234567" → "910 123-45-67". */
export function formatNational(digits) {
  const groups = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6, 8), digits.slice(8, 10)];
  let formatted = groups[0];
  if (groups[1]) formatted += ` ${groups[1]}`;
  if (groups[2]) formatted += `-${groups[2]}`;
  if (groups[3]) formatted += `-${groups[3]}`;
  return formatted;
}

/** "+79101234567" → "+7 910 123-45-67". */
export function formatPhone(phone) {
  return `+7 ${formatNational(phone.replace(/^\+7/, ""))}`;
}

/** «Фамилия Имя Отчество»; a missing patronymic leaves no gap. */
export function fullName(doctor) {
  return [doctor.last_name, doctor.first_name, doctor.middle_name].filter(Boolean).join(" ");
}
