//! Receipt lines after the fact: `list_receipts` shows the recent ones and
//! whether each was reversed; `reverse_receipt` undoes one booked in error.
//!
//! A receipt line is one `receive_stock` call: one `receipt` audit event on
//! one batch, named by that event's id. (A purchase receipt groups the lines
//! of one delivery, so it is too coarse to undo one wrong line.)
//!
//! A reversal is a correcting event, never an edit: a `receipt_reversed`
//! event takes exactly the received quantity back off the batch and names
//! the receipt event in its `reference_id`. Whether a receipt is reversed is
//! read from the events, so the ledger stays the one record and needs no
//! flag column. It is refused once anything has left the batch since the
//! receipt (those units may be the ones sold or counted; another receipt's
//! reversal moves no units and does not count), when it was already
//! reversed, or when the units are reserved; the refusal says what to do
//! instead (an adjustment or a write-off, which keep their own approvals).
//!
//! The batch's unit cost and the purchase receipt's invoice total are left
//! as they are: the line's own cost is not recorded apart from the batch's
//! weighted cost, and the invoice total is what the supplier billed; a
//! credit note is the supplier's document, not a stock movement.

use super::{move_stock, BatchRow};
use crate::audit::ChangeType;
use crate::auth::Permission;
use crate::catalogue::required_text;
use crate::ids::{BatchId, EventId, ProductId, StoreId};
use crate::num::Qty;
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// One receipt line as shown to users.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ReceivedLine {
    /// The line's id: its `receipt` audit event (what `reverse_receipt` takes).
    pub receipt_id: EventId,
    /// Store.
    pub store_id: StoreId,
    /// Batch received into.
    pub batch_id: BatchId,
    /// Batch number.
    pub batch_number: String,
    /// Product.
    pub product_id: ProductId,
    /// Product name.
    pub product_name: String,
    /// Unit of measure.
    pub unit: String,
    /// Quantity received by this line.
    pub quantity: Qty,
    /// Supplier's invoice / delivery reference, when one was given.
    pub reference_number: Option<String>,
    /// Supplier name.
    pub supplier_name: Option<String>,
    /// Who received it.
    pub user_name: Option<String>,
    /// When (UTC, RFC 3339).
    pub received_at: String,
    /// True once a `receipt_reversed` event names this line.
    pub reversed: bool,
    /// When it was reversed.
    pub reversed_at: Option<String>,
    /// Who reversed it.
    pub reversed_by: Option<String>,
    /// Why it was reversed.
    pub reversal_reason: Option<String>,
}

/// `list_receipts`: the store's recent receipt lines, newest first.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListReceipts {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Maximum lines (default 20, at most 200).
    #[ts(optional)]
    pub limit: Option<u32>,
}

impl Operation for ListReceipts {
    const NAME: &'static str = "list_receipts";
    const SUMMARY: &'static str =
        "The store's recent receipt lines, newest first, and whether each was reversed";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Vec<ReceivedLine>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<ReceivedLine>> {
        let store = ctx.store(self.store_id)?;
        let limit = i64::from(self.limit.unwrap_or(20).clamp(1, 200));
        // Walks the store's chain backwards from its newest event: receipts
        // are frequent enough that the newest few are near the end.
        let mut stmt = ctx.tx.prepare_cached(
            "SELECT a.id, a.seq, a.batch_id, b.batch_number, a.product_id, p.name, p.unit,
                    COALESCE(a.new_milli, 0) - COALESCE(a.previous_milli, 0),
                    pr.reference_number, s.name, u.name, a.created_at
               FROM inventory_audit a
               JOIN batches b ON b.id = a.batch_id
               JOIN products p ON p.id = a.product_id
               LEFT JOIN purchase_receipts pr ON pr.id = a.reference_id
               LEFT JOIN suppliers s ON s.id = pr.supplier_id
               LEFT JOIN users u ON u.id = a.user_id
              WHERE a.store_id = ?1 AND a.change_type = 'receipt'
              ORDER BY a.seq DESC LIMIT ?2",
        )?;
        let mut oldest: Option<i64> = None;
        let mut lines = stmt
            .query_map(params![store.id, limit], |r| {
                let seq: i64 = r.get(1)?;
                Ok((
                    seq,
                    ReceivedLine {
                        receipt_id: r.get(0)?,
                        store_id: store.id,
                        batch_id: r.get(2)?,
                        batch_number: r.get(3)?,
                        product_id: r.get(4)?,
                        product_name: r.get(5)?,
                        unit: r.get(6)?,
                        quantity: Qty::from_scaled(r.get(7)?),
                        reference_number: r.get(8)?,
                        supplier_name: r.get(9)?,
                        user_name: r.get(10)?,
                        received_at: r.get(11)?,
                        reversed: false,
                        reversed_at: None,
                        reversed_by: None,
                        reversal_reason: None,
                    },
                ))
            })?
            .map(|row| {
                row.map(|(seq, line)| {
                    oldest = Some(oldest.map_or(seq, |o: i64| o.min(seq)));
                    line
                })
            })
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let Some(oldest) = oldest else {
            return Ok(lines);
        };
        // A reversal always comes after its receipt: only the chain since the
        // oldest line listed can hold one.
        let mut reversals: HashMap<String, (String, Option<String>, Option<String>)> =
            HashMap::new();
        let mut stmt = ctx.tx.prepare_cached(
            "SELECT a.reference_id, a.created_at, u.name, a.notes
               FROM inventory_audit a LEFT JOIN users u ON u.id = a.user_id
              WHERE a.store_id = ?1 AND a.seq > ?2 AND a.change_type = 'receipt_reversed'",
        )?;
        let rows = stmt.query_map(params![store.id, oldest], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        for row in rows {
            let (reference, at, by, why) = row?;
            if let Some(reference) = reference {
                reversals.insert(reference, (at, by, why));
            }
        }
        for line in &mut lines {
            if let Some((at, by, why)) = reversals.remove(&line.receipt_id.to_string()) {
                line.reversed = true;
                line.reversed_at = Some(at);
                line.reversed_by = by;
                line.reversal_reason = why;
            }
        }
        Ok(lines)
    }
}

/// `reverse_receipt`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReverseReceipt {
    /// The receipt line (`ReceiveResult.receipt_id`, `list_receipts`).
    pub receipt_id: EventId,
    /// Why it is reversed (kept on the correcting event).
    pub reason: String,
}

/// What `reverse_receipt` did.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ReceiptReversal {
    /// The receipt line reversed.
    pub receipt_id: EventId,
    /// Batch.
    pub batch_id: BatchId,
    /// Batch number.
    pub batch_number: String,
    /// Product.
    pub product_id: ProductId,
    /// Product name.
    pub product_name: String,
    /// Unit of measure.
    pub unit: String,
    /// Quantity taken back off the batch (what the line received).
    pub quantity: Qty,
    /// Batch on-hand before the reversal.
    pub previous_quantity: Qty,
    /// Batch on-hand after it.
    pub on_hand: Qty,
}

/// An event of the batch after the receipt, as the refusal rules read it.
struct Later {
    change_type: String,
    previous_milli: Option<i64>,
    new_milli: Option<i64>,
    reference_id: Option<String>,
    created_at: String,
}

impl Operation for ReverseReceipt {
    const NAME: &'static str = "reverse_receipt";
    const SUMMARY: &'static str =
        "Reverse a receipt booked in error, when nothing has left its batch since (managers)";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = ReceiptReversal;

    fn run(self, ctx: &Ctx<'_>) -> Result<ReceiptReversal> {
        let reason = required_text("reason", &self.reason, 1000)?;
        let ev = find_event(ctx, self.receipt_id)?
            .ok_or_else(|| Error::not_found("receipt", self.receipt_id))?;
        if ev.change_type != ChangeType::Receipt.as_str() {
            return Err(Error::invalid(
                "receipt_id",
                format!(
                    "event {} records a {}, not a receipt",
                    self.receipt_id,
                    ev.change_type.replace('_', " ")
                ),
            ));
        }
        let (Some(batch_id), Some(previous), Some(new)) =
            (ev.batch_id, ev.previous_milli, ev.new_milli)
        else {
            return Err(Error::internal(format!(
                "receipt event {} names no batch or quantity",
                self.receipt_id
            )));
        };
        let (store_id, seq) = (ev.store_id, ev.seq);
        ctx.check_store(store_id)?;
        let qty = new - previous;
        let b = BatchRow::load(ctx.tx, batch_id)?;
        let (product_name, unit): (String, String) = ctx
            .tx
            .prepare_cached("SELECT name, unit FROM products WHERE id = ?1")?
            .query_row([b.product_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let what = format!(
            "the receipt of {} {unit} into batch {} of {product_name}",
            Qty::from_scaled(qty),
            b.batch_number
        );
        let refuse = |why: &'static str, message: String| Error::ReceiptNotReversible {
            receipt_id: self.receipt_id.to_string(),
            batch: b.batch_number.clone(),
            reason: why,
            message,
        };

        let later = events_after(ctx, store_id, batch_id, seq)?;
        let receipt_ref = self.receipt_id.to_string();
        if let Some(done) = later.iter().find(|e| {
            e.change_type == ChangeType::ReceiptReversed.as_str()
                && e.reference_id.as_deref() == Some(receipt_ref.as_str())
        }) {
            return Err(refuse(
                "already_reversed",
                format!(
                    "{what} was already reversed ({}); there is nothing left to undo",
                    done.created_at
                ),
            ));
        }
        // Another receipt's reversal undoes a booking, it moves no units out:
        // it does not stand in the way (the reserved check below still holds).
        if let Some(out) = later.iter().find(|e| {
            e.change_type != ChangeType::ReceiptReversed.as_str()
                && matches!((e.previous_milli, e.new_milli), (Some(p), Some(n)) if n < p)
        }) {
            return Err(refuse(
                "stock_left",
                format!(
                    "{what} cannot be reversed: stock has left the batch since ({}, {}). \
                     Correct the batch with a stock adjustment, or write it off, instead",
                    out.change_type.replace('_', " "),
                    out.created_at
                ),
            ));
        }
        let after = b.on_hand_milli - qty;
        if after < b.reserved_milli {
            return Err(refuse(
                "reserved",
                format!(
                    "{what} cannot be reversed: {} {unit} of the batch are reserved for customers. \
                     Release the reservations first, or correct the batch with a stock adjustment",
                    Qty::from_scaled(b.reserved_milli)
                ),
            ));
        }
        ctx.tx
            .prepare_cached(
                "UPDATE batches SET initial_milli = initial_milli - ?2, updated_at = ?3 WHERE id = ?1",
            )?
            .execute(params![batch_id, qty, ctx.now_str()])?;
        move_stock(
            ctx,
            &b,
            after,
            ChangeType::ReceiptReversed,
            Some(&receipt_ref),
            Some(&reason),
        )?;
        Ok(ReceiptReversal {
            receipt_id: self.receipt_id,
            batch_id,
            batch_number: b.batch_number.clone(),
            product_id: b.product_id,
            product_name,
            unit,
            quantity: Qty::from_scaled(qty),
            previous_quantity: Qty::from_scaled(b.on_hand_milli),
            on_hand: Qty::from_scaled(after),
        })
    }
}

/// An event as `reverse_receipt` reads it.
struct Booked {
    store_id: StoreId,
    seq: i64,
    batch_id: Option<BatchId>,
    change_type: String,
    previous_milli: Option<i64>,
    new_milli: Option<i64>,
}

/// The event with this id. Event ids are not indexed (every index costs
/// each sale a page written); a reversal is rare enough to pay for the scan.
fn find_event(ctx: &Ctx<'_>, id: EventId) -> Result<Option<Booked>> {
    Ok(ctx
        .tx
        .prepare_cached(
            "SELECT store_id, seq, batch_id, change_type, previous_milli, new_milli
               FROM inventory_audit WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Booked {
                store_id: r.get(0)?,
                seq: r.get(1)?,
                batch_id: r.get(2)?,
                change_type: r.get(3)?,
                previous_milli: r.get(4)?,
                new_milli: r.get(5)?,
            })
        })
        .optional()?)
}

/// The batch's events after `seq`, found through the per-batch back-links
/// (newest first) rather than by scanning the store's chain.
fn events_after(
    ctx: &Ctx<'_>,
    store_id: StoreId,
    batch_id: BatchId,
    seq: i64,
) -> Result<Vec<Later>> {
    let mut stmt = ctx.tx.prepare_cached(
        "WITH RECURSIVE chain(seq) AS (
              SELECT last_event_seq FROM batches WHERE id = ?2 AND last_event_seq > ?3
              UNION ALL
              SELECT e.batch_prev_seq FROM chain
                JOIN inventory_audit e ON e.store_id = ?1 AND e.seq = chain.seq
               WHERE e.batch_prev_seq > ?3)
         SELECT e.change_type, e.previous_milli, e.new_milli, e.reference_id, e.created_at
           FROM chain JOIN inventory_audit e ON e.store_id = ?1 AND e.seq = chain.seq
          ORDER BY e.seq",
    )?;
    let rows = stmt.query_map(params![store_id, batch_id, seq], |r| {
        Ok(Later {
            change_type: r.get(0)?,
            previous_milli: r.get(1)?,
            new_milli: r.get(2)?,
            reference_id: r.get(3)?,
            created_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
