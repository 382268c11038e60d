-- PharmaPOS store database, schema 8: the till's return disposition and
-- sale numbers that name their store.
--
-- 1. Where a returned pack goes when the cashier does not say: a pharmacy
--    does not put dispensed medicine back on the shelf unchecked, so the
--    default is quarantine; a store may choose restock or waste instead.
ALTER TABLE store_settings ADD COLUMN return_disposition TEXT NOT NULL DEFAULT 'quarantine'
    CHECK (return_disposition IN ('restock', 'quarantine', 'waste'));

-- 2. New sale numbers are "<store code>-<prefix>-<number>" (LEK-S-000123):
--    head office reads every store's events side by side, and the store code
--    (unique) keeps two stores from printing the same number. The prefix is
--    now letters and digits only (default "S"), so a number splits one way
--    only and store "A" with prefix "BS" can never print what store "A-B"
--    prints. Existing numbers are kept as they were printed.
--    A prefix that was the store code itself becomes the default; one that
--    began with "<code>-" keeps the rest; any other loses its hyphens.
UPDATE store_settings SET sale_prefix = NULL
 WHERE sale_prefix = (SELECT code FROM stores WHERE stores.id = store_settings.store_id);
UPDATE store_settings
   SET sale_prefix = substr(sale_prefix, length((SELECT code FROM stores WHERE stores.id = store_settings.store_id)) + 2)
 WHERE sale_prefix IS NOT NULL
   AND substr(sale_prefix, 1, length((SELECT code FROM stores WHERE stores.id = store_settings.store_id)) + 1)
       = (SELECT code FROM stores WHERE stores.id = store_settings.store_id) || '-';
UPDATE store_settings SET sale_prefix = NULLIF(REPLACE(sale_prefix, '-', ''), '') WHERE sale_prefix IS NOT NULL;

-- 3. A return reads what earlier returns of the same sale lines refunded;
--    without this index that was a scan of every return the store took.
CREATE INDEX ix_sale_return_lines_line ON sale_return_lines(sale_line_id);
