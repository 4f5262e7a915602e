use registratura_core::api::{Clinic, Doctor, Organization, Service};

use crate::support::on_both_backends;

on_both_backends!(organizations_clinics_services_doctors_walk_down, |app| {
    let organizations: Vec<Organization> = app.typed("/api/v1/organizations").await;
    assert!(organizations.len() >= 5);

    // Cyrillic search is case-insensitive on both backends.
    let dental: Vec<Organization> = app.typed("/api/v1/organizations?q=%D0%A1%D0%A2%D0%9E%D0%9C%D0%90%D0%A2").await;
    assert_eq!(dental.len(), 1, "«СТОМАТ» finds the dental clinic: {dental:?}");
    assert!(dental[0].name.contains("стоматологическая"));

    let clinics: Vec<Clinic> = app.typed(&format!("/api/v1/organizations/{}/clinics", dental[0].id)).await;
    assert!(!clinics.is_empty());
    assert!(clinics.iter().all(|clinic| clinic.organization_id == dental[0].id));

    let services: Vec<Service> = app.typed(&format!("/api/v1/clinics/{}/services", clinics[0].id)).await;
    assert!(services.iter().any(|service| service.code == "B01.064.001"));
    let by_code: Vec<Service> = app.typed(&format!("/api/v1/clinics/{}/services?q=B01.064.002", clinics[0].id)).await;
    assert_eq!(by_code.len(), 1);
    assert!(by_code[0].name.contains("повторный"));
    let by_name: Vec<Service> = app.typed(&format!("/api/v1/clinics/{}/services?q=%D0%BF%D0%B5%D1%80%D0%B2%D0%B8%D1%87%D0%BD%D1%8B%D0%B9", clinics[0].id)).await;
    assert!(by_name.iter().all(|service| service.name.contains("первичный")) && !by_name.is_empty());

    let doctors: Vec<Doctor> = app.typed(&format!("/api/v1/clinics/{}/doctors?service={}", clinics[0].id, by_code[0].id)).await;
    assert!(!doctors.is_empty());
    assert!(doctors.iter().all(|doctor| doctor.service_ids.contains(&by_code[0].id)));
    assert!(doctors.iter().all(|doctor| doctor.basis == "прием по полису ОМС"));

    // A surname is found by its beginning, whatever the case.
    let surname = doctors[0].last_name.clone();
    let prefix: String = surname.chars().take(3).collect::<String>().to_uppercase();
    let found: Vec<Doctor> = app.typed(&format!("/api/v1/clinics/{}/doctors?q={}", clinics[0].id, registratura_core::oauth::percent_encode(&prefix))).await;
    assert!(found.iter().any(|doctor| doctor.last_name == surname), "{prefix} finds {surname}");
    assert!(found.iter().all(|doctor| doctor.last_name.to_uppercase().starts_with(&prefix)));
});

on_both_backends!(unknown_ids_are_json_404s, |app| {
    for path in [
        "/api/v1/organizations/999999/clinics",
        "/api/v1/clinics/999999/services",
        "/api/v1/clinics/999999/doctors",
    ] {
        let (status, body) = app.get(path).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body["kind"], "not_found", "{path}");
    }
});
