use serde_json::Value;

use crate::support::on_both_backends;

/// Every route of the public contract, as (method, path template).
const CONTRACT: &[(&str, &str)] = &[
    ("get", "/healthz"),
    ("get", "/api/v1/openapi.json"),
    ("get", "/api/v1/organizations"),
    ("get", "/api/v1/organizations/{id}/clinics"),
    ("get", "/api/v1/clinics/{id}/services"),
    ("get", "/api/v1/clinics/{id}/doctors"),
    ("get", "/api/v1/doctors/{id}/dates"),
    ("get", "/api/v1/doctors/{id}/slots"),
    ("get", "/api/v1/consent"),
    ("post", "/api/v1/appointments"),
    ("get", "/api/v1/appointments"),
    ("get", "/api/v1/appointments/{id}"),
    ("post", "/api/v1/appointments/{id}/cancel"),
    ("post", "/api/v1/appointments/{id}/move"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/me/phones"),
    ("post", "/api/v1/me/phones"),
    ("get", "/api/v1/sync/snapshot"),
    ("get", "/api/v1/sync/changes"),
    ("get", "/api/v1/desk/me"),
    ("get", "/api/v1/desk/patients"),
    ("post", "/api/v1/desk/patients"),
    ("get", "/api/v1/desk/patients/{id}"),
    ("get", "/api/v1/desk/clinics/{id}/board"),
    ("get", "/api/v1/desk/clinics/{id}/nearest"),
    ("get", "/api/v1/desk/doctors/{id}/day-list"),
    ("post", "/api/v1/desk/appointments"),
    ("get", "/api/v1/desk/appointments/{id}"),
    ("post", "/api/v1/desk/appointments/{id}/cancel"),
    ("post", "/api/v1/desk/appointments/{id}/move"),
    ("post", "/api/v1/desk/appointments/{id}/check-in"),
    ("post", "/api/v1/desk/appointments/{id}/check-in/undo"),
    ("post", "/api/v1/desk/appointments/{id}/no-show"),
    ("post", "/api/v1/desk/appointments/{id}/no-show/undo"),
    ("get", "/api/v1/desk/audit"),
    ("post", "/api/v1/desk/kiosks"),
    ("get", "/api/v1/desk/kiosks"),
    ("post", "/api/v1/desk/kiosks/{id}/revoke"),
    ("put", "/api/v1/desk/slots/{id}/kiosk"),
    ("get", "/api/v1/kiosk/device"),
    ("post", "/api/v1/kiosk/identify"),
    ("post", "/api/v1/kiosk/pin"),
    ("delete", "/api/v1/kiosk/visit"),
    ("get", "/api/v1/kiosk/appointments"),
    ("post", "/api/v1/kiosk/appointments"),
    ("post", "/api/v1/kiosk/appointments/{id}/cancel"),
    ("post", "/api/v1/kiosk/appointments/{id}/check-in"),
    ("get", "/api/v1/kiosk/doctors/{id}/dates"),
    ("get", "/api/v1/kiosk/doctors/{id}/slots"),
];

on_both_backends!(the_openapi_document_describes_every_route, |app| {
    let (status, document) = app.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(document["openapi"].as_str().is_some_and(|version| version.starts_with("3.")));
    let paths = document["paths"].as_object().expect("paths");
    for (method, path) in CONTRACT {
        let operation = &paths.get(*path).unwrap_or_else(|| panic!("{path} is not documented"))[*method];
        assert!(operation.is_object(), "{method} {path} is not documented");
        assert!(operation["responses"].as_object().is_some_and(|r| !r.is_empty()), "{method} {path} has no responses");
    }
    let documented: usize = paths.values().map(|item| item.as_object().map_or(0, |ops| ops.len())).sum();
    assert_eq!(documented, CONTRACT.len(), "the document describes exactly the contract");

    // Every documented route exists: it never answers the router's 404.
    for (method, path) in CONTRACT {
        let url = app.url(&path.replace("{id}", "1"));
        let request = match *method {
            "get" => app.http.get(url),
            "put" => app.http.put(url),
            "delete" => app.http.delete(url),
            _ => app.http.post(url),
        };
        let response = request.send().await.expect("request");
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_ne!(body["message"].as_str().map(|m| m.contains("такого адреса нет")), Some(true), "{method} {path}");
    }

    let schemas = document["components"]["schemas"].as_object().expect("schemas");
    for name in ["Appointment", "BookingRequest", "ApiError", "Slot", "SlotStatus", "Day", "Doctor", "SyncSnapshot", "Phone", "Profile"] {
        assert!(schemas.contains_key(name), "schema {name}");
    }
    assert_eq!(document["components"]["schemas"]["SlotStatus"]["enum"], serde_json::json!(["free", "busy", "unavailable"]));
    let booking = &paths["/api/v1/appointments"]["post"];
    let key = booking["parameters"].as_array().expect("parameters").iter().find(|p| p["name"] == "Idempotency-Key" && p["in"] == "header");
    assert_eq!(key.map(|key| (&key["required"], &key["schema"]["pattern"])), Some((&serde_json::json!(true), &serde_json::json!("^[!-~]{1,128}$"))));
    // What the server enforces is said: ids from 1, the phone's pattern, the sizes it refuses.
    assert_eq!(paths["/api/v1/appointments/{id}"]["get"]["parameters"][0]["schema"]["minimum"], 1);
    assert_eq!(schemas["BookingRequest"]["properties"]["slot_id"]["minimum"], 1);
    assert_eq!(schemas["Phone"]["pattern"], "^\\+7[3489]\\d{9}$");
    assert!(booking["responses"]["413"].is_object() && booking["responses"]["401"].is_object());
    // Every link from a booking or a registration names an operation the document has.
    let mut links = 0;
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("operations") {
            for link in operation["responses"]["201"]["links"].as_object().into_iter().flat_map(|links| links.values()) {
                let target = link["operationRef"].as_str().expect("operationRef").trim_start_matches('#');
                assert!(document.pointer(target).is_some_and(Value::is_object), "{method} {path} links to {target}, which is not in the document");
                links += 1;
            }
        }
    }
    assert!(links >= 13, "{links} links");
});
