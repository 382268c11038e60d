//! Reading a whole order back: its header, its lines with what their
//! receiving lines add up to, and its receipts; and the orders waiting for a
//! manager, for the approvals queue.

use super::{
    label, status_of, LineDiscountKind, PurchaseOrder, PurchaseOrderItem, PurchaseOrderStatus,
    ReceivingLine, ReceivingRecord,
};
use crate::ids::{PurchaseOrderId, StoreId};
use crate::num::{Money, Qty};
use crate::op::Ctx;
use crate::stock::NO_EXPIRY;
use crate::{Error, Result};
use rusqlite::{OptionalExtension, Row};
use rust_decimal::Decimal;

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
