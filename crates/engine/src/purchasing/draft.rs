//! Drafting orders: by hand (`create_purchase_order`, `update_purchase_order`)
//! or from the store's reorder recommendations (`draft_orders_from_reorder`).
//! The totals are computed here, exactly, whenever a draft's lines or terms
//! are written; after submission they never change.

use super::{
    check_supplier, load, record, Head, LineDiscountKind, PurchaseOrder, PurchaseOrderStatus,
};
use crate::audit::ChangeType;
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::catalogue::products::ProductRules;
use crate::ids::{ProductId, PurchaseOrderId, PurchaseOrderItemId, StoreId, SupplierId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::params;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Deserialize;
use std::collections::BTreeMap;
use ts_rs::TS;

/// Most lines one order may carry.
pub const MAX_ORDER_LINES: usize = 500;

/// One line of a new or updated order.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct NewOrderLine {
    /// Product (exists, not deleted nor discontinued; once per order).
    pub product_id: ProductId,
    /// Quantity ordered (> 0; whole unless the product allows fractions).
    pub quantity: Qty,
    /// Unit cost agreed (≥ 0; default: the product's cost price, refused when it has none).
    #[ts(optional)]
    pub unit_cost: Option<Money>,
    /// A percentage off the line's gross (0–100, up to 4 places).
    #[ts(optional, type = "string")]
    #[serde(default, deserialize_with = "crate::num::opt_decimal")]
    pub discount_percent: Option<Decimal>,
    /// A fixed amount off the line (at most its gross). Not with `discount_percent`.
    #[ts(optional)]
    pub discount_amount: Option<Money>,
}

/// The order-level money terms, as scaled integers.
#[derive(Default)]
pub(super) struct Terms {
    pub discount_e4: i64,
    pub tax_e4: i64,
    pub shipping_e4: i64,
}

fn non_negative(field: &str, m: Option<Money>) -> Result<Option<i64>> {
    match m {
        Some(m) if m.is_negative() => {
            Err(Error::invalid(field, format!("{field} cannot be negative")))
        }
        Some(m) => Ok(Some(m.to_scaled(field)?)),
        None => Ok(None),
    }
}

/// Money `gross × percent / 100`, rounded half-even to the money scale, scaled.
fn percent_of(gross_e4: i64, percent: Decimal) -> Result<i64> {
    let d = (Decimal::new(gross_e4, 4) * percent / Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(4, RoundingStrategy::MidpointNearestEven);
    Money(d).to_scaled("discount_percent")
}

/// Checks and writes the order's lines (replacing any), returning
/// (subtotal, line discounts) in ten-thousandths.
fn write_lines(
    ctx: &Ctx<'_>,
    order: PurchaseOrderId,
    lines: &[NewOrderLine],
) -> Result<(i64, i64)> {
    if lines.is_empty() || lines.len() > MAX_ORDER_LINES {
        return Err(Error::invalid(
            "lines",
            format!("an order has 1 to {MAX_ORDER_LINES} lines"),
        ));
    }
    ctx.tx.execute(
        "DELETE FROM purchase_order_items WHERE order_id = ?1",
        [order],
    )?;
    let (mut subtotal, mut discounts) = (0i64, 0i64);
    let mut seen = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        let field = |f: &str| format!("lines[{i}].{f}");
        if let Some(first) = seen.insert(line.product_id, i) {
            return Err(Error::invalid(
                &field("product_id"),
                format!(
                    "line {} orders the same product as line {}; put it on one line",
                    i + 1,
                    first + 1
                ),
            ));
        }
        let product = ProductRules::load(ctx.tx, line.product_id)?;
        if product.status == "discontinued" {
            return Err(Error::ProductDiscontinued {
                product_id: product.id,
                sku: product.sku,
            });
        }
        let qty = product.quantity(&field("quantity"), line.quantity)?;
        let cost = match non_negative(&field("unit_cost"), line.unit_cost)? {
            Some(c) => c,
            None => {
                let c: i64 = ctx
                    .tx
                    .prepare_cached("SELECT cost_price_e4 FROM products WHERE id = ?1")?
                    .query_row([line.product_id], |r| r.get(0))?;
                if c <= 0 {
                    return Err(Error::invalid(
                        &field("unit_cost"),
                        format!(
                            "product {} has no cost price: give the unit cost",
                            product.sku
                        ),
                    ));
                }
                c
            }
        };
        let gross = Money::from_scaled(cost)
            .times(Qty::from_scaled(qty))
            .to_scaled(&field("quantity"))?;
        let (kind, value, discount) = match (line.discount_percent, line.discount_amount) {
            (Some(_), Some(_)) => {
                return Err(Error::invalid(
                    &field("discount_amount"),
                    "give a discount as a percentage or as an amount, not both",
                ))
            }
            (Some(p), None) => {
                if p < Decimal::ZERO || p > Decimal::ONE_HUNDRED || p.normalize().scale() > 4 {
                    return Err(Error::invalid(
                        &field("discount_percent"),
                        format!(
                            "a discount percentage is 0 to 100 with at most 4 places (got {p})"
                        ),
                    ));
                }
                let value = Money(p).to_scaled(&field("discount_percent"))?;
                (
                    Some(LineDiscountKind::Percent),
                    value,
                    percent_of(gross, p)?,
                )
            }
            (None, Some(a)) => {
                let a = non_negative(&field("discount_amount"), Some(a))?.unwrap_or(0);
                if a > gross {
                    return Err(Error::invalid(
                        &field("discount_amount"),
                        format!(
                            "the discount {} is more than the line's {}",
                            Money::from_scaled(a),
                            Money::from_scaled(gross)
                        ),
                    ));
                }
                (Some(LineDiscountKind::Fixed), a, a)
            }
            (None, None) => (None, 0, 0),
        };
        let kind = kind.map(|k| match k {
            LineDiscountKind::Percent => "percent",
            LineDiscountKind::Fixed => "fixed",
        });
        ctx.tx
            .prepare_cached(
                "INSERT INTO purchase_order_items (id, order_id, line_no, product_id, quantity_milli, unit_cost_e4,
                                                   discount_kind, discount_value_e4, gross_e4, discount_e4, line_total_e4)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                PurchaseOrderItemId::new(),
                order,
                i as i64 + 1,
                line.product_id,
                qty,
                cost,
                kind,
                value,
                gross,
                discount,
                gross - discount
            ])?;
        subtotal = subtotal
            .checked_add(gross)
            .ok_or_else(|| Error::invalid("lines", "the order's total is too large"))?;
        discounts += discount;
    }
    Ok((subtotal, discounts))
}

/// Writes the order's figures from its lines and terms:
/// total = subtotal − line discounts − order discount + tax + shipping.
fn set_totals(ctx: &Ctx<'_>, order: PurchaseOrderId, sub: (i64, i64), t: &Terms) -> Result<()> {
    let (subtotal, line_discounts) = sub;
    let net = subtotal - line_discounts;
    if t.discount_e4 > net {
        return Err(Error::invalid(
            "discount",
            format!(
                "the order discount {} is more than the lines' {}",
                Money::from_scaled(t.discount_e4),
                Money::from_scaled(net)
            ),
        ));
    }
    let total = net - t.discount_e4 + t.tax_e4 + t.shipping_e4;
    ctx.tx.execute(
        "UPDATE purchase_orders SET subtotal_e4 = ?2, line_discount_e4 = ?3, order_discount_e4 = ?4, tax_e4 = ?5,
                shipping_e4 = ?6, total_e4 = ?7, updated_at = ?8 WHERE id = ?1",
        params![order, subtotal, line_discounts, t.discount_e4, t.tax_e4, t.shipping_e4, total, ctx.now_str()],
    )?;
    Ok(())
}

/// Drafts an order to a vendor for the store (default: the user's).
/// - Permission `order_stock` (managers, admins and practitioners; not cashiers).
/// - `supplier_id` must exist (`not_found`) and be active (`supplier_inactive`).
/// - 1–500 `lines`, each a product that exists, is not discontinued and appears once, with a
///   positive quantity in its unit, a unit cost ≥ 0 (default the product's cost price; when it
///   has none the line must give one) and optionally a discount: `discount_percent` (0–100)
///   or `discount_amount` (at most the line's gross), not both. Any bad field is
///   `invalid_input` at `lines[i].<field>` and nothing is written.
/// - Totals, exact to the money scale (half-even): each line's gross = quantity × unit cost;
///   a percentage discount = gross × percent / 100; line total = gross − discount;
///   `subtotal` = Σ gross, `line_discounts` = Σ discounts, then
///   `total = subtotal − line_discounts − discount + tax + shipping` (`discount` at most
///   subtotal − line discounts; none of them negative).
/// - `payment_terms` default to the supplier's. Numbered per store (`label` "STA-PO0001");
///   status `draft`; a `purchase_order_created` event.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CreatePurchaseOrder {
    /// Ordering store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Vendor (a supplier of the catalogue).
    pub supplier_id: SupplierId,
    /// What to order.
    pub lines: Vec<NewOrderLine>,
    /// When the vendor is expected to deliver.
    #[ts(optional, type = "string")]
    pub expected_date: Option<NaiveDate>,
    /// Payment terms (default: the supplier's).
    #[ts(optional)]
    pub payment_terms: Option<String>,
    /// Notes for the store's staff.
    #[ts(optional)]
    pub internal_notes: Option<String>,
    /// Notes for the vendor.
    #[ts(optional)]
    pub vendor_notes: Option<String>,
    /// The order's own discount (an amount).
    #[ts(optional)]
    pub discount: Option<Money>,
    /// Tax (an amount).
    #[ts(optional)]
    pub tax: Option<Money>,
    /// Shipping (an amount).
    #[ts(optional)]
    pub shipping: Option<Money>,
}

impl Operation for CreatePurchaseOrder {
    const NAME: &'static str = "create_purchase_order";
    const SUMMARY: &'static str =
        "Draft a purchase order to a vendor (lines: product, quantity, unit cost, discount; totals computed)";
    const PERMISSION: Permission = Permission::OrderStock;
    const WRITES: bool = true;
    type Output = PurchaseOrder;

    fn run(self, ctx: &Ctx<'_>) -> Result<PurchaseOrder> {
        let store = ctx.store(self.store_id)?;
        let terms = Terms {
            discount_e4: non_negative("discount", self.discount)?.unwrap_or(0),
            tax_e4: non_negative("tax", self.tax)?.unwrap_or(0),
            shipping_e4: non_negative("shipping", self.shipping)?.unwrap_or(0),
        };
        let id = create(
            ctx,
            store.id,
            self.supplier_id,
            &self.lines,
            &terms,
            Texts {
                expected_date: self.expected_date,
                payment_terms: self.payment_terms.as_deref(),
                internal_notes: self.internal_notes.as_deref(),
                vendor_notes: self.vendor_notes.as_deref(),
            },
        )?;
        load(ctx, id)
    }
}

/// The free-text fields of a new order.
#[derive(Default)]
pub(super) struct Texts<'a> {
    pub expected_date: Option<NaiveDate>,
    pub payment_terms: Option<&'a str>,
    pub internal_notes: Option<&'a str>,
    pub vendor_notes: Option<&'a str>,
}

pub(super) fn create(
    ctx: &Ctx<'_>,
    store: StoreId,
    supplier: SupplierId,
    lines: &[NewOrderLine],
    terms: &Terms,
    texts: Texts<'_>,
) -> Result<PurchaseOrderId> {
    check_supplier(ctx, supplier)?;
    let internal = optional_text("internal_notes", texts.internal_notes, 2000)?;
    let vendor = optional_text("vendor_notes", texts.vendor_notes, 2000)?;
    let terms_text = match optional_text("payment_terms", texts.payment_terms, 200)? {
        Some(t) => Some(t),
        None => ctx
            .tx
            .prepare_cached("SELECT payment_terms FROM suppliers WHERE id = ?1")?
            .query_row([supplier], |r| r.get::<_, Option<String>>(0))?,
    };
    let number: i64 = ctx.tx.query_row(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM purchase_orders WHERE store_id = ?1",
        [store],
        |r| r.get(0),
    )?;
    let id = PurchaseOrderId::new();
    let now = ctx.now_str();
    ctx.tx.execute(
        "INSERT INTO purchase_orders (id, store_id, supplier_id, number, status, expected_date, payment_terms,
                                      internal_notes, vendor_notes, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 'draft', ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
        params![
            id,
            store,
            supplier,
            number,
            texts.expected_date.map(|d| d.to_string()),
            terms_text,
            internal,
            vendor,
            ctx.actor.id,
            now
        ],
    )?;
    let sums = write_lines(ctx, id, lines)?;
    set_totals(ctx, id, sums, terms)?;
    let o = load(ctx, id)?;
    record(ctx, ChangeType::PurchaseOrderCreated, &o, None)?;
    Ok(id)
}

/// Changes a `draft` order (`conflict` in any other status). Only the fields given change:
/// `lines` replaces every line (the rules of `create_purchase_order`), an empty text clears
/// a note; the totals are computed again. A `purchase_order_updated` event.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct UpdatePurchaseOrder {
    /// The order.
    pub purchase_order_id: PurchaseOrderId,
    /// Another vendor (exists, active).
    #[ts(optional)]
    pub supplier_id: Option<SupplierId>,
    /// The new lines (all of them).
    #[ts(optional)]
    pub lines: Option<Vec<NewOrderLine>>,
    /// Expected delivery date.
    #[ts(optional, type = "string")]
    pub expected_date: Option<NaiveDate>,
    /// Payment terms.
    #[ts(optional)]
    pub payment_terms: Option<String>,
    /// Notes for the store's staff.
    #[ts(optional)]
    pub internal_notes: Option<String>,
    /// Notes for the vendor.
    #[ts(optional)]
    pub vendor_notes: Option<String>,
    /// The order's own discount.
    #[ts(optional)]
    pub discount: Option<Money>,
    /// Tax.
    #[ts(optional)]
    pub tax: Option<Money>,
    /// Shipping.
    #[ts(optional)]
    pub shipping: Option<Money>,
}

impl Operation for UpdatePurchaseOrder {
    const NAME: &'static str = "update_purchase_order";
    const SUMMARY: &'static str =
        "Change a draft purchase order (vendor, lines, dates, notes, discount, tax, shipping)";
    const PERMISSION: Permission = Permission::OrderStock;
    const WRITES: bool = true;
    type Output = PurchaseOrder;

    fn run(self, ctx: &Ctx<'_>) -> Result<PurchaseOrder> {
        let h = Head::load(ctx, self.purchase_order_id)?;
        h.expect("changed", &[PurchaseOrderStatus::Draft])?;
        let before = load(ctx, h.id)?;
        if let Some(s) = self.supplier_id {
            check_supplier(ctx, s)?;
            ctx.tx.execute(
                "UPDATE purchase_orders SET supplier_id = ?2 WHERE id = ?1",
                params![h.id, s],
            )?;
        }
        let text = |field: &'static str, v: &Option<String>, max: usize| -> Result<()> {
            if let Some(v) = v {
                let v = optional_text(field, Some(v), max)?;
                ctx.tx.execute(
                    &format!("UPDATE purchase_orders SET {field} = ?2 WHERE id = ?1"),
                    params![h.id, v],
                )?;
            }
            Ok(())
        };
        text("payment_terms", &self.payment_terms, 200)?;
        text("internal_notes", &self.internal_notes, 2000)?;
        text("vendor_notes", &self.vendor_notes, 2000)?;
        if let Some(d) = self.expected_date {
            ctx.tx.execute(
                "UPDATE purchase_orders SET expected_date = ?2 WHERE id = ?1",
                params![h.id, d.to_string()],
            )?;
        }
        let money = |m: Money| m.to_scaled("x").unwrap_or(0);
        let terms = Terms {
            discount_e4: non_negative("discount", self.discount)?
                .unwrap_or(money(before.order_discount)),
            tax_e4: non_negative("tax", self.tax)?.unwrap_or(money(before.tax)),
            shipping_e4: non_negative("shipping", self.shipping)?.unwrap_or(money(before.shipping)),
        };
        let sums = match &self.lines {
            Some(lines) => write_lines(ctx, h.id, lines)?,
            None => (money(before.subtotal), money(before.line_discounts)),
        };
        set_totals(ctx, h.id, sums, &terms)?;
        let o = load(ctx, h.id)?;
        record(ctx, ChangeType::PurchaseOrderUpdated, &o, None)?;
        Ok(o)
    }
}
