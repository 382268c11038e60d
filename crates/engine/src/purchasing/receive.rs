//! `receive_purchase_order`: a delivery against an order, in parts, line by
//! line. Accepted units go in exactly as `receive_stock` puts them (it runs
//! here, in this transaction: batch created or topped up, purchase receipt,
//! `receipt` event); damaged and rejected units are recorded on the
//! receiving line and never enter stock. The order's status is then
//! computed from the sums of its receiving lines.

use super::{load, record, Head, PurchaseOrder, PurchaseOrderStatus};
use crate::audit::ChangeType;
use crate::auth::Permission;
use crate::catalogue::barcodes::product_for_code;
use crate::catalogue::optional_text;
use crate::catalogue::products::ProductRules;
use crate::catalogue::stores::StoreInfo;
use crate::ids::{
    ProductId, PurchaseOrderId, PurchaseOrderItemId, ReceivingLineId, ReceivingRecordId,
};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::stock::delivery::at_line;
use crate::stock::receive::ReceiveStock;
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::params;
use serde::Deserialize;
use std::collections::HashMap;
use ts_rs::TS;

/// Most lines one receipt may carry.
pub const MAX_RECEIPT_LINES: usize = 500;

/// One line of a receipt: what arrived of one ordered line, from one batch.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct OrderReceiptLine {
    /// The ordered line (default: the order's line for the product `scan` names).
    #[ts(optional)]
    pub item_id: Option<PurchaseOrderItemId>,
    /// What the scanner read off the pack (GS1 or a store barcode, as `parse_scan` reads
    /// it): fills the product, batch number, expiry, manufacture date and quantity the line
    /// does not give.
    #[ts(optional)]
    pub scan: Option<String>,
    /// Batch (lot) number printed on the pack (required when units are accepted).
    #[ts(optional)]
    pub batch_number: Option<String>,
    /// Expiry date (required unless the product does not track expiry).
    #[ts(optional, type = "string")]
    pub expiry_date: Option<NaiveDate>,
    /// Manufacture date.
    #[ts(optional, type = "string")]
    pub manufacture_date: Option<NaiveDate>,
    /// Unit cost paid (default: the ordered line's unit cost after its discount).
    #[ts(optional)]
    pub cost_price: Option<Money>,
    /// Units accepted into stock (default: the scan's count, else 0).
    #[ts(optional)]
    pub quantity: Option<Qty>,
    /// Units that arrived damaged (recorded, not stocked).
    #[ts(optional)]
    pub damaged: Option<Qty>,
    /// Units refused (recorded, not stocked).
    #[ts(optional)]
    pub rejected: Option<Qty>,
}

/// Receives a delivery against an order that is `submitted`, `confirmed`, `shipped` or
/// `partial_received` (`conflict` otherwise), all lines or none.
/// - Permission `receive_stock` in the order's store.
/// - 1–500 `lines`. Each names its ordered line by `item_id`, or by a `scan` of the pack
///   (a product not on the order, or another product than the line's, is `invalid_input`).
///   The scan fills what the line leaves out: batch (AI 10), expiry (AI 17), manufacture
///   date (AI 11) and count (AI 30/37).
/// - `quantity` (accepted), `damaged` and `rejected` are ≥ 0, whole unless the product
///   allows fractions, and not all 0. Accepted units are received exactly as
///   `receive_stock` receives them — batch number required, expiry required unless the
///   product does not track it, an expiry before the store's today refused, same batch
///   number and expiry tops the batch up — with the supplier of the order, the unit cost
///   given (default: the ordered line's unit cost after its discount) and the reference
///   `<order label>-R<n>` (one purchase receipt per receipt). A refused line is
///   `invalid_input` at `lines.<i>.<field>`, as `receive_delivery` reports it.
/// - Damaged and rejected units never enter stock; they count against the vendor's quality.
/// - Over-receipt — accepted units of a line beyond what it ordered, this receipt's lines
///   and earlier receipts together — is refused (`invalid_input` at `lines.<i>.quantity`)
///   unless `allow_over_receipt` is true and the user is a manager of the store
///   (`manage_stock`; `forbidden` otherwise).
/// - Afterwards the order is `received` when every line's accepted units reach what it
///   ordered (its `actual_delivery_date` is today), else `partial_received`.
/// - One receiving record (who, when, notes, lines); one `receipt` event per accepted line
///   and a `purchase_order_received` event.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReceivePurchaseOrder {
    /// The order.
    pub purchase_order_id: PurchaseOrderId,
    /// What arrived.
    pub lines: Vec<OrderReceiptLine>,
    /// Notes, kept with the receiving record.
    #[ts(optional)]
    pub notes: Option<String>,
    /// Accept more than ordered (managers only).
    #[ts(optional)]
    pub allow_over_receipt: Option<bool>,
}

/// An ordered line as receiving needs it.
struct Item {
    id: PurchaseOrderItemId,
    product: ProductId,
    ordered: i64,
    received: i64,
    net_cost_e4: i64,
}

/// A receipt line once checked.
struct Checked {
    item: PurchaseOrderItemId,
    product: ProductRules,
    batch_number: Option<String>,
    expiry: Option<NaiveDate>,
    manufacture: Option<NaiveDate>,
    cost_e4: i64,
    accepted: i64,
    damaged: i64,
    rejected: i64,
}

fn qty(product: &ProductRules, field: &str, q: Option<Qty>) -> Result<i64> {
    match q {
        None => Ok(0),
        Some(q) if q.is_zero() => Ok(0),
        Some(q) => product.quantity(field, q),
    }
}

fn date(field: &str, s: Option<&String>) -> Result<Option<NaiveDate>> {
    s.map(|s| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| Error::invalid(field, format!("the scan's date '{s}' is not a date")))
    })
    .transpose()
}

impl Operation for ReceivePurchaseOrder {
    const NAME: &'static str = "receive_purchase_order";
    const SUMMARY: &'static str = "Receive a delivery against a purchase order, line by line (batch, expiry, cost; damaged and rejected recorded)";
    const PERMISSION: Permission = Permission::ReceiveStock;
    const WRITES: bool = true;
    type Output = PurchaseOrder;

    fn run(self, ctx: &Ctx<'_>) -> Result<PurchaseOrder> {
        let h = Head::load(ctx, self.purchase_order_id)?;
        h.expect(
            "received",
            &[
                PurchaseOrderStatus::Submitted,
                PurchaseOrderStatus::Confirmed,
                PurchaseOrderStatus::Shipped,
                PurchaseOrderStatus::PartialReceived,
            ],
        )?;
        let allow_over = self.allow_over_receipt.unwrap_or(false);
        if allow_over {
            ctx.require(Permission::ManageStock)?;
        }
        if self.lines.is_empty() || self.lines.len() > MAX_RECEIPT_LINES {
            return Err(Error::invalid(
                "lines",
                format!("a receipt has 1 to {MAX_RECEIPT_LINES} lines"),
            ));
        }
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?;
        let store = StoreInfo::load(ctx.tx, h.store)?;
        let today = ctx.today(&store);
        let mut items: HashMap<PurchaseOrderItemId, Item> = HashMap::new();
        {
            let mut stmt = ctx.tx.prepare_cached(
                "SELECT i.id, i.product_id, i.quantity_milli, i.line_total_e4,
                        (SELECT COALESCE(SUM(l.accepted_milli), 0) FROM receiving_lines l WHERE l.item_id = i.id)
                   FROM purchase_order_items i WHERE i.order_id = ?1",
            )?;
            let rows = stmt.query_map([h.id], |r| {
                let ordered: i64 = r.get(2)?;
                let total: i64 = r.get(3)?;
                // The line's unit cost after its discount, half up to the money scale.
                let net = (2 * i128::from(total) * 1000 + i128::from(ordered))
                    / (2 * i128::from(ordered.max(1)));
                Ok(Item {
                    id: r.get(0)?,
                    product: r.get(1)?,
                    ordered,
                    received: r.get(4)?,
                    net_cost_e4: i64::try_from(net).unwrap_or(i64::MAX),
                })
            })?;
            for row in rows {
                let item = row?;
                items.insert(item.id, item);
            }
        }
        let mut checked = Vec::with_capacity(self.lines.len());
        for (i, line) in self.lines.iter().enumerate() {
            let field = |f: &str| format!("lines.{i}.{f}");
            let scanned = match &line.scan {
                Some(code) => {
                    let code = code.trim();
                    // An unknown or malformed code is the line's fault; storage
                    // failures pass through as they are.
                    let (product, gs1) =
                        product_for_code(ctx.tx, code, today).map_err(|e| match e {
                            Error::InvalidInput { .. } | Error::NotFound { .. } => {
                                Error::invalid(&field("scan"), format!("line {}: {e}", i + 1))
                            }
                            e => e,
                        })?;
                    Some((product, gs1))
                }
                None => None,
            };
            let item = match (line.item_id, &scanned) {
                (Some(id), _) => items.get(&id).ok_or_else(|| {
                    Error::invalid(
                        &field("item_id"),
                        format!("line {}: not a line of this order", i + 1),
                    )
                })?,
                (None, Some((product, _))) => items
                    .values()
                    .find(|it| it.product == *product)
                    .ok_or_else(|| {
                        Error::invalid(
                            &field("scan"),
                            format!("line {}: the scanned product is not on this order", i + 1),
                        )
                    })?,
                (None, None) => {
                    return Err(Error::invalid(
                        &field("item_id"),
                        format!(
                            "line {}: name the ordered line (item_id) or scan the pack",
                            i + 1
                        ),
                    ))
                }
            };
            if let Some((product, _)) = &scanned {
                if *product != item.product {
                    return Err(Error::invalid(
                        &field("scan"),
                        format!(
                            "line {}: the scanned pack is another product than the ordered line's",
                            i + 1
                        ),
                    ));
                }
            }
            let gs1 = scanned.and_then(|(_, g)| g);
            let product = ProductRules::load(ctx.tx, item.product)?;
            let scan_count = gs1
                .as_ref()
                .and_then(|g| g.count)
                .and_then(|c| i64::try_from(c).ok())
                .map(Qty::from);
            let accepted = qty(&product, &field("quantity"), line.quantity.or(scan_count))?;
            let damaged = qty(&product, &field("damaged"), line.damaged)?;
            let rejected = qty(&product, &field("rejected"), line.rejected)?;
            if accepted + damaged + rejected == 0 {
                return Err(Error::invalid(
                    &field("quantity"),
                    format!("line {}: nothing accepted, damaged or rejected", i + 1),
                ));
            }
            let cost_e4 = match line.cost_price {
                Some(c) if c.is_negative() => {
                    return Err(Error::invalid(
                        &field("cost_price"),
                        format!("line {}: cost price cannot be negative", i + 1),
                    ))
                }
                Some(c) => c.to_scaled(&field("cost_price"))?,
                None => item.net_cost_e4,
            };
            let batch_number = line
                .batch_number
                .clone()
                .or_else(|| gs1.as_ref().and_then(|g| g.batch.clone()));
            let expiry = match line.expiry_date {
                Some(d) => Some(d),
                None => date(
                    &field("scan"),
                    gs1.as_ref().and_then(|g| g.expiry_date.as_ref()),
                )?,
            };
            let manufacture = match line.manufacture_date {
                Some(d) => Some(d),
                None => date(
                    &field("scan"),
                    gs1.as_ref().and_then(|g| g.manufacture_date.as_ref()),
                )?,
            };
            if accepted > 0 && batch_number.as_deref().is_none_or(|b| b.trim().is_empty()) {
                return Err(Error::invalid(
                    &field("batch_number"),
                    format!(
                        "line {}: accepted units need the batch number on the pack",
                        i + 1
                    ),
                ));
            }
            checked.push(Checked {
                item: item.id,
                product,
                batch_number,
                expiry,
                manufacture,
                cost_e4,
                accepted,
                damaged,
                rejected,
            });
        }
        // Over-receipt: this receipt's lines and earlier receipts together.
        let mut running: HashMap<PurchaseOrderItemId, i64> = HashMap::new();
        for (i, c) in checked.iter().enumerate() {
            let Some(item) = items.get(&c.item) else {
                continue;
            };
            let sum = running.entry(c.item).or_insert(item.received);
            *sum += c.accepted;
            if *sum > item.ordered && !allow_over {
                return Err(Error::invalid(
                    &format!("lines.{i}.quantity"),
                    format!(
                        "line {}: accepting {} {} of {} would make {} received against {} ordered (over-receipt); a manager may allow it with allow_over_receipt",
                        i + 1,
                        Qty::from_scaled(c.accepted),
                        c.product.unit,
                        c.product.sku,
                        Qty::from_scaled(*sum),
                        Qty::from_scaled(item.ordered)
                    ),
                ));
            }
        }
        let o = load(ctx, h.id)?;
        let number: i64 = ctx.tx.query_row(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM receiving_records WHERE order_id = ?1",
            [h.id],
            |r| r.get(0),
        )?;
        let record_id = ReceivingRecordId::new();
        ctx.tx.execute(
            "INSERT INTO receiving_records (id, order_id, store_id, number, received_date, received_by, received_at, notes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![record_id, h.id, h.store, number, today.to_string(), ctx.actor.id, ctx.now_str(), notes],
        )?;
        let reference = format!("{}-R{number}", o.label);
        let mut purchase_receipt = None;
        for (i, c) in checked.into_iter().enumerate() {
            let (batch, event, stored_expiry) = if c.accepted > 0 {
                let received = ReceiveStock {
                    product_id: c.product.id,
                    store_id: Some(h.store),
                    batch_number: c.batch_number.clone().unwrap_or_default(),
                    quantity: Qty::from_scaled(c.accepted),
                    expiry_date: c.expiry,
                    manufacture_date: c.manufacture,
                    serial_number: None,
                    cost_price: Some(Money::from_scaled(c.cost_e4)),
                    supplier_id: h.supplier,
                    reference_number: Some(reference.clone()),
                    location: None,
                    storage_location_id: None,
                    notes: notes.clone(),
                }
                .run(ctx)
                .map_err(|e| at_line(i, e))?;
                purchase_receipt.get_or_insert(received.purchase_receipt_id);
                (
                    Some(received.batch_id),
                    Some(received.receipt_id),
                    received.expiry_date,
                )
            } else {
                (None, None, c.expiry.map(|d| d.to_string()))
            };
            ctx.tx
                .prepare_cached(
                    "INSERT INTO receiving_lines (id, record_id, order_id, item_id, batch_id, batch_number, expiry_date,
                                                  cost_e4, accepted_milli, damaged_milli, rejected_milli, receipt_event_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )?
                .execute(params![
                    ReceivingLineId::new(),
                    record_id,
                    h.id,
                    c.item,
                    batch,
                    c.batch_number.map(|b| b.trim().to_string()),
                    stored_expiry,
                    c.cost_e4,
                    c.accepted,
                    c.damaged,
                    c.rejected,
                    event.map(|e| e.to_string())
                ])?;
        }
        ctx.tx.execute(
            "UPDATE receiving_records SET purchase_receipt_id = ?2 WHERE id = ?1",
            params![record_id, purchase_receipt],
        )?;
        let short: i64 = ctx.tx.query_row(
            "SELECT COUNT(*) FROM purchase_order_items i
              WHERE i.order_id = ?1
                AND (SELECT COALESCE(SUM(l.accepted_milli), 0) FROM receiving_lines l WHERE l.item_id = i.id) < i.quantity_milli",
            [h.id],
            |r| r.get(0),
        )?;
        if short == 0 {
            ctx.tx.execute(
                "UPDATE purchase_orders SET status = 'received', received_at = ?2, actual_delivery_date = ?3, updated_at = ?2
                  WHERE id = ?1",
                params![h.id, ctx.now_str(), today.to_string()],
            )?;
        } else {
            ctx.tx.execute(
                "UPDATE purchase_orders SET status = 'partial_received', updated_at = ?2 WHERE id = ?1",
                params![h.id, ctx.now_str()],
            )?;
        }
        let o = load(ctx, h.id)?;
        record(
            ctx,
            ChangeType::PurchaseOrderReceived,
            &o,
            Some(serde_json::json!({ "receipt": number, "reference": reference })),
        )?;
        Ok(o)
    }
}
