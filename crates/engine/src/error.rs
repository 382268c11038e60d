//! The engine's one error type.
//!
//! Every failure a caller can see has a stable machine-readable `kind` (the UI
//! and the CLI branch on it), a human message in words a cashier understands,
//! and structured details (ids, statuses, quantities) the caller can act on
//! without reading the message. Storage failures are kept apart from business
//! failures so that front ends can show "not enough stock" plainly and log
//! "disk I/O error" for support.
//!
//! The UI's TypeScript is generated from these types: [`ErrorKind`] becomes
//! the string union of kinds, and [`Error`] (serialized as `{kind, details}`)
//! becomes `ErrorDetails`, a union discriminated by `kind`. So a variant's
//! fields are its details; free text (the message) is marked `serde(skip)`.

use crate::alerts::AlertStatus;
use crate::ids::{
    AdjustmentId, AlertId, BackorderId, BatchId, CartId, ProductId, ReservationId, SaleId, StoreId,
    SupplierId, VialSessionId,
};
use crate::stock::BatchStatus;
use serde::Serialize;
use serde_json::{json, Value};
use ts_rs::TS;

/// Result alias used throughout the engine.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every business and storage failure of the engine. Serialized as
/// `{"kind": …, "details": {…}}` (the UI's generated `ErrorDetails`);
/// [`Error::to_json`] adds the message.
#[derive(Debug, thiserror::Error, Serialize, TS)]
#[serde(tag = "kind", content = "details", rename_all = "snake_case")]
#[ts(export, rename = "ErrorDetails")]
pub enum Error {
    // ---- generic --------------------------------------------------------
    /// A referenced record does not exist (or is soft-deleted).
    #[error("{entity} {id} was not found")]
    NotFound {
        /// What was looked for (`product`, `batch`, …).
        entity: &'static str,
        /// The id or name given.
        id: String,
    },
    /// The request is malformed or breaks a validation rule.
    #[error("{message}")]
    InvalidInput {
        /// Plain words.
        #[serde(skip)]
        message: String,
        /// The request field at fault, when one is.
        field: Option<String>,
    },
    /// An import file has row errors (kind `invalid_input`, with `field`
    /// `csv`): every error found is listed with its row and field (the first
    /// 10,000 of them; `error_count` counts them all), and nothing was
    /// imported.
    #[error("{}", import_summary(.import_kind, .errors, *.error_count))]
    #[serde(rename = "invalid_input")]
    ImportRejected {
        /// Always `csv`: the file is at fault.
        field: Option<String>,
        /// What was being imported.
        import_kind: crate::onboarding::ImportKind,
        /// Each error, in file order (capped: see `errors_truncated`).
        errors: Vec<crate::onboarding::RowError>,
        /// Errors found in all.
        #[ts(type = "number")]
        error_count: u64,
        /// True when `errors` holds only the first of them.
        errors_truncated: bool,
    },
    /// The request collides with existing data (duplicate, mismatch).
    #[error("{message}")]
    Conflict {
        /// Plain words.
        #[serde(skip)]
        message: String,
    },
    /// A database rule (CHECK constraint) refused the change: an operation's
    /// own checks missed a case.
    #[error("refused by a database rule: {constraint}")]
    DatabaseRule {
        /// SQLite's description of the rule.
        constraint: String,
    },
    /// A value stored in the database cannot be read (edited by hand, or
    /// written by a broken tool); the record and the bad value are named.
    #[error("{entity} {id} has an unreadable {field} '{value}' in the database; correct it before going on")]
    CorruptRecord {
        /// The record's table, in words (`product`, `store`, …).
        entity: &'static str,
        /// The record's id.
        id: String,
        /// The column.
        field: &'static str,
        /// The stored text.
        value: String,
    },

    // ---- access ---------------------------------------------------------
    /// The acting user's role lacks the permission.
    #[error("{role} '{user}' is not allowed to {permission}")]
    Forbidden {
        /// User name.
        user: String,
        /// Their role.
        role: String,
        /// The permission they lack.
        permission: String,
    },
    /// The acting user is not assigned to the store the request addresses
    /// (directly or through one of its records): kind `forbidden`, with the
    /// user and the store as details.
    #[error("'{user}' is not assigned to store '{store}'")]
    #[serde(rename = "forbidden")]
    NotInStore {
        /// User name.
        user: String,
        /// The store addressed.
        store: String,
    },
    /// The store belongs to another installation (database file): this file
    /// may hold a copy of its data but never writes its stock or record.
    #[error(
        "store {store} is owned by another installation ({owner}); this database cannot change it"
    )]
    StoreNotOwned {
        /// The store.
        store: String,
        /// The installation that owns it.
        owner: String,
    },
    /// The change needs a manager's approval first (or the approval given
    /// was refused).
    #[error("{reason}{}", approver_hint(.ask_approver))]
    ApprovalRequired {
        /// Why, in plain words (what needs approving, or why the approval
        /// given was refused).
        reason: String,
        /// Whether the request can carry an approver's name and PIN (the
        /// message then says so, for API callers).
        #[serde(skip)]
        ask_approver: bool,
        /// What `amount` and `limit` measure (`null` when the action needs
        /// approval whatever its size, e.g. a void).
        measure: Option<crate::approval::ApprovalMeasure>,
        /// The amount, percentage or quantity that needs approval (a decimal string).
        #[ts(type = "string | null")]
        amount: Option<String>,
        /// The limit it goes past (`null`: every such action needs approval).
        #[ts(type = "string | null")]
        limit: Option<String>,
        /// Who asked for it: the acting user's name.
        requested_by: Option<String>,
    },
    /// Sign-in failed, or no one is signed in.
    #[error("{message}")]
    Unauthenticated {
        /// Plain words.
        #[serde(skip)]
        message: String,
        /// Why.
        reason: AuthFailure,
    },
    /// Too many failed PIN attempts.
    #[error("user '{user}' is locked until {until} after too many failed PIN attempts")]
    Locked {
        /// User name.
        user: String,
        /// When the lock ends (RFC 3339).
        until: String,
    },

    // ---- setup and stores -----------------------------------------------
    /// No store exists yet.
    #[error("no store exists yet; run setup first")]
    NotSetUp {},
    /// Setup was asked for twice.
    #[error("this database is already set up")]
    AlreadySetUp {},
    /// The store is closed (deactivated).
    #[error("store '{name}' is closed")]
    StoreClosed {
        /// Store.
        store_id: StoreId,
        /// Its name.
        name: String,
    },
    /// The store's stock is frozen up to a date: no stock movement may be
    /// dated before it.
    #[error("the store's stock is frozen before {freeze_date}: nothing may be dated {date}")]
    StockFrozen {
        /// Store.
        store_id: StoreId,
        /// The freeze date (`YYYY-MM-DD`): nothing may be dated before it.
        freeze_date: String,
        /// The refused date (`YYYY-MM-DD`).
        date: String,
    },

    // ---- catalogue ------------------------------------------------------
    /// The product is soft-deleted.
    #[error("product {sku} is deleted")]
    ProductDeleted {
        /// Product.
        product_id: ProductId,
        /// Its SKU.
        sku: String,
    },
    /// The product waits for a manager's approval and cannot be sold yet.
    #[error("product {sku} is waiting for approval and cannot be sold yet")]
    ProductPendingApproval {
        /// Product.
        product_id: ProductId,
        /// Its SKU.
        sku: String,
    },
    /// The product is discontinued: no more stock comes in.
    #[error("product {sku} is discontinued and cannot be received")]
    ProductDiscontinued {
        /// Product.
        product_id: ProductId,
        /// Its SKU.
        sku: String,
    },
    /// The product is prescription-only and the line has no prescription
    /// reference.
    #[error("{sku} is prescription-only: enter the prescription reference")]
    PrescriptionRequired {
        /// Product.
        product_id: ProductId,
        /// Its SKU.
        sku: String,
    },
    /// The supplier is deactivated.
    #[error("supplier '{name}' is inactive")]
    SupplierInactive {
        /// Supplier.
        supplier_id: SupplierId,
        /// Its name.
        name: String,
    },
    /// Stock received without a cost price, and the product has none to
    /// fall back on.
    #[error("product {sku} has no cost price: enter the cost price paid for this delivery (or set the product's cost price)")]
    NoCostPrice {
        /// Product.
        product_id: ProductId,
        /// Its SKU.
        sku: String,
    },

    // ---- stock ----------------------------------------------------------
    /// Not enough sellable stock for an all-or-nothing request.
    #[error("not enough stock: {requested} requested, {available} available")]
    InsufficientStock {
        /// Product, when one product is short.
        product_id: Option<String>,
        /// Batch, when a named batch is short.
        batch_id: Option<String>,
        /// Quantity asked for.
        requested: String,
        /// Quantity there is.
        available: String,
    },
    /// The batch cannot be sold or used: expired (by date or marked),
    /// quarantined, recalled, damaged or used up.
    #[error("{}", not_sellable_message(.batch, .reason, .expiry_date))]
    BatchNotSellable {
        /// Batch, when it exists already.
        batch_id: Option<BatchId>,
        /// Batch number printed on the pack.
        batch: String,
        /// Why: `expired` (past its date, or marked so) or the batch's status.
        reason: BatchStatus,
        /// The batch's expiry date, when `reason` is `expired`.
        expiry_date: Option<String>,
    },
    /// A batch was asked to take the status it already has.
    #[error("batch {batch} is already {}", status_words(.status))]
    BatchStatusUnchanged {
        /// Batch.
        batch_id: BatchId,
        /// Batch number.
        batch: String,
        /// Its status.
        status: BatchStatus,
    },
    /// Only a quarantined batch can be released for sale.
    #[error("only a quarantined batch can be released; batch {batch} is {}", status_words(.status))]
    BatchNotQuarantined {
        /// Batch.
        batch_id: BatchId,
        /// Batch number.
        batch: String,
        /// Its status.
        status: BatchStatus,
    },
    /// Nothing is left on the batch to write off.
    #[error("batch {batch} has nothing left to write off")]
    BatchEmpty {
        /// Batch.
        batch_id: BatchId,
        /// Batch number.
        batch: String,
    },
    /// The reservation was already confirmed, released or expired.
    #[error("reservation {reservation_id} is already {status}")]
    ReservationNotActive {
        /// Reservation.
        reservation_id: ReservationId,
        /// Its status.
        status: String,
    },
    /// The adjustment was already approved or rejected.
    #[error("adjustment {adjustment_id} is already {status}")]
    AdjustmentNotPending {
        /// Adjustment.
        adjustment_id: AdjustmentId,
        /// Its status.
        status: String,
    },
    /// The backorder was already fulfilled or cancelled.
    #[error("backorder {backorder_id} is already {status}")]
    BackorderClosed {
        /// Backorder.
        backorder_id: BackorderId,
        /// Its status.
        status: String,
    },

    // ---- till -----------------------------------------------------------
    /// A receipt cannot be reversed: `reason` is `stock_left` (stock has
    /// left its batch since), `already_reversed` or `reserved` (the units
    /// are held for customers). The message says what to do instead.
    #[error("{message}")]
    ReceiptNotReversible {
        /// The receipt (its `receipt` event's id).
        receipt_id: String,
        /// The batch number.
        batch: String,
        /// Why.
        reason: &'static str,
        /// Plain words, with what to do instead.
        #[serde(skip)]
        message: String,
    },
    /// The till has no open shift.
    #[error("till {terminal_id} has no open shift: open a shift (with its cash float) first")]
    NoOpenShift {
        /// The till.
        terminal_id: String,
    },
    /// The cart is not open (held, sold or cancelled), so it cannot change.
    #[error("cart {cart_id} is {status}, not open")]
    CartNotOpen {
        /// Cart.
        cart_id: CartId,
        /// Its status.
        status: String,
    },
    /// Only a held cart can be resumed.
    #[error("cart {cart_id} is {status}, not held")]
    CartNotHeld {
        /// Cart.
        cart_id: CartId,
        /// Its status.
        status: String,
    },
    /// The cart is already sold or cancelled.
    #[error("cart {cart_id} is already {status}")]
    CartClosed {
        /// Cart.
        cart_id: CartId,
        /// Its status.
        status: String,
    },
    /// The cart has no lines.
    #[error("the cart is empty: add an item first")]
    EmptyCart {
        /// Cart.
        cart_id: CartId,
    },
    /// A line's product has no selling price and no manager set one.
    #[error("line {line_no} ({name}) has no selling price: set the product's price, or have a manager override the line's price")]
    NoSellingPrice {
        /// Cart.
        cart_id: CartId,
        /// Line number.
        #[ts(type = "number")]
        line_no: i64,
        /// Product.
        product_id: ProductId,
        /// Product name.
        name: String,
    },
    /// The sale is voided (or otherwise not completed).
    #[error("sale {number} is {status}: only a completed sale can be returned or voided")]
    SaleNotCompleted {
        /// Sale.
        sale_id: SaleId,
        /// Sale number.
        number: String,
        /// Its status.
        status: String,
    },
    // ---- alerts and cold chain -----------------------------------------
    /// The alert is not open (or not active) for this step: it was already
    /// acknowledged, resolved or dismissed.
    #[error("the alert is already {} and cannot be {} now", .status.as_str(), .wanted.as_str())]
    AlertNotOpen {
        /// Alert.
        alert_id: AlertId,
        /// Its status.
        status: AlertStatus,
        /// The step asked for.
        wanted: AlertStatus,
    },
    /// A lot held by a temperature excursion was already released or disposed of.
    #[error("batch {batch} of this excursion was already {decision}")]
    LotAlreadyDecided {
        /// Batch.
        batch_id: BatchId,
        /// Batch number.
        batch: String,
        /// `released` or `disposed`.
        decision: String,
    },
    /// An imported file has bad lines: each is named with what is wrong, and
    /// nothing was imported.
    #[error("{} line(s) of the file are wrong, nothing was imported: {}", .problems.len(), csv_summary(.problems))]
    CsvRejected {
        /// Each bad line.
        problems: Vec<CsvProblem>,
    },
    /// The sale's shift is closed: it can be returned, not voided.
    #[error("sale {number} belongs to a closed shift; take a return instead")]
    SaleShiftClosed {
        /// Sale.
        sale_id: SaleId,
        /// Sale number.
        number: String,
    },
    /// The sale has returns: return the rest instead of voiding it.
    #[error("sale {number} has returns; return the rest instead of voiding it")]
    SaleHasReturns {
        /// Sale.
        sale_id: SaleId,
        /// Sale number.
        number: String,
    },

    // ---- the clinic ------------------------------------------------------
    /// The vial is past the window that applies to it (the label's
    /// beyond-use time, or the clinic's longer policy window).
    #[error("the vial of {product} (lot {batch}) is past its {} window, which ended at {until}; close it, or have a manager approve the draw", if .clock == "policy" { "clinic-policy" } else { "label beyond-use" })]
    VialBeyondUse {
        /// The vial session.
        session_id: VialSessionId,
        /// Product name.
        product: String,
        /// Lot number.
        batch: String,
        /// `label` or `policy`: which clock applies.
        clock: String,
        /// When it ended (RFC 3339).
        until: String,
    },
    /// The vial session is closed.
    #[error("this vial was closed ({status}); open a new one")]
    VialNotActive {
        /// The vial session.
        session_id: VialSessionId,
        /// `expired`, `depleted` or `discarded`.
        status: String,
    },

    // ---- the database file ----------------------------------------------
    /// The database was written by a newer PharmaPOS.
    #[error("this database uses schema version {file_version}, newer than this program's {program_version}; upgrade PharmaPOS to open it")]
    SchemaTooNew {
        /// The file's schema version.
        file_version: i64,
        /// This program's.
        program_version: i64,
    },
    /// The file is not a PharmaPOS database (or is damaged).
    #[error("{path} is not a PharmaPOS database: {reason}")]
    NotADatabase {
        /// The file.
        path: String,
        /// What was wrong with it.
        #[serde(skip)]
        reason: String,
    },
    /// SQLite or I/O failure.
    #[error("storage error: {message}")]
    Storage {
        /// Plain words (with SQLite's).
        #[serde(skip)]
        message: String,
        /// What kind of trouble, for callers that retry or advise.
        problem: StorageProblem,
    },
    /// A broken invariant inside the engine (a bug).
    #[error("internal error: {message}")]
    Internal {
        /// What broke.
        #[serde(skip)]
        message: String,
    },
}

/// One bad line of an imported file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CsvProblem {
    /// Line number (1 is the first line).
    pub line: u32,
    /// What is wrong with it.
    pub message: String,
}

fn import_summary(
    kind: &crate::onboarding::ImportKind,
    errors: &[crate::onboarding::RowError],
    count: u64,
) -> String {
    let mut s = format!(
        "{count} error(s) in the {} file, nothing was imported: ",
        kind.as_str().replace('_', " ")
    );
    s.push_str(
        &errors
            .iter()
            .take(5)
            .map(|e| match &e.field {
                Some(f) => format!("row {} ({f}): {}", e.row, e.message),
                None => format!("row {}: {}", e.row, e.message),
            })
            .collect::<Vec<_>>()
            .join("; "),
    );
    if count > 5 {
        s.push_str(&format!("; and {} more", count - 5));
    }
    s
}

fn csv_summary(problems: &[CsvProblem]) -> String {
    let mut s = problems
        .iter()
        .take(5)
        .map(|p| format!("line {}: {}", p.line, p.message))
        .collect::<Vec<_>>()
        .join("; ");
    if problems.len() > 5 {
        s.push_str(&format!("; and {} more", problems.len() - 5));
    }
    s
}

/// Why sign-in (or the session) failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AuthFailure {
    /// Unknown name or wrong PIN (not told apart, on purpose).
    BadCredentials,
    /// The user exists but is deactivated.
    Deactivated,
    /// The session's user no longer exists, or no one is signed in.
    NoSession,
}

/// The kind of trouble behind a `storage` error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StorageProblem {
    /// The disk is full; nothing was saved.
    DiskFull,
    /// The file (or disk) is read-only; nothing was saved.
    ReadOnly,
    /// Another program held the database too long; trying again may work.
    Busy,
    /// The disk reported an error; run `verify`.
    Io,
    /// The file failed its integrity check.
    Damaged,
    /// Anything else.
    Other,
}

/// Every error kind, as the UI's `ErrorKind` string union.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
#[allow(missing_docs)]
pub enum ErrorKind {
    NotFound,
    InvalidInput,
    Conflict,
    DatabaseRule,
    CorruptRecord,
    Forbidden,
    StoreNotOwned,
    ApprovalRequired,
    Unauthenticated,
    Locked,
    NotSetUp,
    AlreadySetUp,
    StoreClosed,
    StockFrozen,
    ProductDeleted,
    ProductPendingApproval,
    ProductDiscontinued,
    PrescriptionRequired,
    SupplierInactive,
    NoCostPrice,
    InsufficientStock,
    BatchNotSellable,
    BatchStatusUnchanged,
    BatchNotQuarantined,
    BatchEmpty,
    ReservationNotActive,
    AdjustmentNotPending,
    BackorderClosed,
    ReceiptNotReversible,
    NoOpenShift,
    CartNotOpen,
    CartNotHeld,
    CartClosed,
    EmptyCart,
    NoSellingPrice,
    SaleNotCompleted,
    AlertNotOpen,
    LotAlreadyDecided,
    CsvRejected,
    SaleShiftClosed,
    SaleHasReturns,
    VialBeyondUse,
    VialNotActive,
    SchemaTooNew,
    NotADatabase,
    Storage,
    Internal,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::NotFound,
        ErrorKind::InvalidInput,
        ErrorKind::Conflict,
        ErrorKind::DatabaseRule,
        ErrorKind::CorruptRecord,
        ErrorKind::Forbidden,
        ErrorKind::StoreNotOwned,
        ErrorKind::ApprovalRequired,
        ErrorKind::Unauthenticated,
        ErrorKind::Locked,
        ErrorKind::NotSetUp,
        ErrorKind::AlreadySetUp,
        ErrorKind::StoreClosed,
        ErrorKind::StockFrozen,
        ErrorKind::ProductDeleted,
        ErrorKind::ProductPendingApproval,
        ErrorKind::ProductDiscontinued,
        ErrorKind::PrescriptionRequired,
        ErrorKind::SupplierInactive,
        ErrorKind::NoCostPrice,
        ErrorKind::InsufficientStock,
        ErrorKind::BatchNotSellable,
        ErrorKind::BatchStatusUnchanged,
        ErrorKind::BatchNotQuarantined,
        ErrorKind::BatchEmpty,
        ErrorKind::ReservationNotActive,
        ErrorKind::AdjustmentNotPending,
        ErrorKind::BackorderClosed,
        ErrorKind::ReceiptNotReversible,
        ErrorKind::NoOpenShift,
        ErrorKind::CartNotOpen,
        ErrorKind::CartNotHeld,
        ErrorKind::CartClosed,
        ErrorKind::EmptyCart,
        ErrorKind::NoSellingPrice,
        ErrorKind::SaleNotCompleted,
        ErrorKind::AlertNotOpen,
        ErrorKind::LotAlreadyDecided,
        ErrorKind::CsvRejected,
        ErrorKind::SaleShiftClosed,
        ErrorKind::SaleHasReturns,
        ErrorKind::VialBeyondUse,
        ErrorKind::VialNotActive,
        ErrorKind::SchemaTooNew,
        ErrorKind::NotADatabase,
        ErrorKind::Storage,
        ErrorKind::Internal,
    ];

    /// The stable name (`not_found`, `batch_not_sellable`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not_found",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Conflict => "conflict",
            ErrorKind::DatabaseRule => "database_rule",
            ErrorKind::CorruptRecord => "corrupt_record",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::StoreNotOwned => "store_not_owned",
            ErrorKind::ApprovalRequired => "approval_required",
            ErrorKind::Unauthenticated => "unauthenticated",
            ErrorKind::Locked => "locked",
            ErrorKind::NotSetUp => "not_set_up",
            ErrorKind::AlreadySetUp => "already_set_up",
            ErrorKind::StoreClosed => "store_closed",
            ErrorKind::StockFrozen => "stock_frozen",
            ErrorKind::ProductDeleted => "product_deleted",
            ErrorKind::ProductPendingApproval => "product_pending_approval",
            ErrorKind::ProductDiscontinued => "product_discontinued",
            ErrorKind::PrescriptionRequired => "prescription_required",
            ErrorKind::SupplierInactive => "supplier_inactive",
            ErrorKind::NoCostPrice => "no_cost_price",
            ErrorKind::InsufficientStock => "insufficient_stock",
            ErrorKind::BatchNotSellable => "batch_not_sellable",
            ErrorKind::BatchStatusUnchanged => "batch_status_unchanged",
            ErrorKind::BatchNotQuarantined => "batch_not_quarantined",
            ErrorKind::BatchEmpty => "batch_empty",
            ErrorKind::ReservationNotActive => "reservation_not_active",
            ErrorKind::AdjustmentNotPending => "adjustment_not_pending",
            ErrorKind::BackorderClosed => "backorder_closed",
            ErrorKind::ReceiptNotReversible => "receipt_not_reversible",
            ErrorKind::NoOpenShift => "no_open_shift",
            ErrorKind::CartNotOpen => "cart_not_open",
            ErrorKind::CartNotHeld => "cart_not_held",
            ErrorKind::CartClosed => "cart_closed",
            ErrorKind::EmptyCart => "empty_cart",
            ErrorKind::NoSellingPrice => "no_selling_price",
            ErrorKind::SaleNotCompleted => "sale_not_completed",
            ErrorKind::AlertNotOpen => "alert_not_open",
            ErrorKind::LotAlreadyDecided => "lot_already_decided",
            ErrorKind::CsvRejected => "csv_rejected",
            ErrorKind::SaleShiftClosed => "sale_shift_closed",
            ErrorKind::SaleHasReturns => "sale_has_returns",
            ErrorKind::VialBeyondUse => "vial_beyond_use",
            ErrorKind::VialNotActive => "vial_not_active",
            ErrorKind::SchemaTooNew => "schema_too_new",
            ErrorKind::NotADatabase => "not_a_database",
            ErrorKind::Storage => "storage",
            ErrorKind::Internal => "internal",
        }
    }
}

/// The API hint an approval-gated request's message ends with.
fn approver_hint(ask: &bool) -> &'static str {
    if *ask {
        ": give approver_name and approver_pin"
    } else {
        ""
    }
}

/// A batch status in the words of a message.
fn status_words(s: &BatchStatus) -> &'static str {
    match s {
        BatchStatus::Available => "available",
        BatchStatus::Quarantine => "in quarantine",
        BatchStatus::Expired => "expired",
        BatchStatus::Recalled => "recalled",
        BatchStatus::Depleted => "used up",
        BatchStatus::Damaged => "damaged",
    }
}

fn not_sellable_message(batch: &str, reason: &BatchStatus, expiry: &Option<String>) -> String {
    match (reason, expiry) {
        (BatchStatus::Expired, Some(d)) => {
            format!("batch {batch} is expired (expiry date {d}) and cannot be used")
        }
        _ => format!(
            "batch {batch} is {} and cannot be used",
            status_words(reason)
        ),
    }
}

impl Error {
    /// The kind, typed.
    pub fn error_kind(&self) -> ErrorKind {
        match self {
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::InvalidInput { .. } | Error::ImportRejected { .. } => ErrorKind::InvalidInput,
            Error::Conflict { .. } => ErrorKind::Conflict,
            Error::DatabaseRule { .. } => ErrorKind::DatabaseRule,
            Error::CorruptRecord { .. } => ErrorKind::CorruptRecord,
            Error::Forbidden { .. } | Error::NotInStore { .. } => ErrorKind::Forbidden,
            Error::StoreNotOwned { .. } => ErrorKind::StoreNotOwned,
            Error::ApprovalRequired { .. } => ErrorKind::ApprovalRequired,
            Error::Unauthenticated { .. } => ErrorKind::Unauthenticated,
            Error::Locked { .. } => ErrorKind::Locked,
            Error::NotSetUp {} => ErrorKind::NotSetUp,
            Error::AlreadySetUp {} => ErrorKind::AlreadySetUp,
            Error::StoreClosed { .. } => ErrorKind::StoreClosed,
            Error::StockFrozen { .. } => ErrorKind::StockFrozen,
            Error::ProductDeleted { .. } => ErrorKind::ProductDeleted,
            Error::ProductPendingApproval { .. } => ErrorKind::ProductPendingApproval,
            Error::ProductDiscontinued { .. } => ErrorKind::ProductDiscontinued,
            Error::PrescriptionRequired { .. } => ErrorKind::PrescriptionRequired,
            Error::SupplierInactive { .. } => ErrorKind::SupplierInactive,
            Error::NoCostPrice { .. } => ErrorKind::NoCostPrice,
            Error::InsufficientStock { .. } => ErrorKind::InsufficientStock,
            Error::BatchNotSellable { .. } => ErrorKind::BatchNotSellable,
            Error::BatchStatusUnchanged { .. } => ErrorKind::BatchStatusUnchanged,
            Error::BatchNotQuarantined { .. } => ErrorKind::BatchNotQuarantined,
            Error::BatchEmpty { .. } => ErrorKind::BatchEmpty,
            Error::ReservationNotActive { .. } => ErrorKind::ReservationNotActive,
            Error::AdjustmentNotPending { .. } => ErrorKind::AdjustmentNotPending,
            Error::BackorderClosed { .. } => ErrorKind::BackorderClosed,
            Error::ReceiptNotReversible { .. } => ErrorKind::ReceiptNotReversible,
            Error::NoOpenShift { .. } => ErrorKind::NoOpenShift,
            Error::CartNotOpen { .. } => ErrorKind::CartNotOpen,
            Error::CartNotHeld { .. } => ErrorKind::CartNotHeld,
            Error::CartClosed { .. } => ErrorKind::CartClosed,
            Error::EmptyCart { .. } => ErrorKind::EmptyCart,
            Error::NoSellingPrice { .. } => ErrorKind::NoSellingPrice,
            Error::SaleNotCompleted { .. } => ErrorKind::SaleNotCompleted,
            Error::AlertNotOpen { .. } => ErrorKind::AlertNotOpen,
            Error::LotAlreadyDecided { .. } => ErrorKind::LotAlreadyDecided,
            Error::CsvRejected { .. } => ErrorKind::CsvRejected,
            Error::SaleShiftClosed { .. } => ErrorKind::SaleShiftClosed,
            Error::SaleHasReturns { .. } => ErrorKind::SaleHasReturns,
            Error::VialBeyondUse { .. } => ErrorKind::VialBeyondUse,
            Error::VialNotActive { .. } => ErrorKind::VialNotActive,
            Error::SchemaTooNew { .. } => ErrorKind::SchemaTooNew,
            Error::NotADatabase { .. } => ErrorKind::NotADatabase,
            Error::Storage { .. } => ErrorKind::Storage,
            Error::Internal { .. } => ErrorKind::Internal,
        }
    }

    /// The stable machine-readable kind.
    pub fn kind(&self) -> &'static str {
        self.error_kind().as_str()
    }

    /// Structured details for the caller (ids, statuses, quantities): the
    /// variant's fields, as typed by the UI's generated `ErrorDetails`.
    pub fn details(&self) -> Value {
        match serde_json::to_value(self) {
            Ok(Value::Object(mut m)) => m.remove("details").unwrap_or_else(|| json!({})),
            _ => json!({}),
        }
    }

    /// `{"error": {kind, message, details}}`, the shape every front end prints.
    pub fn to_json(&self) -> Value {
        json!({"error": {"kind": self.kind(), "message": self.to_string(), "details": self.details()}})
    }

    /// Shorthand for an [`Error::InvalidInput`] on a named field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            message: message.into(),
            field: Some(field.to_string()),
        }
    }

    /// Shorthand for [`Error::NotFound`].
    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Error::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    /// Shorthand for [`Error::Conflict`].
    pub fn conflict(message: impl Into<String>) -> Self {
        Error::Conflict {
            message: message.into(),
        }
    }

    /// Shorthand for [`Error::Internal`].
    pub fn internal(message: impl Into<String>) -> Self {
        Error::Internal {
            message: message.into(),
        }
    }

    /// Shorthand for an [`Error::Storage`] of no particular kind.
    pub fn storage(message: impl Into<String>) -> Self {
        Error::Storage {
            message: message.into(),
            problem: StorageProblem::Other,
        }
    }

    /// Shorthand for [`Error::Unauthenticated`].
    pub fn unauthenticated(reason: AuthFailure, message: impl Into<String>) -> Self {
        Error::Unauthenticated {
            message: message.into(),
            reason,
        }
    }

    /// Shorthand for [`Error::CorruptRecord`].
    pub fn corrupt(
        entity: &'static str,
        id: impl ToString,
        field: &'static str,
        value: impl Into<String>,
    ) -> Self {
        Error::CorruptRecord {
            entity,
            id: id.to_string(),
            field,
            value: value.into(),
        }
    }

    /// True when retrying the same request later may succeed (busy database).
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            Error::Storage {
                problem: StorageProblem::Busy,
                ..
            }
        )
    }
}

/// A [`Error::CorruptRecord`] raised inside a rusqlite row closure: it
/// travels as a conversion failure and comes back out unchanged through
/// `From<rusqlite::Error>`.
pub(crate) fn corrupt_in_row(
    column: usize,
    entity: &'static str,
    id: impl ToString,
    field: &'static str,
    value: impl Into<String>,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        column,
        rusqlite::types::Type::Text,
        Box::new(Error::corrupt(entity, id, field, value)),
    )
}

/// Reads a stored tax rate (a percentage, 0 to 100) inside a row closure; a
/// value that is not one is a [`Error::CorruptRecord`] naming the record.
pub(crate) fn tax_rate_in_row(
    r: &rusqlite::Row<'_>,
    column: usize,
    entity: &'static str,
    id: impl ToString,
) -> rusqlite::Result<rust_decimal::Decimal> {
    let text: String = r.get(column)?;
    match text.trim().parse::<rust_decimal::Decimal>() {
        Ok(d) if !d.is_sign_negative() && d <= rust_decimal::Decimal::ONE_HUNDRED => Ok(d),
        _ => Err(corrupt_in_row(column, entity, id, "tax_rate", text)),
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        // A record found unreadable inside a row closure (see corrupt_in_row).
        let e = match e {
            rusqlite::Error::FromSqlConversionFailure(i, t, b) => match b.downcast::<Error>() {
                Ok(ours) => return *ours,
                Err(b) => rusqlite::Error::FromSqlConversionFailure(i, t, b),
            },
            e => e,
        };
        // The CHECK constraints are the last line of defence; if one fires, an
        // operation's own validation missed a case, and the caller still gets
        // a business error rather than a storage one. Told apart by SQLite's
        // extended result code, not its words.
        if let rusqlite::Error::SqliteFailure(f, msg) = &e {
            let text = || msg.clone().unwrap_or_else(|| e.to_string());
            match f.extended_code {
                rusqlite::ffi::SQLITE_CONSTRAINT_CHECK => {
                    return Error::DatabaseRule { constraint: text() };
                }
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                    return Error::Conflict {
                        message: format!("duplicate: {}", text()),
                    };
                }
                _ => {}
            }
        }
        // The failures a till can meet in the field, in words a manager can
        // act on. A full disk, a read-only file or a lock timeout roll the
        // transaction back; after an I/O error only `verify` can tell.
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            let advice = match f.code {
                rusqlite::ErrorCode::DiskFull => Some((
                    StorageProblem::DiskFull,
                    "the disk holding the store database is full; nothing was saved. Free some space and try again",
                )),
                rusqlite::ErrorCode::ReadOnly => Some((
                    StorageProblem::ReadOnly,
                    "the store database is read-only (check the file's permissions and the disk); nothing was saved",
                )),
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => Some((
                    StorageProblem::Busy,
                    "the store database stayed locked by another program for too long; nothing was saved. Try again",
                )),
                rusqlite::ErrorCode::SystemIoFailure => Some((
                    StorageProblem::Io,
                    "the disk reported an error reading or writing the store database. Check the disk, then run verify before going on",
                )),
                _ => None,
            };
            if let Some((problem, advice)) = advice {
                return Error::Storage {
                    message: format!("{advice} ({e})"),
                    problem,
                };
            }
        }
        Error::storage(e.to_string())
    }
}

impl From<refinery::Error> for Error {
    fn from(e: refinery::Error) -> Self {
        Error::storage(format!("migration failed: {e}"))
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::InvalidInput {
            message: e.to_string(),
            field: None,
        }
    }
}

/// One error kind as documented for callers: its `kind`, what it means, and
/// the keys of its `details`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindDoc {
    /// The stable `kind` string ([`Error::kind`]).
    pub kind: &'static str,
    /// One line saying when it happens (and what the caller can do).
    pub meaning: &'static str,
    /// The keys of [`Error::details`] for this kind (empty: `{}`).
    pub details: &'static [&'static str],
}

impl Error {
    /// Every kind a caller can meet, in the order the reference lists them.
    /// A test below keeps it in step with [`Error::kind`].
    pub const KINDS: &'static [KindDoc] = &[
        KindDoc { kind: "not_found", meaning: "a referenced record does not exist (or is soft-deleted)", details: &["entity", "id"] },
        KindDoc { kind: "invalid_input", meaning: "the request is malformed or breaks a validation rule; an import file with row errors lists them all (`import_kind`, `errors` with row and field, `error_count`, `errors_truncated`) and imports nothing", details: &["field", "import_kind", "errors", "error_count", "errors_truncated"] },
        KindDoc { kind: "conflict", meaning: "the request collides with existing data (duplicate, mismatch)", details: &[] },
        KindDoc { kind: "database_rule", meaning: "a database rule (CHECK constraint) refused the change: an operation's own checks missed a case", details: &["constraint"] },
        KindDoc { kind: "corrupt_record", meaning: "a value stored in the database cannot be read (edited by hand, or written by a broken tool); the record and the bad value are named", details: &["entity", "id", "field", "value"] },
        KindDoc { kind: "forbidden", meaning: "the acting user's role lacks the permission; or the acting user is not assigned to the store the request addresses (directly or through one of its records): kind `forbidden`, with the user and the store as details", details: &["permission", "role", "store", "user"] },
        KindDoc { kind: "store_not_owned", meaning: "the store belongs to another installation (database file): this file may hold a copy of its data but never writes its stock or record", details: &["store", "owner"] },
        KindDoc { kind: "approval_required", meaning: "the change needs a manager's approval first (or the approval given was refused)", details: &["reason", "measure", "amount", "limit", "requested_by"] },
        KindDoc { kind: "unauthenticated", meaning: "sign-in failed, or no one is signed in", details: &["reason"] },
        KindDoc { kind: "locked", meaning: "too many failed PIN attempts", details: &["user", "until"] },
        KindDoc { kind: "not_set_up", meaning: "no store exists yet", details: &[] },
        KindDoc { kind: "already_set_up", meaning: "setup was asked for twice", details: &[] },
        KindDoc { kind: "store_closed", meaning: "the store is closed (deactivated)", details: &["store_id", "name"] },
        KindDoc { kind: "stock_frozen", meaning: "the store's stock is frozen: nothing may be dated before its freeze date", details: &["store_id", "freeze_date", "date"] },
        KindDoc { kind: "product_deleted", meaning: "the product is soft-deleted", details: &["product_id", "sku"] },
        KindDoc { kind: "product_pending_approval", meaning: "the product waits for a manager's approval and cannot be sold yet", details: &["product_id", "sku"] },
        KindDoc { kind: "product_discontinued", meaning: "the product is discontinued: no more stock comes in", details: &["product_id", "sku"] },
        KindDoc { kind: "prescription_required", meaning: "the product is prescription-only and the line has no prescription reference", details: &["product_id", "sku"] },
        KindDoc { kind: "supplier_inactive", meaning: "the supplier is deactivated", details: &["supplier_id", "name"] },
        KindDoc { kind: "no_cost_price", meaning: "stock received without a cost price, and the product has none to fall back on", details: &["product_id", "sku"] },
        KindDoc { kind: "insufficient_stock", meaning: "not enough sellable stock for an all-or-nothing request", details: &["product_id", "batch_id", "requested", "available"] },
        KindDoc { kind: "batch_not_sellable", meaning: "the batch cannot be sold or used: expired (by date or marked), quarantined, recalled, damaged or used up", details: &["batch_id", "batch", "reason", "expiry_date"] },
        KindDoc { kind: "batch_status_unchanged", meaning: "a batch was asked to take the status it already has", details: &["batch_id", "batch", "status"] },
        KindDoc { kind: "batch_not_quarantined", meaning: "only a quarantined batch can be released for sale", details: &["batch_id", "batch", "status"] },
        KindDoc { kind: "batch_empty", meaning: "nothing is left on the batch to write off", details: &["batch_id", "batch"] },
        KindDoc { kind: "reservation_not_active", meaning: "the reservation was already confirmed, released or expired", details: &["reservation_id", "status"] },
        KindDoc { kind: "adjustment_not_pending", meaning: "the adjustment was already approved or rejected", details: &["adjustment_id", "status"] },
        KindDoc { kind: "backorder_closed", meaning: "the backorder was already fulfilled or cancelled", details: &["backorder_id", "status"] },
        KindDoc { kind: "receipt_not_reversible", meaning: "a receipt cannot be reversed: `reason` is `stock_left` (stock has left its batch since), `already_reversed` or `reserved` (the units are held for customers)", details: &["receipt_id", "batch", "reason"] },
        KindDoc { kind: "no_open_shift", meaning: "the till has no open shift", details: &["terminal_id"] },
        KindDoc { kind: "cart_not_open", meaning: "the cart is not open (held, sold or cancelled), so it cannot change", details: &["cart_id", "status"] },
        KindDoc { kind: "cart_not_held", meaning: "only a held cart can be resumed", details: &["cart_id", "status"] },
        KindDoc { kind: "cart_closed", meaning: "the cart is already sold or cancelled", details: &["cart_id", "status"] },
        KindDoc { kind: "empty_cart", meaning: "the cart has no lines", details: &["cart_id"] },
        KindDoc { kind: "no_selling_price", meaning: "a line's product has no selling price and no manager set one", details: &["cart_id", "line_no", "product_id", "name"] },
        KindDoc { kind: "sale_not_completed", meaning: "the sale is voided (or otherwise not completed)", details: &["sale_id", "number", "status"] },
        KindDoc { kind: "alert_not_open", meaning: "the alert is not open (or not active) for this step: it was already acknowledged, resolved or dismissed", details: &["alert_id", "status", "wanted"] },
        KindDoc { kind: "lot_already_decided", meaning: "a lot held by a temperature excursion was already released or disposed of", details: &["batch_id", "batch", "decision"] },
        KindDoc { kind: "csv_rejected", meaning: "an imported file has bad lines: each is named with what is wrong, and nothing was imported", details: &["problems"] },
        KindDoc { kind: "sale_shift_closed", meaning: "the sale's shift is closed: it can be returned, not voided", details: &["sale_id", "number"] },
        KindDoc { kind: "sale_has_returns", meaning: "the sale has returns: return the rest instead of voiding it", details: &["sale_id", "number"] },
        KindDoc { kind: "vial_beyond_use", meaning: "the open vial is past the window that applies (the label's beyond-use time or the clinic's policy window): close it, or send the draw again with `override_beyond_use` and a manager's approval", details: &["session_id", "product", "batch", "clock", "until"] },
        KindDoc { kind: "vial_not_active", meaning: "the vial session is closed (expired, depleted or discarded)", details: &["session_id", "status"] },
        KindDoc { kind: "schema_too_new", meaning: "the database was written by a newer PharmaPOS", details: &["file_version", "program_version"] },
        KindDoc { kind: "not_a_database", meaning: "the file is not a PharmaPOS database (or is damaged)", details: &["path"] },
        KindDoc { kind: "storage", meaning: "SQLite or I/O failure", details: &["problem"] },
        KindDoc { kind: "internal", meaning: "a broken invariant inside the engine (a bug)", details: &[] },
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One error of every variant (the match in `Error::error_kind` makes a
    /// new variant fail to compile until it has a kind).
    fn one_of_each() -> Vec<Error> {
        let batch_id = BatchId::new();
        vec![
            Error::not_found("product", "P-1"),
            Error::invalid("quantity", "quantity must be more than 0"),
            Error::conflict("duplicate"),
            Error::DatabaseRule {
                constraint: "CHECK constraint failed: on_hand_milli >= 0".into(),
            },
            Error::corrupt("store", StoreId::new(), "timezone", "Mars/Olympus"),
            Error::Forbidden {
                user: "Ada".into(),
                role: "cashier".into(),
                permission: "approve".into(),
            },
            Error::StoreNotOwned {
                store: "LEK".into(),
                owner: "0193a1c2-0000-7000-8000-000000000001".into(),
            },
            Error::ApprovalRequired {
                reason: "a discount above the limit needs a manager's approval".into(),
                ask_approver: true,
                measure: Some(crate::approval::ApprovalMeasure::Percent),
                amount: Some("15".into()),
                limit: Some("10".into()),
                requested_by: Some("chidi".into()),
            },
            Error::unauthenticated(AuthFailure::BadCredentials, "wrong name or PIN"),
            Error::Locked {
                user: "Ada".into(),
                until: "2026-01-01T00:00:00Z".into(),
            },
            Error::NotSetUp {},
            Error::AlreadySetUp {},
            Error::StoreClosed {
                store_id: StoreId::new(),
                name: "Main".into(),
            },
            Error::StockFrozen {
                store_id: StoreId::new(),
                freeze_date: "2026-01-31".into(),
                date: "2026-01-30".into(),
            },
            Error::ProductDeleted {
                product_id: ProductId::new(),
                sku: "P-1".into(),
            },
            Error::ProductPendingApproval {
                product_id: ProductId::new(),
                sku: "P-1".into(),
            },
            Error::ProductDiscontinued {
                product_id: ProductId::new(),
                sku: "P-1".into(),
            },
            Error::PrescriptionRequired {
                product_id: ProductId::new(),
                sku: "P-1".into(),
            },
            Error::SupplierInactive {
                supplier_id: SupplierId::new(),
                name: "Acme".into(),
            },
            Error::NoCostPrice {
                product_id: ProductId::new(),
                sku: "P-1".into(),
            },
            Error::InsufficientStock {
                product_id: None,
                batch_id: None,
                requested: "5".into(),
                available: "2".into(),
            },
            Error::BatchNotSellable {
                batch_id: Some(batch_id),
                batch: "L-1".into(),
                reason: BatchStatus::Recalled,
                expiry_date: None,
            },
            Error::BatchStatusUnchanged {
                batch_id,
                batch: "L-1".into(),
                status: BatchStatus::Quarantine,
            },
            Error::BatchNotQuarantined {
                batch_id,
                batch: "L-1".into(),
                status: BatchStatus::Recalled,
            },
            Error::BatchEmpty {
                batch_id,
                batch: "L-1".into(),
            },
            Error::ReservationNotActive {
                reservation_id: ReservationId::new(),
                status: "released".into(),
            },
            Error::AdjustmentNotPending {
                adjustment_id: AdjustmentId::new(),
                status: "applied".into(),
            },
            Error::BackorderClosed {
                backorder_id: BackorderId::new(),
                status: "fulfilled".into(),
            },
            Error::ReceiptNotReversible {
                receipt_id: "0193a1c2-0000-7000-8000-000000000002".into(),
                batch: "B1".into(),
                reason: "stock_left",
                message: "stock has left batch B1 since: adjust or write off instead".into(),
            },
            Error::NoOpenShift {
                terminal_id: "TILL-1".into(),
            },
            Error::CartNotOpen {
                cart_id: CartId::new(),
                status: "held".into(),
            },
            Error::CartNotHeld {
                cart_id: CartId::new(),
                status: "open".into(),
            },
            Error::CartClosed {
                cart_id: CartId::new(),
                status: "completed".into(),
            },
            Error::EmptyCart {
                cart_id: CartId::new(),
            },
            Error::NoSellingPrice {
                cart_id: CartId::new(),
                line_no: 1,
                product_id: ProductId::new(),
                name: "Paracetamol".into(),
            },
            Error::SaleNotCompleted {
                sale_id: SaleId::new(),
                number: "S-1".into(),
                status: "voided".into(),
            },
            Error::AlertNotOpen {
                alert_id: AlertId::new(),
                status: AlertStatus::Resolved,
                wanted: AlertStatus::Acknowledged,
            },
            Error::LotAlreadyDecided {
                batch_id,
                batch: "L-1".into(),
                decision: "released".into(),
            },
            Error::CsvRejected {
                problems: vec![CsvProblem {
                    line: 3,
                    message: "'x' is not a temperature in °C".into(),
                }],
            },
            Error::SaleShiftClosed {
                sale_id: SaleId::new(),
                number: "S-1".into(),
            },
            Error::SaleHasReturns {
                sale_id: SaleId::new(),
                number: "S-1".into(),
            },
            Error::VialBeyondUse {
                session_id: VialSessionId::new(),
                product: "Botox 100U".into(),
                batch: "C3709".into(),
                clock: "label".into(),
                until: "2026-01-02T10:00:00.000Z".into(),
            },
            Error::VialNotActive {
                session_id: VialSessionId::new(),
                status: "depleted".into(),
            },
            Error::SchemaTooNew {
                file_version: 9,
                program_version: 5,
            },
            Error::NotADatabase {
                path: "/tmp/x".into(),
                reason: "it is a directory".into(),
            },
            Error::storage("disk I/O error"),
            Error::internal("cost overflow"),
        ]
    }

    #[test]
    fn the_documented_kinds_are_every_kind_with_its_detail_keys() {
        let documented: Vec<&str> = Error::KINDS.iter().map(|k| k.kind).collect();
        let all: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            documented, all,
            "Error::KINDS lists every ErrorKind, in order"
        );
        let mut samples = one_of_each();
        samples.push(Error::NotInStore {
            user: "Ada".into(),
            store: "LEK".into(),
        });
        for e in samples {
            let doc = Error::KINDS.iter().find(|k| k.kind == e.kind()).unwrap();
            for key in e.details().as_object().unwrap().keys() {
                assert!(
                    doc.details.contains(&key.as_str()),
                    "Error::KINDS does not document `{key}` of `{}`",
                    e.kind()
                );
            }
        }
    }

    #[test]
    fn every_kind_is_named_once_and_serializes_as_its_kind_with_details() {
        let errors = one_of_each();
        let mut kinds: Vec<&str> = errors.iter().map(Error::kind).collect();
        let all: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(kinds, all, "one sample per kind, in ErrorKind::ALL's order");
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds.len(), all.len(), "a kind is used twice");
        for k in ErrorKind::ALL {
            assert_eq!(serde_json::to_value(k).unwrap(), json!(k.as_str()));
        }
        for e in &errors {
            let v = serde_json::to_value(e).unwrap();
            assert_eq!(v["kind"], e.kind(), "{e}");
            assert!(v["details"].is_object(), "{}: {v}", e.kind());
            assert_eq!(e.details(), v["details"]);
            assert!(!e.to_string().is_empty());
            assert!(!e.to_string().contains("{"), "unformatted message: {e}");
        }
    }

    #[test]
    fn details_carry_the_data_and_never_the_message_text() {
        let e = Error::invalid("quantity", "quantity must be more than 0");
        assert_eq!(e.details(), json!({"field": "quantity"}));
        let id = BatchId::new();
        let e = Error::BatchNotSellable {
            batch_id: Some(id),
            batch: "L-7".into(),
            reason: BatchStatus::Expired,
            expiry_date: Some("2025-01-31".into()),
        };
        assert_eq!(
            e.details(),
            json!({"batch_id": id.to_string(), "batch": "L-7", "reason": "expired", "expiry_date": "2025-01-31"})
        );
        assert_eq!(
            e.to_string(),
            "batch L-7 is expired (expiry date 2025-01-31) and cannot be used"
        );
        let e = Error::BatchNotSellable {
            batch_id: None,
            batch: "L-7".into(),
            reason: BatchStatus::Quarantine,
            expiry_date: None,
        };
        assert_eq!(
            e.to_string(),
            "batch L-7 is in quarantine and cannot be used"
        );
        let e = Error::ApprovalRequired {
            reason: "a refund above the limit needs a manager's approval".into(),
            ask_approver: true,
            measure: Some(crate::approval::ApprovalMeasure::Money),
            amount: Some("5070.00".into()),
            limit: Some("5000.00".into()),
            requested_by: Some("chidi".into()),
        };
        assert_eq!(
            e.details(),
            json!({"reason": "a refund above the limit needs a manager's approval",
                   "measure": "money", "amount": "5070.00", "limit": "5000.00", "requested_by": "chidi"})
        );
        assert!(e
            .to_string()
            .ends_with(": give approver_name and approver_pin"));
        let e = Error::unauthenticated(AuthFailure::Deactivated, "user 'Ada' is deactivated");
        assert_eq!(e.details(), json!({"reason": "deactivated"}));
        assert_eq!(Error::NotSetUp {}.details(), json!({}));
        assert_eq!(
            Error::internal("cost overflow").details(),
            json!({}),
            "internal text is for the log, not the details"
        );
    }

    #[test]
    fn a_corrupt_value_raised_in_a_row_comes_back_as_itself() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let err: Error = conn
            .query_row("SELECT 'abc'", [], |r| {
                tax_rate_in_row(r, 0, "product", "P-9")
            })
            .unwrap_err()
            .into();
        assert_eq!(err.kind(), "corrupt_record");
        assert_eq!(
            err.details(),
            json!({"entity": "product", "id": "P-9", "field": "tax_rate", "value": "abc"})
        );
        for bad in ["-1", "150", ""] {
            let r = conn.query_row(&format!("SELECT '{bad}'"), [], |r| {
                tax_rate_in_row(r, 0, "product", "P-9")
            });
            assert!(r.is_err(), "{bad:?} is not a tax rate");
        }
        let ok = conn
            .query_row("SELECT '7.5'", [], |r| {
                tax_rate_in_row(r, 0, "product", "P-9")
            })
            .unwrap();
        assert_eq!(ok.to_string(), "7.5");
    }

    #[test]
    fn constraint_failures_are_told_apart_by_their_code() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER CHECK (n >= 0), u TEXT UNIQUE);
             INSERT INTO t VALUES ('a', 1, 'x');",
        )
        .unwrap();
        let e: Error = conn
            .execute("INSERT INTO t VALUES ('b', -1, 'y')", [])
            .unwrap_err()
            .into();
        assert_eq!(e.kind(), "database_rule", "{e}");
        assert!(e.details()["constraint"]
            .as_str()
            .is_some_and(|c| c.contains("n >= 0")));
        for dup in [
            "INSERT INTO t VALUES ('c', 1, 'x')",
            "INSERT INTO t VALUES ('a', 1, 'z')",
        ] {
            let e: Error = conn.execute(dup, []).unwrap_err().into();
            assert_eq!(e.kind(), "conflict", "{dup}: {e}");
        }
    }

    #[test]
    fn busy_is_told_by_its_problem_not_its_words() {
        assert!(sqlite(rusqlite::ffi::SQLITE_BUSY).is_busy());
        assert!(!sqlite(rusqlite::ffi::SQLITE_FULL).is_busy());
        assert!(!Error::storage("database is locked").is_busy());
        assert_eq!(
            sqlite(rusqlite::ffi::SQLITE_FULL).details(),
            json!({"problem": "disk_full"})
        );
    }

    fn sqlite(code: std::ffi::c_int) -> Error {
        Error::from(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(code),
            None,
        ))
    }

    #[test]
    fn field_failures_are_storage_errors_in_plain_words() {
        let full = sqlite(rusqlite::ffi::SQLITE_FULL);
        assert_eq!(full.kind(), "storage");
        assert!(
            full.to_string()
                .contains("disk holding the store database is full"),
            "{full}"
        );
        assert!(sqlite(rusqlite::ffi::SQLITE_READONLY)
            .to_string()
            .contains("read-only"));
        assert!(sqlite(rusqlite::ffi::SQLITE_BUSY)
            .to_string()
            .contains("locked"));
        assert!(sqlite(rusqlite::ffi::SQLITE_IOERR)
            .to_string()
            .contains("run verify"));
        // Anything else keeps SQLite's own words.
        let other = sqlite(rusqlite::ffi::SQLITE_MISMATCH);
        assert_eq!(other.kind(), "storage");
        assert!(!other.to_string().contains("nothing was saved"));
    }
}
