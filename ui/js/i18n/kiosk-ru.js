// Every sentence the lobby kiosk says, in Russian (kiosk-en.js has the same
// keys in English). The reader stands at a public screen, perhaps with a
// policy card in one hand: short sentences, one thing to do.

import { errorText as patientErrors, plural } from "./ru.js";

export const kioskErrorText = Object.freeze({
  ...patientErrors,
  not_a_policy: "Это не номер полиса ОМС. Проверьте цифры или приложите полис штрихкодом к сканеру ещё раз.",
  not_identified:
    "Пациент с таким полисом и датой рождения не найден. Проверьте номер полиса и дату рождения или обратитесь в регистратуру.",
  policy_locked: "Слишком много неверных попыток с этим полисом. Обратитесь в регистратуру или попробуйте позже.",
  too_many_attempts: "Слишком много неудачных попыток на этом терминале. Обратитесь в регистратуру или попробуйте позже.",
  visit_ended: "Время сеанса истекло. Начните сначала.",
  device_unknown: "Терминал не зарегистрирован или отключён. Обратитесь к администратору поликлиники.",
  wrong_pin: "Неверный PIN администратора.",
  check_in_elsewhere: "Эта запись — в другое подразделение. Отметьте приход там, где назначен приём.",
  check_in_closed: "Время этого приёма уже прошло. Обратитесь в регистратуру.",
  not_today: "Отметить приход можно только в день приёма.",
  already_booked: "У вас уже есть запись на эту услугу или на это же время. Её видно в разделе «Мои записи».",
  slot_taken: "Это время только что заняли. Выберите другое.",
  slot_unavailable: "На это время на терминале записаться нельзя. Выберите другое.",
  too_late_to_cancel: "Приём уже начался — отменить запись нельзя. Обратитесь в регистратуру.",
  session_expired: "Время сеанса истекло. Начните сначала.",
  printer_missing: "Принтер терминала не работает. Запись сохранена — талон можно получить в регистратуре.",
  print_failed: "Талон не напечатался. Запись сохранена — нажмите «Печать талона» ещё раз или обратитесь в регистратуру.",
});

/** The kiosk's Russian text for an error thrown by api.js, with the wait when the server gave one. */
export function describeKioskError(error) {
  const sentence = kioskErrorText[error && error.kind] || kioskErrorText.internal;
  if (error && error.retry_minutes && (error.kind === "policy_locked" || error.kind === "too_many_attempts")) {
    const minutes = error.retry_minutes;
    return `${sentence} Повторить можно через ${minutes} ${plural(minutes, ["минуту", "минуты", "минут"])}.`;
  }
  return sentence;
}

export const kioskText = Object.freeze({
  windowTitle: "Регистратура — терминал записи",
  brand: "Регистратура",
  idleStay: "Продолжить",
  /** The eight places of a birth date on the pad, day first. */
  birthMask: "ДДММГГГГ",
  startHeading: "Запись на приём к врачу",
  startLead: "Выберите, что вы хотите сделать. Или приложите полис ОМС штрихкодом к сканеру.",
  book: "Записаться на приём",
  mine: "Мои записи",
  arrived: "Я пришёл на приём",
  settings: "Настройки",
  policyHeading: "Номер полиса ОМС",
  policyLead: "Наберите 16 цифр полиса или приложите полис штрихкодом к сканеру.",
  policyShown: (count) => `Набрано ${count} из 16 цифр`,
  birthHeading: "Дата рождения",
  birthLead: "Наберите дату рождения: день, месяц и год — восемь цифр.",
  birthInvalid: "Проверьте дату рождения: две цифры дня, две цифры месяца и четыре цифры года — например, 08031950.",
  next: "Далее",
  erase: "Стереть",
  clear: "Очистить",
  back: "Назад",
  finish: "Завершить",
  hello: (initials) => `Пациент: ${initials}`,
  menuHeading: "Что вы хотите сделать?",
  serviceHeading: "К какому врачу?",
  serviceLead: "Выберите специальность. Найти по названию — кнопка «Поиск».",
  search: "Поиск",
  searchLabel: "Поиск по названию",
  space: "Пробел",
  noServices: "Ничего не найдено. Сотрите часть букв или выберите из списка.",
  doctorHeading: "Выберите врача",
  doctorNearest: (date) => `ближайший приём ${date}`,
  doctorNone: "нет свободного времени",
  dayHeading: "Выберите день",
  dayFree: (count) => `${count} ${plural(count, ["свободное время", "свободных времени", "свободных времён"])}`,
  noDays: "У этого врача нет свободного времени в ближайшие две недели. Выберите другого врача.",
  timeHeading: "Выберите время",
  noTimes: "На этот день свободного времени не осталось. Выберите другой день.",
  confirmHeading: "Проверьте запись",
  confirmLead: "Если всё верно, нажмите «Записаться».",
  consentNote:
    "Нажимая «Записаться», вы даёте согласие на обработку персональных данных для записи на приём.",
  consentRead: "Прочитать согласие",
  confirm: "Записаться",
  rows: { service: "Услуга", doctor: "Врач", date: "День", time: "Время", clinic: "Поликлиника", room: "Кабинет", queue: "Ваше место в очереди", ticket: "Талон" },
  bookedHeading: "Вы записаны",
  bookedPrinted: "Талон напечатан — возьмите его из принтера.",
  bookedNotPrinted: "Талон не напечатался. Запись сохранена: покажите номер талона в регистратуре.",
  another: "Записаться к другому врачу",
  printTicket: "Печать талона",
  printed: "Талон напечатан — возьмите его из принтера.",
  mineHeading: "Мои записи",
  mineEmpty: "Предстоящих записей нет.",
  cancel: "Отменить запись",
  cancelQuestion: "Отменить эту запись?",
  cancelYes: "Да, отменить",
  cancelNo: "Нет, оставить",
  cancelled: "Запись отменена. Время освободилось для других.",
  arrivedHeading: "Отметка о приходе",
  arrivedLead: "Выберите сегодняшнюю запись.",
  arrivedNone: "На сегодня в этой поликлинике у вас записей нет. Обратитесь в регистратуру.",
  arrivedDone: "Вы отметились",
  arrivedRoom: (room) => (room ? `Пройдите к кабинету ${room}.` : "Номер кабинета уточните в регистратуре."),
  arrivedQueue: (place) => (place === 1 ? "Вы первый в очереди." : `Перед вами ${place - 1} ${plural(place - 1, ["человек", "человека", "человек"])}.`),
  arrivedPrinted: "Талон с кабинетом и очередью напечатан.",
  today: "сегодня",
  idle: (seconds) => `Вы здесь? Через ${seconds} ${plural(seconds, ["секунду", "секунды", "секунд"])} терминал вернётся в начало, и ваши данные будут скрыты.`,
  enrollHeading: "Терминал не зарегистрирован",
  enrollLead: "Администратор: введите ключ терминала, полученный при регистрации (registry-server kiosk register).",
  enrollLabel: "Ключ терминала",
  enroll: "Сохранить ключ",
  pinHeading: "PIN администратора",
  pinLead: "Настройки терминала открываются по PIN администратора.",
  settingsHeading: "Настройки терминала",
  printerLabel: "Принтер талонов",
  printerDefault: "принтер по умолчанию",
  paperLabel: "Размер талона",
  stepLabel: "Секунд без касания до возврата в начало",
  save: "Сохранить",
  saved: "Настройки сохранены.",
  demo: (pin) => `Демо: терминал зарегистрирован сам. PIN администратора — ${pin}.`,
  loading: "Загрузка…",
});
