-- The directory of stores as a feed (issue 13): a store pulls only the
-- stores registered (or changed) since its last pull, ordered by
-- (dir_xid, dir_seq) and handed out below the oldest running transaction,
-- as the mailbox and the catalogue are. A chain of 10,000 stores would
-- otherwise send every store the whole directory at every sync.
CREATE SEQUENCE directory_seq;
ALTER TABLE stores ADD COLUMN dir_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
ALTER TABLE stores ADD COLUMN dir_seq BIGINT NOT NULL DEFAULT nextval('directory_seq');
CREATE UNIQUE INDEX ux_stores_directory ON stores (dir_xid, dir_seq);
