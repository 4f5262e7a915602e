//! The OpenAPI document as the exact contract, checked by an implementation
//! we did not write: Schemathesis (from PyPI, installed by scripts/setup)
//! generates requests from the document for every operation, at least 100
//! cases each, valid and invalid, then stateful sequences along the links
//! it infers (book, read, move, cancel), and checks every answer against the
//! document: no server error, no undocumented status or body, nothing valid
//! refused as malformed, nothing invalid accepted.
//!
//! Real ids the server knows (a free slot, the patient's own booking, a
//! desk patient) are offered to the generator half the time, so that the
//! cases reach the booking rules and not only the 404s.

use std::path::PathBuf;

use registry_server::demo::admin_login;
use serde_json::json;

use crate::support::{on_both_backends, status_and_json, TestApp};

/// The Schemathesis that scripts/setup installs, or `REGISTRATURA_SCHEMATHESIS`.
fn schemathesis() -> PathBuf {
    if let Some(path) = std::env::var_os("REGISTRATURA_SCHEMATHESIS") {
        return PathBuf::from(path);
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".local/share"));
    data.join("registratura/schemathesis/bin/schemathesis")
}

/// What the generator is offered besides what it invents.
struct Known {
    patient_token: String,
    staff_token: String,
    kiosk_credential: String,
    kiosk_visit: String,
    /// A kiosk and a visit the generator may end: revoking the run's own
    /// kiosk, or ending its visit, would leave every later kiosk case at 401.
    decoy_kiosk: i64,
    decoy_visit: String,
    consent: String,
    clinic: i64,
    organization: i64,
    doctor: i64,
    service: i64,
    slots: Vec<i64>,
    appointments: Vec<i64>,
    desk_appointments: Vec<i64>,
    patients: Vec<i64>,
}

impl TestApp {
    /// Books a few appointments every way, so that there is something to
    /// read, move and cancel, and leaves free slots for the generator.
    async fn known(&self) -> Known {
        let free = self.free_slots(8).await;
        let consent = self.consent_version().await;
        let patient_token = self.demo_token(1).await;
        let staff_token = self.staff_token(&admin_login(free.clinic.organization_id)).await;
        let (status, booked) = self.book(&patient_token, "fuzz", &free.booking(0, &consent)).await;
        assert_eq!(status, 201, "{booked}");
        let appointments = vec![booked["id"].as_i64().expect("id")];
        let desk_patient = self.store.demo_patient(2).await.expect("query").expect("demo patient");
        let mut body = free.booking(1, &consent);
        body["patient_id"] = json!(desk_patient);
        let (status, booked) = self.desk_book(&staff_token, "fuzz-desk", &body).await;
        assert_eq!(status, 201, "{booked}");
        let desk_appointments = vec![booked["id"].as_i64().expect("id")];

        let (decoy_kiosk, _) =
            self.store.register_kiosk(free.clinic.id, "Запасной", "2468", None, self.clock.now()).await.expect("register a kiosk");
        let (_, kiosk_credential) =
            self.store.register_kiosk(free.clinic.id, "Холл", "2468", None, self.clock.now()).await.expect("register a kiosk");
        let visitor = self.store.demo_patient(3).await.expect("query").expect("demo patient");
        let profile = self.store.profile(visitor).await.expect("query").expect("profile");
        let mut visits = Vec::new();
        for _ in 0..2 {
            let response = self
                .http
                .post(self.url("/api/v1/kiosk/identify"))
                .bearer_auth(&kiosk_credential)
                .json(&json!({"policy": profile.policy.digits(), "birth_date": profile.birth_date}))
                .send()
                .await
                .expect("identify");
            let (status, identified) = status_and_json(response).await;
            assert_eq!(status, 200, "{identified}");
            visits.push(identified["visit_token"].as_str().expect("visit token").to_owned());
        }

        Known {
            patient_token,
            staff_token,
            kiosk_credential,
            kiosk_visit: visits.remove(0),
            decoy_kiosk,
            decoy_visit: visits.remove(0),
            consent,
            clinic: free.clinic.id,
            organization: free.clinic.organization_id,
            doctor: free.doctor.id,
            service: free.service_id,
            slots: free.slots[2..].iter().map(|slot| slot.id).collect(),
            appointments,
            desk_appointments,
            patients: vec![desk_patient],
        }
    }
}

/// The run's configuration: each room's credential, the known values as
/// dictionaries bound to the parameters that take them, and the statuses
/// the checks may expect. 422 is the document's answer to a well-formed
/// request that breaks a rule the schema cannot say (a range backwards, a
/// check digit, a booking rule); 413, to a request beyond the size bounds.
fn config(known: &Known) -> String {
    let list = |values: &[i64]| values.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let half = |dictionary: &str| format!("{{ dictionary = \"{dictionary}\", probability = 0.5 }}");
    let path_ids = [
        ("^/api/v1/appointments/", "appointment"),
        ("^/api/v1/desk/appointments/", "desk_appointment"),
        ("^/api/v1/kiosk/appointments/", "desk_appointment"),
        ("/doctors/\\\\{id\\\\}", "doctor"),
        ("^/api/v1/(desk/)?clinics/", "clinic"),
        ("^/api/v1/organizations/", "organization"),
        ("^/api/v1/desk/patients/", "patient"),
    ];
    let mut toml = format!(
        r#"headers = {{ Authorization = "Bearer {patient}" }}

[dictionaries]
slot = {{ values = [{slots}] }}
service = {{ values = [{service}] }}
doctor = {{ values = [{doctor}] }}
clinic = {{ values = [{clinic}] }}
organization = {{ values = [{organization}] }}
consent = {{ values = ["{consent}"] }}
appointment = {{ values = [{appointments}] }}
desk_appointment = {{ values = [{desk_appointments}] }}
patient = {{ values = [{patients}] }}

[parameters]
"body.slot_id" = {slot}
"body.service_id" = {service_binding}
"body.consent_version" = {consent_binding}
"body.patient_id" = {patient_binding}
"body.clinic" = {clinic_binding}
"query.clinic" = {clinic_binding}
"query.service" = {service_binding}
"query.organization" = {organization_binding}

[checks.positive_data_acceptance]
expected-statuses = ["2xx", 401, 403, 404, 409, 422, 429]

[checks.negative_data_rejection]
expected-statuses = [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429]

[[operations]]
include-path-regex = "^/api/v1/desk/"
headers = {{ Authorization = "Bearer {staff}" }}

[[operations]]
include-name = "DELETE /api/v1/kiosk/visit"
headers = {{ Authorization = "Bearer {kiosk}", Kiosk-Visit = "{decoy_visit}" }}

[[operations]]
include-path-regex = "^/api/v1/kiosk/"
headers = {{ Authorization = "Bearer {kiosk}", Kiosk-Visit = "{visit}" }}

[[operations]]
include-name = "POST /api/v1/desk/kiosks/{{id}}/revoke"
parameters = {{ "path.id" = {decoy_kiosk} }}

[phases.stateful.inference]
algorithms = []
"#,
        patient = known.patient_token,
        staff = known.staff_token,
        kiosk = known.kiosk_credential,
        visit = known.kiosk_visit,
        decoy_visit = known.decoy_visit,
        decoy_kiosk = known.decoy_kiosk,
        slots = list(&known.slots),
        service = known.service,
        doctor = known.doctor,
        clinic = known.clinic,
        organization = known.organization,
        consent = known.consent,
        appointments = list(&known.appointments),
        desk_appointments = list(&known.desk_appointments),
        patients = list(&known.patients),
        slot = half("slot"),
        service_binding = half("service"),
        consent_binding = half("consent"),
        patient_binding = half("patient"),
        clinic_binding = half("clinic"),
        organization_binding = half("organization"),
    );
    for (paths, dictionary) in path_ids {
        toml.push_str(&format!("\n[[operations]]\ninclude-path-regex = \"{paths}\"\nparameters = {{ \"path.id\" = {} }}\n", half(dictionary)));
    }
    toml
}

on_both_backends!(generated_requests_find_no_answer_that_contradicts_the_document, |app| {
    let known = app.known().await;
    // nextest runs each test in a process of its own.
    let dir = std::env::temp_dir().join(format!("registratura-schemathesis-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create a folder for the run");
    let config_file = dir.join("schemathesis.toml");
    std::fs::write(&config_file, config(&known)).expect("write the config");
    let tool = schemathesis();
    assert!(tool.exists(), "{} is missing: run scripts/setup", tool.display());
    let output = tokio::process::Command::new(&tool)
        .arg("--config-file")
        .arg(&config_file)
        .args(["--no-color", "run", &app.url("/api/v1/openapi.json"), "--url", &app.url(""), "--checks", "all"])
        .args(["--max-examples", "100", "--seed", "20261201", "--phases", "examples,coverage,fuzzing,stateful"])
        .current_dir(&dir)
        .kill_on_drop(true)
        .output()
        .await
        .expect("run schemathesis");
    let report = String::from_utf8_lossy(&output.stdout);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(output.status.success(), "Schemathesis found answers that contradict the document:\n{report}\n{}", String::from_utf8_lossy(&output.stderr));
    // A run that tested nothing proves nothing: every operation was tested,
    // thousands of cases ran, and the stateful phase followed links.
    let count = |label: &str| report.lines().find_map(|line| line.trim().strip_prefix(label).map(|rest| rest.trim().to_owned()));
    let selected = count("Selected:").unwrap_or_default();
    let operations: usize = selected.split_once('/').and_then(|(_, total)| total.parse().ok()).unwrap_or_default();
    assert!(operations >= 45 && selected == format!("{operations}/{operations}"), "not every operation was selected ({selected}):\n{report}");
    assert_eq!(count("Tested:").as_deref(), Some(operations.to_string().as_str()), "not every operation was tested:\n{report}");
    let generated = report
        .lines()
        .find_map(|line| line.trim().strip_suffix(" skipped").and_then(|rest| rest.split_whitespace().next()?.parse::<u64>().ok()))
        .unwrap_or_default();
    assert!(generated >= 50 * operations as u64, "only {generated} cases generated:\n{report}");
    assert!(report.contains("Stateful"), "no stateful phase:\n{report}");
    eprintln!("{}", report.lines().rev().take(14).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n"));
});
