// Every sentence the reception desk says to a registrar. The desk shares the
// patient app's error words where they fit and says its own where a
// registrar needs to hear something else (the patient is not the reader).

import { errorText as patientErrors, plural } from "./ru.js";

export const deskErrorText = Object.freeze({
  ...patientErrors,
  session_expired: "Сеанс работы закончился. Войдите снова — несохранённого ничего не было.",
  login_refused:
    "Вход через ЕСИА не выполнен: учётная запись Госуслуг не связана с сотрудником регистратуры, или вход отменён. Войдите по логину и паролю или обратитесь к администратору.",
  wrong_credentials: "Неверный логин или пароль. Проверьте раскладку клавиатуры и Caps Lock.",
  forbidden: "Это действие недоступно вашей роли. Обратитесь к администратору организации.",
  not_found: "Запись, пациент или время не найдены в вашей поликлинике. Обновите доску (F5) и выберите снова.",
  too_many_results: "Найдено больше 20 пациентов. Уточните поиск: добавьте имя, отчество или ищите по полису.",
  patient_exists: "Этот пациент уже зарегистрирован — его карточка открыта, запишите его.",
  already_booked: "У пациента уже есть запись на эту услугу в этой поликлинике или на это же время.",
  consent_required: "Отметьте, что пациент дал согласие на обработку персональных данных.",
  slot_taken: "Это время только что заняли. Выберите другое — пациент и услуга сохранены.",
  slot_unavailable: "Это время закрыто для записи. Выберите другое.",
  slot_in_past: "Это время уже прошло. Выберите другое.",
  too_late_to_cancel: "Приём уже начался или прошёл: запись нельзя отменить или перенести. Отметьте «Не явился», если пациента нет.",
  not_active: "Эта запись уже отменена или закрыта. Обновите карточку пациента.",
  not_today: "Отметить приход или неявку можно только в день приёма.",
  not_started_yet: "«Не явился» можно отметить после начала приёма.",
  printer_missing: "Принтер талонов регистратуры не найден. Проверьте, что он включён, или укажите его в настройках.",
  print_failed: "Талон не напечатался. Запись сохранена — нажмите F4, чтобы напечатать ещё раз.",
  invalid_input: "Проверьте введённые данные.",
});

/** The desk's Russian text for an error thrown by api.js. */
export function describeDeskError(error) {
  return deskErrorText[error && error.kind] || deskErrorText.internal;
}

const FIELD_NAMES = Object.freeze({
  last_name: "Фамилия",
  first_name: "Имя",
  middle_name: "Отчество",
  birth_date: "Дата рождения",
  policy: "Полис ОМС",
  snils: "СНИЛС",
  phone: "Телефон",
  sex: "Пол",
});

const FIELD_PROBLEMS = Object.freeze({
  missing: "заполните",
  too_long: "не длиннее 60 букв",
  latin_letters: "латинские буквы среди русских — переключите раскладку",
  not_letters: "только русские буквы, дефис и пробел",
  in_future: "дата ещё не наступила",
  too_old: "раньше 1900 года",
  not_a_date: "дата в виде ДД.ММ.ГГГГ",
  length: "неверное число цифр",
  checksum: "контрольная цифра не сходится — сверьте номер с документом",
});

/** «Полис ОМС: контрольная цифра не сходится…» for a field's problem. */
export function fieldProblemText(field, problem) {
  const name = FIELD_NAMES[field] || field;
  const lengths = { policy: "нужно 16 цифр", snils: "нужно 11 цифр", phone: "нужно +7 и 10 цифр" };
  const what = problem === "length" && lengths[field] ? lengths[field] : FIELD_PROBLEMS[problem] || FIELD_PROBLEMS.missing;
  return `${name}: ${what}.`;
}

export const deskText = Object.freeze({
  title: "Рабочее место регистратора",
  signInHeading: "Вход для сотрудников регистратуры",
  signInLead: "Войдите под своей учётной записью сотрудника. Пациентам вход не нужен — их ищут по полису.",
  login: "Логин",
  password: "Пароль",
  signIn: "Войти",
  signingIn: "Входим…",
  demoHint: (login, password) => `Демонстрационный регион: логин ${login}, пароль ${password}.`,
  signOut: "Выйти",
  signedOut: "Вы вышли. Следующий сотрудник может войти.",
  clinic: "Поликлиника",
  clinicNumber: (id) => `Поликлиника № ${id}`,
  roles: { registrar: "регистратор", admin: "администратор" },
  preparing: "Загружаем справочник поликлиники…",

  searchHeading: "Поиск пациента",
  searchLabel: "Полис ОМС, СНИЛС или фамилия и дата рождения",
  searchHint: "Например: 16 цифр полиса, 11 цифр СНИЛС или «Иванова 08.03.1950 Анна».",
  searchButton: "Найти",
  searching: "Ищем…",
  searchNotUnderstood:
    "Не понятно, что искать. Введите 16 цифр полиса, 11 цифр СНИЛС или фамилию и дату рождения (ДД.ММ.ГГГГ).",
  searchPolicyLength: (count) => `В номере полиса ${count} ${plural(count, ["цифра", "цифры", "цифр"])}, а нужно 16.`,
  found: (count) => `Найдено: ${count} ${plural(count, ["пациент", "пациента", "пациентов"])}. Стрелками выберите нужного, Enter — открыть.`,
  notFound: "Пациент не найден. Нажмите F2, чтобы зарегистрировать его — введённое уже перенесено в анкету.",
  resultsLabel: "Найденные пациенты",
  born: (date) => `род. ${date}`,
  policyMasked: (masked) => `полис ${masked}`,
  phoneMasked: (masked) => `тел. ${masked}`,
  noPhone: "без телефона",

  registerHeading: "Новый пациент",
  lastName: "Фамилия",
  firstName: "Имя",
  middleName: "Отчество (если есть)",
  birthDate: "Дата рождения (ДД.ММ.ГГГГ)",
  sex: "Пол",
  male: "мужской",
  female: "женский",
  policy: "Полис ОМС (16 цифр)",
  snils: "СНИЛС (если есть)",
  phone: "Телефон",
  register: "Зарегистрировать",
  registering: "Регистрируем…",
  registerCancel: "Отмена",
  registered: "Пациент зарегистрирован. Выберите время на доске.",
  alreadyRegistered: "Пациент с этим полисом или СНИЛС уже есть — открыли его карточку.",
  fixFields: (count) => `Исправьте ${count} ${plural(count, ["поле", "поля", "полей"])}.`,

  patientHeading: "Пациент",
  noPatient: "Пациент не выбран. Найдите его по полису (F1).",
  upcoming: "Предстоящие записи в этой поликлинике",
  noUpcoming: "Предстоящих записей в этой поликлинике нет.",
  ticketNumber: (ticket) => `талон № ${ticket}`,
  statusWords: {
    booked: "записан",
    arrived: "пришёл",
    no_show: "не явился",
    cancelled_by_patient: "отменена пациентом",
    cancelled_by_clinic: "отменена поликлиникой",
    fulfilled: "приём состоялся",
  },

  boardHeading: "Расписание на день",
  service: "Услуга",
  serviceAll: "все услуги",
  servicePlaceholder: "начните вводить название",
  noServices: "Нет такой услуги в поликлинике.",
  previousDay: "Предыдущий день",
  nextDay: "Следующий день",
  today: "Сегодня",
  jumpLabel: "Перейти к дате (ДД.ММ.ГГГГ)",
  jumpWrong: "Введите дату как ДД.ММ.ГГГГ, например 15.12.2026.",
  nearest: "Ближайшее время",
  nearestNeedsService: "Выберите услугу (F3): ближайшее время ищется по услуге.",
  nearestNone: "Свободного времени по этой услуге впереди нет.",
  boardEmpty: "В этот день приёма нет.",
  boardLabel: (title) => `Расписание врачей на ${title}`,
  loadingBoard: "Загружаем расписание…",
  slotWords: {
    free: "свободно",
    busy: "занято",
    reserved: "для регистратуры",
    arrived: "пришёл",
    no_show: "не явился",
  },
  slotPast: "время прошло",
  cellLabel: (time, doctor, word, patient) => [time, doctor, word, patient].filter(Boolean).join(", "),

  confirmBook: (patient, doctor, date, time) => `Записать: ${patient} — ${doctor}, ${date} в ${time}.`,
  consentTaken: "Пациент дал согласие на обработку персональных данных",
  confirmBookButton: "Записать и напечатать талон",
  confirmMove: (date, time, doctor) => `Перенести запись на ${date} в ${time}, ${doctor}?`,
  confirmMoveButton: "Перенести",
  confirmKeep: "Отмена",
  booking: "Записываем…",
  booked: (ticket, date, time) => `Записан: талон № ${ticket}, ${date} в ${time}.`,
  moved: (ticket, date, time) => `Перенесено: талон № ${ticket}, теперь ${date} в ${time}.`,
  printedTo: (printer) => `Талон напечатан на принтере ${printer}.`,
  printedDialog: "Талон отправлен на печать.",
  printCancelled: "Печать отменена.",
  chooseSlotFor: "Выберите время на доске стрелками и нажмите Enter.",
  chooseServiceFirst: "Выберите услугу (F3), затем время.",
  needPatient: "Сначала найдите пациента (F1).",
  slotNotBookable: "Это время занято. Выберите свободное или «для регистратуры».",
  moveMode: (ticket) => `Перенос талона № ${ticket}: выберите новое время на доске и нажмите Enter. Esc — отмена.`,
  moveCancelled: "Перенос отменён.",

  cancelQuestion: (ticket) => `Отменить запись, талон № ${ticket}? Укажите причину:`,
  cancelReasons: {
    patient_request: "по просьбе пациента",
    doctor_unavailable: "врач не принимает",
    other: "другая причина",
  },
  cancelConfirm: "Отменить запись",
  cancelKeep: "Не отменять",
  cancelling: "Отменяем…",
  cancelled: (ticket) => `Запись отменена, талон № ${ticket}. Время снова свободно.`,
  checkedIn: (ticket) => `Отмечено: пациент пришёл (талон № ${ticket}).`,
  checkInUndone: (ticket) => `Отметка «Пришёл» снята (талон № ${ticket}).`,
  noShowMarked: (ticket) => `Отмечено: пациент не явился (талон № ${ticket}).`,
  noShowUndone: (ticket) => `Отметка «Не явился» снята (талон № ${ticket}).`,
  chooseDoctor: "Выберите время врача на доске (F6), чей список нужен.",
  dayListButton: "Список на день",
  dayListOf: (doctor) => `Список на день, ${doctor}`,
  dayListPrintedTo: (printer) => `Список врача на день напечатан на принтере ${printer}.`,
  dayListPrinted: "Список врача на день отправлен на печать.",
  dayListSaved: (name) => `Список врача на день сохранён: ${name}.`,
  noAppointmentChosen: "Выберите запись: в карточке пациента или на доске.",

  shortcutsHeading: "Клавиши",
  shortcuts: [
    ["F1", "поиск пациента"],
    ["F2", "новый пациент"],
    ["F3", "услуга и ближайшее время"],
    ["F4", "печать талона"],
    ["F5", "обновить доску"],
    ["F6", "перейти к доске"],
    ["F7", "перенести запись"],
    ["F8", "пришёл (Shift+F8 — снять)"],
    ["F9", "не явился (Shift+F9 — снять)"],
    ["Delete", "отменить запись"],
    ["Ctrl+PageUp / Ctrl+PageDown", "день назад / вперёд"],
    ["Ctrl+Home", "сегодня"],
    ["Ctrl+G", "календарь: перейти к дате"],
    ["Esc", "отмена, назад к поиску"],
    ["Ctrl+P", "список врача на день — печать"],
    ["Ctrl+S", "список врача на день — PDF"],
    ["Ctrl+Q", "выйти"],
  ],
});
