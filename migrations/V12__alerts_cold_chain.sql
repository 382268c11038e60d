-- PharmaPOS store database, schema 12: alerts, cold chain and reorder.
--
-- Same conventions as V1: ids UUID v7 TEXT, quantities *_milli, instants
-- RFC 3339 UTC TEXT. Temperatures are exact hundredths of a degree Celsius
-- (*_centi: 8.25 °C is 825), never floating point.

-- 1. Alerts: what needs a person's attention in a store. An alert is about
--    one subject (a product, a batch, an excursion…, named as it read when
--    raised) and moves active → acknowledged → resolved, or is dismissed;
--    each step keeps who, when and a note. There is at most one open
--    (active or acknowledged) alert per store, type and subject, so a sweep
--    that runs again finds the open alert instead of raising a second one.
CREATE TABLE alerts (
    id               TEXT PRIMARY KEY,
    store_id         TEXT NOT NULL REFERENCES stores(id),
    alert_type       TEXT NOT NULL CHECK (alert_type IN ('low_stock', 'out_of_stock', 'expiring_soon',
                         'expired', 'recall', 'temperature_excursion', 'variance_detected', 'reorder_recommended')),
    severity         TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    status           TEXT NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'acknowledged', 'resolved', 'dismissed')),
    subject_kind     TEXT NOT NULL,
    subject_id       TEXT NOT NULL,
    subject_name     TEXT NOT NULL,
    product_id       TEXT REFERENCES products(id),
    batch_id         TEXT REFERENCES batches(id),
    title            TEXT NOT NULL,
    message          TEXT NOT NULL,
    raised_at        TEXT NOT NULL,
    raised_by        TEXT REFERENCES users(id),
    updated_at       TEXT NOT NULL,
    acknowledged_at  TEXT,
    acknowledged_by  TEXT REFERENCES users(id),
    acknowledged_note TEXT,
    resolved_at      TEXT,
    resolved_by      TEXT REFERENCES users(id),
    resolved_note    TEXT,
    dismissed_at     TEXT,
    dismissed_by     TEXT REFERENCES users(id),
    dismissed_note   TEXT
);
CREATE UNIQUE INDEX ux_alerts_open_subject ON alerts(store_id, alert_type, subject_kind, subject_id)
    WHERE status IN ('active', 'acknowledged');
CREATE INDEX ix_alerts_store_status ON alerts(store_id, status, raised_at);

-- 2. Store settings for the sweep: an alert for batches expiring within
--    this many days (default 30), and the window of past days whose usage
--    gives a product's average daily usage for reorder (default 30).
ALTER TABLE store_settings ADD COLUMN expiry_alert_days INTEGER NOT NULL DEFAULT 30
    CHECK (expiry_alert_days BETWEEN 1 AND 365);
ALTER TABLE store_settings ADD COLUMN reorder_usage_days INTEGER NOT NULL DEFAULT 30
    CHECK (reorder_usage_days BETWEEN 1 AND 365);

-- 3. Storage locations: a fridge, freezer, shelf or room of a store, which
--    holds lots and has its temperature logged. A breach is judged against
--    the storage range of each product held there; the location says how
--    much excursion it tolerates (docs/clinic.md "Alerts and cold chain"):
--    a single reading further than `instant_margin_centi` outside a
--    product's range holds its lots at once; readings outside the range by
--    less add up, each lasting until the next reading, and more than
--    `tolerance_minutes` of them within the last `window_minutes` hold them.
CREATE TABLE storage_locations (
    id                    TEXT PRIMARY KEY,
    store_id              TEXT NOT NULL REFERENCES stores(id),
    name                  TEXT NOT NULL COLLATE NOCASE,
    kind                  TEXT NOT NULL CHECK (kind IN ('fridge', 'freezer', 'shelf', 'room')),
    instant_margin_centi  INTEGER NOT NULL DEFAULT 200 CHECK (instant_margin_centi >= 0),
    tolerance_minutes     INTEGER NOT NULL DEFAULT 30 CHECK (tolerance_minutes >= 0),
    window_minutes        INTEGER NOT NULL DEFAULT 1440 CHECK (window_minutes > 0),
    is_active             INTEGER NOT NULL DEFAULT 1,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    UNIQUE (store_id, name)
);

-- Where a lot is kept, and since when (a lot's exposure counts from then).
-- The engine checks the location exists and is the lot's store's (no
-- REFERENCES clause: a column added to the busiest table stays plain).
ALTER TABLE batches ADD COLUMN storage_location_id TEXT;
ALTER TABLE batches ADD COLUMN storage_located_at TEXT;
CREATE INDEX ix_batches_storage_location ON batches(storage_location_id)
    WHERE storage_location_id IS NOT NULL;

-- 4. Temperature readings: typed in, or imported from a data logger's CSV.
CREATE TABLE temperature_readings (
    id             TEXT PRIMARY KEY,
    location_id    TEXT NOT NULL REFERENCES storage_locations(id),
    store_id       TEXT NOT NULL REFERENCES stores(id),
    taken_at       TEXT NOT NULL,
    celsius_centi  INTEGER NOT NULL,
    source         TEXT NOT NULL CHECK (source IN ('manual', 'import')),
    recorded_by    TEXT NOT NULL REFERENCES users(id),
    created_at     TEXT NOT NULL,
    UNIQUE (location_id, taken_at)
);

-- 5. Excursions: a breach found in a location's readings, and the lots it
--    put on hold. Each lot waits for a manager's decision: release (back to
--    available) or dispose (its remaining stock written off as waste).
CREATE TABLE temperature_excursions (
    id               TEXT PRIMARY KEY,
    store_id         TEXT NOT NULL REFERENCES stores(id),
    location_id      TEXT NOT NULL REFERENCES storage_locations(id),
    kind             TEXT NOT NULL CHECK (kind IN ('too_hot', 'too_cold', 'cumulative_hot', 'cumulative_cold')),
    detected_at      TEXT NOT NULL,   -- the reading that tripped it
    peak_centi       INTEGER NOT NULL,
    limit_centi      INTEGER NOT NULL,
    minutes_outside  INTEGER NOT NULL DEFAULT 0,
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at       TEXT NOT NULL,
    closed_at        TEXT
);
CREATE INDEX ix_temperature_excursions_store ON temperature_excursions(store_id, status, created_at);

CREATE TABLE excursion_lots (
    excursion_id     TEXT NOT NULL REFERENCES temperature_excursions(id),
    batch_id         TEXT NOT NULL REFERENCES batches(id),
    decision         TEXT CHECK (decision IN ('released', 'disposed')),
    decided_at       TEXT,
    decided_by       TEXT REFERENCES users(id),
    note             TEXT,
    PRIMARY KEY (excursion_id, batch_id)
) WITHOUT ROWID;
CREATE INDEX ix_excursion_lots_batch ON excursion_lots(batch_id);
