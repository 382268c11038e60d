-- PharmaPOS store database, schema 23: transfers between database files
-- through the central server (issue 13's pull).
--
-- Runs with foreign keys off (db.rs switches them off for migrations and
-- checks every key after), as SQLite's procedure for rebuilding a table
-- asks: a table cannot lose a foreign key any other way.

-- 1. A transfer from another file names users and batches of that file: its
--    creator (transfers.created_by) and the source's batches
--    (transfer_lots.source_batch_id). The destination keeps them as the
--    source wrote them, so those two columns lose their foreign keys; the
--    rest is V14's schema unchanged.
CREATE TABLE transfers_v23 (
    id               TEXT PRIMARY KEY,
    number           INTEGER NOT NULL CHECK (number > 0),
    from_store_id    TEXT NOT NULL REFERENCES stores(id),
    to_store_id      TEXT NOT NULL REFERENCES stores(id),
    status           TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'requested', 'approved', 'in_transit', 'partially_received', 'received', 'cancelled')),
    carrier          TEXT,
    tracking_number  TEXT,
    notes            TEXT,
    cancel_reason    TEXT,
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    requested_by     TEXT,
    requested_at     TEXT,
    approved_by      TEXT,
    approved_at      TEXT,
    shipped_by       TEXT,
    shipped_at       TEXT,
    received_by      TEXT,
    received_at      TEXT,
    cancelled_by     TEXT,
    cancelled_at     TEXT,
    updated_at       TEXT NOT NULL,
    CHECK (from_store_id <> to_store_id),
    CHECK (status <> 'cancelled' OR cancel_reason IS NOT NULL),
    UNIQUE (from_store_id, number)
);
INSERT INTO transfers_v23 SELECT id, number, from_store_id, to_store_id, status, carrier, tracking_number, notes,
       cancel_reason, created_by, created_at, requested_by, requested_at, approved_by, approved_at, shipped_by,
       shipped_at, received_by, received_at, cancelled_by, cancelled_at, updated_at FROM transfers;
DROP TABLE transfers;
ALTER TABLE transfers_v23 RENAME TO transfers;
CREATE INDEX ix_transfers_from ON transfers(from_store_id, status, created_at);
CREATE INDEX ix_transfers_to ON transfers(to_store_id, status, created_at);

CREATE TABLE transfer_lots_v23 (
    id                 TEXT PRIMARY KEY,
    transfer_id        TEXT NOT NULL REFERENCES transfers(id),
    item_id            TEXT NOT NULL REFERENCES transfer_items(id),
    source_batch_id    TEXT NOT NULL,
    batch_number       TEXT NOT NULL,
    expiry_date        TEXT NOT NULL,
    manufacture_date   TEXT,
    cost_e4            INTEGER NOT NULL CHECK (cost_e4 >= 0),
    shipped_milli      INTEGER NOT NULL CHECK (shipped_milli > 0),
    received_milli     INTEGER NOT NULL DEFAULT 0 CHECK (received_milli >= 0),
    discrepancy_milli  INTEGER NOT NULL DEFAULT 0 CHECK (discrepancy_milli >= 0),
    dest_batch_id      TEXT REFERENCES batches(id),
    CHECK (received_milli + discrepancy_milli <= shipped_milli)
);
INSERT INTO transfer_lots_v23 SELECT id, transfer_id, item_id, source_batch_id, batch_number, expiry_date,
       manufacture_date, cost_e4, shipped_milli, received_milli, discrepancy_milli, dest_batch_id FROM transfer_lots;
DROP TABLE transfer_lots;
ALTER TABLE transfer_lots_v23 RENAME TO transfer_lots;
CREATE INDEX ix_transfer_lots_transfer ON transfer_lots(transfer_id);

-- 2. Where the store's pull stands: the server's cursor of the last change
--    taken (opaque; '0.0' is the start), and when it last succeeded.
ALTER TABLE sync_links ADD COLUMN pull_cursor TEXT NOT NULL DEFAULT '0.0';
ALTER TABLE sync_links ADD COLUMN last_pull_at TEXT;

-- 3. What was pulled, staged: each change lands here together with the
--    cursor (one transaction), then is applied in a transaction of its own
--    that also marks it applied. A change that cannot be applied yet (a
--    product this file does not have) stays with its typed reason, is tried
--    again on every sync, and never stops the changes behind it.
CREATE TABLE sync_inbox (
    store_id        TEXT NOT NULL REFERENCES stores(id),
    cursor          TEXT NOT NULL,
    position        INTEGER NOT NULL,   -- arrival order within the store
    event_id        TEXT NOT NULL,
    from_store_id   TEXT NOT NULL,
    change_type     TEXT NOT NULL,
    event           TEXT NOT NULL,      -- the sender's event (RecordEvent JSON)
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    error_kind      TEXT,
    error_message   TEXT,
    received_at     TEXT NOT NULL,
    last_attempt_at TEXT,
    applied_at      TEXT,
    outcome         TEXT,               -- what applying did, in words
    PRIMARY KEY (store_id, event_id),
    CHECK ((status = 'failed') = (error_kind IS NOT NULL))
);
CREATE UNIQUE INDEX ux_sync_inbox_position ON sync_inbox(store_id, position);
-- The apply loop and the status screen read what is not applied yet.
CREATE INDEX ix_sync_inbox_open ON sync_inbox(store_id, position) WHERE status <> 'applied';

-- 4. Stores of other installations (head office's directory, pulled so a
--    transfer can be addressed to them) hold no stock here: the running
--    totals keep rows only for the stores this file owns (V10 made a row
--    per product for every store, which would be 100,000 rows per store of
--    the chain).
DROP TRIGGER stock_levels_store;
CREATE TRIGGER stock_levels_store AFTER INSERT ON stores
WHEN NEW.installation_id IS (SELECT id FROM installation)
BEGIN
    INSERT INTO stock_levels (store_id, product_id, reorder_milli)
    SELECT NEW.id, id,
           CASE WHEN deleted_at IS NULL AND status = 'active' THEN COALESCE(reorder_point_milli, min_level_milli) END
      FROM products;
END;
DROP TRIGGER stock_levels_product;
CREATE TRIGGER stock_levels_product AFTER INSERT ON products
BEGIN
    INSERT INTO stock_levels (store_id, product_id, reorder_milli)
    SELECT id, NEW.id,
           CASE WHEN NEW.deleted_at IS NULL AND NEW.status = 'active'
                THEN COALESCE(NEW.reorder_point_milli, NEW.min_level_milli) END
      FROM stores WHERE installation_id IS (SELECT id FROM installation);
END;
