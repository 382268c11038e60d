//! Carts: the sale being rung up, kept in SQLite line by line.
//!
//! A cart belongs to one user on one till (`terminal_id`); `open_cart`
//! returns that user's open cart on that till, or starts one, so a till that
//! lost power shows the same cart after the restart. Lines keep the price
//! they were added at (what the customer was told), the batch a scan named,
//! the prescription reference, discounts and overrides with their approver.
//! Every operation here answers the whole cart ([`CartView`]) with totals
//! computed by [`super::pricing`], so the screen never does arithmetic.
//!
//! Editing a resumed cart that still holds stock releases its holds first:
//! the holds were planned for the old lines, and a half-matching hold would
//! be worse than none (the sale re-plans from free stock in one transaction).

use super::pricing::{self, LineAmounts, LineInput, Totals};
use super::settings::{self, TillSettings};
use super::{m, terminal, Discount};
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::catalogue::products::ProductRules;
use crate::error::tax_rate_in_row;
use crate::ids::{BatchId, CartId, CartLineId, ProductId, ReservationId, SaleId, StoreId, UserId};
use crate::num::Qty;
use crate::op::{Ctx, Operation};
use crate::stock::reservations::ReleaseReservation;
use crate::stock::BatchRow;
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;
use serde::Deserialize;
use ts_rs::TS;

/// The reservation reason a held cart uses.
pub const HOLD_REASON: &str = "pending_sale";

/// A cart as stored.
#[derive(Clone, Debug)]
pub(crate) struct CartRow {
    pub id: CartId,
    pub store_id: StoreId,
    pub terminal_id: String,
    pub user_id: UserId,
    pub status: String,
    pub discount: Option<Discount>,
    pub discount_approved_by: Option<UserId>,
    pub customer_name: Option<String>,
    pub note: Option<String>,
    pub held_at: Option<String>,
    pub hold_expires_at: Option<String>,
    pub sale_id: Option<SaleId>,
    pub created_at: String,
    pub updated_at: String,
}

impl CartRow {
    pub(crate) fn load(ctx: &Ctx<'_>, id: CartId) -> Result<CartRow> {
        ctx.tx
            .prepare_cached(
                "SELECT store_id, terminal_id, user_id, status, discount_kind, discount_value, discount_approved_by,
                        customer_name, note, held_at, hold_expires_at, sale_id, created_at, updated_at
                   FROM carts WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok(CartRow {
                    id,
                    store_id: r.get(0)?,
                    terminal_id: r.get(1)?,
                    user_id: r.get(2)?,
                    status: r.get(3)?,
                    discount: Discount::load(r.get(4)?, r.get(5)?),
                    discount_approved_by: r.get(6)?,
                    customer_name: r.get(7)?,
                    note: r.get(8)?,
                    held_at: r.get(9)?,
                    hold_expires_at: r.get(10)?,
                    sale_id: r.get(11)?,
                    created_at: r.get(12)?,
                    updated_at: r.get(13)?,
                })
            })
            .optional()?
            .ok_or_else(|| Error::not_found("cart", id))
            .and_then(|cart: CartRow| {
                // Every path to a cart goes through here: a user of another
                // store is refused before anything is read or changed.
                ctx.check_store(cart.store_id)?;
                Ok(cart)
            })
    }

    /// Fails unless the cart is open and the actor may change it (its owner
    /// or a manager of its store).
    pub(crate) fn ensure_editable(&self, ctx: &Ctx<'_>) -> Result<()> {
        if self.status != "open" {
            return Err(Error::CartNotOpen {
                cart_id: self.id,
                status: self.status.clone(),
            });
        }
        self.ensure_owner(ctx)
    }

    pub(crate) fn ensure_owner(&self, ctx: &Ctx<'_>) -> Result<()> {
        if self.user_id != ctx.actor.id && !ctx.is_manager_at(self.store_id) {
            return Err(Error::Forbidden {
                user: ctx.actor.name.clone(),
                role: ctx
                    .role_in(self.store_id)
                    .unwrap_or(ctx.actor.role)
                    .as_str()
                    .into(),
                permission: "change another user's cart".into(),
            });
        }
        Ok(())
    }

    pub(crate) fn touch(&self, ctx: &Ctx<'_>) -> Result<()> {
        ctx.tx
            .prepare_cached("UPDATE carts SET updated_at = ?2 WHERE id = ?1")?
            .execute(params![self.id, ctx.now_str()])?;
        Ok(())
    }
}

/// A cart line with the product facts pricing needs.
#[derive(Clone, Debug)]
pub(crate) struct LineRow {
    pub id: CartLineId,
    pub line_no: i64,
    pub product_id: ProductId,
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub allow_fractional: bool,
    pub prescription_only: bool,
    pub tax_rate: Decimal,
    pub list_price_e4: i64,
    pub quantity_milli: i64,
    pub batch_id: Option<BatchId>,
    pub unit_price_e4: i64,
    pub price_overridden_by: Option<UserId>,
    pub discount: Option<Discount>,
    pub discount_approved_by: Option<UserId>,
    pub prescription_reference: Option<String>,
}

impl LineRow {
    pub(crate) fn input(&self) -> LineInput {
        LineInput {
            unit_price: m(self.unit_price_e4).0,
            quantity: Qty::from_scaled(self.quantity_milli).0,
            discount: self.discount,
            tax_rate: self.tax_rate,
        }
    }
}

pub(crate) fn load_lines(ctx: &Ctx<'_>, cart: CartId) -> Result<Vec<LineRow>> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT l.id, l.line_no, l.product_id, p.sku, p.name, p.unit, p.allow_fractional, p.prescription_only,
                p.tax_rate, p.selling_price_e4, l.quantity_milli, l.batch_id, l.unit_price_e4,
                l.price_overridden_by, l.discount_kind, l.discount_value, l.discount_approved_by, l.prescription_reference
           FROM cart_lines l JOIN products p ON p.id = l.product_id
          WHERE l.cart_id = ?1 ORDER BY l.line_no",
    )?;
    let rows = stmt.query_map([cart], |r| {
        Ok(LineRow {
            id: r.get(0)?,
            line_no: r.get(1)?,
            product_id: r.get(2)?,
            sku: r.get(3)?,
            name: r.get(4)?,
            unit: r.get(5)?,
            allow_fractional: r.get(6)?,
            prescription_only: r.get(7)?,
            tax_rate: tax_rate_in_row(r, 8, "product", r.get::<_, ProductId>(2)?)?,
            list_price_e4: r.get(9)?,
            quantity_milli: r.get(10)?,
            batch_id: r.get(11)?,
            unit_price_e4: r.get(12)?,
            price_overridden_by: r.get(13)?,
            discount: Discount::load(r.get(14)?, r.get(15)?),
            discount_approved_by: r.get(16)?,
            prescription_reference: r.get(17)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// A cart's lines priced with the store's settings.
pub(crate) struct Priced {
    pub cart: CartRow,
    pub settings: TillSettings,
    pub lines: Vec<LineRow>,
    pub amounts: Vec<LineAmounts>,
    pub totals: Totals,
}

pub(crate) fn price(ctx: &Ctx<'_>, cart: CartRow) -> Result<Priced> {
    let settings = settings::load(ctx.tx, cart.store_id)?;
    let lines = load_lines(ctx, cart.id)?;
    let inputs: Vec<LineInput> = lines.iter().map(LineRow::input).collect();
    let (amounts, totals) = pricing::compute(
        &inputs,
        cart.discount.as_ref(),
        settings.prices_include_tax,
        settings.rounding_increment.0,
    )?;
    Ok(Priced {
        cart,
        settings,
        lines,
        amounts,
        totals,
    })
}

/// This cart's active holds: (reservation, batch, quantity).
pub(crate) fn active_holds(
    ctx: &Ctx<'_>,
    cart: CartId,
) -> Result<Vec<(ReservationId, BatchId, i64)>> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT id, batch_id, quantity_milli FROM stock_reservations
          WHERE reference_id = ?1 AND reason = ?2 AND status = 'active' ORDER BY created_at, id",
    )?;
    let rows = stmt.query_map(params![cart.to_string(), HOLD_REASON], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Releases every active hold of the cart (audit `release` events).
pub(crate) fn release_holds(ctx: &Ctx<'_>, cart: CartId) -> Result<()> {
    for (id, _, _) in active_holds(ctx, cart)? {
        ReleaseReservation { reservation_id: id }.run(ctx)?;
    }
    Ok(())
}

pub(crate) use super::cart_view::view;
pub use super::cart_view::{CartHold, CartLineView, CartView};

/// Checks that a line can be sold as asked: product usable, quantity in its
/// unit, prescription reference when needed, batch of this product and
/// store and sellable today.
pub(crate) fn check_line(
    ctx: &Ctx<'_>,
    store_id: StoreId,
    product: &ProductRules,
    prescription_only: bool,
    quantity: Qty,
    batch_id: Option<BatchId>,
    prescription: Option<&str>,
) -> Result<i64> {
    if product.status == "pending_approval" {
        return Err(Error::ProductPendingApproval {
            product_id: product.id,
            sku: product.sku.clone(),
        });
    }
    let q = product.quantity("quantity", quantity)?;
    if prescription_only && prescription.is_none() {
        return Err(Error::PrescriptionRequired {
            product_id: product.id,
            sku: product.sku.clone(),
        });
    }
    if let Some(b) = batch_id {
        let row = BatchRow::load(ctx.tx, b)?;
        if row.product_id != product.id || row.store_id != store_id {
            return Err(Error::invalid(
                "batch_id",
                format!(
                    "batch {} is not {}'s in this store",
                    row.batch_number, product.sku
                ),
            ));
        }
        let store = ctx.store(Some(store_id))?;
        row.ensure_sellable(ctx.today(&store))?;
    }
    Ok(q)
}

/// Loads an editable cart and drops its holds (see the module notes).
pub(crate) fn editable(ctx: &Ctx<'_>, id: CartId) -> Result<CartRow> {
    let cart = CartRow::load(ctx, id)?;
    cart.ensure_editable(ctx)?;
    release_holds(ctx, id)?;
    Ok(cart)
}

/// One open cart per user per till: the same cart comes back until it is sold, held or
/// cancelled, so a till that lost power finds it again. `terminal_id` is the
/// workstation's name (letters, digits, `-`, `_`, `.`). Opening a cart needs no shift;
/// selling does.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct OpenCart {
    /// The till (workstation) id.
    pub terminal_id: String,
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

impl Operation for OpenCart {
    const NAME: &'static str = "open_cart";
    const SUMMARY: &'static str =
        "The user's open cart on this till (found again after a restart), or a new one";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    fn deferred_copy(&self) -> Option<Self> {
        Some(self.clone())
    }
    type Output = CartView;

    fn run(self, ctx: &Ctx<'_>) -> Result<CartView> {
        let store = ctx.store(self.store_id)?;
        let term = terminal("terminal_id", &self.terminal_id)?;
        let existing: Option<CartId> = ctx
            .tx
            .prepare_cached(
                "SELECT id FROM carts WHERE store_id = ?1 AND terminal_id = ?2 AND user_id = ?3 AND status = 'open'",
            )?
            .query_row(params![store.id, term, ctx.actor.id], |r| r.get(0))
            .optional()?;
        let id = match existing {
            Some(id) => id,
            None => {
                let id = CartId::new();
                ctx.tx.execute(
                    "INSERT INTO carts (id, store_id, terminal_id, user_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                    params![id, store.id, term, ctx.actor.id, ctx.now_str()],
                )?;
                id
            }
        };
        view(ctx, id)
    }
}

/// The cart as every cart command answers it (`CartView`): lines with `list_price`,
/// `unit_price`, `gross`, `line_discount`, `cart_discount`, `tax`, `total`, the pinned
/// `batch_id` (with `batch_number`, `batch_expiry`), `available` and `short`; `totals`
/// (`subtotal`, `discount`, `tax`, `total_before_rounding`, `rounding`, `total`, `taxes`
/// per rate); `holds` of a held cart. Amounts are exact decimals rounded to 2 places,
/// half away from zero; with tax-inclusive prices the tax is extracted from the line
/// (`amount × r / (100 + r)`).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetCart {
    /// Cart.
    pub cart_id: CartId,
}

impl Operation for GetCart {
    const NAME: &'static str = "get_cart";
    const SUMMARY: &'static str = "A cart with its lines, availability, taxes and exact totals";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = false;
    type Output = CartView;

    fn run(self, ctx: &Ctx<'_>) -> Result<CartView> {
        view(ctx, self.cart_id)
    }
}

/// - The quantity follows the product's unit (whole unless `allow_fractional`); a
///   prescription-only product needs `prescription_reference` (`prescription_required`),
///   kept with the sale line. A discontinued product can still be sold from stock; one
///   `pending_approval` cannot (`product_pending_approval`).
/// - `batch_id` pins the line to that batch (a scan's `use_batch`): it must be the
///   product's, in the cart's store, and sellable today (`batch_not_sellable`, with
///   `details.reason`). Without it, FEFO picks at completion.
/// - The line keeps the price it was added at. Adding the same product and batch again
///   (no discount, no override) adds to that line.
/// - A shortage does not refuse the line: it is flagged `short` (and `available` says how
///   much there is); the sale itself is all or nothing.
/// - Only the cart's owner or a manager can change a cart (`forbidden`); only an `open`
///   cart can change (`cart_not_open`). Changing a resumed cart releases its holds.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct AddCartLine {
    /// Cart.
    pub cart_id: CartId,
    /// Product.
    pub product_id: ProductId,
    /// Quantity (default 1; fractions only where the product allows).
    #[ts(optional)]
    pub quantity: Option<Qty>,
    /// The batch a scan named (`scan_barcode`'s `use_batch`); None: FEFO.
    #[ts(optional)]
    pub batch_id: Option<BatchId>,
    /// Prescription reference (required for prescription-only products).
    #[ts(optional)]
    pub prescription_reference: Option<String>,
}

impl Operation for AddCartLine {
    const NAME: &'static str = "add_cart_line";
    const SUMMARY: &'static str =
        "Add a product to a cart (a repeat scan of the same product and batch adds to its line)";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    // A cart is redone by scanning again; the sale that completes it is durable.
    fn deferred_copy(&self) -> Option<Self> {
        Some(self.clone())
    }
    type Output = CartView;

    fn run(self, ctx: &Ctx<'_>) -> Result<CartView> {
        let cart = editable(ctx, self.cart_id)?;
        let product = ProductRules::load(ctx.tx, self.product_id)?;
        let (prescription_only, price_e4): (bool, i64) = ctx.tx.query_row(
            "SELECT prescription_only, selling_price_e4 FROM products WHERE id = ?1",
            [self.product_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let rx = optional_text(
            "prescription_reference",
            self.prescription_reference.as_deref(),
            80,
        )?;
        let quantity = self.quantity.unwrap_or(Qty::from(1));
        let q = check_line(
            ctx,
            cart.store_id,
            &product,
            prescription_only,
            quantity,
            self.batch_id,
            rx.as_deref(),
        )?;
        let same: Option<(CartLineId, i64)> = ctx
            .tx
            .prepare_cached(
                "SELECT id, quantity_milli FROM cart_lines
                  WHERE cart_id = ?1 AND product_id = ?2 AND batch_id IS ?3 AND prescription_reference IS ?4
                    AND discount_kind IS NULL AND price_overridden_by IS NULL AND unit_price_e4 = ?5
                  ORDER BY line_no DESC LIMIT 1",
            )?
            .query_row(
                params![cart.id, self.product_id, self.batch_id, rx, price_e4],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match same {
            Some((line, had)) => {
                ctx.tx.execute(
                    "UPDATE cart_lines SET quantity_milli = ?2 WHERE id = ?1",
                    params![line, had + q],
                )?;
            }
            None => {
                let next: i64 = ctx.tx.query_row(
                    "SELECT COALESCE(MAX(line_no), 0) + 1 FROM cart_lines WHERE cart_id = ?1",
                    [cart.id],
                    |r| r.get(0),
                )?;
                ctx.tx.execute(
                    "INSERT INTO cart_lines (id, cart_id, line_no, product_id, quantity_milli, batch_id, unit_price_e4,
                                             prescription_reference, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![
                        CartLineId::new(),
                        cart.id,
                        next,
                        self.product_id,
                        q,
                        self.batch_id,
                        price_e4,
                        rx,
                        ctx.now_str()
                    ],
                )?;
            }
        }
        cart.touch(ctx)?;
        view(ctx, cart.id)
    }
}

pub(crate) fn line_of(ctx: &Ctx<'_>, cart: CartId, line: CartLineId) -> Result<LineRow> {
    load_lines(ctx, cart)?
        .into_iter()
        .find(|l| l.id == line)
        .ok_or_else(|| Error::not_found("cart line", line))
}

/// Change a line's quantity, prescription reference or batch.
///
/// The batch is changed with `batch_id` (pin the line to that batch, the cashier's manual
/// choice) or `use_fefo: true` (unpin it: the sale takes FEFO stock again); giving both
/// is refused, giving neither keeps the line's batch. A separate flag rather than
/// `"batch_id": null` because an absent field and a null one are the same `None` to
/// serde, and the generated TypeScript would not tell them apart either.
///
/// - Omitted fields are kept. The new quantity and prescription reference follow the same
///   rules as `add_cart_line`.
/// - `batch_id` pins the line to a batch chosen by hand; `use_fefo: true` unpins it (both
///   at once is `invalid_input`). A pinned batch must be this product's in the cart's
///   store (`invalid_input`), exist (`not_found`), be sellable today (`batch_not_sellable`
///   with `details.reason`: `expired` or the batch's status) and have the line's quantity
///   free after other holds and the cart's other lines pinned to it (`insufficient_stock`);
///   unlike `add_cart_line`, a hand-picked batch that cannot fill the line is refused at
///   once.
///   The line is not merged with another line of the same batch.
/// - A refusal changes nothing.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct UpdateCartLine {
    /// Cart.
    pub cart_id: CartId,
    /// Line.
    pub line_id: CartLineId,
    /// New quantity.
    #[ts(optional)]
    pub quantity: Option<Qty>,
    /// New prescription reference.
    #[ts(optional)]
    pub prescription_reference: Option<String>,
    /// Pin the line to this batch: it must be this product's, in the cart's
    /// store, sellable today (not expired, recalled, quarantined, damaged
    /// or depleted) and have the line's quantity free (together with the
    /// cart's other lines pinned to it).
    #[ts(optional)]
    pub batch_id: Option<BatchId>,
    /// `true`: unpin the line; the sale takes FEFO stock for it.
    #[ts(optional)]
    pub use_fefo: Option<bool>,
}

impl Operation for UpdateCartLine {
    const NAME: &'static str = "update_cart_line";
    const SUMMARY: &'static str =
        "Change a cart line's quantity, prescription reference or batch (a chosen batch, or back to FEFO)";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    fn deferred_copy(&self) -> Option<Self> {
        Some(self.clone())
    }
    type Output = CartView;

    fn run(self, ctx: &Ctx<'_>) -> Result<CartView> {
        let use_fefo = self.use_fefo.unwrap_or(false);
        if use_fefo && self.batch_id.is_some() {
            return Err(Error::invalid(
                "use_fefo",
                "give either batch_id (pin the line to a batch) or use_fefo (back to FEFO), not both",
            ));
        }
        let cart = editable(ctx, self.cart_id)?;
        let l = line_of(ctx, cart.id, self.line_id)?;
        let product = ProductRules::load(ctx.tx, l.product_id)?;
        let rx = match &self.prescription_reference {
            Some(r) => optional_text("prescription_reference", Some(r), 80)?,
            None => l.prescription_reference.clone(),
        };
        let batch = match (self.batch_id, use_fefo) {
            (Some(b), _) => Some(b),
            (None, true) => None,
            (None, false) => l.batch_id,
        };
        let quantity = self.quantity.unwrap_or(Qty::from_scaled(l.quantity_milli));
        let q = check_line(
            ctx,
            cart.store_id,
            &product,
            l.prescription_only,
            quantity,
            batch,
            rx.as_deref(),
        )?;
        if let Some(b) = self.batch_id {
            ensure_batch_covers(ctx, cart.id, l.id, b, q)?;
        }
        ctx.tx.execute(
            "UPDATE cart_lines SET quantity_milli = ?2, prescription_reference = ?3, batch_id = ?4 WHERE id = ?1",
            params![l.id, q, rx, batch],
        )?;
        cart.touch(ctx)?;
        // An amount discount larger than the new gross fails here, in
        // pricing, and rolls the change back.
        view(ctx, cart.id)
    }
}

/// Refuses a manual batch choice that cannot cover the line: the batch's
/// free stock (on hand − every hold; this cart's own holds were released by
/// [`editable`]) must cover this line plus the cart's other lines pinned to
/// the same batch. Adding a line never refuses a shortage (the line shows
/// `short` and the till offers a backorder); a batch picked by hand for an
/// existing line that it cannot fill is a mistake to say at once.
fn ensure_batch_covers(
    ctx: &Ctx<'_>,
    cart: CartId,
    line: CartLineId,
    batch: BatchId,
    quantity_milli: i64,
) -> Result<()> {
    let row = BatchRow::load(ctx.tx, batch)?;
    let others: i64 = ctx
        .tx
        .prepare_cached(
            "SELECT COALESCE(SUM(quantity_milli), 0) FROM cart_lines
              WHERE cart_id = ?1 AND batch_id = ?2 AND id <> ?3",
        )?
        .query_row(params![cart, batch, line], |r| r.get(0))?;
    let free = (row.on_hand_milli - row.reserved_milli - others).max(0);
    if quantity_milli > free {
        return Err(Error::InsufficientStock {
            product_id: Some(row.product_id.to_string()),
            batch_id: Some(row.id.to_string()),
            requested: Qty::from_scaled(quantity_milli).to_string(),
            available: Qty::from_scaled(free).to_string(),
        });
    }
    Ok(())
}

/// A line that is not in the cart is `not_found`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RemoveCartLine {
    /// Cart.
    pub cart_id: CartId,
    /// Line.
    pub line_id: CartLineId,
}

impl Operation for RemoveCartLine {
    const NAME: &'static str = "remove_cart_line";
    const SUMMARY: &'static str = "Remove a line from a cart";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    fn deferred_copy(&self) -> Option<Self> {
        Some(self.clone())
    }
    type Output = CartView;

    fn run(self, ctx: &Ctx<'_>) -> Result<CartView> {
        let cart = editable(ctx, self.cart_id)?;
        let n = ctx.tx.execute(
            "DELETE FROM cart_lines WHERE id = ?1 AND cart_id = ?2",
            params![self.line_id, cart.id],
        )?;
        if n == 0 {
            return Err(Error::not_found("cart line", self.line_id));
        }
        cart.touch(ctx)?;
        view(ctx, cart.id)
    }
}

/// An `open` cart (its owner or a manager) or a `held` one (anyone who sells) becomes
/// `cancelled` and its holds are released. A sold or cancelled cart is `cart_closed`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CancelCart {
    /// Cart.
    pub cart_id: CartId,
}

impl Operation for CancelCart {
    const NAME: &'static str = "cancel_cart";
    const SUMMARY: &'static str = "Abandon an open or held cart and release its holds";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    type Output = CartView;

    fn run(self, ctx: &Ctx<'_>) -> Result<CartView> {
        let cart = CartRow::load(ctx, self.cart_id)?;
        if cart.status != "open" && cart.status != "held" {
            return Err(Error::CartClosed {
                cart_id: cart.id,
                status: cart.status,
            });
        }
        if cart.status == "open" {
            cart.ensure_owner(ctx)?;
        }
        release_holds(ctx, cart.id)?;
        ctx.tx.execute(
            "UPDATE carts SET status = 'cancelled', updated_at = ?2 WHERE id = ?1",
            params![cart.id, ctx.now_str()],
        )?;
        view(ctx, cart.id)
    }
}
