//! `get_expiry_risk`: the stock that will expire soon, and what it cost.
//!
//! One pass over the store's in-stock batches up to 90 days ahead (the
//! in-stock expiry index, `(store_id, expiry_date) WHERE on_hand_milli > 0`)
//! sums each window; the batch list walks the same index to its horizon.

use super::common::{page, product_search, value_e7};
use crate::auth::Permission;
use crate::ids::{BatchId, CategoryId, ProductId, StoreId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::page::Filter;
use crate::{Error, Result};
use chrono::{Duration, NaiveDate};
use rusqlite::ToSql;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The windows of the summary, in days from today.
pub const RISK_WINDOWS: [i64; 4] = [7, 14, 30, 90];
/// The batch list's horizon when the request names none.
pub const DEFAULT_HORIZON_DAYS: i64 = 30;

/// Stock at risk of expiring in a store.
///
/// Every batch with stock on hand counts, whatever its status. `expired`: batches whose
/// expiry date is before today and still hold stock. `windows`: batches expiring from today
/// to today + 7, 14, 30 and 90 days (each window includes the shorter ones), with batch
/// count, quantity and value at the batch's cost. `batches`: the batches expiring within
/// `horizon_days` (default 30, 1–3660) — and those already expired unless `include_expired`
/// is false — soonest first, paged (`limit` 1–500, default 100, `offset`); `category_id`,
/// `product_id` and `query` (product text) filter the list and the summary alike.
/// Permission `view_audit`.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetExpiryRisk {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Days ahead the batch list reaches (default 30).
    #[ts(optional, type = "number")]
    pub horizon_days: Option<i64>,
    /// List expired batches still holding stock too (default true).
    #[ts(optional)]
    pub include_expired: Option<bool>,
    /// Only this category's products.
    #[ts(optional)]
    pub category_id: Option<CategoryId>,
    /// Only this product.
    #[ts(optional)]
    pub product_id: Option<ProductId>,
    /// Product text.
    #[ts(optional)]
    pub query: Option<String>,
    /// Page size (1–500, default 100).
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Batches to skip.
    #[ts(optional)]
    pub offset: Option<u32>,
}

/// Stock expiring in a window (or already expired).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RiskWindow {
    /// Days from today (none: already expired).
    #[ts(type = "number | null")]
    pub within_days: Option<i64>,
    /// The last expiry date counted (none: already expired).
    pub until: Option<String>,
    /// Batches.
    #[ts(type = "number")]
    pub batches: i64,
    /// Quantity on hand.
    pub on_hand: Qty,
    /// Value at risk, at cost.
    pub value: Money,
}

/// A batch at risk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RiskBatch {
    /// Batch.
    pub batch_id: BatchId,
    /// Lot number.
    pub batch_number: String,
    /// Product.
    pub product_id: ProductId,
    /// SKU.
    pub sku: String,
    /// Product name.
    pub product_name: String,
    /// Unit.
    pub unit: String,
    /// Batch status.
    pub status: String,
    /// Expiry date (`YYYY-MM-DD`).
    pub expiry_date: String,
    /// Days from today to the expiry date (negative: expired).
    #[ts(type = "number")]
    pub days_left: i64,
    /// On hand.
    pub on_hand: Qty,
    /// Unit cost.
    pub unit_cost: Money,
    /// On hand × unit cost.
    pub value: Money,
}

/// Stock at risk of expiring.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ExpiryRisk {
    /// Store.
    pub store_id: StoreId,
    /// The store's local date.
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// Expired and still on hand.
    pub expired: RiskWindow,
    /// Within 7, 14, 30 and 90 days.
    pub windows: Vec<RiskWindow>,
    /// The list's horizon.
    #[ts(type = "number")]
    pub horizon_days: i64,
    /// A page of the batches within it.
    pub batches: Vec<RiskBatch>,
    /// Batches within it in all.
    #[ts(type = "number")]
    pub total_batches: i64,
    /// Their value at cost, all pages.
    pub total_value: Money,
}

impl Operation for GetExpiryRisk {
    const NAME: &'static str = "get_expiry_risk";
    const SUMMARY: &'static str =
        "Stock expired or expiring within 7/14/30/90 days with value at risk, and the batches within a horizon, paged";
    const PERMISSION: Permission = Permission::ViewAudit;
    const WRITES: bool = false;
    type Output = ExpiryRisk;

    fn run(self, ctx: &Ctx<'_>) -> Result<ExpiryRisk> {
        let (limit, offset) = page(self.limit, self.offset)?;
        expiry_risk(ctx, &self, limit, offset)
    }
}

/// The report with an explicit page.
pub(crate) fn expiry_risk(
    ctx: &Ctx<'_>,
    req: &GetExpiryRisk,
    limit: i64,
    offset: i64,
) -> Result<ExpiryRisk> {
    let horizon = req.horizon_days.unwrap_or(DEFAULT_HORIZON_DAYS);
    if !(1..=super::common::MAX_PERIOD_DAYS).contains(&horizon) {
        return Err(Error::invalid(
            "horizon_days",
            format!(
                "horizon_days must be between 1 and {} (got {horizon})",
                super::common::MAX_PERIOD_DAYS
            ),
        ));
    }
    let info = ctx.store(req.store_id)?;
    let today = ctx.today(&info);
    let today_s = today.to_string();
    let mut f = Filter::default();
    f.and("b.store_id = :store AND b.on_hand_milli > 0")
        .bind(":store", info.id.to_string());
    let join = match req.category_id {
        Some(c) => {
            f.and("p.category_id = :category")
                .bind(":category", c.to_string());
            "JOIN products p ON p.id = b.product_id"
        }
        None => "",
    };
    if let Some(p) = req.product_id {
        f.and("b.product_id = :product")
            .bind(":product", p.to_string());
    }
    if let Some((clause, q)) = product_search("b.product_id", req.query.as_deref()) {
        f.and(clause).bind(":q", q);
    }

    // Summary: each batch in its narrowest window, then cumulated.
    let untils: Vec<String> = RISK_WINDOWS
        .iter()
        .map(|d| (today + Duration::days(*d)).to_string())
        .collect();
    let sql = format!(
        "SELECT CASE WHEN b.expiry_date < :today THEN 0 WHEN b.expiry_date <= :u0 THEN 1
                     WHEN b.expiry_date <= :u1 THEN 2 WHEN b.expiry_date <= :u2 THEN 3 ELSE 4 END,
                COUNT(*), SUM(b.on_hand_milli), SUM(b.on_hand_milli * b.cost_price_e4)
           FROM batches b {join} {where_} AND b.expiry_date <= :u3 GROUP BY 1",
        where_ = f.where_sql()
    );
    let extra: [(&'static str, &dyn ToSql); 5] = [
        (":today", &today_s),
        (":u0", &untils[0]),
        (":u1", &untils[1]),
        (":u2", &untils[2]),
        (":u3", &untils[3]),
    ];
    let mut sums = [(0i64, 0i64, 0i64); 5];
    {
        let mut stmt = ctx.tx.prepare(&sql)?;
        let mut rows = stmt.query(f.params(&extra).as_slice())?;
        while let Some(r) = rows.next()? {
            let i = usize::try_from(r.get::<_, i64>(0)?).unwrap_or(usize::MAX);
            if let Some(s) = sums.get_mut(i) {
                *s = (r.get(1)?, r.get(2)?, r.get(3)?);
            }
        }
    }
    let window = |within: Option<i64>, until: Option<String>, s: (i64, i64, i64)| RiskWindow {
        within_days: within,
        until,
        batches: s.0,
        on_hand: Qty::from_scaled(s.1),
        value: value_e7(s.2),
    };
    let expired = window(None, None, sums[0]);
    let mut acc = (0, 0, 0);
    let windows = RISK_WINDOWS
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let s = sums[i + 1];
            acc = (acc.0 + s.0, acc.1 + s.1, acc.2 + s.2);
            window(Some(*d), Some(untils[i].clone()), acc)
        })
        .collect();

    // The list, soonest first.
    let until = (today + Duration::days(horizon)).to_string();
    let from = if req.include_expired.unwrap_or(true) {
        String::new()
    } else {
        today_s.clone()
    };
    let sql = format!(
        "SELECT b.id, b.batch_number, b.product_id, pp.sku, pp.name, pp.unit, b.status, b.expiry_date,
                b.on_hand_milli, b.cost_price_e4, CAST(julianday(b.expiry_date) - julianday(:today) AS INTEGER),
                COUNT(*) OVER (), SUM(b.on_hand_milli * b.cost_price_e4) OVER ()
           FROM batches b {join} JOIN products pp ON pp.id = b.product_id
           {where_} AND b.expiry_date >= :from AND b.expiry_date <= :until
          ORDER BY b.expiry_date, pp.name COLLATE NOCASE, b.id LIMIT :limit OFFSET :offset",
        where_ = f.where_sql()
    );
    let extra: [(&'static str, &dyn ToSql); 5] = [
        (":today", &today_s),
        (":from", &from),
        (":until", &until),
        (":limit", &limit),
        (":offset", &offset),
    ];
    let mut totals = None;
    let batches = ctx
        .tx
        .prepare(&sql)?
        .query_map(f.params(&extra).as_slice(), |r| {
            totals = Some((r.get::<_, i64>(11)?, r.get::<_, i64>(12)?));
            let (on_hand, cost): (i64, i64) = (r.get(8)?, r.get(9)?);
            Ok(RiskBatch {
                batch_id: r.get(0)?,
                batch_number: r.get(1)?,
                product_id: r.get(2)?,
                sku: r.get(3)?,
                product_name: r.get(4)?,
                unit: r.get(5)?,
                status: r.get(6)?,
                expiry_date: r.get(7)?,
                days_left: r.get(10)?,
                on_hand: Qty::from_scaled(on_hand),
                unit_cost: Money::from_scaled(cost),
                value: value_e7(on_hand * cost),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (total_batches, total_e7) = match totals {
        Some(t) => t,
        None if offset > 0 => {
            let sql = format!(
                "SELECT COUNT(*), COALESCE(SUM(b.on_hand_milli * b.cost_price_e4), 0) FROM batches b {join}
                  {where_} AND b.expiry_date >= :from AND b.expiry_date <= :until",
                where_ = f.where_sql()
            );
            let extra: [(&'static str, &dyn ToSql); 2] = [(":from", &from), (":until", &until)];
            ctx.tx
                .prepare(&sql)?
                .query_row(f.params(&extra).as_slice(), |r| Ok((r.get(0)?, r.get(1)?)))?
        }
        None => (0, 0),
    };
    Ok(ExpiryRisk {
        store_id: info.id,
        date: today,
        expired,
        windows,
        horizon_days: horizon,
        batches,
        total_batches,
        total_value: value_e7(total_e7),
    })
}

/// The CSV header of the batch list.
pub(crate) const CSV_HEADER: &[&str] = &[
    "batch_id",
    "batch_number",
    "product_id",
    "sku",
    "product_name",
    "unit",
    "status",
    "expiry_date",
    "days_left",
    "on_hand",
    "unit_cost",
    "value",
];

/// The batch list as CSV cells.
pub(crate) fn csv_rows(r: &ExpiryRisk) -> Vec<Vec<String>> {
    r.batches
        .iter()
        .map(|b| {
            vec![
                b.batch_id.to_string(),
                b.batch_number.clone(),
                b.product_id.to_string(),
                b.sku.clone(),
                b.product_name.clone(),
                b.unit.clone(),
                b.status.clone(),
                b.expiry_date.clone(),
                b.days_left.to_string(),
                b.on_hand.to_string(),
                b.unit_cost.to_string(),
                b.value.to_string(),
            ]
        })
        .collect()
}
