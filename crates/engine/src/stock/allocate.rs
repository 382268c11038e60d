//! `allocate_stock_for_sale`: FEFO. Sellable batches of the product in the
//! store are taken nearest expiry first (ties: oldest batch first) until the
//! quantity is met. Expired, quarantined, recalled, damaged and fully
//! reserved batches are passed over and reported, so the till can say why
//! stock is short. A shortage allocates what there is and suggests a
//! backorder, unless the caller asks for all-or-nothing.

use super::{move_scanned_stock, BatchRow, BatchStatus, NO_EXPIRY};
use crate::audit::ChangeType;
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::catalogue::products::ProductRules;
use crate::ids::{BatchId, ProductId, StoreId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// - FEFO: sellable batches of the product in the store, nearest expiry first (ties: the
///   batch recorded first). A batch is sellable when its status is `available` and its
///   expiry is on or after the store's today; reserved quantity is not sellable.
/// - Batches passed over before the demand was met are listed in `skipped` with a reason:
///   `expired`, `quarantined`, `recalled`, `damaged` or `reserved`.
/// - `allow_partial` (default true): a shortage allocates what there is and returns
///   `partial: true`, `shortage`, `backorder_suggested: true`. With `false`, a shortage
///   fails with `insufficient_stock` and changes nothing.
/// - The quantity must be whole unless the product has `allow_fractional` (e.g. 12.5
///   units of a neurotoxin); at most 3 decimals.
/// - One `allocated` audit event per batch touched, all carrying `reference_id`
///   (generated as `SALE-<uuid>` when omitted). A batch that reaches 0 becomes
///   `depleted`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct AllocateStockForSale {
    /// Product sold.
    pub product_id: ProductId,
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Quantity wanted (> 0).
    pub quantity: Qty,
    /// Sale or backorder this allocation belongs to (generated when omitted).
    #[ts(optional)]
    pub reference_id: Option<String>,
    /// Allocate what there is when short (default true); false fails with
    /// `insufficient_stock` and changes nothing.
    #[ts(optional)]
    pub allow_partial: Option<bool>,
}

/// Stock taken from one batch.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct AllocatedBatch {
    /// Batch.
    pub batch_id: BatchId,
    /// Batch number.
    pub batch_number: String,
    /// Quantity taken.
    pub quantity: Qty,
    /// Expiry date.
    pub expiry_date: Option<String>,
    /// Unit cost of that batch.
    pub cost_price: Money,
}

/// Why a batch holding stock was not used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SkipReason {
    /// Past its expiry date (or marked expired).
    Expired,
    /// In quarantine.
    Quarantined,
    /// Recalled.
    Recalled,
    /// Damaged.
    Damaged,
    /// Everything on it is held by reservations.
    Reserved,
}

/// A batch passed over.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct SkippedBatch {
    /// Batch.
    pub batch_id: BatchId,
    /// Batch number.
    pub batch_number: String,
    /// Expiry date.
    pub expiry_date: Option<String>,
    /// Quantity on it that could not be used.
    pub quantity: Qty,
    /// Why.
    pub reason: SkipReason,
}

/// What was allocated.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct AllocationResult {
    /// Product.
    pub product_id: ProductId,
    /// Store.
    pub store_id: StoreId,
    /// The sale/backorder reference written on the audit events.
    pub reference_id: String,
    /// Quantity asked for.
    pub requested_quantity: Qty,
    /// Quantity allocated.
    pub allocated_quantity: Qty,
    /// Batches used, in FEFO order.
    pub batches: Vec<AllocatedBatch>,
    /// True when less than requested was allocated.
    pub partial: bool,
    /// Unmet demand.
    pub shortage: Qty,
    /// True when a backorder for the shortage is advised.
    pub backorder_suggested: bool,
    /// Batches passed over (before the demand was met), and why.
    pub skipped: Vec<SkippedBatch>,
}

/// One batch in FEFO order, as scanned.
pub(crate) struct Candidate {
    pub row: BatchRow,
}

/// Sellable batches of a product in FEFO order, calling `visit` until it
/// returns false. Shared by sales, reservations and backorder fulfilment.
pub(crate) fn scan_fefo(
    ctx: &Ctx<'_>,
    product_id: ProductId,
    store_id: StoreId,
    mut visit: impl FnMut(Candidate) -> Result<bool>,
) -> Result<()> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT id, batch_number, expiry_date, on_hand_milli, reserved_milli, cost_price_e4, status, last_event_seq, rowid
           FROM batches WHERE product_id = ?1 AND store_id = ?2 AND on_hand_milli > 0
          ORDER BY expiry_date, rowid",
    )?;
    let mut rows = stmt.query(params![product_id, store_id])?;
    while let Some(r) = rows.next()? {
        let status: String = r.get(6)?;
        let row = BatchRow {
            id: r.get(0)?,
            product_id,
            store_id,
            batch_number: r.get(1)?,
            expiry_date: r.get(2)?,
            on_hand_milli: r.get(3)?,
            reserved_milli: r.get(4)?,
            cost_e4: r.get(5)?,
            status: BatchStatus::parse(&status)?,
            last_event_seq: r.get(7)?,
            rowid: r.get(8)?,
        };
        if !visit(Candidate { row })? {
            break;
        }
    }
    Ok(())
}

/// Why a batch with stock cannot be taken from today, if it cannot.
pub(crate) fn skip_reason(b: &BatchRow, today: NaiveDate) -> Option<SkipReason> {
    match b.status {
        BatchStatus::Expired => Some(SkipReason::Expired),
        BatchStatus::Quarantine => Some(SkipReason::Quarantined),
        BatchStatus::Recalled => Some(SkipReason::Recalled),
        BatchStatus::Damaged => Some(SkipReason::Damaged),
        _ if b.is_expired_on(today) => Some(SkipReason::Expired),
        _ if b.on_hand_milli <= b.reserved_milli => Some(SkipReason::Reserved),
        _ => None,
    }
}

pub(crate) fn shown_expiry(e: &str) -> Option<String> {
    (e != NO_EXPIRY).then(|| e.to_string())
}

/// A FEFO plan: batches and quantities, not yet applied.
pub(crate) struct Plan {
    pub takes: Vec<(BatchRow, i64)>,
    pub skipped: Vec<SkippedBatch>,
    pub allocated_milli: i64,
}

/// Plans taking `want_milli` from sellable, unreserved stock in FEFO order.
pub(crate) fn plan_fefo(
    ctx: &Ctx<'_>,
    product_id: ProductId,
    store_id: StoreId,
    today: NaiveDate,
    want_milli: i64,
) -> Result<Plan> {
    let mut plan = Plan {
        takes: Vec::new(),
        skipped: Vec::new(),
        allocated_milli: 0,
    };
    scan_fefo(ctx, product_id, store_id, |c| {
        let b = c.row;
        if let Some(reason) = skip_reason(&b, today) {
            let unusable = if reason == SkipReason::Reserved {
                b.reserved_milli
            } else {
                b.on_hand_milli
            };
            plan.skipped.push(SkippedBatch {
                batch_id: b.id,
                batch_number: b.batch_number.clone(),
                expiry_date: shown_expiry(&b.expiry_date),
                quantity: Qty::from_scaled(unusable),
                reason,
            });
            return Ok(true);
        }
        let take = (b.on_hand_milli - b.reserved_milli).min(want_milli - plan.allocated_milli);
        plan.allocated_milli += take;
        plan.takes.push((b, take));
        Ok(plan.allocated_milli < want_milli)
    })?;
    Ok(plan)
}

impl Operation for AllocateStockForSale {
    const NAME: &'static str = "allocate_stock_for_sale";
    const SUMMARY: &'static str = "Take stock for a sale in FEFO order; partial allocation reports the shortage and suggests a backorder";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    const NAMES_ACTING_USER: bool = true;
    type Output = AllocationResult;

    fn run(self, ctx: &Ctx<'_>) -> Result<AllocationResult> {
        let store = ctx.store(self.store_id)?;
        let today = ctx.today(&store);
        let product = ProductRules::load(ctx.tx, self.product_id)?;
        let want = product.quantity("quantity", self.quantity)?;
        let reference = optional_text("reference_id", self.reference_id.as_deref(), 64)?
            .unwrap_or_else(|| format!("SALE-{}", uuid::Uuid::now_v7()));
        let plan = plan_fefo(ctx, self.product_id, store.id, today, want)?;
        let shortage = want - plan.allocated_milli;
        if shortage > 0 && !self.allow_partial.unwrap_or(true) {
            return Err(Error::InsufficientStock {
                product_id: Some(self.product_id.to_string()),
                batch_id: None,
                requested: Qty::from_scaled(want).to_string(),
                available: Qty::from_scaled(plan.allocated_milli).to_string(),
            });
        }
        let mut batches = Vec::with_capacity(plan.takes.len());
        for (b, take) in &plan.takes {
            move_scanned_stock(
                ctx,
                b,
                b.on_hand_milli - take,
                ChangeType::Allocated,
                Some(&reference),
            )?;
            batches.push(AllocatedBatch {
                batch_id: b.id,
                batch_number: b.batch_number.clone(),
                quantity: Qty::from_scaled(*take),
                expiry_date: shown_expiry(&b.expiry_date),
                cost_price: Money::from_scaled(b.cost_e4),
            });
        }
        Ok(AllocationResult {
            product_id: self.product_id,
            store_id: store.id,
            reference_id: reference,
            requested_quantity: Qty::from_scaled(want),
            allocated_quantity: Qty::from_scaled(plan.allocated_milli),
            batches,
            partial: shortage > 0,
            shortage: Qty::from_scaled(shortage),
            backorder_suggested: shortage > 0,
            skipped: plan.skipped,
        })
    }
}
