//! The destination's transition: receiving, fully or in parts, and
//! recording what was short or damaged.

use super::{load, record, Head, TransferStatus};
use crate::audit::ChangeType;
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::catalogue::products::ProductRules;
use crate::ids::{
    BatchId, ProductId, SupplierId, TransferDiscrepancyId, TransferId, TransferLotId, UserId,
};
use crate::num::Qty;
use crate::op::{Ctx, Operation};
use crate::stock::receive::{put_in_batch, BatchIn};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// What arrived of one shipped lot.
#[derive(Clone, Debug, Deserialize, Serialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReceiveTransferLine {
    /// The shipped lot (`lots[].id` of `get_transfer`).
    pub lot_id: TransferLotId,
    /// Quantity that arrived usable (≥ 0).
    pub received: Qty,
    /// Quantity that arrived damaged (≥ 0; default 0): recorded as a discrepancy, not
    /// put on the shelf.
    #[ts(optional)]
    pub damaged: Option<Qty>,
}

/// Receives stock of an `in_transit` or `partially_received` transfer at its destination
/// (`conflict` in any other status). Permission `receive_stock` at the destination (the
/// actor must work there, `forbidden` otherwise). Two shapes, exactly one of them
/// (`invalid_input` otherwise):
/// - seed 003's `received_quantity`: for a transfer of one line, what arrived, spread
///   over that line's shipped lots in order;
/// - `lines`: per shipped lot (`lots[].id`), `received` and `damaged`.
///
/// Rules:
/// - Receipts may come in parts, repeatedly; received + damaged may not pass what is still
///   expected of a lot (`invalid_input`: over-receipt). Quantities are whole unless the
///   product allows fractions.
/// - Stock arrives as the same batch number, expiry and cost as it left the source: the
///   destination's batch of that number is created, or topped up when its expiry matches
///   (as `receive_stock` does; a different expiry is `conflict`, a held batch
///   `batch_not_sellable`). One `transfer_in` stock event per lot.
/// - `damaged` records a `damaged` discrepancy. `close: true` ("that's all") records what
///   is still expected of every lot as a `short` discrepancy. Discrepancies wait for the
///   source to resolve them (`resolve_discrepancy`).
/// - The transfer becomes `received` when every shipped unit is received or recorded as a
///   discrepancy, else `partially_received`. A `transfer_received` event (with this
///   receipt's lines and the transfer as it now stands: what the source needs) and one
///   `transfer_discrepancy` event per discrepancy, in the destination's record.
/// - Returns `true` when the transfer is now `received`, `false` when more is expected
///   (seed 003's `→ bool`). `user_id`, if given, must be the acting user.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReceiveTransfer {
    /// The transfer.
    pub transfer_id: TransferId,
    /// Seed 003's form: what arrived of a one-line transfer.
    #[ts(optional)]
    pub received_quantity: Option<Qty>,
    /// Per shipped lot: what arrived and what arrived damaged.
    #[ts(optional)]
    pub lines: Option<Vec<ReceiveTransferLine>>,
    /// "That's all": what is still expected is recorded short.
    #[ts(optional)]
    pub close: Option<bool>,
    /// Notes.
    #[ts(optional)]
    pub notes: Option<String>,
    /// The acting user (seed 003's form; must be the session's user).
    #[ts(optional)]
    pub user_id: Option<UserId>,
}

/// A shipped lot as receiving needs it.
struct Lot {
    id: TransferLotId,
    product_id: ProductId,
    source_batch_id: BatchId,
    batch_number: String,
    expiry: String,
    manufacture: Option<String>,
    cost_e4: i64,
    outstanding: i64,
}

impl Operation for ReceiveTransfer {
    const NAME: &'static str = "receive_transfer";
    const SUMMARY: &'static str = "Receive a shipped transfer at its destination, fully or in parts (short and damaged quantities become discrepancies)";
    const PERMISSION: Permission = Permission::ReceiveStock;
    const WRITES: bool = true;
    type Output = bool;

    fn run(self, ctx: &Ctx<'_>) -> Result<bool> {
        crate::control::check_claimed_user(ctx, self.user_id)?;
        let h = Head::load(ctx, self.transfer_id)?;
        let dest = ctx.store(Some(h.to))?;
        h.expect(
            "received",
            &[TransferStatus::InTransit, TransferStatus::PartiallyReceived],
        )?;
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?;
        let lots: Vec<Lot> = {
            let mut stmt = ctx.tx.prepare(
                "SELECT l.id, i.product_id, l.source_batch_id, l.batch_number, l.expiry_date, l.manufacture_date,
                        l.cost_e4, l.shipped_milli - l.received_milli - l.discrepancy_milli
                   FROM transfer_lots l JOIN transfer_items i ON i.id = l.item_id
                  WHERE l.transfer_id = ?1 ORDER BY i.line_no, l.rowid",
            )?;
            let rows = stmt.query_map([h.id], |r| {
                Ok(Lot {
                    id: r.get(0)?,
                    product_id: r.get(1)?,
                    source_batch_id: r.get(2)?,
                    batch_number: r.get(3)?,
                    expiry: r.get(4)?,
                    manufacture: r.get(5)?,
                    cost_e4: r.get(6)?,
                    outstanding: r.get(7)?,
                })
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        // (lot index, received, damaged) in thousandths.
        let mut plan: Vec<(usize, i64, i64)> = Vec::new();
        let mut rules: HashMap<ProductId, ProductRules> = HashMap::new();
        let mut qty = |field: &str, product: ProductId, q: Qty| -> Result<i64> {
            if q.is_negative() {
                return Err(Error::invalid(field, "a quantity cannot be negative"));
            }
            if q.is_zero() {
                return Ok(0);
            }
            if let std::collections::hash_map::Entry::Vacant(e) = rules.entry(product) {
                e.insert(ProductRules::load(ctx.tx, product)?);
            }
            rules[&product].quantity(field, q)
        };
        match (self.received_quantity, &self.lines) {
            (Some(_), Some(_)) | (None, None) => {
                return Err(Error::invalid(
                    "received_quantity",
                    "give either received_quantity (a one-line transfer) or lines",
                ))
            }
            (Some(q), None) => {
                let items: i64 = ctx.tx.query_row(
                    "SELECT COUNT(*) FROM transfer_items WHERE transfer_id = ?1",
                    [h.id],
                    |r| r.get(0),
                )?;
                if items != 1 {
                    return Err(Error::invalid(
                        "received_quantity",
                        format!(
                            "transfer {} has {items} lines: receive it by lines",
                            h.number
                        ),
                    ));
                }
                let Some(first) = lots.first() else {
                    return Err(Error::internal("a shipped transfer without lots"));
                };
                let mut left = qty("received_quantity", first.product_id, q)?;
                let outstanding: i64 = lots.iter().map(|l| l.outstanding).sum();
                if left > outstanding {
                    return Err(over_receipt("received_quantity", left, outstanding));
                }
                for (i, l) in lots.iter().enumerate() {
                    let take = left.min(l.outstanding);
                    if take > 0 {
                        plan.push((i, take, 0));
                        left -= take;
                    }
                }
            }
            (None, Some(lines)) => {
                for (n, line) in lines.iter().enumerate() {
                    let Some(i) = lots.iter().position(|l| l.id == line.lot_id) else {
                        return Err(Error::not_found("transfer lot", line.lot_id));
                    };
                    if plan.iter().any(|p| p.0 == i) {
                        return Err(Error::invalid(
                            &format!("lines[{n}].lot_id"),
                            "each shipped lot appears once in a receipt",
                        ));
                    }
                    let l = &lots[i];
                    let received =
                        qty(&format!("lines[{n}].received"), l.product_id, line.received)?;
                    let damaged = qty(
                        &format!("lines[{n}].damaged"),
                        l.product_id,
                        line.damaged.unwrap_or_default(),
                    )?;
                    if received + damaged > l.outstanding {
                        return Err(over_receipt(
                            &format!("lines[{n}].received"),
                            received + damaged,
                            l.outstanding,
                        ));
                    }
                    plan.push((i, received, damaged));
                }
            }
        }
        let close = self.close.unwrap_or(false);
        if plan.iter().all(|p| p.1 == 0 && p.2 == 0) && !close {
            return Err(Error::invalid(
                "lines",
                "nothing received: give a quantity, or close the receipt",
            ));
        }
        let today = ctx.today(&dest);
        let from_name: String =
            ctx.tx
                .query_row("SELECT name FROM stores WHERE id = ?1", [h.from], |r| {
                    r.get(0)
                })?;
        let note = format!("transfer {} from {from_name}", h.number);
        let reference = h.id.to_string();
        let mut discrepancies: Vec<TransferDiscrepancyId> = Vec::new();
        let mut lines_done = Vec::new();
        for &(i, received, damaged) in &plan {
            let l = &lots[i];
            if received > 0 {
                // The source batch's supplier, when this file holds the source
                // batch (not for a transfer from another file).
                let supplier: Option<SupplierId> = ctx
                    .tx
                    .query_row(
                        "SELECT supplier_id FROM batches WHERE id = ?1",
                        [l.source_batch_id],
                        |r| r.get(0),
                    )
                    .optional()?
                    .flatten();
                let into = put_in_batch(
                    ctx,
                    &BatchIn {
                        store_id: dest.id,
                        product_id: l.product_id,
                        batch_number: &l.batch_number,
                        expiry_date: &l.expiry,
                        manufacture_date: l.manufacture.clone(),
                        serial_number: None,
                        cost_e4: l.cost_e4,
                        quantity_milli: received,
                        supplier_id: supplier,
                        purchase_receipt_id: None,
                        received_date: today,
                        location: None,
                        change: ChangeType::TransferIn,
                        reference_id: &reference,
                        notes: Some(&note),
                    },
                )?;
                ctx.tx.execute(
                    "UPDATE transfer_lots SET received_milli = received_milli + ?2, dest_batch_id = ?3 WHERE id = ?1",
                    params![l.id, received, into.batch_id],
                )?;
            }
            if damaged > 0 {
                discrepancies.push(discrepancy(
                    ctx,
                    h.id,
                    l.id,
                    "damaged",
                    damaged,
                    notes.as_deref(),
                )?);
            }
            lines_done.push(serde_json::json!({
                "lot_id": l.id,
                "batch_number": l.batch_number,
                "received": Qty::from_scaled(received),
                "damaged": Qty::from_scaled(damaged),
            }));
        }
        if close {
            let short: Vec<(TransferLotId, i64)> = {
                let mut stmt = ctx.tx.prepare(
                    "SELECT id, shipped_milli - received_milli - discrepancy_milli FROM transfer_lots
                      WHERE transfer_id = ?1 AND shipped_milli > received_milli + discrepancy_milli ORDER BY rowid",
                )?;
                let rows = stmt.query_map([h.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect::<rusqlite::Result<Vec<_>>>()?
            };
            for (lot, q) in short {
                discrepancies.push(discrepancy(ctx, h.id, lot, "short", q, notes.as_deref())?);
            }
        }
        // The lines' figures are the sums of their lots.
        ctx.tx.execute(
            "UPDATE transfer_items SET
                received_milli = (SELECT COALESCE(SUM(received_milli), 0) FROM transfer_lots l WHERE l.item_id = transfer_items.id),
                discrepancy_milli = (SELECT COALESCE(SUM(discrepancy_milli), 0) FROM transfer_lots l WHERE l.item_id = transfer_items.id)
              WHERE transfer_id = ?1",
            [h.id],
        )?;
        let expected: i64 = ctx.tx.query_row(
            "SELECT COALESCE(SUM(shipped_milli - received_milli - discrepancy_milli), 0) FROM transfer_lots WHERE transfer_id = ?1",
            [h.id],
            |r| r.get(0),
        )?;
        let done = expected == 0;
        if done {
            h.set_status(ctx, TransferStatus::Received, Some("received"))?;
        } else {
            h.set_status(ctx, TransferStatus::PartiallyReceived, None)?;
        }
        let t = load(ctx, h.id)?;
        record(
            ctx,
            h.to,
            ChangeType::TransferReceived,
            &t,
            Some(serde_json::json!({
                "lines": lines_done,
                "closed": close,
                "notes": notes,
                "discrepancies": discrepancies,
            })),
        )?;
        for d in &discrepancies {
            record(
                ctx,
                h.to,
                ChangeType::TransferDiscrepancy,
                &t,
                Some(serde_json::json!({ "discrepancy_id": d })),
            )?;
        }
        Ok(done)
    }
}

fn over_receipt(field: &str, given: i64, outstanding: i64) -> Error {
    Error::invalid(
        field,
        format!(
            "{} is more than the {} still expected of this transfer",
            Qty::from_scaled(given),
            Qty::from_scaled(outstanding)
        ),
    )
}

/// Records a short or damaged quantity of a lot (the destination's record).
fn discrepancy(
    ctx: &Ctx<'_>,
    transfer: TransferId,
    lot: TransferLotId,
    kind: &str,
    qty: i64,
    notes: Option<&str>,
) -> Result<TransferDiscrepancyId> {
    let id = TransferDiscrepancyId::new();
    ctx.tx.execute(
        "INSERT INTO transfer_discrepancies (id, transfer_id, lot_id, kind, quantity_milli, notes, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![id, transfer, lot, kind, qty, notes, ctx.actor.id, ctx.now_str()],
    )?;
    ctx.tx.execute(
        "UPDATE transfer_lots SET discrepancy_milli = discrepancy_milli + ?2 WHERE id = ?1",
        params![lot, qty],
    )?;
    Ok(id)
}
