-- The event tables partitioned by store (issue 13, SYNC-NOTES "Scaling past
-- one server"). V7, not V6: V6 is taken by another change.
--
-- record_events and mailbox become `PARTITION BY HASH` of their store
-- column, in 16 partitions. Every query the server makes of a store's
-- record or mailbox names that store (push, pull, verify, head office's
-- per-store reads), so PostgreSQL reads one partition; the cross-store
-- reads of head office (the trail, stock of every store, counts per kind)
-- read all 16 through the same indexes, made on each partition. Vacuum,
-- index builds and a partition's size scale with a sixteenth of the chain.
--
-- The same layout is the first step to Citus: with `store_id` already the
-- partition key and the first column of every key, the next step is
--   SELECT create_distributed_table('record_events', 'store_id');
--   SELECT create_distributed_table('mailbox', 'to_store_id');
-- (with `stores` a reference or co-located table), no redesign: each
-- store's rows sit on one worker and each sync request routes to one shard.
--
-- Rows are moved, not rewritten: every column (received_at, and the
-- mailbox's xid and id that the pull cursor is made of) keeps its value.
-- The move runs in the migration's transaction; on a big database it holds
-- both tables' locks while it copies (run it in a maintenance window).
-- Columns are taken from the tables as they stand (LIKE), so a column an
-- earlier migration added comes along; an index or trigger an earlier
-- migration added to either table would have to be made again below.
-- refinery refuses a lower version found after a higher one was applied:
-- V6 must be applied before this (merged first), or databases that ran V7
-- will refuse to start once V6 appears.

-- record_events --------------------------------------------------------------

ALTER TABLE record_events RENAME TO record_events_unpartitioned;
ALTER INDEX record_events_pkey RENAME TO record_events_unpartitioned_pkey;
ALTER INDEX record_events_id_key RENAME TO record_events_unpartitioned_id_key;
-- V4's indexes are made again on the partitioned table (same names).
DROP INDEX ix_record_events_batch_quantity;
DROP INDEX ix_record_events_received;
DROP INDEX ix_record_events_kind_received;
DROP INDEX ix_record_events_reference;

-- The columns, their defaults, NOT NULLs and CHECKs as they are now (LIKE),
-- so a column added by an earlier migration is carried over too; the keys
-- and the foreign key are declared here.
CREATE TABLE record_events (
    LIKE record_events_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
    PRIMARY KEY (store_id, seq),
    CONSTRAINT record_events_store_id_fkey FOREIGN KEY (store_id) REFERENCES stores(id),
    -- V1 had `id UNIQUE` across every store. A partitioned table can only
    -- enforce a unique key that holds the partition key, so it is now
    -- unique per store. That keeps every guarantee the server relies on:
    --  * a push is idempotent by (store_id, seq), the primary key, not by
    --    id: a repeated event is recognised by its seq and compared field
    --    by field (lib.rs, store_events), never looked up by id;
    --  * an event belongs to exactly one store's record: its store_id is
    --    inside its hash (pharmapos_protocol's canonical form), the server
    --    takes a store's events only from that store authenticated
    --    (verify_continuation checks each event's store_id), so the same
    --    id arriving under two stores would be two different stores'
    --    events, each verified in its own chain; and ids are UUID v7 made
    --    by the store, so two stores do not make the same one;
    --  * the mailbox names an event by (addressee, event_id), which this
    --    key covers for the sending store.
    UNIQUE (store_id, id)
) PARTITION BY HASH (store_id);

DO $$
BEGIN
    FOR i IN 0..15 LOOP
        EXECUTE format(
            'CREATE TABLE record_events_p%s PARTITION OF record_events
                 FOR VALUES WITH (MODULUS 16, REMAINDER %s)', i, i);
    END LOOP;
END;
$$;

-- Same columns in the same order (LIKE): every value as it was.
INSERT INTO record_events SELECT * FROM record_events_unpartitioned;
DROP TABLE record_events_unpartitioned;

-- V4's indexes, now one per partition under each name.
CREATE INDEX ix_record_events_batch_quantity ON record_events (store_id, batch_id, seq DESC)
    WHERE batch_id IS NOT NULL AND new_milli IS NOT NULL;
CREATE INDEX ix_record_events_received ON record_events (received_at DESC, store_id DESC, seq DESC);
CREATE INDEX ix_record_events_kind_received
    ON record_events (change_type, received_at DESC, store_id DESC, seq DESC);
CREATE INDEX ix_record_events_reference ON record_events (reference_id)
    WHERE reference_id IS NOT NULL;

-- Append-only, as in V1 (a row trigger on a partitioned table is made on
-- every partition, PostgreSQL 13 and later).
CREATE TRIGGER record_events_no_update BEFORE UPDATE OR DELETE ON record_events
    FOR EACH ROW EXECUTE FUNCTION record_events_immutable();

-- mailbox ---------------------------------------------------------------------
-- Partitioned by the addressee: a pull reads one store's mailbox. Its keys
-- already start with to_store_id, so they stay as they were. The id
-- sequence is kept (detached from the old table, attached to the new), so
-- new rows continue after the moved ones.

ALTER TABLE mailbox RENAME TO mailbox_unpartitioned;
ALTER INDEX mailbox_pkey RENAME TO mailbox_unpartitioned_pkey;
ALTER INDEX mailbox_to_store_id_event_id_key RENAME TO mailbox_unpartitioned_to_store_id_event_id_key;
ALTER SEQUENCE mailbox_id_seq OWNED BY NONE;

CREATE TABLE mailbox (
    LIKE mailbox_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
    PRIMARY KEY (to_store_id, xid, id),
    CONSTRAINT mailbox_from_store_id_fkey FOREIGN KEY (from_store_id) REFERENCES stores(id),
    UNIQUE (to_store_id, event_id)
) PARTITION BY HASH (to_store_id);
-- The new id column's default (copied by LIKE) is the same nextval: the
-- old table lets go of it, the new one owns the sequence.
ALTER TABLE mailbox_unpartitioned ALTER COLUMN id DROP DEFAULT;
ALTER SEQUENCE mailbox_id_seq OWNED BY mailbox.id;

DO $$
BEGIN
    FOR i IN 0..15 LOOP
        EXECUTE format(
            'CREATE TABLE mailbox_p%s PARTITION OF mailbox
                 FOR VALUES WITH (MODULUS 16, REMAINDER %s)', i, i);
    END LOOP;
END;
$$;

INSERT INTO mailbox SELECT * FROM mailbox_unpartitioned;
DROP TABLE mailbox_unpartitioned;

CREATE TRIGGER mailbox_no_update BEFORE UPDATE OR DELETE ON mailbox
    FOR EACH ROW EXECUTE FUNCTION mailbox_immutable();
