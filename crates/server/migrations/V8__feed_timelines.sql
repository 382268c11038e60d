-- Feeds across a database failover (issue 13, docs/scaling.md).
--
-- A feed cursor is a transaction id. A promoted asynchronous replica numbers
-- new transactions from the last one it replayed, so it hands out again ids
-- the lost primary had used: a store that pulled in the lost window holds a
-- cursor above rows the new primary writes afterwards. PostgreSQL starts a
-- new timeline at every promotion, so each feed row records the timeline it
-- was written on, and a cursor carries the cluster and timeline it was read
-- on. A cursor from an older timeline also takes every row written on a
-- later one (few: only what came after the failover); one from another
-- cluster starts over. Staging is idempotent, so a row sent twice is kept
-- once.
--
-- The current timeline is the first field of the current WAL file's name
-- (the primary's insertion timeline); both functions are PUBLIC.
CREATE FUNCTION pharmapos_timeline() RETURNS integer LANGUAGE sql VOLATILE AS $$
    SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::integer
$$;

-- Rows written before this migration are timeline 0, as are cursors handed
-- out before it: nothing written since can sit below such a cursor unless a
-- failover came after, and then the row's timeline is above 0.
ALTER TABLE mailbox ADD COLUMN tl integer NOT NULL DEFAULT 0;
ALTER TABLE mailbox ALTER COLUMN tl SET DEFAULT pharmapos_timeline();
CREATE INDEX ix_mailbox_timeline ON mailbox (to_store_id, tl, xid, id);

ALTER TABLE catalogue_products ADD COLUMN tl integer NOT NULL DEFAULT 0;
ALTER TABLE catalogue_products ALTER COLUMN tl SET DEFAULT pharmapos_timeline();
CREATE INDEX ix_catalogue_products_timeline ON catalogue_products (tl, xid, seq);

ALTER TABLE catalogue_vendors ADD COLUMN tl integer NOT NULL DEFAULT 0;
ALTER TABLE catalogue_vendors ALTER COLUMN tl SET DEFAULT pharmapos_timeline();
CREATE INDEX ix_catalogue_vendors_timeline ON catalogue_vendors (tl, xid, seq);

ALTER TABLE stores ADD COLUMN dir_tl integer NOT NULL DEFAULT 0;
ALTER TABLE stores ALTER COLUMN dir_tl SET DEFAULT pharmapos_timeline();
CREATE INDEX ix_stores_directory_timeline ON stores (dir_tl, dir_xid, dir_seq);
