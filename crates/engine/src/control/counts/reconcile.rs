//! Seed 003's one-shot `reconcile_inventory(store_id, counts_data, user_id, notes)`.

use super::counted_milli;
use super::past_threshold;
use super::post::{add_item, finish_reconciliation, refusal, start_reconciliation, RecLine};
use crate::alerts::{self, AlertType, NewAlert, Severity};
use crate::audit::{self, ChangeType, Payload};
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::catalogue::products::ProductRules;
use crate::ids::{BatchId, ProductId, ReconciliationId, ReconciliationItemId, StoreId, UserId};
use crate::num::Qty;
use crate::op::{Ctx, Operation};
use crate::stock::{move_stock, BatchRow};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashSet;
use ts_rs::TS;

/// Most lines one reconciliation takes (a larger count is a `create_count`).
const MAX_LINES: usize = 10_000;

/// One counted batch, as the seed writes it.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CountedBatch {
    /// The batch's product (must be the batch's).
    pub product_id: ProductId,
    /// The batch.
    pub batch_id: BatchId,
    /// What is on the shelf (0 or more).
    pub counted_qty: Qty,
}

/// Compares counted quantities with the system and sets each batch to what was counted,
/// at once (seed 003). A manager's operation (`manage_stock`): their word approves it.
///
/// - `store_id`: the store counted; every batch must be in it (`invalid_input` naming
///   `counts_data[i].batch_id`), and `product_id` must be the batch's product.
/// - `counts_data`: 1–10,000 lines, each batch once; `counted_qty` 0 or more, whole unless
///   the product allows fractions.
/// - `user_id`, when given, must be the acting user (`invalid_input`); `notes` optional.
/// - All or nothing: a count below a batch's reserved quantity is `conflict` and nothing
///   changes.
/// - Each line with a variance (counted − system) sets the batch to the counted quantity
///   with one `reconciliation` stock event; every line is an item of the inventory
///   reconciliation record, and an `inventory_reconciled` event carries the document.
/// - Returns `reconciliation_id`, `total_variance` (the signed sum of the variances),
///   `adjustments` (the ids of the items that moved stock: each is the `reference_id` of
///   its `reconciliation` event) and `variances` (every line: `batch_id`, `system_qty`,
///   `counted_qty`, `variance`).
/// - A variance past the store's adjustment thresholds raises a `variance_detected` alert
///   for the reconciliation (already applied: the alert asks for a look, not an approval).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReconcileInventory {
    /// The store counted.
    pub store_id: StoreId,
    /// What was counted.
    pub counts_data: Vec<CountedBatch>,
    /// The acting user (optional; must be the session's user).
    #[ts(optional)]
    pub user_id: Option<UserId>,
    /// Notes.
    #[ts(optional)]
    pub notes: Option<String>,
}

/// One line's comparison.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct BatchVariance {
    /// Batch.
    pub batch_id: BatchId,
    /// On hand before.
    pub system_qty: Qty,
    /// Counted.
    pub counted_qty: Qty,
    /// counted − system.
    pub variance: Qty,
}

/// What `reconcile_inventory` did.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ReconcileResult {
    /// The reconciliation record.
    pub reconciliation_id: ReconciliationId,
    /// Sum of the variances (signed).
    pub total_variance: Qty,
    /// Items that moved stock.
    pub adjustments: Vec<ReconciliationItemId>,
    /// Every line.
    pub variances: Vec<BatchVariance>,
}

impl Operation for ReconcileInventory {
    const NAME: &'static str = "reconcile_inventory";
    const SUMMARY: &'static str =
        "Seed 003's one-shot reconciliation: set counted batches to what was counted and record the variances (manager)";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = ReconcileResult;

    fn run(self, ctx: &Ctx<'_>) -> Result<ReconcileResult> {
        crate::control::check_claimed_user(ctx, self.user_id)?;
        let store = ctx.store(Some(self.store_id))?;
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?;
        if self.counts_data.is_empty() || self.counts_data.len() > MAX_LINES {
            return Err(Error::invalid(
                "counts_data",
                format!("counts_data takes 1 to {MAX_LINES} lines"),
            ));
        }
        let mut seen = HashSet::new();
        let mut checked = Vec::with_capacity(self.counts_data.len());
        for (i, l) in self.counts_data.iter().enumerate() {
            let field = |f: &str| format!("counts_data[{i}].{f}");
            if !seen.insert(l.batch_id) {
                return Err(Error::invalid(
                    &field("batch_id"),
                    format!("batch {} is listed twice", l.batch_id),
                ));
            }
            let b = BatchRow::load(ctx.tx, l.batch_id)?;
            if b.store_id != store.id {
                return Err(Error::invalid(
                    &field("batch_id"),
                    format!("batch {} is not in store {}", b.batch_number, store.name),
                ));
            }
            if b.product_id != l.product_id {
                return Err(Error::invalid(
                    &field("product_id"),
                    format!(
                        "batch {} is not of product {}",
                        b.batch_number, l.product_id
                    ),
                ));
            }
            let rules = ProductRules::load(ctx.tx, b.product_id)?;
            let counted = counted_milli(
                &field("counted_qty"),
                l.counted_qty,
                rules.allow_fractional,
                &rules.unit,
            )?;
            if let Some(why) = refusal(&b.batch_number, b.reserved_milli, counted) {
                return Err(Error::conflict(why));
            }
            checked.push((b, counted));
        }
        let rec = start_reconciliation(ctx, store.id, None, notes.as_deref())?;
        let (mut total, mut adjustments, mut variances, mut past) =
            (0i64, Vec::new(), Vec::new(), 0);
        for (b, counted) in &checked {
            let variance = counted - b.on_hand_milli;
            let item = add_item(
                ctx,
                rec,
                &RecLine {
                    batch: b.id,
                    product: b.product_id,
                    system_milli: b.on_hand_milli,
                    counted_milli: *counted,
                },
            )?;
            if variance != 0 {
                move_stock(
                    ctx,
                    b,
                    *counted,
                    ChangeType::Reconciliation,
                    Some(&item.to_string()),
                    notes.as_deref().or(Some("reconciliation")),
                )?;
                adjustments.push(item);
                if past_threshold(variance, b.cost_e4, store.approval_milli, store.approval_e4) {
                    past += 1;
                }
            }
            total += variance;
            variances.push(BatchVariance {
                batch_id: b.id,
                system_qty: Qty::from_scaled(b.on_hand_milli),
                counted_qty: Qty::from_scaled(*counted),
                variance: Qty::from_scaled(variance),
            });
        }
        finish_reconciliation(ctx, rec, total)?;
        let name = format!("reconciliation of {}", ctx.now.format("%Y-%m-%d"));
        let payload = Payload::about("reconciliation", rec, &name).with_data(json!({
            "lines": variances.len(),
            "moved_lines": adjustments.len(),
            "total_variance": Qty::from_scaled(total),
            "notes": notes,
            "variances": variances,
        }))?;
        audit::record(ctx, store.id, ChangeType::InventoryReconciled, &payload)?;
        if past > 0 {
            alerts::raise(
                ctx,
                NewAlert {
                    store_id: store.id,
                    alert_type: AlertType::VarianceDetected,
                    severity: Severity::Warning,
                    subject_kind: "reconciliation",
                    subject_id: &rec.to_string(),
                    subject_name: &name,
                    product_id: None,
                    batch_id: None,
                    message: format!(
                        "{past} batch{} differed from the system past the store's thresholds (already applied)",
                        if past == 1 { "" } else { "es" }
                    ),
                },
            )?;
        }
        Ok(ReconcileResult {
            reconciliation_id: rec,
            total_variance: Qty::from_scaled(total),
            adjustments,
            variances,
        })
    }
}
