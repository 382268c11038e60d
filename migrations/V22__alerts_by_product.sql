-- PharmaPOS store database, schema 22: a product's open alerts, and the
-- open alerts counted by severity.
--
-- The sweep a moment after each sale looks only at the products the sale
-- touched, resolves those products' open alerts whose cause went away, and
-- counts the store's open alerts by severity for the navigation badge.
-- Without these indexes it read every open alert of the store for both
-- (90,000 on the benchmark store). The status is in the second index so
-- that the count reads the index alone. Alerts are never written by a sale.
CREATE INDEX ix_alerts_open_product ON alerts(store_id, product_id)
    WHERE status IN ('active', 'acknowledged');
CREATE INDEX ix_alerts_open_severity ON alerts(store_id, severity, status)
    WHERE status IN ('active', 'acknowledged');
