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

mod document;
mod draft;
mod limit;
mod queries;
mod receive;
mod reorder;
mod workflow;

pub(crate) use document::{load, pending_approvals};
pub use draft::{CreatePurchaseOrder, NewOrderLine, UpdatePurchaseOrder};
pub use limit::{PurchaseOrderLimit, SetPurchaseOrderLimit};
pub use queries::{
    GetPurchaseOrder, GetVendorPerformance, ListPurchaseOrders, PurchaseOrderPage,
    PurchaseOrderSummary, VendorPerformance,
};
pub use receive::{OrderReceiptLine, ReceivePurchaseOrder};
pub use reorder::{DraftOrdersFromReorder, DraftedOrders, SkippedProduct};
pub use workflow::{
    ApprovePurchaseOrder, CancelPurchaseOrder, ConfirmPurchaseOrder, PaymentStatus,
    RejectPurchaseOrder, SetPurchaseOrderPayment, ShipPurchaseOrder, SubmitPurchaseOrder,
};

use crate::audit::{self, ChangeType, Payload};
use crate::ids::{
    BatchId, ProductId, PurchaseOrderId, PurchaseOrderItemId, PurchaseReceiptId, ReceivingLineId,
    ReceivingRecordId, StoreId, SupplierId, UserId,
};
use crate::num::{Money, Qty};
use crate::op::Ctx;
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
    /// `unpaid`, `partially_paid` or `paid` (`set_purchase_order_payment`).
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
