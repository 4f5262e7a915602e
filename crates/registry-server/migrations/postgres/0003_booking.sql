-- An appointment with everything its ticket shows: the one definition the
-- server's reads use (and, on PostgreSQL, the booking function's answer).
CREATE VIEW appointment_ticket AS
SELECT a.id, a.patient_id, a.ticket, a.status, a.channel, a.starts_at, a.ends_at, a.slot_id,
       s.id AS service_id, s.code AS service_code, s.name AS service_name, s.specialty AS service_specialty,
       d.id AS doctor_id, d.last_name, d.first_name, d.middle_name, d.position, d.basis,
       c.id AS clinic_id, c.organization_id, c.name AS clinic_name, c.address AS clinic_address,
       c.phone AS clinic_phone, o.name AS organization_name,
       a.consent_version, a.consented_at, a.phone, a.created_at
FROM appointment a
JOIN service s ON s.id = a.service_id
JOIN slot sl ON sl.id = a.slot_id
JOIN doctor d ON d.id = sl.doctor_id
JOIN clinic c ON c.id = a.clinic_id
JOIN organization o ON o.id = c.organization_id;

-- A booking in one round trip. The same rules, checked in the same order, as
-- the SQLite transaction in src/store/booking.rs (`Store::book`); the
-- integration suite runs against both backends and is what keeps them equal.
-- Checking the bearer token, the nine statements of the rules and the read
-- of the ticket, sent one by one, cost eleven round trips and as many
-- wake-ups of a backend per booking; this function costs one. On two cores
-- that took bookings from 802 to over 1,300 a second (docs/performance.md).
--
-- Answers one row: the outcome, the patient's existing ticket (for
-- already_booked), and the appointment as `appointment_ticket` shows it
-- (booked, replayed). `tickets` are the random ticket numbers to try, drawn
-- by the server.
CREATE FUNCTION book_slot(
    token_hash TEXT, slot BIGINT, service BIGINT, consent TEXT, phone TEXT,
    channel TEXT, now BIGINT, idempotency_key TEXT, request_hash TEXT, tickets BIGINT[]
) RETURNS TABLE (outcome TEXT, existing_ticket BIGINT, appointment appointment_ticket)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    booker BIGINT;
    confirmed BOOLEAN;
    earlier_id BIGINT;
    earlier_hash TEXT;
    slot_starts BIGINT;
    slot_ends BIGINT;
    slot_status TEXT;
    slot_clinic BIGINT;
    offers_service BOOLEAN;
    clash BIGINT;
    new_id BIGINT;
    candidate BIGINT;
BEGIN
    SELECT t.patient_id INTO booker FROM access_token t
        WHERE t.token_hash = book_slot.token_hash AND t.expires_at > book_slot.now;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'unauthorized', NULL::BIGINT, NULL::appointment_ticket; RETURN;
    END IF;

    -- One patient's bookings are checked one after another. An advisory lock
    -- on the patient's id, held to the end of the transaction, does that
    -- without writing to the patient's row (a row lock is a write to the
    -- table and to the write-ahead log on every booking).
    PERFORM pg_advisory_xact_lock(booker);
    SELECT p.confirmed INTO confirmed FROM patient p WHERE p.id = booker;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'unauthorized', NULL::BIGINT, NULL::appointment_ticket; RETURN;
    ELSIF NOT confirmed THEN
        RETURN QUERY SELECT 'account_unconfirmed', NULL::BIGINT, NULL::appointment_ticket; RETURN;
    END IF;

    SELECT a.id, a.request_hash INTO earlier_id, earlier_hash FROM appointment a
        WHERE a.patient_id = booker AND a.idempotency_key = book_slot.idempotency_key;
    IF FOUND THEN
        IF earlier_hash <> book_slot.request_hash THEN
            RETURN QUERY SELECT 'idempotency_conflict', NULL::BIGINT, NULL::appointment_ticket; RETURN;
        END IF;
        RETURN QUERY SELECT 'replayed', NULL::BIGINT, t FROM appointment_ticket t WHERE t.id = earlier_id; RETURN;
    END IF;

    IF (SELECT c.version FROM consent c ORDER BY c.published_at DESC, c.version DESC LIMIT 1)
        IS DISTINCT FROM book_slot.consent THEN
        RETURN QUERY SELECT 'consent_required', NULL::BIGINT, NULL::appointment_ticket; RETURN;
    END IF;

    SELECT sl.starts_at, sl.ends_at, sl.status, d.clinic_id,
           EXISTS (SELECT 1 FROM doctor_service ds WHERE ds.doctor_id = sl.doctor_id AND ds.service_id = book_slot.service)
        INTO slot_starts, slot_ends, slot_status, slot_clinic, offers_service
        FROM slot sl JOIN doctor d ON d.id = sl.doctor_id WHERE sl.id = book_slot.slot;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'not_found', NULL::BIGINT, NULL::appointment_ticket; RETURN;
    ELSIF NOT offers_service THEN
        RETURN QUERY SELECT 'service_not_offered', NULL::BIGINT, NULL::appointment_ticket; RETURN;
    ELSIF slot_starts <= book_slot.now THEN
        RETURN QUERY SELECT 'slot_in_past', NULL::BIGINT, NULL::appointment_ticket; RETURN;
    ELSIF slot_status = 'unavailable' AND book_slot.channel = 'internet' THEN
        RETURN QUERY SELECT 'slot_unavailable', NULL::BIGINT, NULL::appointment_ticket; RETURN;
    ELSIF slot_status = 'busy' THEN
        RETURN QUERY SELECT 'slot_taken', NULL::BIGINT, NULL::appointment_ticket; RETURN;
    END IF;

    SELECT a.ticket INTO clash FROM appointment a
        WHERE a.patient_id = booker AND a.status = 'booked' AND a.ends_at > book_slot.now
          AND ((a.starts_at < slot_ends AND a.ends_at > slot_starts)
               OR (a.service_id = book_slot.service AND a.clinic_id = slot_clinic))
        ORDER BY a.starts_at LIMIT 1;
    IF FOUND THEN
        RETURN QUERY SELECT 'already_booked', clash, NULL::appointment_ticket; RETURN;
    END IF;

    -- The claim: exactly one of any number of concurrent requests finds the
    -- slot still free. A reserved slot is claimed only by the desk channels.
    UPDATE slot sl SET status = 'busy', version = pg_current_xact_id()::TEXT::BIGINT
        WHERE sl.id = book_slot.slot
          AND (sl.status = 'free' OR (sl.status = 'unavailable' AND book_slot.channel <> 'internet'));
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'slot_taken', NULL::BIGINT, NULL::appointment_ticket; RETURN;
    END IF;

    FOREACH candidate IN ARRAY tickets LOOP
        INSERT INTO appointment (ticket, patient_id, slot_id, service_id, clinic_id, starts_at, ends_at,
                                 status, channel, consent_version, consented_at, phone, created_at,
                                 idempotency_key, request_hash)
            VALUES (candidate, booker, book_slot.slot, book_slot.service, slot_clinic, slot_starts, slot_ends,
                    'booked', book_slot.channel, book_slot.consent, book_slot.now, book_slot.phone, book_slot.now,
                    book_slot.idempotency_key, book_slot.request_hash)
            ON CONFLICT (ticket) DO NOTHING
            RETURNING id INTO new_id;
        IF new_id IS NOT NULL THEN
            RETURN QUERY SELECT 'booked', NULL::BIGINT, t FROM appointment_ticket t WHERE t.id = new_id; RETURN;
        END IF;
    END LOOP;
    RAISE EXCEPTION 'no free ticket number after % tries', cardinality(tickets);
END
$$;
