-- PharmaPOS store database, schema 19: customers (issue 14, "Onboarding a
-- store": a store moving to PharmaPOS brings its customers along).
--
-- Customers are file-wide, like suppliers and products, not owned by one
-- store: a chain's customer shops at any of its stores, and the code a
-- customer had in the system the store leaves (`code`, its external
-- reference) must name one customer across the whole file. Head office owns
-- the rows (ARCHITECTURE "Ownership"); each change is an event of the acting
-- user's store's record (`customer_created`, `customer_updated`), as for
-- suppliers.
--
-- Same conventions as V1: ids UUID v7 TEXT, instants RFC 3339 UTC TEXT,
-- calendar dates YYYY-MM-DD.

CREATE TABLE customers (
    id             TEXT PRIMARY KEY,
    code           TEXT COLLATE NOCASE,        -- external reference (the old system's id)
    name           TEXT NOT NULL,
    phone          TEXT,
    email          TEXT,
    date_of_birth  TEXT,                       -- YYYY-MM-DD
    address        TEXT,
    notes          TEXT,
    is_active      INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_by     TEXT NOT NULL REFERENCES users(id),
    updated_by     TEXT NOT NULL REFERENCES users(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_customers_code ON customers(code) WHERE code IS NOT NULL;
-- The list's order (and its name search's prefix scan).
CREATE INDEX ix_customers_name ON customers(name COLLATE NOCASE, id);
CREATE INDEX ix_customers_phone ON customers(phone) WHERE phone IS NOT NULL;
