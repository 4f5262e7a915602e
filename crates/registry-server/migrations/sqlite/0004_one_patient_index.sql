-- A patient's appointments are found through the unique index on
-- (patient_id, idempotency_key), whose first column is the patient: the
-- index on (patient_id, starts_at) only cost every booking one more index
-- write. A patient has a handful of appointments, so sorting them by start
-- needs no index.
DROP INDEX appointment_by_patient;
