-- Bookings committed in groups: the server sends the bookings that queued
-- while it was busy in one call of `book_slots`, one transaction for all of
-- them (src/store/booking.rs says why and how they are queued).

-- Every booking checked its appointment's consent text, service and clinic
-- against their tables through foreign keys, and PostgreSQL does that by
-- locking the referenced row (FOR KEY SHARE). All bookings share the current
-- consent row and a clinic's bookings share its row, so concurrent bookings
-- kept extending one multixact on the same few rows, and a transaction of
-- many bookings held those locks the longest: on two cores, groups of 32
-- booked 1,330 a second with these keys and 2,820 without
-- (docs/performance.md). The booking itself checks all three (the consent
-- in force, a service the slot's doctor offers, the clinic of the slot's
-- doctor), and what the keys also promised, that the rows stay, is kept by
-- refusing to delete them or change their keys. The keys to the patient and
-- the slot stay: each booking locks its own patient and slot anyway.
ALTER TABLE appointment
    DROP CONSTRAINT appointment_consent_version_fkey,
    DROP CONSTRAINT appointment_service_id_fkey,
    DROP CONSTRAINT appointment_clinic_id_fkey;

-- A patient's appointments are found through the unique index on
-- (patient_id, idempotency_key), whose first column is the patient: the
-- index on (patient_id, starts_at) only cost every booking one more index
-- write. A patient has a handful of appointments, so sorting them by start
-- needs no index.
DROP INDEX appointment_by_patient;

-- A booked or freed slot gets a new row version, and with full pages that
-- version went to the end of the table: a doctor's day then spread over
-- more pages, and after 32,000 bookings the region's slot reads fell from
-- 4,900 to 3,600-4,400 a second (VACUUM did not bring them back). With a
-- tenth of each page kept free the new version stays beside the old one:
-- 4,800 before and 5,150 after the same bookings (docs/performance.md). It
-- applies to pages written from now on, so to every slot a region loads
-- after this migration.
ALTER TABLE slot SET (fillfactor = 90);

CREATE FUNCTION refuse_to_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'rows of % are kept for the appointments that name them; they are never deleted nor renumbered', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER consent_is_kept BEFORE DELETE OR TRUNCATE OR UPDATE OF version ON consent
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_to_forget();
CREATE TRIGGER service_is_kept BEFORE DELETE OR TRUNCATE OR UPDATE OF id ON service
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_to_forget();
CREATE TRIGGER clinic_is_kept BEFORE DELETE OR TRUNCATE OR UPDATE OF id ON clinic
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_to_forget();

-- `book_slot` as in 0003, but for how it finds the patient's clashing
-- appointment (below). The rules and their order are unchanged.
CREATE OR REPLACE FUNCTION book_slot(
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

    -- The patient's own appointments are read first, behind a fence: with
    -- the whole condition in view, the plan this function keeps after a few
    -- calls combined the patient's index with every booked appointment of
    -- the region (the partial index on booked slots), 0.7 ms a booking and
    -- growing with the region's bookings.
    WITH mine AS MATERIALIZED (SELECT * FROM appointment a WHERE a.patient_id = booker)
    SELECT m.ticket INTO clash FROM mine m
        WHERE m.status = 'booked' AND m.ends_at > book_slot.now
          AND ((m.starts_at < slot_ends AND m.ends_at > slot_starts)
               OR (m.service_id = book_slot.service AND m.clinic_id = slot_clinic))
        ORDER BY m.starts_at LIMIT 1;
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

-- A group of bookings in one transaction: booking `i` is element `i` of each
-- array, and `tickets` holds `ticket_attempts` candidate numbers per booking
-- one after another. Answers one row per booking, with its element number as `item`.
--
-- Each booking is `book_slot`'s, rules and order unchanged. What the group
-- adds is the order of its locks, so that groups running side by side never
-- wait on each other in a circle: first every patient's advisory lock, in
-- the order of the patients' ids (`book_slot` then takes them again, which a
-- transaction that holds them does at once), then the bookings in the order
-- of their slots, so the slots' row locks are taken in ascending order too.
-- Requests for one slot keep their order of arrival. A booking that raises
-- (no free ticket number) fails the whole call; the server then books the
-- group one by one.
CREATE FUNCTION book_slots(
    token_hashes TEXT[], slots BIGINT[], services BIGINT[], consents TEXT[], phones TEXT[],
    channels TEXT[], nows BIGINT[], idempotency_keys TEXT[], request_hashes TEXT[],
    tickets BIGINT[], ticket_attempts INT
) RETURNS TABLE (item INT, outcome TEXT, existing_ticket BIGINT, appointment appointment_ticket)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    booker BIGINT;
    i INT;
BEGIN
    FOR booker IN
        SELECT DISTINCT t.patient_id FROM access_token t
            JOIN unnest(token_hashes, nows) AS asked (token_hash, now) ON asked.token_hash = t.token_hash
            WHERE t.expires_at > asked.now
            ORDER BY t.patient_id
    LOOP
        PERFORM pg_advisory_xact_lock(booker);
    END LOOP;

    FOR i IN SELECT g FROM generate_subscripts(slots, 1) g ORDER BY slots[g], g LOOP
        RETURN QUERY
            SELECT i, b.outcome, b.existing_ticket, b.appointment
            FROM book_slot(token_hashes[i], slots[i], services[i], consents[i], phones[i], channels[i], nows[i],
                           idempotency_keys[i], request_hashes[i],
                           tickets[(i - 1) * ticket_attempts + 1 : i * ticket_attempts]) b;
    END LOOP;
END
$$;
