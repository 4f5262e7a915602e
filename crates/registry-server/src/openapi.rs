//! The OpenAPI 3 document of the API, generated from the handlers'
//! annotations and the types in `registratura_contract::api`.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::{appointments, desk, directory, kiosk, me, schedule, sync};

/// The document served at `/api/v1/openapi.json`.
#[derive(Debug, OpenApi)]
#[openapi(
    info(title = "Регистратура registry API", description = "Directory, schedules, booking and tickets of a region's patient portal. Every error is `{\"kind\", \"message\"}` with a 4xx status; `message` is Russian and fit to show a patient."),
    paths(
        crate::healthz, crate::consent, openapi_json,
        directory::organizations, directory::clinics, directory::services, directory::doctors,
        schedule::dates, schedule::slots,
        appointments::book, appointments::list, appointments::get, appointments::cancel, appointments::move_appointment,
        me::profile, me::phones, me::add_phone,
        sync::snapshot, sync::changes,
        desk::me, desk::search, desk::patient, desk::register, desk::board, desk::nearest, desk::day_list, desk::book, desk::appointment, desk::cancel,
        desk::move_appointment, desk::check_in, desk::undo_check_in, desk::no_show, desk::undo_no_show, desk::audit,
        kiosk::register, kiosk::list, kiosk::revoke, kiosk::keep_for_kiosks,
        kiosk::device, kiosk::identify, kiosk::pin, kiosk::end_visit, kiosk::appointments, kiosk::book, kiosk::cancel, kiosk::check_in,
        kiosk::dates, kiosk::slots,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "directory", description = "Organisations, clinics, services and doctors"),
        (name = "schedule", description = "Doctors' calendars and slots, in the clinic's time zone"),
        (name = "appointments", description = "Booking, the patient's appointments and cancelling"),
        (name = "patient", description = "The signed-in patient"),
        (name = "sync", description = "The feed behind the app's offline schedule cache"),
        (name = "desk", description = "The reception desk: staff sign-ins only; another clinic's objects answer 404"),
        (name = "kiosk", description = "Lobby kiosks: the device credential as the bearer token; an identified patient's visit token in Kiosk-Visit"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    }
}

/// `GET /api/v1/openapi.json` — this document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", responses((status = 200, description = "The OpenAPI 3 document")))]
pub async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}
