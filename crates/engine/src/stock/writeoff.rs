//! Write-offs and returns to supplier: stock that leaves the store without a
//! sale, under the same rule as adjustments.
//!
//! Both are `stock_adjustments` rows (kinds `writeoff` and
//! `supplier_return`) made by `adjust::request`: any store staff
//! may ask; within the store's approval thresholds (units, or value at the
//! batch's cost) it applies at once, above them a non-manager's request
//! waits `pending` until `approve_adjustment` / `reject_adjustment`, unless
//! a manager's name and PIN come with it. A pending request records the
//! quantity asked; approval applies exactly that or refuses.
//!
//! Returns share one writer, `return_stock`, with the clinic's
//! `dispose_batch` (method `return_to_supplier`), so a return is one record
//! and one `supplier_return` event whichever screen made it.

use super::adjust::{
    get_adjustment, request, Adjustment, AdjustmentReason, NewRequest, RequestKind,
};
use super::BatchRow;
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::catalogue::products::ProductRules;
use crate::catalogue::stores::StoreInfo;
use crate::ids::{AdjustmentId, BatchId, SupplierId};
use crate::num::Qty;
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use rusqlite::OptionalExtension;
use serde::Deserialize;
use ts_rs::TS;

/// Writes off everything left on a batch (quantity to 0) with a reason.
///
/// - Any store staff may ask (`adjust_stock`'s rule): within the store's
///   `adjustment_approval_units` and `adjustment_approval_value` (on-hand × batch cost) it
///   applies at once; above either a non-manager's write-off is recorded `pending` (an
///   `adjustment_requested` event, stock unchanged) until `approve_adjustment` /
///   `reject_adjustment`, unless a manager approves with `approver_name` + `approver_pin`.
///   A manager's or admin's own write-off applies at once.
/// - A pending write-off records the quantity on hand when asked; approval removes exactly
///   that (`insufficient_stock` if the batch no longer has it).
/// - Refused when the batch is already empty (`batch_empty`) or holds reservations
///   (`conflict`); reason `other` needs `notes`.
/// - Applied: a `writeoff` event and an applied adjustment of kind `writeoff`; with reason
///   `damage` the batch's status becomes `damaged`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct WriteoffBatch {
    /// Batch.
    pub batch_id: BatchId,
    /// Reason.
    pub reason: AdjustmentReason,
    /// Notes.
    #[ts(optional)]
    pub notes: Option<String>,
    /// A manager approving at the point of action: their name…
    #[ts(optional)]
    #[serde(default)]
    pub approver_name: Option<String>,
    /// …and PIN.
    #[ts(optional)]
    #[serde(default)]
    pub approver_pin: Option<String>,
}

impl Operation for WriteoffBatch {
    const NAME: &'static str = "writeoff_batch";
    const SUMMARY: &'static str =
        "Write off everything left on a batch with a reason (above the store's threshold a non-manager's write-off waits for approval)";
    const PERMISSION: Permission = Permission::AdjustStock;
    const WRITES: bool = true;
    const NAMES_ACTING_USER: bool = true;
    type Output = Adjustment;

    fn run(self, ctx: &Ctx<'_>) -> Result<Adjustment> {
        let b = BatchRow::load(ctx.tx, self.batch_id)?;
        let store = ctx.store(Some(b.store_id))?;
        if b.on_hand_milli == 0 {
            return Err(Error::BatchEmpty {
                batch_id: b.id,
                batch: b.batch_number,
            });
        }
        if b.reserved_milli > 0 {
            return Err(Error::conflict(format!(
                "batch {} has {} reserved; release the reservations first",
                b.batch_number,
                Qty::from_scaled(b.reserved_milli)
            )));
        }
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?;
        if self.reason == AdjustmentReason::Other && notes.is_none() {
            return Err(Error::invalid(
                "notes",
                "explain a write-off with reason 'other' in the notes",
            ));
        }
        let product = ProductRules::load(ctx.tx, b.product_id)?;
        let id = request(
            ctx,
            &store,
            NewRequest {
                kind: RequestKind::Writeoff,
                batch: &b,
                change: -b.on_hand_milli,
                reason: self.reason,
                notes: notes.as_deref(),
                supplier_id: None,
                unit: &product.unit,
                approver_name: self.approver_name.as_deref(),
                approver_pin: self.approver_pin.as_deref(),
            },
        )?;
        get_adjustment(ctx, id)
    }
}

/// Returns stock of a batch to its supplier.
///
/// - `quantity` > 0, whole unless the product allows fractions, at most what is free on
///   the batch: more than on hand is `insufficient_stock`, into its reservations
///   `conflict`.
/// - `supplier_id` defaults to the batch's supplier (`invalid_input` when the batch has
///   none and none is given); it must exist (`not_found`). An inactive supplier may still
///   take stock back.
/// - `reason`: `damage`, `expired`, `recall`, `obsolete`, `loss`, `theft` or `other`
///   (which needs `notes`, e.g. the return note); `found` and `correction` are not reasons
///   to send stock back (`invalid_input`).
/// - The rule of `adjust_stock`: within the store's thresholds (quantity, value at cost)
///   it applies at once; above them a non-manager's return waits `pending` (stock
///   unchanged) for `approve_adjustment` / `reject_adjustment`, unless a manager's
///   `approver_name` + `approver_pin` come with it.
/// - Applied: a `supplier_return` event naming the supplier, and an adjustment of kind
///   `supplier_return` (returned here, with its status).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReturnToSupplier {
    /// Batch.
    pub batch_id: BatchId,
    /// Quantity going back.
    pub quantity: Qty,
    /// Supplier (default: the batch's).
    #[ts(optional)]
    pub supplier_id: Option<SupplierId>,
    /// Why.
    pub reason: AdjustmentReason,
    /// Notes (the return note, the supplier's authorisation…).
    #[ts(optional)]
    pub notes: Option<String>,
    /// A manager approving at the point of action: their name…
    #[ts(optional)]
    pub approver_name: Option<String>,
    /// …and PIN.
    #[ts(optional)]
    pub approver_pin: Option<String>,
}

impl Operation for ReturnToSupplier {
    const NAME: &'static str = "return_to_supplier";
    const SUMMARY: &'static str =
        "Return stock of a batch to its supplier (above the store's threshold a non-manager's return waits for approval)";
    const PERMISSION: Permission = Permission::AdjustStock;
    const WRITES: bool = true;
    type Output = Adjustment;

    fn run(self, ctx: &Ctx<'_>) -> Result<Adjustment> {
        let b = BatchRow::load(ctx.tx, self.batch_id)?;
        let store = ctx.store(Some(b.store_id))?;
        let product = ProductRules::load(ctx.tx, b.product_id)?;
        let q = product.quantity("quantity", self.quantity)?;
        if matches!(
            self.reason,
            AdjustmentReason::Found | AdjustmentReason::Correction
        ) {
            return Err(Error::invalid(
                "reason",
                "a return to supplier is for damage, expired, recall, obsolete, loss, theft or other",
            ));
        }
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?;
        if self.reason == AdjustmentReason::Other && notes.is_none() {
            return Err(Error::invalid(
                "notes",
                "explain a return with reason 'other' in the notes",
            ));
        }
        let id = return_stock(
            ctx,
            &store,
            &b,
            Return {
                quantity_milli: q,
                supplier_id: self.supplier_id,
                reason: self.reason,
                notes: notes.as_deref(),
                unit: &product.unit,
                approver_name: self.approver_name.as_deref(),
                approver_pin: self.approver_pin.as_deref(),
            },
        )?;
        get_adjustment(ctx, id)
    }
}

/// A return to supplier, validated by its operation.
pub(crate) struct Return<'a> {
    pub quantity_milli: i64,
    /// Default: the batch's supplier.
    pub supplier_id: Option<SupplierId>,
    pub reason: AdjustmentReason,
    pub notes: Option<&'a str>,
    pub unit: &'a str,
    pub approver_name: Option<&'a str>,
    pub approver_pin: Option<&'a str>,
}

/// Records a return to supplier of `r.quantity_milli` from `b` under the
/// approval rule (applied at once or pending): the one writer of returns,
/// for `return_to_supplier` and `dispose_batch`. Checks the quantity against
/// the batch's free stock and resolves the supplier.
pub(crate) fn return_stock(
    ctx: &Ctx<'_>,
    store: &StoreInfo,
    b: &BatchRow,
    r: Return<'_>,
) -> Result<AdjustmentId> {
    if r.quantity_milli > b.on_hand_milli {
        return Err(Error::InsufficientStock {
            product_id: Some(b.product_id.to_string()),
            batch_id: Some(b.id.to_string()),
            requested: Qty::from_scaled(r.quantity_milli).to_string(),
            available: Qty::from_scaled(b.on_hand_milli).to_string(),
        });
    }
    if b.on_hand_milli - r.quantity_milli < b.reserved_milli {
        return Err(Error::conflict(format!(
            "batch {} has {} reserved; release the reservations before returning that much",
            b.batch_number,
            Qty::from_scaled(b.reserved_milli)
        )));
    }
    let batch_supplier: Option<SupplierId> = ctx.tx.query_row(
        "SELECT supplier_id FROM batches WHERE id = ?1",
        [b.id],
        |row| row.get(0),
    )?;
    let supplier = r.supplier_id.or(batch_supplier).ok_or_else(|| {
        Error::invalid(
            "supplier_id",
            format!(
                "batch {} has no supplier on record: name the supplier_id it goes back to",
                b.batch_number
            ),
        )
    })?;
    ctx.tx
        .query_row("SELECT 1 FROM suppliers WHERE id = ?1", [supplier], |_| {
            Ok(())
        })
        .optional()?
        .ok_or_else(|| Error::not_found("supplier", supplier))?;
    request(
        ctx,
        store,
        NewRequest {
            kind: RequestKind::SupplierReturn,
            batch: b,
            change: -r.quantity_milli,
            reason: r.reason,
            notes: r.notes,
            supplier_id: Some(supplier),
            unit: r.unit,
            approver_name: r.approver_name,
            approver_pin: r.approver_pin,
        },
    )
}
