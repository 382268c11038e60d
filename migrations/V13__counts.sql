-- PharmaPOS store database, schema 13: physical counts and reconciliations.
--
-- Same conventions as V1: ids UUID v7 TEXT, quantities *_milli (thousandths),
-- money *_e4 (ten-thousandths), instants RFC 3339 UTC TEXT.
--
-- A count is an observation of the shelves taken while the shop keeps
-- selling (docs/stock-control.md "Counts"): each line keeps the system
-- quantity it is compared with (`snapshot_milli`) and the batch's newest
-- audit event at that instant (`snapshot_seq`), so posting applies the
-- counted quantity plus whatever moved after it, and the ledger can prove
-- what moved.

-- 1. Counts (seed 000's InventoryCount): draft → in_progress → completed →
--    approved → posted, or cancelled from draft, in_progress or completed.
CREATE TABLE inventory_counts (
    id                TEXT PRIMARY KEY,
    store_id          TEXT NOT NULL REFERENCES stores(id),
    -- The store's count number (1, 2, 3…), for people.
    number            INTEGER NOT NULL CHECK (number > 0),
    count_type        TEXT NOT NULL CHECK (count_type IN ('full', 'cycle', 'spot', 'category')),
    category_id       TEXT REFERENCES categories(id),
    -- How a cycle count chose its lines (`products` or `location:<name>`), for the record.
    scope             TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'in_progress', 'completed', 'approved', 'posted', 'cancelled')),
    blind             INTEGER NOT NULL DEFAULT 0 CHECK (blind IN (0, 1)),
    scheduled_date    TEXT,
    notes             TEXT,
    -- Set at completion: some line's variance goes past the store's thresholds.
    needs_approval    INTEGER NOT NULL DEFAULT 0 CHECK (needs_approval IN (0, 1)),
    created_by        TEXT NOT NULL REFERENCES users(id),
    created_at        TEXT NOT NULL,
    started_by        TEXT REFERENCES users(id),
    started_at        TEXT,
    completed_by      TEXT REFERENCES users(id),
    completed_at      TEXT,
    approved_by       TEXT REFERENCES users(id),
    approved_at       TEXT,
    posted_by         TEXT REFERENCES users(id),
    posted_at         TEXT,
    cancelled_by      TEXT REFERENCES users(id),
    cancelled_at      TEXT,
    cancel_reason     TEXT,
    updated_at        TEXT NOT NULL,
    CHECK ((count_type = 'category') = (category_id IS NOT NULL)),
    CHECK (status <> 'cancelled' OR (cancel_reason IS NOT NULL AND cancelled_at IS NOT NULL)),
    CHECK (status NOT IN ('in_progress', 'completed', 'approved', 'posted') OR started_at IS NOT NULL),
    CHECK (status NOT IN ('completed', 'approved', 'posted') OR completed_at IS NOT NULL),
    CHECK (status <> 'posted' OR posted_at IS NOT NULL),
    UNIQUE (store_id, number)
);
CREATE INDEX ix_inventory_counts_store_status ON inventory_counts(store_id, status, created_at);

-- 2. Count lines (seed 000's CountItem): one batch of the count's store.
--    `recounts` holds the earlier counts of a recounted line as a JSON array
--    of {counted_milli, snapshot_milli, counted_by, counted_at}.
CREATE TABLE count_items (
    id                TEXT PRIMARY KEY,
    count_id          TEXT NOT NULL REFERENCES inventory_counts(id),
    line_no           INTEGER NOT NULL CHECK (line_no > 0),
    batch_id          TEXT NOT NULL REFERENCES batches(id),
    product_id        TEXT NOT NULL REFERENCES products(id),
    snapshot_milli    INTEGER CHECK (snapshot_milli >= 0),
    snapshot_seq      INTEGER,
    snapshot_at       TEXT,
    counted_milli     INTEGER CHECK (counted_milli >= 0),
    counted_by        TEXT REFERENCES users(id),
    counted_at        TEXT,
    recounts          TEXT,
    -- Found on the shelf while counting, not on the sheet.
    added             INTEGER NOT NULL DEFAULT 0 CHECK (added IN (0, 1)),
    variance_milli    INTEGER,
    cost_e4           INTEGER NOT NULL CHECK (cost_e4 >= 0),
    movement_milli    INTEGER,
    status            TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'counted', 'posted', 'flagged')),
    flag_reason       TEXT,
    UNIQUE (count_id, batch_id),
    UNIQUE (count_id, line_no),
    CHECK (status = 'pending' OR counted_milli IS NOT NULL),
    CHECK (status <> 'flagged' OR flag_reason IS NOT NULL)
);
CREATE INDEX ix_count_items_batch ON count_items(batch_id);

-- 3. Seed 003's reconciliation record, with our id and scale conventions.
--    `reconcile_inventory` writes one; so does posting a count (`count_id`),
--    so both paths leave the same record.
CREATE TABLE inventory_reconciliations (
    id                   TEXT PRIMARY KEY,
    store_id             TEXT NOT NULL REFERENCES stores(id),
    reconciliation_date  TEXT NOT NULL,
    total_variance_milli INTEGER NOT NULL,
    notes                TEXT,
    user_id              TEXT NOT NULL REFERENCES users(id),
    count_id             TEXT REFERENCES inventory_counts(id),
    created_at           TEXT NOT NULL
);
CREATE INDEX ix_inventory_reconciliations_store ON inventory_reconciliations(store_id, created_at);
CREATE UNIQUE INDEX ux_inventory_reconciliations_count ON inventory_reconciliations(count_id)
    WHERE count_id IS NOT NULL;

CREATE TABLE reconciliation_items (
    id                   TEXT PRIMARY KEY,
    reconciliation_id    TEXT NOT NULL REFERENCES inventory_reconciliations(id),
    batch_id             TEXT NOT NULL REFERENCES batches(id),
    product_id           TEXT NOT NULL REFERENCES products(id),
    system_milli         INTEGER NOT NULL CHECK (system_milli >= 0),
    counted_milli        INTEGER NOT NULL CHECK (counted_milli >= 0),
    variance_milli       INTEGER NOT NULL,
    created_at           TEXT NOT NULL,
    CHECK (variance_milli = counted_milli - system_milli)
);
CREATE INDEX ix_reconciliation_items_reconciliation ON reconciliation_items(reconciliation_id);
