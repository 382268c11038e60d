//! Receiving a delivery: `parse_scan` reads what a pack's barcode says for
//! the receiving screen, and `receive_delivery` posts every line of one
//! supplier's delivery in one transaction — all lines or none.
//!
//! Why a delivery and not a loop over `receive_stock` in the UI: a driver
//! hands over one invoice, and a half-booked invoice (the third line
//! refused after two went in) leaves stock and the purchase receipt
//! disagreeing with the paper. Each line is still exactly one
//! `receive_stock` (same rules, same `receipt` event), run inside this
//! operation's transaction, so the two can never drift apart.

use super::receive::{CostPriceSource, ReceiveResult, ReceiveStock};
use super::{BatchRow, BatchStatus};
use crate::auth::Permission;
use crate::catalogue::barcodes::product_for_code;
use crate::catalogue::{optional_text, required_text};
use crate::gs1::Gs1Data;
use crate::ids::{BatchId, ProductId, PurchaseReceiptId, StoreId, SupplierId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::stock::allocate::shown_expiry;
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Most lines one delivery may carry.
pub const MAX_DELIVERY_LINES: usize = 500;

/// - The code is resolved to a product exactly as the till's `scan_barcode` does: first as a
///   store barcode as it is, then as GS1 (EAN/UPC, element string, bracket form), a GTIN
///   matching any of the product's 14/13/12/8-digit forms. No product: `not_found`; a
///   malformed code or wrong check digit: `invalid_input` (field `code`); a discontinued
///   product (no more stock comes in): `product_discontinued`.
/// - From the symbol: batch (AI 10), expiry (AI 17, day `00` = the month's last day),
///   manufacture date (AI 11), serial (AI 21) and count (AI 30/37), each `null` when absent.
/// - `known_batch` is the store's batch of that product with that number, when it holds one:
///   receiving it again tops it up when the expiry matches. `expiry_differs` says the pack's
///   expiry is not the batch's (`receive_stock` would refuse with `conflict`);
///   `pack_expired` says the pack's expiry is before the store's today (refused too).
/// - Reads only.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ParseScan {
    /// What the scanner sent (or a person typed): EAN/UPC, GS1 element string with ASCII 29
    /// separators, or the bracket form `(01)…(17)…(10)…`.
    pub code: String,
    /// Receiving store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

/// The product a delivery scan named.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ReceivingProduct {
    /// Id.
    pub id: ProductId,
    /// SKU.
    pub sku: String,
    /// Name.
    pub name: String,
    /// Unit of measure.
    pub unit: String,
    /// Fractions allowed.
    pub allow_fractional: bool,
    /// Every batch needs an expiry date.
    pub expiry_required: bool,
    /// The product's cost price (`null` when it has none), to suggest as the unit cost.
    pub cost_price: Option<Money>,
}

/// The store's batch the symbol named.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct KnownBatch {
    /// Id.
    pub batch_id: BatchId,
    /// Stored expiry (`null`: the batch never expires).
    pub expiry_date: Option<String>,
    /// Status.
    pub status: BatchStatus,
    /// On hand now.
    pub on_hand: Qty,
}

/// What a delivery scan says.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ParsedScan {
    /// The code as read (trimmed).
    pub code: String,
    /// The GS1 content (`null` when the code matched a store barcode that is not GS1).
    pub parsed: Option<Gs1Data>,
    /// The product.
    pub product: ReceivingProduct,
    /// Batch / lot number (AI 10).
    pub batch_number: Option<String>,
    /// Expiry date (AI 17), `YYYY-MM-DD`.
    pub expiry_date: Option<String>,
    /// Manufacture date (AI 11), `YYYY-MM-DD`.
    pub manufacture_date: Option<String>,
    /// Serial number (AI 21).
    pub serial_number: Option<String>,
    /// Count of units (AI 30 or 37).
    pub quantity: Option<Qty>,
    /// The store's batch of this product with this number, when there is one.
    pub known_batch: Option<KnownBatch>,
    /// The pack's expiry is before the store's today.
    pub pack_expired: bool,
    /// The pack's expiry differs from the known batch's.
    pub expiry_differs: bool,
}

impl Operation for ParseScan {
    const NAME: &'static str = "parse_scan";
    const SUMMARY: &'static str = "Read a delivery scan (EAN/UPC, GS1-128, DataMatrix, bracket form): product, batch, expiry, serial, for receiving";
    const PERMISSION: Permission = Permission::ReceiveStock;
    const WRITES: bool = false;
    type Output = ParsedScan;

    fn run(self, ctx: &Ctx<'_>) -> Result<ParsedScan> {
        let store = ctx.store(self.store_id)?;
        let today = ctx.today(&store);
        let code = self.code.trim().to_string();
        let (product_id, parsed) = product_for_code(ctx.tx, &code, today)?;
        let row = ctx
            .tx
            .prepare_cached(
                "SELECT sku, name, unit, allow_fractional, expiry_required, cost_price_e4, status, deleted_at IS NOT NULL
                   FROM products WHERE id = ?1",
            )?
            .query_row([product_id], |r| {
                Ok((
                    ReceivingProduct {
                        id: product_id,
                        sku: r.get(0)?,
                        name: r.get(1)?,
                        unit: r.get(2)?,
                        allow_fractional: r.get(3)?,
                        expiry_required: r.get(4)?,
                        cost_price: r
                            .get::<_, i64>(5)
                            .map(|c| (c > 0).then(|| Money::from_scaled(c)))?,
                    },
                    r.get::<_, String>(6)?,
                    r.get::<_, bool>(7)?,
                ))
            })
            .optional()?;
        let product = match row {
            Some((_, _, true)) | None => return Err(Error::not_found("product", product_id)),
            Some((p, status, false)) if status == "discontinued" => {
                return Err(Error::ProductDiscontinued {
                    product_id: p.id,
                    sku: p.sku,
                })
            }
            Some((p, _, false)) => p,
        };
        let gs1 = parsed.as_ref();
        let batch_number = gs1.and_then(|p| p.batch.clone());
        let expiry_date = gs1.and_then(|p| p.expiry_date.clone());
        let known_batch = match &batch_number {
            Some(n) => {
                let id: Option<BatchId> = ctx
                    .tx
                    .prepare_cached(
                        "SELECT id FROM batches WHERE store_id = ?1 AND product_id = ?2 AND batch_number = ?3",
                    )?
                    .query_row(params![store.id, product_id, n], |r| r.get(0))
                    .optional()?;
                id.map(|id| BatchRow::load(ctx.tx, id)).transpose()?
            }
            None => None,
        };
        let today_s = today.to_string();
        let pack_expired = expiry_date.as_deref().is_some_and(|e| e < today_s.as_str());
        let expiry_differs = match (&known_batch, &expiry_date) {
            (Some(b), Some(e)) => b.expiry_date != *e,
            _ => false,
        };
        Ok(ParsedScan {
            code,
            batch_number,
            expiry_date,
            manufacture_date: gs1.and_then(|p| p.manufacture_date.clone()),
            serial_number: gs1.and_then(|p| p.serial.clone()),
            quantity: gs1
                .and_then(|p| p.count)
                .and_then(|c| i64::try_from(c).ok())
                .map(Qty::from),
            known_batch: known_batch.map(|b| KnownBatch {
                batch_id: b.id,
                expiry_date: shown_expiry(&b.expiry_date),
                status: b.status,
                on_hand: Qty::from_scaled(b.on_hand_milli),
            }),
            pack_expired,
            expiry_differs,
            parsed,
            product,
        })
    }
}

/// One line of a delivery: what `receive_stock` takes for one batch, less what the
/// delivery says once (supplier, invoice, store).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct DeliveryLine {
    /// Product received.
    pub product_id: ProductId,
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
    /// Unit cost paid (omitted: the product's cost price; refused when it has none).
    #[ts(optional)]
    pub cost_price: Option<Money>,
    /// Storage location for this line (default: the delivery's).
    #[ts(optional)]
    pub location: Option<String>,
    /// Storage location (fridge, shelf) the lot goes into.
    #[ts(optional)]
    pub storage_location_id: Option<crate::ids::StorageLocationId>,
}

/// - One supplier's delivery, posted all or nothing: every line is received exactly as
///   `receive_stock` receives it (new batch or top-up, expiry and cost rules, one `receipt`
///   event each) in this one transaction; when any line is refused nothing is booked.
/// - `supplier_id` must exist (`not_found`) and be active (`supplier_inactive`);
///   `reference_number` (the supplier's invoice or delivery-note number) is required, and
///   every line joins that invoice's purchase receipt (one already booked under the same
///   supplier and number is continued: `invoice_total` then counts its earlier lines too).
/// - `lines` holds 1 to 500 lines, else `invalid_input` (field `lines`).
/// - A refused line is reported as `invalid_input` whose field is the line's field as a
///   path, `lines.<index>.<field>` (index from 0), and whose message starts `line <n>:`
///   with the reason `receive_stock` gave; the field is the one at fault: `product_id`
///   (unknown, deleted or discontinued product), `batch_number` (a batch that is recalled,
///   quarantined or damaged, or already recorded with another expiry), `quantity`,
///   `expiry_date` (missing, or before today), `manufacture_date`, `cost_price` (negative,
///   or missing when the product has none), `serial_number`, `location`.
/// - `total` is the delivery's value: the sum of each line's quantity × its unit cost (the
///   product's cost when the line gave none), each rounded to the money scale.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReceiveDelivery {
    /// Receiving store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Supplier (must exist and be active).
    pub supplier_id: SupplierId,
    /// The supplier's invoice / delivery-note number.
    pub reference_number: String,
    /// Storage location for every line that names none.
    #[ts(optional)]
    pub location: Option<String>,
    /// Notes, kept with the purchase receipt and every line's event.
    #[ts(optional)]
    pub notes: Option<String>,
    /// The lines, in the order entered.
    pub lines: Vec<DeliveryLine>,
}

/// What `receive_delivery` booked.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct DeliveryReceived {
    /// The purchase receipt every line joined.
    pub purchase_receipt_id: PurchaseReceiptId,
    /// Supplier.
    pub supplier_id: SupplierId,
    /// Invoice / delivery-note number.
    pub reference_number: String,
    /// Each line as `receive_stock` reports it, in the request's order.
    pub lines: Vec<ReceiveResult>,
    /// This delivery's value (Σ quantity × unit cost).
    pub total: Money,
    /// The purchase receipt's total after this delivery (earlier deliveries under the same
    /// invoice number included).
    pub invoice_total: Money,
}

impl Operation for ReceiveDelivery {
    const NAME: &'static str = "receive_delivery";
    const SUMMARY: &'static str =
        "Receive a supplier's delivery (invoice number once, then lines) all or nothing";
    const PERMISSION: Permission = Permission::ReceiveStock;
    const WRITES: bool = true;
    type Output = DeliveryReceived;

    fn run(self, ctx: &Ctx<'_>) -> Result<DeliveryReceived> {
        let store = ctx.store(self.store_id)?;
        let reference = required_text("reference_number", &self.reference_number, 64)?;
        let location = optional_text("location", self.location.as_deref(), 64)?;
        if self.lines.is_empty() {
            return Err(Error::invalid(
                "lines",
                "a delivery needs at least one line",
            ));
        }
        if self.lines.len() > MAX_DELIVERY_LINES {
            return Err(Error::invalid(
                "lines",
                format!("a delivery holds at most {MAX_DELIVERY_LINES} lines; split it"),
            ));
        }
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
        let mut lines = Vec::with_capacity(self.lines.len());
        let mut total = Money::ZERO;
        for (i, line) in self.lines.into_iter().enumerate() {
            let quantity = line.quantity;
            let requested_cost = line.cost_price;
            let received = ReceiveStock {
                product_id: line.product_id,
                store_id: Some(store.id),
                batch_number: line.batch_number,
                quantity,
                expiry_date: line.expiry_date,
                manufacture_date: line.manufacture_date,
                serial_number: line.serial_number,
                cost_price: line.cost_price,
                supplier_id: self.supplier_id,
                reference_number: Some(reference.clone()),
                location: line.location.or_else(|| location.clone()),
                storage_location_id: line.storage_location_id,
                notes: self.notes.clone(),
            }
            .run(ctx)
            .map_err(|e| at_line(i, e))?;
            let unit_cost = match (received.cost_price_source, requested_cost) {
                (CostPriceSource::Request, Some(c)) => c,
                _ => Money::from_scaled(
                    ctx.tx
                        .prepare_cached("SELECT cost_price_e4 FROM products WHERE id = ?1")?
                        .query_row([received.product_id], |r| r.get(0))?,
                ),
            };
            total = total + unit_cost.times(received.quantity);
            lines.push(received);
        }
        let purchase_receipt_id = lines
            .first()
            .map(|l| l.purchase_receipt_id)
            .ok_or_else(|| Error::internal("a delivery booked no line"))?;
        let invoice_total: i64 = ctx
            .tx
            .prepare_cached("SELECT total_amount_e4 FROM purchase_receipts WHERE id = ?1")?
            .query_row([purchase_receipt_id], |r| r.get(0))?;
        Ok(DeliveryReceived {
            purchase_receipt_id,
            supplier_id: self.supplier_id,
            reference_number: reference,
            lines,
            total,
            invoice_total: Money::from_scaled(invoice_total),
        })
    }
}

/// A line's refusal as `invalid_input` at that line's field (see [`ReceiveDelivery`]);
/// storage and internal failures pass through as they are.
pub(crate) fn at_line(i: usize, e: Error) -> Error {
    let field = match &e {
        Error::InvalidInput { field, .. } => field.clone().unwrap_or_else(|| "line".into()),
        Error::NotFound {
            entity: "product", ..
        }
        | Error::ProductDeleted { .. }
        | Error::ProductDiscontinued { .. }
        | Error::ProductPendingApproval { .. } => "product_id".into(),
        Error::NoCostPrice { .. } => "cost_price".into(),
        // No batch id: the pack itself is past its expiry.
        Error::BatchNotSellable { batch_id: None, .. } => "expiry_date".into(),
        Error::BatchNotSellable { .. } | Error::Conflict { .. } => "batch_number".into(),
        _ => return e,
    };
    Error::InvalidInput {
        message: format!("line {}: {e}", i + 1),
        field: Some(format!("lines.{i}.{field}")),
    }
}
