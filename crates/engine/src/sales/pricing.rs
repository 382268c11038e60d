//! Cart arithmetic: one pure function from lines, discounts and the store's
//! tax and rounding settings to exact totals. Carts, sales and receipts all
//! show its output, so the till and the receipt can never disagree.
//!
//! Order of operations, all in `Decimal`, each amount rounded half away from
//! zero to [`CURRENCY_DP`] places when it is produced:
//! 1. gross = unit price × quantity;
//! 2. line discount (percent of gross, or an amount up to gross);
//! 3. cart discount (percent of, or an amount up to, the lines after their
//!    discounts), shared across lines in proportion to their amounts, the
//!    last line taking the remainder so that the shares add up exactly;
//! 4. tax per line at the product's rate: extracted from the amount when
//!    prices include tax (`amount × r / (100 + r)`), added on top otherwise;
//! 5. the cash total is the total rounded to the store's cash increment
//!    (0.05, 1…), the difference shown as a rounding line. Rounding is for
//!    cash only: a card pays `total_before_rounding`, and a split payment
//!    rounds only what is left for cash (`complete_sale` settles it once
//!    the tenders are known).

use super::{Discount, DiscountKind};
use crate::num::Money;
use crate::{Error, Result};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use ts_rs::TS;

/// Decimal places of every computed amount (the currency's minor unit).
pub const CURRENCY_DP: u32 = 2;

/// Rounds an amount half away from zero to [`CURRENCY_DP`] places.
pub fn round(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(CURRENCY_DP, RoundingStrategy::MidpointAwayFromZero)
}

/// Rounds to a multiple of `increment` (half away from zero); 0 leaves the
/// amount as it is.
pub fn round_to_increment(d: Decimal, increment: Decimal) -> Decimal {
    if increment <= Decimal::ZERO {
        return d;
    }
    (d / increment).round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero) * increment
}

/// One line's facts.
#[derive(Clone, Debug)]
pub struct LineInput {
    /// Price per unit.
    pub unit_price: Decimal,
    /// Quantity.
    pub quantity: Decimal,
    /// Line discount.
    pub discount: Option<Discount>,
    /// Tax percent.
    pub tax_rate: Decimal,
}

/// One line's amounts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineAmounts {
    /// Unit price × quantity.
    pub gross: Decimal,
    /// The line's own discount.
    pub line_discount: Decimal,
    /// Its share of the cart discount.
    pub cart_discount: Decimal,
    /// Tax on the line.
    pub tax: Decimal,
    /// What the customer pays for the line (tax included).
    pub total: Decimal,
}

/// Tax at one rate, for the receipt's tax summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TaxLine {
    /// Percent.
    #[ts(type = "string")]
    pub rate: Decimal,
    /// Amount the tax was computed on (excluding tax).
    pub taxable: Money,
    /// Tax.
    pub tax: Money,
}

/// A cart's totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Totals {
    /// Lines at their unit prices (before discounts).
    pub subtotal: Money,
    /// Line and cart discounts together.
    pub discount: Money,
    /// Tax (included in the total when prices include tax).
    pub tax: Money,
    /// The exact total: what a card (any tender but cash) pays.
    pub total_before_rounding: Money,
    /// Cash rounding adjustment (total − total before rounding).
    pub rounding: Money,
    /// What the customer pays in cash alone (rounded to the store's cash
    /// increment); a split payment rounds only its cash part.
    pub total: Money,
    /// Tax per rate.
    pub taxes: Vec<TaxLine>,
}

/// The discount a [`Discount`] takes from `base`; an amount above the base
/// is refused.
pub fn discount_amount(d: &Discount, base: Decimal, field: &str) -> Result<Decimal> {
    d.validate(field)?;
    match d.kind {
        DiscountKind::Percent => Ok(round(base * d.value.0 / Decimal::ONE_HUNDRED)),
        DiscountKind::Amount => {
            if d.value.0 > base {
                let value = format!("{field}.value");
                Err(Error::invalid(
                    &value,
                    format!(
                        "{value}: a discount of {} is more than the amount {}",
                        d.value,
                        round(base)
                    ),
                ))
            } else {
                Ok(round(d.value.0))
            }
        }
    }
}

/// The percentage `amount` is of `base` (0 when base is 0).
pub fn percent_of(amount: Decimal, base: Decimal) -> Decimal {
    if base.is_zero() {
        Decimal::ZERO
    } else {
        amount * Decimal::ONE_HUNDRED / base
    }
}

/// Computes every line and the cart's totals.
pub fn compute(
    lines: &[LineInput],
    cart_discount: Option<&Discount>,
    prices_include_tax: bool,
    increment: Decimal,
) -> Result<(Vec<LineAmounts>, Totals)> {
    let mut out: Vec<LineAmounts> = Vec::with_capacity(lines.len());
    for l in lines {
        let gross = round(l.unit_price * l.quantity);
        let line_discount = match &l.discount {
            Some(d) => discount_amount(d, gross, "discount")?,
            None => Decimal::ZERO,
        };
        out.push(LineAmounts {
            gross,
            line_discount,
            ..LineAmounts::default()
        });
    }
    let after: Decimal = out.iter().map(|a| a.gross - a.line_discount).sum();
    let cart_off = match cart_discount {
        Some(d) => discount_amount(d, after, "discount")?,
        None => Decimal::ZERO,
    };
    if !cart_off.is_zero() {
        let mut left = cart_off;
        let last = out.iter().rposition(|a| a.gross > a.line_discount);
        for (i, a) in out.iter_mut().enumerate() {
            let base = a.gross - a.line_discount;
            let share = if Some(i) == last {
                left
            } else {
                round(cart_off * base / after)
            };
            let share = share.min(base).min(left).max(Decimal::ZERO);
            a.cart_discount = share;
            left -= share;
        }
    }
    let mut taxes: Vec<TaxLine> = Vec::new();
    for (a, l) in out.iter_mut().zip(lines) {
        let amount = a.gross - a.line_discount - a.cart_discount;
        let r = l.tax_rate;
        let (tax, total) = if prices_include_tax {
            let tax = round(amount * r / (Decimal::ONE_HUNDRED + r));
            (tax, amount)
        } else {
            let tax = round(amount * r / Decimal::ONE_HUNDRED);
            (tax, amount + tax)
        };
        a.tax = tax;
        a.total = total;
        if !r.is_zero() {
            let rate = r.normalize();
            match taxes.iter_mut().find(|t| t.rate == rate) {
                Some(t) => {
                    t.taxable = Money(t.taxable.0 + total - tax);
                    t.tax = Money(t.tax.0 + tax);
                }
                None => taxes.push(TaxLine {
                    rate,
                    taxable: Money(total - tax),
                    tax: Money(tax),
                }),
            }
        }
    }
    taxes.sort_by_key(|t| t.rate);
    let subtotal: Decimal = out.iter().map(|a| a.gross).sum();
    let discount: Decimal = out.iter().map(|a| a.line_discount + a.cart_discount).sum();
    let tax: Decimal = out.iter().map(|a| a.tax).sum();
    let before: Decimal = out.iter().map(|a| a.total).sum();
    let total = round_to_increment(before, increment);
    Ok((
        out,
        Totals {
            subtotal: Money(subtotal),
            discount: Money(discount),
            tax: Money(tax),
            total_before_rounding: Money(before),
            rounding: Money(total - before),
            total: Money(total),
            taxes,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn line(price: &str, qty: &str, rate: &str) -> LineInput {
        LineInput {
            unit_price: d(price),
            quantity: d(qty),
            discount: None,
            tax_rate: d(rate),
        }
    }

    #[test]
    fn inclusive_tax_is_extracted_and_exclusive_added() {
        let lines = [line("107.50", "1", "7.5")];
        let (_, t) = compute(&lines, None, true, Decimal::ZERO).unwrap();
        assert_eq!(t.tax.0, d("7.50"));
        assert_eq!(t.total.0, d("107.50"));
        let lines = [line("100", "1", "7.5")];
        let (_, t) = compute(&lines, None, false, Decimal::ZERO).unwrap();
        assert_eq!(t.tax.0, d("7.50"));
        assert_eq!(t.total.0, d("107.50"));
    }

    #[test]
    fn cart_discount_shares_add_up_and_rounding_applies() {
        let lines = [
            line("1.00", "1", "0"),
            line("1.00", "1", "0"),
            line("1.00", "1", "0"),
        ];
        let cart = Discount {
            kind: DiscountKind::Amount,
            value: Money(d("1")),
        };
        let (ls, t) = compute(&lines, Some(&cart), true, d("0.05")).unwrap();
        let shares: Decimal = ls.iter().map(|l| l.cart_discount).sum();
        assert_eq!(shares, d("1"));
        assert_eq!(t.total.0, d("2.00"));
        let (_, t) = compute(&[line("0.99", "3", "0")], None, true, d("0.05")).unwrap();
        assert_eq!(t.total_before_rounding.0, d("2.97"));
        assert_eq!(t.total.0, d("2.95"));
        assert_eq!(t.rounding.0, d("-0.02"));
        assert_eq!(round_to_increment(d("2.975"), d("0.05")), d("3.00"));
        assert_eq!(round_to_increment(d("1249.5"), d("1")), d("1250"));
    }

    #[test]
    fn an_amount_discount_above_the_amount_is_refused() {
        let mut l = line("1.00", "2", "0");
        l.discount = Some(Discount {
            kind: DiscountKind::Amount,
            value: Money(d("2.01")),
        });
        assert!(compute(&[l], None, true, Decimal::ZERO).is_err());
    }
}
