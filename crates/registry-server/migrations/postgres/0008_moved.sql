-- An appointment tells when it was last moved, so that «Записи на приём»
-- can say so: the view reads it from the appointment's history.
DROP VIEW appointment_ticket;
CREATE VIEW appointment_ticket AS
SELECT a.id, a.patient_id, a.ticket, a.status, a.channel, a.starts_at, a.ends_at, a.slot_id,
       s.id AS service_id, s.code AS service_code, s.name AS service_name, s.specialty AS service_specialty,
       d.id AS doctor_id, d.last_name, d.first_name, d.middle_name, d.position, d.basis,
       c.id AS clinic_id, c.organization_id, c.name AS clinic_name, c.address AS clinic_address,
       c.phone AS clinic_phone, o.name AS organization_name,
       a.consent_version, a.consented_at, a.phone, a.created_at,
       (SELECT MAX(e.at) FROM appointment_event e WHERE e.appointment_id = a.id AND e.event = 'moved') AS moved_at
FROM appointment a
JOIN service s ON s.id = a.service_id
JOIN slot sl ON sl.id = a.slot_id
JOIN doctor d ON d.id = sl.doctor_id
JOIN clinic c ON c.id = a.clinic_id
JOIN organization o ON o.id = c.organization_id;
