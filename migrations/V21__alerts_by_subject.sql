-- PharmaPOS store database, schema 21: an open alert found by its subject
-- without its kind.
--
-- Resolving "the open alert of this type on this subject" (the sweep, a
-- count, a vial, a fridge) names the subject's id but not its kind. The
-- unique index V12 made leads with the kind before the id, so that lookup
-- read every open alert of the type: with 40,000 batches expiring, one full
-- sweep compared ids 40,000 × 40,000 times (minutes, holding the store's
-- database). Alerts are written by the sweep and the operations that raise
-- them, never by a sale, so this index costs the till nothing.
CREATE INDEX ix_alerts_open_subject_id ON alerts(store_id, alert_type, subject_id)
    WHERE status IN ('active', 'acknowledged');
