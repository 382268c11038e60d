-- PharmaPOS store database, schema 14: transfers between stores.
--
-- Same conventions as V1: ids UUID v7 TEXT, quantities *_milli (thousandths),
-- money *_e4 (ten-thousandths), instants RFC 3339 UTC TEXT.
--
-- A transfer is a state machine whose every transition belongs to one side
-- (the source creates, requests, approves, ships, cancels and resolves
-- discrepancies; the destination receives and records discrepancies), so
-- that between two database files sync only carries each side's events.
-- The "*_by" columns of the destination's transitions name users of the
-- destination's installation, who may not exist in the source's file: no
-- foreign key there.

-- 1. The transfer: numbered per source store.
CREATE TABLE transfers (
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
    created_by       TEXT NOT NULL REFERENCES users(id),
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
-- The outgoing and incoming lists page by store and status, newest first.
CREATE INDEX ix_transfers_from ON transfers(from_store_id, status, created_at);
CREATE INDEX ix_transfers_to ON transfers(to_store_id, status, created_at);

-- 2. What was asked for: a product and a quantity, optionally from one batch
--    of the source. shipped/received/discrepancy are the sums of the item's
--    shipped lots (3.), kept here for the lists.
CREATE TABLE transfer_items (
    id                 TEXT PRIMARY KEY,
    transfer_id        TEXT NOT NULL REFERENCES transfers(id),
    line_no            INTEGER NOT NULL CHECK (line_no > 0),
    product_id         TEXT NOT NULL REFERENCES products(id),
    batch_id           TEXT REFERENCES batches(id),
    requested_milli    INTEGER NOT NULL CHECK (requested_milli > 0),
    approved_milli     INTEGER CHECK (approved_milli >= 0),
    shipped_milli      INTEGER NOT NULL DEFAULT 0 CHECK (shipped_milli >= 0),
    received_milli     INTEGER NOT NULL DEFAULT 0 CHECK (received_milli >= 0),
    discrepancy_milli  INTEGER NOT NULL DEFAULT 0 CHECK (discrepancy_milli >= 0),
    unit_cost_e4       INTEGER CHECK (unit_cost_e4 >= 0),
    CHECK (received_milli + discrepancy_milli <= shipped_milli),
    UNIQUE (transfer_id, line_no)
);

-- 3. What shipped, by source batch: everything the destination needs to
--    receive it as the same batch (number, expiry, manufacture date, cost),
--    also carried by the `transfer_shipped` event. `dest_batch_id` is the
--    destination's batch once something arrived.
CREATE TABLE transfer_lots (
    id                 TEXT PRIMARY KEY,
    transfer_id        TEXT NOT NULL REFERENCES transfers(id),
    item_id            TEXT NOT NULL REFERENCES transfer_items(id),
    source_batch_id    TEXT NOT NULL REFERENCES batches(id),
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
CREATE INDEX ix_transfer_lots_transfer ON transfer_lots(transfer_id);

-- 4. Stock that shipped but did not arrive sellable: short (never came) or
--    damaged (came broken). Recorded by the destination; resolved by the
--    source (lost in transit, returned to the source batch, written off);
--    over the source's value threshold a non-manager's resolution waits
--    (pending_approval) for a manager.
CREATE TABLE transfer_discrepancies (
    id               TEXT PRIMARY KEY,
    transfer_id      TEXT NOT NULL REFERENCES transfers(id),
    lot_id           TEXT NOT NULL REFERENCES transfer_lots(id),
    kind             TEXT NOT NULL CHECK (kind IN ('short', 'damaged')),
    quantity_milli   INTEGER NOT NULL CHECK (quantity_milli > 0),
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending_approval', 'resolved')),
    resolution       TEXT CHECK (resolution IN ('lost_in_transit', 'returned', 'written_off')),
    notes            TEXT,
    recorded_by      TEXT NOT NULL,
    recorded_at      TEXT NOT NULL,
    requested_by     TEXT,
    requested_at     TEXT,
    resolved_by      TEXT,
    resolved_at      TEXT,
    resolution_notes TEXT,
    CHECK ((status = 'open') = (resolution IS NULL))
);
CREATE INDEX ix_transfer_discrepancies_transfer ON transfer_discrepancies(transfer_id);
CREATE INDEX ix_transfer_discrepancies_pending ON transfer_discrepancies(status) WHERE status = 'pending_approval';
