-- A store's open alerts by severity, kept as running counts (the alert
-- badge, every list_alerts and every alert sweep reads them). Counting
-- them from ix_alerts_open_severity took 55 ms with half a million open
-- alerts (the 100,000-product benchmark store, where most lots have
-- expired), and the sweep of what changed, which runs a second after each
-- sale while the till holds the same connection, spent all of it there.
-- Triggers keep the counts with the alerts in the same transaction.
CREATE TABLE alert_open_counts (
    store_id  TEXT NOT NULL REFERENCES stores(id),
    severity  TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    n         INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (store_id, severity)
) WITHOUT ROWID;

INSERT INTO alert_open_counts (store_id, severity, n)
SELECT store_id, severity, COUNT(*) FROM alerts
 WHERE status IN ('active', 'acknowledged')
 GROUP BY store_id, severity;

CREATE TRIGGER alert_open_counts_insert AFTER INSERT ON alerts
WHEN NEW.status IN ('active', 'acknowledged')
BEGIN
    INSERT INTO alert_open_counts (store_id, severity, n) VALUES (NEW.store_id, NEW.severity, 1)
    ON CONFLICT (store_id, severity) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER alert_open_counts_update AFTER UPDATE OF store_id, severity, status ON alerts
WHEN (OLD.status IN ('active', 'acknowledged')) OR (NEW.status IN ('active', 'acknowledged'))
BEGIN
    UPDATE alert_open_counts SET n = n - 1
     WHERE OLD.status IN ('active', 'acknowledged')
       AND store_id = OLD.store_id AND severity = OLD.severity;
    INSERT INTO alert_open_counts (store_id, severity, n)
    SELECT NEW.store_id, NEW.severity, 1 WHERE NEW.status IN ('active', 'acknowledged')
    ON CONFLICT (store_id, severity) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER alert_open_counts_delete AFTER DELETE ON alerts
WHEN OLD.status IN ('active', 'acknowledged')
BEGIN
    UPDATE alert_open_counts SET n = n - 1
     WHERE store_id = OLD.store_id AND severity = OLD.severity;
END;
