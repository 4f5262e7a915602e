-- «Ближайшее время» starts from a service and looks for every doctor
-- offering it; the primary key leads with the doctor.
CREATE INDEX doctor_service_by_service ON doctor_service (service_id, doctor_id);
