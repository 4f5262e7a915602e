// Every sentence the app says to a person in English, with the keys of
// ru.js. Names of the portal's own things keep their Russian names beside
// the English ones where a patient will meet them on paper or on Gosuslugi
// (ESIA, the OMS policy, SNILS).

const CHOSEN = "your choice";

const UNCONFIRMED =
  "Your Gosuslugi account is not confirmed. You can book a doctor once it is: at a service centre, through your bank or by registered letter.";

export const errorText = Object.freeze({
  offline: "No connection to the booking server. Check your internet connection and try again.",
  invalid_input: "Please check what you entered: some of it is not filled in correctly.",
  session_expired: "Your session has ended. Sign in with ESIA again.",
  login_refused: "You are not signed in: the sign-in was cancelled or Gosuslugi did not confirm it. Please try again.",
  internal: "Something went wrong. Please try again; if it happens again, call the clinic's reception.",
  not_found: "This is no longer in the schedule. Go back one step and choose again.",
  slot_taken: "Someone has just taken this time. Choose another one — the rest of your answers are kept.",
  slot_unavailable: "This time cannot be booked in the app. Choose another one — the rest of your answers are kept.",
  slot_in_past: "This time has already passed. Choose another one — the rest of your answers are kept.",
  already_booked:
    "You already have an appointment that stands in the way of this one: at the same time, or for the same service at this clinic. You will find it under «My appointments».",
  consent_required:
    "To book, we need your consent to the processing of your personal data. Read it and press «Yes, I give my consent».",
  account_unconfirmed: UNCONFIRMED,
  too_late_to_cancel:
    "The appointment has already begun or passed, so it cannot be cancelled in the app. Please call the clinic's reception.",
  not_active: "This appointment is no longer valid.",
  printer_missing:
    "The ticket printer was not found. Check that it is switched on and connected, or choose another one in the settings.",
  print_failed: "The ticket could not be printed. Try again, or save the PDF and print that.",
});

/** Picks the English plural form: 1 place, 2 places. */
export function plural(count, [one, other]) {
  return count === 1 ? one : other;
}

const monthNames = Object.freeze([
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
]);

const weekdayNames = Object.freeze(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]);

const weekdayShortNames = Object.freeze(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);

const dayMonth = (month, day) => `${day} ${monthNames[month - 1]}`;

const longDate = (weekday, year, month, day) => `${weekdayNames[weekday]}, ${dayMonth(month, day)} ${year}`;

/**
 * Dates in English, day before month as in Britain and Russia alike, from
 * their parts (`weekday` 0 for Monday, `month` 1 for January).
 */
export const dates = Object.freeze({
  weekdayNames,
  weekdayShortNames,
  /** "27 November". */
  dayMonth,
  /** "Friday, 27 November 2026". */
  longDate,
  /** The same: English needs no other form after "on". */
  longDateOn: longDate,
  /** "November 2026". */
  monthTitle: (year, month) => `${monthNames[month - 1]} ${year}`,
  /** How a typed date is shown to be written. */
  typedDateMask: "DD.MM.YYYY",
});

/** The first letter in capitals: the long dates begin with a weekday. */
const capitalised = (words) => `${words[0].toUpperCase()}${words.slice(1)}`;

export const text = Object.freeze({
  windowTitle: "Registratura",
  /** What index.html says before any script speaks, by its `data-text` keys. */
  page: Object.freeze({
    skipLink: "Skip to the content",
    brand: "Registratura",
    account: "My account",
    logout: "Sign out",
    startHeading: "Book a doctor's appointment",
    startLead:
      "Choose a medical organisation, a doctor, a date and time that suit you — and get your ticket. You will need your OMS health insurance policy and to sign in with Gosuslugi.",
    appointments: "My appointments",
    loginHeading: "My account",
    loginLead:
      "Sign in with Gosuslugi (ESIA). You will need your mobile phone number, e-mail or SNILS and your Gosuslugi password. The sign-in opens in your browser.",
    refresh: "Refresh",
    settings: "Settings",
    facts: "About the app",
    today: "Today",
    clinicTime: "Appointment times",
    clinicTimeValue: "in the clinic's time (Moscow)",
    server: "Booking server",
    serverChecking: "checking the connection…",
    version: "Registratura, version",
  }),
  portalEmbedded: "demonstration, running on this computer",
  portalRemote: "regional portal",
  portalOnline: "connected",
  portalOffline: "not connected",
  staleLogin: "This sign-in link is out of date or has been used already. Press «Sign in with ESIA» again.",
  // A name of initials ends with a full stop already ("Zakharova S. S.").
  signedIn: (name) => `You are signed in as ${name}${name.endsWith(".") ? "" : "."}`,
  signedOut: "You have signed out of your account.",
  idleLeft: "The screen was not used for a long time, so we went back to the start.",
  idleLeftSignedOut: "The screen was not used for a long time, so we went back to the start and signed you out.",
  notRemembered: "This computer's password store is not available: sign in again after you close the app.",
  notRenewable: "This sign-in does not renew itself: when it runs out, sign in again.",
  unconfirmed: UNCONFIRMED,

  // The wizard's frame.
  summaryHeading: "Your answers",
  change: "Change",
  /** Read after "Change" by screen readers: "Change organisation". */
  changeWhat: Object.freeze({
    organization: "organisation",
    clinic: "medical facility",
    service: "service",
    doctor: "doctor",
    date: "date",
    time: "time",
    phone: "phone",
    consent: "consent to personal data processing",
  }),
  answerLabels: Object.freeze({
    organization: "Organisation",
    clinic: "Medical facility",
    service: "Service",
    doctor: "Doctor",
    date: "Date",
    time: "Time",
    phone: "Phone",
    consent: "Consent to personal data processing",
  }),
  consentCarried: "given at your last booking",
  phoneNotGiven: "not given",
  clinicTime: (time) => `${time} (clinic time, Moscow)`,
  dataAsOf: (time) =>
    time
      ? `Not connected: showing the schedule as of ${time}. You can book once the connection is back.`
      : "Not connected: showing the saved schedule. You can book once the connection is back.",

  // Loading the schedule.
  syncHeading: "Loading the schedule",
  syncStarting: "Loading the schedule…",
  syncProgress: (percent, done, total) => `Loading the schedule: ${percent}\u00a0% (${done} of ${total})`,
  syncOfflineEmpty:
    "No connection to the booking server, and the schedule has not been loaded yet. Check your connection and press «Try again».",
  retry: "Try again",

  // The lists.
  chooseOrganization: "Choose a medical organisation",
  chooseClinic: "Choose a medical facility",
  chooseService: "Choose a service",
  chooseDoctor: "Choose a doctor",
  searchByName: "Search by name",
  searchService: "Search by name or service code",
  searchDoctor: "Search by surname",
  serviceCode: (code) => `code ${code}`,
  nearestDate: (dayMonth) => `nearest free time: ${dayMonth}`,
  nearestHeading: "Earliest free time",
  nearestHint: "If any doctor will do, find the earliest time for this service.",
  nearestIn: Object.freeze({
    clinic: "In this facility",
    organization: "In the whole organisation",
    region: "In the whole region",
  }),
  nearestNone: Object.freeze({
    clinic: "This facility has no free time for this service. Look in the whole organisation or the whole region.",
    organization: "This organisation has no free time for this service. Look in the whole region.",
    region: "No one in the region has free time for this service now. Please call the facility's reception.",
  }),
  nearestTake: "Book this time",
  nearestFound: (when, doctor) => `Time found: ${when}, with ${doctor}.`,
  chosen: CHOSEN,
  yourChoice: `✓ ${CHOSEN}`,
  found: (count) => `Found: ${count}.`,
  nothingFound: (query) => `Nothing was found for «${query}». Check the spelling or delete part of the word.`,
  emptyList: Object.freeze({
    organization: "No medical organisation takes bookings in the app yet. Please contact the clinic's reception.",
    clinic: "This organisation has no facility that takes bookings in the app. Press «Back» and choose another.",
    service: "There are no services to book in the app here. Press «Back» and choose another facility.",
    doctor: "No doctor has a schedule for this service now. Press «Back» and choose another service.",
  }),

  // The calendar.
  chooseDate: "Choose the date of your appointment",
  previousMonth: "Previous month:",
  nextMonth: "Next month:",
  today: "today",
  places: (count) => `${count} ${plural(count, ["place", "places"])}`,
  noPlaces: "no places",
  /** "2, 4 places, today, 2 December": what the cell shows, in its order (WCAG 2.5.3), then the date. */
  dayLabel: (dayMonth, free, isToday, isChosen) =>
    [
      dayMonth.split(" ")[0],
      free > 0 ? `${free} ${plural(free, ["place", "places"])}` : "no places",
      isToday && "today",
      isChosen && CHOSEN,
      dayMonth,
    ]
      .filter(Boolean)
      .join(", "),
  dayUnavailable: "There is no free time on this day.",
  noEarlierMonth: "You cannot book earlier than the current month.",
  legendHeading: "Key",
  legendAvailable: "A light cell with a number of places: you can book on this day.",
  legendUnavailable: "A dark grey cell «no places»: there is nothing to book on this day.",
  legendToday: "A frame and the word «today»: today's date.",

  // The time slots.
  chooseTime: "Choose the time of your appointment",
  slotsLabel: "Appointment time",
  slotWords: Object.freeze({ free: "free", busy: "taken", unavailable: "reception only" }),
  slotBusy: "Another patient has this time.",
  slotReserved: "This time cannot be booked in the app: it is kept for the reception desk, a kiosk or the call centre.",
  slotNeedsNetwork: "Booking needs a connection to the booking server. Press «Check again» when the connection is back.",
  slotsOffline: (time) =>
    time
      ? `No connection to the booking server: showing the schedule as of ${time}. You can book once the connection is back.`
      : "No connection to the booking server: showing the saved schedule. You can book once the connection is back.",
  checkAgain: "Check again",
  noFreeSlots: "There is no free time on this day. Press «Back» and choose another date.",
  legendFree: "A green cell «free»: you can book this time.",
  legendBusy: "A dark grey cell «taken»: another patient has this time.",
  legendReserved: "A yellow cell «reception only»: this time cannot be booked in the app.",

  // Signing in.
  loginHeading: "Sign in to book",
  loginToBook: "You can book a doctor after signing in with Gosuslugi. Your answers are kept: after you sign in we carry on from here.",
  loginButton: "Sign in with ESIA",
  finishInBrowser: "Finish signing in in your browser",
  browserReturns: "When you have signed in on Gosuslugi, the browser brings you back to the app.",
  cancel: "Cancel",
  unconfirmedHeading: "Your Gosuslugi account is not confirmed",

  // Consent.
  consentHeading: "Consent to the processing of personal data",
  consentText: "The text of the consent",
  agree: "Yes, I give my consent",

  // The contact phone.
  phoneHeading: "Contact phone",
  phoneLead: "The reception will call this number if your appointment is moved. Giving a phone number is optional.",
  savedPhones: "Choose the phone number to reach you on",
  continue: "Continue",
  newPhone: "Or type a new number",
  phoneHint: "10 digits after +7, for example 910 123-45-67",
  phoneInvalid: "Enter the 10 digits of the number after +7, for example 910 123-45-67",
  confirmPhone: "Confirm",
  declinePhone: "I do not want to give a contact phone",

  // Confirming.
  confirmHeading: "Check your appointment",
  book: "Book",
  booking: "Booking…",
  bookOffline: "No connection to the booking server. Nothing is lost: press «Book» again when the connection is back.",
  // `clash` is the server's: "same_time" or "same_service".
  alreadyBooked: (ticket, clash) => {
    if (!ticket) return errorText.already_booked;
    if (clash === "same_time") {
      return `You already have another appointment at this time: ticket ${ticket}. Choose another time, or cancel that appointment under «My appointments».`;
    }
    return `You already have an appointment for this service at this clinic: ticket ${ticket}. To come on another day, move it under «My appointments».`;
  },
  consentAgain: "Read the consent and confirm it once more — the rest of your answers are kept.",

  // Booked.
  bookedHeading: "Your appointment is booked!",
  bookedLead: "We expect you at the appointed time with your OMS policy and an identity document.",
  ticketLabels: Object.freeze({
    ticket: "Ticket",
    service: "Service",
    clinic: "Clinic",
    doctor: "Doctor",
    date: "Your appointment",
    time: "Time",
    status: "Status",
  }),
  ticketStatus: "Booking confirmed",
  clinicPhone: "Reception phone",
  toStart: "Back to the start",
  countdown: (seconds) => `You will be taken back to the start in ${seconds} ${plural(seconds, ["second", "seconds"])}`,

  // The ticket out of the app: on paper, as a PDF, in a calendar.
  printTicket: "Print ticket",
  printing: "Printing…",
  savePdf: "Save PDF",
  savePdfTitle: "Save the ticket",
  saveCalendarTitle: "Save the appointment for your calendar",
  addToCalendar: "Add to calendar",
  saving: "Saving…",
  printedTo: (printer) => (printer ? `The ticket was sent to the printer «${printer}».` : "The ticket was sent to the printer."),
  printerMissing: (printer) =>
    printer
      ? `The printer «${printer}» was not found. Check that it is switched on and connected, or choose another one in the settings.`
      : errorText.printer_missing,
  pdfSaved: (fileName) => `The ticket was saved: ${fileName}.`,
  calendarSaved: (fileName) => `The appointment was saved in the calendar file ${fileName}. Open it to add the appointment to your calendar.`,

  // The patient's appointments.
  back: "Back",
  appointmentsLoading: "Loading your appointments…",
  appointmentsSignIn:
    "Your appointments are kept in your account. To see them, sign in with Gosuslugi (ESIA). The sign-in opens in your browser.",
  appointmentsRefreshed: "The list of appointments is up to date.",
  upcomingHeading: "Upcoming",
  pastHeading: "Past and cancelled",
  noUpcoming: "No upcoming appointments.",
  noPast: "No past or cancelled appointments.",
  appointmentsEmpty: "You have no appointments yet.",
  bookAppointment: "Book an appointment",
  /** "Thursday, 27 November 2026, 10:30". */
  appointmentTitle: (longDate, time) => `${capitalised(longDate)}, ${time}`,
  appointmentStatus: Object.freeze({
    booked: "Booking confirmed",
    cancelled_by_patient: "Cancelled by you",
    cancelled_by_clinic: "Cancelled by the clinic",
    fulfilled: "Attended",
    no_show: "Did not attend",
  }),
  cancelAppointment: "Cancel this appointment",
  moveAppointment: "Move",
  bookAgain: "Book again",
  againNoTime: (doctor) => `${doctor} has no free time for this service. The earliest time with another doctor of this facility:`,
  againGone: "This facility or service is no longer in the schedule. Please choose your booking anew.",
  moveHeading: "New appointment time",
  moveDoctor: (name) => `Doctor: ${name}. Choose a day and time; your old time is given up only once the new one is yours.`,
  moveOtherDoctor: "Another doctor",
  moveNoTimeThatDay: "There is no free time on this day. Choose another day.",
  moveQuestion: (dateOn, time) => `Move the appointment to ${dateOn}, ${time}?`,
  moveConfirm: "Move the appointment",
  moveKeep: "Do not move",
  moved: (ticket, dateOn, time) => `The appointment was moved to ${dateOn}, ${time}. Ticket ${ticket} — please print it again.`,
  movedMark: "Appointment moved",
  /** "Cancel the appointment with Захарова Софья Сергеевна (врач-стоматолог) on Thursday, 27 November 2026, 10:30?" */
  cancelQuestion: (doctorName, position, dateOn, time) => {
    const whom = doctorName ? ` with ${doctorName}${position ? ` (${position})` : ""}` : "";
    return `Cancel the appointment${whom} on ${dateOn}, ${time}?`;
  },
  cancelConsequence: "Other patients can book this time straight away.",
  cancelConfirm: "Yes, cancel it",
  cancelKeep: "Do not cancel",
  cancelling: "Cancelling…",
  cancelled: (ticket) => `The appointment is cancelled. Ticket ${ticket} is no longer valid.`,

  // Settings.
  settingCountdown: "Return to the start after, seconds",
  settingCountdownHint:
    "How many seconds the screen «Your appointment is booked!» waits before it goes back to the start. From 5 to 600.",
  settingKiosk: "Sign out of the account on returning to the start (for kiosks)",
  settingIdle: "Return to the start when unused for, seconds (for kiosks)",
  settingIdleHint:
    "If nobody touches the kiosk's screen for this many seconds, it warns, goes back to the start and signs out. From 30 to 1800.",
  settingPrinter: "Print tickets straight to a printer (without the print dialog)",
  settingPrinterHint: "For reception desks and kiosks: the printer's name in the system, for example Kiosk_Printer.",
  settingPrinterEmpty: "Leave it empty to choose a printer in the print dialog each time.",
  settingLanguage: "Язык / Language",
  settingLanguageHint: "As the system — the language chosen in the computer's settings.",
  languages: Object.freeze({ system: "As the system", ru: "Русский", en: "English" }),
  save: "Save",
  settingsSaved: "The settings are saved.",
  countdownInvalid: "The time before returning is from 5 to 600 seconds.",
  idleInvalid: "The time without use is from 30 to 1800 seconds.",
  idleWarning: (seconds, signedIn) =>
    `Nobody has used the screen for a while. In ${seconds} ${plural(seconds, ["second", "seconds"])} we go back to the start${signedIn ? " and sign you out" : ""}. Touch the screen or press any key to carry on.`,
});
