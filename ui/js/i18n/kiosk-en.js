// Every sentence the lobby kiosk says, in English, with the keys of
// kiosk-ru.js. Short sentences, one thing to do.

import { errorText as patientErrors, plural } from "./en.js";

export const kioskErrorText = Object.freeze({
  ...patientErrors,
  not_a_policy: "This is not an OMS policy number. Check the digits, or hold the policy's barcode to the scanner again.",
  not_identified:
    "No patient with this policy and birth date was found. Check the policy number and the birth date, or ask at the reception.",
  policy_locked: "Too many wrong attempts with this policy. Ask at the reception or try again later.",
  too_many_attempts: "Too many failed attempts at this terminal. Ask at the reception or try again later.",
  visit_ended: "Your session has timed out. Please start again.",
  device_unknown: "This terminal is not registered or has been switched off. Please call the clinic's administrator.",
  wrong_pin: "Wrong administrator PIN.",
  check_in_elsewhere: "This appointment is at another department. Check in where your appointment is.",
  check_in_closed: "The time of this appointment has passed. Please ask at the reception.",
  not_today: "You can check in only on the day of the appointment.",
  already_booked: "You already have an appointment for this service or at this time. You can see it under «My appointments».",
  slot_taken: "Someone has just taken this time. Choose another one.",
  slot_unavailable: "This time cannot be booked at the terminal. Choose another one.",
  too_late_to_cancel: "The appointment has already begun, so it cannot be cancelled. Please ask at the reception.",
  session_expired: "Your session has timed out. Please start again.",
  printer_missing: "The terminal's printer is not working. Your appointment is saved — the reception can give you the ticket.",
  print_failed: "The ticket did not print. Your appointment is saved — press «Print ticket» again or ask at the reception.",
});

/** The kiosk's English text for an error thrown by api.js, with the wait when the server gave one. */
export function describeKioskError(error) {
  const sentence = kioskErrorText[error && error.kind] || kioskErrorText.internal;
  if (error && error.retry_minutes && (error.kind === "policy_locked" || error.kind === "too_many_attempts")) {
    const minutes = error.retry_minutes;
    return `${sentence} You can try again in ${minutes} ${plural(minutes, ["minute", "minutes"])}.`;
  }
  return sentence;
}

export const kioskText = Object.freeze({
  windowTitle: "Registratura — booking terminal",
  brand: "Registratura",
  idleStay: "Continue",
  /** The eight places of a birth date on the pad, day first. */
  birthMask: "DDMMYYYY",
  startHeading: "Book a doctor's appointment",
  startLead: "Choose what you would like to do. Or hold your OMS policy's barcode to the scanner.",
  book: "Book an appointment",
  mine: "My appointments",
  arrived: "I have arrived",
  settings: "Settings",
  policyHeading: "OMS policy number",
  policyLead: "Type the 16 digits of your policy, or hold its barcode to the scanner.",
  policyShown: (count) => `${count} of 16 digits typed`,
  birthHeading: "Date of birth",
  birthLead: "Type your date of birth: day, month and year — eight digits.",
  birthInvalid: "Check the date of birth: two digits of the day, two of the month and four of the year — for example, 08031950.",
  next: "Next",
  erase: "Erase",
  clear: "Clear",
  back: "Back",
  finish: "Finish",
  hello: (initials) => `Patient: ${initials}`,
  menuHeading: "What would you like to do?",
  serviceHeading: "Which doctor?",
  serviceLead: "Choose a speciality. To find one by name, press «Search».",
  search: "Search",
  searchLabel: "Search by name",
  space: "Space",
  noServices: "Nothing was found. Delete some letters or choose from the list.",
  doctorHeading: "Choose a doctor",
  doctorNearest: (date) => `nearest appointment ${date}`,
  doctorNone: "no free time",
  dayHeading: "Choose a day",
  dayFree: (count) => `${count} free ${plural(count, ["time", "times"])}`,
  noDays: "This doctor has no free time in the next two weeks. Choose another doctor.",
  timeHeading: "Choose a time",
  noTimes: "There is no free time left on this day. Choose another day.",
  confirmHeading: "Check your appointment",
  confirmLead: "If everything is right, press «Book».",
  consentNote: "By pressing «Book» you consent to the processing of your personal data for the appointment.",
  consentRead: "Read the consent",
  confirm: "Book",
  rows: { service: "Service", doctor: "Doctor", date: "Day", time: "Time", clinic: "Clinic", room: "Room", queue: "Your place in the queue", ticket: "Ticket" },
  bookedHeading: "You are booked",
  bookedPrinted: "Your ticket is printed — take it from the printer.",
  bookedNotPrinted: "The ticket did not print. Your appointment is saved: show the ticket number at the reception.",
  another: "Book another doctor",
  printTicket: "Print ticket",
  printed: "Your ticket is printed — take it from the printer.",
  mineHeading: "My appointments",
  mineEmpty: "No upcoming appointments.",
  cancel: "Cancel the appointment",
  cancelQuestion: "Cancel this appointment?",
  cancelYes: "Yes, cancel it",
  cancelNo: "No, keep it",
  cancelled: "The appointment is cancelled. The time is free for others now.",
  arrivedHeading: "Checking in",
  arrivedLead: "Choose today's appointment.",
  arrivedNone: "You have no appointments at this clinic today. Please ask at the reception.",
  arrivedDone: "You are checked in",
  arrivedRoom: (room) => (room ? `Please go to room ${room}.` : "Please ask at the reception for the room number."),
  arrivedQueue: (place) =>
    place === 1 ? "You are first in the queue." : `${place - 1} ${plural(place - 1, ["person is", "people are"])} ahead of you.`,
  arrivedPrinted: "A slip with your room and place in the queue is printed.",
  today: "today",
  idle: (seconds) =>
    `Are you still there? In ${seconds} ${plural(seconds, ["second", "seconds"])} the terminal goes back to the start and hides your details.`,
  enrollHeading: "This terminal is not registered",
  enrollLead: "Administrator: enter the terminal key given at registration (registry-server kiosk register).",
  enrollLabel: "Terminal key",
  enroll: "Save the key",
  pinHeading: "Administrator PIN",
  pinLead: "The terminal's settings open with the administrator's PIN.",
  settingsHeading: "Terminal settings",
  printerLabel: "Ticket printer",
  printerDefault: "default printer",
  paperLabel: "Ticket size",
  stepLabel: "Seconds without a touch before returning to the start",
  save: "Save",
  saved: "The settings are saved.",
  demo: (pin) => `Demo: the terminal registered itself. The administrator PIN is ${pin}.`,
  loading: "Loading…",
});
