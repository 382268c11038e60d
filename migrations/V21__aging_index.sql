-- PharmaPOS store database, schema 21: batch aging reads an index, not the table.
--
-- The aging report groups every batch with stock by its received date and,
-- for slow movers, by product. Read from the batches table that is a scan
-- of a million wide rows (twice: buckets, then slow movers) — 1.4 s on a
-- store of 1,000,000 batches. This partial index holds exactly the columns
-- both queries read, ordered by product, so each becomes a scan of a
-- narrow index with no sort for the per-product grouping. Its price: a sale
-- that changes a batch's on-hand rewrites that batch's entry (one more
-- B-tree update per batch taken). See docs/benchmarks.md for the figures.
CREATE INDEX ix_batches_store_aging
    ON batches(store_id, product_id, received_date, on_hand_milli, cost_price_e4)
    WHERE on_hand_milli > 0;
