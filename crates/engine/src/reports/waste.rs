//! `get_waste_report`: stock lost as waste over a period, by reason and by
//! product, with quantity and cost.
//!
//! Three documents are waste: the clinic's waste records (draw-up loss,
//! contamination, stability, …, and every lot disposed of as waste with
//! `dispose_batch` — expired, recalled or damaged stock), applied write-offs
//! (`writeoff_batch`, whatever their reason), and units customers returned
//! that were wasted rather than restocked (return lines with disposition
//! `waste`). Adjustments, returns to the supplier and count variances are not
//! waste (they are in the movement log). Waste records carry their cost;
//! the others are valued at the batch's unit cost. All in one `UNION ALL`
//! grouped by SQL; sums are in 10^-7 and rounded once.

use super::common::{page, value_e7, Period};
use crate::auth::Permission;
use crate::ids::{ProductId, StoreId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::page::Filter;
use crate::Result;
use chrono::NaiveDate;
use rusqlite::ToSql;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a waste figure comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum WasteSource {
    /// A waste record (clinic waste, lots disposed of as waste).
    Clinic,
    /// An applied write-off.
    Writeoff,
    /// A customer's return wasted, not restocked.
    Return,
}

impl WasteSource {
    fn as_str(self) -> &'static str {
        match self {
            Self::Clinic => "clinic",
            Self::Writeoff => "writeoff",
            Self::Return => "return",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "writeoff" => Self::Writeoff,
            "return" => Self::Return,
            _ => Self::Clinic,
        }
    }
}

/// Waste in a store over a period, by reason and by product.
///
/// Period: `from` / `to` local dates in the store's time zone, both included (default: the
/// last 30 days to today). Waste is clinic waste records (including lots disposed of as
/// waste), applied write-offs and customer returns wasted instead of restocked; `source`
/// keeps one of them, `reason` one reason (a clinic reason such as `draw_up_loss`, a
/// write-off's reason text, `return` for returns), `product_id` one product.
/// `by_reason`: every (source, reason) with records, quantity and cost, costliest first.
/// `products`: per product, costliest first, paged (`limit` 1–500, default 100, `offset`).
/// Cost: the waste record's own cost; write-offs and returns at the batch's unit cost.
/// Permission `view_audit`.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetWasteReport {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// First local day (default: 29 days before `to`).
    #[ts(optional, type = "string")]
    pub from: Option<NaiveDate>,
    /// Last local day (default: today).
    #[ts(optional, type = "string")]
    pub to: Option<NaiveDate>,
    /// Only this source.
    #[ts(optional)]
    pub source: Option<WasteSource>,
    /// Only this reason.
    #[ts(optional)]
    pub reason: Option<String>,
    /// Only this product.
    #[ts(optional)]
    pub product_id: Option<ProductId>,
    /// Page size of the products (1–500, default 100).
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Products to skip.
    #[ts(optional)]
    pub offset: Option<u32>,
}

/// Waste of one reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct WasteReportReason {
    /// Source.
    pub source: WasteSource,
    /// Reason.
    pub reason: String,
    /// Records (waste records, write-offs, return lines).
    #[ts(type = "number")]
    pub records: i64,
    /// Quantity (units of mixed products).
    pub quantity: Qty,
    /// Cost.
    pub cost: Money,
}

/// Waste of one product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct WasteByProduct {
    /// Product.
    pub product_id: ProductId,
    /// SKU.
    pub sku: String,
    /// Name.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// Records.
    #[ts(type = "number")]
    pub records: i64,
    /// Quantity wasted.
    pub quantity: Qty,
    /// Cost.
    pub cost: Money,
}

/// The waste report.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct WasteReport {
    /// Store.
    pub store_id: StoreId,
    /// First local day.
    #[ts(type = "string")]
    pub from: NaiveDate,
    /// Last local day.
    #[ts(type = "string")]
    pub to: NaiveDate,
    /// By source and reason, costliest first.
    pub by_reason: Vec<WasteReportReason>,
    /// A page of products, costliest first.
    pub products: Vec<WasteByProduct>,
    /// Products in all.
    #[ts(type = "number")]
    pub total_products: i64,
    /// Records in all.
    #[ts(type = "number")]
    pub total_records: i64,
    /// Cost of all of it.
    pub total_cost: Money,
}

impl Operation for GetWasteReport {
    const NAME: &'static str = "get_waste_report";
    const SUMMARY: &'static str =
        "Waste (clinic waste, write-offs, wasted returns) by reason and by product with quantity and cost";
    const PERMISSION: Permission = Permission::ViewAudit;
    const WRITES: bool = false;
    type Output = WasteReport;

    fn run(self, ctx: &Ctx<'_>) -> Result<WasteReport> {
        let (limit, offset) = page(self.limit, self.offset)?;
        waste_report(ctx, &self, limit, offset)
    }
}

const WASTE: &str = "
    SELECT 'clinic' AS source, w.reason AS reason, w.product_id AS product, w.quantity_milli AS qty,
           w.cost_e4 * 1000 AS e7
      FROM waste_records w
     WHERE w.store_id = :store AND w.recorded_at >= :start AND w.recorded_at < :stop
    UNION ALL
    SELECT 'writeoff', a.reason, b.product_id, -a.quantity_change_milli, -a.quantity_change_milli * b.cost_price_e4
      FROM stock_adjustments a JOIN batches b ON b.id = a.batch_id
     WHERE a.store_id = :store AND a.status = 'applied' AND a.kind = 'writeoff'
       AND a.decided_at >= :start AND a.decided_at < :stop
    UNION ALL
    SELECT 'return', 'return', b.product_id, l.quantity_milli, l.quantity_milli * b.cost_price_e4
      FROM sale_returns r JOIN sale_return_lines l ON l.return_id = r.id JOIN batches b ON b.id = l.batch_id
     WHERE r.store_id = :store AND r.created_at >= :start AND r.created_at < :stop AND l.disposition = 'waste'";

/// The report with an explicit page of products.
pub(crate) fn waste_report(
    ctx: &Ctx<'_>,
    req: &GetWasteReport,
    limit: i64,
    offset: i64,
) -> Result<WasteReport> {
    let info = ctx.store(req.store_id)?;
    let period = Period::resolve(ctx, &info, req.from, req.to)?;
    let mut f = Filter::default();
    f.and("1 = 1")
        .bind(":store", info.id.to_string())
        .bind(":start", period.start.clone())
        .bind(":stop", period.stop.clone());
    if let Some(s) = req.source {
        f.and("w.source = :source")
            .bind(":source", s.as_str().to_string());
    }
    if let Some(r) = &req.reason {
        f.and("w.reason = :reason").bind(":reason", r.clone());
    }
    if let Some(p) = req.product_id {
        f.and("w.product = :product")
            .bind(":product", p.to_string());
    }
    let where_ = f.where_sql();

    let sql = format!(
        "WITH w AS ({WASTE})
         SELECT w.source, w.reason, COUNT(*), SUM(w.qty), SUM(w.e7) FROM w {where_}
          GROUP BY 1, 2 ORDER BY 5 DESC, 1, 2"
    );
    let by_reason = ctx
        .tx
        .prepare(&sql)?
        .query_map(f.params(&[]).as_slice(), |r| {
            Ok(WasteReportReason {
                source: WasteSource::parse(&r.get::<_, String>(0)?),
                reason: r.get(1)?,
                records: r.get(2)?,
                quantity: Qty::from_scaled(r.get(3)?),
                cost: value_e7(r.get(4)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let total_records = by_reason.iter().map(|r| r.records).sum();

    let sql = format!(
        "WITH w AS ({WASTE}),
         g AS (SELECT w.product AS k, COUNT(*) AS records, SUM(w.qty) AS qty, SUM(w.e7) AS e7
                 FROM w {where_} GROUP BY 1)
         SELECT g.k, p.sku, p.name, p.unit, g.records, g.qty, g.e7, COUNT(*) OVER (), SUM(g.e7) OVER ()
           FROM g JOIN products p ON p.id = g.k
          ORDER BY g.e7 DESC, p.name COLLATE NOCASE, g.k LIMIT :limit OFFSET :offset"
    );
    let extra: [(&'static str, &dyn ToSql); 2] = [(":limit", &limit), (":offset", &offset)];
    let mut totals = None;
    let products = ctx
        .tx
        .prepare(&sql)?
        .query_map(f.params(&extra).as_slice(), |r| {
            totals = Some((r.get::<_, i64>(7)?, r.get::<_, i64>(8)?));
            Ok(WasteByProduct {
                product_id: r.get(0)?,
                sku: r.get(1)?,
                name: r.get(2)?,
                unit: r.get(3)?,
                records: r.get(4)?,
                quantity: Qty::from_scaled(r.get(5)?),
                cost: value_e7(r.get(6)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (total_products, total_e7) = match totals {
        Some(t) => t,
        None if offset > 0 => ctx
            .tx
            .prepare(&format!(
                "WITH w AS ({WASTE}) SELECT COUNT(DISTINCT w.product), COALESCE(SUM(w.e7), 0) FROM w {where_}"
            ))?
            .query_row(f.params(&[]).as_slice(), |r| Ok((r.get(0)?, r.get(1)?)))?,
        None => (0, 0),
    };
    Ok(WasteReport {
        store_id: info.id,
        from: period.from,
        to: period.to,
        by_reason,
        products,
        total_products,
        total_records,
        total_cost: value_e7(total_e7),
    })
}

/// The CSV header of the product rows.
pub(crate) const CSV_HEADER: &[&str] = &[
    "product_id",
    "sku",
    "name",
    "unit",
    "records",
    "quantity",
    "cost",
];

/// The product rows as CSV cells.
pub(crate) fn csv_rows(w: &WasteReport) -> Vec<Vec<String>> {
    w.products
        .iter()
        .map(|p| {
            vec![
                p.product_id.to_string(),
                p.sku.clone(),
                p.name.clone(),
                p.unit.clone(),
                p.records.to_string(),
                p.quantity.to_string(),
                p.cost.to_string(),
            ]
        })
        .collect()
}
