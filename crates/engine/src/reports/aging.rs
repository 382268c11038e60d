//! `get_batch_aging`: how long the stock on hand has been in the store, and
//! the products that stopped moving.
//!
//! Age is days since a batch was received (`received_date`, the store's
//! local date), bucketed in SQL over the store's batches with stock. Slow
//! movers are the products with stock and no completed sale (nor clinic
//! treatment use) in the last N days: the products that did move come from
//! the period's sales (by store and time) and treatments, a small set, and
//! the stock side is one grouped pass over the batches. Both passes read
//! V21's partial index `ix_batches_store_aging` (store, product, received
//! date, on hand, cost; batches with stock only), named with `INDEXED BY`
//! so the plan cannot drift back to the wide table. The last sale date
//! of each product on the page is one lookup by product (V20's index on
//! `sale_lines(product_id)`).

use super::common::{page, product_search, value_e7};
use crate::auth::Permission;
use crate::ids::{CategoryId, ProductId, StoreId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::page::Filter;
use crate::{Error, Result};
use chrono::{Duration, NaiveDate};
use rusqlite::{OptionalExtension, ToSql};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Days without a sale that make a slow mover, when the request names none.
pub const DEFAULT_SLOW_DAYS: u32 = 90;
/// The age buckets' upper bounds in days (the last bucket is open).
pub const AGE_BUCKETS: [i64; 4] = [30, 90, 180, 365];

/// Batch aging and slow movers in a store.
///
/// `buckets`: every batch with stock on hand in the store (any status), by days since it
/// was received — 0–30, 31–90, 91–180, 181–365, over 365 — with batch count, quantity and
/// value at the batch's cost. `slow_movers`: products with stock on hand and no completed
/// sale and no clinic treatment use in the store in the last `slow_days` days (default 90,
/// 1–3660; today and the `slow_days` − 1 days before it), with on hand, value, the date
/// their oldest batch in stock was received and their last sale ever in the store (none if
/// never sold); paged (`limit` 1–500, default 100, `offset`), most valuable first.
/// `category_id` and `query` (product text) filter both parts. Permission `view_audit`.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetBatchAging {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Only this category's products.
    #[ts(optional)]
    pub category_id: Option<CategoryId>,
    /// Product text.
    #[ts(optional)]
    pub query: Option<String>,
    /// Days without a sale that make a slow mover (default 90).
    #[ts(optional)]
    pub slow_days: Option<u32>,
    /// Page size of the slow movers (1–500, default 100).
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Slow movers to skip.
    #[ts(optional)]
    pub offset: Option<u32>,
}

/// Stock of one age.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AgingBucket {
    /// `0-30`, `31-90`, `91-180`, `181-365`, `365+`.
    pub label: String,
    /// Youngest age in it, in days.
    #[ts(type = "number")]
    pub min_days: i64,
    /// Oldest age in it (none: no limit).
    #[ts(type = "number | null")]
    pub max_days: Option<i64>,
    /// Batches.
    #[ts(type = "number")]
    pub batches: i64,
    /// Quantity on hand.
    pub on_hand: Qty,
    /// At cost.
    pub value: Money,
}

/// A product with stock that has not sold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SlowMover {
    /// Product.
    pub product_id: ProductId,
    /// SKU.
    pub sku: String,
    /// Name.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// Batches with stock.
    #[ts(type = "number")]
    pub batches: i64,
    /// On hand.
    pub on_hand: Qty,
    /// At cost.
    pub value: Money,
    /// When its oldest batch with stock was received (`YYYY-MM-DD`).
    pub oldest_received: String,
    /// Its last completed sale in the store (RFC 3339), if any.
    pub last_sale_at: Option<String>,
}

/// Batch aging and slow movers.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct BatchAging {
    /// Store.
    pub store_id: StoreId,
    /// The store's local date ages are counted from.
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// The five age buckets, youngest first.
    pub buckets: Vec<AgingBucket>,
    /// Days without a sale.
    pub slow_days: u32,
    /// The first day of that window.
    #[ts(type = "string")]
    pub since: NaiveDate,
    /// A page of slow movers.
    pub slow_movers: Vec<SlowMover>,
    /// Slow movers in all.
    #[ts(type = "number")]
    pub slow_total: i64,
    /// Their stock's value at cost, all pages.
    pub slow_value: Money,
}

impl Operation for GetBatchAging {
    const NAME: &'static str = "get_batch_aging";
    const SUMMARY: &'static str =
        "Stock by age since received (0-30 … 365+ days) and slow movers (no sale in N days), paged";
    const PERMISSION: Permission = Permission::ViewAudit;
    const WRITES: bool = false;
    type Output = BatchAging;

    fn run(self, ctx: &Ctx<'_>) -> Result<BatchAging> {
        let (limit, offset) = page(self.limit, self.offset)?;
        aging(ctx, &self, limit, offset)
    }
}

/// The report with an explicit page of slow movers.
pub(crate) fn aging(
    ctx: &Ctx<'_>,
    req: &GetBatchAging,
    limit: i64,
    offset: i64,
) -> Result<BatchAging> {
    let slow_days = req.slow_days.unwrap_or(DEFAULT_SLOW_DAYS);
    if !(1..=super::common::MAX_PERIOD_DAYS as u32).contains(&slow_days) {
        return Err(Error::invalid(
            "slow_days",
            format!(
                "slow_days must be between 1 and {} (got {slow_days})",
                super::common::MAX_PERIOD_DAYS
            ),
        ));
    }
    let info = ctx.store(req.store_id)?;
    let today = ctx.today(&info);
    let sid = info.id.to_string();
    let mut f = Filter::default();
    f.and("b.store_id = :store AND b.on_hand_milli > 0")
        .bind(":store", sid.clone());
    let join = match req.category_id {
        Some(c) => {
            f.and("p.category_id = :category")
                .bind(":category", c.to_string());
            "JOIN products p ON p.id = b.product_id"
        }
        None => "",
    };
    if let Some((clause, q)) = product_search("b.product_id", req.query.as_deref()) {
        f.and(clause).bind(":q", q);
    }

    // Buckets: the received date against today − 30, − 90, − 180, − 365.
    let bounds: Vec<String> = AGE_BUCKETS
        .iter()
        .map(|d| (today - Duration::days(*d)).to_string())
        .collect();
    let sql = format!(
        "SELECT CASE WHEN b.received_date >= :d0 THEN 0 WHEN b.received_date >= :d1 THEN 1
                     WHEN b.received_date >= :d2 THEN 2 WHEN b.received_date >= :d3 THEN 3 ELSE 4 END,
                COUNT(*), SUM(b.on_hand_milli), SUM(b.on_hand_milli * b.cost_price_e4)
           FROM batches b INDEXED BY ix_batches_store_aging {join} {where_} GROUP BY 1",
        where_ = f.where_sql()
    );
    let extra: [(&'static str, &dyn ToSql); 4] = [
        (":d0", &bounds[0]),
        (":d1", &bounds[1]),
        (":d2", &bounds[2]),
        (":d3", &bounds[3]),
    ];
    let mut buckets: Vec<AgingBucket> = (0..=AGE_BUCKETS.len())
        .map(|i| {
            let min = if i == 0 { 0 } else { AGE_BUCKETS[i - 1] + 1 };
            let max = AGE_BUCKETS.get(i).copied();
            AgingBucket {
                label: match max {
                    Some(m) => format!("{min}-{m}"),
                    None => format!("{}+", AGE_BUCKETS[AGE_BUCKETS.len() - 1]),
                },
                min_days: min,
                max_days: max,
                batches: 0,
                on_hand: Qty::ZERO,
                value: Money::ZERO,
            }
        })
        .collect();
    {
        let mut stmt = ctx.tx.prepare(&sql)?;
        let mut rows = stmt.query(f.params(&extra).as_slice())?;
        while let Some(r) = rows.next()? {
            let i = usize::try_from(r.get::<_, i64>(0)?).unwrap_or(usize::MAX);
            if let Some(b) = buckets.get_mut(i) {
                b.batches = r.get(1)?;
                b.on_hand = Qty::from_scaled(r.get(2)?);
                b.value = value_e7(r.get(3)?);
            }
        }
    }

    // Slow movers: stock of products that did not move since `since`.
    let since = today - Duration::days(i64::from(slow_days) - 1);
    let since_utc = crate::clock::day_start_utc(&info.tz, since);
    let sql = format!(
        "WITH moved AS (
             SELECT l.product_id FROM sales s JOIN sale_lines l ON l.sale_id = s.id
              WHERE s.store_id = :store AND s.created_at >= :since AND s.status = 'completed'
             UNION
             SELECT u.product_id FROM treatments t JOIN lot_usages u ON u.treatment_id = t.id
              WHERE t.store_id = :store AND t.treated_at >= :since),
         g AS (SELECT b.product_id AS k, COUNT(*) AS batches, SUM(b.on_hand_milli) AS qty,
                      SUM(b.on_hand_milli * b.cost_price_e4) AS e7, MIN(b.received_date) AS first
                 FROM batches b INDEXED BY ix_batches_store_aging {join} {where_} AND b.product_id NOT IN (SELECT product_id FROM moved)
                GROUP BY 1)
         SELECT g.k, pp.sku, pp.name, pp.unit, g.batches, g.qty, g.e7, g.first,
                COUNT(*) OVER (), SUM(g.e7) OVER ()
           FROM g JOIN products pp ON pp.id = g.k
          ORDER BY g.e7 DESC, pp.name COLLATE NOCASE, g.k LIMIT :limit OFFSET :offset",
        where_ = f.where_sql()
    );
    let extra: [(&'static str, &dyn ToSql); 3] = [
        (":since", &since_utc),
        (":limit", &limit),
        (":offset", &offset),
    ];
    let mut totals = None;
    let mut slow_movers = {
        let mut stmt = ctx.tx.prepare(&sql)?;
        let rows = stmt
            .query_map(f.params(&extra).as_slice(), |r| {
                totals = Some((r.get::<_, i64>(8)?, r.get::<_, i64>(9)?));
                Ok(SlowMover {
                    product_id: r.get(0)?,
                    sku: r.get(1)?,
                    name: r.get(2)?,
                    unit: r.get(3)?,
                    batches: r.get(4)?,
                    on_hand: Qty::from_scaled(r.get(5)?),
                    value: value_e7(r.get(6)?),
                    oldest_received: r.get(7)?,
                    last_sale_at: None,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let (slow_total, slow_e7) = match totals {
        Some(t) => t,
        None if offset > 0 => {
            // A page past the end: count without paging.
            let sql = sql.replace("LIMIT :limit OFFSET :offset", "LIMIT 1");
            let extra: [(&'static str, &dyn ToSql); 1] = [(":since", &since_utc)];
            ctx.tx
                .prepare(&sql)?
                .query_row(f.params(&extra).as_slice(), |r| Ok((r.get(8)?, r.get(9)?)))
                .optional()?
                .unwrap_or((0, 0))
        }
        None => (0, 0),
    };
    let mut last = ctx.tx.prepare_cached(
        "SELECT MAX(s.created_at) FROM sale_lines l INDEXED BY ix_sale_lines_product
           JOIN sales s ON s.id = l.sale_id
          WHERE l.product_id = ?1 AND s.store_id = ?2 AND s.status = 'completed'",
    )?;
    for m in &mut slow_movers {
        m.last_sale_at = last.query_row(rusqlite::params![m.product_id, sid], |r| r.get(0))?;
    }
    Ok(BatchAging {
        store_id: info.id,
        date: today,
        buckets,
        slow_days,
        since,
        slow_movers,
        slow_total,
        slow_value: value_e7(slow_e7),
    })
}

/// The CSV header of the slow movers (the report's paged rows).
pub(crate) const CSV_HEADER: &[&str] = &[
    "product_id",
    "sku",
    "name",
    "unit",
    "batches",
    "on_hand",
    "value",
    "oldest_received",
    "last_sale_at",
];

/// The slow movers as CSV cells.
pub(crate) fn csv_rows(a: &BatchAging) -> Vec<Vec<String>> {
    a.slow_movers
        .iter()
        .map(|m| {
            vec![
                m.product_id.to_string(),
                m.sku.clone(),
                m.name.clone(),
                m.unit.clone(),
                m.batches.to_string(),
                m.on_hand.to_string(),
                m.value.to_string(),
                m.oldest_received.clone(),
                m.last_sale_at.clone().unwrap_or_default(),
            ]
        })
        .collect()
}
