//! `receive_stock`: a delivery from a supplier becomes a batch (or tops up
//! the same batch number when its expiry matches), linked to a purchase
//! receipt, with a `receipt` audit event.

use super::{move_stock, BatchRow, BatchStatus, NO_EXPIRY};
use crate::audit::ChangeType;
use crate::auth::Permission;
use crate::catalogue::products::ProductRules;
use crate::catalogue::{optional_text, required_text};
use crate::ids::{BatchId, EventId, ProductId, PurchaseReceiptId, StoreId, SupplierId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// - The store's local date (its IANA time zone, at `--now`) is "today": an `expiry_date`
///   before today is refused with `batch_not_sellable` (reason `expired`); a
///   `manufacture_date` after today or not before the expiry is `invalid_input`.
/// - `expiry_date` is required when the product's `tracking.expiry_required` is true (the
///   default); a product that does not track expiry gets batches that never expire
///   (`expiry_date: null`).
/// - A batch number already in the store for that product is *topped up* when the expiry
///   matches (`topped_up: true`, weighted-average `cost_price`); a different expiry is a
///   `conflict` ("check the pack"); a batch that is quarantined, recalled, damaged or
///   expired is `batch_not_sellable` (`details.reason` = its status).
/// - The supplier must exist (`not_found`) and be active (`supplier_inactive`); a
///   discontinued or deleted product is refused.
/// - Receipts with the same supplier and `reference_number` share one purchase receipt
///   (`purchase_receipt_id`).
/// - Writes a `receipt` audit event.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReceiveStock {
    /// Product received.
    pub product_id: ProductId,
    /// Receiving store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Batch (lot) number printed on the pack.
    pub batch_number: String,
    /// Quantity received (> 0; whole unless the product allows fractions).
    pub quantity: Qty,
    /// Expiry date (required unless the product does not track expiry).
    #[ts(optional, type = "string")]
    pub expiry_date: Option<NaiveDate>,
    /// Manufacture date.
    #[ts(optional, type = "string")]
    pub manufacture_date: Option<NaiveDate>,
    /// Serial number.
    #[ts(optional)]
    pub serial_number: Option<String>,
    /// Unit cost paid for this delivery. Omitted, the product's cost price
    /// is used (the result says so); refused when the product has none.
    #[ts(optional)]
    pub cost_price: Option<Money>,
    /// Supplier (must exist and be active).
    pub supplier_id: SupplierId,
    /// Supplier invoice / PO number; receipts with the same number share one purchase receipt.
    #[ts(optional)]
    pub reference_number: Option<String>,
    /// Storage location (shelf, fridge…), as free text.
    #[ts(optional)]
    pub location: Option<String>,
    /// A storage location of the store to put the lot in (its temperatures
    /// count against the lot from now; see `put_lot_in_location`).
    #[ts(optional)]
    #[serde(default)]
    pub storage_location_id: Option<crate::ids::StorageLocationId>,
    /// Notes.
    #[ts(optional)]
    pub notes: Option<String>,
}

/// Where a receipt's unit cost came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CostPriceSource {
    /// Given with the request.
    Request,
    /// The request gave none: the product's cost price.
    Product,
}

/// What `receive_stock` did.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ReceiveResult {
    /// The receipt line: the id of its `receipt` audit event, which
    /// `reverse_receipt` takes to undo it.
    pub receipt_id: EventId,
    /// The batch received into.
    pub batch_id: BatchId,
    /// Product.
    pub product_id: ProductId,
    /// Product name, so the confirmation names what was received.
    pub product_name: String,
    /// Unit of measure.
    pub unit: String,
    /// Store.
    pub store_id: StoreId,
    /// Batch number.
    pub batch_number: String,
    /// Quantity received now.
    pub quantity: Qty,
    /// Batch on-hand after the receipt.
    pub on_hand: Qty,
    /// Expiry date.
    pub expiry_date: Option<String>,
    /// Unit cost of the batch (weighted when topped up).
    pub cost_price: Money,
    /// Where this delivery's unit cost came from.
    pub cost_price_source: CostPriceSource,
    /// True when an existing batch was topped up.
    pub topped_up: bool,
    /// The purchase receipt.
    pub purchase_receipt_id: PurchaseReceiptId,
    /// Backorders waiting for this product in this store.
    #[ts(type = "number")]
    pub pending_backorders: i64,
}

impl Operation for ReceiveStock {
    const NAME: &'static str = "receive_stock";
    const SUMMARY: &'static str = "Receive stock from a supplier into a batch (same batch number tops up when the expiry matches)";
    const PERMISSION: Permission = Permission::ReceiveStock;
    const WRITES: bool = true;
    const NAMES_ACTING_USER: bool = true;
    type Output = ReceiveResult;

    fn run(self, ctx: &Ctx<'_>) -> Result<ReceiveResult> {
        let store = ctx.store(self.store_id)?;
        let today = ctx.today(&store);
        let product = ProductRules::load(ctx.tx, self.product_id)?;
        if product.status == "discontinued" {
            return Err(Error::ProductDiscontinued {
                product_id: product.id,
                sku: product.sku,
            });
        }
        let qty_milli = product.quantity("quantity", self.quantity)?;
        let batch_number = required_text("batch_number", &self.batch_number, 64)?;
        let supplier: Option<(String, bool)> = ctx
            .tx
            .prepare_cached("SELECT name, is_active FROM suppliers WHERE id = ?1")?
            .query_row([self.supplier_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match supplier {
            None => return Err(Error::not_found("supplier", self.supplier_id)),
            Some((name, false)) => {
                return Err(Error::SupplierInactive {
                    supplier_id: self.supplier_id,
                    name,
                })
            }
            Some(_) => {}
        }
        let expiry = check_receipt_dates(
            &product,
            &batch_number,
            self.expiry_date,
            self.manufacture_date,
            today,
        )?;
        // A receipt without its cost must not go in at 0.00: that would
        // skew the valuation of every unit on the batch.
        let (cost, cost_price_source) = match self.cost_price {
            Some(c) => (check_cost("cost_price", c)?, CostPriceSource::Request),
            None => {
                let product_cost: i64 = ctx
                    .tx
                    .prepare_cached("SELECT cost_price_e4 FROM products WHERE id = ?1")?
                    .query_row([self.product_id], |r| r.get(0))?;
                if product_cost <= 0 {
                    return Err(Error::NoCostPrice {
                        product_id: product.id,
                        sku: product.sku,
                    });
                }
                (product_cost, CostPriceSource::Product)
            }
        };
        let reference = optional_text("reference_number", self.reference_number.as_deref(), 64)?;
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?;
        let serial = optional_text("serial_number", self.serial_number.as_deref(), 64)?;
        let location = optional_text("location", self.location.as_deref(), 64)?;
        let now = ctx.now_str();

        let receipt_id = purchase_receipt(
            ctx,
            &store.id,
            self.supplier_id,
            reference.as_deref(),
            &today,
            notes.as_deref(),
        )?;
        let line_total =
            (Money::from_scaled(cost).times(Qty::from_scaled(qty_milli))).to_scaled("total")?;
        ctx.tx
            .prepare_cached("UPDATE purchase_receipts SET total_amount_e4 = total_amount_e4 + ?2, updated_at = ?3 WHERE id = ?1")?
            .execute(params![receipt_id, line_total, now])?;

        let into = put_in_batch(
            ctx,
            &BatchIn {
                store_id: store.id,
                product_id: self.product_id,
                batch_number: &batch_number,
                expiry_date: &expiry,
                manufacture_date: self.manufacture_date.map(|d| d.to_string()),
                serial_number: serial.as_deref(),
                cost_e4: cost,
                quantity_milli: qty_milli,
                supplier_id: Some(self.supplier_id),
                purchase_receipt_id: Some(receipt_id),
                received_date: today,
                location: location.as_deref(),
                change: ChangeType::Receipt,
                reference_id: &receipt_id.to_string(),
                notes: notes.as_deref(),
            },
        )?;
        let (batch_id, topped_up, cost_after) = (into.batch_id, into.topped_up, into.cost_e4);
        // The receipt event is now the batch's newest.
        let (on_hand, receipt_event, product_name): (i64, EventId, String) = ctx
            .tx
            .prepare_cached(
                "SELECT b.on_hand_milli, a.id, p.name
                   FROM batches b
                   JOIN inventory_audit a ON a.store_id = b.store_id AND a.seq = b.last_event_seq
                   JOIN products p ON p.id = b.product_id
                  WHERE b.id = ?1",
            )?
            .query_row([batch_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        if let Some(loc) = self.storage_location_id {
            let b = BatchRow::load(ctx.tx, batch_id)?;
            crate::coldchain::locations::place(ctx, &b, Some(loc))?;
        }
        let pending_backorders: i64 = ctx.tx.prepare_cached("SELECT COUNT(*) FROM backorders WHERE product_id = ?1 AND store_id = ?2 AND status IN ('pending', 'partial')")?.query_row(
            params![self.product_id, store.id],
            |r| r.get(0),
        )?;
        Ok(ReceiveResult {
            receipt_id: receipt_event,
            batch_id,
            product_id: self.product_id,
            product_name,
            unit: product.unit,
            store_id: store.id,
            batch_number,
            quantity: Qty::from_scaled(qty_milli),
            on_hand: Qty::from_scaled(on_hand),
            expiry_date: (expiry != NO_EXPIRY).then_some(expiry),
            cost_price: Money::from_scaled(cost_after),
            cost_price_source,
            topped_up,
            purchase_receipt_id: receipt_id,
            pending_backorders,
        })
    }
}

/// The dates of a batch received today: an expiry before today is refused
/// (`batch_not_sellable`, reason `expired`), a missing one when the product
/// needs it (`invalid_input`); a manufacture date must not be in the future
/// and must come before the expiry. Returns the expiry as stored
/// ([`NO_EXPIRY`] when none). Shared by `receive_stock` and the opening
/// stock import.
pub(crate) fn check_receipt_dates(
    product: &ProductRules,
    batch_number: &str,
    expiry_date: Option<NaiveDate>,
    manufacture_date: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<String> {
    let expiry = match expiry_date {
        Some(d) if d < today => {
            return Err(Error::BatchNotSellable {
                batch_id: None,
                batch: batch_number.to_string(),
                reason: BatchStatus::Expired,
                expiry_date: Some(d.to_string()),
            });
        }
        Some(d) => d.to_string(),
        None if product.expiry_required => {
            return Err(Error::invalid(
                "expiry_date",
                format!(
                    "product {} needs an expiry date on every batch",
                    product.sku
                ),
            ));
        }
        None => NO_EXPIRY.to_string(),
    };
    if let Some(m) = manufacture_date {
        if m > today {
            return Err(Error::invalid(
                "manufacture_date",
                "the manufacture date is in the future",
            ));
        }
        if m.to_string() >= expiry {
            return Err(Error::invalid(
                "manufacture_date",
                "the manufacture date is not before the expiry date",
            ));
        }
    }
    Ok(expiry)
}

/// A unit cost paid, as stored (ten-thousandths): never negative.
pub(crate) fn check_cost(field: &str, c: Money) -> Result<i64> {
    if c.is_negative() {
        return Err(Error::invalid(field, "cost price cannot be negative"));
    }
    c.to_scaled(field)
}

/// Stock arriving in a store as a batch: a supplier's delivery
/// (`receive_stock`) or a transfer from another store (`receive_transfer`,
/// which brings the source batch's number, expiry and cost).
pub(crate) struct BatchIn<'a> {
    pub store_id: StoreId,
    pub product_id: ProductId,
    pub batch_number: &'a str,
    /// Stored expiry ([`NO_EXPIRY`] when none).
    pub expiry_date: &'a str,
    pub manufacture_date: Option<String>,
    pub serial_number: Option<&'a str>,
    pub cost_e4: i64,
    pub quantity_milli: i64,
    pub supplier_id: Option<SupplierId>,
    pub purchase_receipt_id: Option<PurchaseReceiptId>,
    pub received_date: NaiveDate,
    pub location: Option<&'a str>,
    /// The stock event's kind (`receipt`, `transfer_in`).
    pub change: ChangeType,
    pub reference_id: &'a str,
    pub notes: Option<&'a str>,
}

/// Where [`put_in_batch`] put the stock.
pub(crate) struct BatchInResult {
    pub batch_id: BatchId,
    /// An existing batch was topped up.
    pub topped_up: bool,
    /// The batch's unit cost after (weighted when topped up).
    pub cost_e4: i64,
}

/// Puts stock into the store's batch of that number, creating it, or topping
/// it up when the expiry matches (weighted-average cost): a different expiry
/// is a `conflict` ("check the pack"), a batch that is quarantined,
/// recalled, damaged or expired is `batch_not_sellable`. One stock event of
/// kind `change` through [`move_stock`].
pub(crate) fn put_in_batch(ctx: &Ctx<'_>, i: &BatchIn<'_>) -> Result<BatchInResult> {
    let now = ctx.now_str();
    let (batch_number, expiry, qty_milli, cost) =
        (i.batch_number, i.expiry_date, i.quantity_milli, i.cost_e4);
    let existing: Option<BatchId> = ctx
        .tx
        .prepare_cached(
            "SELECT id FROM batches WHERE store_id = ?1 AND product_id = ?2 AND batch_number = ?3",
        )?
        .query_row(params![i.store_id, i.product_id, batch_number], |r| {
            r.get(0)
        })
        .optional()?;
    match existing {
        Some(id) => {
            let b = BatchRow::load(ctx.tx, id)?;
            if b.expiry_date != expiry {
                return Err(Error::conflict(format!(
                    "batch {batch_number} is already recorded with expiry {}, not {}; check the pack",
                    shown_expiry(&b.expiry_date),
                    shown_expiry(expiry)
                )));
            }
            if !matches!(b.status, BatchStatus::Available | BatchStatus::Depleted) {
                return Err(Error::BatchNotSellable {
                    batch_id: Some(b.id),
                    batch: batch_number.to_string(),
                    reason: b.status,
                    expiry_date: None,
                });
            }
            // Weighted average: the batch's value stays the sum of what was paid.
            let total = b.on_hand_milli + qty_milli;
            let value = i128::from(b.cost_e4) * i128::from(b.on_hand_milli)
                + i128::from(cost) * i128::from(qty_milli);
            let total = i128::from(total.max(1));
            // Rounded half up to the money scale.
            let weighted = (2 * value + total) / (2 * total);
            let weighted = i64::try_from(weighted).map_err(|_| Error::internal("cost overflow"))?;
            ctx.tx.prepare_cached("UPDATE batches SET initial_milli = initial_milli + ?2, cost_price_e4 = ?3, updated_at = ?4 WHERE id = ?1")?.execute(
                params![id, qty_milli, weighted, now],
            )?;
            move_stock(
                ctx,
                &b,
                b.on_hand_milli + qty_milli,
                i.change,
                Some(i.reference_id),
                i.notes,
            )?;
            Ok(BatchInResult {
                batch_id: id,
                topped_up: true,
                cost_e4: weighted,
            })
        }
        None => Ok(BatchInResult {
            batch_id: put_new_batch(ctx, i)?,
            topped_up: false,
            cost_e4: cost,
        }),
    }
}

/// Creates the batch `i` describes, which the caller knows the store does
/// not have yet (no batch of that number for the product: [`put_in_batch`]
/// looked; the opening stock import checked the whole file against the
/// store's batches), with its stock event: the same row and the same event
/// as a batch created empty and then moved to its quantity, written in
/// fewer statements — the event first (a new batch has no earlier one to
/// link to), then the batch row holding its stock and naming that event.
/// The checks of every stock movement apply: the actor may move stock in
/// the store, and the store's stock is not frozen.
pub(crate) fn put_new_batch(ctx: &Ctx<'_>, i: &BatchIn<'_>) -> Result<BatchId> {
    ctx.check_store(i.store_id)?;
    ctx.check_not_frozen(i.store_id)?;
    if i.quantity_milli <= 0 {
        return Err(Error::internal("a new batch must receive stock"));
    }
    let id = BatchId::new();
    let seq = crate::audit::append_linked(
        ctx,
        crate::audit::NewEvent {
            store_id: i.store_id,
            batch_id: Some(id),
            product_id: Some(i.product_id),
            change_type: i.change,
            previous_milli: Some(0),
            new_milli: Some(i.quantity_milli),
            reference_id: Some(i.reference_id),
            notes: i.notes,
        },
        None,
    )?;
    ctx.tx
        .prepare_cached(
            "INSERT INTO batches (id, product_id, store_id, batch_number, serial_number, expiry_date, manufacture_date,
                                  initial_milli, on_hand_milli, cost_price_e4, supplier_id, purchase_receipt_id,
                                  received_date, location, last_event_seq, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
        )?
        .execute(params![
            id,
            i.product_id,
            i.store_id,
            i.batch_number,
            i.serial_number,
            i.expiry_date,
            i.manufacture_date,
            i.quantity_milli,
            i.cost_e4,
            i.supplier_id,
            i.purchase_receipt_id,
            i.received_date.to_string(),
            i.location,
            seq,
            ctx.now_str()
        ])?;
    Ok(id)
}

fn shown_expiry(e: &str) -> &str {
    if e == NO_EXPIRY {
        "none"
    } else {
        e
    }
}

/// Finds the purchase receipt for this supplier's reference number in this
/// store, or starts a new one.
pub(crate) fn purchase_receipt(
    ctx: &Ctx<'_>,
    store_id: &StoreId,
    supplier_id: SupplierId,
    reference: Option<&str>,
    today: &NaiveDate,
    notes: Option<&str>,
) -> Result<PurchaseReceiptId> {
    if let Some(r) = reference {
        let found: Option<PurchaseReceiptId> = ctx
            .tx
            .prepare_cached("SELECT id FROM purchase_receipts WHERE store_id = ?1 AND supplier_id = ?2 AND reference_number = ?3")?
            .query_row(params![store_id, supplier_id, r], |row| row.get(0))
            .optional()?;
        if let Some(id) = found {
            return Ok(id);
        }
    }
    let id = PurchaseReceiptId::new();
    let now = ctx.now_str();
    ctx.tx
        .prepare_cached(
            "INSERT INTO purchase_receipts (id, supplier_id, store_id, reference_number, received_date, notes, created_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        )?
        .execute(params![id, supplier_id, store_id, reference, today.to_string(), notes, ctx.actor.id, now])?;
    Ok(id)
}
