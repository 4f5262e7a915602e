// Every sentence the app says to a person in Russian, by error kind and by
// purpose. Rust sends a stable `kind`; the words live here. en.js has the
// same keys in English, and index.js picks one of the two.

import { doctorDative } from "./russian-names.js";

const CHOSEN = "ваш выбор";

const UNCONFIRMED =
  "Ваша учётная запись на Госуслугах не подтверждена. Записаться к врачу можно после подтверждения: в центре обслуживания, через банк или заказным письмом.";

export const errorText = Object.freeze({
  offline: "Нет связи с сервером записи. Проверьте подключение к интернету и попробуйте ещё раз.",
  invalid_input: "Проверьте введённые данные: некоторые из них заполнены неверно.",
  session_expired: "Сеанс завершён. Войдите через ЕСИА ещё раз.",
  login_refused: "Вход не выполнен: вы отказались от входа или Госуслуги не подтвердили его. Попробуйте ещё раз.",
  internal: "Что-то пошло не так. Попробуйте ещё раз; если ошибка повторится, обратитесь в регистратуру.",
  not_found: "Этих сведений больше нет в расписании. Вернитесь на шаг назад и выберите ещё раз.",
  slot_taken: "Это время уже заняли. Выберите другое — остальные ваши ответы сохранены.",
  slot_unavailable:
    "На это время записаться через приложение нельзя. Выберите другое — остальные ваши ответы сохранены.",
  slot_in_past: "Это время уже прошло. Выберите другое — остальные ваши ответы сохранены.",
  already_booked: "У вас уже есть запись, которая мешает этой: на это же время или на ту же услугу в этой поликлинике. Её можно найти в разделе «Записи на приём».",
  consent_required:
    "Чтобы записаться, нужно согласие на обработку персональных данных. Прочитайте его и нажмите «Да, я даю согласие».",
  account_unconfirmed: UNCONFIRMED,
  too_late_to_cancel:
    "Приём уже начался или прошёл — отменить запись через приложение нельзя. Позвоните в регистратуру поликлиники.",
  not_active: "Эта запись уже не действует.",
  printer_missing:
    "Принтер для талонов не найден. Проверьте, что он включён и подключён, или выберите другой в настройках.",
  print_failed: "Не удалось напечатать талон. Попробуйте ещё раз или сохраните PDF и напечатайте его.",
});

/** Picks the Russian plural form: 1 место, 2 места, 5 мест, 21 место. */
export function plural(count, [one, few, many]) {
  const tens = count % 100;
  const units = count % 10;
  if (tens >= 11 && tens <= 14) return many;
  if (units === 1) return one;
  if (units >= 2 && units <= 4) return few;
  return many;
}

const monthNames = Object.freeze([
  "январь", "февраль", "март", "апрель", "май", "июнь",
  "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
]);

/** Month names as they follow a day number: «27 ноября». */
const monthNamesOf = Object.freeze([
  "января", "февраля", "марта", "апреля", "мая", "июня",
  "июля", "августа", "сентября", "октября", "ноября", "декабря",
]);

/** Weekdays from Monday, as the calendar's columns run. */
const weekdayNames = Object.freeze([
  "понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье",
]);

/** Weekdays as they follow «на»: «на пятницу». */
const weekdayNamesOn = Object.freeze([
  "понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье",
]);

const weekdayShortNames = Object.freeze(["пн", "вт", "ср", "чт", "пт", "сб", "вс"]);

const dayMonth = (month, day) => `${day} ${monthNamesOf[month - 1]}`;

/**
 * Dates in Russian, from their parts (`weekday` 0 for Monday, `month` 1 for
 * January); format.js takes ISO dates apart and calls these.
 */
export const dates = Object.freeze({
  weekdayNames,
  weekdayShortNames,
  /** «27 ноября». */
  dayMonth,
  /** «пятница, 27 ноября 2026 г.». */
  longDate: (weekday, year, month, day) => `${weekdayNames[weekday]}, ${dayMonth(month, day)} ${year} г.`,
  /** «пятницу, 27 ноября 2026 г.», as it follows «на». */
  longDateOn: (weekday, year, month, day) => `${weekdayNamesOn[weekday]}, ${dayMonth(month, day)} ${year} г.`,
  /** «Ноябрь 2026». */
  monthTitle: (year, month) => `${monthNames[month - 1][0].toUpperCase()}${monthNames[month - 1].slice(1)} ${year}`,
  /** How a typed date is shown to be written: «ДД.ММ.ГГГГ». */
  typedDateMask: "ДД.ММ.ГГГГ",
});

export const text = Object.freeze({
  windowTitle: "Регистратура",
  /** What index.html says before any script speaks, by its `data-text` keys. */
  page: Object.freeze({
    skipLink: "Перейти к содержимому",
    brand: "Регистратура",
    account: "Личный кабинет",
    logout: "Выйти",
    startHeading: "Запись на приём к врачу",
    startLead:
      "Выберите медицинскую организацию, врача, удобные дату и время — и получите талон. Понадобятся полис ОМС и вход через Госуслуги.",
    appointments: "Записи на приём",
    loginHeading: "Личный кабинет",
    loginLead:
      "Войдите через Госуслуги (ЕСИА). Понадобятся мобильный телефон, электронная почта или СНИЛС и пароль от Госуслуг. Вход откроется в браузере.",
    refresh: "Обновить",
    settings: "Настройки",
    facts: "Сведения о работе приложения",
    today: "Сегодня",
    clinicTime: "Время приёма",
    clinicTimeValue: "по времени поликлиники (Москва)",
    server: "Сервер записи",
    serverChecking: "проверяем связь…",
    version: "Регистратура, версия",
  }),
  portalEmbedded: "демонстрационный, работает на этом компьютере",
  portalRemote: "региональный портал",
  portalOnline: "на связи",
  portalOffline: "нет связи",
  staleLogin: "Эта ссылка входа устарела или уже использована. Нажмите «Войти через ЕСИА» ещё раз.",
  // A name of initials ends with a full stop already («Захарова С. С.»).
  signedIn: (name) => `Вы вошли как ${name}${name.endsWith(".") ? "" : "."}`,
  signedOut: "Вы вышли из личного кабинета.",
  idleLeft: "Экраном долго не пользовались: мы вернулись к началу.",
  idleLeftSignedOut: "Экраном долго не пользовались: мы вернулись к началу и вышли из личного кабинета.",
  notRemembered: "Хранилище паролей на этом компьютере недоступно: после закрытия приложения войдите снова.",
  notRenewable: "Этот вход не продлевается сам: когда срок его действия закончится, войдите снова.",
  unconfirmed: UNCONFIRMED,

  // The wizard's frame.
  summaryHeading: "Ваши ответы",
  change: "Изменить",
  /** Read after «Изменить» by screen readers: «Изменить организацию». */
  changeWhat: Object.freeze({
    organization: "организацию",
    clinic: "лечебное учреждение",
    service: "услугу",
    doctor: "врача",
    date: "дату",
    time: "время",
    phone: "телефон",
    consent: "согласие на обработку персональных данных",
  }),
  answerLabels: Object.freeze({
    organization: "Организация",
    clinic: "Лечебное учреждение",
    service: "Услуга",
    doctor: "Врач",
    date: "Дата",
    time: "Время",
    phone: "Телефон",
    consent: "Согласие на обработку персональных данных",
  }),
  consentCarried: "дано при прошлой записи",
  phoneNotGiven: "не указан",
  clinicTime: (time) => `${time} (время поликлиники, Москва)`,
  dataAsOf: (time) =>
    time
      ? `Нет связи: показаны данные на ${time}. Записаться можно, когда связь вернётся.`
      : "Нет связи: показаны сохранённые данные. Записаться можно, когда связь вернётся.",

  // Loading the schedule.
  syncHeading: "Загружаем расписание",
  syncStarting: "Загружаем расписание…",
  syncProgress: (percent, done, total) => `Загружаем расписание: ${percent}\u00a0% (${done} из ${total})`,
  syncOfflineEmpty:
    "Нет связи с сервером записи, а расписание ещё не загружено. Проверьте подключение и нажмите «Повторить».",
  retry: "Повторить",

  // The lists.
  chooseOrganization: "Выберите медицинскую организацию",
  chooseClinic: "Выберите лечебное учреждение",
  chooseService: "Выберите услугу",
  chooseDoctor: "Выберите врача",
  searchByName: "Поиск по названию",
  searchService: "Поиск по названию или коду услуги",
  searchDoctor: "Поиск по фамилии",
  serviceCode: (code) => `код ${code}`,
  nearestDate: (dayMonth) => `ближайшая запись: ${dayMonth}`,
  nearestHeading: "Ближайшее свободное время",
  nearestHint: "Если вам подойдёт любой врач, найдите самое раннее время по этой услуге.",
  nearestIn: Object.freeze({
    clinic: "В этом учреждении",
    organization: "Во всей организации",
    region: "Во всём регионе",
  }),
  nearestNone: Object.freeze({
    clinic: "В этом учреждении свободного времени по этой услуге нет. Поищите во всей организации или во всём регионе.",
    organization: "В этой организации свободного времени по этой услуге нет. Поищите во всём регионе.",
    region: "Свободного времени по этой услуге сейчас нет нигде в регионе. Позвоните в регистратуру учреждения.",
  }),
  nearestTake: "Записаться на это время",
  nearestFound: (when, doctor) => `Найдено время: ${when}, врач ${doctor}.`,
  chosen: CHOSEN,
  yourChoice: `✓ ${CHOSEN}`,
  found: (count) => `Найдено: ${count}.`,
  nothingFound: (query) =>
    `По запросу «${query}» ничего не найдено. Проверьте написание или сотрите часть слова.`,
  emptyList: Object.freeze({
    organization: "Медицинских организаций с записью через приложение пока нет. Обратитесь в регистратуру.",
    clinic: "В этой организации нет учреждений с записью через приложение. Нажмите «Назад» и выберите другую.",
    service: "Здесь нет услуг с записью через приложение. Нажмите «Назад» и выберите другое учреждение.",
    doctor: "На эту услугу сейчас нет врачей с расписанием. Нажмите «Назад» и выберите другую услугу.",
  }),

  // The calendar.
  chooseDate: "Выберите дату приёма",
  previousMonth: "Предыдущий месяц:",
  nextMonth: "Следующий месяц:",
  today: "сегодня",
  places: (count) => `${count} ${plural(count, ["место", "места", "мест"])}`,
  noPlaces: "нет мест",
  /** «2, 4 места, сегодня, 2 декабря»: what the cell shows, in its order (WCAG 2.5.3), then the date. */
  dayLabel: (dayMonth, free, isToday, isChosen) =>
    [
      dayMonth.split(" ")[0],
      free > 0 ? `${free} ${plural(free, ["место", "места", "мест"])}` : "нет мест",
      isToday && "сегодня",
      isChosen && CHOSEN,
      dayMonth,
    ]
      .filter(Boolean)
      .join(", "),
  dayUnavailable: "На этот день нет свободного времени.",
  noEarlierMonth: "Раньше текущего месяца записаться нельзя.",
  legendHeading: "Обозначения",
  legendAvailable: "Светлая клетка с числом мест — на этот день можно записаться.",
  legendUnavailable: "Тёмно-серая клетка «нет мест» — на этот день записи нет.",
  legendToday: "Рамка и слово «сегодня» — сегодняшний день.",

  // The time slots.
  chooseTime: "Выберите время приёма",
  slotsLabel: "Время приёма",
  slotWords: Object.freeze({ free: "свободно", busy: "занято", unavailable: "только в регистратуре" }),
  slotBusy: "Это время занято другим пациентом.",
  slotReserved:
    "На это время записаться через приложение нельзя: оно оставлено для регистратуры, киоска или колл-центра.",
  slotNeedsNetwork: "Чтобы записаться, нужна связь с сервером записи. Нажмите «Проверить снова», когда связь вернётся.",
  slotsOffline: (time) =>
    time
      ? `Нет связи с сервером записи: расписание показано на ${time}. Записаться можно, когда связь вернётся.`
      : "Нет связи с сервером записи: показано сохранённое расписание. Записаться можно, когда связь вернётся.",
  checkAgain: "Проверить снова",
  noFreeSlots: "На этот день свободного времени нет. Нажмите «Назад» и выберите другую дату.",
  legendFree: "Зелёная клетка «свободно» — на это время можно записаться.",
  legendBusy: "Тёмно-серая клетка «занято» — время занято другим пациентом.",
  legendReserved: "Жёлтая клетка «только в регистратуре» — через приложение на это время записаться нельзя.",

  // Signing in.
  loginHeading: "Войдите, чтобы записаться",
  loginToBook:
    "Записаться к врачу можно после входа через Госуслуги. Ваши ответы сохранятся: после входа продолжим с того же места.",
  loginButton: "Войти через ЕСИА",
  finishInBrowser: "Завершите вход в браузере",
  browserReturns: "Когда вы войдёте на Госуслугах, браузер вернёт вас в приложение.",
  cancel: "Отмена",
  unconfirmedHeading: "Учётная запись Госуслуг не подтверждена",

  // Consent.
  consentHeading: "Согласие на обработку персональных данных",
  consentText: "Текст согласия",
  agree: "Да, я даю согласие",

  // The contact phone.
  phoneHeading: "Телефон для связи",
  phoneLead: "Регистратура позвонит по этому номеру, если приём перенесут. Указывать телефон необязательно.",
  savedPhones: "Выберите телефон для связи с вами",
  continue: "Продолжить",
  newPhone: "Или наберите новый номер",
  phoneHint: "10 цифр после +7, например 910 123-45-67",
  phoneInvalid: "Введите 10 цифр номера после +7, например 910 123-45-67",
  confirmPhone: "Подтвердить",
  declinePhone: "Я не хочу указывать контактный телефон",

  // Confirming.
  confirmHeading: "Проверьте запись",
  book: "Записаться",
  booking: "Записываем…",
  bookOffline: "Нет связи с сервером записи. Запись сохранится, когда связь вернётся: нажмите «Записаться» ещё раз.",
  // `clash` is the server's: "same_time" or "same_service".
  alreadyBooked: (ticket, clash) => {
    if (!ticket) return errorText.already_booked;
    if (clash === "same_time") {
      return `На это время у вас уже есть другая запись: талон ${ticket}. Выберите другое время или отмените ту запись в разделе «Записи на приём».`;
    }
    return `У вас уже есть запись на эту услугу в этой поликлинике: талон ${ticket}. Чтобы прийти в другой день, перенесите её в разделе «Записи на приём».`;
  },
  consentAgain: "Прочитайте согласие и подтвердите его ещё раз — остальные ваши ответы сохранены.",

  // Booked.
  bookedHeading: "Вы успешно записались на приём!",
  bookedLead: "Ждём вас в назначенное время с полисом ОМС и документом, удостоверяющим личность.",
  ticketLabels: Object.freeze({
    ticket: "Талон",
    service: "Услуга",
    clinic: "Клиника",
    doctor: "Врач",
    date: "Вас примут",
    time: "Время приёма",
    status: "Статус",
  }),
  ticketStatus: "Заявка подтверждена",
  clinicPhone: "Телефон регистратуры",
  toStart: "В начало",
  countdown: (seconds) =>
    `Автоматический выход произойдёт через ${seconds} ${plural(seconds, ["секунду", "секунды", "секунд"])}`,

  // The ticket out of the app: on paper, as a PDF, in a calendar.
  printTicket: "Печать талона",
  printing: "Печать…",
  savePdf: "Сохранить PDF",
  savePdfTitle: "Сохранить талон",
  saveCalendarTitle: "Сохранить запись для календаря",
  addToCalendar: "Добавить в календарь",
  saving: "Сохраняем…",
  printedTo: (printer) => (printer ? `Талон отправлен на принтер «${printer}».` : "Талон отправлен на принтер."),
  printerMissing: (printer) =>
    printer
      ? `Принтер «${printer}» не найден. Проверьте, что он включён и подключён, или выберите другой в настройках.`
      : errorText.printer_missing,
  pdfSaved: (fileName) => `Талон сохранён: ${fileName}.`,
  calendarSaved: (fileName) =>
    `Запись добавлена в файл календаря ${fileName}. Откройте его, чтобы добавить запись в календарь.`,

  // The patient's appointments.
  back: "Назад",
  appointmentsLoading: "Загружаем ваши записи…",
  appointmentsSignIn:
    "Записи на приём хранятся в личном кабинете. Чтобы увидеть их, войдите через Госуслуги (ЕСИА). Вход откроется в браузере.",
  appointmentsRefreshed: "Список записей обновлён.",
  upcomingHeading: "Предстоящие",
  pastHeading: "Прошедшие и отменённые",
  noUpcoming: "Предстоящих записей нет.",
  noPast: "Прошедших и отменённых записей нет.",
  appointmentsEmpty: "У вас пока нет записей на приём.",
  bookAppointment: "Записаться на приём",
  /** «Четверг, 27 ноября 2026 г., 10:30». */
  appointmentTitle: (longDate, time) => `${longDate[0].toUpperCase()}${longDate.slice(1)}, ${time}`,
  appointmentStatus: Object.freeze({
    booked: "Заявка подтверждена",
    cancelled_by_patient: "Отменена вами",
    cancelled_by_clinic: "Отменена поликлиникой",
    fulfilled: "Приём состоялся",
    no_show: "Неявка",
  }),
  cancelAppointment: "Отменить эту запись",
  moveAppointment: "Перенести",
  bookAgain: "Записаться снова",
  againNoTime: (doctor) => `У врача ${doctor} свободного времени по этой услуге нет. Ближайшее время у других врачей этого учреждения:`,
  againGone: "Этого учреждения или этой услуги больше нет в расписании. Выберите запись заново.",
  moveHeading: "Новое время приёма",
  moveDoctor: (name) => `Врач: ${name}. Выберите день и время; прежнее время освободится, только когда новое станет вашим.`,
  moveOtherDoctor: "Другой врач",
  moveNoTimeThatDay: "На этот день свободного времени нет. Выберите другой день.",
  moveQuestion: (dateOn, time) => `Перенести запись на ${dateOn}, ${time}?`,
  moveConfirm: "Перенести запись",
  moveKeep: "Не переносить",
  moved: (ticket, dateOn, time) => `Запись перенесена на ${dateOn}, ${time}. Талон ${ticket} — напечатайте его заново.`,
  movedMark: "Запись перенесена",
  /** «Отменить запись к Захаровой С. С. (врач-стоматолог) на четверг, 27 ноября 2026 г., 10:30?» */
  cancelQuestion: (doctorName, position, dateOn, time) => {
    const doctor = doctorDative(doctorName);
    const whom = doctor ? ` к ${doctor}${position ? ` (${position})` : ""}` : "";
    return `Отменить запись${whom} на ${dateOn}, ${time}?`;
  },
  cancelConsequence: "Это время сразу станет доступно другим пациентам.",
  cancelConfirm: "Да, отменить запись",
  cancelKeep: "Не отменять",
  cancelling: "Отменяем…",
  cancelled: (ticket) => `Запись отменена. Талон ${ticket} больше не действует.`,

  // Settings.
  settingCountdown: "Автоматический выход через, секунд",
  settingCountdownHint:
    "Столько секунд экран «Вы успешно записались на приём!» ждёт, прежде чем вернуться к началу. От 5 до 600.",
  settingKiosk: "Выходить из личного кабинета при возврате к началу (для киосков)",
  settingIdle: "Возврат к началу без действий через, секунд (для киосков)",
  settingIdleHint:
    "Если на экране киоска ничего не нажимают столько секунд, он предупреждает, возвращается к началу и выходит из личного кабинета. От 30 до 1800.",
  settingPrinter: "Печатать талон сразу на принтер (без окна печати)",
  settingPrinterHint: "Для регистратуры и киосков: имя принтера в системе, например Kiosk_Printer.",
  settingPrinterEmpty: "Оставьте поле пустым, чтобы при печати открывалось окно выбора принтера.",
  settingLanguage: "Язык / Language",
  settingLanguageHint: "Как в системе — язык, выбранный в настройках компьютера.",
  languages: Object.freeze({ system: "Как в системе", ru: "Русский", en: "English" }),
  save: "Сохранить",
  settingsSaved: "Настройки сохранены.",
  countdownInvalid: "Время до выхода — от 5 до 600 секунд.",
  idleInvalid: "Время без действий — от 30 до 1800 секунд.",
  idleWarning: (seconds, signedIn) =>
    `Экраном давно не пользуются. Через ${seconds} ${plural(seconds, ["секунду", "секунды", "секунд"])} вернёмся к началу${signedIn ? " и выйдем из личного кабинета" : ""}. Коснитесь экрана или нажмите любую клавишу, чтобы продолжить.`,
});
