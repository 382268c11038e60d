//! `get_batch_aging`: how long the stock on hand has been in the store, and
//! the products that stopped moving.
//!
//! Age is days since a batch was received (`received_date`, the store's
//! local date). One pass over the store's batches with stock feeds both
//! parts: the buckets, and each product's stock for the slow movers (the
//! products with stock and no completed sale nor clinic treatment use in
//! the last N days; the products that did move come from the period's sales
//! and treatments, a small set). The sums are made here, not by SQL's GROUP
//! BY, because grouping a million batches by product meant sorting them;
//! no index helps without being written by every sale. The last sale date
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
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
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

    // The products that moved since `since`: a window's sales and
    // treatments, a small set next to the store's batches.
    let since = today - Duration::days(i64::from(slow_days) - 1);
    let since_utc = crate::clock::day_start_utc(&info.tz, since);
    let moved: HashSet<String> = ctx
        .tx
        .prepare_cached(
            "SELECT l.product_id FROM sales s JOIN sale_lines l ON l.sale_id = s.id
              WHERE s.store_id = ?1 AND s.created_at >= ?2 AND s.status = 'completed'
             UNION
             SELECT u.product_id FROM treatments t JOIN lot_usages u ON u.treatment_id = t.id
              WHERE t.store_id = ?1 AND t.treated_at >= ?2",
        )?
        .query_map(rusqlite::params![sid, since_utc], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;

    // One pass over the store's batches with stock feeds both parts: the
    // buckets, and each product's stock for the slow movers. Summed here
    // rather than by SQL's GROUP BY, which sorted a million rows by product
    // for the slow movers after a separate scan for the buckets (1.4 s on a
    // million batches; docs/benchmarks.md).
    let sql = format!(
        "SELECT b.product_id, b.received_date, b.on_hand_milli, b.cost_price_e4
           FROM batches b {join} {where_}",
        where_ = f.where_sql()
    );
    let mut bucket_sums = [(0i64, 0i128, 0i128); AGE_BUCKETS.len() + 1];
    let mut products: HashMap<String, Stock> = HashMap::new();
    {
        let mut stmt = ctx.tx.prepare(&sql)?;
        let mut rows = stmt.query(f.params(&[]).as_slice())?;
        while let Some(r) = rows.next()? {
            let received = text(r, 1)?;
            let qty: i64 = r.get(2)?;
            let e7 = i128::from(qty) * i128::from(r.get::<_, i64>(3)?);
            let i = bounds
                .iter()
                .position(|d| received >= d.as_str())
                .unwrap_or(AGE_BUCKETS.len());
            let sum = &mut bucket_sums[i];
            sum.0 += 1;
            sum.1 += i128::from(qty);
            sum.2 += e7;
            let product = text(r, 0)?;
            if moved.contains(product) {
                continue;
            }
            match products.get_mut(product) {
                Some(p) => p.add(qty, e7, received),
                None => {
                    let mut p = Stock::new(received);
                    p.add(qty, e7, received);
                    products.insert(product.to_string(), p);
                }
            }
        }
    }
    for (b, (n, qty, e7)) in buckets.iter_mut().zip(bucket_sums) {
        b.batches = n;
        b.on_hand = Qty::from_scaled(narrow(qty)?);
        b.value = value_e7(narrow(e7)?);
    }

    // Slow movers, most valuable first, then by name (as SQLite's NOCASE:
    // ASCII letters folded) and id, so that pages never overlap.
    // Names for the order: one read of the catalogue, cheaper than a
    // lookup per product when most products are slow.
    let mut slow: Vec<(String, Stock, String)> = Vec::with_capacity(products.len());
    {
        let mut stmt = ctx.tx.prepare_cached("SELECT id, name FROM products")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let Some((id, stock)) = products.remove_entry(text(r, 0)?) {
                slow.push((id, stock, r.get(1)?));
            }
        }
    }
    if !products.is_empty() {
        return Err(Error::internal(format!(
            "{} batches' products are not in the catalogue",
            products.len()
        )));
    }
    slow.sort_by(|a, b| {
        b.1.e7
            .cmp(&a.1.e7)
            .then_with(|| nocase(&a.2).cmp(&nocase(&b.2)))
            .then_with(|| a.0.cmp(&b.0))
    });
    let mut names = ctx
        .tx
        .prepare_cached("SELECT sku, unit FROM products WHERE id = ?1")?;
    let slow_total = i64::try_from(slow.len()).unwrap_or(i64::MAX);
    let slow_e7 = narrow(slow.iter().map(|s| s.1.e7).sum())?;
    let start = usize::try_from(offset).unwrap_or(usize::MAX);
    let count = usize::try_from(limit).unwrap_or(0);
    let mut slow_movers = Vec::with_capacity(count.min(slow.len()));
    for (id, stock, name) in slow.into_iter().skip(start).take(count) {
        let (sku, unit): (String, String) =
            names.query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        slow_movers.push(SlowMover {
            product_id: id.parse().map_err(|e| {
                Error::internal(format!("a batch's product id {id} is not an id: {e}"))
            })?,
            sku,
            name,
            unit,
            batches: stock.batches,
            on_hand: Qty::from_scaled(narrow(stock.qty)?),
            value: value_e7(narrow(stock.e7)?),
            oldest_received: stock.first,
            last_sale_at: None,
        });
    }
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

/// One product's stock with no recent movement, summed batch by batch.
struct Stock {
    batches: i64,
    qty: i128,
    e7: i128,
    first: String,
}

impl Stock {
    fn new(received: &str) -> Stock {
        Stock {
            batches: 0,
            qty: 0,
            e7: 0,
            first: received.to_string(),
        }
    }

    fn add(&mut self, qty: i64, e7: i128, received: &str) {
        self.batches += 1;
        self.qty += i128::from(qty);
        self.e7 += e7;
        if received < self.first.as_str() {
            self.first = received.to_string();
        }
    }
}

/// A sum back to the scaled integer the money and quantity types hold.
fn narrow(v: i128) -> Result<i64> {
    i64::try_from(v).map_err(|_| Error::internal(format!("a stock total overflows: {v}")))
}

/// A name as SQLite's NOCASE collation compares it (ASCII letters folded).
fn nocase(s: &str) -> impl Ord + '_ {
    s.bytes()
        .map(|b| b.to_ascii_lowercase())
        .collect::<Vec<u8>>()
}

/// A text column read in place (no copy per row of a million).
fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> Result<&'r str> {
    r.get_ref(i)?
        .as_str()
        .map_err(|e| Error::internal(format!("column {i} is not text: {e}")))
}
