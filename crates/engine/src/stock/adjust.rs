//! Adjustments and write-offs.
//!
//! `adjust_stock` changes a batch up or down with a reason. Managers' changes
//! apply at once; anyone else's apply at once only below the store's
//! threshold (units or value). Above it the change waits as `pending` until a
//! manager approves it (`approve_adjustment`), or applies at once when a
//! manager enters their name and PIN at the till (recorded as approver).
//! `writeoff_batch` removes everything left on a batch. Both keep a
//! `stock_adjustments` record and write their audit events with it.

use super::{move_stock, BatchRow};
use crate::approval::{approve, Approval, ApprovalMeasure, IfMissing, Over};
use crate::audit::{self, ChangeType, NewEvent};
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::catalogue::products::ProductRules;
use crate::ids::{AdjustmentId, BatchId, ProductId, StoreId, UserId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    fn as_str(self) -> &'static str {
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
    /// `adjustment` or `writeoff`.
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
        let value_e4 = value_e4(change, b.cost_e4);
        let needs_approval =
            change.abs() > store.approval_milli || value_e4 > i128::from(store.approval_e4);
        // The figure the manager approves: the quantity when it passes the
        // store's units threshold, else the value at cost.
        let over = if change.abs() > store.approval_milli || !needs_approval {
            Over::by(
                ApprovalMeasure::Quantity,
                Qty::from_scaled(change.abs()),
                Qty::from_scaled(store.approval_milli),
            )
        } else {
            Over::by(
                ApprovalMeasure::Money,
                Money::from_scaled(i64::try_from(value_e4).unwrap_or(i64::MAX)),
                Money::from_scaled(store.approval_e4),
            )
        };
        let approver = approve(
            ctx,
            Approval {
                action: "a stock adjustment",
                store_id: Some(b.store_id),
                needed: needs_approval,
                approver_name: self.approver_name.as_deref(),
                approver_pin: self.approver_pin.as_deref(),
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
            "INSERT INTO stock_adjustments (id, batch_id, store_id, kind, quantity_change_milli, reason, notes, status, user_id, created_at)
             VALUES (?1, ?2, ?3, 'adjustment', ?4, ?5, ?6, 'pending', ?7, ?8)",
            params![id, b.id, b.store_id, change, self.reason.as_str(), notes, ctx.actor.id, ctx.now_str()],
        )?;
        match approved_by {
            Some(by) => apply(ctx, id, &b, change, by, None)?,
            None => {
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
                            "{} {} ({})",
                            signed(change),
                            product.unit,
                            self.reason.as_str()
                        )),
                    },
                )?;
            }
        }
        get_adjustment(ctx, id)
    }
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

fn apply(
    ctx: &Ctx<'_>,
    id: AdjustmentId,
    b: &BatchRow,
    change: i64,
    approved_by: UserId,
    decision: Option<&str>,
) -> Result<()> {
    let new = b.on_hand_milli + change;
    let reason: String = ctx.tx.query_row(
        "SELECT COALESCE(reason || ': ' || notes, reason) FROM stock_adjustments WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?;
    ctx.tx.execute(
        "UPDATE stock_adjustments SET status = 'applied', previous_milli = ?2, new_milli = ?3, approved_by = ?4,
                decided_at = ?5, decision_notes = ?6 WHERE id = ?1",
        params![id, b.on_hand_milli, new, approved_by, ctx.now_str(), decision],
    )?;
    move_stock(
        ctx,
        b,
        new,
        ChangeType::Adjustment,
        Some(&id.to_string()),
        Some(&reason),
    )
}

/// Applies a `pending` adjustment (`invalid_state` if it is not pending), re-checking
/// that the batch does not go below 0 or below its reservations. The approver is the
/// acting user.
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
    const SUMMARY: &'static str = "Approve and apply a pending adjustment";
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

/// Marks a `pending` adjustment `rejected` (an `adjustment_rejected` audit event); stock
/// is unchanged.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RejectAdjustment {
    /// The pending adjustment.
    pub adjustment_id: AdjustmentId,
    /// Why.
    #[ts(optional)]
    pub notes: Option<String>,
}

impl Operation for RejectAdjustment {
    const NAME: &'static str = "reject_adjustment";
    const SUMMARY: &'static str = "Reject a pending adjustment (stock is unchanged)";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = Adjustment;

    fn run(self, ctx: &Ctx<'_>) -> Result<Adjustment> {
        let (batch_id, _) = pending(ctx, self.adjustment_id)?;
        let b = BatchRow::load(ctx.tx, batch_id)?;
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?;
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
                notes: notes.as_deref(),
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
/// 200). Includes write-offs (`kind: writeoff`).
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
        a.created_at, a.decided_at, a.decision_notes, b.cost_price_e4, s.adjustment_approval_milli, s.adjustment_approval_e4
   FROM stock_adjustments a JOIN batches b ON b.id = a.batch_id JOIN products p ON p.id = b.product_id
   JOIN users u ON u.id = a.user_id LEFT JOIN users v ON v.id = a.approved_by JOIN stores s ON s.id = a.store_id";

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
        approved_by: r.get(15)?,
        approved_by_name: r.get(16)?,
        created_at: r.get(17)?,
        decided_at: r.get(18)?,
        decision_notes: r.get(19)?,
    })
}

fn get_adjustment(ctx: &Ctx<'_>, id: AdjustmentId) -> Result<Adjustment> {
    ctx.tx
        .query_row(&format!("{ADJ_SQL} WHERE a.id = ?1"), [id], read_adjustment)
        .optional()?
        .ok_or_else(|| Error::not_found("adjustment", id))
}

/// Sets the batch's on-hand to 0 (a `writeoff` audit event and an applied adjustment of
/// kind `writeoff`). Refused when the batch is already empty (`invalid_state`) or holds
/// reservations (`conflict`). With reason `damage` the batch's status becomes `damaged`.
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
}

impl Operation for WriteoffBatch {
    const NAME: &'static str = "writeoff_batch";
    const SUMMARY: &'static str =
        "Write off everything left on a batch (quantity to 0) with a reason";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    const NAMES_ACTING_USER: bool = true;
    type Output = Adjustment;

    fn run(self, ctx: &Ctx<'_>) -> Result<Adjustment> {
        let b = BatchRow::load(ctx.tx, self.batch_id)?;
        ctx.check_store(b.store_id)?;
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
        let id = AdjustmentId::new();
        let now = ctx.now_str();
        ctx.tx.execute(
            "INSERT INTO stock_adjustments (id, batch_id, store_id, kind, quantity_change_milli, previous_milli, new_milli, reason,
                                            notes, status, user_id, approved_by, decided_at, created_at)
             VALUES (?1, ?2, ?3, 'writeoff', ?4, ?5, 0, ?6, ?7, 'applied', ?8, ?8, ?9, ?9)",
            params![id, b.id, b.store_id, -b.on_hand_milli, b.on_hand_milli, self.reason.as_str(), notes, ctx.actor.id, now],
        )?;
        let event_notes = match &notes {
            Some(n) => format!("{}: {n}", self.reason.as_str()),
            None => self.reason.as_str().to_string(),
        };
        move_stock(
            ctx,
            &b,
            0,
            ChangeType::Writeoff,
            Some(&id.to_string()),
            Some(&event_notes),
        )?;
        if self.reason == AdjustmentReason::Damage {
            ctx.tx.execute(
                "UPDATE batches SET status = 'damaged' WHERE id = ?1",
                [b.id],
            )?;
        }
        get_adjustment(ctx, id)
    }
}
