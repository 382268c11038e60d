//! The source's transitions: request, approve, ship, cancel.

use super::{load, record, Head, Transfer, TransferStatus};
use crate::approval::{approve, Approval, IfMissing};
use crate::audit::ChangeType;
use crate::auth::Permission;
use crate::catalogue::{optional_text, required_text};
use crate::ids::{BatchId, ProductId, TransferId, TransferItemId, TransferLotId};
use crate::num::Qty;
use crate::op::{Ctx, Operation};
use crate::stock::allocate::plan_fefo;
use crate::stock::{move_stock, BatchRow};
use crate::{Error, Result};
use rusqlite::params;
use serde::Deserialize;
use ts_rs::TS;

/// Asks a manager of the source to approve a `draft` transfer (`requested`; `conflict` in
/// any other status). Permission `adjust_stock` at the source (the actor must work there,
/// `forbidden` otherwise). A `transfer_requested` event in the source's record; the transfer
/// waits in the source's approvals queue.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RequestTransfer {
    /// The transfer.
    pub transfer_id: TransferId,
}

impl Operation for RequestTransfer {
    const NAME: &'static str = "request_transfer";
    const SUMMARY: &'static str = "Ask the source's manager to approve a drafted transfer";
    const PERMISSION: Permission = Permission::AdjustStock;
    const WRITES: bool = true;
    type Output = Transfer;

    fn run(self, ctx: &Ctx<'_>) -> Result<Transfer> {
        request(ctx, self.transfer_id)?;
        load(ctx, self.transfer_id)
    }
}

pub(crate) fn request(ctx: &Ctx<'_>, id: TransferId) -> Result<()> {
    let h = Head::load(ctx, id)?;
    ctx.check_store(h.from)?;
    h.expect("requested", &[TransferStatus::Draft])?;
    h.set_status(ctx, TransferStatus::Requested, Some("requested"))?;
    let t = load(ctx, id)?;
    record(ctx, h.from, ChangeType::TransferRequested, &t, None)
}

/// A manager (or admin) of the source approves a `requested` transfer (`approved`;
/// `conflict` in any other status), through the core approval service (an
/// `approval_granted` and a `transfer_approved` event in the source's record). Every
/// line's approved quantity is its requested quantity. Permission `manage_stock` at the
/// source.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ApproveTransfer {
    /// The transfer.
    pub transfer_id: TransferId,
    /// Remark.
    #[ts(optional)]
    pub notes: Option<String>,
}

impl Operation for ApproveTransfer {
    const NAME: &'static str = "approve_transfer";
    const SUMMARY: &'static str = "Approve a requested transfer (a manager of the source)";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = Transfer;

    fn run(self, ctx: &Ctx<'_>) -> Result<Transfer> {
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?;
        approve_transfer(ctx, self.transfer_id, notes)?;
        load(ctx, self.transfer_id)
    }
}

pub(crate) fn approve_transfer(ctx: &Ctx<'_>, id: TransferId, notes: Option<String>) -> Result<()> {
    let h = Head::load(ctx, id)?;
    ctx.check_store(h.from)?;
    h.expect("approved", &[TransferStatus::Requested])?;
    // Every transfer needs a manager of the source: the service records who.
    approve(
        ctx,
        Approval {
            action: "a transfer",
            store_id: Some(h.from),
            needed: true,
            approver_name: None,
            approver_pin: None,
            if_missing: IfMissing::Refuse,
            over: None,
        },
    )?;
    ctx.tx.execute(
        "UPDATE transfer_items SET approved_milli = requested_milli WHERE transfer_id = ?1",
        [id],
    )?;
    h.set_status(ctx, TransferStatus::Approved, Some("approved"))?;
    let t = load(ctx, id)?;
    record(
        ctx,
        h.from,
        ChangeType::TransferApproved,
        &t,
        notes.map(|n| serde_json::json!({ "notes": n })),
    )
}

/// Ships an `approved` transfer (`in_transit`; `conflict` in any other status): stock
/// leaves the source now.
/// - Each line ships its approved quantity: from its named batch, else FEFO over the
///   product's sellable batches in the source (nearest expiry first). Never from an
///   expired, quarantined, recalled or damaged batch (`batch_not_sellable` for a named
///   one; FEFO passes them over) nor below a batch's reservations; not enough stock is
///   `insufficient_stock` and nothing ships.
/// - One `transfer_out` stock event per batch, then a `transfer_shipped` event in the
///   source's record carrying the whole shipment (from/to stores, number, each lot's
///   product, batch number, expiry, manufacture date, cost and quantity): what the
///   destination receives from.
/// - `carrier` and `tracking_number` (optional, up to 100 characters). Permission
///   `manage_stock` at the source.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ShipTransfer {
    /// The transfer.
    pub transfer_id: TransferId,
    /// Carrier.
    #[ts(optional)]
    pub carrier: Option<String>,
    /// Tracking number.
    #[ts(optional)]
    pub tracking_number: Option<String>,
}

impl Operation for ShipTransfer {
    const NAME: &'static str = "ship_transfer";
    const SUMMARY: &'static str =
        "Ship an approved transfer: stock leaves the source (FEFO unless a batch was chosen)";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = Transfer;

    fn run(self, ctx: &Ctx<'_>) -> Result<Transfer> {
        ship(
            ctx,
            self.transfer_id,
            self.carrier.as_deref(),
            self.tracking_number.as_deref(),
        )?;
        load(ctx, self.transfer_id)
    }
}

pub(crate) fn ship(
    ctx: &Ctx<'_>,
    id: TransferId,
    carrier: Option<&str>,
    tracking: Option<&str>,
) -> Result<()> {
    let h = Head::load(ctx, id)?;
    let source = ctx.store(Some(h.from))?;
    h.expect("shipped", &[TransferStatus::Approved])?;
    let carrier = optional_text("carrier", carrier, 100)?;
    let tracking = optional_text("tracking_number", tracking, 100)?;
    let today = ctx.today(&source);
    let to_name: String =
        ctx.tx
            .query_row("SELECT name FROM stores WHERE id = ?1", [h.to], |r| {
                r.get(0)
            })?;
    let note = format!("transfer {} to {to_name}", h.number);
    let items: Vec<(TransferItemId, ProductId, Option<BatchId>, i64)> = {
        let mut stmt = ctx.tx.prepare(
            "SELECT id, product_id, batch_id, COALESCE(approved_milli, requested_milli)
               FROM transfer_items WHERE transfer_id = ?1 ORDER BY line_no",
        )?;
        let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    for (item, product, batch, want) in items {
        if want == 0 {
            continue;
        }
        // The batches and quantities this line takes, planned against the
        // stock as it stands after the lines before it.
        let takes: Vec<(BatchRow, i64)> = match batch {
            Some(b) => {
                let b = BatchRow::load(ctx.tx, b)?;
                b.ensure_sellable(today)?;
                let free = b.on_hand_milli - b.reserved_milli;
                if free < want {
                    return Err(Error::InsufficientStock {
                        product_id: Some(product.to_string()),
                        batch_id: Some(b.id.to_string()),
                        requested: Qty::from_scaled(want).to_string(),
                        available: Qty::from_scaled(free.max(0)).to_string(),
                    });
                }
                vec![(b, want)]
            }
            None => {
                let plan = plan_fefo(ctx, product, h.from, today, want)?;
                if plan.allocated_milli < want {
                    return Err(Error::InsufficientStock {
                        product_id: Some(product.to_string()),
                        batch_id: None,
                        requested: Qty::from_scaled(want).to_string(),
                        available: Qty::from_scaled(plan.allocated_milli).to_string(),
                    });
                }
                plan.takes
            }
        };
        let mut value: i128 = 0;
        for (b, take) in &takes {
            let manufacture: Option<String> = ctx.tx.query_row(
                "SELECT manufacture_date FROM batches WHERE id = ?1",
                [b.id],
                |r| r.get(0),
            )?;
            ctx.tx.execute(
                "INSERT INTO transfer_lots (id, transfer_id, item_id, source_batch_id, batch_number, expiry_date,
                                            manufacture_date, cost_e4, shipped_milli)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    TransferLotId::new(),
                    id,
                    item,
                    b.id,
                    b.batch_number,
                    b.expiry_date,
                    manufacture,
                    b.cost_e4,
                    take
                ],
            )?;
            move_stock(
                ctx,
                b,
                b.on_hand_milli - take,
                ChangeType::TransferOut,
                Some(&id.to_string()),
                Some(&note),
            )?;
            value += i128::from(b.cost_e4) * i128::from(*take);
        }
        // The line's unit cost: what shipped, weighted over its batches.
        let unit_cost = i64::try_from(value / i128::from(want)).unwrap_or(i64::MAX);
        ctx.tx.execute(
            "UPDATE transfer_items SET shipped_milli = ?2, unit_cost_e4 = ?3 WHERE id = ?1",
            params![item, want, unit_cost],
        )?;
    }
    ctx.tx.execute(
        "UPDATE transfers SET carrier = ?2, tracking_number = ?3 WHERE id = ?1",
        params![id, carrier, tracking],
    )?;
    h.set_status(ctx, TransferStatus::InTransit, Some("shipped"))?;
    let t = load(ctx, id)?;
    record(ctx, h.from, ChangeType::TransferShipped, &t, None)
}

/// Cancels a transfer that has not shipped (`draft`, `requested` or `approved`; `conflict`
/// once it shipped or was cancelled), with a `reason` (required). Nothing had moved, so
/// nothing moves. Permission `manage_stock` at the source; a `transfer_cancelled` event in
/// its record. Also refuses a requested transfer from the approvals queue.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CancelTransfer {
    /// The transfer.
    pub transfer_id: TransferId,
    /// Why.
    pub reason: String,
}

impl Operation for CancelTransfer {
    const NAME: &'static str = "cancel_transfer";
    const SUMMARY: &'static str = "Cancel a transfer before it ships (with a reason)";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = Transfer;

    fn run(self, ctx: &Ctx<'_>) -> Result<Transfer> {
        let h = Head::load(ctx, self.transfer_id)?;
        ctx.check_store(h.from)?;
        h.expect(
            "cancelled",
            &[
                TransferStatus::Draft,
                TransferStatus::Requested,
                TransferStatus::Approved,
            ],
        )?;
        let reason = required_text("reason", &self.reason, 1000)?;
        ctx.tx.execute(
            "UPDATE transfers SET cancel_reason = ?2 WHERE id = ?1",
            params![h.id, reason],
        )?;
        h.set_status(ctx, TransferStatus::Cancelled, Some("cancelled"))?;
        let t = load(ctx, h.id)?;
        record(ctx, h.from, ChangeType::TransferCancelled, &t, None)?;
        Ok(t)
    }
}
