//! Transfers between stores: seed 000's workflow draft → requested →
//! approved → in_transit → (partially_received →) received, or cancelled
//! before shipping; and seed 003's `initiate_transfer`, `receive_transfer`
//! and `get_pending_transfers`.
//!
//! Ownership, so that sync (issue 13) only carries events: every transition
//! belongs to one side and is an event of that side's store, appended in the
//! transition's transaction, and the actor must work in that store.
//! - The source creates, requests, approves, ships and cancels, and resolves
//!   discrepancies (`transfer_created`, `transfer_requested`,
//!   `transfer_approved`, `transfer_shipped` with one `transfer_out` per
//!   batch, `transfer_cancelled`, `transfer_discrepancy_resolved`, and a
//!   `transfer_in` at the source for stock returned).
//! - The destination receives and records what was short or damaged
//!   (`transfer_received` with one `transfer_in` per batch,
//!   `transfer_discrepancy`).
//!
//! `transfer_shipped` carries the whole shipment (from/to stores, number,
//! each lot's product, source batch, batch number, expiry, manufacture date,
//! cost and quantity): all a destination in another database file needs to
//! receive it as the same batches. `transfer_received` carries the transfer
//! as it then stands (every lot's received and discrepancy quantities) and
//! this receipt's lines: all the source needs. Between two stores of one
//! file the transfer completes locally on the shared rows.
//!
//! Stock leaves the source when shipped, FEFO unless the line names a batch,
//! never from an expired, quarantined, recalled or damaged batch nor below
//! what is reserved (the till's own plan, `stock::allocate::plan_fefo`);
//! it arrives as the same batch number, expiry and cost through the
//! receiving code of `receive_stock` (`stock::receive::put_in_batch`).
//! Per shipped lot, always: received + recorded discrepancy ≤ shipped (a
//! CHECK), and a transfer is `received` exactly when they are equal for
//! every lot, so nothing is counted twice or lost between the sides.

mod discrepancy;
mod receive;
mod remote;
mod seed;
mod ship;

pub use discrepancy::{
    ApproveDiscrepancy, DiscrepancyResolution, RejectDiscrepancy, ResolveDiscrepancy,
};
// `list_approvals` gathers it (control::approvals); until that is wired,
// nothing in the engine calls it.
#[allow(unused_imports)]
pub(crate) use discrepancy::pending_approvals;
pub use receive::{ReceiveTransfer, ReceiveTransferLine};
pub(crate) use remote::apply as apply_remote;
pub use seed::{GetPendingTransfers, InitiateTransfer, InitiatedTransfer};
pub use ship::{ApproveTransfer, CancelTransfer, RequestTransfer, ShipTransfer};

use crate::audit::{self, ChangeType, Payload};
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::catalogue::products::ProductRules;
use crate::catalogue::stores::StoreInfo;
use crate::ids::{
    BatchId, ProductId, StoreId, TransferDiscrepancyId, TransferId, TransferItemId, TransferLotId,
    UserId,
};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::stock::{BatchRow, NO_EXPIRY};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a transfer stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TransferStatus {
    /// Being put together at the source.
    Draft,
    /// Waiting for a manager of the source.
    Requested,
    /// Approved, not shipped yet.
    Approved,
    /// Shipped: stock has left the source.
    InTransit,
    /// Some stock received (or recorded short/damaged), some still expected.
    PartiallyReceived,
    /// Every shipped unit received or recorded as a discrepancy.
    Received,
    /// Cancelled before it shipped.
    Cancelled,
}

impl TransferStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TransferStatus::Draft => "draft",
            TransferStatus::Requested => "requested",
            TransferStatus::Approved => "approved",
            TransferStatus::InTransit => "in_transit",
            TransferStatus::PartiallyReceived => "partially_received",
            TransferStatus::Received => "received",
            TransferStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Result<TransferStatus> {
        serde_json::from_value(serde_json::Value::String(s.to_string()))
            .map_err(|_| Error::internal(format!("unknown transfer status '{s}'")))
    }
}

/// Short or damaged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DiscrepancyKind {
    /// Shipped but never arrived (recorded when the destination closes the receipt).
    Short,
    /// Arrived unusable.
    Damaged,
}

/// Where a discrepancy stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DiscrepancyStatus {
    /// Nobody resolved it yet.
    Open,
    /// A resolution over the threshold waits for a manager of the source.
    PendingApproval,
    /// Resolved.
    Resolved,
}

/// One requested line and what became of it.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct TransferItem {
    /// Id.
    pub id: TransferItemId,
    /// Line number (1, 2, …).
    #[ts(type = "number")]
    pub line_no: i64,
    /// Product.
    pub product_id: ProductId,
    /// Its name.
    pub product_name: String,
    /// Its SKU.
    pub sku: String,
    /// Its unit.
    pub unit: String,
    /// The source batch asked for (none: FEFO when shipped).
    pub batch_id: Option<BatchId>,
    /// That batch's number.
    pub batch_number: Option<String>,
    /// Quantity asked for.
    pub requested: Qty,
    /// Quantity approved (once approved).
    pub approved: Option<Qty>,
    /// Quantity shipped (sum of its lots).
    pub shipped: Qty,
    /// Quantity received at the destination.
    pub received: Qty,
    /// Quantity recorded short or damaged.
    pub discrepancy: Qty,
    /// Unit cost of what shipped (weighted over its lots), once shipped.
    pub unit_cost: Option<Money>,
}

/// What shipped from one source batch: what the destination receives.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct TransferLot {
    /// Id (a receipt line names it).
    pub id: TransferLotId,
    /// The requested line it ships.
    pub item_id: TransferItemId,
    /// Product.
    pub product_id: ProductId,
    /// Its name.
    pub product_name: String,
    /// Its unit.
    pub unit: String,
    /// The batch it left at the source.
    pub source_batch_id: BatchId,
    /// Batch number (the destination's batch gets the same).
    pub batch_number: String,
    /// Expiry (none: never expires).
    pub expiry_date: Option<String>,
    /// Manufacture date.
    pub manufacture_date: Option<String>,
    /// Unit cost at the source.
    pub cost_price: Money,
    /// Shipped.
    pub shipped: Qty,
    /// Received so far.
    pub received: Qty,
    /// Recorded short or damaged.
    pub discrepancy: Qty,
    /// Still expected: shipped − received − discrepancy.
    pub outstanding: Qty,
    /// The destination's batch, once something arrived.
    pub dest_batch_id: Option<BatchId>,
}

/// Stock that shipped but did not arrive sellable.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct TransferDiscrepancy {
    /// Id.
    pub id: TransferDiscrepancyId,
    /// The transfer.
    pub transfer_id: TransferId,
    /// The shipped lot.
    pub lot_id: TransferLotId,
    /// Product name.
    pub product_name: String,
    /// Batch number.
    pub batch_number: String,
    /// Short or damaged.
    pub kind: DiscrepancyKind,
    /// Quantity.
    pub quantity: Qty,
    /// Its value at the lot's cost.
    pub value: Money,
    /// Where it stands.
    pub status: DiscrepancyStatus,
    /// How it was (or is to be) resolved.
    pub resolution: Option<DiscrepancyResolution>,
    /// Remark when recorded.
    pub notes: Option<String>,
    /// Who recorded it (destination).
    pub recorded_by: UserId,
    /// When.
    pub recorded_at: String,
    /// Who asked for the pending resolution.
    pub requested_by: Option<UserId>,
    /// When.
    pub requested_at: Option<String>,
    /// Who resolved (or approved the resolution).
    pub resolved_by: Option<UserId>,
    /// When.
    pub resolved_at: Option<String>,
    /// Remark on the resolution.
    pub resolution_notes: Option<String>,
}

/// A transfer with its lines, shipped lots and discrepancies.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Transfer {
    /// Id.
    pub id: TransferId,
    /// Number, per source store (1, 2, …).
    #[ts(type = "number")]
    pub number: i64,
    /// The source store's code and the number ("STA-T0001").
    pub label: String,
    /// Source store.
    pub from_store_id: StoreId,
    /// Its name.
    pub from_store_name: String,
    /// Destination store.
    pub to_store_id: StoreId,
    /// Its name.
    pub to_store_name: String,
    /// Where it stands.
    pub status: TransferStatus,
    /// Carrier (once shipped).
    pub carrier: Option<String>,
    /// Tracking number.
    pub tracking_number: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
    /// Who drafted it.
    pub created_by: UserId,
    /// Their name (when known in this file).
    pub created_by_name: Option<String>,
    /// When.
    pub created_at: String,
    /// Who asked for approval.
    pub requested_by: Option<UserId>,
    /// When.
    pub requested_at: Option<String>,
    /// Who approved.
    pub approved_by: Option<UserId>,
    /// When.
    pub approved_at: Option<String>,
    /// Who shipped.
    pub shipped_by: Option<UserId>,
    /// When.
    pub shipped_at: Option<String>,
    /// Who completed the receipt.
    pub received_by: Option<UserId>,
    /// When.
    pub received_at: Option<String>,
    /// Who cancelled.
    pub cancelled_by: Option<UserId>,
    /// When.
    pub cancelled_at: Option<String>,
    /// The requested lines.
    pub items: Vec<TransferItem>,
    /// What shipped, by source batch.
    pub lots: Vec<TransferLot>,
    /// Short and damaged quantities.
    pub discrepancies: Vec<TransferDiscrepancy>,
}

/// A transfer in a list.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct TransferSummary {
    /// Id.
    pub id: TransferId,
    /// Number, per source store.
    #[ts(type = "number")]
    pub number: i64,
    /// The source store's code and the number.
    pub label: String,
    /// Source store.
    pub from_store_id: StoreId,
    /// Its name.
    pub from_store_name: String,
    /// Destination store.
    pub to_store_id: StoreId,
    /// Its name.
    pub to_store_name: String,
    /// Where it stands.
    pub status: TransferStatus,
    /// Carrier.
    pub carrier: Option<String>,
    /// Tracking number.
    pub tracking_number: Option<String>,
    /// Number of requested lines.
    #[ts(type = "number")]
    pub lines: i64,
    /// What the lines name, e.g. "Paracetamol 500mg ×40, Botox 100U ×100".
    pub contents: String,
    /// Discrepancies not resolved yet.
    #[ts(type = "number")]
    pub open_discrepancies: i64,
    /// When drafted.
    pub created_at: String,
    /// When shipped.
    pub shipped_at: Option<String>,
    /// When the receipt completed.
    pub received_at: Option<String>,
}

/// The fields every transition checks.
pub(crate) struct Head {
    pub id: TransferId,
    pub number: i64,
    pub from: StoreId,
    pub to: StoreId,
    pub status: TransferStatus,
}

impl Head {
    pub(crate) fn load(ctx: &Ctx<'_>, id: TransferId) -> Result<Head> {
        let row = ctx
            .tx
            .prepare_cached(
                "SELECT number, from_store_id, to_store_id, status FROM transfers WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, StoreId>(1)?,
                    r.get::<_, StoreId>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .optional()?;
        let (number, from, to, status) = row.ok_or_else(|| Error::not_found("transfer", id))?;
        Ok(Head {
            id,
            number,
            from,
            to,
            status: TransferStatus::parse(&status)?,
        })
    }

    /// Refuses the transition unless the transfer is in one of `allowed`.
    pub(crate) fn expect(&self, action: &str, allowed: &[TransferStatus]) -> Result<()> {
        if allowed.contains(&self.status) {
            return Ok(());
        }
        let wanted: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
        Err(Error::conflict(format!(
            "transfer {} is {}; only a transfer that is {} can be {action}",
            self.number,
            self.status.as_str(),
            wanted.join(" or ")
        )))
    }

    /// Sets the status, stamping who and when in `<step>_by`/`<step>_at`
    /// (`requested`, `approved`, `shipped`, `received`, `cancelled`).
    pub(crate) fn set_status(
        &self,
        ctx: &Ctx<'_>,
        status: TransferStatus,
        step: Option<&str>,
    ) -> Result<()> {
        let now = ctx.now_str();
        match step {
            Some(step) => ctx.tx.execute(
                &format!(
                    "UPDATE transfers SET status = ?2, updated_at = ?3, {step}_by = ?4, {step}_at = ?3 WHERE id = ?1"
                ),
                params![self.id, status.as_str(), now, ctx.actor.id],
            )?,
            None => ctx.tx.execute(
                "UPDATE transfers SET status = ?2, updated_at = ?3 WHERE id = ?1",
                params![self.id, status.as_str(), now],
            )?,
        };
        Ok(())
    }
}

/// Records a transition as an event of `store`'s chain, with the transfer as
/// it now stands (and `extra` facts) as its document.
pub(crate) fn record(
    ctx: &Ctx<'_>,
    store: StoreId,
    kind: ChangeType,
    t: &Transfer,
    extra: Option<serde_json::Value>,
) -> Result<()> {
    let data = serde_json::json!({ "transfer": t, "this": extra });
    let payload = Payload::about("transfer", t.id, t.label.clone()).with_data(data)?;
    audit::record(ctx, store, kind, &payload).map(|_| ())
}

const HEAD_SQL: &str = "SELECT t.id, t.number, fs.code, t.from_store_id, fs.name, t.to_store_id, ts.name, t.status, t.carrier,
        t.tracking_number, t.notes, t.cancel_reason, t.created_by, cu.name, t.created_at, t.requested_by, t.requested_at,
        t.approved_by, t.approved_at, t.shipped_by, t.shipped_at, t.received_by, t.received_at, t.cancelled_by,
        t.cancelled_at
   FROM transfers t JOIN stores fs ON fs.id = t.from_store_id JOIN stores ts ON ts.id = t.to_store_id
   LEFT JOIN users cu ON cu.id = t.created_by";

fn label(code: &str, number: i64) -> String {
    format!("{code}-T{number:04}")
}

fn shown_expiry(e: String) -> Option<String> {
    (e != NO_EXPIRY).then_some(e)
}

fn status_of(r: &Row<'_>, i: usize) -> rusqlite::Result<TransferStatus> {
    let s: String = r.get(i)?;
    TransferStatus::parse(&s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn enum_of<T: serde::de::DeserializeOwned>(r: &Row<'_>, i: usize) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    serde_json::from_value(serde_json::Value::String(s)).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Loads a whole transfer (no permission check: callers have checked a side).
pub(crate) fn load(ctx: &Ctx<'_>, id: TransferId) -> Result<Transfer> {
    load_tx(ctx.tx, id)
}

/// [`load`] on a bare transaction (the sync client's apply has no actor).
pub(crate) fn load_tx(tx: &rusqlite::Transaction<'_>, id: TransferId) -> Result<Transfer> {
    let mut t = tx
        .prepare_cached(&format!("{HEAD_SQL} WHERE t.id = ?1"))?
        .query_row([id], |r| {
            let code: String = r.get(2)?;
            let number: i64 = r.get(1)?;
            Ok(Transfer {
                id: r.get(0)?,
                number,
                label: label(&code, number),
                from_store_id: r.get(3)?,
                from_store_name: r.get(4)?,
                to_store_id: r.get(5)?,
                to_store_name: r.get(6)?,
                status: status_of(r, 7)?,
                carrier: r.get(8)?,
                tracking_number: r.get(9)?,
                notes: r.get(10)?,
                cancel_reason: r.get(11)?,
                created_by: r.get(12)?,
                created_by_name: r.get(13)?,
                created_at: r.get(14)?,
                requested_by: r.get(15)?,
                requested_at: r.get(16)?,
                approved_by: r.get(17)?,
                approved_at: r.get(18)?,
                shipped_by: r.get(19)?,
                shipped_at: r.get(20)?,
                received_by: r.get(21)?,
                received_at: r.get(22)?,
                cancelled_by: r.get(23)?,
                cancelled_at: r.get(24)?,
                items: Vec::new(),
                lots: Vec::new(),
                discrepancies: Vec::new(),
            })
        })
        .optional()?
        .ok_or_else(|| Error::not_found("transfer", id))?;
    let mut stmt = tx.prepare_cached(
        "SELECT i.id, i.line_no, i.product_id, p.name, p.sku, p.unit, i.batch_id, b.batch_number, i.requested_milli,
                i.approved_milli, i.shipped_milli, i.received_milli, i.discrepancy_milli, i.unit_cost_e4
           FROM transfer_items i JOIN products p ON p.id = i.product_id LEFT JOIN batches b ON b.id = i.batch_id
          WHERE i.transfer_id = ?1 ORDER BY i.line_no",
    )?;
    t.items = stmt
        .query_map([id], |r| {
            Ok(TransferItem {
                id: r.get(0)?,
                line_no: r.get(1)?,
                product_id: r.get(2)?,
                product_name: r.get(3)?,
                sku: r.get(4)?,
                unit: r.get(5)?,
                batch_id: r.get(6)?,
                batch_number: r.get(7)?,
                requested: Qty::from_scaled(r.get(8)?),
                approved: r.get::<_, Option<i64>>(9)?.map(Qty::from_scaled),
                shipped: Qty::from_scaled(r.get(10)?),
                received: Qty::from_scaled(r.get(11)?),
                discrepancy: Qty::from_scaled(r.get(12)?),
                unit_cost: r.get::<_, Option<i64>>(13)?.map(Money::from_scaled),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = tx.prepare_cached(
        "SELECT l.id, l.item_id, i.product_id, p.name, p.unit, l.source_batch_id, l.batch_number, l.expiry_date,
                l.manufacture_date, l.cost_e4, l.shipped_milli, l.received_milli, l.discrepancy_milli, l.dest_batch_id
           FROM transfer_lots l JOIN transfer_items i ON i.id = l.item_id JOIN products p ON p.id = i.product_id
          WHERE l.transfer_id = ?1 ORDER BY i.line_no, l.rowid",
    )?;
    t.lots = stmt
        .query_map([id], |r| {
            let (shipped, received, disc): (i64, i64, i64) = (r.get(10)?, r.get(11)?, r.get(12)?);
            Ok(TransferLot {
                id: r.get(0)?,
                item_id: r.get(1)?,
                product_id: r.get(2)?,
                product_name: r.get(3)?,
                unit: r.get(4)?,
                source_batch_id: r.get(5)?,
                batch_number: r.get(6)?,
                expiry_date: shown_expiry(r.get(7)?),
                manufacture_date: r.get(8)?,
                cost_price: Money::from_scaled(r.get(9)?),
                shipped: Qty::from_scaled(shipped),
                received: Qty::from_scaled(received),
                discrepancy: Qty::from_scaled(disc),
                outstanding: Qty::from_scaled(shipped - received - disc),
                dest_batch_id: r.get(13)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = tx.prepare_cached(&format!(
        "{DISC_SQL} WHERE d.transfer_id = ?1 ORDER BY d.recorded_at, d.rowid"
    ))?;
    t.discrepancies = stmt
        .query_map([id], read_discrepancy)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(t)
}

pub(crate) const DISC_SQL: &str = "SELECT d.id, d.transfer_id, d.lot_id, p.name, l.batch_number, d.kind, d.quantity_milli, l.cost_e4,
        d.status, d.resolution, d.notes, d.recorded_by, d.recorded_at, d.requested_by, d.requested_at, d.resolved_by,
        d.resolved_at, d.resolution_notes
   FROM transfer_discrepancies d JOIN transfer_lots l ON l.id = d.lot_id JOIN transfer_items i ON i.id = l.item_id
   JOIN products p ON p.id = i.product_id";

/// A discrepancy's value at its lot's cost, in ten-thousandths.
pub(crate) fn value_e4(qty_milli: i64, cost_e4: i64) -> i64 {
    i64::try_from(i128::from(qty_milli) * i128::from(cost_e4) / 1000).unwrap_or(i64::MAX)
}

pub(crate) fn read_discrepancy(r: &Row<'_>) -> rusqlite::Result<TransferDiscrepancy> {
    let qty: i64 = r.get(6)?;
    let cost: i64 = r.get(7)?;
    Ok(TransferDiscrepancy {
        id: r.get(0)?,
        transfer_id: r.get(1)?,
        lot_id: r.get(2)?,
        product_name: r.get(3)?,
        batch_number: r.get(4)?,
        kind: enum_of(r, 5)?,
        quantity: Qty::from_scaled(qty),
        value: Money::from_scaled(value_e4(qty, cost)),
        status: enum_of(r, 8)?,
        resolution: match r.get::<_, Option<String>>(9)? {
            Some(_) => Some(enum_of(r, 9)?),
            None => None,
        },
        notes: r.get(10)?,
        recorded_by: r.get(11)?,
        recorded_at: r.get(12)?,
        requested_by: r.get(13)?,
        requested_at: r.get(14)?,
        resolved_by: r.get(15)?,
        resolved_at: r.get(16)?,
        resolution_notes: r.get(17)?,
    })
}

/// Checks the actor may run the operation at one side of the transfer (the
/// source first), for reads.
fn check_either_side(ctx: &Ctx<'_>, h: &Head) -> Result<()> {
    if ctx.may_at(h.from) {
        ctx.check_store(h.from)
    } else {
        ctx.check_store(h.to)
    }
}

/// One line of a new transfer.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct NewTransferLine {
    /// Product.
    pub product_id: ProductId,
    /// Quantity (> 0; whole unless the product allows fractions).
    pub quantity: Qty,
    /// One batch of the source to ship from (default: FEFO when shipped).
    #[ts(optional)]
    pub batch_id: Option<BatchId>,
}

/// Drafts a transfer at the source store (`from_store_id`, default the user's) to another
/// store (`to_store_id`).
/// - Permission `adjust_stock` at the source: any of its staff may draft and request a
///   transfer; only a manager approves, ships or cancels it.
/// - `to_store_id` must be another store (`invalid_input`) that exists (`not_found`) and is
///   open (`store_closed`); the actor need not work there.
/// - 1–200 `lines`, each a product that exists and is not discontinued with a positive
///   quantity in its unit (`invalid_input`); a named `batch_id` must be a batch of that
///   product in the source store (`invalid_input`) and sellable now
///   (`batch_not_sellable`). Stock is not held yet: it is checked when the transfer ships.
/// - Numbered per source store (`label` "STA-T0001"). Status `draft`; a
///   `transfer_created` event in the source's record.
/// - `user_id`, if given, must be the acting user (seed 003's form).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CreateTransfer {
    /// Source store (default: the user's).
    #[ts(optional)]
    pub from_store_id: Option<StoreId>,
    /// Destination store.
    pub to_store_id: StoreId,
    /// What to move.
    pub lines: Vec<NewTransferLine>,
    /// Notes.
    #[ts(optional)]
    pub notes: Option<String>,
    /// The acting user (seed 003's form; must be the session's user).
    #[ts(optional)]
    pub user_id: Option<UserId>,
}

impl Operation for CreateTransfer {
    const NAME: &'static str = "create_transfer";
    const SUMMARY: &'static str =
        "Draft a transfer of stock from this store to another (lines: product, quantity, optional batch)";
    const PERMISSION: Permission = Permission::AdjustStock;
    const WRITES: bool = true;
    type Output = Transfer;

    fn run(self, ctx: &Ctx<'_>) -> Result<Transfer> {
        crate::control::check_claimed_user(ctx, self.user_id)?;
        let id = create(
            ctx,
            self.from_store_id,
            self.to_store_id,
            &self.lines,
            self.notes.as_deref(),
        )?;
        load(ctx, id)
    }
}

/// Drafts a transfer (the rules of [`CreateTransfer`]) and records it.
pub(crate) fn create(
    ctx: &Ctx<'_>,
    from: Option<StoreId>,
    to: StoreId,
    lines: &[NewTransferLine],
    notes: Option<&str>,
) -> Result<TransferId> {
    let source = ctx.store(from)?;
    let today = ctx.today(&source);
    if to == source.id {
        return Err(Error::invalid(
            "to_store_id",
            "a transfer goes to another store than its source",
        ));
    }
    StoreInfo::load(ctx.tx, to)?;
    if lines.is_empty() || lines.len() > 200 {
        return Err(Error::invalid("lines", "a transfer has 1 to 200 lines"));
    }
    let notes = optional_text("notes", notes, 1000)?;
    let number: i64 = ctx.tx.query_row(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM transfers WHERE from_store_id = ?1",
        [source.id],
        |r| r.get(0),
    )?;
    let id = TransferId::new();
    let now = ctx.now_str();
    ctx.tx.execute(
        "INSERT INTO transfers (id, number, from_store_id, to_store_id, status, notes, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 'draft', ?5, ?6, ?7, ?7)",
        params![id, number, source.id, to, notes, ctx.actor.id, now],
    )?;
    for (i, line) in lines.iter().enumerate() {
        let field = |f: &str| format!("lines[{i}].{f}");
        let product = ProductRules::load(ctx.tx, line.product_id)?;
        if product.status == "discontinued" {
            return Err(Error::ProductDiscontinued {
                product_id: product.id,
                sku: product.sku,
            });
        }
        let qty = product.quantity(&field("quantity"), line.quantity)?;
        if let Some(batch) = line.batch_id {
            let b = BatchRow::load(ctx.tx, batch)?;
            if b.store_id != source.id || b.product_id != line.product_id {
                return Err(Error::invalid(
                    &field("batch_id"),
                    format!(
                        "batch {} is not a batch of {} in the source store",
                        b.batch_number, product.sku
                    ),
                ));
            }
            b.ensure_sellable(today)?;
        }
        ctx.tx.execute(
            "INSERT INTO transfer_items (id, transfer_id, line_no, product_id, batch_id, requested_milli)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![TransferItemId::new(), id, i as i64 + 1, line.product_id, line.batch_id, qty],
        )?;
    }
    let t = load(ctx, id)?;
    record(ctx, source.id, ChangeType::TransferCreated, &t, None)?;
    Ok(id)
}

/// A transfer with its lines, shipped lots (batch number, expiry, cost, shipped, received,
/// outstanding) and discrepancies. The actor must work in its source or its destination
/// (`forbidden` otherwise); `not_found` for no such transfer.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetTransfer {
    /// The transfer.
    pub transfer_id: TransferId,
}

impl Operation for GetTransfer {
    const NAME: &'static str = "get_transfer";
    const SUMMARY: &'static str = "A transfer with its lines, shipped lots and discrepancies";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Transfer;

    fn run(self, ctx: &Ctx<'_>) -> Result<Transfer> {
        let h = Head::load(ctx, self.transfer_id)?;
        check_either_side(ctx, &h)?;
        load(ctx, h.id)
    }
}

/// Which way a transfer goes, seen from a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TransferDirection {
    /// From this store.
    Outgoing,
    /// To this store.
    Incoming,
}

/// Transfers from or to the store (default: the user's), newest first. `direction`
/// `outgoing` or `incoming` (default both); `status` filters on one status; `limit` 1–1000
/// (default 200).
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListTransfers {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Outgoing or incoming (default both).
    #[ts(optional)]
    pub direction: Option<TransferDirection>,
    /// Only this status.
    #[ts(optional)]
    pub status: Option<TransferStatus>,
    /// Maximum rows (default 200).
    #[ts(optional)]
    pub limit: Option<u32>,
}

impl Operation for ListTransfers {
    const NAME: &'static str = "list_transfers";
    const SUMMARY: &'static str =
        "Transfers from or to a store, newest first (filter by direction and status)";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Vec<TransferSummary>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<TransferSummary>> {
        let store = ctx.store(self.store_id)?;
        let (outgoing, incoming) = match self.direction {
            None => (true, true),
            Some(TransferDirection::Outgoing) => (true, false),
            Some(TransferDirection::Incoming) => (false, true),
        };
        list(
            ctx,
            "((?2 AND t.from_store_id = ?1) OR (?3 AND t.to_store_id = ?1)) AND (?4 IS NULL OR t.status = ?4)",
            params![
                store.id,
                outgoing,
                incoming,
                self.status.map(TransferStatus::as_str),
                self.limit.unwrap_or(200).clamp(1, 1000)
            ],
        )
    }
}

/// Lists transfers matching `filter` (its parameters `args`, the last one the limit).
pub(crate) fn list(
    ctx: &Ctx<'_>,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<TransferSummary>> {
    let limit_param = args.len();
    let mut stmt = ctx.tx.prepare(&format!(
        "SELECT t.id, t.number, fs.code, t.from_store_id, fs.name, t.to_store_id, ts.name, t.status, t.carrier,
                t.tracking_number, t.created_at, t.shipped_at, t.received_at,
                (SELECT COUNT(*) FROM transfer_items i WHERE i.transfer_id = t.id),
                (SELECT group_concat(p.name || char(31) || i.requested_milli, char(30))
                   FROM transfer_items i JOIN products p ON p.id = i.product_id WHERE i.transfer_id = t.id),
                (SELECT COUNT(*) FROM transfer_discrepancies d WHERE d.transfer_id = t.id AND d.status <> 'resolved')
           FROM transfers t JOIN stores fs ON fs.id = t.from_store_id JOIN stores ts ON ts.id = t.to_store_id
          WHERE {filter}
          ORDER BY t.created_at DESC, t.id DESC LIMIT ?{limit_param}"
    ))?;
    let rows = stmt.query_map(args, |r| {
        let code: String = r.get(2)?;
        let number: i64 = r.get(1)?;
        let contents: Option<String> = r.get(14)?;
        Ok(TransferSummary {
            id: r.get(0)?,
            number,
            label: label(&code, number),
            from_store_id: r.get(3)?,
            from_store_name: r.get(4)?,
            to_store_id: r.get(5)?,
            to_store_name: r.get(6)?,
            status: status_of(r, 7)?,
            carrier: r.get(8)?,
            tracking_number: r.get(9)?,
            created_at: r.get(10)?,
            shipped_at: r.get(11)?,
            received_at: r.get(12)?,
            lines: r.get(13)?,
            contents: contents
                .unwrap_or_default()
                .split('\u{1e}')
                .filter_map(|line| line.split_once('\u{1f}'))
                .map(|(name, milli)| {
                    let q = Qty::from_scaled(milli.parse().unwrap_or(0));
                    format!("{name} ×{q}")
                })
                .collect::<Vec<_>>()
                .join(", "),
            open_discrepancies: r.get(15)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
