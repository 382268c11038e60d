//! Exact quantities and money.
//!
//! Both are `rust_decimal::Decimal` in Rust, strings in JSON (`"12.5"`,
//! money with at least two places: `"0.50"`; inputs accept a JSON number or
//! a string), and scaled integers in SQLite so that
//! SQL `SUM` and comparisons are exact: quantities in thousandths of a unit
//! (a neurotoxin vial logs 12.5 units), money in ten-thousandths.

use crate::{Error, Result};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Decimal places a quantity may carry.
pub const QTY_SCALE: u32 = 3;
/// Decimal places a money amount may carry.
pub const MONEY_SCALE: u32 = 4;

macro_rules! decimal_type {
    ($name:ident, $scale:expr, $shown:expr, $what:literal) => {
        #[doc = concat!("An exact ", $what, " (Decimal; JSON string; SQLite integer scaled by 10^", stringify!($scale), ").")]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, ts_rs::TS)]
        #[ts(export)]
        pub struct $name(#[ts(type = "string")] pub Decimal);

        impl $name {
            /// Zero.
            pub const ZERO: Self = Self(Decimal::ZERO);

            /// From the scaled integer stored in SQLite.
            pub fn from_scaled(v: i64) -> Self {
                Self(Decimal::new(v, $scale).normalize())
            }

            /// To the scaled integer stored in SQLite; errors when the value
            /// has more decimal places than allowed or does not fit.
            pub fn to_scaled(self, field: &str) -> Result<i64> {
                let d = self.0.normalize();
                if d.scale() > $scale {
                    return Err(Error::invalid(field, format!(
                        "{field} {d} has more than {} decimal places", $scale)));
                }
                let scaled = d.checked_mul(Decimal::from(10i64.pow($scale)))
                    .ok_or_else(|| Error::invalid(field, format!("{field} {d} is too large")))?;
                i64::try_from(scaled.trunc()).map_err(|_| Error::invalid(field, format!("{field} {d} is too large")))
            }

            /// True when the value is zero.
            pub fn is_zero(self) -> bool { self.0.is_zero() }
            /// True when the value is below zero.
            pub fn is_negative(self) -> bool { self.0.is_sign_negative() && !self.0.is_zero() }
            /// True when the value is above zero.
            pub fn is_positive(self) -> bool { self.0.is_sign_positive() && !self.0.is_zero() }
        }

        impl From<i64> for $name {
            fn from(v: i64) -> Self { Self(Decimal::from(v)) }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                Decimal::from_str_exact(s.trim())
                    .or_else(|_| Decimal::from_scientific(s.trim()))
                    .map(|d| Self(d.normalize()))
                    .map_err(|_| Error::invalid($what, format!("'{s}' is not a valid {}", $what)))
            }
        }

        impl $name {
            /// The value as shown and sent: no trailing zeros beyond
            /// `$shown` decimal places (money "0.50", "190.00", "0.1234";
            /// quantities "12.5", "3").
            fn shown(self) -> Decimal {
                let mut d = self.0.normalize();
                d.rescale(d.scale().max($shown));
                d
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { self.shown().fmt(f) }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.collect_str(&self.shown())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                d.deserialize_any(DecimalVisitor).map(Self)
            }
        }

        impl std::ops::Add for $name {
            type Output = Self;
            fn add(self, o: Self) -> Self { Self(self.0 + o.0) }
        }
        impl std::ops::Sub for $name {
            type Output = Self;
            fn sub(self, o: Self) -> Self { Self(self.0 - o.0) }
        }
        impl std::ops::Neg for $name {
            type Output = Self;
            fn neg(self) -> Self { Self(-self.0) }
        }
    };
}

decimal_type!(Qty, 3, 0, "quantity");
// Money shows at least the two places of a price tag.
decimal_type!(Money, 4, 2, "amount");

/// Accepts `"12.5"`, `12.5` and `12`. A JSON float is read through its
/// shortest round-trip text, so `0.1` becomes exactly 0.1, not 0.1000000000000000055.
struct DecimalVisitor;

impl serde::de::Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number or a string holding one")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Decimal, E> {
        Decimal::from_str_exact(v.trim())
            .or_else(|_| Decimal::from_scientific(v.trim()))
            .map_err(|_| E::custom(format!("'{v}' is not a valid decimal number")))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Decimal, E> {
        if !v.is_finite() {
            return Err(E::custom("not a finite number"));
        }
        self.visit_str(&format!("{v}"))
    }
}

/// `deserialize_with` for a required plain decimal (a temperature): a JSON
/// number or a string holding one.
pub fn decimal<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Decimal, D::Error> {
    d.deserialize_any(DecimalVisitor)
}

/// `deserialize_with` for optional plain decimals (percentages,
/// temperatures): a JSON number or a string, like quantities and money.
pub fn opt_decimal<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Decimal>, D::Error> {
    struct Opt;
    impl<'de> serde::de::Visitor<'de> for Opt {
        type Value = Option<Decimal>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal number, a string holding one, or null")
        }
        fn visit_none<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(
            self,
            d: D2,
        ) -> std::result::Result<Self::Value, D2::Error> {
            d.deserialize_any(DecimalVisitor).map(Some)
        }
    }
    d.deserialize_option(Opt)
}

impl Qty {
    /// True when the quantity is a whole number of units.
    pub fn is_whole(self) -> bool {
        self.0.fract().is_zero()
    }

    /// The smaller of two quantities.
    pub fn min(self, o: Self) -> Self {
        if self <= o {
            self
        } else {
            o
        }
    }
}

impl Money {
    /// `unit price × quantity`, rounded half-even to the money scale.
    pub fn times(self, q: Qty) -> Money {
        Money((self.0 * q.0).round_dp(MONEY_SCALE))
    }
}

/// Checks a quantity that must be strictly positive, whole unless the product
/// allows fractions, and within the storage scale.
pub fn check_quantity(field: &str, q: Qty, allow_fractional: bool, unit: &str) -> Result<i64> {
    if !q.is_positive() {
        return Err(Error::invalid(
            field,
            format!("{field} must be greater than zero (got {q})"),
        ));
    }
    if !allow_fractional && !q.is_whole() {
        return Err(Error::invalid(
            field,
            format!("{field} {q} must be a whole number: this product is counted in whole {unit}s"),
        ));
    }
    q.to_scaled(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_shows_at_least_two_places_and_quantities_none_extra() {
        let json = |m: Money| serde_json::to_string(&m).unwrap();
        assert_eq!(json(Money::from_scaled(5_000)), "\"0.50\"");
        assert_eq!(json(Money::from_scaled(1_900_000)), "\"190.00\"");
        assert_eq!(json(Money::from_scaled(1_234)), "\"0.1234\"");
        assert_eq!(json(Money::from_scaled(-25_000)), "\"-2.50\"");
        assert_eq!(json(Money::ZERO), "\"0.00\"");
        assert_eq!(Money::from_scaled(123_450).to_string(), "12.345");
        assert_eq!(Qty::from_scaled(3_000).to_string(), "3");
        assert_eq!(Qty::from_scaled(12_500).to_string(), "12.5");
    }

    proptest::proptest! {
        /// Whatever is stored comes back from JSON as the same value and the
        /// same stored integer, whatever the number of places shown.
        #[test]
        fn shown_values_read_back_exactly(scaled in proptest::num::i64::ANY) {
            let m = Money::from_scaled(scaled);
            let back: Money = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
            proptest::prop_assert_eq!(back.to_scaled("x").unwrap(), scaled);
            let q = Qty::from_scaled(scaled);
            let back: Qty = serde_json::from_str(&serde_json::to_string(&q).unwrap()).unwrap();
            proptest::prop_assert_eq!(back.to_scaled("x").unwrap(), scaled);
        }
    }

    #[test]
    fn json_numbers_and_strings_are_exact() {
        let a: Qty = serde_json::from_str("12.5").unwrap();
        let b: Qty = serde_json::from_str("\"12.5\"").unwrap();
        let c: Money = serde_json::from_str("0.1").unwrap();
        assert_eq!(a, b);
        assert_eq!(c.to_scaled("x").unwrap(), 1000);
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"12.5\"");
        assert!(serde_json::from_str::<Qty>("\"abc\"").is_err());
    }

    #[test]
    fn scale_is_enforced() {
        assert_eq!(
            Qty::from_str("1.234").unwrap().to_scaled("q").unwrap(),
            1234
        );
        assert!(Qty::from_str("1.2345").unwrap().to_scaled("q").is_err());
        assert_eq!(Qty::from_scaled(12500).to_string(), "12.5");
        assert!(check_quantity("quantity", Qty::from(-1), true, "unit").is_err());
        assert!(
            check_quantity("quantity", Qty::from_str("0.5").unwrap(), false, "tablet").is_err()
        );
        assert_eq!(
            check_quantity("quantity", Qty::from_str("0.5").unwrap(), true, "unit").unwrap(),
            500
        );
    }
}
