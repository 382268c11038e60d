//! Discounts and price overrides on a cart: the operations that may need a
//! manager. A discount is compared with the cashier's limit as a percentage
//! of what it applies to (the line's gross, or the lines after their own
//! discounts for a cart discount); above it, or for any price override, the
//! request must come from a manager or carry a manager's name and PIN
//! (`approval::approve`), and the approver is stored with the discount or
//! price. `complete_sale` checks again, since a quantity change can push an
//! amount discount over the limit.

use super::cart::{editable, line_of, over_limit, price, view, CartRow, CartView};
use super::settings::TillSettings;
use super::{pricing, settings, Discount};
use crate::approval::{approve, Approval, IfMissing};
use crate::auth::Permission;
use crate::ids::{CartId, CartLineId, UserId};
use crate::num::Money;
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use rusqlite::params;
use serde::Deserialize;
use ts_rs::TS;

/// `set_line_discount`: a percentage or amount off one line; above the
/// cashier's limit it needs a manager's name and PIN. `discount` omitted or
/// null removes it.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SetLineDiscount {
    /// Cart.
    pub cart_id: CartId,
    /// Line.
    pub line_id: CartLineId,
    /// The discount (None removes it).
    #[ts(optional)]
    pub discount: Option<Discount>,
    /// Approving manager's name (above the cashier limit).
    #[ts(optional)]
    pub approver_name: Option<String>,
    /// Approving manager's PIN.
    #[ts(optional)]
    pub approver_pin: Option<String>,
}

impl Operation for SetLineDiscount {
    const NAME: &'static str = "set_line_discount";
    const SUMMARY: &'static str =
        "Discount one cart line (percent or amount); above the cashier limit a manager's PIN";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    type Output = CartView;

    fn run(self, ctx: &Ctx<'_>) -> Result<CartView> {
        let cart = editable(ctx, self.cart_id)?;
        let l = line_of(ctx, cart.id, self.line_id)?;
        let settings = settings::load(ctx.tx, cart.store_id)?;
        let input = l.input();
        let gross = pricing::round(input.unit_price * input.quantity);
        let approved_by = approve_discount(
            ctx,
            &cart,
            &settings,
            self.discount.as_ref(),
            gross,
            (self.approver_name.as_deref(), self.approver_pin.as_deref()),
        )?;
        let (kind, value) = Discount::stored(self.discount.as_ref());
        ctx.tx.execute(
            "UPDATE cart_lines SET discount_kind = ?2, discount_value = ?3, discount_approved_by = ?4 WHERE id = ?1",
            params![l.id, kind, value, approved_by],
        )?;
        cart.touch(ctx)?;
        view(ctx, cart.id)
    }
}

/// The manager who approved `discount` off `base`: none needed within the
/// cashier's limit (or when the discount is removed), else the acting
/// manager or the named approver whose PIN checks out.
fn approve_discount(
    ctx: &Ctx<'_>,
    cart: &CartRow,
    settings: &TillSettings,
    discount: Option<&Discount>,
    base: rust_decimal::Decimal,
    (approver_name, approver_pin): (Option<&str>, Option<&str>),
) -> Result<Option<UserId>> {
    let Some(d) = discount else {
        return Ok(None);
    };
    let off = pricing::discount_amount(d, base, "discount")?;
    Ok(approve(
        ctx,
        Approval {
            action: "a discount above the cashier limit",
            store_id: Some(cart.store_id),
            needed: over_limit(settings, off, base),
            approver_name,
            approver_pin,
            if_missing: IfMissing::Refuse,
        },
    )?
    .map(|a| a.id))
}

/// `set_cart_discount`: a percentage or amount off the whole cart, shared
/// across its lines; above the cashier's limit it needs a manager's PIN.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SetCartDiscount {
    /// Cart.
    pub cart_id: CartId,
    /// The discount (None removes it).
    #[ts(optional)]
    pub discount: Option<Discount>,
    /// Approving manager's name.
    #[ts(optional)]
    pub approver_name: Option<String>,
    /// Approving manager's PIN.
    #[ts(optional)]
    pub approver_pin: Option<String>,
}

impl Operation for SetCartDiscount {
    const NAME: &'static str = "set_cart_discount";
    const SUMMARY: &'static str =
        "Discount a whole cart (percent or amount); above the cashier limit a manager's PIN";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    type Output = CartView;

    fn run(self, ctx: &Ctx<'_>) -> Result<CartView> {
        let cart = editable(ctx, self.cart_id)?;
        let mut without = cart.clone();
        without.discount = None;
        let p = price(ctx, without)?;
        let approved_by = approve_discount(
            ctx,
            &cart,
            &p.settings,
            self.discount.as_ref(),
            p.totals.subtotal.0 - p.totals.discount.0,
            (self.approver_name.as_deref(), self.approver_pin.as_deref()),
        )?;
        let (kind, value) = Discount::stored(self.discount.as_ref());
        ctx.tx.execute(
            "UPDATE carts SET discount_kind = ?2, discount_value = ?3, discount_approved_by = ?4 WHERE id = ?1",
            params![cart.id, kind, value, approved_by],
        )?;
        cart.touch(ctx)?;
        view(ctx, cart.id)
    }
}

/// `override_line_price`: charge another unit price (always a manager's
/// approval); `unit_price` omitted or null goes back to the list price.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct OverrideLinePrice {
    /// Cart.
    pub cart_id: CartId,
    /// Line.
    pub line_id: CartLineId,
    /// New unit price (None: back to the list price).
    #[ts(optional)]
    pub unit_price: Option<Money>,
    /// Approving manager's name.
    #[ts(optional)]
    pub approver_name: Option<String>,
    /// Approving manager's PIN.
    #[ts(optional)]
    pub approver_pin: Option<String>,
}

impl Operation for OverrideLinePrice {
    const NAME: &'static str = "override_line_price";
    const SUMMARY: &'static str = "Change a cart line's unit price (manager approval)";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    type Output = CartView;

    fn run(self, ctx: &Ctx<'_>) -> Result<CartView> {
        let cart = editable(ctx, self.cart_id)?;
        let l = line_of(ctx, cart.id, self.line_id)?;
        let (price_e4, by) = match self.unit_price {
            Some(p) if p.is_negative() => {
                return Err(Error::invalid("unit_price", "a price cannot be negative"))
            }
            Some(p) if p.to_scaled("unit_price")? != l.list_price_e4 => {
                let by = approve(
                    ctx,
                    Approval {
                        action: "a price override",
                        store_id: Some(cart.store_id),
                        needed: true,
                        approver_name: self.approver_name.as_deref(),
                        approver_pin: self.approver_pin.as_deref(),
                        if_missing: IfMissing::Refuse,
                    },
                )?
                .map(|a| a.id);
                (p.to_scaled("unit_price")?, by)
            }
            _ => (l.list_price_e4, None),
        };
        ctx.tx.execute(
            "UPDATE cart_lines SET unit_price_e4 = ?2, price_overridden_by = ?3 WHERE id = ?1",
            params![l.id, price_e4, by],
        )?;
        cart.touch(ctx)?;
        view(ctx, cart.id)
    }
}
