//! Stock: batches (lots) and every operation that moves or holds them.
//!
//! A batch's on-hand quantity lives on its row for speed; every change goes
//! through `move_stock`, which writes the row and its audit event together,
//! so on-hand can always be recomputed from the ledger. "Sellable" means
//! status `available` and expiry on or after the store's local today.

pub mod adjust;
pub mod allocate;
pub mod backorders;
pub mod batch_list;
pub mod delivery;
pub mod expiry;
pub mod queries;
pub mod receipts;
pub mod receive;
pub mod reservations;
pub mod status;
pub mod writeoff;

use crate::audit::{self, ChangeType, NewEvent};
use crate::ids::{BatchId, ProductId, StoreId};
use crate::num::{Money, Qty};
use crate::op::Ctx;
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Stored expiry of a batch that never expires (consumables, devices): the
/// far future keeps FEFO a plain index scan.
pub const NO_EXPIRY: &str = "9999-12-31";

/// A batch's status (seed 000's lot statuses).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BatchStatus {
    /// Sellable (if not past expiry).
    Available,
    /// Held back for inspection.
    Quarantine,
    /// Marked expired.
    Expired,
    /// Recalled by the manufacturer or regulator.
    Recalled,
    /// Nothing left.
    Depleted,
    /// Damaged.
    Damaged,
}

impl BatchStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            BatchStatus::Available => "available",
            BatchStatus::Quarantine => "quarantine",
            BatchStatus::Expired => "expired",
            BatchStatus::Recalled => "recalled",
            BatchStatus::Depleted => "depleted",
            BatchStatus::Damaged => "damaged",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Result<BatchStatus> {
        serde_json::from_value(serde_json::Value::String(s.to_string()))
            .map_err(|_| Error::internal(format!("unknown batch status '{s}'")))
    }
}

/// How close a batch is to expiry, for highlighting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExpiryBand {
    /// Past its expiry date.
    Expired,
    /// Expires within 7 days.
    Within7Days,
    /// Within 30 days.
    Within30Days,
    /// Within 90 days.
    Within90Days,
    /// Later.
    Ok,
    /// Never expires.
    NoExpiry,
}

/// A batch as shown to users.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct BatchView {
    /// Batch id.
    pub batch_id: BatchId,
    /// Product.
    pub product_id: ProductId,
    /// Product name.
    pub product_name: String,
    /// Product SKU.
    pub sku: String,
    /// Unit of measure.
    pub unit: String,
    /// Store.
    pub store_id: StoreId,
    /// Batch (lot) number.
    pub batch_number: String,
    /// Serial number.
    pub serial_number: Option<String>,
    /// Expiry date (None: never expires).
    pub expiry_date: Option<String>,
    /// Manufacture date.
    pub manufacture_date: Option<String>,
    /// Quantity first received.
    pub initial_quantity: Qty,
    /// On hand.
    pub quantity: Qty,
    /// Held by reservations.
    pub reserved: Qty,
    /// Sellable now (0 unless available and in date).
    pub available: Qty,
    /// Unit cost.
    pub cost_price: Money,
    /// Supplier.
    pub supplier_id: Option<crate::ids::SupplierId>,
    /// Supplier name.
    pub supplier_name: Option<String>,
    /// Date received.
    pub received_date: String,
    /// Storage location.
    pub location: Option<String>,
    /// Status.
    pub status: BatchStatus,
    /// Why the status was set (recall notice, quarantine reason…).
    pub status_reason: Option<String>,
    /// Days until expiry (negative: days since).
    #[ts(type = "number | null")]
    pub days_to_expiry: Option<i64>,
    /// Highlight band.
    pub expiry_band: ExpiryBand,
}

/// The SELECT list and joins [`read_view`] expects.
pub(crate) const VIEW_SQL: &str = "SELECT b.id, b.product_id, p.name, p.sku, p.unit, b.store_id, b.batch_number, b.serial_number,
        b.expiry_date, b.manufacture_date, b.initial_milli, b.on_hand_milli, b.reserved_milli, b.cost_price_e4,
        b.supplier_id, s.name, b.received_date, b.location, b.status, b.status_reason
   FROM batches b JOIN products p ON p.id = b.product_id LEFT JOIN suppliers s ON s.id = b.supplier_id";

/// Reads a [`VIEW_SQL`] row as seen on `today`.
pub(crate) fn read_view(r: &Row<'_>, today: NaiveDate) -> rusqlite::Result<BatchView> {
    let expiry: String = r.get(8)?;
    let status_s: String = r.get(18)?;
    let status = BatchStatus::parse(&status_s).unwrap_or(BatchStatus::Quarantine);
    let on_hand: i64 = r.get(11)?;
    let reserved: i64 = r.get(12)?;
    let (expiry_date, days) = if expiry == NO_EXPIRY {
        (None, None)
    } else {
        let d = NaiveDate::parse_from_str(&expiry, "%Y-%m-%d").ok();
        (Some(expiry.clone()), d.map(|d| (d - today).num_days()))
    };
    let band = match days {
        None => ExpiryBand::NoExpiry,
        Some(d) if d < 0 => ExpiryBand::Expired,
        Some(d) if d <= 7 => ExpiryBand::Within7Days,
        Some(d) if d <= 30 => ExpiryBand::Within30Days,
        Some(d) if d <= 90 => ExpiryBand::Within90Days,
        Some(_) => ExpiryBand::Ok,
    };
    let sellable = status == BatchStatus::Available && band != ExpiryBand::Expired;
    Ok(BatchView {
        batch_id: r.get(0)?,
        product_id: r.get(1)?,
        product_name: r.get(2)?,
        sku: r.get(3)?,
        unit: r.get(4)?,
        store_id: r.get(5)?,
        batch_number: r.get(6)?,
        serial_number: r.get(7)?,
        expiry_date,
        manufacture_date: r.get(9)?,
        initial_quantity: Qty::from_scaled(r.get(10)?),
        quantity: Qty::from_scaled(on_hand),
        reserved: Qty::from_scaled(reserved),
        available: Qty::from_scaled(if sellable { on_hand - reserved } else { 0 }),
        cost_price: Money::from_scaled(r.get(13)?),
        supplier_id: r.get(14)?,
        supplier_name: r.get(15)?,
        received_date: r.get(16)?,
        location: r.get(17)?,
        status,
        status_reason: r.get(19)?,
        days_to_expiry: days,
        expiry_band: band,
    })
}

/// Reads one batch as a [`BatchView`].
pub fn get_batch_view(tx: &Transaction<'_>, id: BatchId, today: NaiveDate) -> Result<BatchView> {
    tx.prepare_cached(&format!("{VIEW_SQL} WHERE b.id = ?1"))?
        .query_row([id], |r| read_view(r, today))
        .optional()?
        .ok_or_else(|| Error::not_found("batch", id))
}

/// The batch fields mutations need.
#[derive(Clone, Debug)]
pub struct BatchRow {
    /// Id.
    pub id: BatchId,
    /// Product.
    pub product_id: ProductId,
    /// Store.
    pub store_id: StoreId,
    /// Batch number.
    pub batch_number: String,
    /// Stored expiry (NO_EXPIRY when none).
    pub expiry_date: String,
    /// On hand, thousandths.
    pub on_hand_milli: i64,
    /// Reserved, thousandths.
    pub reserved_milli: i64,
    /// Unit cost, ten-thousandths.
    pub cost_e4: i64,
    /// Status.
    pub status: BatchStatus,
    /// Sequence of the batch's newest audit event, as read with the row.
    pub last_event_seq: Option<i64>,
    /// SQLite rowid of the batch row (the sale's update goes straight to it
    /// instead of through the id index).
    pub rowid: i64,
}

impl BatchRow {
    /// Loads a batch for a mutation.
    pub fn load(tx: &Transaction<'_>, id: BatchId) -> Result<BatchRow> {
        let row = tx
            .prepare_cached(
                "SELECT product_id, store_id, batch_number, expiry_date, on_hand_milli, reserved_milli, cost_price_e4, status,
                        last_event_seq, rowid
                   FROM batches WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, ProductId>(0)?,
                    r.get::<_, StoreId>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, Option<i64>>(8)?,
                    r.get::<_, i64>(9)?,
                ))
            })
            .optional()?;
        let (
            product_id,
            store_id,
            batch_number,
            expiry_date,
            on_hand_milli,
            reserved_milli,
            cost_e4,
            status,
            last_event_seq,
            rowid,
        ) = row.ok_or_else(|| Error::not_found("batch", id))?;
        Ok(BatchRow {
            id,
            product_id,
            store_id,
            batch_number,
            expiry_date,
            on_hand_milli,
            reserved_milli,
            cost_e4,
            status: BatchStatus::parse(&status)?,
            last_event_seq,
            rowid,
        })
    }

    /// True when past expiry on `today`.
    pub fn is_expired_on(&self, today: NaiveDate) -> bool {
        self.expiry_date.as_str() < today.to_string().as_str()
    }

    /// Refuses the batch unless it is sellable today.
    pub fn ensure_sellable(&self, today: NaiveDate) -> Result<()> {
        if self.status == BatchStatus::Available && !self.is_expired_on(today) {
            return Ok(());
        }
        Err(self.not_sellable(today))
    }

    /// Why the batch cannot be sold today, as a `batch_not_sellable` error:
    /// expired (past its date, or marked so) first, else its status.
    pub(crate) fn not_sellable(&self, today: NaiveDate) -> Error {
        let expired = self.status == BatchStatus::Expired || self.is_expired_on(today);
        Error::BatchNotSellable {
            batch_id: Some(self.id),
            batch: self.batch_number.clone(),
            reason: if expired {
                BatchStatus::Expired
            } else {
                self.status
            },
            expiry_date: expired.then(|| self.expiry_date.clone()),
        }
    }
}

/// Sets a batch's on-hand and appends the matching audit event, in the
/// operation's transaction. A batch that reaches zero while available
/// becomes `depleted`; one that gets stock back becomes `available` again.
pub(crate) fn move_stock(
    ctx: &Ctx<'_>,
    batch: &BatchRow,
    new_milli: i64,
    change: ChangeType,
    reference_id: Option<&str>,
    notes: Option<&str>,
) -> Result<()> {
    // The row may have gained events since it was read: link to the
    // batch's newest event as it stands now.
    let (last_event_seq, rowid): (Option<i64>, i64) = ctx
        .tx
        .prepare_cached("SELECT last_event_seq, rowid FROM batches WHERE id = ?1")?
        .query_row([batch.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    write_move(
        ctx,
        batch,
        rowid,
        last_event_seq,
        new_milli,
        change,
        reference_id,
        notes,
    )
}

/// [`move_stock`] for a row read by this operation with no audit event for
/// the batch since (the sale's FEFO scan): its `last_event_seq` is current,
/// so the event links back without a lookup. This is the sale's hot path.
pub(crate) fn move_scanned_stock(
    ctx: &Ctx<'_>,
    batch: &BatchRow,
    new_milli: i64,
    change: ChangeType,
    reference_id: Option<&str>,
) -> Result<()> {
    write_move(
        ctx,
        batch,
        batch.rowid,
        batch.last_event_seq,
        new_milli,
        change,
        reference_id,
        None,
    )
}

/// Appends the event, then writes on-hand, status and the batch's newest
/// event in one UPDATE of the batch row.
#[allow(clippy::too_many_arguments)]
fn write_move(
    ctx: &Ctx<'_>,
    batch: &BatchRow,
    rowid: i64,
    last_event_seq: Option<i64>,
    new_milli: i64,
    change: ChangeType,
    reference_id: Option<&str>,
    notes: Option<&str>,
) -> Result<()> {
    // The last line of the store boundary: whatever path reached this batch,
    // its stock moves only for a user who may run the operation in its store
    // (free when the operation already checked that store).
    ctx.check_store(batch.store_id)?;
    // And of the stock freeze date: no movement dated before it.
    ctx.check_not_frozen(batch.store_id)?;
    if new_milli < 0 {
        return Err(Error::InsufficientStock {
            product_id: Some(batch.product_id.to_string()),
            batch_id: Some(batch.id.to_string()),
            requested: Qty::from_scaled(batch.on_hand_milli - new_milli).to_string(),
            available: Qty::from_scaled(batch.on_hand_milli).to_string(),
        });
    }
    let seq = audit::append_linked(
        ctx,
        NewEvent {
            store_id: batch.store_id,
            batch_id: Some(batch.id),
            product_id: Some(batch.product_id),
            change_type: change,
            previous_milli: Some(batch.on_hand_milli),
            new_milli: Some(new_milli),
            reference_id,
            notes,
        },
        last_event_seq,
    )?;
    ctx.tx
        .prepare_cached(
            "UPDATE batches SET on_hand_milli = ?2, updated_at = ?3, last_event_seq = ?4 WHERE rowid = ?1",
        )?
        .execute(params![rowid, new_milli, ctx.now_str(), seq])?;
    // The status only when the batch may empty or refill: an UPDATE naming
    // `status` rewrites the index of live batches (partial on the status),
    // one more page per sale otherwise.
    if new_milli == 0 || batch.on_hand_milli == 0 || batch.status == BatchStatus::Depleted {
        ctx.tx
            .prepare_cached(
                "UPDATE batches SET status = CASE WHEN on_hand_milli = 0 THEN 'depleted' ELSE 'available' END
                  WHERE rowid = ?1 AND ((on_hand_milli = 0 AND status = 'available')
                                     OR (on_hand_milli > 0 AND status = 'depleted'))",
            )?
            .execute([rowid])?;
    }
    Ok(())
}
