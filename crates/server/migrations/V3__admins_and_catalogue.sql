-- Head office (issue 13): its people, and the catalogue it owns.

-- Who may use the admin API and head office's web view. A token is 256
-- random bits, shown once (`pharmapos-server admin add`), kept as SHA-256.
CREATE TABLE admins (
    name          TEXT PRIMARY KEY,
    token_sha256  TEXT NOT NULL UNIQUE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Head office's catalogue: each product as stores apply it (`body`, the
-- protocol's CatalogueProduct as JSON), versioned from 1. Head office owns
-- these fields; a store owns the rest of its product row (cost, reorder
-- levels, location).
--
-- The feed stores pull is this table itself, ordered by (xid, seq): an edit
-- moves the product to the end (its transaction's id and a new seq), so a
-- new store reads each product once, at its newest version, and a store
-- that has pulled before reads only what changed. Gap-free as the mailbox
-- (V2): only rows older than the oldest running transaction are handed out.
CREATE SEQUENCE catalogue_seq;
CREATE TABLE catalogue_products (
    id          TEXT PRIMARY KEY,
    sku         TEXT NOT NULL UNIQUE,
    version     BIGINT NOT NULL CHECK (version > 0),
    body        TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by  TEXT NOT NULL REFERENCES admins(name),
    xid         xid8 NOT NULL DEFAULT pg_current_xact_id(),
    seq         BIGINT NOT NULL DEFAULT nextval('catalogue_seq')
);
CREATE UNIQUE INDEX ux_catalogue_feed ON catalogue_products (xid, seq);
CREATE INDEX ix_catalogue_name ON catalogue_products (lower(body::json->>'name'));

-- Every version ever published (head office's own audit trail).
CREATE TABLE catalogue_versions (
    product_id  TEXT NOT NULL REFERENCES catalogue_products(id),
    version     BIGINT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by  TEXT NOT NULL,
    PRIMARY KEY (product_id, version)
);
CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER catalogue_versions_no_update BEFORE UPDATE OR DELETE ON catalogue_versions
    FOR EACH ROW EXECUTE FUNCTION append_only();

-- What each store last told the server about itself, for head office's view:
-- its local head (so the backlog is known) and when it last pulled.
ALTER TABLE stores ADD COLUMN reported_head BIGINT;
ALTER TABLE stores ADD COLUMN last_pull_at TIMESTAMPTZ;
