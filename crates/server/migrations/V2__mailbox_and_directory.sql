-- Pull (issue 13): each store's mailbox, and the directory stores read.

-- What another store must hear of, addressed to one store: a shipment to
-- its destination, a receipt back to its source (pharmapos_protocol::
-- ROUTED_KINDS). Written by the push that stores the event, in the same
-- transaction, so a pushed event and its delivery exist together or not
-- at all.
--
-- The pull cursor is (xid, id): the writing transaction's id, then the
-- row's. A reader hands out only rows whose transaction is older than the
-- oldest one still running (pg_snapshot_xmin of its snapshot): every such
-- transaction has finished, so no row can later appear behind the cursor
-- (SYNC-NOTES: a sequence value is taken before commit, and a reader that
-- orders by it alone skips a row committed late). No table lock.
-- Keyed by the addressee first: partitioning by store stays open.
CREATE TABLE mailbox (
    to_store_id    TEXT NOT NULL,
    xid            xid8 NOT NULL DEFAULT pg_current_xact_id(),
    id             BIGSERIAL NOT NULL,
    from_store_id  TEXT NOT NULL REFERENCES stores(id),
    event_id       TEXT NOT NULL,
    change_type    TEXT NOT NULL,
    event          TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (to_store_id, xid, id),
    UNIQUE (to_store_id, event_id)
);

CREATE FUNCTION mailbox_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'mailbox is append-only';
END;
$$;
CREATE TRIGGER mailbox_no_update BEFORE UPDATE OR DELETE ON mailbox
    FOR EACH ROW EXECUTE FUNCTION mailbox_immutable();

-- The directory: what another store needs to address a transfer.
ALTER TABLE stores ADD COLUMN code TEXT;
ALTER TABLE stores ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE stores ADD COLUMN currency TEXT NOT NULL DEFAULT 'NGN';
UPDATE stores SET code = upper(left(regexp_replace(name, '[^A-Za-z0-9]', '', 'g'), 8)) || '-' || left(id, 4);
ALTER TABLE stores ALTER COLUMN code SET NOT NULL;
CREATE UNIQUE INDEX ux_stores_code ON stores (code);
-- The directory's readers page it by code.
