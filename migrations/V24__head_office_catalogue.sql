-- PharmaPOS store database, schema 24: head office's catalogue (issue 13).
--
-- A product head office publishes carries the version applied here; NULL
-- for the store's own products. Head office owns such a product's identity,
-- description, how it is sold and its selling price (the engine refuses
-- local changes to them); the store keeps its cost, reorder levels,
-- storage and location.
ALTER TABLE products ADD COLUMN catalogue_version INTEGER CHECK (catalogue_version > 0);

-- Where the store's pull of the catalogue feed stands (the server's cursor).
ALTER TABLE sync_links ADD COLUMN catalogue_cursor TEXT NOT NULL DEFAULT '0.0';

-- Where the store's pull of head office's directory of stores stands.
ALTER TABLE sync_links ADD COLUMN directory_cursor TEXT NOT NULL DEFAULT '0.0';
