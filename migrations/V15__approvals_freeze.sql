-- PharmaPOS store database, schema 15: approvals everywhere and the stock
-- freeze date.
--
-- Same conventions as V1: ids UUID v7 TEXT, quantities *_milli, instants
-- RFC 3339 UTC TEXT, dates YYYY-MM-DD TEXT.

-- 1. Returns to supplier join adjustments and write-offs in
--    stock_adjustments, so one pending/approve/reject machinery
--    (approve_adjustment, reject_adjustment) decides all three. A return
--    names the supplier it goes back to. SQLite cannot change a CHECK in
--    place, so the table is rebuilt (nothing references it).
CREATE TABLE stock_adjustments_v15 (
    id                   TEXT PRIMARY KEY,
    batch_id             TEXT NOT NULL REFERENCES batches(id),
    store_id             TEXT NOT NULL REFERENCES stores(id),
    kind                 TEXT NOT NULL CHECK (kind IN ('adjustment', 'writeoff', 'supplier_return')),
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
    created_at           TEXT NOT NULL,
    supplier_id          TEXT REFERENCES suppliers(id),
    -- A write-off or a return takes stock away; only a return names a supplier.
    CHECK (kind = 'adjustment' OR quantity_change_milli < 0),
    CHECK ((kind = 'supplier_return') = (supplier_id IS NOT NULL)),
    -- A decided request says who decided and when; a rejection says why.
    CHECK (status = 'pending' OR (approved_by IS NOT NULL AND decided_at IS NOT NULL)),
    CHECK (status <> 'applied' OR (previous_milli IS NOT NULL AND new_milli IS NOT NULL))
);
INSERT INTO stock_adjustments_v15 (id, batch_id, store_id, kind, quantity_change_milli, previous_milli, new_milli, reason,
                                   notes, status, user_id, approved_by, decided_at, decision_notes, created_at)
SELECT id, batch_id, store_id, kind, quantity_change_milli, previous_milli, new_milli, reason,
       notes, status, user_id, approved_by, decided_at, decision_notes, created_at
  FROM stock_adjustments;
DROP TABLE stock_adjustments;
ALTER TABLE stock_adjustments_v15 RENAME TO stock_adjustments;
CREATE INDEX ix_stock_adjustments_batch_date ON stock_adjustments(batch_id, created_at);
-- list_adjustments by status, and the approvals queue (pending, oldest first).
CREATE INDEX ix_stock_adjustments_status ON stock_adjustments(store_id, status, created_at);

-- 2. The stock freeze date: a manager closes the books up to a day; no
--    stock movement may be dated before it (checked in the engine's one
--    stock writer). NULL: no freeze.
ALTER TABLE stores ADD COLUMN stock_freeze_date TEXT
    CHECK (stock_freeze_date IS NULL OR stock_freeze_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]');
