//! The booking rules, written once for both backends.
//!
//! Each backend gathers the [`Facts`] of a group of bookings its own way
//! (SQLite statement by statement on its one writer, PostgreSQL in a few
//! set-based statements after locking the group's patients and slots) and
//! hands them to [`decide_group`], which says for each booking what to write
//! or why it is refused. Only then does the backend write: the claim of each
//! planned slot and its appointment. Keeping the rules here, as one pure
//! function, is what lets the desk, the kiosk and later features add a rule
//! once and test it without a database (the unit tests below) as well as on
//! both backends (`tests/api/rules.rs`).

use std::collections::HashMap;

use registratura_contract::api::{Channel, Clash};

/// Why a booking is refused: the one refusal type of the server. Each has a
/// stable `kind` (the API's) and nothing free-text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The patient's ESIA account is not confirmed, so they may not book online.
    AccountUnconfirmed,
    /// The same `Idempotency-Key` came with another body.
    IdempotencyConflict,
    /// The consent agreed to is not the one in force.
    ConsentRequired,
    /// No such slot, or one the actor may not see (another clinic's).
    SlotNotFound,
    /// The slot's doctor does not offer the service asked for.
    ServiceNotOffered,
    /// The slot has already started.
    SlotInPast,
    /// The slot is kept for the reception desk and the actor is not it.
    SlotReserved,
    /// Someone else holds the slot.
    SlotTaken,
    /// The patient already holds an appointment that overlaps this one or is
    /// for the same service in the same clinic; its ticket number, and which.
    AlreadyBooked { ticket: i64, clash: Clash },
}

impl Refusal {
    /// The stable machine-readable class, as the API sends it.
    pub fn kind(self) -> &'static str {
        match self {
            Refusal::AccountUnconfirmed => "account_unconfirmed",
            Refusal::IdempotencyConflict => "idempotency_conflict",
            Refusal::ConsentRequired => "consent_required",
            Refusal::SlotNotFound => "not_found",
            Refusal::ServiceNotOffered => "service_not_offered",
            Refusal::SlotInPast => "slot_in_past",
            Refusal::SlotReserved => "slot_unavailable",
            Refusal::SlotTaken => "slot_taken",
            Refusal::AlreadyBooked { .. } => "already_booked",
        }
    }

    /// Every refusal, for tests that must provoke each one.
    pub const ALL_KINDS: [&'static str; 9] = [
        "account_unconfirmed",
        "idempotency_conflict",
        "consent_required",
        "not_found",
        "service_not_offered",
        "slot_in_past",
        "slot_unavailable",
        "slot_taken",
        "already_booked",
    ];
}

/// Who books, as far as the rules care: the channel comes from the
/// credential the request came with, never from its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub channel: Channel,
    /// The clinics the actor may book in; `None` for a patient, who may book
    /// in any clinic of the region.
    pub clinics: Option<Vec<i64>>,
    /// Whether the patient's own ESIA confirmation is required: a patient
    /// booking online needs a confirmed account; a registrar who has seen
    /// the patient's documents at the window vouches for them instead.
    pub needs_confirmed_account: bool,
}

impl Actor {
    /// A patient booking for themselves over the internet.
    pub fn patient() -> Self {
        Actor { channel: Channel::Internet, clinics: None, needs_confirmed_account: true }
    }

    /// A patient identified at a kiosk of an organisation, booking in its
    /// `clinics`. The patient showed their policy and birth date at the
    /// clinic's own screen rather than signing in to ESIA, so an
    /// unconfirmed ESIA account does not stop them, as it does not at the
    /// desk; otherwise the internet's rules hold, and the slots kept from
    /// online booking stay closed unless the clinic keeps them for kiosks.
    pub fn kiosk(clinics: Vec<i64>) -> Self {
        Actor { channel: Channel::Kiosk, clinics: Some(clinics), needs_confirmed_account: false }
    }

    /// A registrar of `clinics` booking for a patient at the desk.
    pub fn desk(clinics: Vec<i64>) -> Self {
        Actor { channel: Channel::Reception, clinics: Some(clinics), needs_confirmed_account: false }
    }

    /// Whether this actor may claim a slot kept for the reception desk.
    pub fn may_book_reserved(&self) -> bool {
        matches!(self.channel, Channel::Reception | Channel::CallCentre)
    }

    /// Whether this actor may claim a slot kept from online booking; the
    /// kiosk only one the clinic keeps for its kiosks too.
    pub fn may_claim_reserved(&self, kiosk_kept: bool) -> bool {
        self.may_book_reserved() || (self.channel == Channel::Kiosk && kiosk_kept)
    }

    /// [`Actor::may_claim_reserved`] for the slot of `facts`.
    pub fn may_claim_reserved_in(&self, facts: &Facts) -> bool {
        self.may_claim_reserved(facts.slot.is_some_and(|slot| slot.kiosk_kept))
    }

    fn may_see_clinic(&self, clinic_id: i64) -> bool {
        self.clinics.as_ref().is_none_or(|clinics| clinics.contains(&clinic_id))
    }
}

/// One booking as the rules see it.
#[derive(Debug, Clone)]
pub struct Ask<'a> {
    pub actor: &'a Actor,
    pub patient_id: i64,
    pub slot_id: i64,
    pub service_id: i64,
    pub consent_version: &'a str,
    pub idempotency_key: &'a str,
    pub request_hash: &'a str,
    /// Unix seconds.
    pub now: i64,
}

/// A slot's state as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotState {
    Free,
    Busy,
    /// Kept for the reception desk («только в регистратуре»).
    Reserved,
}

impl SlotState {
    /// Reads the word stored in the database.
    pub fn from_db(word: &str) -> Option<Self> {
        Some(match word {
            "free" => SlotState::Free,
            "busy" => SlotState::Busy,
            "unavailable" => SlotState::Reserved,
            _ => return None,
        })
    }
}

/// What the database says about a booking's slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotFacts {
    pub starts_at: i64,
    pub ends_at: i64,
    pub state: SlotState,
    pub clinic_id: i64,
    pub offers_service: bool,
    /// Kept from online booking for the desk and for the clinic's kiosks too.
    pub kiosk_kept: bool,
}

/// One of the patient's active appointments that has not ended yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub ticket: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub service_id: i64,
    pub clinic_id: i64,
}

/// Everything the rules need to know about one booking, read from the
/// database before any of its group is written.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// `None` when the patient does not exist.
    pub confirmed: Option<bool>,
    /// An earlier appointment of this patient with the same key: its id and
    /// request digest.
    pub earlier: Option<(i64, String)>,
    /// The consent version in force.
    pub current_consent: Option<String>,
    /// `None` when there is no such slot.
    pub slot: Option<SlotFacts>,
    /// The patient's active appointments that have not ended, by start.
    pub held: Vec<Held>,
}

/// What to do for a booking the rules let through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Claim the slot and write the appointment.
    Book { clinic_id: i64, starts_at: i64, ends_at: i64 },
    /// A retry of a booking made earlier: answer that appointment.
    Replay { appointment_id: i64 },
    /// A retry of booking `index` of this very group: answer what it got.
    ReplayOfGroupItem { index: usize },
}

/// The outcome of the rules for one booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Write or answer as planned.
    Planned(Plan),
    Refused(Refusal),
    /// Refused as [`Refusal::AlreadyBooked`] because of booking `index` of
    /// the same group, whose ticket number is known only once it is written.
    ClashesWithGroupItem { index: usize, clash: Clash },
    /// There is no such patient (a token of a patient since removed).
    UnknownPatient,
}

impl Decision {
    /// The final answer, once the group's planned bookings have their ticket
    /// numbers (`tickets[i]` for booking `i`).
    pub fn with_group_tickets(self, tickets: &[Option<i64>]) -> Decision {
        match self {
            Decision::ClashesWithGroupItem { index, clash } => match tickets.get(index).copied().flatten() {
                Some(ticket) => Decision::Refused(Refusal::AlreadyBooked { ticket, clash }),
                // The booking it clashed with was not written after all, so
                // nothing of this group stands in its way; it is refused as
                // taken, and a retry books it.
                None => Decision::Refused(Refusal::SlotTaken),
            },
            other => other,
        }
    }
}

/// Decides each booking of a group in order, as if each were booked before
/// the next is looked at: a slot planned for one is taken for the rest, and
/// a patient's planned appointment counts against their next.
pub fn decide_group(asks: &[Ask<'_>], facts: &[Facts]) -> Vec<Decision> {
    let mut planned_slots: HashMap<i64, usize> = HashMap::new();
    let mut planned_keys: HashMap<(i64, &str), (usize, &str)> = HashMap::new();
    // A planned appointment has no ticket number yet: its booking's index
    // stands for it until the group is written.
    let mut planned_held: HashMap<i64, Vec<(usize, Held)>> = HashMap::new();
    let mut decisions = Vec::with_capacity(asks.len());
    for (index, (ask, facts)) in asks.iter().zip(facts).enumerate() {
        let in_group = InGroup {
            slot_taken: planned_slots.contains_key(&ask.slot_id),
            earlier: planned_keys.get(&(ask.patient_id, ask.idempotency_key)).copied(),
            held: planned_held.get(&ask.patient_id).map(Vec::as_slice).unwrap_or_default(),
        };
        let decision = decide(ask, facts, &in_group);
        if let Decision::Planned(Plan::Book { clinic_id, starts_at, ends_at }) = decision {
            planned_slots.insert(ask.slot_id, index);
            planned_keys.insert((ask.patient_id, ask.idempotency_key), (index, ask.request_hash));
            let held = Held { ticket: 0, starts_at, ends_at, service_id: ask.service_id, clinic_id };
            planned_held.entry(ask.patient_id).or_default().push((index, held));
        }
        decisions.push(decision);
    }
    decisions
}

/// What earlier bookings of the same group planned, as one booking sees it.
#[derive(Debug)]
struct InGroup<'a> {
    slot_taken: bool,
    earlier: Option<(usize, &'a str)>,
    /// The patient's planned appointments, with the index of their booking.
    held: &'a [(usize, Held)],
}

/// The rules, in the order the API promises: who books, a retry, consent,
/// the slot, then the patient's other appointments.
fn decide(ask: &Ask<'_>, facts: &Facts, in_group: &InGroup<'_>) -> Decision {
    let Some(confirmed) = facts.confirmed else {
        return Decision::UnknownPatient;
    };
    let plan = match decide_up_to_clashes(ask, facts, in_group, confirmed) {
        Ok(plan) => plan,
        Err(refusal) => return Decision::Refused(refusal),
    };
    let Plan::Book { clinic_id, starts_at, ends_at } = plan else {
        return Decision::Planned(plan);
    };
    // The last rule: no appointment of the patient's that overlaps this one
    // or is for the same service in the same clinic; the earliest is named.
    // An overlap in time is named first: it holds whatever the service.
    let clash = |held: &Held| {
        if held.ends_at <= ask.now {
            None
        } else if held.starts_at < ends_at && held.ends_at > starts_at {
            Some(Clash::SameTime)
        } else if held.service_id == ask.service_id && held.clinic_id == clinic_id {
            Some(Clash::SameService)
        } else {
            None
        }
    };
    let stored = facts.held.iter().filter_map(|held| Some((held, clash(held)?))).min_by_key(|(held, _)| held.starts_at);
    let planned = in_group
        .held
        .iter()
        .filter_map(|(index, held)| Some((*index, held, clash(held)?)))
        .min_by_key(|(_, held, _)| held.starts_at);
    match (stored, planned) {
        (Some((stored, _)), Some((index, planned, clash))) if planned.starts_at < stored.starts_at => {
            Decision::ClashesWithGroupItem { index, clash }
        }
        (Some((stored, clash)), _) => Decision::Refused(Refusal::AlreadyBooked { ticket: stored.ticket, clash }),
        (None, Some((index, _, clash))) => Decision::ClashesWithGroupItem { index, clash },
        (None, None) => Decision::Planned(plan),
    }
}

/// Every rule but the clash with the patient's other appointments.
fn decide_up_to_clashes(ask: &Ask<'_>, facts: &Facts, in_group: &InGroup<'_>, confirmed: bool) -> Result<Plan, Refusal> {
    if ask.actor.needs_confirmed_account && !confirmed {
        return Err(Refusal::AccountUnconfirmed);
    }
    if let Some((appointment_id, hash)) = &facts.earlier {
        return if hash == ask.request_hash { Ok(Plan::Replay { appointment_id: *appointment_id }) } else { Err(Refusal::IdempotencyConflict) };
    }
    if let Some((index, hash)) = in_group.earlier {
        return if hash == ask.request_hash { Ok(Plan::ReplayOfGroupItem { index }) } else { Err(Refusal::IdempotencyConflict) };
    }
    if facts.current_consent.as_deref() != Some(ask.consent_version) {
        return Err(Refusal::ConsentRequired);
    }
    let slot = facts.slot.filter(|slot| ask.actor.may_see_clinic(slot.clinic_id)).ok_or(Refusal::SlotNotFound)?;
    if !slot.offers_service {
        return Err(Refusal::ServiceNotOffered);
    }
    if slot.starts_at <= ask.now {
        return Err(Refusal::SlotInPast);
    }
    match slot.state {
        SlotState::Busy => return Err(Refusal::SlotTaken),
        SlotState::Reserved if !ask.actor.may_claim_reserved(slot.kiosk_kept) => return Err(Refusal::SlotReserved),
        SlotState::Reserved | SlotState::Free => {}
    }
    if in_group.slot_taken {
        return Err(Refusal::SlotTaken);
    }
    Ok(Plan::Book { clinic_id: slot.clinic_id, starts_at: slot.starts_at, ends_at: slot.ends_at })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_000_000;

    fn facts() -> Facts {
        Facts {
            confirmed: Some(true),
            earlier: None,
            current_consent: Some("v1".to_owned()),
            slot: Some(SlotFacts { starts_at: NOW + 3600, ends_at: NOW + 4500, state: SlotState::Free, clinic_id: 7, offers_service: true, kiosk_kept: false }),
            held: Vec::new(),
        }
    }

    fn ask(actor: &Actor) -> Ask<'_> {
        Ask {
            actor,
            patient_id: 1,
            slot_id: 10,
            service_id: 3,
            consent_version: "v1",
            idempotency_key: "k1",
            request_hash: "h1",
            now: NOW,
        }
    }

    fn one(ask: &Ask<'_>, facts: Facts) -> Decision {
        decide_group(std::slice::from_ref(ask), &[facts]).remove(0)
    }

    #[test]
    fn a_free_slot_is_booked() {
        let actor = Actor::patient();
        assert_eq!(one(&ask(&actor), facts()), Decision::Planned(Plan::Book { clinic_id: 7, starts_at: NOW + 3600, ends_at: NOW + 4500 }));
    }

    #[test]
    fn every_refusal_has_its_cause() {
        let patient = Actor::patient();
        let desk_elsewhere = Actor::desk(vec![8]);
        let refused = |ask: Ask<'_>, facts: Facts| match one(&ask, facts) {
            Decision::Refused(refusal) => refusal,
            other => panic!("not refused: {other:?}"),
        };
        let with = |change: &dyn Fn(&mut Facts)| {
            let mut facts = facts();
            change(&mut facts);
            facts
        };
        assert_eq!(refused(ask(&patient), with(&|f| f.confirmed = Some(false))), Refusal::AccountUnconfirmed);
        assert_eq!(refused(ask(&patient), with(&|f| f.earlier = Some((5, "other".to_owned())))), Refusal::IdempotencyConflict);
        assert_eq!(refused(ask(&patient), with(&|f| f.current_consent = Some("v2".to_owned()))), Refusal::ConsentRequired);
        assert_eq!(refused(ask(&patient), with(&|f| f.slot = None)), Refusal::SlotNotFound);
        assert_eq!(refused(ask(&desk_elsewhere), facts()), Refusal::SlotNotFound);
        assert_eq!(refused(ask(&patient), with(&|f| f.slot.as_mut().expect("slot").offers_service = false)), Refusal::ServiceNotOffered);
        assert_eq!(refused(ask(&patient), with(&|f| f.slot.as_mut().expect("slot").starts_at = NOW)), Refusal::SlotInPast);
        assert_eq!(refused(ask(&patient), with(&|f| f.slot.as_mut().expect("slot").state = SlotState::Reserved)), Refusal::SlotReserved);
        assert_eq!(refused(ask(&patient), with(&|f| f.slot.as_mut().expect("slot").state = SlotState::Busy)), Refusal::SlotTaken);
        let overlapping = Held { ticket: 1234567, starts_at: NOW + 4000, ends_at: NOW + 4900, service_id: 99, clinic_id: 1 };
        assert_eq!(refused(ask(&patient), with(&|f| f.held = vec![overlapping])), Refusal::AlreadyBooked { ticket: 1234567, clash: Clash::SameTime });
        let same_service = Held { ticket: 7654321, starts_at: NOW + 86_400, ends_at: NOW + 87_000, service_id: 3, clinic_id: 7 };
        assert_eq!(refused(ask(&patient), with(&|f| f.held = vec![same_service])), Refusal::AlreadyBooked { ticket: 7654321, clash: Clash::SameService });
    }

    #[test]
    fn the_desk_books_reserved_slots_and_unconfirmed_patients_in_its_clinics() {
        let desk = Actor::desk(vec![7]);
        let mut reserved = facts();
        reserved.slot.as_mut().expect("slot").state = SlotState::Reserved;
        reserved.confirmed = Some(false);
        assert!(matches!(one(&ask(&desk), reserved), Decision::Planned(Plan::Book { .. })));
    }

    #[test]
    fn a_kiosk_books_in_its_organisation_and_only_the_reserved_slots_kept_for_kiosks() {
        let kiosk = Actor::kiosk(vec![7]);
        let mut unconfirmed = facts();
        unconfirmed.confirmed = Some(false);
        assert!(matches!(one(&ask(&kiosk), unconfirmed), Decision::Planned(Plan::Book { .. })));
        let mut reserved = facts();
        reserved.slot.as_mut().expect("slot").state = SlotState::Reserved;
        assert_eq!(one(&ask(&kiosk), reserved.clone()), Decision::Refused(Refusal::SlotReserved));
        reserved.slot.as_mut().expect("slot").kiosk_kept = true;
        assert!(kiosk.may_claim_reserved_in(&reserved));
        assert!(matches!(one(&ask(&kiosk), reserved.clone()), Decision::Planned(Plan::Book { .. })));
        // A slot kept for kiosks is still closed to the internet.
        assert_eq!(one(&ask(&Actor::patient()), reserved), Decision::Refused(Refusal::SlotReserved));
        assert_eq!(one(&ask(&Actor::kiosk(vec![8])), facts()), Decision::Refused(Refusal::SlotNotFound));
    }

    #[test]
    fn a_replay_answers_the_earlier_booking_before_any_other_rule() {
        let actor = Actor::patient();
        let mut earlier = facts();
        earlier.earlier = Some((42, "h1".to_owned()));
        earlier.slot.as_mut().expect("slot").state = SlotState::Busy;
        assert_eq!(one(&ask(&actor), earlier), Decision::Planned(Plan::Replay { appointment_id: 42 }));
    }

    #[test]
    fn an_unknown_patient_is_not_a_refusal() {
        let actor = Actor::patient();
        let mut unknown = facts();
        unknown.confirmed = None;
        assert_eq!(one(&ask(&actor), unknown), Decision::UnknownPatient);
    }

    #[test]
    fn bookings_of_one_group_see_each_other() {
        let actor = Actor::patient();
        let first = ask(&actor);
        // The same slot for another patient: taken by the first.
        let rival = Ask { patient_id: 2, idempotency_key: "k2", ..first.clone() };
        // The first patient again, another slot at an overlapping time.
        let overlap = Ask { slot_id: 11, idempotency_key: "k3", ..first.clone() };
        // The first booking sent again with its key: a replay of it.
        let retry = first.clone();
        let asks = [first, rival, overlap, retry];
        let decisions = decide_group(&asks, &[facts(), facts(), facts(), facts()]);
        assert!(matches!(decisions[0], Decision::Planned(Plan::Book { .. })));
        assert_eq!(decisions[1], Decision::Refused(Refusal::SlotTaken));
        assert_eq!(decisions[2], Decision::ClashesWithGroupItem { index: 0, clash: Clash::SameTime });
        assert_eq!(decisions[3], Decision::Planned(Plan::ReplayOfGroupItem { index: 0 }));
        let written = [Some(1234567), None, None, None];
        assert_eq!(decisions[2].clone().with_group_tickets(&written), Decision::Refused(Refusal::AlreadyBooked { ticket: 1234567, clash: Clash::SameTime }));
    }

    #[test]
    fn kinds_are_listed_once_each() {
        let mut kinds = Refusal::ALL_KINDS.to_vec();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds.len(), Refusal::ALL_KINDS.len());
    }
}
