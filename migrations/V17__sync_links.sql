-- Each store's link to the central server (issue 13, the client's push).
-- One row per store that was configured to sync: where to push, how far
-- the server has acknowledged the store's record (the sequence number and
-- that event's hash, so a server that forgot or rewrote the record is
-- noticed), and the last attempt, success and error for the status screen.
-- The backlog is the local head minus acked_seq, computed, never stored.
--
-- Bookkeeping of the sync client, not a change of the store: an
-- acknowledgement or an error is not an event of the record (an event per
-- ack would itself need pushing). Configuring the link is an event
-- (`sync_configured`).
CREATE TABLE sync_links (
    store_id             TEXT PRIMARY KEY REFERENCES stores(id),
    server_url           TEXT NOT NULL,
    acked_seq            INTEGER NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
    acked_hash           TEXT NOT NULL,
    configured_at        TEXT NOT NULL,
    configured_by        TEXT NOT NULL REFERENCES users(id),
    last_attempt_at      TEXT,
    last_success_at      TEXT,
    last_error_kind      TEXT,
    last_error_message   TEXT,
    last_error_retryable INTEGER CHECK (last_error_retryable IN (0, 1)),
    last_error_at        TEXT
);
