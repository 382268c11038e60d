//! `get_stock_valuation`: what the stock on hand cost, by store, category or
//! product — each batch's on hand × that batch's unit cost, summed by SQL
//! over the `batches` rows (never a running total).
//!
//! The product grouping is paged and sorted in SQL (value, most first, or
//! name); its total count and the report's totals come from the same pass
//! (window sums over the groups), so one scan of the store's batches
//! answers a page.

use super::common::{page, product_search, value_e7};
use crate::auth::Permission;
use crate::ids::{CategoryId, ProductId, StoreId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::page::Filter;
use crate::Result;
use chrono::NaiveDate;
use rusqlite::ToSql;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a valuation is grouped by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ValuationGroup {
    /// One row: the store.
    Store,
    /// One row per product category (`category_id`; products without one form a row of
    /// their own).
    Category,
    /// One row per product (paged).
    #[default]
    Product,
}

/// The order of a product valuation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ValuationSort {
    /// Value at cost, most first.
    #[default]
    Value,
    /// Name, A to Z.
    Name,
}

/// The stock on hand at cost (on hand × each batch's unit cost), grouped by `store`,
/// `category` or `product` (default).
///
/// What counts: batches with stock on hand in the store, of status `available` whose expiry
/// is today or later (sellable stock). `include_expired` adds stock past its date (status
/// `expired`, or still `available` with a past date); `include_quarantined` adds stock set
/// aside (status `quarantine`, `recalled`, `damaged`).
/// Filters: `category_id`, `product_id`, `query` (each word a prefix of the product's name,
/// generic name, brand, SKU or barcodes).
/// The product grouping is paged (`limit` 1–500, default 100, `offset`) and sorted by
/// `value` (default, most first) or `name`; the store and category groupings return every
/// row, most valuable first. `total_rows` counts the groups; `totals` sum every group, not
/// just the page. Permission `view_audit` (managers, admins, head office), as the dashboard:
/// cost figures are a manager's.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetStockValuation {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Grouping (default `product`).
    #[ts(optional)]
    pub group_by: Option<ValuationGroup>,
    /// Only this category's products.
    #[ts(optional)]
    pub category_id: Option<CategoryId>,
    /// Only this product.
    #[ts(optional)]
    pub product_id: Option<ProductId>,
    /// Product text.
    #[ts(optional)]
    pub query: Option<String>,
    /// Also stock set aside: quarantined, recalled, damaged (default false).
    #[ts(optional)]
    pub include_quarantined: Option<bool>,
    /// Also stock past its expiry date (default false).
    #[ts(optional)]
    pub include_expired: Option<bool>,
    /// Product order (default `value`).
    #[ts(optional)]
    pub sort: Option<ValuationSort>,
    /// Page size (1–500, default 100; product grouping).
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Rows to skip (product grouping).
    #[ts(optional)]
    pub offset: Option<u32>,
}

/// One group's stock at cost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ValuationRow {
    /// The store's, category's or product's id (none: products without a category).
    pub key: Option<String>,
    /// Its name (`(no category)` for products without one).
    pub label: String,
    /// The product's SKU (product grouping).
    pub sku: Option<String>,
    /// The product's unit (product grouping).
    pub unit: Option<String>,
    /// Products with stock counted.
    #[ts(type = "number")]
    pub products: i64,
    /// Batches with stock counted.
    #[ts(type = "number")]
    pub batches: i64,
    /// Quantity on hand (units of mixed kinds above the product level).
    pub on_hand: Qty,
    /// On hand × unit cost, per batch, summed.
    pub value: Money,
}

/// The totals of every group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ValuationTotals {
    /// Products with stock counted.
    #[ts(type = "number")]
    pub products: i64,
    /// Batches with stock counted.
    #[ts(type = "number")]
    pub batches: i64,
    /// Their value at cost.
    pub value: Money,
}

/// A stock valuation.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct StockValuation {
    /// Store.
    pub store_id: StoreId,
    /// The store's local date: "expired" means a date before it.
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// The grouping.
    pub group_by: ValuationGroup,
    /// The groups (a page of them for `product`).
    pub rows: Vec<ValuationRow>,
    /// Groups that pass the filters.
    #[ts(type = "number")]
    pub total_rows: i64,
    /// Sums over every group.
    pub totals: ValuationTotals,
}

impl Operation for GetStockValuation {
    const NAME: &'static str = "get_stock_valuation";
    const SUMMARY: &'static str =
        "Stock on hand at batch cost, by store, category or product, with totals (paged by product)";
    const PERMISSION: Permission = Permission::ViewAudit;
    const WRITES: bool = false;
    type Output = StockValuation;

    fn run(self, ctx: &Ctx<'_>) -> Result<StockValuation> {
        let (limit, offset) = page(self.limit, self.offset)?;
        valuation(ctx, &self, limit, offset)
    }
}

/// The valuation with an explicit page (the CSV export asks for every row).
pub(crate) fn valuation(
    ctx: &Ctx<'_>,
    req: &GetStockValuation,
    limit: i64,
    offset: i64,
) -> Result<StockValuation> {
    let info = ctx.store(req.store_id)?;
    let today = ctx.today(&info);
    let group = req.group_by.unwrap_or_default();
    let mut f = Filter::default();
    f.and("b.store_id = :store AND b.on_hand_milli > 0")
        .bind(":store", info.id.to_string());
    f.and(
        "((b.status = 'available' AND (b.expiry_date >= :today OR :expired))
          OR (:expired AND b.status = 'expired')
          OR (:quarantined AND b.status IN ('quarantine', 'recalled', 'damaged')))",
    )
    .bind(":today", today.to_string())
    .bind(":expired", req.include_expired.unwrap_or(false))
    .bind(":quarantined", req.include_quarantined.unwrap_or(false));
    let needs_product = req.category_id.is_some() || group == ValuationGroup::Category;
    // The category filter applies to the per-product sums (one product
    // lookup per product, not per batch).
    let cat_where = match req.category_id {
        Some(c) => {
            f.bind(":category", c.to_string());
            "WHERE p.category_id = :category"
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
    let join = if needs_product {
        "JOIN products p ON p.id = gp.k"
    } else {
        ""
    };
    let (key, products, label_join, label, extra, order) = match group {
        ValuationGroup::Store => (
            ":store",
            "COUNT(*)",
            "JOIN stores s ON s.id = g.k",
            "s.name",
            "NULL, NULL",
            "g.e7 DESC",
        ),
        ValuationGroup::Category => (
            "p.category_id",
            "COUNT(*)",
            "LEFT JOIN categories c ON c.id = g.k",
            "COALESCE(c.name, '(no category)')",
            "NULL, NULL",
            "g.e7 DESC, label COLLATE NOCASE",
        ),
        ValuationGroup::Product => (
            "gp.k",
            "1",
            "JOIN products pp ON pp.id = g.k",
            "pp.name",
            "pp.sku, pp.unit",
            "pp.name COLLATE NOCASE, g.k",
        ),
    };
    let (limit, offset) = if group == ValuationGroup::Product {
        (limit, offset)
    } else {
        (-1, 0)
    };
    // One grouped pass over the store's batches per product (the
    // (store, product) index gives that order), then the groups asked for.
    let groups = format!(
        "WITH gp AS (SELECT b.product_id AS k, COUNT(*) AS batches, SUM(b.on_hand_milli) AS qty,
                            SUM(b.on_hand_milli * b.cost_price_e4) AS e7
                       FROM batches b {where_} GROUP BY 1),
              g AS (SELECT {key} AS k, {products} AS products, SUM(gp.batches) AS batches,
                           SUM(gp.qty) AS qty, SUM(gp.e7) AS e7
                      FROM gp {join} {cat_where} GROUP BY 1)",
        where_ = f.where_sql(),
    );
    let windows =
        "COUNT(*) OVER (), SUM(g.products) OVER (), SUM(g.batches) OVER (), SUM(g.e7) OVER ()";
    let sql = if group == ValuationGroup::Product
        && req.sort.unwrap_or_default() == ValuationSort::Value
    {
        // Most valuable first: the page from the sums alone, then its names.
        format!(
            "{groups}
             SELECT x.k, pp.name, pp.sku, pp.unit, x.products, x.batches, x.qty, x.e7, x.n, x.tp, x.tb, x.te
               FROM (SELECT g.k, g.products, g.batches, g.qty, g.e7,
                            COUNT(*) OVER () AS n, SUM(g.products) OVER () AS tp,
                            SUM(g.batches) OVER () AS tb, SUM(g.e7) OVER () AS te
                       FROM g ORDER BY g.e7 DESC, g.k LIMIT :limit OFFSET :offset) x
               JOIN products pp ON pp.id = x.k
              ORDER BY x.e7 DESC, x.k"
        )
    } else {
        format!(
            "{groups}
             SELECT g.k, {label} AS label, {extra}, g.products, g.batches, g.qty, g.e7, {windows}
               FROM g {label_join}
              ORDER BY {order} LIMIT :limit OFFSET :offset"
        )
    };
    let extra_params: [(&'static str, &dyn ToSql); 2] = [(":limit", &limit), (":offset", &offset)];
    let mut stmt = ctx.tx.prepare(&sql)?;
    let mut totals = None;
    let rows = stmt
        .query_map(f.params(&extra_params).as_slice(), |r| {
            totals = Some((
                r.get::<_, i64>(8)?,
                ValuationTotals {
                    products: r.get(9)?,
                    batches: r.get(10)?,
                    value: value_e7(r.get(11)?),
                },
            ));
            Ok(ValuationRow {
                key: r.get(0)?,
                label: r.get(1)?,
                sku: r.get(2)?,
                unit: r.get(3)?,
                products: r.get(4)?,
                batches: r.get(5)?,
                on_hand: Qty::from_scaled(r.get(6)?),
                value: value_e7(r.get(7)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (total_rows, totals) = match totals {
        Some(t) => t,
        // A page past the end: the totals from a pass without paging.
        None if offset > 0 => {
            let sql = format!(
                "{groups}
                 SELECT COALESCE(SUM(g.products), 0), COALESCE(SUM(g.batches), 0), COALESCE(SUM(g.e7), 0), COUNT(*)
                   FROM g"
            );
            ctx.tx
                .prepare(&sql)?
                .query_row(f.params(&[]).as_slice(), |r| {
                    Ok((
                        r.get::<_, i64>(3)?,
                        ValuationTotals {
                            products: r.get(0)?,
                            batches: r.get(1)?,
                            value: value_e7(r.get(2)?),
                        },
                    ))
                })?
        }
        None => (0, ValuationTotals::default()),
    };
    Ok(StockValuation {
        store_id: info.id,
        date: today,
        group_by: group,
        rows,
        total_rows,
        totals,
    })
}

/// The CSV header of a valuation.
pub(crate) const CSV_HEADER: &[&str] = &[
    "key", "label", "sku", "unit", "products", "batches", "on_hand", "value",
];

/// A valuation's rows as CSV cells.
pub(crate) fn csv_rows(v: &StockValuation) -> Vec<Vec<String>> {
    v.rows
        .iter()
        .map(|r| {
            vec![
                r.key.clone().unwrap_or_default(),
                r.label.clone(),
                r.sku.clone().unwrap_or_default(),
                r.unit.clone().unwrap_or_default(),
                r.products.to_string(),
                r.batches.to_string(),
                r.on_hand.to_string(),
                r.value.to_string(),
            ]
        })
        .collect()
}
