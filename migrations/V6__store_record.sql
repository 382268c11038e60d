-- V6: the store's complete record.
--
-- 1. The installation: every database file gets an identity when it is
--    created (or, for a file made before V6, when it is first opened by this
--    release). Backup and restore copy the file, so the identity stays with
--    the store's record. Random hex, not UUID v7: SQLite has no clock-ordered
--    generator, and this id is made once and never sorted.
-- 2. Each store is owned by exactly one installation, the only writer of its
--    stock and its record; the central server binds the store to it.
-- 3. Every change is an event in the store's chain, not only stock moves:
--    `change_type` now holds the event's kind for every event (stock kinds
--    keep their names), `payload` its canonical JSON (what changed, before
--    and after), `installation_id` the writer. `format` says how the hash was
--    computed: 1 for events written before V6 (their bytes never change, so
--    they still verify), 2 for events that also hash installation and
--    payload.
CREATE TABLE installation (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    one_row     INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (one_row = 1)
);
INSERT INTO installation (id, created_at)
SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' ||
             substr('89ab', 1 + (abs(random()) % 4), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM (SELECT hex(randomblob(16)) AS h);

-- No foreign key: a file may hold stores owned by other installations (head
-- office's directory, a chain's other shops), which it reads but never writes.
ALTER TABLE stores ADD COLUMN installation_id TEXT;
UPDATE stores SET installation_id = (SELECT id FROM installation);

ALTER TABLE inventory_audit ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
ALTER TABLE inventory_audit ADD COLUMN installation_id TEXT;
ALTER TABLE inventory_audit ADD COLUMN payload TEXT;
-- The audit screen filters by category: `category` is NULL for stock events
-- (the bulk of the chain, found through batch back-links as before) and
-- names the category of every other event, so this partial index holds only
-- the rarer non-stock events and costs a sale nothing. verify checks that it
-- agrees with the hashed kind.
ALTER TABLE inventory_audit ADD COLUMN category TEXT;
CREATE INDEX ix_inventory_audit_category ON inventory_audit(category, store_id, seq)
    WHERE category IS NOT NULL;

-- A Z report prints the head of the store's chain at its close (the
-- shift_closed event's sequence number and hash), so a reprint shows the
-- same anchor and paper can be checked against the record.
ALTER TABLE shifts ADD COLUMN record_seq INTEGER;
ALTER TABLE shifts ADD COLUMN record_hash TEXT;
