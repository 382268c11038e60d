-- PharmaPOS store database, schema 9: one locale per store, and the
-- registration numbers that head its receipts.
--
-- 1. `locale` is the BCP 47 tag the store's screens and receipts format
--    numbers, money and dates with ("en-NG": ₦5,070.00). One per store, not
--    per PC: two tills of one shop print the same receipt. Existing stores
--    get plain 'en'; the engine checks the tag's shape on every write.
-- 2. `tax_number` (TIN / VAT number) and `licence_number` (the pharmacy's
--    premises licence) are printed at the head of the receipt where a
--    regulator expects them. Optional: a spa sells without a pharmacy
--    licence.
ALTER TABLE stores ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
ALTER TABLE stores ADD COLUMN tax_number TEXT;
ALTER TABLE stores ADD COLUMN licence_number TEXT;
