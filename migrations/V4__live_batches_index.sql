-- Expiry lists read batches that still matter by store and date. The index
-- was partial on `on_hand_milli > 0`, so every sale, changing on-hand,
-- rewrote an entry of it: one more page read and written per sale, at
-- random, in a million-batch store. Partial on the status instead, it
-- changes only when a batch empties or refills (status depleted <->
-- available), which the engine writes in a separate UPDATE for that case.
-- A batch with stock is never 'depleted' (the engine keeps that so, and
-- `verify` checks it).
DROP INDEX ix_batches_store_expiry_instock;
CREATE INDEX ix_batches_store_expiry_live ON batches(store_id, expiry_date) WHERE status <> 'depleted';
