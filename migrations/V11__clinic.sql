-- The clinic (seed 000): patients, the clinic-policy window per product,
-- open vial sessions, per-patient lot usage, waste records and recalls.
-- A lot is a batch: clinic stock is the till's stock, under the same ledger.
-- Quantities in thousandths (_milli), money in ten-thousandths (_e4).

-- Just enough of a patient for traceability; a store's clinic registers them.
CREATE TABLE patients (
    id             TEXT PRIMARY KEY,
    store_id       TEXT NOT NULL REFERENCES stores(id),
    name           TEXT NOT NULL,
    date_of_birth  TEXT,              -- YYYY-MM-DD
    chart_id       TEXT,
    phone          TEXT,
    email          TEXT,
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL REFERENCES users(id)
);
CREATE UNIQUE INDEX ux_patients_store_chart ON patients(store_id, chart_id COLLATE NOCASE) WHERE chart_id IS NOT NULL;
CREATE INDEX ix_patients_store_name ON patients(store_id, name COLLATE NOCASE);

-- A clinic's own window for an opened vial of a product, longer than the
-- label's (ASDS consensus: at least 4 weeks refrigerated), set by a manager.
CREATE TABLE clinic_vial_policies (
    store_id      TEXT NOT NULL REFERENCES stores(id),
    product_id    TEXT NOT NULL REFERENCES products(id),
    window_hours  INTEGER NOT NULL CHECK (window_hours > 0),
    reason        TEXT NOT NULL,
    set_by        TEXT NOT NULL REFERENCES users(id),
    set_at        TEXT NOT NULL,
    PRIMARY KEY (store_id, product_id)
) WITHOUT ROWID;

-- One opened vial of one product from one lot. Its units stay on the batch
-- (held by an `open_vial` reservation, so the till cannot sell them) and
-- leave it draw by draw (`treatment_use`) and as waste (`waste`).
CREATE TABLE vial_sessions (
    id                  TEXT PRIMARY KEY,
    store_id            TEXT NOT NULL REFERENCES stores(id),
    product_id          TEXT NOT NULL REFERENCES products(id),
    batch_id            TEXT NOT NULL REFERENCES batches(id),
    reservation_id      TEXT NOT NULL REFERENCES stock_reservations(id),
    status              TEXT NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'expired', 'depleted', 'discarded')),
    units_milli         INTEGER NOT NULL CHECK (units_milli > 0),
    drawn_milli         INTEGER NOT NULL DEFAULT 0 CHECK (drawn_milli >= 0),
    wasted_milli        INTEGER NOT NULL DEFAULT 0 CHECK (wasted_milli >= 0),
    remaining_milli     INTEGER NOT NULL CHECK (remaining_milli >= 0),
    cost_per_unit_e4    INTEGER NOT NULL CHECK (cost_per_unit_e4 >= 0),
    revenue_e4          INTEGER NOT NULL DEFAULT 0,
    opened_at           TEXT NOT NULL,
    opened_by           TEXT NOT NULL REFERENCES users(id),
    reconstituted_at    TEXT,
    diluent             TEXT,
    diluent_volume_ul   INTEGER CHECK (diluent_volume_ul > 0),   -- microlitres
    label_until         TEXT,         -- beyond-use time from the product's label
    policy_until        TEXT,         -- the clinic's longer window, when it has one
    policy_hours        INTEGER,
    policy_reason       TEXT,
    policy_set_by       TEXT REFERENCES users(id),
    last_draw_at        TEXT,
    closed_at           TEXT,
    closed_by           TEXT REFERENCES users(id),
    close_reason        TEXT CHECK (close_reason IN
        ('depleted', 'expired', 'stability_exceeded', 'contamination', 'manual_close', 'recall')),
    close_notes         TEXT,
    -- A vial balances exactly, always.
    CHECK (drawn_milli + wasted_milli + remaining_milli = units_milli),
    CHECK ((status = 'active') = (closed_at IS NULL))
);
CREATE INDEX ix_vial_sessions_store_status ON vial_sessions(store_id, status, opened_at);
CREATE INDEX ix_vial_sessions_batch ON vial_sessions(batch_id);

-- A treatment groups the lot usages of one patient's visit (one treatment
-- may span two vials and records both lots).
CREATE TABLE treatments (
    id               TEXT PRIMARY KEY,
    store_id         TEXT NOT NULL REFERENCES stores(id),
    patient_id       TEXT NOT NULL REFERENCES patients(id),
    practitioner_id  TEXT NOT NULL REFERENCES users(id),
    appointment_ref  TEXT,
    chart_id         TEXT,
    service          TEXT,
    areas            TEXT NOT NULL,   -- JSON [{area, units}]
    total_milli      INTEGER NOT NULL CHECK (total_milli > 0),
    revenue_e4       INTEGER NOT NULL,
    treated_at       TEXT NOT NULL,
    recorded_by      TEXT NOT NULL REFERENCES users(id)
);
CREATE INDEX ix_treatments_patient ON treatments(patient_id, treated_at);
CREATE INDEX ix_treatments_store_time ON treatments(store_id, treated_at);

-- Seed 000's LotUsage: one lot's part of a treatment.
CREATE TABLE lot_usages (
    id                TEXT PRIMARY KEY,
    treatment_id      TEXT NOT NULL REFERENCES treatments(id),
    store_id          TEXT NOT NULL REFERENCES stores(id),
    product_id        TEXT NOT NULL REFERENCES products(id),
    batch_id          TEXT NOT NULL REFERENCES batches(id),
    session_id        TEXT REFERENCES vial_sessions(id),
    patient_id        TEXT NOT NULL REFERENCES patients(id),
    practitioner_id   TEXT NOT NULL REFERENCES users(id),
    quantity_milli    INTEGER NOT NULL CHECK (quantity_milli > 0),
    price_per_unit_e4 INTEGER NOT NULL CHECK (price_per_unit_e4 >= 0),
    revenue_e4        INTEGER NOT NULL,
    cost_e4           INTEGER NOT NULL,
    used_at           TEXT NOT NULL
);
CREATE INDEX ix_lot_usages_batch ON lot_usages(batch_id, used_at);
CREATE INDEX ix_lot_usages_session ON lot_usages(session_id) WHERE session_id IS NOT NULL;
CREATE INDEX ix_lot_usages_treatment ON lot_usages(treatment_id);

CREATE TABLE waste_records (
    id               TEXT PRIMARY KEY,
    store_id         TEXT NOT NULL REFERENCES stores(id),
    product_id       TEXT NOT NULL REFERENCES products(id),
    batch_id         TEXT NOT NULL REFERENCES batches(id),
    session_id       TEXT REFERENCES vial_sessions(id),
    reason           TEXT NOT NULL CHECK (reason IN ('expired_unused', 'stability_exceeded',
        'contamination', 'draw_up_loss', 'patient_no_show', 'adverse_reaction_discard',
        'training', 'damaged', 'recall', 'temperature_excursion')),
    quantity_milli   INTEGER NOT NULL CHECK (quantity_milli > 0),
    cost_e4          INTEGER NOT NULL CHECK (cost_e4 >= 0),
    practitioner_id  TEXT REFERENCES users(id),
    appointment_ref  TEXT,
    notes            TEXT,
    recorded_at      TEXT NOT NULL,
    recorded_by      TEXT NOT NULL REFERENCES users(id)
);
CREATE INDEX ix_waste_store_time ON waste_records(store_id, recorded_at);
CREATE INDEX ix_waste_batch ON waste_records(batch_id);
CREATE INDEX ix_waste_session ON waste_records(session_id) WHERE session_id IS NOT NULL;

-- A recall notice and the lots it covers (the lots become `recalled`).
CREATE TABLE recalls (
    id             TEXT PRIMARY KEY,
    store_id       TEXT NOT NULL REFERENCES stores(id),
    recall_number  TEXT,
    fda_class      TEXT NOT NULL CHECK (fda_class IN ('I', 'II', 'III')),
    reason         TEXT NOT NULL,
    source         TEXT NOT NULL,
    recall_date    TEXT NOT NULL,   -- YYYY-MM-DD
    recorded_at    TEXT NOT NULL,
    recorded_by    TEXT NOT NULL REFERENCES users(id)
);
CREATE UNIQUE INDEX ux_recalls_store_number ON recalls(store_id, recall_number) WHERE recall_number IS NOT NULL;
CREATE TABLE recall_lots (
    recall_id  TEXT NOT NULL REFERENCES recalls(id),
    batch_id   TEXT NOT NULL REFERENCES batches(id),
    PRIMARY KEY (recall_id, batch_id)
) WITHOUT ROWID;
CREATE INDEX ix_recall_lots_batch ON recall_lots(batch_id);

-- A store's clinic settings; a store without a row uses these defaults
-- (a reminder for a vial open a day with no draw for four hours).
CREATE TABLE clinic_settings (
    store_id                  TEXT PRIMARY KEY REFERENCES stores(id),
    vial_reminder_age_hours   INTEGER NOT NULL DEFAULT 24 CHECK (vial_reminder_age_hours > 0),
    vial_reminder_idle_hours  INTEGER NOT NULL DEFAULT 4 CHECK (vial_reminder_idle_hours > 0),
    updated_at                TEXT NOT NULL,
    updated_by                TEXT NOT NULL REFERENCES users(id)
) WITHOUT ROWID;
