//! Discounts and price overrides on a cart: the operations that may need a
//! manager. The cashier's limit applies to the *effective* discount each
//! line gets: its own discount and its share of the cart's, compounded
//! (10 % off the line, then 10 % off the cart, is 19 % off the line's
//! price). A percentage counts as its nominal rate (cent rounding of the
//! amounts never tips a discount at the limit over it); an amount as its
//! share of what it applies to (the line's gross, or the lines after their
//! own discounts for a cart discount). A discount that takes a line's
//! effective discount above the limit, and any price override, must come
//! from a manager or carry a manager's name and PIN (`approval::approve`),
//! and the approver is stored with the discount or price. So a line
//! discount is judged with the cart's current discount, and a cart discount
//! with every line's own. `complete_sale` checks again, since a quantity
//! change can push an amount discount over the limit: a line above it must
//! have one of its discounts approved by a manager (who saw the effective
//! discount when approving it).

use super::cart::{editable, line_of, load_lines, price, view, CartRow, CartView, LineRow};
use super::pricing::LineInput;
use super::settings::TillSettings;
use super::{pricing, settings, Discount, DiscountKind};
use crate::approval::{approve, Approval, ApprovalMeasure, IfMissing, Over};
use crate::auth::Permission;
use crate::ids::{CartId, CartLineId, UserId};
use crate::num::Money;
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use rusqlite::params;
use rust_decimal::Decimal;
use serde::Deserialize;
use ts_rs::TS;

/// - `discount` is `{"kind": "percent" | "amount", "value": …}`: a percentage (0–100) of
///   the line's gross, or an amount up to the gross. Omitted or null removes it.
/// - Above the store's `cashier_discount_limit_percent` (as a percentage of the gross) it
///   needs a manager: the acting user is one, or `approver_name` + `approver_pin` name
///   one. Without them `approval_required`; a wrong PIN `approval_required` again,
///   "approval refused: …" (written to the security log, and counting towards the
///   manager's lockout: 5 tries, 5 minutes, then `locked`); a non-manager's PIN
///   `forbidden`. The approver is kept on the line (`discount_approved_by`).
/// - `complete_sale` checks the limit again (a quantity change can push an amount
///   discount over it).
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
        let settings = settings::load(ctx.tx, cart.store_id)?;
        let lines = load_lines(ctx, cart.id)?;
        let at = lines
            .iter()
            .position(|l| l.id == self.line_id)
            .ok_or_else(|| Error::not_found("cart line", self.line_id))?;
        let l = &lines[at];
        // The cart's discount as it would stand with this line's new one (an
        // amount off the cart is shared over the lines after theirs).
        let inputs: Vec<LineInput> = lines
            .iter()
            .enumerate()
            .map(|(i, x)| LineInput {
                discount: if i == at { self.discount } else { x.discount },
                ..x.input()
            })
            .collect();
        let (amounts, _) =
            pricing::compute(&inputs, None, settings.prices_include_tax, Decimal::ZERO)?;
        let after: Decimal = amounts.iter().map(|a| a.gross - a.line_discount).sum();
        let effective = self.discount.as_ref().map_or(Decimal::ZERO, |d| {
            effective_percent(Some(d), amounts[at].gross, cart.discount.as_ref(), after)
        });
        let approved_by = approve_discount(
            ctx,
            &cart,
            &settings,
            self.discount.as_ref(),
            effective,
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

/// The share (0–1) a discount takes of `base`: a percentage's nominal
/// rate, an amount's part of the base.
fn fraction(d: Option<&Discount>, base: Decimal) -> Decimal {
    match d {
        None => Decimal::ZERO,
        Some(d) => match d.kind {
            DiscountKind::Percent => d.value.0 / Decimal::ONE_HUNDRED,
            DiscountKind::Amount if base > Decimal::ZERO => (d.value.0 / base).min(Decimal::ONE),
            DiscountKind::Amount => Decimal::ZERO,
        },
    }
}

/// A line's effective discount, percent of its gross: its own discount
/// (of `gross`) and the cart's (of `after`, the cart's lines after their own
/// discounts) compounded. 0 for a line that costs nothing.
pub(crate) fn effective_percent(
    line: Option<&Discount>,
    gross: Decimal,
    cart: Option<&Discount>,
    after: Decimal,
) -> Decimal {
    if gross <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let kept = (Decimal::ONE - fraction(line, gross)) * (Decimal::ONE - fraction(cart, after));
    (Decimal::ONE - kept) * Decimal::ONE_HUNDRED
}

/// True when an effective discount (percent) is above the cashier's limit.
pub(crate) fn over_limit(settings: &TillSettings, effective_percent: Decimal) -> bool {
    effective_percent > settings.cashier_discount_limit_percent
}

/// The line discounts of `lines` and the cart's discount over them, with
/// every line's effective discount (percent), in line order.
pub(crate) fn effective_per_line(
    lines: &[LineRow],
    amounts: &[pricing::LineAmounts],
    cart: Option<&Discount>,
) -> Vec<Decimal> {
    let after: Decimal = amounts.iter().map(|a| a.gross - a.line_discount).sum();
    lines
        .iter()
        .zip(amounts)
        .map(|(l, a)| effective_percent(l.discount.as_ref(), a.gross, cart, after))
        .collect()
}

/// The manager who approved `discount` when it makes a line's effective
/// discount `effective` (percent): none needed within the cashier's limit
/// (or when the discount is removed), else the acting manager or the named
/// approver whose PIN checks out.
fn approve_discount(
    ctx: &Ctx<'_>,
    cart: &CartRow,
    settings: &TillSettings,
    discount: Option<&Discount>,
    effective: Decimal,
    (approver_name, approver_pin): (Option<&str>, Option<&str>),
) -> Result<Option<UserId>> {
    if discount.is_none() {
        return Ok(None);
    }
    let over = Over::by(
        ApprovalMeasure::Percent,
        effective.round_dp(2).normalize(),
        settings.cashier_discount_limit_percent.normalize(),
    );
    Ok(approve(
        ctx,
        Approval {
            action: "a discount above the cashier limit (the line's own and the cart's together)",
            store_id: Some(cart.store_id),
            needed: over_limit(settings, effective),
            approver_name,
            approver_pin,
            if_missing: IfMissing::Refuse,
            over: Some(&over),
        },
    )?
    .map(|a| a.id))
}

/// `discount` as for `set_line_discount`, applied to the lines after their own discounts
/// and shared across them in proportion (the last line takes the remainder, shown per
/// line as `cart_discount`). The same limit and approval rules; the approver is
/// `discount_approved_by` on the cart.
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
        let mut with = cart.clone();
        with.discount = self.discount;
        // Pricing refuses an amount above the lines (nothing is written).
        let p = price(ctx, with)?;
        let effective = effective_per_line(&p.lines, &p.amounts, self.discount.as_ref())
            .into_iter()
            .max()
            .unwrap_or(Decimal::ZERO);
        let approved_by = approve_discount(
            ctx,
            &cart,
            &p.settings,
            self.discount.as_ref(),
            effective,
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

/// Any price other than the list price needs a manager (the acting user, or
/// `approver_name` + `approver_pin`), kept as `price_overridden_by`; `unit_price`
/// omitted, null or equal to the list price goes back to the list price. A negative price
/// is `invalid_input`.
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
                let over = Over::always(ApprovalMeasure::Money, p);
                let by = approve(
                    ctx,
                    Approval {
                        action: "a price override",
                        store_id: Some(cart.store_id),
                        needed: true,
                        approver_name: self.approver_name.as_deref(),
                        approver_pin: self.approver_pin.as_deref(),
                        if_missing: IfMissing::Refuse,
                        over: Some(&over),
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
