//! What the till screen shows of a cart: every line with its batch,
//! availability and amounts, the totals and tax summary, and the stock the
//! cart holds. Built in one place so that every cart operation answers the
//! same shape and the screen never does arithmetic of its own.

use super::cart::{active_holds, price, CartRow};
use super::pricing::Totals;
use super::{m, Discount};
use crate::ids::{BatchId, CartId, CartLineId, ProductId, ReservationId, SaleId, StoreId, UserId};
use crate::num::{Money, Qty};
use crate::op::Ctx;
use crate::stock::allocate::shown_expiry;
use crate::stock::BatchRow;
use crate::Result;
use rusqlite::params;
use rust_decimal::Decimal;
use serde::Serialize;
use ts_rs::TS;

/// One line as shown.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct CartLineView {
    /// Line id.
    pub line_id: CartLineId,
    /// Position (1, 2, …; gaps after removals).
    #[ts(type = "number")]
    pub line_no: i64,
    /// Product.
    pub product_id: ProductId,
    /// SKU.
    pub sku: String,
    /// Name.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// Fractions allowed.
    pub allow_fractional: bool,
    /// Needs a prescription reference.
    pub prescription_only: bool,
    /// The prescription reference given.
    pub prescription_reference: Option<String>,
    /// Quantity.
    pub quantity: Qty,
    /// The batch a scan named (None: FEFO at completion).
    pub batch_id: Option<BatchId>,
    /// Its number.
    pub batch_number: Option<String>,
    /// Its expiry.
    pub batch_expiry: Option<String>,
    /// The product's current selling price.
    pub list_price: Money,
    /// The price charged per unit.
    pub unit_price: Money,
    /// Manager who approved a price override.
    pub price_overridden_by: Option<UserId>,
    /// The line discount.
    pub discount: Option<Discount>,
    /// Manager who approved the line discount (above the cashier limit).
    pub discount_approved_by: Option<UserId>,
    /// Unit price × quantity.
    pub gross: Money,
    /// The line discount's amount.
    pub line_discount: Money,
    /// The line's share of the cart discount.
    pub cart_discount: Money,
    /// Tax rate, percent.
    #[ts(type = "string")]
    pub tax_rate: Decimal,
    /// Tax.
    pub tax: Money,
    /// The line's total (tax included).
    pub total: Money,
    /// Sellable now for this line (its batch, or the product FEFO),
    /// including what this cart holds.
    pub available: Qty,
    /// True when the quantity is more than is available.
    pub short: bool,
}

/// Stock a held cart reserves.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct CartHold {
    /// Reservation.
    pub reservation_id: ReservationId,
    /// Batch.
    pub batch_id: BatchId,
    /// Quantity held.
    pub quantity: Qty,
}

/// A cart with its totals.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct CartView {
    /// Cart id.
    pub cart_id: CartId,
    /// Store.
    pub store_id: StoreId,
    /// Till.
    pub terminal_id: String,
    /// Owner.
    pub user_id: UserId,
    /// Owner's name.
    pub user_name: String,
    /// `open`, `held`, `completed` or `cancelled`.
    pub status: String,
    /// Customer name (held carts).
    pub customer_name: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Cart discount.
    pub discount: Option<Discount>,
    /// Manager who approved the cart discount.
    pub discount_approved_by: Option<UserId>,
    /// Prices include tax (store setting).
    pub prices_include_tax: bool,
    /// Lines.
    pub lines: Vec<CartLineView>,
    /// Totals.
    pub totals: Totals,
    /// Stock held for this cart.
    pub holds: Vec<CartHold>,
    /// When held.
    pub held_at: Option<String>,
    /// When the hold lapses.
    pub hold_expires_at: Option<String>,
    /// The sale it became.
    pub sale_id: Option<SaleId>,
    /// Created.
    pub created_at: String,
    /// Changed.
    pub updated_at: String,
}

/// Builds the whole cart view.
pub(crate) fn view(ctx: &Ctx<'_>, id: CartId) -> Result<CartView> {
    let cart = CartRow::load(ctx, id)?;
    let store = ctx.store(Some(cart.store_id))?;
    let today_d = ctx.today(&store);
    let today = today_d.to_string();
    let p = price(ctx, cart)?;
    let holds = active_holds(ctx, id)?;
    let mut lines = Vec::with_capacity(p.lines.len());
    for (l, a) in p.lines.iter().zip(&p.amounts) {
        let held_for = |pred: &dyn Fn(BatchId) -> bool| -> i64 {
            holds
                .iter()
                .filter(|(_, b, _)| pred(*b))
                .map(|(_, _, q)| *q)
                .sum()
        };
        let (batch_number, batch_expiry, available) = match l.batch_id {
            Some(b) => {
                let row = BatchRow::load(ctx.tx, b)?;
                let free = if row.ensure_sellable(today_d).is_ok() {
                    row.on_hand_milli - row.reserved_milli + held_for(&|x| x == b)
                } else {
                    0
                };
                (Some(row.batch_number), shown_expiry(&row.expiry_date), free)
            }
            None => {
                let free: i64 = ctx
                    .tx
                    .prepare_cached(
                        "SELECT COALESCE(SUM(on_hand_milli - reserved_milli), 0) FROM batches
                          WHERE product_id = ?1 AND store_id = ?2 AND status = 'available' AND expiry_date >= ?3",
                    )?
                    .query_row(params![l.product_id, p.cart.store_id, today], |r| r.get(0))?;
                let mine: i64 = holds
                    .iter()
                    .map(|(_, b, q)| {
                        let same: bool = ctx
                            .tx
                            .prepare_cached("SELECT product_id = ?2 FROM batches WHERE id = ?1")?
                            .query_row(params![b, l.product_id], |r| r.get(0))?;
                        Ok(if same { *q } else { 0 })
                    })
                    .sum::<Result<i64>>()?;
                (None, None, free + mine)
            }
        };
        lines.push(CartLineView {
            line_id: l.id,
            line_no: l.line_no,
            product_id: l.product_id,
            sku: l.sku.clone(),
            name: l.name.clone(),
            unit: l.unit.clone(),
            allow_fractional: l.allow_fractional,
            prescription_only: l.prescription_only,
            prescription_reference: l.prescription_reference.clone(),
            quantity: Qty::from_scaled(l.quantity_milli),
            batch_id: l.batch_id,
            batch_number,
            batch_expiry,
            list_price: m(l.list_price_e4),
            unit_price: m(l.unit_price_e4),
            price_overridden_by: l.price_overridden_by,
            discount: l.discount,
            discount_approved_by: l.discount_approved_by,
            gross: Money(a.gross),
            line_discount: Money(a.line_discount),
            cart_discount: Money(a.cart_discount),
            tax_rate: l.tax_rate.normalize(),
            tax: Money(a.tax),
            total: Money(a.total),
            available: Qty::from_scaled(available.max(0)),
            short: l.quantity_milli > available,
        });
    }
    let user_name: String = ctx.tx.query_row(
        "SELECT name FROM users WHERE id = ?1",
        [p.cart.user_id],
        |r| r.get(0),
    )?;
    let c = p.cart;
    Ok(CartView {
        cart_id: c.id,
        store_id: c.store_id,
        terminal_id: c.terminal_id,
        user_id: c.user_id,
        user_name,
        status: c.status,
        customer_name: c.customer_name,
        note: c.note,
        discount: c.discount,
        discount_approved_by: c.discount_approved_by,
        prices_include_tax: p.settings.prices_include_tax,
        lines,
        totals: p.totals,
        holds: holds
            .into_iter()
            .map(|(reservation_id, batch_id, q)| CartHold {
                reservation_id,
                batch_id,
                quantity: Qty::from_scaled(q),
            })
            .collect(),
        held_at: c.held_at,
        hold_expires_at: c.hold_expires_at,
        sale_id: c.sale_id,
        created_at: c.created_at,
        updated_at: c.updated_at,
    })
}
