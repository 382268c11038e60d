-- How far each store's alert sweep has read the store's record: a sweep of
-- only what changed reads the record after this sequence number. Bookkeeping
-- of the sweep, not a change of the store's stock, so not an event.
CREATE TABLE alert_sweep_marks (
    store_id  TEXT PRIMARY KEY REFERENCES stores(id),
    swept_seq INTEGER NOT NULL CHECK (swept_seq >= 0),
    swept_at  TEXT NOT NULL
);
