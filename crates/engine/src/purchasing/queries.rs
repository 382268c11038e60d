//! Reading orders: the paged list, one order whole, and each vendor's
//! performance computed from the store's order history.

use super::{load, status_of, Head, PurchaseOrder, PurchaseOrderStatus};
use crate::auth::Permission;
use crate::ids::{PurchaseOrderId, StoreId, SupplierId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::page::{limit_offset, Filter};
use crate::Result;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An order in a list.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct PurchaseOrderSummary {
    /// Id.
    pub id: PurchaseOrderId,
    /// Number, per store.
    #[ts(type = "number")]
    pub number: i64,
    /// The store's code and the number.
    pub label: String,
    /// Vendor.
    pub supplier_id: SupplierId,
    /// Its name.
    pub supplier_name: String,
    /// Where it stands.
    pub status: PurchaseOrderStatus,
    /// Date it went to the vendor.
    pub order_date: Option<String>,
    /// Expected delivery date.
    pub expected_date: Option<String>,
    /// Date it was completed.
    pub actual_delivery_date: Option<String>,
    /// Total.
    pub total: Money,
    /// Number of lines.
    #[ts(type = "number")]
    pub lines: i64,
    /// Lines whose accepted units have not reached what they ordered.
    #[ts(type = "number")]
    pub lines_pending: i64,
    /// When drafted.
    pub created_at: String,
}

/// A page of orders.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct PurchaseOrderPage {
    /// The page, newest order first.
    pub rows: Vec<PurchaseOrderSummary>,
    /// Orders matching the filters, all pages together.
    #[ts(type = "number")]
    pub total: i64,
}

/// The store's purchase orders (default: the user's store), newest (highest number) first,
/// sorted and paged in SQL: `status` and `supplier_id` filter; `limit` 1–500 (default 100)
/// and `offset`; `total` counts every match.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListPurchaseOrders {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Only this status.
    #[ts(optional)]
    pub status: Option<PurchaseOrderStatus>,
    /// Only this vendor.
    #[ts(optional)]
    pub supplier_id: Option<SupplierId>,
    /// Page size (1–500, default 100).
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[ts(optional)]
    pub offset: Option<u32>,
}

impl Operation for ListPurchaseOrders {
    const NAME: &'static str = "list_purchase_orders";
    const SUMMARY: &'static str =
        "List a store's purchase orders, newest first (filter by status and vendor; paged)";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = PurchaseOrderPage;

    fn run(self, ctx: &Ctx<'_>) -> Result<PurchaseOrderPage> {
        let store = ctx.store(self.store_id)?;
        let (limit, offset) = limit_offset(self.limit, self.offset, 100)?;
        let mut f = Filter::default();
        f.and("o.store_id = :store")
            .bind(":store", store.id.to_string());
        if let Some(s) = self.status {
            f.and("o.status = :status")
                .bind(":status", s.as_str().to_string());
        }
        if let Some(s) = self.supplier_id {
            f.and("o.supplier_id = :supplier")
                .bind(":supplier", s.to_string());
        }
        let w = f.where_sql();
        let total: i64 = ctx.tx.query_row(
            &format!("SELECT COUNT(*) FROM purchase_orders o {w}"),
            f.params(&[]).as_slice(),
            |r| r.get(0),
        )?;
        let mut stmt = ctx.tx.prepare(&format!(
            "SELECT o.id, o.number, s.code, o.supplier_id, su.name, o.status, o.order_date, o.expected_date,
                    o.actual_delivery_date, o.total_e4, o.created_at,
                    (SELECT COUNT(*) FROM purchase_order_items i WHERE i.order_id = o.id),
                    (SELECT COUNT(*) FROM purchase_order_items i WHERE i.order_id = o.id
                        AND (SELECT COALESCE(SUM(l.accepted_milli), 0) FROM receiving_lines l WHERE l.item_id = i.id)
                            < i.quantity_milli)
               FROM purchase_orders o JOIN stores s ON s.id = o.store_id JOIN suppliers su ON su.id = o.supplier_id
               {w}
              ORDER BY o.number DESC LIMIT :limit OFFSET :offset"
        ))?;
        let rows = stmt.query_map(
            f.params(&[(":limit", &limit), (":offset", &offset)])
                .as_slice(),
            |r| {
                let code: String = r.get(2)?;
                let number: i64 = r.get(1)?;
                let status = status_of(r, 5)?;
                let open = !matches!(
                    status,
                    PurchaseOrderStatus::Received | PurchaseOrderStatus::Cancelled
                );
                let pending: i64 = r.get(12)?;
                Ok(PurchaseOrderSummary {
                    id: r.get(0)?,
                    number,
                    label: super::label(&code, number),
                    supplier_id: r.get(3)?,
                    supplier_name: r.get(4)?,
                    status,
                    order_date: r.get(6)?,
                    expected_date: r.get(7)?,
                    actual_delivery_date: r.get(8)?,
                    total: Money::from_scaled(r.get(9)?),
                    created_at: r.get(10)?,
                    lines: r.get(11)?,
                    lines_pending: if open { pending } else { 0 },
                })
            },
        )?;
        Ok(PurchaseOrderPage {
            rows: rows.collect::<rusqlite::Result<Vec<_>>>()?,
            total,
        })
    }
}

/// One purchase order: its header, totals, lines (ordered, received, damaged, rejected,
/// pending — the received figures summed from its receiving lines) and its receipts with
/// their lines. `not_found` for no such order; `forbidden` outside its store.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetPurchaseOrder {
    /// The order.
    pub purchase_order_id: PurchaseOrderId,
}

impl Operation for GetPurchaseOrder {
    const NAME: &'static str = "get_purchase_order";
    const SUMMARY: &'static str =
        "A purchase order with its lines (ordered, received, pending) and receipts";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = PurchaseOrder;

    fn run(self, ctx: &Ctx<'_>) -> Result<PurchaseOrder> {
        let h = Head::load(ctx, self.purchase_order_id)?;
        load(ctx, h.id)
    }
}

/// A vendor's record with the store, computed from its orders.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct VendorPerformance {
    /// Vendor.
    pub supplier_id: SupplierId,
    /// Its name.
    pub name: String,
    /// Marked preferred in the catalogue.
    pub is_preferred: bool,
    /// Still active.
    pub is_active: bool,
    /// Orders sent to it (submitted or later, cancelled included).
    #[ts(type = "number")]
    pub orders: i64,
    /// Orders completed (`received`, closed short included).
    #[ts(type = "number")]
    pub orders_received: i64,
    /// Orders cancelled before anything arrived.
    #[ts(type = "number")]
    pub orders_cancelled: i64,
    /// Completed orders that had an expected date (the on-time rate's base).
    #[ts(type = "number")]
    pub received_with_expected_date: i64,
    /// Of those, completed on or before the expected date.
    #[ts(type = "number")]
    pub received_on_time: i64,
    /// received_on_time / received_with_expected_date, percent (1 place; none without base).
    #[ts(type = "string | null")]
    pub on_time_rate: Option<Decimal>,
    /// Average days from order date to the first receipt, over orders with a receipt (1 place).
    #[ts(type = "string | null")]
    pub average_lead_time_days: Option<Decimal>,
    /// Orders the lead time averages over.
    #[ts(type = "number")]
    pub lead_time_orders: i64,
    /// Units delivered: accepted + damaged + rejected.
    pub delivered: Qty,
    /// Units accepted into stock.
    pub accepted: Qty,
    /// Units that arrived damaged.
    pub damaged: Qty,
    /// Units refused.
    pub rejected: Qty,
    /// (damaged + rejected) / delivered, percent (1 place; none before any delivery).
    #[ts(type = "string | null")]
    pub quality_issue_rate: Option<Decimal>,
}

/// Each vendor's performance with the store (default: the user's), computed from its order
/// history — never from the figures entered on the supplier, which stay as entered:
/// - on-time rate = orders completed by their expected date / completed orders that had an
///   expected date (an order is completed on its `actual_delivery_date`: the receipt that
///   made it `received`, or its last receipt when the rest was cancelled);
/// - average lead time = mean days from `order_date` to the order's first receipt;
/// - quality = (damaged + rejected) / delivered units, over every receiving line;
/// - preferred = the supplier's `is_preferred`.
///
/// Vendors with at least one order sent (submitted or later) are listed, by name;
/// `supplier_id` narrows to one.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetVendorPerformance {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Only this vendor.
    #[ts(optional)]
    pub supplier_id: Option<SupplierId>,
}

fn percent(num: i64, den: i64) -> Option<Decimal> {
    (den > 0).then(|| {
        (Decimal::from(num) * Decimal::ONE_HUNDRED / Decimal::from(den))
            .round_dp(1)
            .normalize()
    })
}

impl Operation for GetVendorPerformance {
    const NAME: &'static str = "get_vendor_performance";
    const SUMMARY: &'static str = "Each vendor's on-time rate, lead time and quality, computed from the store's purchase orders";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Vec<VendorPerformance>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<VendorPerformance>> {
        let store = ctx.store(self.store_id)?;
        let mut stmt = ctx.tx.prepare_cached(
            "WITH sent AS (
                 SELECT o.* FROM purchase_orders o
                  WHERE o.store_id = ?1 AND o.status NOT IN ('draft', 'pending_approval')
                    AND (?2 IS NULL OR o.supplier_id = ?2)),
             firsts AS (
                 SELECT r.order_id, MIN(r.received_date) AS first_date FROM receiving_records r
                  WHERE r.order_id IN (SELECT id FROM sent) GROUP BY r.order_id),
             units AS (
                 SELECT o.supplier_id, SUM(l.accepted_milli) AS acc, SUM(l.damaged_milli) AS dmg,
                        SUM(l.rejected_milli) AS rej
                   FROM receiving_lines l JOIN sent o ON o.id = l.order_id GROUP BY o.supplier_id)
             SELECT s.id, s.name, s.is_preferred, s.is_active,
                    COUNT(*),
                    SUM(o.status = 'received'),
                    SUM(o.status = 'cancelled'),
                    SUM(o.status = 'received' AND o.expected_date IS NOT NULL),
                    SUM(o.status = 'received' AND o.expected_date IS NOT NULL
                        AND o.actual_delivery_date <= o.expected_date),
                    SUM(CASE WHEN f.first_date IS NOT NULL AND o.order_date IS NOT NULL
                             THEN CAST(julianday(f.first_date) - julianday(o.order_date) AS INTEGER) END),
                    SUM(f.first_date IS NOT NULL AND o.order_date IS NOT NULL),
                    COALESCE(u.acc, 0), COALESCE(u.dmg, 0), COALESCE(u.rej, 0)
               FROM sent o JOIN suppliers s ON s.id = o.supplier_id
               LEFT JOIN firsts f ON f.order_id = o.id
               LEFT JOIN units u ON u.supplier_id = o.supplier_id
              GROUP BY s.id
              ORDER BY s.name COLLATE NOCASE, s.id",
        )?;
        let rows = stmt.query_map(rusqlite::params![store.id, self.supplier_id], |r| {
            let with_expected: i64 = r.get(7)?;
            let on_time: i64 = r.get(8)?;
            let lead_sum: Option<i64> = r.get(9)?;
            let lead_n: i64 = r.get(10)?;
            let (acc, dmg, rej): (i64, i64, i64) = (r.get(11)?, r.get(12)?, r.get(13)?);
            let delivered = acc + dmg + rej;
            Ok(VendorPerformance {
                supplier_id: r.get(0)?,
                name: r.get(1)?,
                is_preferred: r.get(2)?,
                is_active: r.get(3)?,
                orders: r.get(4)?,
                orders_received: r.get(5)?,
                orders_cancelled: r.get(6)?,
                received_with_expected_date: with_expected,
                received_on_time: on_time,
                on_time_rate: percent(on_time, with_expected),
                average_lead_time_days: (lead_n > 0).then(|| {
                    (Decimal::from(lead_sum.unwrap_or(0)) / Decimal::from(lead_n))
                        .round_dp(1)
                        .normalize()
                }),
                lead_time_orders: lead_n,
                delivered: Qty::from_scaled(delivered),
                accepted: Qty::from_scaled(acc),
                damaged: Qty::from_scaled(dmg),
                rejected: Qty::from_scaled(rej),
                quality_issue_rate: percent(dmg + rej, delivered),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
