-- Head office's view (issue 13): what its queries over every store's record
-- need (crates/server/src/ho.rs, docs/head-office.md). Indexes and two
-- read-only helpers; no table changes.

-- Stock rebuilt from the events: per (store, batch), the newest event that
-- set the batch's quantity (DISTINCT ON (store_id, batch_id) ... ORDER BY
-- seq DESC reads this index in order).
CREATE INDEX ix_record_events_batch_quantity ON record_events (store_id, batch_id, seq DESC)
    WHERE batch_id IS NOT NULL AND new_milli IS NOT NULL;

-- The audit trail across stores, newest first, keyset-paged on
-- (received_at, store_id, seq); one index for all kinds, one per kind
-- (sales only, …).
CREATE INDEX ix_record_events_received ON record_events (received_at DESC, store_id DESC, seq DESC);
CREATE INDEX ix_record_events_kind_received
    ON record_events (change_type, received_at DESC, store_id DESC, seq DESC);

-- What a record is about (a product's events name it in reference_id):
-- product names for stock rows.
CREATE INDEX ix_record_events_reference ON record_events (reference_id)
    WHERE reference_id IS NOT NULL;

-- A payload as JSON, or NULL when it is not JSON: the server stores what a
-- store's chain holds, verified by hash but not by shape, and one odd
-- payload must not make head office's queries fail.
CREATE FUNCTION ho_json(t TEXT) RETURNS json LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN t::json;
EXCEPTION WHEN others THEN
    RETURN NULL;
END;
$$;

-- A product's name as head office knows it: its catalogue's (V3), else the
-- newest name a store's record gave it (a product event's subject), else NULL.
CREATE FUNCTION ho_product_name(pid TEXT) RETURNS TEXT LANGUAGE sql STABLE AS $$
    SELECT COALESCE(
        (SELECT ho_json(c.body)->>'name' FROM catalogue_products c WHERE c.id = pid),
        -- OFFSET 0 keeps the inner query apart, so it reads the few
        -- events naming the product by ix_record_events_reference rather
        -- than walking the whole record newest first.
        (SELECT x.subject->>'name'
           FROM (SELECT ho_json(e.payload)->'subject' AS subject, e.received_at, e.seq
                   FROM record_events e
                  WHERE e.reference_id = pid AND e.payload IS NOT NULL
                 OFFSET 0) x
          WHERE x.subject->>'type' = 'product'
          ORDER BY x.received_at DESC, x.seq DESC
          LIMIT 1)
    );
$$;
