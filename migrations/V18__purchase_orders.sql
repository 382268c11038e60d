-- PharmaPOS store database, schema 18: purchase orders to vendors and the
-- receipts booked against them (seed 000's PurchaseOrder,
-- PurchaseOrderItem and ReceivingRecord).
--
-- Same conventions as V1: ids UUID v7 TEXT, quantities *_milli (thousandths),
-- money *_e4 (ten-thousandths), percentages *_e4 too (12.5 % = 125000),
-- instants RFC 3339 UTC TEXT, calendar dates YYYY-MM-DD (the store's local
-- date).
--
-- Vendors are the existing `suppliers` table (V1: account number, payment
-- terms, tax id, preferred, categories, entered performance figures). No
-- second vendor table: an order names a supplier. Vendor performance is
-- computed from the orders and receiving lines below, never stored.
--
-- What was received of a line is never a counter: it is the sum of the
-- line's receiving lines (accepted, damaged, rejected), so an order's status
-- and its lines' figures can only say what the receipts say.

-- 1. The store's limit above which a purchase order waits for a manager
--    (an order's total, in the store's currency): 500.00 by default.
ALTER TABLE stores ADD COLUMN po_approval_e4 INTEGER NOT NULL DEFAULT 5000000 CHECK (po_approval_e4 >= 0);

-- 2. The order: numbered per store.
CREATE TABLE purchase_orders (
    id                    TEXT PRIMARY KEY,
    store_id              TEXT NOT NULL REFERENCES stores(id),
    supplier_id           TEXT NOT NULL REFERENCES suppliers(id),
    number                INTEGER NOT NULL CHECK (number > 0),
    status                TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'pending_approval', 'submitted', 'confirmed', 'shipped',
                          'partial_received', 'received', 'cancelled')),
    -- The store's local date the order went to the vendor (set on submission).
    order_date            TEXT,
    expected_date         TEXT,
    -- The store's local date of the receipt that completed the order.
    actual_delivery_date  TEXT,
    carrier               TEXT,
    tracking_number       TEXT,
    vendor_reference      TEXT,
    payment_status        TEXT NOT NULL DEFAULT 'unpaid'
        CHECK (payment_status IN ('unpaid', 'partially_paid', 'paid')),
    payment_terms         TEXT,
    internal_notes        TEXT,
    vendor_notes          TEXT,
    -- The document's figures, computed exactly from its lines whenever the
    -- draft is written (lines change only while it is a draft):
    -- total = subtotal - line_discount - order_discount + tax + shipping.
    subtotal_e4           INTEGER NOT NULL DEFAULT 0 CHECK (subtotal_e4 >= 0),
    line_discount_e4      INTEGER NOT NULL DEFAULT 0 CHECK (line_discount_e4 >= 0),
    order_discount_e4     INTEGER NOT NULL DEFAULT 0 CHECK (order_discount_e4 >= 0),
    tax_e4                INTEGER NOT NULL DEFAULT 0 CHECK (tax_e4 >= 0),
    shipping_e4           INTEGER NOT NULL DEFAULT 0 CHECK (shipping_e4 >= 0),
    total_e4              INTEGER NOT NULL DEFAULT 0 CHECK (total_e4 >= 0),
    created_by            TEXT NOT NULL REFERENCES users(id),
    created_at            TEXT NOT NULL,
    submitted_by          TEXT REFERENCES users(id),
    submitted_at          TEXT,
    approved_by           TEXT REFERENCES users(id),
    approved_at           TEXT,
    rejected_by           TEXT REFERENCES users(id),
    rejected_at           TEXT,
    reject_reason         TEXT,
    confirmed_by          TEXT REFERENCES users(id),
    confirmed_at          TEXT,
    shipped_by            TEXT REFERENCES users(id),
    shipped_at            TEXT,
    received_at           TEXT,
    cancelled_by          TEXT REFERENCES users(id),
    cancelled_at          TEXT,
    cancel_reason         TEXT,
    updated_at            TEXT NOT NULL,
    CHECK (status <> 'cancelled' OR cancel_reason IS NOT NULL),
    CHECK (total_e4 = subtotal_e4 - line_discount_e4 - order_discount_e4 + tax_e4 + shipping_e4),
    UNIQUE (store_id, number)
);
-- The list pages by store, status and supplier, newest first.
CREATE INDEX ix_purchase_orders_store ON purchase_orders(store_id, status, number);
CREATE INDEX ix_purchase_orders_supplier ON purchase_orders(supplier_id, store_id, number);

-- 3. What was ordered. A line's discount is a percentage of its gross or a
--    fixed amount off it; line_total = round(quantity x unit cost) - discount.
CREATE TABLE purchase_order_items (
    id                 TEXT PRIMARY KEY,
    order_id           TEXT NOT NULL REFERENCES purchase_orders(id),
    line_no            INTEGER NOT NULL CHECK (line_no > 0),
    product_id         TEXT NOT NULL REFERENCES products(id),
    quantity_milli     INTEGER NOT NULL CHECK (quantity_milli > 0),
    unit_cost_e4       INTEGER NOT NULL CHECK (unit_cost_e4 >= 0),
    discount_kind      TEXT CHECK (discount_kind IN ('percent', 'fixed')),
    discount_value_e4  INTEGER NOT NULL DEFAULT 0 CHECK (discount_value_e4 >= 0),
    gross_e4           INTEGER NOT NULL CHECK (gross_e4 >= 0),
    discount_e4        INTEGER NOT NULL DEFAULT 0 CHECK (discount_e4 >= 0),
    line_total_e4      INTEGER NOT NULL CHECK (line_total_e4 >= 0),
    CHECK (discount_kind IS NOT NULL OR discount_value_e4 = 0),
    CHECK (line_total_e4 = gross_e4 - discount_e4),
    UNIQUE (order_id, line_no),
    UNIQUE (order_id, product_id)
);

-- 4. One receipt against an order: who booked it, when, and the purchase
--    receipt (V1) its stock joined.
CREATE TABLE receiving_records (
    id                   TEXT PRIMARY KEY,
    order_id             TEXT NOT NULL REFERENCES purchase_orders(id),
    store_id             TEXT NOT NULL REFERENCES stores(id),
    number               INTEGER NOT NULL CHECK (number > 0),
    received_date        TEXT NOT NULL,
    received_by          TEXT NOT NULL REFERENCES users(id),
    received_at          TEXT NOT NULL,
    purchase_receipt_id  TEXT REFERENCES purchase_receipts(id),
    notes                TEXT,
    UNIQUE (order_id, number)
);

-- 5. Each line of a receipt: accepted units went into the batch (one
--    `receipt` event); damaged and rejected units never entered stock.
CREATE TABLE receiving_lines (
    id               TEXT PRIMARY KEY,
    record_id        TEXT NOT NULL REFERENCES receiving_records(id),
    order_id         TEXT NOT NULL REFERENCES purchase_orders(id),
    item_id          TEXT NOT NULL REFERENCES purchase_order_items(id),
    batch_id         TEXT REFERENCES batches(id),
    batch_number     TEXT,
    expiry_date      TEXT,
    cost_e4          INTEGER NOT NULL CHECK (cost_e4 >= 0),
    accepted_milli   INTEGER NOT NULL DEFAULT 0 CHECK (accepted_milli >= 0),
    damaged_milli    INTEGER NOT NULL DEFAULT 0 CHECK (damaged_milli >= 0),
    rejected_milli   INTEGER NOT NULL DEFAULT 0 CHECK (rejected_milli >= 0),
    receipt_event_id TEXT,
    CHECK (accepted_milli + damaged_milli + rejected_milli > 0),
    CHECK ((accepted_milli > 0) = (batch_id IS NOT NULL))
);
CREATE INDEX ix_receiving_lines_item ON receiving_lines(item_id);
CREATE INDEX ix_receiving_lines_order ON receiving_lines(order_id);
CREATE INDEX ix_receiving_records_order ON receiving_records(order_id);
