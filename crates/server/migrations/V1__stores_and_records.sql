-- The central server's schema. Every table that holds store data is keyed by
-- store_id first, so that partitioning by store (or Citus with store_id as the
-- distribution column) stays open (SYNC-NOTES "Scaling past one server").

-- The store directory: head office registers a store; the store's secret is
-- shown once and kept only as its SHA-256 (a 256-bit random secret needs no
-- slow hash); the installation that first syncs owns the store from then on.
CREATE TABLE stores (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    secret_sha256    TEXT NOT NULL,
    installation_id  TEXT,
    bound_at         TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The record's head as acknowledged: the last stored event and its hash.
    acked_seq        BIGINT NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
    head_hash        TEXT NOT NULL,
    last_push_at     TIMESTAMPTZ,
    -- The last refused push and why (head office's view shows it).
    last_error       TEXT,
    last_error_at    TIMESTAMPTZ
);

-- Each store's record, as pushed and verified: immutable, one row per event.
CREATE TABLE record_events (
    store_id         TEXT NOT NULL REFERENCES stores(id),
    seq              BIGINT NOT NULL CHECK (seq > 0),
    id               TEXT NOT NULL UNIQUE,
    format           BIGINT NOT NULL,
    installation_id  TEXT,
    batch_id         TEXT,
    product_id       TEXT,
    change_type      TEXT NOT NULL,
    previous_milli   BIGINT,
    new_milli        BIGINT,
    user_id          TEXT NOT NULL,
    reference_id     TEXT,
    notes            TEXT,
    created_at       TEXT NOT NULL,
    batch_prev_seq   BIGINT,
    payload          TEXT,
    hash             TEXT NOT NULL,
    received_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (store_id, seq)
);

CREATE FUNCTION record_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'record_events is append-only';
END;
$$;
CREATE TRIGGER record_events_no_update BEFORE UPDATE OR DELETE ON record_events
    FOR EACH ROW EXECUTE FUNCTION record_events_immutable();
