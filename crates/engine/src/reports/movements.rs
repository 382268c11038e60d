//! `get_movement_log`: one log of the stock that moved other than by sale
//! or receipt — adjustments, write-offs, returns to supplier, transfers out
//! and in, and count/reconciliation variances — read from their documents.
//!
//! Each kind comes from the document that moved the stock: an applied
//! `stock_adjustments` row (dated when it was applied), a shipped transfer's
//! lots (out, dated at shipping) or received lots (in, dated at the
//! transfer's receipt), a reconciliation's items with a variance (counts
//! post through reconciliations, so both paths are here). The four are one
//! `UNION ALL`, filtered and sorted newest first by SQL.

use super::common::{page, value_e7, Period};
use crate::auth::Permission;
use crate::ids::{BatchId, ProductId, StoreId, UserId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::page::Filter;
use crate::Result;
use chrono::NaiveDate;
use rusqlite::ToSql;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A kind of stock movement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MovementKind {
    /// A stock adjustment, up or down (`adjust_stock`, once applied).
    Adjustment,
    /// A write-off (`writeoff_batch`, once applied).
    Writeoff,
    /// Stock sent back to its supplier (`return_to_supplier`, once applied).
    SupplierReturn,
    /// A transfer: out when shipped from this store, in when received here.
    Transfer,
    /// A count or reconciliation's variance on a batch.
    Count,
}

impl MovementKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Adjustment => "adjustment",
            Self::Writeoff => "writeoff",
            Self::SupplierReturn => "supplier_return",
            Self::Transfer => "transfer",
            Self::Count => "count",
        }
    }
}

/// The log of adjustments, write-offs, returns to supplier, transfers and count variances
/// in a store, newest first.
///
/// Filters: `kind`; `from` / `to` local dates in the store's time zone, both included
/// (default: the last 30 days to today; `from` after `to` is `invalid_input`); `product_id`;
/// `user_id` (who made it: the requester of an adjustment or write-off, who shipped or
/// received the transfer, who reconciled). Each row is one batch's
/// movement: the signed quantity (negative: stock left) and its value at the batch's unit
/// cost (the transfer lot's cost for transfers). Paged (`limit` 1–500, default 100,
/// `offset`); `total_rows` and `total_value` cover every page. Permission `view_audit`.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetMovementLog {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Only this kind.
    #[ts(optional)]
    pub kind: Option<MovementKind>,
    /// First local day (default: 29 days before `to`).
    #[ts(optional, type = "string")]
    pub from: Option<NaiveDate>,
    /// Last local day (default: today).
    #[ts(optional, type = "string")]
    pub to: Option<NaiveDate>,
    /// Only this product.
    #[ts(optional)]
    pub product_id: Option<ProductId>,
    /// Only movements by this user.
    #[ts(optional)]
    pub user_id: Option<UserId>,
    /// Page size (1–500, default 100).
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[ts(optional)]
    pub offset: Option<u32>,
}

/// One batch's movement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Movement {
    /// Kind.
    pub kind: MovementKind,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// The document: adjustment, transfer or reconciliation id.
    pub document_id: String,
    /// Why, or where to/from: the adjustment's reason, `to <store>` / `from <store>`,
    /// `count` or `reconciliation`.
    pub detail: String,
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
    /// Change in stock (negative: stock left the store).
    pub quantity: Qty,
    /// Unit cost.
    pub unit_cost: Money,
    /// quantity × unit cost.
    pub value: Money,
    /// Who moved it.
    pub user_id: UserId,
    /// Their name.
    pub user_name: Option<String>,
}

/// The movement log.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct MovementLog {
    /// Store.
    pub store_id: StoreId,
    /// First local day.
    #[ts(type = "string")]
    pub from: NaiveDate,
    /// Last local day.
    #[ts(type = "string")]
    pub to: NaiveDate,
    /// A page of movements, newest first.
    pub rows: Vec<Movement>,
    /// Movements in all.
    #[ts(type = "number")]
    pub total_rows: i64,
    /// Their value, all pages (signed).
    pub total_value: Money,
}

impl Operation for GetMovementLog {
    const NAME: &'static str = "get_movement_log";
    const SUMMARY: &'static str =
        "Adjustments, write-offs, supplier returns, transfers and count variances with quantity and value, newest first, paged";
    const PERMISSION: Permission = Permission::ViewAudit;
    const WRITES: bool = false;
    type Output = MovementLog;

    fn run(self, ctx: &Ctx<'_>) -> Result<MovementLog> {
        let (limit, offset) = page(self.limit, self.offset)?;
        movement_log(ctx, &self, limit, offset)
    }
}

const MOVEMENTS: &str = "
    SELECT a.kind AS kind, a.decided_at AS at, a.id AS doc, a.reason AS detail, a.batch_id AS batch,
           a.quantity_change_milli AS qty, b.cost_price_e4 AS cost, a.user_id AS user
      FROM stock_adjustments a JOIN batches b ON b.id = a.batch_id
     WHERE a.store_id = :store AND a.status = 'applied'
    UNION ALL
    SELECT 'transfer', t.shipped_at, t.id, 'to ' || ts.name, l.source_batch_id, -l.shipped_milli, l.cost_e4,
           COALESCE(t.shipped_by, t.created_by)
      FROM transfers t JOIN transfer_lots l ON l.transfer_id = t.id JOIN stores ts ON ts.id = t.to_store_id
     WHERE t.from_store_id = :store AND t.shipped_at IS NOT NULL
    UNION ALL
    SELECT 'transfer', COALESCE(t.received_at, t.updated_at), t.id, 'from ' || fs.name, l.dest_batch_id,
           l.received_milli, l.cost_e4, COALESCE(t.received_by, t.created_by)
      FROM transfers t JOIN transfer_lots l ON l.transfer_id = t.id JOIN stores fs ON fs.id = t.from_store_id
     WHERE t.to_store_id = :store AND l.received_milli > 0 AND l.dest_batch_id IS NOT NULL
    UNION ALL
    SELECT 'count', r.created_at, r.id, CASE WHEN r.count_id IS NULL THEN 'reconciliation' ELSE 'count' END,
           i.batch_id, i.variance_milli, b.cost_price_e4, r.user_id
      FROM inventory_reconciliations r JOIN reconciliation_items i ON i.reconciliation_id = r.id
      JOIN batches b ON b.id = i.batch_id
     WHERE r.store_id = :store AND i.variance_milli <> 0";

/// The log with an explicit page.
pub(crate) fn movement_log(
    ctx: &Ctx<'_>,
    req: &GetMovementLog,
    limit: i64,
    offset: i64,
) -> Result<MovementLog> {
    let info = ctx.store(req.store_id)?;
    let period = Period::resolve(ctx, &info, req.from, req.to)?;
    let mut f = Filter::default();
    f.and("m.at >= :start AND m.at < :stop")
        .bind(":store", info.id.to_string())
        .bind(":start", period.start.clone())
        .bind(":stop", period.stop.clone());
    if let Some(k) = req.kind {
        f.and("m.kind = :kind")
            .bind(":kind", k.as_str().to_string());
    }
    if let Some(p) = req.product_id {
        f.and("b.product_id = :product")
            .bind(":product", p.to_string());
    }
    if let Some(u) = req.user_id {
        f.and("m.user = :user").bind(":user", u.to_string());
    }
    let sql = format!(
        "WITH m AS ({MOVEMENTS})
         SELECT m.kind, m.at, m.doc, m.detail, m.batch, b.batch_number, b.product_id, p.sku, p.name, p.unit,
                m.qty, m.cost, m.user, u.name, COUNT(*) OVER (), SUM(m.qty * m.cost) OVER ()
           FROM m JOIN batches b ON b.id = m.batch JOIN products p ON p.id = b.product_id
           LEFT JOIN users u ON u.id = m.user
           {where_}
          ORDER BY m.at DESC, m.doc DESC, m.batch DESC LIMIT :limit OFFSET :offset",
        where_ = f.where_sql()
    );
    let extra: [(&'static str, &dyn ToSql); 2] = [(":limit", &limit), (":offset", &offset)];
    let mut totals = None;
    let rows = ctx
        .tx
        .prepare(&sql)?
        .query_map(f.params(&extra).as_slice(), |r| {
            totals = Some((r.get::<_, i64>(14)?, r.get::<_, i64>(15)?));
            let kind: String = r.get(0)?;
            let (qty, cost): (i64, i64) = (r.get(10)?, r.get(11)?);
            Ok(Movement {
                kind: match kind.as_str() {
                    "adjustment" => MovementKind::Adjustment,
                    "writeoff" => MovementKind::Writeoff,
                    "supplier_return" => MovementKind::SupplierReturn,
                    "transfer" => MovementKind::Transfer,
                    _ => MovementKind::Count,
                },
                at: r.get(1)?,
                document_id: r.get(2)?,
                detail: r.get(3)?,
                batch_id: r.get(4)?,
                batch_number: r.get(5)?,
                product_id: r.get(6)?,
                sku: r.get(7)?,
                product_name: r.get(8)?,
                unit: r.get(9)?,
                quantity: Qty::from_scaled(qty),
                unit_cost: Money::from_scaled(cost),
                value: value_e7(qty * cost),
                user_id: r.get(12)?,
                user_name: r.get(13)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (total_rows, total_e7) = match totals {
        Some(t) => t,
        None if offset > 0 => {
            let sql = format!(
                "WITH m AS ({MOVEMENTS})
                 SELECT COUNT(*), COALESCE(SUM(m.qty * m.cost), 0)
                   FROM m JOIN batches b ON b.id = m.batch {where_}",
                where_ = f.where_sql()
            );
            ctx.tx
                .prepare(&sql)?
                .query_row(f.params(&[]).as_slice(), |r| Ok((r.get(0)?, r.get(1)?)))?
        }
        None => (0, 0),
    };
    Ok(MovementLog {
        store_id: info.id,
        from: period.from,
        to: period.to,
        rows,
        total_rows,
        total_value: value_e7(total_e7),
    })
}

/// The CSV header of the log.
pub(crate) const CSV_HEADER: &[&str] = &[
    "at",
    "kind",
    "document_id",
    "detail",
    "batch_id",
    "batch_number",
    "product_id",
    "sku",
    "product_name",
    "unit",
    "quantity",
    "unit_cost",
    "value",
    "user",
];

/// The log as CSV cells.
pub(crate) fn csv_rows(l: &MovementLog) -> Vec<Vec<String>> {
    l.rows
        .iter()
        .map(|m| {
            vec![
                m.at.clone(),
                m.kind.as_str().to_string(),
                m.document_id.clone(),
                m.detail.clone(),
                m.batch_id.to_string(),
                m.batch_number.clone(),
                m.product_id.to_string(),
                m.sku.clone(),
                m.product_name.clone(),
                m.unit.clone(),
                m.quantity.to_string(),
                m.unit_cost.to_string(),
                m.value.to_string(),
                m.user_name.clone().unwrap_or_else(|| m.user_id.to_string()),
            ]
        })
        .collect()
}
