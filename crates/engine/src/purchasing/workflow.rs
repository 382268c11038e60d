//! The order's steps between drafting and receiving: submit (with the
//! store's approval limit), approve or reject, the vendor's confirmation
//! and shipment, and cancelling (or, partly received, closing it short).

use super::{load, record, Head, PurchaseOrder, PurchaseOrderStatus};
use crate::approval::{approve, Approval, ApprovalMeasure, IfMissing, Over};
use crate::audit::ChangeType;
use crate::auth::Permission;
use crate::catalogue::stores::StoreInfo;
use crate::catalogue::{optional_text, required_text};
use crate::ids::PurchaseOrderId;
use crate::num::Money;
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::params;
use serde::Deserialize;
use ts_rs::TS;

use PurchaseOrderStatus as S;

/// Sends a `draft` order to its vendor (`conflict` in any other status).
/// - Permission `order_stock`. The vendor must still be active (`supplier_inactive`).
/// - Over the store's purchase-order limit (its total above `po_approval_e4`, 500.00 by
///   default) the order needs a manager, through the core approval service: a manager or
///   admin of the store approves their own submission; anyone else's waits as
///   `pending_approval` for `approve_purchase_order`, unless a manager's `approver_name` and
///   `approver_pin` come with the request (checked, wrong PINs logged and counted).
/// - Within the limit, or approved, the order is `submitted` and its `order_date` is the
///   store's today. A `purchase_order_submitted` event either way (its data says which).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SubmitPurchaseOrder {
    /// The order.
    pub purchase_order_id: PurchaseOrderId,
    /// A manager approving at once: their name…
    #[ts(optional)]
    pub approver_name: Option<String>,
    /// …and PIN.
    #[ts(optional)]
    pub approver_pin: Option<String>,
}

impl Operation for SubmitPurchaseOrder {
    const NAME: &'static str = "submit_purchase_order";
    const SUMMARY: &'static str =
        "Submit a draft purchase order (over the store's limit it waits for a manager)";
    const PERMISSION: Permission = Permission::OrderStock;
    const WRITES: bool = true;
    type Output = PurchaseOrder;

    fn run(self, ctx: &Ctx<'_>) -> Result<PurchaseOrder> {
        let h = Head::load(ctx, self.purchase_order_id)?;
        h.expect("submitted", &[S::Draft])?;
        super::check_supplier(ctx, h.supplier)?;
        let limit: i64 = ctx.tx.query_row(
            "SELECT po_approval_e4 FROM stores WHERE id = ?1",
            [h.store],
            |r| r.get(0),
        )?;
        let needed = h.total_e4 > limit;
        let over = Over::by(
            ApprovalMeasure::Money,
            Money::from_scaled(h.total_e4),
            Money::from_scaled(limit),
        );
        let approver = approve(
            ctx,
            Approval {
                action: "a purchase order",
                store_id: Some(h.store),
                needed,
                approver_name: self.approver_name.as_deref(),
                approver_pin: self.approver_pin.as_deref(),
                if_missing: IfMissing::Wait,
                over: Some(&over),
            },
        )?;
        let now = ctx.now_str();
        let store = StoreInfo::load(ctx.tx, h.store)?;
        let today = ctx.today(&store).to_string();
        let status = match (&approver, needed) {
            (None, true) => S::PendingApproval,
            _ => S::Submitted,
        };
        ctx.tx.execute(
            "UPDATE purchase_orders SET status = ?2, submitted_by = ?3, submitted_at = ?4, updated_at = ?4,
                    approved_by = ?5, approved_at = CASE WHEN ?5 IS NULL THEN NULL ELSE ?4 END,
                    order_date = CASE WHEN ?2 = 'submitted' THEN ?6 ELSE NULL END
              WHERE id = ?1",
            params![
                h.id,
                status.as_str(),
                ctx.actor.id,
                now,
                approver.as_ref().filter(|_| needed).map(|a| a.id),
                today
            ],
        )?;
        let o = load(ctx, h.id)?;
        record(
            ctx,
            ChangeType::PurchaseOrderSubmitted,
            &o,
            Some(serde_json::json!({
                "status": status.as_str(),
                "total": o.total,
                "limit": Money::from_scaled(limit),
                "approved_by": approver.map(|a| a.name),
            })),
        )?;
        Ok(o)
    }
}

/// A manager of the store approves an order waiting in `pending_approval` (`conflict`
/// otherwise): it is `submitted`, with `order_date` the store's today. Permission
/// `manage_stock` there; the approval is recorded (`approval_granted`) with a
/// `purchase_order_approved` event.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ApprovePurchaseOrder {
    /// The order.
    pub purchase_order_id: PurchaseOrderId,
}

impl Operation for ApprovePurchaseOrder {
    const NAME: &'static str = "approve_purchase_order";
    const SUMMARY: &'static str = "Approve a purchase order waiting for a manager";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = PurchaseOrder;

    fn run(self, ctx: &Ctx<'_>) -> Result<PurchaseOrder> {
        let h = Head::load(ctx, self.purchase_order_id)?;
        h.expect("approved", &[S::PendingApproval])?;
        let over = Over::always(ApprovalMeasure::Money, Money::from_scaled(h.total_e4));
        approve(
            ctx,
            Approval {
                action: "a purchase order",
                store_id: Some(h.store),
                needed: true,
                approver_name: None,
                approver_pin: None,
                if_missing: IfMissing::Refuse,
                over: Some(&over),
            },
        )?;
        let store = StoreInfo::load(ctx.tx, h.store)?;
        h.set_status(ctx, S::Submitted, "approved")?;
        ctx.tx.execute(
            "UPDATE purchase_orders SET order_date = ?2 WHERE id = ?1",
            params![h.id, ctx.today(&store).to_string()],
        )?;
        let o = load(ctx, h.id)?;
        record(ctx, ChangeType::PurchaseOrderApproved, &o, None)?;
        Ok(o)
    }
}

/// A manager of the store sends an order waiting in `pending_approval` back to `draft`
/// (`conflict` otherwise), with the `reason` (required, `invalid_input` when empty), kept as
/// `reject_reason` until it is submitted again. Permission `manage_stock`; a
/// `purchase_order_rejected` event.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RejectPurchaseOrder {
    /// The order.
    pub purchase_order_id: PurchaseOrderId,
    /// Why.
    pub reason: String,
}

impl Operation for RejectPurchaseOrder {
    const NAME: &'static str = "reject_purchase_order";
    const SUMMARY: &'static str =
        "Send a purchase order waiting for approval back to draft, with the reason";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = PurchaseOrder;

    fn run(self, ctx: &Ctx<'_>) -> Result<PurchaseOrder> {
        let reason = required_text("reason", &self.reason, 1000)?;
        let h = Head::load(ctx, self.purchase_order_id)?;
        h.expect("rejected", &[S::PendingApproval])?;
        h.set_status(ctx, S::Draft, "rejected")?;
        ctx.tx.execute(
            "UPDATE purchase_orders SET reject_reason = ?2, submitted_by = NULL, submitted_at = NULL WHERE id = ?1",
            params![h.id, reason],
        )?;
        let o = load(ctx, h.id)?;
        record(
            ctx,
            ChangeType::PurchaseOrderRejected,
            &o,
            Some(serde_json::json!({ "reason": reason })),
        )?;
        Ok(o)
    }
}

/// Records the vendor's confirmation of a `submitted` order (`conflict` otherwise): status
/// `confirmed`, with the date the vendor expects to deliver and their own reference when
/// given. Permission `order_stock`; a `purchase_order_confirmed` event.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ConfirmPurchaseOrder {
    /// The order.
    pub purchase_order_id: PurchaseOrderId,
    /// Expected delivery date (default: as it was).
    #[ts(optional, type = "string")]
    pub expected_date: Option<NaiveDate>,
    /// The vendor's order or confirmation number.
    #[ts(optional)]
    pub vendor_reference: Option<String>,
}

impl Operation for ConfirmPurchaseOrder {
    const NAME: &'static str = "confirm_purchase_order";
    const SUMMARY: &'static str =
        "Record the vendor's confirmation of a purchase order (expected date, their reference)";
    const PERMISSION: Permission = Permission::OrderStock;
    const WRITES: bool = true;
    type Output = PurchaseOrder;

    fn run(self, ctx: &Ctx<'_>) -> Result<PurchaseOrder> {
        let reference = optional_text("vendor_reference", self.vendor_reference.as_deref(), 64)?;
        let h = Head::load(ctx, self.purchase_order_id)?;
        h.expect("confirmed", &[S::Submitted])?;
        h.set_status(ctx, S::Confirmed, "confirmed")?;
        ctx.tx.execute(
            "UPDATE purchase_orders SET expected_date = COALESCE(?2, expected_date),
                    vendor_reference = COALESCE(?3, vendor_reference) WHERE id = ?1",
            params![h.id, self.expected_date.map(|d| d.to_string()), reference],
        )?;
        let o = load(ctx, h.id)?;
        record(ctx, ChangeType::PurchaseOrderConfirmed, &o, None)?;
        Ok(o)
    }
}

/// Records that the vendor shipped a `submitted` or `confirmed` order (`conflict`
/// otherwise): status `shipped`, with the carrier and tracking number, and a new expected
/// date when given. Permission `order_stock`; a `purchase_order_shipped` event.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ShipPurchaseOrder {
    /// The order.
    pub purchase_order_id: PurchaseOrderId,
    /// Carrier.
    #[ts(optional)]
    pub carrier: Option<String>,
    /// Tracking number.
    #[ts(optional)]
    pub tracking_number: Option<String>,
    /// Expected delivery date (default: as it was).
    #[ts(optional, type = "string")]
    pub expected_date: Option<NaiveDate>,
}

impl Operation for ShipPurchaseOrder {
    const NAME: &'static str = "ship_purchase_order";
    const SUMMARY: &'static str =
        "Record that the vendor shipped a purchase order (carrier, tracking number)";
    const PERMISSION: Permission = Permission::OrderStock;
    const WRITES: bool = true;
    type Output = PurchaseOrder;

    fn run(self, ctx: &Ctx<'_>) -> Result<PurchaseOrder> {
        let carrier = optional_text("carrier", self.carrier.as_deref(), 100)?;
        let tracking = optional_text("tracking_number", self.tracking_number.as_deref(), 100)?;
        let h = Head::load(ctx, self.purchase_order_id)?;
        h.expect("shipped", &[S::Submitted, S::Confirmed])?;
        h.set_status(ctx, S::Shipped, "shipped")?;
        ctx.tx.execute(
            "UPDATE purchase_orders SET carrier = ?2, tracking_number = ?3,
                    expected_date = COALESCE(?4, expected_date) WHERE id = ?1",
            params![
                h.id,
                carrier,
                tracking,
                self.expected_date.map(|d| d.to_string())
            ],
        )?;
        let o = load(ctx, h.id)?;
        record(ctx, ChangeType::PurchaseOrderShipped, &o, None)?;
        Ok(o)
    }
}

/// Cancels an order, with the `reason` (required, `invalid_input` when empty).
/// - `draft`, `pending_approval`, `submitted`, `confirmed` or `shipped`: the order becomes
///   `cancelled` (nothing was received).
/// - `partial_received` — "cancel the rest": the order is closed as `received` with what
///   came; its receipts, batches and stock stay as they are, `closed_short` is true, the
///   cancel reason, who and when are kept, nothing is pending any more, and its
///   `actual_delivery_date` is its last receipt's date.
/// - `received` or `cancelled`: `conflict`.
/// - Permission `order_stock`; a `purchase_order_cancelled` event (its data says
///   `cancelled` or `closed_short`).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CancelPurchaseOrder {
    /// The order.
    pub purchase_order_id: PurchaseOrderId,
    /// Why.
    pub reason: String,
}

impl Operation for CancelPurchaseOrder {
    const NAME: &'static str = "cancel_purchase_order";
    const SUMMARY: &'static str =
        "Cancel a purchase order; partly received, cancel the rest (closed as received, short)";
    const PERMISSION: Permission = Permission::OrderStock;
    const WRITES: bool = true;
    type Output = PurchaseOrder;

    fn run(self, ctx: &Ctx<'_>) -> Result<PurchaseOrder> {
        let reason = required_text("reason", &self.reason, 1000)?;
        let h = Head::load(ctx, self.purchase_order_id)?;
        h.expect(
            "cancelled",
            &[
                S::Draft,
                S::PendingApproval,
                S::Submitted,
                S::Confirmed,
                S::Shipped,
                S::PartialReceived,
            ],
        )?;
        let short = h.status == S::PartialReceived;
        if short {
            ctx.tx.execute(
                "UPDATE purchase_orders SET status = 'received', received_at = ?2,
                        actual_delivery_date = (SELECT MAX(received_date) FROM receiving_records WHERE order_id = ?1)
                  WHERE id = ?1",
                params![h.id, ctx.now_str()],
            )?;
            ctx.tx.execute(
                "UPDATE purchase_orders SET cancelled_by = ?2, cancelled_at = ?3, cancel_reason = ?4, updated_at = ?3
                  WHERE id = ?1",
                params![h.id, ctx.actor.id, ctx.now_str(), reason],
            )?;
        } else {
            ctx.tx.execute(
                "UPDATE purchase_orders SET cancel_reason = ?2 WHERE id = ?1",
                params![h.id, reason],
            )?;
            h.set_status(ctx, S::Cancelled, "cancelled")?;
        }
        let o = load(ctx, h.id)?;
        record(
            ctx,
            ChangeType::PurchaseOrderCancelled,
            &o,
            Some(serde_json::json!({
                "reason": reason,
                "outcome": if short { "closed_short" } else { "cancelled" },
            })),
        )?;
        Ok(o)
    }
}

/// What the store has paid its vendor for an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PaymentStatus {
    /// Nothing paid yet.
    Unpaid,
    /// Part of the total paid.
    PartiallyPaid,
    /// Paid in full.
    Paid,
}

impl PaymentStatus {
    /// As stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Unpaid => "unpaid",
            PaymentStatus::PartiallyPaid => "partially_paid",
            PaymentStatus::Paid => "paid",
        }
    }
}

/// Records what the store has paid its vendor for an order: `payment_status`
/// `unpaid`, `partially_paid` or `paid`, with the payment's `reference` (a
/// transfer or cheque number) and `notes` kept in the event.
/// - The order must have gone to its vendor: a `draft` or `pending_approval` order is
///   `conflict` (nothing is owed yet); so is a status the order already has.
/// - A cancelled order may still be marked: a deposit paid before it was cancelled.
/// - Permission `manage_stock` (managers and admins: paying vendors is theirs, not the
///   buyer's); a `purchase_order_payment` event with the status before and after.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SetPurchaseOrderPayment {
    /// The order.
    pub purchase_order_id: PurchaseOrderId,
    /// Unpaid, partly or fully paid.
    pub payment_status: PaymentStatus,
    /// The payment's reference (transfer or cheque number).
    #[ts(optional)]
    pub reference: Option<String>,
    /// Notes.
    #[ts(optional)]
    pub notes: Option<String>,
}

impl Operation for SetPurchaseOrderPayment {
    const NAME: &'static str = "set_purchase_order_payment";
    const SUMMARY: &'static str =
        "Record a purchase order as unpaid, partly paid or paid (with the payment's reference)";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = PurchaseOrder;

    fn run(self, ctx: &Ctx<'_>) -> Result<PurchaseOrder> {
        let reference = optional_text("reference", self.reference.as_deref(), 100)?;
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?;
        let h = Head::load(ctx, self.purchase_order_id)?;
        let before = load(ctx, h.id)?;
        if matches!(before.status, S::Draft | S::PendingApproval) {
            return Err(Error::conflict(format!(
                "purchase order {} has not gone to its vendor yet (it is {}): nothing is owed",
                before.label,
                before.status.as_str()
            )));
        }
        let to = self.payment_status.as_str();
        if before.payment_status == to {
            return Err(Error::conflict(format!(
                "purchase order {} is already {to}",
                before.label
            )));
        }
        ctx.tx.execute(
            "UPDATE purchase_orders SET payment_status = ?2, updated_at = ?3 WHERE id = ?1",
            params![h.id, to, ctx.now_str()],
        )?;
        let o = load(ctx, h.id)?;
        record(
            ctx,
            ChangeType::PurchaseOrderPayment,
            &o,
            Some(serde_json::json!({
                "from": before.payment_status,
                "to": to,
                "reference": reference,
                "notes": notes,
            })),
        )?;
        Ok(o)
    }
}
