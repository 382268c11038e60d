//! Purchasing: orders to vendors and the receipts booked against them
//! (seed 000's Vendor, PurchaseOrder, PurchaseOrderItem and
//! ReceivingRecord; issue 14).
//!
//! Vendors are the `suppliers` of the catalogue (one table for seed 003's
//! suppliers and seed 000's vendors): an order names a supplier, and a
//! vendor's performance is computed from its orders' history
//! ([`GetVendorPerformance`]), never from the figures entered on the
//! supplier, which stay as entered.
//!
//! The workflow, each step one transaction with its event in the ordering
//! store's record:
//! `draft` → (`pending_approval` →) `submitted` → `confirmed` → `shipped` →
//! `partial_received` → `received`, or `cancelled`. An order whose total is
//! over the store's purchase-order limit waits in `pending_approval` for a
//! manager (the core approval service, [`crate::approval`]); a rejected one
//! goes back to `draft` with the reason. Cancelling a partly received order
//! is "cancel the rest": it is closed as `received` with what came, its
//! cancel reason kept and `closed_short` set.
//!
//! Receiving is the same code as `receive_stock` (each accepted line is one
//! [`ReceiveStock`](crate::stock::receive::ReceiveStock) run in this
//! transaction: batch created or topped up, purchase receipt, `receipt`
//! event). What a line received is never a stored counter: it is the sum of
//! its receiving lines, and the order's status is computed from those sums
//! after every receipt.

mod draft;
mod limit;
mod queries;
mod receive;
mod workflow;

pub use draft::{
    CreatePurchaseOrder, DraftOrdersFromReorder, DraftedOrders, NewOrderLine, SkippedProduct,
    UpdatePurchaseOrder,
};
pub use limit::{PurchaseOrderLimit, SetPurchaseOrderLimit};
pub use queries::{
    GetPurchaseOrder, GetVendorPerformance, ListPurchaseOrders, PurchaseOrderPage,
    PurchaseOrderSummary, VendorPerformance,
};
pub use receive::{OrderReceiptLine, ReceivePurchaseOrder};
pub use workflow::{
    ApprovePurchaseOrder, CancelPurchaseOrder, ConfirmPurchaseOrder, RejectPurchaseOrder,
    ShipPurchaseOrder, SubmitPurchaseOrder,
};

use crate::audit::{self, ChangeType, Payload};
use crate::ids::{
    BatchId, ProductId, PurchaseOrderId, PurchaseOrderItemId, PurchaseReceiptId, ReceivingLineId,
    ReceivingRecordId, StoreId, SupplierId, UserId,
};
use crate::num::{Money, Qty};
use crate::op::Ctx;
use crate::stock::NO_EXPIRY;
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension, Row};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a purchase order stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PurchaseOrderStatus {
    /// Being put together; lines may change.
    Draft,
    /// Submitted over the store's limit: waits for a manager.
    PendingApproval,
    /// Sent to the vendor.
    Submitted,
    /// The vendor confirmed it (expected date).
    Confirmed,
    /// The vendor shipped it (carrier, tracking).
    Shipped,
    /// Some lines received, some still expected.
    PartialReceived,
    /// Every line received in full, or the rest cancelled (`closed_short`).
    Received,
    /// Cancelled before anything arrived.
    Cancelled,
}

impl PurchaseOrderStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            PurchaseOrderStatus::Draft => "draft",
            PurchaseOrderStatus::PendingApproval => "pending_approval",
            PurchaseOrderStatus::Submitted => "submitted",
            PurchaseOrderStatus::Confirmed => "confirmed",
            PurchaseOrderStatus::Shipped => "shipped",
            PurchaseOrderStatus::PartialReceived => "partial_received",
            PurchaseOrderStatus::Received => "received",
            PurchaseOrderStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Result<PurchaseOrderStatus> {
        serde_json::from_value(serde_json::Value::String(s.to_string()))
            .map_err(|_| Error::internal(format!("unknown purchase order status '{s}'")))
    }
}

/// How a line's discount is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LineDiscountKind {
    /// A percentage of the line's gross (quantity × unit cost).
    Percent,
    /// A fixed amount off the line.
    Fixed,
}

/// One ordered line and what its receipts say.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct PurchaseOrderItem {
    /// Id (a receipt line names it).
    pub id: PurchaseOrderItemId,
    /// Line number (1, 2, …).
    #[ts(type = "number")]
    pub line_no: i64,
    /// Product.
    pub product_id: ProductId,
    /// Its SKU.
    pub sku: String,
    /// Its name.
    pub product_name: String,
    /// Its unit.
    pub unit: String,
    /// Quantity ordered.
    pub ordered: Qty,
    /// Unit cost agreed.
    pub unit_cost: Money,
    /// How the discount is given (none: no discount).
    pub discount_kind: Option<LineDiscountKind>,
    /// The percentage, or the fixed amount.
    #[ts(type = "string | null")]
    pub discount_value: Option<Decimal>,
    /// Quantity × unit cost, rounded to the money scale.
    pub gross: Money,
    /// The discount in money.
    pub discount: Money,
    /// Gross − discount.
    pub line_total: Money,
    /// Accepted into stock so far (sum of its receiving lines).
    pub received: Qty,
    /// Recorded damaged on receipt (never entered stock).
    pub damaged: Qty,
    /// Refused on receipt (never entered stock).
    pub rejected: Qty,
    /// Still expected: ordered − received (0 once over-received or the order is closed).
    pub pending: Qty,
}

/// One line of a receipt.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ReceivingLine {
    /// Id.
    pub id: ReceivingLineId,
    /// The ordered line.
    pub item_id: PurchaseOrderItemId,
    /// Product.
    pub product_id: ProductId,
    /// Its name.
    pub product_name: String,
    /// The batch the accepted units went into (none when nothing was accepted).
    pub batch_id: Option<BatchId>,
    /// Batch number.
    pub batch_number: Option<String>,
    /// Expiry (none: the batch never expires or nothing was accepted).
    pub expiry_date: Option<String>,
    /// Unit cost booked.
    pub cost_price: Money,
    /// Accepted into stock.
    pub accepted: Qty,
    /// Damaged.
    pub damaged: Qty,
    /// Rejected.
    pub rejected: Qty,
}

/// One receipt against an order (seed 000's ReceivingRecord).
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ReceivingRecord {
    /// Id.
    pub id: ReceivingRecordId,
    /// Receipt number within the order (1, 2, …).
    #[ts(type = "number")]
    pub number: i64,
    /// The store's local date.
    pub received_date: String,
    /// Who booked it.
    pub received_by: UserId,
    /// Their name.
    pub received_by_name: Option<String>,
    /// When.
    pub received_at: String,
    /// The purchase receipt its stock joined (none when nothing was accepted).
    pub purchase_receipt_id: Option<PurchaseReceiptId>,
    /// Notes.
    pub notes: Option<String>,
    /// Its lines.
    pub lines: Vec<ReceivingLine>,
}

/// A purchase order with its lines and receipts.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct PurchaseOrder {
    /// Id.
    pub id: PurchaseOrderId,
    /// Number, per store (1, 2, …).
    #[ts(type = "number")]
    pub number: i64,
    /// The store's code and the number ("LEK-01-PO0001").
    pub label: String,
    /// Ordering store.
    pub store_id: StoreId,
    /// Vendor (a supplier of the catalogue).
    pub supplier_id: SupplierId,
    /// Its name.
    pub supplier_name: String,
    /// Where it stands.
    pub status: PurchaseOrderStatus,
    /// The store's local date it went to the vendor (once submitted).
    pub order_date: Option<String>,
    /// When the vendor expects to deliver.
    pub expected_date: Option<String>,
    /// The date of the receipt that completed it.
    pub actual_delivery_date: Option<String>,
    /// Carrier.
    pub carrier: Option<String>,
    /// Tracking number.
    pub tracking_number: Option<String>,
    /// The vendor's own reference (given when confirmed).
    pub vendor_reference: Option<String>,
    /// `unpaid`, `partially_paid` or `paid` (recorded, not yet settled here).
    pub payment_status: String,
    /// Payment terms (default: the supplier's).
    pub payment_terms: Option<String>,
    /// Notes for the store's staff.
    pub internal_notes: Option<String>,
    /// Notes for the vendor.
    pub vendor_notes: Option<String>,
    /// Σ lines' gross.
    pub subtotal: Money,
    /// Σ lines' discounts.
    pub line_discounts: Money,
    /// The order's own discount.
    pub order_discount: Money,
    /// Tax.
    pub tax: Money,
    /// Shipping.
    pub shipping: Money,
    /// subtotal − line discounts − order discount + tax + shipping.
    pub total: Money,
    /// Cancelled with the rest not received: closed as `received` short.
    pub closed_short: bool,
    /// Who drafted it.
    pub created_by: UserId,
    /// When.
    pub created_at: String,
    /// Who submitted it.
    pub submitted_by: Option<UserId>,
    /// When.
    pub submitted_at: Option<String>,
    /// Who approved it (over the limit), or the manager who submitted it.
    pub approved_by: Option<UserId>,
    /// When.
    pub approved_at: Option<String>,
    /// Who last sent it back to draft.
    pub rejected_by: Option<UserId>,
    /// When.
    pub rejected_at: Option<String>,
    /// Why.
    pub reject_reason: Option<String>,
    /// Who recorded the vendor's confirmation.
    pub confirmed_by: Option<UserId>,
    /// When.
    pub confirmed_at: Option<String>,
    /// Who recorded the shipment.
    pub shipped_by: Option<UserId>,
    /// When.
    pub shipped_at: Option<String>,
    /// When it became `received`.
    pub received_at: Option<String>,
    /// Who cancelled it (or cancelled the rest).
    pub cancelled_by: Option<UserId>,
    /// When.
    pub cancelled_at: Option<String>,
    /// Why.
    pub cancel_reason: Option<String>,
    /// The ordered lines.
    pub items: Vec<PurchaseOrderItem>,
    /// The receipts, oldest first.
    pub receipts: Vec<ReceivingRecord>,
}

/// The fields every transition checks.
pub(crate) struct Head {
    pub id: PurchaseOrderId,
    pub number: i64,
    pub store: StoreId,
    pub supplier: SupplierId,
    pub status: PurchaseOrderStatus,
    pub total_e4: i64,
}

impl Head {
    /// Loads the order and checks the actor may run the operation in its store.
    pub(crate) fn load(ctx: &Ctx<'_>, id: PurchaseOrderId) -> Result<Head> {
        let row = ctx
            .tx
            .prepare_cached(
                "SELECT number, store_id, supplier_id, status, total_e4 FROM purchase_orders WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, StoreId>(1)?,
                    r.get::<_, SupplierId>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            })
            .optional()?;
        let (number, store, supplier, status, total_e4) =
            row.ok_or_else(|| Error::not_found("purchase_order", id))?;
        ctx.check_store(store)?;
        Ok(Head {
            id,
            number,
            store,
            supplier,
            status: PurchaseOrderStatus::parse(&status)?,
            total_e4,
        })
    }

    /// Refuses the step (`conflict`) unless the order is in one of `allowed`.
    pub(crate) fn expect(&self, action: &str, allowed: &[PurchaseOrderStatus]) -> Result<()> {
        if allowed.contains(&self.status) {
            return Ok(());
        }
        let wanted: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
        Err(Error::conflict(format!(
            "purchase order {} is {}; only an order that is {} can be {action}",
            self.number,
            self.status.as_str(),
            wanted.join(" or ")
        )))
    }

    /// Sets the status, stamping who and when in `<step>_by`/`<step>_at`.
    pub(crate) fn set_status(
        &self,
        ctx: &Ctx<'_>,
        status: PurchaseOrderStatus,
        step: &str,
    ) -> Result<()> {
        ctx.tx.execute(
            &format!(
                "UPDATE purchase_orders SET status = ?2, updated_at = ?3, {step}_by = ?4, {step}_at = ?3 WHERE id = ?1"
            ),
            params![self.id, status.as_str(), ctx.now_str(), ctx.actor.id],
        )?;
        Ok(())
    }
}

/// Checks the supplier exists (`not_found`) and is active (`supplier_inactive`).
pub(crate) fn check_supplier(ctx: &Ctx<'_>, id: SupplierId) -> Result<()> {
    let row: Option<(String, bool)> = ctx
        .tx
        .prepare_cached("SELECT name, is_active FROM suppliers WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        None => Err(Error::not_found("supplier", id)),
        Some((name, false)) => Err(Error::SupplierInactive {
            supplier_id: id,
            name,
        }),
        Some(_) => Ok(()),
    }
}

/// Records a step as an event of the order's store, with the order as it
/// now stands (and `extra` facts) as its document.
pub(crate) fn record(
    ctx: &Ctx<'_>,
    kind: ChangeType,
    o: &PurchaseOrder,
    extra: Option<serde_json::Value>,
) -> Result<()> {
    let data = serde_json::json!({ "purchase_order": o, "this": extra });
    let payload = Payload::about("purchase_order", o.id, o.label.clone()).with_data(data)?;
    audit::record(ctx, o.store_id, kind, &payload).map(|_| ())
}

fn label(code: &str, number: i64) -> String {
    format!("{code}-PO{number:04}")
}

fn status_of(r: &Row<'_>, i: usize) -> rusqlite::Result<PurchaseOrderStatus> {
    let s: String = r.get(i)?;
    PurchaseOrderStatus::parse(&s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn discount_kind_of(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<LineDiscountKind>> {
    let s: Option<String> = r.get(i)?;
    Ok(match s.as_deref() {
        Some("percent") => Some(LineDiscountKind::Percent),
        Some("fixed") => Some(LineDiscountKind::Fixed),
        _ => None,
    })
}

/// Loads a whole order (no permission check: callers checked its store).
pub(crate) fn load(ctx: &Ctx<'_>, id: PurchaseOrderId) -> Result<PurchaseOrder> {
    let mut o = ctx
        .tx
        .prepare_cached(
            "SELECT o.id, o.number, s.code, o.store_id, o.supplier_id, su.name, o.status, o.order_date,
                    o.expected_date, o.actual_delivery_date, o.carrier, o.tracking_number, o.vendor_reference,
                    o.payment_status, o.payment_terms, o.internal_notes, o.vendor_notes, o.subtotal_e4,
                    o.line_discount_e4, o.order_discount_e4, o.tax_e4, o.shipping_e4, o.total_e4, o.created_by,
                    o.created_at, o.submitted_by, o.submitted_at, o.approved_by, o.approved_at, o.rejected_by,
                    o.rejected_at, o.reject_reason, o.confirmed_by, o.confirmed_at, o.shipped_by, o.shipped_at,
                    o.received_at, o.cancelled_by, o.cancelled_at, o.cancel_reason
               FROM purchase_orders o JOIN stores s ON s.id = o.store_id JOIN suppliers su ON su.id = o.supplier_id
              WHERE o.id = ?1",
        )?
        .query_row([id], |r| {
            let code: String = r.get(2)?;
            let number: i64 = r.get(1)?;
            let status = status_of(r, 6)?;
            let cancel_reason: Option<String> = r.get(39)?;
            Ok(PurchaseOrder {
                id: r.get(0)?,
                number,
                label: label(&code, number),
                store_id: r.get(3)?,
                supplier_id: r.get(4)?,
                supplier_name: r.get(5)?,
                status,
                order_date: r.get(7)?,
                expected_date: r.get(8)?,
                actual_delivery_date: r.get(9)?,
                carrier: r.get(10)?,
                tracking_number: r.get(11)?,
                vendor_reference: r.get(12)?,
                payment_status: r.get(13)?,
                payment_terms: r.get(14)?,
                internal_notes: r.get(15)?,
                vendor_notes: r.get(16)?,
                subtotal: Money::from_scaled(r.get(17)?),
                line_discounts: Money::from_scaled(r.get(18)?),
                order_discount: Money::from_scaled(r.get(19)?),
                tax: Money::from_scaled(r.get(20)?),
                shipping: Money::from_scaled(r.get(21)?),
                total: Money::from_scaled(r.get(22)?),
                closed_short: status == PurchaseOrderStatus::Received && cancel_reason.is_some(),
                created_by: r.get(23)?,
                created_at: r.get(24)?,
                submitted_by: r.get(25)?,
                submitted_at: r.get(26)?,
                approved_by: r.get(27)?,
                approved_at: r.get(28)?,
                rejected_by: r.get(29)?,
                rejected_at: r.get(30)?,
                reject_reason: r.get(31)?,
                confirmed_by: r.get(32)?,
                confirmed_at: r.get(33)?,
                shipped_by: r.get(34)?,
                shipped_at: r.get(35)?,
                received_at: r.get(36)?,
                cancelled_by: r.get(37)?,
                cancelled_at: r.get(38)?,
                cancel_reason,
                items: Vec::new(),
                receipts: Vec::new(),
            })
        })
        .optional()?
        .ok_or_else(|| Error::not_found("purchase_order", id))?;
    let open = !matches!(
        o.status,
        PurchaseOrderStatus::Received | PurchaseOrderStatus::Cancelled
    );
    // Received, damaged and rejected are the sums of the receiving lines.
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT i.id, i.line_no, i.product_id, p.sku, p.name, p.unit, i.quantity_milli, i.unit_cost_e4,
                i.discount_kind, i.discount_value_e4, i.gross_e4, i.discount_e4, i.line_total_e4,
                COALESCE(SUM(l.accepted_milli), 0), COALESCE(SUM(l.damaged_milli), 0),
                COALESCE(SUM(l.rejected_milli), 0)
           FROM purchase_order_items i JOIN products p ON p.id = i.product_id
           LEFT JOIN receiving_lines l ON l.item_id = i.id
          WHERE i.order_id = ?1 GROUP BY i.id ORDER BY i.line_no",
    )?;
    o.items = stmt
        .query_map([id], |r| {
            let kind = discount_kind_of(r, 8)?;
            let value: i64 = r.get(9)?;
            let ordered: i64 = r.get(6)?;
            let received: i64 = r.get(13)?;
            Ok(PurchaseOrderItem {
                id: r.get(0)?,
                line_no: r.get(1)?,
                product_id: r.get(2)?,
                sku: r.get(3)?,
                product_name: r.get(4)?,
                unit: r.get(5)?,
                ordered: Qty::from_scaled(ordered),
                unit_cost: Money::from_scaled(r.get(7)?),
                discount_kind: kind,
                discount_value: kind.map(|_| Decimal::new(value, 4).normalize()),
                gross: Money::from_scaled(r.get(10)?),
                discount: Money::from_scaled(r.get(11)?),
                line_total: Money::from_scaled(r.get(12)?),
                received: Qty::from_scaled(received),
                damaged: Qty::from_scaled(r.get(14)?),
                rejected: Qty::from_scaled(r.get(15)?),
                pending: Qty::from_scaled(if open { (ordered - received).max(0) } else { 0 }),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT r.id, r.number, r.received_date, r.received_by, u.name, r.received_at, r.purchase_receipt_id, r.notes
           FROM receiving_records r LEFT JOIN users u ON u.id = r.received_by
          WHERE r.order_id = ?1 ORDER BY r.number",
    )?;
    o.receipts = stmt
        .query_map([id], |r| {
            Ok(ReceivingRecord {
                id: r.get(0)?,
                number: r.get(1)?,
                received_date: r.get(2)?,
                received_by: r.get(3)?,
                received_by_name: r.get(4)?,
                received_at: r.get(5)?,
                purchase_receipt_id: r.get(6)?,
                notes: r.get(7)?,
                lines: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT l.id, l.item_id, i.product_id, p.name, l.batch_id, l.batch_number, l.expiry_date, l.cost_e4,
                l.accepted_milli, l.damaged_milli, l.rejected_milli
           FROM receiving_lines l JOIN purchase_order_items i ON i.id = l.item_id
           JOIN products p ON p.id = i.product_id
          WHERE l.record_id = ?1 ORDER BY i.line_no, l.rowid",
    )?;
    for rec in &mut o.receipts {
        rec.lines = stmt
            .query_map([rec.id], |r| {
                let expiry: Option<String> = r.get(6)?;
                Ok(ReceivingLine {
                    id: r.get(0)?,
                    item_id: r.get(1)?,
                    product_id: r.get(2)?,
                    product_name: r.get(3)?,
                    batch_id: r.get(4)?,
                    batch_number: r.get(5)?,
                    expiry_date: expiry.filter(|e| e != NO_EXPIRY),
                    cost_price: Money::from_scaled(r.get(7)?),
                    accepted: Qty::from_scaled(r.get(8)?),
                    damaged: Qty::from_scaled(r.get(9)?),
                    rejected: Qty::from_scaled(r.get(10)?),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
    }
    Ok(o)
}

/// The store's orders waiting in `pending_approval`, for the approvals queue
/// (`list_approvals`): decided by `approve_purchase_order` or
/// `reject_purchase_order`.
pub(crate) fn pending_approvals(
    ctx: &Ctx<'_>,
    store: StoreId,
) -> Result<Vec<crate::control::approvals::ApprovalRequest>> {
    use crate::control::approvals::{ApprovalKind, ApprovalRequest};
    let limit: i64 = ctx.tx.query_row(
        "SELECT po_approval_e4 FROM stores WHERE id = ?1",
        [store],
        |r| r.get(0),
    )?;
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT o.id, o.number, s.code, su.name, o.total_e4, o.submitted_by, u.name, o.submitted_at
           FROM purchase_orders o JOIN stores s ON s.id = o.store_id JOIN suppliers su ON su.id = o.supplier_id
           JOIN users u ON u.id = o.submitted_by
          WHERE o.store_id = ?1 AND o.status = 'pending_approval' ORDER BY o.submitted_at",
    )?;
    let rows = stmt.query_map([store], |r| {
        let id: PurchaseOrderId = r.get(0)?;
        let code: String = r.get(2)?;
        let supplier: String = r.get(3)?;
        let total: i64 = r.get(4)?;
        Ok(ApprovalRequest {
            kind: ApprovalKind::PurchaseOrder,
            id: id.to_string(),
            store_id: store,
            summary: format!(
                "Purchase order {} to {supplier}: {}",
                label(&code, r.get(1)?),
                Money::from_scaled(total)
            ),
            requested_by: r.get(5)?,
            requested_by_name: r.get(6)?,
            requested_at: r.get(7)?,
            measure: Some(crate::approval::ApprovalMeasure::Money),
            amount: Some(Money::from_scaled(total).to_string()),
            limit: (total > limit).then(|| Money::from_scaled(limit).to_string()),
            approve_command: "approve_purchase_order".into(),
            reject_command: "reject_purchase_order".into(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
