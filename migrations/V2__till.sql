-- PharmaPOS store database, schema 2: the till. Store till settings, shifts,
-- carts that survive a power cut, sales with their lines, batches and
-- payments, returns, voids, and the security log of failed PINs.
--
-- Same conventions as V1: ids UUID v7 TEXT, quantities *_milli, money *_e4,
-- instants RFC 3339 UTC TEXT, percentages as decimal TEXT.

-- One row per store, created with defaults the first time it is needed.
CREATE TABLE store_settings (
    store_id                        TEXT PRIMARY KEY REFERENCES stores(id),
    prices_include_tax              INTEGER NOT NULL DEFAULT 1,
    -- The final total is rounded to a multiple of this (0 = no rounding).
    rounding_increment_e4           INTEGER NOT NULL DEFAULT 0 CHECK (rounding_increment_e4 >= 0),
    -- JSON array of enabled tender codes; cash and card are built in.
    tenders                         TEXT NOT NULL DEFAULT '["cash","card"]',
    receipt_show_batch              INTEGER NOT NULL DEFAULT 1,
    receipt_show_expiry             INTEGER NOT NULL DEFAULT 1,
    receipt_header                  TEXT,
    receipt_footer                  TEXT,
    hold_ttl_minutes                INTEGER NOT NULL DEFAULT 60 CHECK (hold_ttl_minutes BETWEEN 1 AND 43200),
    cashier_discount_limit_percent  TEXT NOT NULL DEFAULT '10',
    cashier_refund_limit_e4         INTEGER NOT NULL DEFAULT 0 CHECK (cashier_refund_limit_e4 >= 0),
    -- Sale numbers are "<prefix>-<number>", per store, sequential.
    sale_prefix                     TEXT,
    last_sale_number                INTEGER NOT NULL DEFAULT 0 CHECK (last_sale_number >= 0),
    updated_at                      TEXT NOT NULL,
    updated_by                      TEXT
) WITHOUT ROWID;

CREATE TABLE shifts (
    id                 TEXT PRIMARY KEY,
    store_id           TEXT NOT NULL REFERENCES stores(id),
    terminal_id        TEXT NOT NULL,
    status             TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_by          TEXT NOT NULL REFERENCES users(id),
    opened_at          TEXT NOT NULL,
    opening_float_e4   INTEGER NOT NULL CHECK (opening_float_e4 >= 0),
    closed_by          TEXT REFERENCES users(id),
    closed_at          TEXT,
    counted_cash_e4    INTEGER CHECK (counted_cash_e4 >= 0),
    expected_cash_e4   INTEGER,
    notes              TEXT
);
-- One open shift per till.
CREATE UNIQUE INDEX ux_shifts_open_terminal ON shifts(store_id, terminal_id) WHERE status = 'open';

CREATE TABLE carts (
    id                     TEXT PRIMARY KEY,
    store_id               TEXT NOT NULL REFERENCES stores(id),
    terminal_id            TEXT NOT NULL,
    user_id                TEXT NOT NULL REFERENCES users(id),
    status                 TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'held', 'completed', 'cancelled')),
    discount_kind          TEXT CHECK (discount_kind IN ('percent', 'amount')),
    discount_value         TEXT,
    discount_approved_by   TEXT REFERENCES users(id),
    customer_name          TEXT,
    note                   TEXT,
    held_at                TEXT,
    hold_expires_at        TEXT,
    sale_id                TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
);
-- One open cart per user per till: a restarted till finds it again.
CREATE UNIQUE INDEX ux_carts_open_user_terminal ON carts(store_id, terminal_id, user_id) WHERE status = 'open';
CREATE INDEX ix_carts_store_status ON carts(store_id, status);

CREATE TABLE cart_lines (
    id                      TEXT PRIMARY KEY,
    cart_id                 TEXT NOT NULL REFERENCES carts(id),
    line_no                 INTEGER NOT NULL,
    product_id              TEXT NOT NULL REFERENCES products(id),
    quantity_milli          INTEGER NOT NULL CHECK (quantity_milli > 0),
    batch_id                TEXT REFERENCES batches(id),
    unit_price_e4           INTEGER NOT NULL CHECK (unit_price_e4 >= 0),
    price_overridden_by     TEXT REFERENCES users(id),
    discount_kind           TEXT CHECK (discount_kind IN ('percent', 'amount')),
    discount_value          TEXT,
    discount_approved_by    TEXT REFERENCES users(id),
    prescription_reference  TEXT,
    created_at              TEXT NOT NULL,
    UNIQUE (cart_id, line_no)
);

CREATE TABLE sales (
    id                   TEXT PRIMARY KEY,   -- the client's idempotency key
    store_id             TEXT NOT NULL REFERENCES stores(id),
    sale_number          TEXT NOT NULL,
    shift_id             TEXT NOT NULL REFERENCES shifts(id),
    terminal_id          TEXT NOT NULL,
    cart_id              TEXT NOT NULL REFERENCES carts(id),
    cashier_id           TEXT NOT NULL REFERENCES users(id),
    prices_include_tax   INTEGER NOT NULL,
    subtotal_e4          INTEGER NOT NULL,   -- lines at list price (before discounts)
    discount_e4          INTEGER NOT NULL,   -- line + cart discounts
    tax_e4               INTEGER NOT NULL,
    rounding_e4          INTEGER NOT NULL,
    total_e4             INTEGER NOT NULL CHECK (total_e4 >= 0),
    paid_e4              INTEGER NOT NULL,
    change_e4            INTEGER NOT NULL CHECK (change_e4 >= 0),
    cart_discount_approved_by TEXT REFERENCES users(id),
    status               TEXT NOT NULL DEFAULT 'completed' CHECK (status IN ('completed', 'voided')),
    voided_at            TEXT,
    voided_by            TEXT REFERENCES users(id),
    void_reason          TEXT,
    created_at           TEXT NOT NULL,
    UNIQUE (store_id, sale_number)
);
CREATE INDEX ix_sales_shift ON sales(shift_id);
CREATE UNIQUE INDEX ux_sales_cart ON sales(cart_id);

CREATE TABLE sale_lines (
    id                      TEXT PRIMARY KEY,
    sale_id                 TEXT NOT NULL REFERENCES sales(id),
    line_no                 INTEGER NOT NULL,
    product_id              TEXT NOT NULL REFERENCES products(id),
    product_name            TEXT NOT NULL,
    sku                     TEXT NOT NULL,
    unit                    TEXT NOT NULL,
    quantity_milli          INTEGER NOT NULL CHECK (quantity_milli > 0),
    unit_price_e4           INTEGER NOT NULL,
    gross_e4                INTEGER NOT NULL,   -- unit price x quantity
    discount_e4             INTEGER NOT NULL,   -- line discount + share of the cart discount
    tax_rate                TEXT NOT NULL,
    tax_e4                  INTEGER NOT NULL,
    total_e4                INTEGER NOT NULL,   -- what the customer pays for the line (tax included)
    cost_e4                 INTEGER NOT NULL,   -- cost of the batches taken
    prescription_reference  TEXT,
    price_overridden_by     TEXT REFERENCES users(id),
    discount_approved_by    TEXT REFERENCES users(id),
    UNIQUE (sale_id, line_no)
);

-- Which batches a line took, at what cost; returns count against each.
CREATE TABLE sale_line_batches (
    sale_line_id     TEXT NOT NULL REFERENCES sale_lines(id),
    batch_id         TEXT NOT NULL REFERENCES batches(id),
    quantity_milli   INTEGER NOT NULL CHECK (quantity_milli > 0),
    returned_milli   INTEGER NOT NULL DEFAULT 0 CHECK (returned_milli >= 0 AND returned_milli <= quantity_milli),
    cost_e4          INTEGER NOT NULL,
    PRIMARY KEY (sale_line_id, batch_id)
) WITHOUT ROWID;

CREATE TABLE sale_payments (
    id          TEXT PRIMARY KEY,
    sale_id     TEXT NOT NULL REFERENCES sales(id),
    seq         INTEGER NOT NULL,
    tender      TEXT NOT NULL,
    amount_e4   INTEGER NOT NULL CHECK (amount_e4 > 0),
    reference   TEXT,
    UNIQUE (sale_id, seq)
);

CREATE TABLE sale_returns (
    id            TEXT PRIMARY KEY,
    sale_id       TEXT NOT NULL REFERENCES sales(id),
    store_id      TEXT NOT NULL REFERENCES stores(id),
    shift_id      TEXT REFERENCES shifts(id),
    user_id       TEXT NOT NULL REFERENCES users(id),
    approved_by   TEXT REFERENCES users(id),
    refund_e4     INTEGER NOT NULL CHECK (refund_e4 >= 0),
    tender        TEXT NOT NULL,
    reason        TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX ix_sale_returns_sale ON sale_returns(sale_id);
CREATE INDEX ix_sale_returns_shift ON sale_returns(shift_id);

CREATE TABLE sale_return_lines (
    return_id       TEXT NOT NULL REFERENCES sale_returns(id),
    sale_line_id    TEXT NOT NULL REFERENCES sale_lines(id),
    batch_id        TEXT NOT NULL REFERENCES batches(id),
    quantity_milli  INTEGER NOT NULL CHECK (quantity_milli > 0),
    refund_e4       INTEGER NOT NULL,
    disposition     TEXT NOT NULL CHECK (disposition IN ('restock', 'quarantine', 'waste')),
    to_batch_id     TEXT REFERENCES batches(id)
);
CREATE INDEX ix_sale_return_lines_return ON sale_return_lines(return_id);

-- Failed sign-ins and failed approvals (wrong PIN, locked, not a manager).
-- Written even when the operation that asked for the PIN is rolled back.
CREATE TABLE security_log (
    id            TEXT PRIMARY KEY,
    store_id      TEXT,
    occurred_at   TEXT NOT NULL,
    event         TEXT NOT NULL,   -- sign_in_failed, approval_failed
    user_name     TEXT NOT NULL,   -- the name typed
    user_id       TEXT,            -- the user it matched, if any
    actor_id      TEXT,            -- who was signed in (approvals)
    action        TEXT,            -- what needed the approval
    outcome       TEXT NOT NULL,   -- wrong_pin, unknown_user, locked, not_a_manager, deactivated
    detail        TEXT
);
CREATE INDEX ix_security_log_time ON security_log(occurred_at);
