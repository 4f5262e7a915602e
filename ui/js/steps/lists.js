// The four list questions: organisation, clinic, service and doctor. Lists
// come from the local schedule cache, so a search asks again (after a short
// pause in typing) instead of filtering in the page.

import * as api from "../api.js";
import { createChoiceList } from "../components/choice-list.js";
import { createNearestTime } from "../components/nearest-time.js";
import { dayMonth, fullName } from "../format.js";
import { text } from "../i18n/index.js";

/** How long typing must pause before the list is asked again. */
const SEARCH_PAUSE_MS = 150;

export const organization = listStep({
  name: "organization",
  heading: text.chooseOrganization,
  label: text.searchByName,
  fetch: (answers, query) => api.organizations(query),
  describe: (item) => ({ title: item.name, details: [item.address] }),
});

export const clinic = listStep({
  name: "clinic",
  heading: text.chooseClinic,
  label: text.searchByName,
  fetch: (answers, query) => api.clinics(answers.organization.id, query),
  describe: (item) => ({ title: item.name, details: [item.address] }),
});

export const service = listStep({
  name: "service",
  heading: text.chooseService,
  label: text.searchService,
  fetch: (answers, query) => api.services(answers.clinic.id, query),
  describe: (item) => ({ lead: text.serviceCode(item.code), title: item.name }),
});

export const doctor = listStep({
  name: "doctor",
  heading: text.chooseDoctor,
  label: text.searchDoctor,
  fetch: (answers, query) => api.doctors(answers.clinic.id, answers.service.id, query),
  describe: (item) => ({
    title: fullName(item),
    details: [item.position, item.nearest_free_date && text.nearestDate(dayMonth(item.nearest_free_date))],
  }),
  // Before the doctors: for a patient to whom any doctor will do.
  before: (ctx) =>
    createNearestTime({
      answers: ctx.state.answers,
      initial: takeOffer(ctx.state),
      load: ctx.load,
      alive: ctx.alive,
      say: ctx.say,
      fail: ctx.fail,
      onTake: (found) =>
        ctx.take({
          organization: found.organization,
          clinic: found.clinic,
          doctor: found.doctor,
          date: found.date,
          time: found.slot,
        }),
    }).element,
});

/** The offer a booking again found for the doctor step, shown once. */
function takeOffer(state) {
  const offer = state.offer;
  state.offer = null;
  return offer;
}

function listStep({ name, heading, label, fetch, describe, before }) {
  return (ctx) => {
    ctx.heading(heading);
    const list = createChoiceList({
      label,
      describe,
      chosenId: ctx.state.answers[name]?.id,
      onSearch: ctx.debounce((query) => show(query, true), SEARCH_PAUSE_MS),
      onChoose: ctx.choose,
      emptyText: (query) => (query ? text.nothingFound(query) : text.emptyList[name]),
    });
    if (before) ctx.body.append(before(ctx));
    ctx.body.append(list.element);

    async function show(query, announce) {
      try {
        const items = await ctx.load(fetch(ctx.state.answers, query));
        // A later keystroke has its own request on the way: this answer is stale.
        if (!ctx.alive() || query !== list.query()) return;
        list.show(items, query);
        if (announce) ctx.say(text.found(items.length));
      } catch (error) {
        ctx.fail(error);
      }
    }

    show("", false);
    ctx.onRefresh(() => show(list.query(), false));
  };
}
