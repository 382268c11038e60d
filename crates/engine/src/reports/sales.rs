//! `get_sales_report`: sales and margin by product, category or local day
//! over a period, net of returns.
//!
//! Figures come from the sale documents: each completed sale's lines (what
//! the customer paid, the tax in it, and `cost_e4`, the cost of the batches
//! the line took) and each return's lines (the refund, and the returned
//! units at the cost their batch was taken at, from `sale_line_batches`).
//! Days are local days in the store's time zone: their UTC bounds are
//! computed in Rust with the zone's rules (a DST day is 23 or 25 hours), as
//! the dashboard does, and each day reads its sales and returns by the
//! `(store_id, created_at)` indexes.

use super::common::{margin_percent, page, Period};
use crate::auth::Permission;
use crate::ids::{CategoryId, ProductId, StoreId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::page::Filter;
use crate::{Error, Result};
use chrono::{Duration, NaiveDate};
use rusqlite::ToSql;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a sales report is grouped by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SalesGroup {
    /// One row per product sold (paged).
    Product,
    /// One row per product category (`category_id`; products without one form a row).
    Category,
    /// One row per local day of the period, oldest first, days without sales included.
    #[default]
    Day,
}

/// The order of product and category rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SalesSort {
    /// Net revenue, most first.
    #[default]
    Revenue,
    /// Margin, most first.
    Margin,
    /// Net quantity, most first.
    Quantity,
    /// Name, A to Z.
    Name,
}

/// Sales and margin in a store over a period, by `day` (default), `product` or `category`.
///
/// Period: `from` / `to` local dates in the store's time zone, both included (default: the
/// last 30 days to today; `from` after `to` is `invalid_input`, at most 3660 days). Sales are
/// completed sales made in the period (voided sales count nowhere); returns are counted on
/// the day they were taken, whenever the sale was. Per row:
/// - `quantity_sold`, `quantity_returned`, `quantity` (sold − returned);
/// - `gross_sales`: what customers paid, tax included; `refunds`: what returns paid back;
/// - `tax`: tax in the sales less the tax share of the refunds (refund × line tax ÷ line
///   total, rounded per return line);
/// - `revenue` = gross_sales − refunds − tax: net of returns and of tax;
/// - `cost`: what the batches sold cost (the sale line's stored batch cost) less the cost of
///   the returned units at the unit cost their batch was taken at (`sale_line_batches`,
///   rounded per return line), whether restocked or wasted;
/// - `margin` = revenue − cost; `margin_percent` = margin ÷ revenue × 100 (2 places; none
///   without revenue); `sales`: sales with a line in the row.
///
/// Filters: `category_id`, `product_id`. Product rows are paged (`limit` 1–500, default 100,
/// `offset`) and sorted by `sort` (`revenue` default, `margin`, `quantity`, `name`); category
/// rows are all returned in that order; day rows are every day of the period, oldest first.
/// `totals` sum every row. Clinic treatments are not sales (see `get_clinic_report`).
/// Permission `view_audit`, as the dashboard's margin.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetSalesReport {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Grouping (default `day`).
    #[ts(optional)]
    pub group_by: Option<SalesGroup>,
    /// First local day (default: 29 days before `to`).
    #[ts(optional, type = "string")]
    pub from: Option<NaiveDate>,
    /// Last local day (default: today).
    #[ts(optional, type = "string")]
    pub to: Option<NaiveDate>,
    /// Only this category's products.
    #[ts(optional)]
    pub category_id: Option<CategoryId>,
    /// Only this product.
    #[ts(optional)]
    pub product_id: Option<ProductId>,
    /// Order of product and category rows (default `revenue`).
    #[ts(optional)]
    pub sort: Option<SalesSort>,
    /// Page size (1–500, default 100; product grouping).
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Rows to skip (product grouping).
    #[ts(optional)]
    pub offset: Option<u32>,
}

/// Sales figures of one row, or of all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SalesFigures {
    /// Sales with a line here (not summed in totals: a sale can span rows).
    #[ts(type = "number")]
    pub sales: i64,
    /// Units sold.
    pub quantity_sold: Qty,
    /// Units returned.
    pub quantity_returned: Qty,
    /// Sold − returned.
    pub quantity: Qty,
    /// Paid by customers, tax included.
    pub gross_sales: Money,
    /// Paid back on returns.
    pub refunds: Money,
    /// Tax, net of the refunds' share.
    pub tax: Money,
    /// gross_sales − refunds − tax.
    pub revenue: Money,
    /// Cost of the units sold less those returned.
    pub cost: Money,
    /// revenue − cost.
    pub margin: Money,
    /// margin ÷ revenue × 100, two places (none without revenue).
    pub margin_percent: Option<String>,
}

/// One row of a sales report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SalesRow {
    /// The product's or category's id, or the day (`YYYY-MM-DD`); none: no category.
    pub key: Option<String>,
    /// Product or category name, or the day.
    pub label: String,
    /// The product's SKU (product grouping).
    pub sku: Option<String>,
    /// The figures.
    #[serde(flatten)]
    #[ts(flatten)]
    pub figures: SalesFigures,
}

/// A sales report.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct SalesReport {
    /// Store.
    pub store_id: StoreId,
    /// First local day.
    #[ts(type = "string")]
    pub from: NaiveDate,
    /// Last local day.
    #[ts(type = "string")]
    pub to: NaiveDate,
    /// The time zone days are counted in.
    pub timezone: String,
    /// The grouping.
    pub group_by: SalesGroup,
    /// The rows (a page of them for `product`).
    pub rows: Vec<SalesRow>,
    /// Rows in all.
    #[ts(type = "number")]
    pub total_rows: i64,
    /// Sums over every row (`sales` is 0: a sale can span rows).
    pub totals: SalesFigures,
}

impl Operation for GetSalesReport {
    const NAME: &'static str = "get_sales_report";
    const SUMMARY: &'static str =
        "Sales, returns, cost and margin by day, product or category over a period (local days)";
    const PERMISSION: Permission = Permission::ViewAudit;
    const WRITES: bool = false;
    type Output = SalesReport;

    fn run(self, ctx: &Ctx<'_>) -> Result<SalesReport> {
        let (limit, offset) = page(self.limit, self.offset)?;
        sales_report(ctx, &self, limit, offset)
    }
}

/// Sold and returned lines of the period, each tagged with its local day.
/// `CROSS JOIN` keeps the days outermost (SQLite never reorders it), so each
/// day is an index range on `(store_id, created_at)`.
const FACTS: &str = "
    SELECT d.day AS day, l.product_id AS product, s.id AS sale, l.quantity_milli AS sold, 0 AS returned,
           l.total_e4 AS gross, 0 AS refund, l.tax_e4 AS tax, l.cost_e4 AS cost
      FROM days d CROSS JOIN sales s ON s.store_id = :store AND s.created_at >= d.start AND s.created_at < d.stop
      JOIN sale_lines l ON l.sale_id = s.id
     WHERE s.status = 'completed'
    UNION ALL
    SELECT d.day, l.product_id, NULL, 0, rl.quantity_milli, 0, rl.refund_e4,
           -(CASE WHEN l.total_e4 > 0 THEN (rl.refund_e4 * l.tax_e4 + l.total_e4 / 2) / l.total_e4 ELSE 0 END),
           -((rl.quantity_milli * slb.cost_e4 + 500) / 1000)
      FROM days d CROSS JOIN sale_returns r ON r.store_id = :store AND r.created_at >= d.start AND r.created_at < d.stop
      JOIN sale_return_lines rl ON rl.return_id = r.id
      JOIN sale_lines l ON l.id = rl.sale_line_id
      JOIN sale_line_batches slb ON slb.sale_line_id = rl.sale_line_id AND slb.batch_id = rl.batch_id
      JOIN sales s ON s.id = r.sale_id
     WHERE s.status = 'completed'";

/// The report with an explicit page.
pub(crate) fn sales_report(
    ctx: &Ctx<'_>,
    req: &GetSalesReport,
    limit: i64,
    offset: i64,
) -> Result<SalesReport> {
    let info = ctx.store(req.store_id)?;
    let store = crate::catalogue::stores::get_store(ctx.tx, info.id)?;
    let period = Period::resolve(ctx, &info, req.from, req.to)?;
    let group = req.group_by.unwrap_or_default();
    // Day bounds: every day of the period when grouping by day, else the
    // period as one "day".
    let days: Vec<[String; 3]> = if group == SalesGroup::Day {
        let n = (period.to - period.from).num_days();
        (0..=n)
            .map(|i| {
                let d = period.from + Duration::days(i);
                [
                    d.to_string(),
                    crate::clock::day_start_utc(&info.tz, d),
                    crate::clock::day_start_utc(&info.tz, d + Duration::days(1)),
                ]
            })
            .collect()
    } else {
        vec![[
            period.from.to_string(),
            period.start.clone(),
            period.stop.clone(),
        ]]
    };
    let days_json =
        serde_json::to_string(&days).map_err(|e| Error::internal(format!("encoding days: {e}")))?;

    let mut f = Filter::default();
    f.and("1 = 1")
        .bind(":store", info.id.to_string())
        .bind(":days", days_json);
    let needs_product = req.category_id.is_some() || group == SalesGroup::Category;
    if let Some(c) = req.category_id {
        f.and("p.category_id = :category")
            .bind(":category", c.to_string());
    }
    if let Some(p) = req.product_id {
        f.and("f.product = :product")
            .bind(":product", p.to_string());
    }
    let join = if needs_product {
        "JOIN products p ON p.id = f.product"
    } else {
        ""
    };
    let sort = req.sort.unwrap_or_default();
    let by = match sort {
        SalesSort::Revenue => "(g.gross - g.refund - g.tax) DESC, label COLLATE NOCASE, g.k",
        SalesSort::Margin => {
            "(g.gross - g.refund - g.tax - g.cost) DESC, label COLLATE NOCASE, g.k"
        }
        SalesSort::Quantity => "(g.sold - g.returned) DESC, label COLLATE NOCASE, g.k",
        SalesSort::Name => "label COLLATE NOCASE, g.k",
    };
    let (key, label_join, label, sku, order) = match group {
        SalesGroup::Day => ("f.day", "", "g.k", "NULL", "g.k"),
        SalesGroup::Category => (
            "p.category_id",
            "LEFT JOIN categories c ON c.id = g.k",
            "COALESCE(c.name, '(no category)')",
            "NULL",
            by,
        ),
        SalesGroup::Product => (
            "f.product",
            "JOIN products pp ON pp.id = g.k",
            "pp.name",
            "pp.sku",
            by,
        ),
    };
    let (limit, offset) = if group == SalesGroup::Product {
        (limit, offset)
    } else {
        (-1, 0)
    };
    let sums =
        "SUM(g.sold) OVER (), SUM(g.returned) OVER (), SUM(g.gross) OVER (), SUM(g.refund) OVER (),
                SUM(g.tax) OVER (), SUM(g.cost) OVER ()";
    let head = format!(
        "WITH days AS (SELECT value ->> 0 AS day, value ->> 1 AS start, value ->> 2 AS stop FROM json_each(:days)),
              f AS ({FACTS}),
              g AS (SELECT {key} AS k, COUNT(DISTINCT f.sale) AS sales, SUM(f.sold) AS sold,
                           SUM(f.returned) AS returned, SUM(f.gross) AS gross, SUM(f.refund) AS refund,
                           SUM(f.tax) AS tax, SUM(f.cost) AS cost
                      FROM f {join} {where_} GROUP BY 1)",
        where_ = f.where_sql()
    );
    let sql = if group == SalesGroup::Product && sort != SalesSort::Name {
        // By a figure: the page from the sums alone (ties by product id),
        // then the page's names.
        let by = match sort {
            SalesSort::Margin => "(g.gross - g.refund - g.tax - g.cost) DESC, g.k",
            SalesSort::Quantity => "(g.sold - g.returned) DESC, g.k",
            _ => "(g.gross - g.refund - g.tax) DESC, g.k",
        };
        format!(
            "{head}
             SELECT x.k, pp.name, pp.sku, x.sales, x.sold, x.returned, x.gross, x.refund, x.tax, x.cost,
                    x.n, x.s1, x.s2, x.s3, x.s4, x.s5, x.s6
               FROM (SELECT g.*, {by_key} AS o, COUNT(*) OVER () AS n, SUM(g.sold) OVER () AS s1,
                            SUM(g.returned) OVER () AS s2, SUM(g.gross) OVER () AS s3,
                            SUM(g.refund) OVER () AS s4, SUM(g.tax) OVER () AS s5, SUM(g.cost) OVER () AS s6
                       FROM g ORDER BY {by} LIMIT :limit OFFSET :offset) x
               JOIN products pp ON pp.id = x.k
              ORDER BY x.o DESC, x.k",
            by_key = by.split(" DESC").next().unwrap_or("0"),
        )
    } else {
        format!(
            "{head}
             SELECT g.k, {label} AS label, {sku}, g.sales, g.sold, g.returned, g.gross, g.refund, g.tax, g.cost,
                    COUNT(*) OVER (), {sums}
               FROM g {label_join}
              ORDER BY {order} LIMIT :limit OFFSET :offset"
        )
    };
    let extra: [(&'static str, &dyn ToSql); 2] = [(":limit", &limit), (":offset", &offset)];
    let mut totals: Option<(i64, [i64; 6])> = None;
    let mut rows = ctx
        .tx
        .prepare(&sql)?
        .query_map(f.params(&extra).as_slice(), |r| {
            let mut t = [0i64; 6];
            for (i, v) in t.iter_mut().enumerate() {
                *v = r.get(11 + i)?;
            }
            totals = Some((r.get(10)?, t));
            Ok(SalesRow {
                key: r.get(0)?,
                label: r.get(1)?,
                sku: r.get(2)?,
                figures: figures(
                    r.get(3)?,
                    [
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                        r.get(9)?,
                    ],
                ),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (mut total_rows, sums) = match totals {
        Some(t) => t,
        None if offset > 0 => {
            let sql = format!(
                "WITH days AS (SELECT value ->> 0 AS day, value ->> 1 AS start, value ->> 2 AS stop FROM json_each(:days)),
                      f AS ({FACTS})
                 SELECT COUNT(DISTINCT {key}), COALESCE(SUM(f.sold), 0), COALESCE(SUM(f.returned), 0),
                        COALESCE(SUM(f.gross), 0), COALESCE(SUM(f.refund), 0), COALESCE(SUM(f.tax), 0),
                        COALESCE(SUM(f.cost), 0)
                   FROM f {join} {where_}",
                where_ = f.where_sql()
            );
            ctx.tx
                .prepare(&sql)?
                .query_row(f.params(&[]).as_slice(), |r| {
                    Ok((
                        r.get(0)?,
                        [
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                            r.get(6)?,
                        ],
                    ))
                })?
        }
        None => (0, [0; 6]),
    };
    if group == SalesGroup::Day {
        // Every day of the period, days without sales as zeros.
        let mut by_day: std::collections::HashMap<String, SalesRow> =
            rows.drain(..).map(|r| (r.label.clone(), r)).collect();
        rows = days
            .iter()
            .map(|[d, _, _]| {
                by_day.remove(d).unwrap_or_else(|| SalesRow {
                    key: Some(d.clone()),
                    label: d.clone(),
                    sku: None,
                    figures: figures(0, [0; 6]),
                })
            })
            .collect();
        total_rows = i64::try_from(rows.len()).unwrap_or(i64::MAX);
    }
    let mut totals = figures(0, sums);
    totals.sales = 0;
    Ok(SalesReport {
        store_id: info.id,
        from: period.from,
        to: period.to,
        timezone: store.timezone,
        group_by: group,
        rows,
        total_rows,
        totals,
    })
}

/// Figures from the scaled sums: sold, returned, gross, refund, tax, cost.
fn figures(sales: i64, [sold, returned, gross, refund, tax, cost]: [i64; 6]) -> SalesFigures {
    let revenue = Money::from_scaled(gross - refund - tax);
    let margin = Money::from_scaled(gross - refund - tax - cost);
    SalesFigures {
        sales,
        quantity_sold: Qty::from_scaled(sold),
        quantity_returned: Qty::from_scaled(returned),
        quantity: Qty::from_scaled(sold - returned),
        gross_sales: Money::from_scaled(gross),
        refunds: Money::from_scaled(refund),
        tax: Money::from_scaled(tax),
        revenue,
        cost: Money::from_scaled(cost),
        margin,
        margin_percent: margin_percent(margin, revenue).map(|p| format!("{p:.2}")),
    }
}

/// The CSV header of a sales report.
pub(crate) const CSV_HEADER: &[&str] = &[
    "key",
    "label",
    "sku",
    "sales",
    "quantity_sold",
    "quantity_returned",
    "quantity",
    "gross_sales",
    "refunds",
    "tax",
    "revenue",
    "cost",
    "margin",
    "margin_percent",
];

/// A sales report's rows as CSV cells.
pub(crate) fn csv_rows(s: &SalesReport) -> Vec<Vec<String>> {
    s.rows
        .iter()
        .map(|r| {
            let f = &r.figures;
            vec![
                r.key.clone().unwrap_or_default(),
                r.label.clone(),
                r.sku.clone().unwrap_or_default(),
                f.sales.to_string(),
                f.quantity_sold.to_string(),
                f.quantity_returned.to_string(),
                f.quantity.to_string(),
                f.gross_sales.to_string(),
                f.refunds.to_string(),
                f.tax.to_string(),
                f.revenue.to_string(),
                f.cost.to_string(),
                f.margin.to_string(),
                f.margin_percent.clone().unwrap_or_default(),
            ]
        })
        .collect()
}
