//! A transfer between two database files: the other end's step, arrived
//! through the central server, applied here (issue 13's pull).
//!
//! Every step still belongs to one side (see the module above); what crosses
//! is that side's event, whose payload holds the transfer as it then stood.
//! - `transfer_shipped` at the destination: the transfer is copied here as
//!   it shipped (in transit, its lines and lots with the source's batch
//!   numbers, expiry and cost), so the destination receives it with
//!   `receive_transfer` as if it had been made here. A `transfer_incoming`
//!   event in the destination's record.
//! - `transfer_received` at the source: the destination's figures (received
//!   and short/damaged per lot, its discrepancies, the status) replace the
//!   source's copy of them; the source then resolves the discrepancies.
//! - `transfer_discrepancy_resolved` / `_rejected` at the destination: the
//!   source's resolution of each discrepancy replaces the destination's
//!   copy of it.
//!
//! The last two are one step, "bring the other side's part up to date"
//! (a `transfer_synced` event). Each side only ever copies the fields the
//! other side owns, so applying is idempotent: an event applied twice, or a
//! step that was already made here (both stores in one file), changes
//! nothing and writes no event.

use super::{load_tx, DiscrepancyKind, DiscrepancyResolution, DiscrepancyStatus, TransferStatus};
use crate::audit::{self, ChangeType, Payload, Stamp};
use crate::ids::{
    BatchId, InstallationId, ProductId, StoreId, TransferDiscrepancyId, TransferId, TransferItemId,
    TransferLotId, UserId,
};
use crate::num::{Money, Qty};
use crate::stock::NO_EXPIRY;
use crate::{Error, Result};
use pharmapos_protocol::RecordEvent;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Deserialize;

/// The part of a transfer event's payload this side reads.
#[derive(Deserialize)]
struct Wire {
    data: WireData,
}

#[derive(Deserialize)]
struct WireData {
    transfer: Remote,
}

#[derive(Deserialize)]
struct Remote {
    id: TransferId,
    number: i64,
    label: String,
    from_store_id: StoreId,
    to_store_id: StoreId,
    status: TransferStatus,
    carrier: Option<String>,
    tracking_number: Option<String>,
    notes: Option<String>,
    created_by: UserId,
    created_at: String,
    requested_by: Option<UserId>,
    requested_at: Option<String>,
    approved_by: Option<UserId>,
    approved_at: Option<String>,
    shipped_by: Option<UserId>,
    shipped_at: Option<String>,
    received_by: Option<UserId>,
    received_at: Option<String>,
    items: Vec<RemoteItem>,
    lots: Vec<RemoteLot>,
    discrepancies: Vec<RemoteDiscrepancy>,
}

#[derive(Deserialize)]
struct RemoteItem {
    id: TransferItemId,
    line_no: i64,
    product_id: ProductId,
    product_name: String,
    requested: Qty,
    approved: Option<Qty>,
    shipped: Qty,
    unit_cost: Option<Money>,
}

#[derive(Deserialize)]
struct RemoteLot {
    id: TransferLotId,
    item_id: TransferItemId,
    source_batch_id: BatchId,
    batch_number: String,
    expiry_date: Option<String>,
    manufacture_date: Option<String>,
    cost_price: Money,
    shipped: Qty,
    received: Qty,
    discrepancy: Qty,
}

#[derive(Deserialize)]
struct RemoteDiscrepancy {
    id: TransferDiscrepancyId,
    lot_id: TransferLotId,
    kind: DiscrepancyKind,
    quantity: Qty,
    status: DiscrepancyStatus,
    resolution: Option<DiscrepancyResolution>,
    notes: Option<String>,
    recorded_by: UserId,
    recorded_at: String,
    requested_by: Option<UserId>,
    requested_at: Option<String>,
    resolved_by: Option<UserId>,
    resolved_at: Option<String>,
    resolution_notes: Option<String>,
}

fn enum_text<T: serde::Serialize>(v: &T) -> Result<String> {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(Error::internal("an enum that is not a name")),
    }
}

/// Applies `event`, another store's step on a transfer, to `store` (the
/// end it is addressed to, owned by this file). Returns what it did, in
/// words; `Err` leaves nothing written (the caller's transaction rolls
/// back) and says why in a kind the store can act on: `not_found` for a
/// product or store this file does not have yet, `invalid_input` for an
/// event that is not a transfer step for this store.
pub(crate) fn apply(
    tx: &Transaction<'_>,
    installation: InstallationId,
    now: &str,
    store: StoreId,
    event: &RecordEvent,
) -> Result<String> {
    let wire: Wire = event
        .payload
        .as_deref()
        .ok_or_else(|| Error::invalid("event.payload", "a transfer step without its document"))
        .and_then(|p| {
            serde_json::from_str(p).map_err(|e| {
                Error::invalid(
                    "event.payload",
                    format!("not a transfer as this program reads it: {e}"),
                )
            })
        })?;
    let t = wire.data.transfer;
    let sender: StoreId = event
        .store_id
        .parse()
        .map_err(|_| Error::invalid("event.store_id", "not a store id"))?;
    let (this_end, other_end) = match event.change_type.as_str() {
        "transfer_shipped" | "transfer_discrepancy_resolved" | "transfer_discrepancy_rejected" => {
            (t.to_store_id, t.from_store_id)
        }
        "transfer_received" => (t.from_store_id, t.to_store_id),
        other => {
            return Err(Error::invalid(
                "event.change_type",
                format!("'{other}' is not a step another store sends"),
            ))
        }
    };
    if this_end != store || other_end != sender {
        return Err(Error::invalid(
            "event",
            format!(
                "transfer {} is between {} and {}, not from {} to this store",
                t.label, t.from_store_id, t.to_store_id, event.store_id
            ),
        ));
    }
    let stamp = Stamp {
        tx,
        user_id: event
            .user_id
            .parse()
            .map_err(|_| Error::invalid("event.user_id", "not a user id"))?,
        created_at: now.to_string(),
        installation,
    };
    if event.change_type == "transfer_shipped" {
        incoming(&stamp, store, &t, event)
    } else {
        synced(&stamp, store, &t, event)
    }
}

/// The destination's copy of a shipment.
fn incoming(stamp: &Stamp<'_>, store: StoreId, t: &Remote, event: &RecordEvent) -> Result<String> {
    let tx = stamp.tx;
    let here: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM transfers WHERE id = ?1)",
        [t.id],
        |r| r.get(0),
    )?;
    if here {
        return Ok(format!("transfer {} is already here", t.label));
    }
    let known: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM stores WHERE id = ?1)",
        [t.from_store_id],
        |r| r.get(0),
    )?;
    if !known {
        return Err(Error::not_found("store", t.from_store_id));
    }
    for item in &t.items {
        let product: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM products WHERE id = ?1)",
            [item.product_id],
            |r| r.get(0),
        )?;
        if !product {
            // Not this store's to fix by hand: the product comes with head
            // office's catalogue; the change waits here and is tried again.
            return Err(Error::not_found(
                "product",
                format!("{} ({})", item.product_name, item.product_id),
            ));
        }
    }
    if t.status != TransferStatus::InTransit || t.lots.is_empty() {
        return Err(Error::invalid(
            "transfer.status",
            format!(
                "transfer {} is {:?} with {} lots, not a shipment",
                t.label,
                t.status,
                t.lots.len()
            ),
        ));
    }
    tx.execute(
        "INSERT INTO transfers (id, number, from_store_id, to_store_id, status, carrier, tracking_number, notes,
                                created_by, created_at, requested_by, requested_at, approved_by, approved_at,
                                shipped_by, shipped_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 'in_transit', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        params![
            t.id,
            t.number,
            t.from_store_id,
            t.to_store_id,
            t.carrier,
            t.tracking_number,
            t.notes,
            t.created_by,
            t.created_at,
            t.requested_by,
            t.requested_at,
            t.approved_by,
            t.approved_at,
            t.shipped_by,
            t.shipped_at,
            stamp.created_at,
        ],
    )?;
    for i in &t.items {
        let approved = i.approved.map(|q| q.to_scaled("approved")).transpose()?;
        let cost = i.unit_cost.map(|m| m.to_scaled("unit_cost")).transpose()?;
        // The source's batch (if the line named one) is not in this file.
        tx.execute(
            "INSERT INTO transfer_items (id, transfer_id, line_no, product_id, batch_id, requested_milli, approved_milli,
                                         shipped_milli, unit_cost_e4)
             VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6, ?7, ?8)",
            params![
                i.id,
                t.id,
                i.line_no,
                i.product_id,
                i.requested.to_scaled("requested")?,
                approved,
                i.shipped.to_scaled("shipped")?,
                cost
            ],
        )?;
    }
    for l in &t.lots {
        tx.execute(
            "INSERT INTO transfer_lots (id, transfer_id, item_id, source_batch_id, batch_number, expiry_date,
                                        manufacture_date, cost_e4, shipped_milli)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                l.id,
                t.id,
                l.item_id,
                l.source_batch_id,
                l.batch_number,
                l.expiry_date.as_deref().unwrap_or(NO_EXPIRY),
                l.manufacture_date,
                l.cost_price.to_scaled("cost_price")?,
                l.shipped.to_scaled("shipped")?,
            ],
        )?;
    }
    let here = load_tx(tx, t.id)?;
    note(stamp, store, ChangeType::TransferIncoming, &here, event)?;
    Ok(format!(
        "transfer {} from {} is on its way",
        here.label, here.from_store_name
    ))
}

/// The other side's part of a transfer brought up to date: at the source,
/// what the destination received and recorded; at the destination, how the
/// source resolved each discrepancy.
fn synced(stamp: &Stamp<'_>, store: StoreId, t: &Remote, event: &RecordEvent) -> Result<String> {
    let tx = stamp.tx;
    let status: Option<String> = tx
        .query_row("SELECT status FROM transfers WHERE id = ?1", [t.id], |r| {
            r.get(0)
        })
        .optional()?;
    let Some(status) = status else {
        return Err(Error::not_found("transfer", t.id));
    };
    let mut changed = 0usize;
    let receipt = event.change_type == "transfer_received";
    if receipt {
        // The destination owns what arrived: its figures, never smaller
        // than what is here (an older receipt re-delivered changes nothing).
        for l in &t.lots {
            changed += tx.execute(
                "UPDATE transfer_lots SET received_milli = ?2, discrepancy_milli = ?3
                  WHERE id = ?1 AND transfer_id = ?4
                    AND ?2 + ?3 > received_milli + discrepancy_milli",
                params![
                    l.id,
                    l.received.to_scaled("received")?,
                    l.discrepancy.to_scaled("discrepancy")?,
                    t.id
                ],
            )?;
        }
        for d in &t.discrepancies {
            changed += tx.execute(
                "INSERT INTO transfer_discrepancies (id, transfer_id, lot_id, kind, quantity_milli, notes, recorded_by,
                                                     recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO NOTHING",
                params![
                    d.id,
                    t.id,
                    d.lot_id,
                    enum_text(&d.kind)?,
                    d.quantity.to_scaled("quantity")?,
                    d.notes,
                    d.recorded_by,
                    d.recorded_at
                ],
            )?;
        }
        let done = matches!(
            t.status,
            TransferStatus::PartiallyReceived | TransferStatus::Received
        );
        if done && status != t.status.as_str() && status != "received" {
            changed += tx.execute(
                "UPDATE transfers SET status = ?2, received_by = ?3, received_at = ?4, updated_at = ?5 WHERE id = ?1",
                params![
                    t.id,
                    t.status.as_str(),
                    t.received_by,
                    t.received_at,
                    stamp.created_at
                ],
            )?;
        }
        tx.execute(
            "UPDATE transfer_items SET
                received_milli = (SELECT COALESCE(SUM(received_milli), 0) FROM transfer_lots l WHERE l.item_id = transfer_items.id),
                discrepancy_milli = (SELECT COALESCE(SUM(discrepancy_milli), 0) FROM transfer_lots l WHERE l.item_id = transfer_items.id)
              WHERE transfer_id = ?1",
            [t.id],
        )?;
    } else {
        // The source owns how each discrepancy ends.
        for d in &t.discrepancies {
            let resolution = d.resolution.as_ref().map(enum_text).transpose()?;
            changed += tx.execute(
                "UPDATE transfer_discrepancies
                    SET status = ?2, resolution = ?3, requested_by = ?4, requested_at = ?5, resolved_by = ?6,
                        resolved_at = ?7, resolution_notes = ?8
                  WHERE id = ?1 AND transfer_id = ?9
                    AND (status, resolution, resolved_at, requested_at) IS NOT (?2, ?3, ?7, ?5)",
                params![
                    d.id,
                    enum_text(&d.status)?,
                    resolution,
                    d.requested_by,
                    d.requested_at,
                    d.resolved_by,
                    d.resolved_at,
                    d.resolution_notes,
                    t.id
                ],
            )?;
        }
    }
    if changed == 0 {
        return Ok(format!("transfer {} was already up to date", t.label));
    }
    let here = load_tx(tx, t.id)?;
    note(stamp, store, ChangeType::TransferSynced, &here, event)?;
    Ok(if receipt {
        format!(
            "transfer {}: {}'s receipt recorded ({})",
            here.label,
            here.to_store_name,
            here.status.as_str()
        )
    } else {
        format!(
            "transfer {}: {}'s resolution of its discrepancies recorded",
            here.label, here.from_store_name
        )
    })
}

/// The event in this store's record: the transfer as it now stands here,
/// and which of the other store's events brought the change.
fn note(
    stamp: &Stamp<'_>,
    store: StoreId,
    kind: ChangeType,
    t: &super::Transfer,
    event: &RecordEvent,
) -> Result<()> {
    let data = serde_json::json!({
        "transfer": t,
        "this": {
            "from_event": {
                "id": event.id,
                "store_id": event.store_id,
                "seq": event.seq,
                "change_type": event.change_type,
                "hash": event.hash,
            }
        }
    });
    let payload = Payload::about("transfer", t.id, t.label.clone()).with_data(data)?;
    audit::record_stamped(stamp, store, kind, &payload).map(|_| ())
}
