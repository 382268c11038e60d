//! What the reports share: a period of local days turned into UTC instants,
//! money from the scaled sums SQL returns, the margin percentage, and the
//! CSV writer every report's export uses.
//!
//! Every figure is summed by SQL from scaled integers (quantities in
//! thousandths, money in ten-thousandths, quantity × cost in 10^-7), so sums
//! are exact; rounding to the money scale happens once, on the sum.

use crate::catalogue::stores::StoreInfo;
use crate::num::{Money, MONEY_SCALE};
use crate::op::Ctx;
use crate::{Error, Result};
use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;

/// Days in a period when the request names none (today included).
pub const DEFAULT_PERIOD_DAYS: i64 = 30;
/// Longest period a report sums over (ten years of local days).
pub const MAX_PERIOD_DAYS: i64 = 3660;

/// A period of local days in the store's time zone, both ends included, and
/// the UTC instants that bound it (`start` inclusive, `stop` exclusive).
#[derive(Clone, Debug)]
pub(crate) struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub start: String,
    pub stop: String,
}

impl Period {
    /// `from`..=`to` (defaults: the last 30 days to today). An inverted or
    /// over-long period is `invalid_input`.
    pub(crate) fn resolve(
        ctx: &Ctx<'_>,
        store: &StoreInfo,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Period> {
        let to = to.unwrap_or_else(|| ctx.today(store));
        let from = from.unwrap_or(to - Duration::days(DEFAULT_PERIOD_DAYS - 1));
        if from > to {
            return Err(Error::invalid(
                "from",
                format!("the period starts ({from}) after it ends ({to})"),
            ));
        }
        if (to - from).num_days() >= MAX_PERIOD_DAYS {
            return Err(Error::invalid(
                "from",
                format!(
                    "a report covers at most {MAX_PERIOD_DAYS} days ({from} to {to} is longer)"
                ),
            ));
        }
        Ok(Period {
            from,
            to,
            start: crate::clock::day_start_utc(&store.tz, from),
            stop: crate::clock::day_start_utc(&store.tz, to + Duration::days(1)),
        })
    }
}

/// A sum of quantity (thousandths) × cost (ten-thousandths) as money,
/// rounded half-even to the money scale.
pub(crate) fn value_e7(e7: i64) -> Money {
    Money(Decimal::new(e7, 7).round_dp(MONEY_SCALE).normalize())
}

/// `margin / revenue × 100`, two places, or `None` when there is no revenue.
pub(crate) fn margin_percent(margin: Money, revenue: Money) -> Option<Decimal> {
    if revenue.is_zero() {
        return None;
    }
    Some(
        (margin.0 * Decimal::ONE_HUNDRED / revenue.0)
            .round_dp(2)
            .normalize(),
    )
}

/// Turns `limit`/`offset` into SQL's, checking them as every list does.
pub(crate) fn page(limit: Option<u32>, offset: Option<u32>) -> Result<(i64, i64)> {
    crate::page::limit_offset(limit, offset, 100)
}

/// Writes a CSV file: the header, then the rows.
pub(crate) fn write_csv(header: &[&str], rows: &[Vec<String>]) -> Result<String> {
    let mut out = crate::csv_out::CsvOut::new(header)?;
    for r in rows {
        out.row(r)?;
    }
    Ok(out.finish()?.csv)
}

/// The product filter of a report: `query` (each word a prefix of the
/// product's name, generic name, brand, SKU or barcodes, as
/// `search_products`) as an SQL condition on `{col}` with `:q` to bind, or
/// `None` when nothing searchable was typed.
pub(crate) fn product_search(col: &str, query: Option<&str>) -> Option<(String, String)> {
    let q = crate::page::fts_prefix_query(query?)?;
    Some((
        format!("{col} IN (SELECT product_id FROM product_search WHERE product_search MATCH :q)"),
        q,
    ))
}
