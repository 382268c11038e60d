-- Head office's vendors (issue 13): published, versioned and pulled as the
-- catalogue's products are (V3). Each vendor is kept as stores apply it
-- (`body`, the protocol's CatalogueVendor as JSON).
--
-- Vendors share the catalogue's feed: their (xid, seq) come from the same
-- sequence as the products', so one cursor orders both and a store reads
-- each product and vendor once, at its newest version.
CREATE TABLE catalogue_vendors (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    version     BIGINT NOT NULL CHECK (version > 0),
    body        TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by  TEXT NOT NULL REFERENCES admins(name),
    xid         xid8 NOT NULL DEFAULT pg_current_xact_id(),
    seq         BIGINT NOT NULL DEFAULT nextval('catalogue_seq')
);
CREATE UNIQUE INDEX ux_catalogue_vendors_name ON catalogue_vendors (lower(name));
CREATE UNIQUE INDEX ux_catalogue_vendors_feed ON catalogue_vendors (xid, seq);

-- Every version ever published (head office's own audit trail).
CREATE TABLE catalogue_vendor_versions (
    vendor_id   TEXT NOT NULL REFERENCES catalogue_vendors(id),
    version     BIGINT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by  TEXT NOT NULL,
    PRIMARY KEY (vendor_id, version)
);
CREATE TRIGGER catalogue_vendor_versions_no_update BEFORE UPDATE OR DELETE ON catalogue_vendor_versions
    FOR EACH ROW EXECUTE FUNCTION append_only();
