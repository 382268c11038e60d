-- PharmaPOS store database, schema 25: head office's vendors (issue 13).
--
-- A supplier head office publishes carries the version applied here; NULL
-- for the store's own suppliers. Head office owns such a vendor's name,
-- contacts, payment terms, tax id, specialisations and whether it is active
-- (the engine refuses local changes to them); the store keeps its account
-- number with the vendor, its preferred flag, its notes and the performance
-- it measured.
ALTER TABLE suppliers ADD COLUMN catalogue_version INTEGER CHECK (catalogue_version > 0);
