-- PharmaPOS store database, schema 27: alert notification tracking.
--
-- An alert keeps when it was first and last announced outside the alert
-- centre (a desktop notification today) and how many times. Who was told,
-- on which channel and at which till is in the record: each announcement
-- is an `alert_notified` event. The desktop announces a critical alert
-- only while it has none, so a restart does not announce it again.
ALTER TABLE alerts ADD COLUMN notified_at TEXT;
ALTER TABLE alerts ADD COLUMN last_notified_at TEXT;
ALTER TABLE alerts ADD COLUMN notified_count INTEGER NOT NULL DEFAULT 0 CHECK (notified_count >= 0);
