//! The OpenAPI 3 document of the API, generated from the handlers'
//! annotations and the types in `registratura_contract::api`.

use std::sync::OnceLock;

use serde_json::{json, Value};
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
pub async fn openapi_json() -> axum::Json<&'static Value> {
    axum::Json(document())
}

/// The document as served: the generated one, with the rules every route
/// shares written into each operation, so that it says all the server
/// enforces and answers.
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut document = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        write_shared_rules(&mut document);
        document
    })
}

/// Integer parameters that name a record: ids start at 1.
const ID_PARAMETERS: &[&str] = &["id", "service", "doctor", "clinic", "organization", "patient"];

/// Integer parameters that count versions: they start at 0.
const VERSION_PARAMETERS: &[&str] = &["since"];

/// What every route has in common, which the handlers' annotations would
/// otherwise each have to repeat (and some forgot):
/// - ids are at least 1 and versions at least 0, in parameters and bodies;
/// - `Idempotency-Key` is 1–128 visible ASCII characters;
/// - a request larger than the server's bounds answers 413 `too_large`;
/// - a request with parameters or a body can answer 400 `invalid_input`;
/// - a route behind a bearer token can answer 401.
fn write_shared_rules(document: &mut Value) {
    let error = json!({"$ref": "#/components/schemas/ApiError"});
    let answer = |description: &str| json!({"description": description, "content": {"application/json": {"schema": error.clone()}}});
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for operation in paths.values_mut().filter_map(Value::as_object_mut).flat_map(|item| item.values_mut()).filter_map(Value::as_object_mut) {
            let mut takes_input = operation.contains_key("requestBody");
            for parameter in operation.get_mut("parameters").and_then(Value::as_array_mut).into_iter().flatten() {
                takes_input = true;
                let name = parameter["name"].as_str().unwrap_or_default().to_owned();
                let schema = &mut parameter["schema"];
                if schema["type"] == "integer" {
                    if ID_PARAMETERS.contains(&name.as_str()) {
                        schema["minimum"] = json!(1);
                    } else if VERSION_PARAMETERS.contains(&name.as_str()) {
                        schema["minimum"] = json!(0);
                    }
                }
                if is_free_text(schema) && parameter["in"] == "query" {
                    parameter["schema"]["pattern"] = json!(NO_NUL_PATTERN);
                }
                if name == "Idempotency-Key" {
                    parameter["required"] = json!(true);
                    parameter["schema"] = json!({"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN, "minLength": 1, "maxLength": 128});
                }
            }
            let secured = operation.get("security").and_then(Value::as_array).is_some_and(|security| !security.is_empty());
            let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) else { continue };
            responses.entry("413").or_insert_with(|| answer("too_large: the request is larger than the server takes"));
            if takes_input {
                responses.entry("400").or_insert_with(|| answer("invalid_input: the request does not have this document's shape"));
            }
            if secured {
                responses.entry("401").or_insert_with(|| answer("unauthorized: no token, or one that has expired or was revoked"));
            }
        }
    }
    if let Some(schemas) = document.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        schemas.values_mut().for_each(number_ids_from_one);
    }
    write_links(document);
}

/// What a created record leads to: (the creating `POST`, the field of its
/// 201 body that is the new id, extra parameters taken from the request,
/// and the operations on that id).
type Link = (&'static str, &'static str, &'static [(&'static str, &'static str)], &'static [(&'static str, &'static str)]);

const LINKS: &[Link] = &[
    (
        "/api/v1/appointments",
        "id",
        &[],
        &[("get", "/api/v1/appointments/{id}"), ("post", "/api/v1/appointments/{id}/cancel"), ("post", "/api/v1/appointments/{id}/move")],
    ),
    (
        "/api/v1/desk/appointments",
        "id",
        &[],
        &[
            ("get", "/api/v1/desk/appointments/{id}"),
            ("post", "/api/v1/desk/appointments/{id}/cancel"),
            ("post", "/api/v1/desk/appointments/{id}/move"),
            ("post", "/api/v1/desk/appointments/{id}/check-in"),
            ("post", "/api/v1/desk/appointments/{id}/check-in/undo"),
            ("post", "/api/v1/desk/appointments/{id}/no-show"),
            ("post", "/api/v1/desk/appointments/{id}/no-show/undo"),
        ],
    ),
    (
        "/api/v1/kiosk/appointments",
        "id",
        &[],
        &[("post", "/api/v1/kiosk/appointments/{id}/cancel"), ("post", "/api/v1/kiosk/appointments/{id}/check-in")],
    ),
    ("/api/v1/desk/patients", "patient_id", &[("query.clinic", "$request.body#/clinic")], &[("get", "/api/v1/desk/patients/{id}")]),
];

/// OpenAPI links from each creating `POST`'s 201 to the operations on the
/// record it made: a client (and a stateful test) follows them with the id.
fn write_links(document: &mut Value) {
    for (creator, id_field, extra, targets) in LINKS {
        let mut links = serde_json::Map::new();
        for (method, target) in *targets {
            let mut parameters = serde_json::Map::new();
            parameters.insert("path.id".to_owned(), json!(format!("$response.body#/{id_field}")));
            for (name, expression) in *extra {
                parameters.insert((*name).to_owned(), json!(expression));
            }
            let tail = target.rsplit_once("{id}").map_or("", |(_, tail)| tail).replace('/', "-");
            links.insert(
                format!("{method}{tail}"),
                json!({"operationRef": format!("#/paths/{}/{method}", target.replace('~', "~0").replace('/', "~1")), "parameters": parameters}),
            );
        }
        if let Some(created) = document.pointer_mut(&format!("/paths/{}/post/responses/201", creator.replace('/', "~1"))) {
            created["links"] = Value::Object(links);
        }
    }
}

/// The pattern of text that says nothing stricter: anything but NUL, which
/// the server refuses in every query and body (`extract::NUL_REFUSED`).
pub const NO_NUL_PATTERN: &str = "^[^\\u0000]*$";

/// A string schema with no pattern, format or list of values of its own.
fn is_free_text(schema: &Value) -> bool {
    let string = schema["type"] == "string" || schema["type"].as_array().is_some_and(|types| types.contains(&json!("string")));
    string && schema.get("pattern").is_none() && schema.get("format").is_none() && schema.get("enum").is_none()
}

/// The pattern of an `Idempotency-Key`: as `routes::appointments::idempotency_key` checks it.
pub const IDEMPOTENCY_KEY_PATTERN: &str = "^[!-~]{1,128}$";

/// Gives every integer property called `id` or `…_id` in `schema` (and the
/// schemas inside it) a minimum of 1.
fn number_ids_from_one(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else { return };
    if let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, property) in properties.iter_mut() {
            let integer = property["type"] == "integer" || property["type"].as_array().is_some_and(|types| types.contains(&json!("integer")));
            if (name == "id" || name.ends_with("_id")) && integer {
                property["minimum"] = json!(1);
            }
            if is_free_text(property) {
                property["pattern"] = json!(NO_NUL_PATTERN);
            }
            number_ids_from_one(property);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        object.get_mut(key).and_then(Value::as_array_mut).into_iter().flatten().for_each(number_ids_from_one);
    }
    if let Some(items) = object.get_mut("items") {
        number_ids_from_one(items);
    }
}
