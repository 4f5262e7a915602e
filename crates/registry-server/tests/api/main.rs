//! The registry server's API, over real HTTP, on both backends: every test
//! below runs once on SQLite and once on PostgreSQL (the `postgres` variants
//! need `REGISTRATURA_TEST_PG_URL`, which scripts/test provides).

// spawn_app() on either backend, tokens, and walking the API to a free slot.
mod support;
// Organisations, clinics, services and doctors, with search.
mod directory;
// Doctors' calendars and the slots of a day.
mod schedule;
// Booking, its rules, idempotency, cancelling and authorisation.
mod booking;
// Every booking refusal provoked, the desk's reserved slots among them.
mod rules;
// The reception desk: staff sign-ins, role boundaries, search, registration,
// booking, moving, cancelling, check-in and the audit.
mod desk;
// Lobby kiosks: devices, identification with its lockout and rate limit,
// visits bound to their device, booking, check-in and the admins' routes.
mod kiosk;
// Moving an appointment from «Записи на приём».
mod moves;
// Public reads on a hot standby, a patient's own on the primary.
mod replica;
// Many clients racing for one slot: exactly one wins.
mod race;
// Bad input on every route: a 4xx with a JSON body, never a 5xx.
mod bad_input;
// Signing in: the OAuth broker with PKCE in front of the ESIA sandbox.
mod login;
// The app's login core against our broker and against a certified
// OpenID provider from npm: id_tokens, nonce, iss, refresh and revocation.
mod openid;
// The OpenAPI document covers exactly the contract's routes.
mod openapi;
// Schemathesis, from the document, finds no answer that contradicts it.
mod contract_fuzz;
// The sync feed: snapshot and changes.
mod sync;
// The profile and its phones.
mod me;
// The binary: demo-token, and clinic times whatever the machine's zone.
mod binary;
// The server builds without the desktop's keyring, PDF and GUI libraries.
mod dependencies;
