//! Adjustments, and the one pending/approve/reject machinery they share
//! with write-offs and returns to supplier ([`super::writeoff`]).
//!
//! `adjust_stock` changes a batch up or down with a reason. Managers' changes
//! apply at once; anyone else's apply at once only below the store's
//! threshold (units or value). Above it the change waits as `pending` until a
//! manager approves it (`approve_adjustment`), or applies at once when a
//! manager enters their name and PIN at the till (recorded as approver).
//! Every such request is a `stock_adjustments` row of its kind
//! (`adjustment`, `writeoff`, `supplier_return`), so `approve_adjustment`,
//! `reject_adjustment`, `list_adjustments` and the approvals queue
//! (`pending_approvals`) serve all three.

use super::{move_stock, BatchRow};
use crate::approval::{approve, Approval, ApprovalMeasure, IfMissing, Over};
use crate::audit::{self, ChangeType, NewEvent};
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::catalogue::products::ProductRules;
use crate::catalogue::stores::StoreInfo;
use crate::control::approvals::{ApprovalKind, ApprovalRequest};
use crate::ids::{AdjustmentId, BatchId, ProductId, StoreId, SupplierId, UserId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use super::writeoff::{ReturnToSupplier, WriteoffBatch};

/// Why stock is adjusted or written off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AdjustmentReason {
    /// Broken or spoiled.
    Damage,
    /// Lost.
    Loss,
    /// Stolen.
    Theft,
    /// No longer usable or sellable.
    Obsolete,
    /// Past expiry.
    Expired,
    /// Correcting a counting or entry error.
    Correction,
    /// Stock found.
    Found,
    /// Recalled.
    Recall,
    /// Anything else (explain in notes).
    Other,
}

impl AdjustmentReason {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            AdjustmentReason::Damage => "damage",
            AdjustmentReason::Loss => "loss",
            AdjustmentReason::Theft => "theft",
            AdjustmentReason::Obsolete => "obsolete",
            AdjustmentReason::Expired => "expired",
            AdjustmentReason::Correction => "correction",
            AdjustmentReason::Found => "found",
            AdjustmentReason::Recall => "recall",
            AdjustmentReason::Other => "other",
        }
    }
}

/// An adjustment or write-off record.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Adjustment {
    /// Id.
    pub id: AdjustmentId,
    /// `adjustment`, `writeoff` or `supplier_return`.
    pub kind: String,
    /// Batch.
    pub batch_id: BatchId,
    /// Batch number.
    pub batch_number: String,
    /// Product.
    pub product_id: ProductId,
    /// Product name.
    pub product_name: String,
    /// Store.
    pub store_id: StoreId,
    /// Signed change.
    pub quantity_change: Qty,
    /// On-hand before (once applied).
    pub previous_quantity: Option<Qty>,
    /// On-hand after (once applied).
    pub new_quantity: Option<Qty>,
    /// Reason.
    pub reason: String,
    /// Notes.
    pub notes: Option<String>,
    /// `pending`, `applied` or `rejected`.
    pub status: String,
    /// Who asked.
    pub user_id: UserId,
    /// Their name.
    pub user_name: String,
    /// The supplier a `supplier_return` goes back to.
    pub supplier_id: Option<SupplierId>,
    /// Their name.
    pub supplier_name: Option<String>,
    /// Who approved/rejected.
    pub approved_by: Option<UserId>,
    /// Their name.
    pub approved_by_name: Option<String>,
    /// When asked.
    pub created_at: String,
    /// When decided.
    pub decided_at: Option<String>,
    /// Remark on the decision.
    pub decision_notes: Option<String>,
    /// A `pending` adjustment: the figures it waits for a manager over (none otherwise).
    pub waiting_for: Option<ApprovalWait>,
}

/// What a pending adjustment waits for: its size and value at cost against the store's
/// approval thresholds as they stand now (`adjustment_approval_units` and
/// `adjustment_approval_value`). A limit is given only when the adjustment goes past it;
/// both are absent when the thresholds have since been raised above it (a manager still
/// decides it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ApprovalWait {
    /// The size of the change (without its sign), in the product's unit.
    pub quantity: Qty,
    /// The change's value at the batch's cost (without its sign).
    pub value: Money,
    /// The store's units threshold, when the quantity goes past it.
    pub quantity_limit: Option<Qty>,
    /// The store's value threshold, when the value goes past it.
    pub value_limit: Option<Money>,
}

/// A change's value at cost in ten-thousandths: |change| (thousandths) × cost
/// (ten-thousandths) / 1000, truncated, the figure the thresholds compare.
fn value_e4(change_milli: i64, cost_e4: i64) -> i128 {
    i128::from(change_milli).abs() * i128::from(cost_e4) / 1000
}

impl ApprovalWait {
    /// The figures of a change of `change_milli` at `cost_e4` against the thresholds.
    fn of(change_milli: i64, cost_e4: i64, approval_milli: i64, approval_e4: i64) -> Self {
        let quantity = change_milli.abs();
        let value = value_e4(change_milli, cost_e4);
        ApprovalWait {
            quantity: Qty::from_scaled(quantity),
            value: Money::from_scaled(i64::try_from(value).unwrap_or(i64::MAX)),
            quantity_limit: (quantity > approval_milli).then(|| Qty::from_scaled(approval_milli)),
            value_limit: (value > i128::from(approval_e4)).then(|| Money::from_scaled(approval_e4)),
        }
    }
}

/// - `quantity_change` is signed and non-zero; the batch may go neither below 0
///   (`insufficient_stock`) nor below its reserved quantity (`conflict`).
/// - `reason`: `damage`, `loss`, `theft`, `obsolete`, `expired`, `correction`, `found`,
///   `recall` or `other` (which needs `notes`).
/// - A manager's or admin's change applies at once. Anyone else's applies at once only
///   when it is within the store's `adjustment_approval_units` and
///   `adjustment_approval_value` (change × batch cost); above either threshold it is
///   recorded as `pending` (an `adjustment_requested` audit event, stock unchanged) until
///   `approve_adjustment`, unless a manager approves at the till with `approver_name` +
///   `approver_pin` (both or neither; a wrong PIN is `approval_required` again, "approval
///   refused: …", never `unauthenticated`, so the cashier's session stands; a non-manager
///   approver `forbidden`).
/// - Applied adjustments write an `adjustment` audit event.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct AdjustStock {
    /// Batch.
    pub batch_id: BatchId,
    /// Signed change (e.g. "-2" or "5").
    pub quantity_change: Qty,
    /// Reason.
    pub reason: AdjustmentReason,
    /// Notes.
    #[ts(optional)]
    pub notes: Option<String>,
    /// A manager approving at the till: their name…
    #[ts(optional)]
    pub approver_name: Option<String>,
    /// …and PIN.
    #[ts(optional)]
    pub approver_pin: Option<String>,
}

impl Operation for AdjustStock {
    const NAME: &'static str = "adjust_stock";
    const SUMMARY: &'static str =
        "Adjust a batch up or down with a reason (above the store's threshold a non-manager's change waits for approval)";
    const PERMISSION: Permission = Permission::AdjustStock;
    const WRITES: bool = true;
    const NAMES_ACTING_USER: bool = true;
    type Output = Adjustment;

    fn run(self, ctx: &Ctx<'_>) -> Result<Adjustment> {
        let b = BatchRow::load(ctx.tx, self.batch_id)?;
        let store = ctx.store(Some(b.store_id))?;
        let product = ProductRules::load(ctx.tx, b.product_id)?;
        if self.quantity_change.is_zero() {
            return Err(Error::invalid(
                "quantity_change",
                "quantity_change must not be zero",
            ));
        }
        let change = if self.quantity_change.is_negative() {
            -product.quantity("quantity_change", -self.quantity_change)?
        } else {
            product.quantity("quantity_change", self.quantity_change)?
        };
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?;
        if self.reason == AdjustmentReason::Other && notes.is_none() {
            return Err(Error::invalid(
                "notes",
                "explain an adjustment with reason 'other' in the notes",
            ));
        }
        check_result(&b, change)?;
        let id = request(
            ctx,
            &store,
            NewRequest {
                kind: RequestKind::Adjustment,
                batch: &b,
                change,
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

/// The kinds of `stock_adjustments` rows: what a manager may have to approve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RequestKind {
    /// `adjust_stock`.
    Adjustment,
    /// `writeoff_batch`.
    Writeoff,
    /// `return_to_supplier` (and `dispose_batch`'s return).
    SupplierReturn,
}

impl RequestKind {
    fn as_str(self) -> &'static str {
        match self {
            RequestKind::Adjustment => "adjustment",
            RequestKind::Writeoff => "writeoff",
            RequestKind::SupplierReturn => "supplier_return",
        }
    }

    fn parse(s: &str) -> Result<RequestKind> {
        match s {
            "adjustment" => Ok(RequestKind::Adjustment),
            "writeoff" => Ok(RequestKind::Writeoff),
            "supplier_return" => Ok(RequestKind::SupplierReturn),
            other => Err(Error::internal(format!(
                "unknown adjustment kind '{other}'"
            ))),
        }
    }

    /// In the words of messages and the security log.
    fn action(self) -> &'static str {
        match self {
            RequestKind::Adjustment => "a stock adjustment",
            RequestKind::Writeoff => "a write-off",
            RequestKind::SupplierReturn => "a return to supplier",
        }
    }

    /// The stock event an applied request writes.
    fn change_type(self) -> ChangeType {
        match self {
            RequestKind::Adjustment => ChangeType::Adjustment,
            RequestKind::Writeoff => ChangeType::Writeoff,
            RequestKind::SupplierReturn => ChangeType::SupplierReturn,
        }
    }

    fn approval_kind(self) -> ApprovalKind {
        match self {
            RequestKind::Adjustment => ApprovalKind::Adjustment,
            RequestKind::Writeoff => ApprovalKind::Writeoff,
            RequestKind::SupplierReturn => ApprovalKind::SupplierReturn,
        }
    }
}

/// One stock-changing request, already validated by its operation.
pub(crate) struct NewRequest<'a> {
    pub kind: RequestKind,
    pub batch: &'a BatchRow,
    /// Signed change in thousandths (negative for write-offs and returns).
    pub change: i64,
    pub reason: AdjustmentReason,
    pub notes: Option<&'a str>,
    /// The supplier of a return.
    pub supplier_id: Option<SupplierId>,
    /// The product's unit, for the requested event's words.
    pub unit: &'a str,
    pub approver_name: Option<&'a str>,
    pub approver_pin: Option<&'a str>,
}

/// The figure a manager approves: the quantity when it passes the store's
/// units threshold (or nothing is passed), else the value at cost.
fn over_of(change: i64, cost_e4: i64, approval_milli: i64, approval_e4: i64) -> (bool, Over) {
    let value_e4 = value_e4(change, cost_e4);
    let needs = change.abs() > approval_milli || value_e4 > i128::from(approval_e4);
    let over = if change.abs() > approval_milli || !needs {
        Over::by(
            ApprovalMeasure::Quantity,
            Qty::from_scaled(change.abs()),
            Qty::from_scaled(approval_milli),
        )
    } else {
        Over::by(
            ApprovalMeasure::Money,
            Money::from_scaled(i64::try_from(value_e4).unwrap_or(i64::MAX)),
            Money::from_scaled(approval_e4),
        )
    };
    (needs, over)
}

/// Records a request and applies it when it is within the actor's limits
/// (a manager's own, a manager's PIN with it, or within the store's
/// thresholds); otherwise it waits as `pending` with an
/// `adjustment_requested` event and the stock unchanged. The caller checked
/// the batch's store and that the change leaves the batch valid.
pub(crate) fn request(ctx: &Ctx<'_>, store: &StoreInfo, r: NewRequest<'_>) -> Result<AdjustmentId> {
    let b = r.batch;
    let (needs_approval, over) =
        over_of(r.change, b.cost_e4, store.approval_milli, store.approval_e4);
    let approver = approve(
        ctx,
        Approval {
            action: r.kind.action(),
            store_id: Some(b.store_id),
            needed: needs_approval,
            approver_name: r.approver_name,
            approver_pin: r.approver_pin,
            if_missing: IfMissing::Wait,
            over: Some(&over),
        },
    )?;
    // Within the limits the actor's own word applies it; over them with
    // nobody approving, it waits for a manager (`approved_by` none).
    let approved_by = match approver {
        Some(a) => Some(a.id),
        None if !needs_approval => Some(ctx.actor.id),
        None => None,
    };
    let id = AdjustmentId::new();
    ctx.tx.execute(
        "INSERT INTO stock_adjustments (id, batch_id, store_id, kind, quantity_change_milli, reason, notes, status, user_id,
                                        created_at, supplier_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8, ?9, ?10)",
        params![id, b.id, b.store_id, r.kind.as_str(), r.change, r.reason.as_str(), r.notes, ctx.actor.id, ctx.now_str(),
                r.supplier_id],
    )?;
    match approved_by {
        Some(by) => apply(ctx, id, b, r.change, by, None)?,
        None => {
            let what = match r.kind {
                RequestKind::Adjustment => String::new(),
                RequestKind::Writeoff => "write-off ".to_string(),
                RequestKind::SupplierReturn => "return to supplier ".to_string(),
            };
            audit::append(
                ctx,
                NewEvent {
                    store_id: b.store_id,
                    batch_id: Some(b.id),
                    product_id: Some(b.product_id),
                    change_type: ChangeType::AdjustmentRequested,
                    previous_milli: None,
                    new_milli: None,
                    reference_id: Some(&id.to_string()),
                    notes: Some(&format!(
                        "{what}{} {} ({})",
                        signed(r.change),
                        r.unit,
                        r.reason.as_str()
                    )),
                },
            )?;
        }
    }
    Ok(id)
}

fn signed(milli: i64) -> String {
    let q = Qty::from_scaled(milli);
    if milli > 0 {
        format!("+{q}")
    } else {
        q.to_string()
    }
}

/// The batch must not go below zero nor below what is held for customers.
fn check_result(b: &BatchRow, change: i64) -> Result<()> {
    let new = b.on_hand_milli + change;
    if new < 0 {
        return Err(Error::InsufficientStock {
            product_id: Some(b.product_id.to_string()),
            batch_id: Some(b.id.to_string()),
            requested: Qty::from_scaled(-change).to_string(),
            available: Qty::from_scaled(b.on_hand_milli).to_string(),
        });
    }
    if new < b.reserved_milli {
        return Err(Error::conflict(format!(
            "batch {} has {} reserved; release the reservations before adjusting below that",
            b.batch_number,
            Qty::from_scaled(b.reserved_milli)
        )));
    }
    Ok(())
}

/// Applies a recorded request: its stock event (by kind), the record's
/// before/after and decider. A write-off for damage marks the batch `damaged`.
fn apply(
    ctx: &Ctx<'_>,
    id: AdjustmentId,
    b: &BatchRow,
    change: i64,
    approved_by: UserId,
    decision: Option<&str>,
) -> Result<()> {
    let new = b.on_hand_milli + change;
    let (kind, reason, notes, supplier): (String, String, Option<String>, Option<String>) = ctx.tx.query_row(
        "SELECT a.kind, a.reason, a.notes, s.name FROM stock_adjustments a LEFT JOIN suppliers s ON s.id = a.supplier_id
          WHERE a.id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let kind = RequestKind::parse(&kind)?;
    let tail = notes.map(|n| format!(": {n}")).unwrap_or_default();
    let event_notes = match (kind, supplier) {
        (RequestKind::SupplierReturn, Some(s)) => {
            format!("returned to supplier {s} ({reason}){tail}")
        }
        _ => format!("{reason}{tail}"),
    };
    ctx.tx.execute(
        "UPDATE stock_adjustments SET status = 'applied', previous_milli = ?2, new_milli = ?3, approved_by = ?4,
                decided_at = ?5, decision_notes = ?6 WHERE id = ?1",
        params![id, b.on_hand_milli, new, approved_by, ctx.now_str(), decision],
    )?;
    move_stock(
        ctx,
        b,
        new,
        kind.change_type(),
        Some(&id.to_string()),
        Some(&event_notes),
    )?;
    if kind == RequestKind::Writeoff && reason == AdjustmentReason::Damage.as_str() {
        ctx.tx.execute(
            "UPDATE batches SET status = 'damaged' WHERE id = ?1",
            [b.id],
        )?;
    }
    Ok(())
}

/// Applies a `pending` adjustment, write-off or return to supplier
/// (`adjustment_not_pending` if it was already decided). The approver is the acting user,
/// a manager of the request's store; who asked stays on the record.
///
/// - Applies exactly the quantity that was asked, re-checked against the batch as it is
///   now: a batch that no longer has it is `insufficient_stock` (a write-off asked for 40
///   that finds 30 is refused, not shrunk: refuse it and ask again), one that would go
///   below its reservations `conflict`; the request stays pending.
/// - A write-off for `damage` marks the batch `damaged`; a return to supplier writes a
///   `supplier_return` event, a write-off a `writeoff` event, an adjustment an
///   `adjustment` event.
/// - `stock_frozen` when the store's today is before its stock freeze date.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ApproveAdjustment {
    /// The pending adjustment.
    pub adjustment_id: AdjustmentId,
    /// Remark.
    #[ts(optional)]
    pub notes: Option<String>,
}

impl Operation for ApproveAdjustment {
    const NAME: &'static str = "approve_adjustment";
    const SUMMARY: &'static str =
        "Approve and apply a pending adjustment, write-off or return to supplier";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = Adjustment;

    fn run(self, ctx: &Ctx<'_>) -> Result<Adjustment> {
        let (batch_id, change) = pending(ctx, self.adjustment_id)?;
        let b = BatchRow::load(ctx.tx, batch_id)?;
        check_result(&b, change)?;
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?;
        apply(
            ctx,
            self.adjustment_id,
            &b,
            change,
            ctx.actor.id,
            notes.as_deref(),
        )?;
        get_adjustment(ctx, self.adjustment_id)
    }
}

/// Marks a `pending` adjustment, write-off or return to supplier `rejected` (an
/// `adjustment_rejected` audit event carrying the reason); stock is unchanged.
///
/// - `notes` is the reason and is required: empty or missing is `invalid_input` (field
///   `notes`). The record keeps who asked, who refused, when and why.
/// - `adjustment_not_pending` if it was already decided.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RejectAdjustment {
    /// The pending adjustment.
    pub adjustment_id: AdjustmentId,
    /// Why it is refused (required).
    #[ts(optional)]
    pub notes: Option<String>,
}

impl Operation for RejectAdjustment {
    const NAME: &'static str = "reject_adjustment";
    const SUMMARY: &'static str =
        "Reject a pending adjustment, write-off or return to supplier with a reason (stock is unchanged)";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = Adjustment;

    fn run(self, ctx: &Ctx<'_>) -> Result<Adjustment> {
        let (batch_id, _) = pending(ctx, self.adjustment_id)?;
        let b = BatchRow::load(ctx.tx, batch_id)?;
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?
            .ok_or_else(|| Error::invalid("notes", "say why the request is rejected (notes)"))?;
        ctx.tx.execute(
            "UPDATE stock_adjustments SET status = 'rejected', approved_by = ?2, decided_at = ?3, decision_notes = ?4 WHERE id = ?1",
            params![self.adjustment_id, ctx.actor.id, ctx.now_str(), notes],
        )?;
        audit::append(
            ctx,
            NewEvent {
                store_id: b.store_id,
                batch_id: Some(b.id),
                product_id: Some(b.product_id),
                change_type: ChangeType::AdjustmentRejected,
                previous_milli: None,
                new_milli: None,
                reference_id: Some(&self.adjustment_id.to_string()),
                notes: Some(&notes),
            },
        )?;
        get_adjustment(ctx, self.adjustment_id)
    }
}

fn pending(ctx: &Ctx<'_>, id: AdjustmentId) -> Result<(BatchId, i64)> {
    let (batch_id, change, status, store): (BatchId, i64, String, StoreId) = ctx
        .tx
        .query_row(
            "SELECT batch_id, quantity_change_milli, status, store_id FROM stock_adjustments WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?
        .ok_or_else(|| Error::not_found("adjustment", id))?;
    ctx.check_store(store)?;
    if status != "pending" {
        return Err(Error::AdjustmentNotPending {
            adjustment_id: id,
            status,
        });
    }
    Ok((batch_id, change))
}

/// `status` filters on `pending`, `applied` or `rejected`; `limit` is 1–5000 (default
/// 200). Includes write-offs (`kind: writeoff`) and returns to supplier (`kind:
/// supplier_return`), each with who asked (`user_name`, `created_at`) and who decided
/// (`approved_by_name`, `decided_at`, `decision_notes`: a rejection's reason).
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListAdjustments {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Only this status (`pending`, `applied`, `rejected`).
    #[ts(optional)]
    pub status: Option<String>,
    /// Maximum rows (default 200).
    #[ts(optional)]
    pub limit: Option<u32>,
}

impl Operation for ListAdjustments {
    const NAME: &'static str = "list_adjustments";
    const SUMMARY: &'static str =
        "Adjustments and write-offs, newest first (filter by status, e.g. pending)";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Vec<Adjustment>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<Adjustment>> {
        let store = ctx.store(self.store_id)?;
        if let Some(s) = self.status.as_deref() {
            if !matches!(s, "pending" | "applied" | "rejected") {
                return Err(Error::invalid(
                    "status",
                    "status is pending, applied or rejected",
                ));
            }
        }
        let mut stmt = ctx.tx.prepare(&format!(
            "{ADJ_SQL} WHERE a.store_id = ?1 AND (?2 IS NULL OR a.status = ?2) ORDER BY a.created_at DESC, a.id DESC LIMIT ?3"
        ))?;
        let rows = stmt.query_map(
            params![
                store.id,
                self.status,
                self.limit.unwrap_or(200).clamp(1, 5000)
            ],
            read_adjustment,
        )?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

const ADJ_SQL: &str = "SELECT a.id, a.kind, a.batch_id, b.batch_number, b.product_id, p.name, a.store_id, a.quantity_change_milli,
        a.previous_milli, a.new_milli, a.reason, a.notes, a.status, a.user_id, u.name, a.approved_by, v.name,
        a.created_at, a.decided_at, a.decision_notes, b.cost_price_e4, s.adjustment_approval_milli, s.adjustment_approval_e4,
        a.supplier_id, sup.name, p.unit
   FROM stock_adjustments a JOIN batches b ON b.id = a.batch_id JOIN products p ON p.id = b.product_id
   JOIN users u ON u.id = a.user_id LEFT JOIN users v ON v.id = a.approved_by JOIN stores s ON s.id = a.store_id
   LEFT JOIN suppliers sup ON sup.id = a.supplier_id";

fn read_adjustment(r: &rusqlite::Row<'_>) -> rusqlite::Result<Adjustment> {
    let status: String = r.get(12)?;
    let change: i64 = r.get(7)?;
    let waiting_for = if status == "pending" {
        Some(ApprovalWait::of(change, r.get(20)?, r.get(21)?, r.get(22)?))
    } else {
        None
    };
    Ok(Adjustment {
        waiting_for,
        id: r.get(0)?,
        kind: r.get(1)?,
        batch_id: r.get(2)?,
        batch_number: r.get(3)?,
        product_id: r.get(4)?,
        product_name: r.get(5)?,
        store_id: r.get(6)?,
        quantity_change: Qty::from_scaled(change),
        previous_quantity: r.get::<_, Option<i64>>(8)?.map(Qty::from_scaled),
        new_quantity: r.get::<_, Option<i64>>(9)?.map(Qty::from_scaled),
        reason: r.get(10)?,
        notes: r.get(11)?,
        status,
        user_id: r.get(13)?,
        user_name: r.get(14)?,
        supplier_id: r.get(23)?,
        supplier_name: r.get(24)?,
        approved_by: r.get(15)?,
        approved_by_name: r.get(16)?,
        created_at: r.get(17)?,
        decided_at: r.get(18)?,
        decision_notes: r.get(19)?,
    })
}

pub(crate) fn get_adjustment(ctx: &Ctx<'_>, id: AdjustmentId) -> Result<Adjustment> {
    ctx.tx
        .query_row(&format!("{ADJ_SQL} WHERE a.id = ?1"), [id], read_adjustment)
        .optional()?
        .ok_or_else(|| Error::not_found("adjustment", id))
}

/// The store's pending adjustments, write-offs and returns to supplier for
/// the approvals queue, oldest first, with the figure each goes past as the
/// store's thresholds stand now.
pub(crate) fn pending_approvals(ctx: &Ctx<'_>, store: StoreId) -> Result<Vec<ApprovalRequest>> {
    let mut stmt = ctx.tx.prepare_cached(&format!(
        "{ADJ_SQL} WHERE a.store_id = ?1 AND a.status = 'pending' ORDER BY a.created_at, a.id"
    ))?;
    let rows = stmt.query_map([store], |r| {
        let a = read_adjustment(r)?;
        Ok((
            a,
            r.get::<_, i64>(20)?,
            r.get::<_, i64>(21)?,
            r.get::<_, i64>(22)?,
            r.get::<_, String>(25)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (a, cost_e4, approval_milli, approval_e4, unit) = row?;
        let kind = RequestKind::parse(&a.kind)?;
        let change = a.quantity_change.to_scaled("quantity_change")?;
        let (needs, over) = over_of(change, cost_e4, approval_milli, approval_e4);
        let what = match (kind, &a.supplier_name) {
            (RequestKind::Adjustment, _) => String::new(),
            (RequestKind::Writeoff, _) => "write off ".to_string(),
            (RequestKind::SupplierReturn, Some(s)) => format!("return to {s} "),
            (RequestKind::SupplierReturn, None) => "return to supplier ".to_string(),
        };
        out.push(ApprovalRequest {
            kind: kind.approval_kind(),
            id: a.id.to_string(),
            store_id: a.store_id,
            summary: format!(
                "{}, batch {}: {what}{} {unit} ({})",
                a.product_name,
                a.batch_number,
                signed(change),
                a.reason
            ),
            requested_by: a.user_id,
            requested_by_name: a.user_name,
            requested_at: a.created_at,
            measure: Some(over.measure),
            amount: Some(over.amount),
            // Thresholds raised since: nothing is passed any more, a manager still decides.
            limit: if needs { over.limit } else { None },
            approve_command: ApproveAdjustment::NAME.to_string(),
            reject_command: RejectAdjustment::NAME.to_string(),
        });
    }
    Ok(out)
}
