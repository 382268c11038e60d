//! The till: settings, scanning, carts, holds, sales, receipts, returns,
//! voids and shifts.
//!
//! Why it is shaped so:
//! - A cart lives in SQLite from its first line, not in the UI's memory, so a
//!   till that loses power finds the cashier's cart again (`open_cart`
//!   returns the open cart of this user on this till).
//! - Stock moves only when a sale completes (or a hold reserves it), always
//!   through `crate::stock::move_stock` so every unit sold, returned or
//!   voided has its audit event with the sale number as reference.
//! - `complete_sale` is one transaction and idempotent on the client's
//!   `sale_id`: a retry after a lost answer returns the same receipt and
//!   never sells twice.
//! - Money is computed once, by [`pricing`], from the cart's stored facts; a
//!   cart's totals and its sale's totals are the same function's output.
//! - Whatever is beyond a cashier's limits (large discounts, price
//!   overrides, refunds over the limit, voids) takes a manager's name and PIN
//!   in the same request, checked by the core's [`crate::approval`] service
//!   like every other area's approvals; the approver is recorded on the row,
//!   and a failed PIN is logged to the security log even though the request
//!   fails.

pub mod cart;
mod cart_view;
pub mod complete;
pub mod discounts;
pub mod holds;
mod plan;
pub mod pricing;
pub mod receipt;
pub mod returns;
pub mod scan;
pub mod settings;
pub mod shift_list;
pub mod shifts;

use crate::num::Money;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Whether a discount is a percentage or an amount of money.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DiscountKind {
    /// `value` percent of the amount (0–100).
    Percent,
    /// `value` off, in the store's currency.
    Amount,
}

impl DiscountKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            DiscountKind::Percent => "percent",
            DiscountKind::Amount => "amount",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<DiscountKind> {
        match s {
            "percent" => Some(DiscountKind::Percent),
            "amount" => Some(DiscountKind::Amount),
            _ => None,
        }
    }
}

/// A line or cart discount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Discount {
    /// Percent or amount.
    pub kind: DiscountKind,
    /// The percentage (e.g. "10") or the amount (e.g. "2.50").
    pub value: Money,
}

impl Discount {
    /// Refuses negative values, percentages over 100 and more than 4
    /// decimals, naming `{field}.value`: the part of the discount at fault.
    pub(crate) fn validate(&self, field: &str) -> Result<()> {
        let value = format!("{field}.value");
        if self.value.is_negative() {
            return Err(Error::invalid(
                &value,
                format!(
                    "{value}: a discount cannot be negative (got {})",
                    self.value
                ),
            ));
        }
        if self.kind == DiscountKind::Percent && self.value > Money::from(100) {
            return Err(Error::invalid(
                &value,
                format!(
                    "{value}: a percentage discount is at most 100 (got {})",
                    self.value
                ),
            ));
        }
        self.value.to_scaled(&value)?;
        Ok(())
    }

    /// Stored as (kind, decimal text).
    pub(crate) fn stored(d: Option<&Discount>) -> (Option<&'static str>, Option<String>) {
        match d {
            Some(d) => (Some(d.kind.as_str()), Some(d.value.to_string())),
            None => (None, None),
        }
    }

    /// Read back from (kind, decimal text).
    pub(crate) fn load(kind: Option<String>, value: Option<String>) -> Option<Discount> {
        let kind = DiscountKind::parse(kind.as_deref()?)?;
        let value = value?.parse::<Money>().ok()?;
        Some(Discount { kind, value })
    }
}

/// A till (terminal) id: what the shell calls this workstation.
pub(crate) fn terminal(field: &str, id: &str) -> Result<String> {
    let t = crate::catalogue::required_text(field, id, 40)?;
    if !t
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
    {
        return Err(Error::invalid(
            field,
            "a till id is letters, digits, '-', '_' or '.'",
        ));
    }
    Ok(t)
}

/// Stored money (ten-thousandths) as [`Money`].
pub(crate) fn m(e4: i64) -> Money {
    Money::from_scaled(e4)
}
