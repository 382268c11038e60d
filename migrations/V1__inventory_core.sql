-- PharmaPOS store database, schema 1: catalogue, people, batches, receipts,
-- reservations, adjustments, backorders and the hash-chained audit ledger.
--
-- Conventions (see crates/engine/src/num.rs):
--   ids            UUID v7 as TEXT
--   quantities     INTEGER thousandths of a unit   (*_milli)
--   money          INTEGER ten-thousandths         (*_e4)
--   instants       TEXT RFC 3339 UTC, millisecond precision
--   calendar dates TEXT YYYY-MM-DD; a batch with no expiry stores 9999-12-31
--                  so that FEFO order is a plain index scan.

-- Marks the file as a PharmaPOS database (checked on open).
CREATE TABLE pharmapos_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO pharmapos_meta (key, value) VALUES ('application', 'pharmapos');

CREATE TABLE stores (
    id                         TEXT PRIMARY KEY,
    code                       TEXT NOT NULL UNIQUE,
    name                       TEXT NOT NULL,
    timezone                   TEXT NOT NULL,
    currency                   TEXT NOT NULL DEFAULT 'NGN',
    address                    TEXT,
    phone                      TEXT,
    adjustment_approval_milli  INTEGER NOT NULL DEFAULT 10000,   -- 10 units
    adjustment_approval_e4     INTEGER NOT NULL DEFAULT 1000000, -- 100.00
    is_active                  INTEGER NOT NULL DEFAULT 1,
    created_at                 TEXT NOT NULL,
    updated_at                 TEXT NOT NULL
);

CREATE TABLE users (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role                 TEXT NOT NULL CHECK (role IN ('cashier', 'practitioner', 'manager', 'admin')),
    store_id             TEXT REFERENCES stores(id),
    pin_hash             TEXT,
    is_active            INTEGER NOT NULL DEFAULT 1,
    failed_pin_attempts  INTEGER NOT NULL DEFAULT 0,
    locked_until         TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    created_by           TEXT
);

-- Seed 003's suppliers and seed 000's vendors are one table.
CREATE TABLE suppliers (
    id                     TEXT PRIMARY KEY,
    name                   TEXT NOT NULL UNIQUE COLLATE NOCASE,
    contact_person         TEXT,
    email                  TEXT,
    phone                  TEXT,
    address                TEXT,
    account_number         TEXT,
    payment_terms          TEXT,
    tax_id                 TEXT,
    is_preferred           INTEGER NOT NULL DEFAULT 0,
    categories             TEXT NOT NULL DEFAULT '[]',  -- JSON array of specialisations
    on_time_delivery_rate  TEXT,                        -- decimal percent
    quality_rating         TEXT,                        -- decimal 0..5
    average_lead_time_days INTEGER,
    notes                  TEXT,
    is_active              INTEGER NOT NULL DEFAULT 1,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    created_by             TEXT,
    updated_by             TEXT
);

CREATE TABLE categories (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL COLLATE NOCASE,
    display_name  TEXT,
    description   TEXT,
    parent_id     TEXT REFERENCES categories(id),
    created_at    TEXT NOT NULL,
    UNIQUE (parent_id, name)
);

CREATE TABLE products (
    id                 TEXT PRIMARY KEY,
    sku                TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name               TEXT NOT NULL,
    generic_name       TEXT,
    brand              TEXT,
    description        TEXT,
    category           TEXT NOT NULL DEFAULT 'other'
        CHECK (category IN ('neurotoxin', 'filler', 'skincare', 'device', 'consumable', 'supplement', 'medicine', 'other')),
    category_id        TEXT REFERENCES categories(id),
    nafdac_number      TEXT,
    unit               TEXT NOT NULL DEFAULT 'unit',
    allow_fractional   INTEGER NOT NULL DEFAULT 0,
    prescription_only  INTEGER NOT NULL DEFAULT 0,
    cost_price_e4      INTEGER NOT NULL DEFAULT 0 CHECK (cost_price_e4 >= 0),
    selling_price_e4   INTEGER NOT NULL DEFAULT 0 CHECK (selling_price_e4 >= 0),
    retail_price_e4    INTEGER CHECK (retail_price_e4 >= 0),
    markup_percent     TEXT,
    commission_rate    TEXT,
    tax_rate           TEXT NOT NULL DEFAULT '0',
    injectable         TEXT,   -- JSON: concentration, dilution, reconstitution
    storage            TEXT,   -- JSON: temperature range, refrigerated, light sensitive
    reorder_point_milli INTEGER,
    min_level_milli    INTEGER,
    max_level_milli    INTEGER,
    lead_time_days     INTEGER,
    track_lot          INTEGER NOT NULL DEFAULT 1,
    track_serial       INTEGER NOT NULL DEFAULT 0,
    expiry_required    INTEGER NOT NULL DEFAULT 1,
    status             TEXT NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'discontinued', 'out_of_stock', 'pending_approval')),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    created_by         TEXT,
    updated_by         TEXT,
    deleted_at         TEXT,
    deleted_by         TEXT
);
CREATE INDEX ix_products_name ON products(name COLLATE NOCASE);
CREATE INDEX ix_products_category ON products(category);
CREATE INDEX ix_products_status ON products(status);

CREATE TABLE product_barcodes (
    barcode     TEXT PRIMARY KEY,
    product_id  TEXT NOT NULL REFERENCES products(id)
) WITHOUT ROWID;
CREATE INDEX ix_product_barcodes_product ON product_barcodes(product_id);

-- Full-text index for the till's search (name, generic, brand, SKU, NAFDAC, barcodes).
CREATE VIRTUAL TABLE product_search USING fts5(
    product_id UNINDEXED, name, terms, tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE purchase_receipts (
    id                TEXT PRIMARY KEY,
    supplier_id       TEXT NOT NULL REFERENCES suppliers(id),
    store_id          TEXT NOT NULL REFERENCES stores(id),
    reference_number  TEXT,
    total_amount_e4   INTEGER NOT NULL DEFAULT 0,
    received_date     TEXT NOT NULL,
    notes             TEXT,
    created_by        TEXT NOT NULL REFERENCES users(id),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_purchase_receipts_reference
    ON purchase_receipts(store_id, supplier_id, reference_number) WHERE reference_number IS NOT NULL;
CREATE INDEX ix_purchase_receipts_supplier_date ON purchase_receipts(supplier_id, received_date);

CREATE TABLE batches (
    id                   TEXT PRIMARY KEY,
    product_id           TEXT NOT NULL REFERENCES products(id),
    store_id             TEXT NOT NULL REFERENCES stores(id),
    batch_number         TEXT NOT NULL,
    serial_number        TEXT,
    expiry_date          TEXT NOT NULL,
    manufacture_date     TEXT,
    initial_milli        INTEGER NOT NULL CHECK (initial_milli >= 0),
    on_hand_milli        INTEGER NOT NULL CHECK (on_hand_milli >= 0),
    reserved_milli       INTEGER NOT NULL DEFAULT 0 CHECK (reserved_milli >= 0 AND reserved_milli <= on_hand_milli),
    cost_price_e4        INTEGER NOT NULL CHECK (cost_price_e4 >= 0),
    supplier_id          TEXT REFERENCES suppliers(id),
    purchase_receipt_id  TEXT REFERENCES purchase_receipts(id),
    received_date        TEXT NOT NULL,
    location             TEXT,
    status               TEXT NOT NULL DEFAULT 'available'
        CHECK (status IN ('available', 'quarantine', 'expired', 'recalled', 'depleted', 'damaged')),
    status_reason        TEXT,
    last_event_seq       INTEGER,   -- newest audit event of this batch (see inventory_audit)
    recall_class         TEXT CHECK (recall_class IN ('I', 'II', 'III')),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    UNIQUE (store_id, product_id, batch_number)
);
-- FEFO: the allocation query is a range scan of this index in expiry order.
CREATE INDEX ix_batches_product_store_expiry ON batches(product_id, store_id, expiry_date);
CREATE INDEX ix_batches_store_expiry_instock ON batches(store_id, expiry_date) WHERE on_hand_milli > 0;

CREATE TABLE stock_reservations (
    id             TEXT PRIMARY KEY,
    batch_id       TEXT NOT NULL REFERENCES batches(id),
    store_id       TEXT NOT NULL REFERENCES stores(id),
    quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
    reason         TEXT NOT NULL,
    reference_id   TEXT,
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'released', 'confirmed', 'expired')),
    user_id        TEXT NOT NULL REFERENCES users(id),
    expires_at     TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX ix_stock_reservations_batch ON stock_reservations(batch_id) WHERE status = 'active';
-- The seed's UNIQUE (batch, reason, status) would forbid two carts holding one
-- batch; its intent is "no duplicate active hold for the same reference".
CREATE UNIQUE INDEX ux_stock_reservations_active_reference
    ON stock_reservations(batch_id, reason, reference_id) WHERE status = 'active' AND reference_id IS NOT NULL;

CREATE TABLE stock_adjustments (
    id                   TEXT PRIMARY KEY,
    batch_id             TEXT NOT NULL REFERENCES batches(id),
    store_id             TEXT NOT NULL REFERENCES stores(id),
    kind                 TEXT NOT NULL CHECK (kind IN ('adjustment', 'writeoff')),
    quantity_change_milli INTEGER NOT NULL,
    previous_milli       INTEGER,
    new_milli            INTEGER,
    reason               TEXT NOT NULL,
    notes                TEXT,
    status               TEXT NOT NULL CHECK (status IN ('pending', 'applied', 'rejected')),
    user_id              TEXT NOT NULL REFERENCES users(id),
    approved_by          TEXT REFERENCES users(id),
    decided_at           TEXT,
    decision_notes       TEXT,
    created_at           TEXT NOT NULL
);
CREATE INDEX ix_stock_adjustments_batch_date ON stock_adjustments(batch_id, created_at);
CREATE INDEX ix_stock_adjustments_status ON stock_adjustments(store_id, status);

CREATE TABLE backorders (
    id               TEXT PRIMARY KEY,
    product_id       TEXT NOT NULL REFERENCES products(id),
    store_id         TEXT NOT NULL REFERENCES stores(id),
    quantity_milli   INTEGER NOT NULL CHECK (quantity_milli > 0),
    fulfilled_milli  INTEGER NOT NULL DEFAULT 0 CHECK (fulfilled_milli >= 0 AND fulfilled_milli <= quantity_milli),
    customer_id      TEXT,
    customer_name    TEXT,
    customer_phone   TEXT,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'partial', 'fulfilled', 'cancelled')),
    notes            TEXT,
    user_id          TEXT NOT NULL REFERENCES users(id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    fulfilled_date   TEXT
);
CREATE INDEX ix_backorders_product_status ON backorders(product_id, store_id, status);

-- The audit ledger: append-only, hash-chained per store; seq is the sync cursor.
-- Clustered on (store_id, seq): the table is its own chain index, so an
-- append dirties one tail page instead of a table page plus an index page.
CREATE TABLE inventory_audit (
    store_id          TEXT NOT NULL REFERENCES stores(id),
    seq               INTEGER NOT NULL,
    id                TEXT NOT NULL,   -- UUID v7 minted here; the server dedups on it
    batch_id          TEXT,
    product_id        TEXT,
    change_type       TEXT NOT NULL,
    previous_milli    INTEGER,
    new_milli         INTEGER,
    user_id           TEXT NOT NULL,
    reference_id      TEXT,
    notes             TEXT,
    created_at        TEXT NOT NULL,
    batch_prev_seq    INTEGER,         -- this batch's previous event (a per-batch back-link)
    hash              TEXT NOT NULL,   -- SHA-256(previous event's hash ‖ canonical bytes)
    PRIMARY KEY (store_id, seq)
) WITHOUT ROWID;
-- Every index here costs one more page written per sale. Events of a batch
-- are found through back-links instead (batches.last_event_seq, then
-- batch_prev_seq): the batch row is written by the same change anyway. Only
-- events naming a product without a batch (backorders, rare) get an index.
CREATE INDEX ix_inventory_audit_product_only ON inventory_audit(product_id) WHERE batch_id IS NULL;

CREATE TRIGGER inventory_audit_no_update BEFORE UPDATE ON inventory_audit
BEGIN
    SELECT RAISE(ABORT, 'inventory_audit is append-only');
END;
CREATE TRIGGER inventory_audit_no_delete BEFORE DELETE ON inventory_audit
BEGIN
    SELECT RAISE(ABORT, 'inventory_audit is append-only');
END;
