// Russian grammar of people's names, for the Russian sentences only.

/**
 * A doctor's name as it follows «к»: the surname in the dative case and the
 * initials, «Захарова Софья Сергеевна» → «Захаровой С. С.». The patronymic
 * tells a woman from a man; without one the surname's ending does. Surnames
 * that do not decline (Шевченко, Черных, a woman's Ковальчук) stay as they are.
 */
export function doctorDative(name) {
  const [surname = "", ...given] = String(name || "").trim().split(/\s+/).filter(Boolean);
  // «Мамедов Али Гасан оглы»: the last word is part of the patronymic, not a name.
  const suffix = given.length > 2 && /^(оглы|улы|уулу|кызы|гызы)$/i.test(given[given.length - 1]) ? given.pop() : "";
  const initials = given.map((part) => `${part[0].toUpperCase()}.`).join(" ");
  const female = isFemale(surname, given[0], suffix || given[1]);
  const declined = surname
    .split("-")
    .map((part) => dativeSurname(part, female))
    .join("-");
  return [declined, initials].filter(Boolean).join(" ");
}

/** Men's names that end like women's. */
const MALE_NAMES_IN_A = /^(никита|илья|фома|кузьма|лука|савва|данила|гаврила|михайла|добрыня|муса|иса|мирза)$/i;

function isFemale(surname, firstName, patronymic) {
  if (patronymic && /(вна|чна|кызы|гызы)$/i.test(patronymic)) return true;
  if (patronymic && /(ич|оглы|улы|уулу)$/i.test(patronymic)) return false;
  if (/(ова|ева|ёва|ина|ына|ая|яя)$/i.test(surname)) return true;
  return Boolean(firstName && /[ая]$/i.test(firstName) && !MALE_NAMES_IN_A.test(firstName));
}

/** One surname (or one part of a double one) in the dative case. */
function dativeSurname(word, female) {
  const swap = (length, ending) => word.slice(0, word.length - length) + ending;
  if (female) {
    if (/(ов|ев|ёв|ин|ын)а$/i.test(word)) return swap(1, "ой");
    if (/ая$/i.test(word)) return swap(2, "ой");
    if (/яя$/i.test(word)) return swap(2, "ей");
    if (/ия$/i.test(word)) return swap(1, "и");
    if (/[^аеёиоуыэюя][ая]$/i.test(word)) return swap(1, "е");
    return word;
  }
  if (/(ов|ев|ёв|ин|ын)$/i.test(word)) return `${word}у`;
  if (/[кгх]ий$/i.test(word) || /[ыо]й$/i.test(word)) return swap(2, "ому");
  if (/ий$/i.test(word)) return swap(2, "ему");
  if (/[аеёиоуэюя]й$/i.test(word)) return swap(1, "ю");
  if (/ь$/i.test(word)) return swap(1, "ю");
  if (/(ых|их)$/i.test(word)) return word;
  if (/ия$/i.test(word)) return swap(1, "и");
  if (/[^аеёиоуыэюя][ая]$/i.test(word)) return swap(1, "е");
  if (/[бвгджзклмнпрстфхцчшщ]$/i.test(word)) return `${word}у`;
  return word;
}
