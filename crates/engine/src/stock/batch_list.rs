//! `list_batches`: the Stock screen's paged list of a store's batches, at a
//! million batches.
//!
//! Filtering, sorting, paging and the count are SQL. Expiry order walks the
//! live-batch index (or the status index when a status is asked for),
//! product order walks the product-name index and each product's batches
//! in FEFO order, batch-number order its own index; on hand and value sort
//! the rows that pass the filters (no index: a sale would write it), finding
//! the page's rowids from the batch rows alone before joining the page to its
//! products. Without a text or product filter the
//! count is a sum over `batch_totals` (V10's running totals per status and
//! expiry date), not a count of a million rows. `get_store_inventory`
//! stays for callers that want every batch at once.

use super::{read_view, BatchStatus, BatchView, VIEW_SQL};
use crate::auth::Permission;
use crate::ids::{ProductId, StoreId};
use crate::num::Money;
use crate::op::{Ctx, Operation};
use crate::page::{fts_prefix_query, limit_offset, Filter};
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::ToSql;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What `list_batches` sorts by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BatchSort {
    /// Expiry date, nearest first (FEFO); never-expiring batches last.
    #[default]
    Expiry,
    /// Product name, then expiry.
    Product,
    /// Batch (lot) number.
    BatchNumber,
    /// Quantity on hand.
    OnHand,
    /// Value on hand (quantity × the batch's unit cost).
    Value,
}

/// Lists a store's batches, a page at a time.
///
/// - `query`: each word a prefix of the product's name, generic name, brand, SKU or
///   barcodes (as `search_products`), or the start of the batch number (as typed or in
///   capitals).
/// - `product_id`: only that product's batches. `status`: only batches of that status
///   (`available`, `quarantine`, `expired`, `recalled`, `depleted`, `damaged`; asking for
///   `depleted` includes empty batches).
/// - `expiring_from` / `expiring_before`: expiry date on or after / on or before these
///   dates (`YYYY-MM-DD`); batches that never expire have no date and are left out by
///   either.
/// - `include_empty` (default false): also batches with nothing on hand.
/// - `sort`: `expiry` (default, nearest first), `product` (name, then expiry),
///   `batch_number`, `on_hand`, `value` (on hand × unit cost); `descending` reverses it. Ties
///   are broken by a fixed order, so pages never overlap.
/// - Paging by `limit` (1–500, default 100) and `offset`; `total` counts every batch that
///   passes the filters. Each row is the batch as `get_batch` shows it plus its `value`.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListBatches {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Product text or batch number.
    #[ts(optional)]
    pub query: Option<String>,
    /// Only this product.
    #[ts(optional)]
    pub product_id: Option<ProductId>,
    /// Only this status.
    #[ts(optional)]
    pub status: Option<BatchStatus>,
    /// Expiring on or after this date.
    #[ts(optional, type = "string")]
    pub expiring_from: Option<NaiveDate>,
    /// Expiring on or before this date.
    #[ts(optional, type = "string")]
    pub expiring_before: Option<NaiveDate>,
    /// Include batches with nothing on hand.
    #[ts(optional)]
    pub include_empty: Option<bool>,
    /// Sort key (default `expiry`).
    #[ts(optional)]
    pub sort: Option<BatchSort>,
    /// Reverse the order.
    #[ts(optional)]
    pub descending: Option<bool>,
    /// Rows per page (1–500, default 100).
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Rows to skip (default 0).
    #[ts(optional)]
    pub offset: Option<u32>,
}

/// One batch in the list.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct BatchListRow {
    /// The batch as `get_batch` shows it.
    #[serde(flatten)]
    #[ts(flatten)]
    pub batch: BatchView,
    /// On hand × unit cost (rounded to the money scale).
    pub value: Money,
}

/// A page of batches.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct BatchPage {
    /// The page, in the requested order.
    pub rows: Vec<BatchListRow>,
    /// Batches passing the filters, all pages together.
    #[ts(type = "number")]
    pub total: i64,
}

impl Operation for ListBatches {
    const NAME: &'static str = "list_batches";
    const SUMMARY: &'static str =
        "A page of the store's batches, filtered and sorted (expiry, product, batch, on hand, value)";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = BatchPage;

    fn run(self, ctx: &Ctx<'_>) -> Result<BatchPage> {
        let store = ctx.store(self.store_id)?;
        let today = ctx.today(&store);
        let (limit, offset) = limit_offset(self.limit, self.offset, 100)?;
        if let (Some(from), Some(before)) = (self.expiring_from, self.expiring_before) {
            if from > before {
                return Err(Error::invalid(
                    "expiring_from",
                    format!("expiring_from {from} is after expiring_before {before}"),
                ));
            }
        }
        let text = self.query.as_deref().map(str::trim).unwrap_or("");
        if text.chars().count() > 200 {
            return Err(Error::invalid(
                "query",
                "query is longer than 200 characters",
            ));
        }
        let include_empty =
            self.include_empty.unwrap_or(false) || self.status == Some(BatchStatus::Depleted);

        // Conditions on the batch's own columns, shared by the page and the
        // running-totals count.
        let mut f = Filter::default();
        // With a text filter the few matching batches are looked up by
        // rowid and sorted; `+` keeps the planner from walking the store's
        // index instead (a million batches, tested one by one).
        f.and(if text.is_empty() {
            "b.store_id = :store"
        } else {
            "+b.store_id = :store"
        })
        .bind(":store", store.id.to_string());
        if let Some(s) = self.status {
            f.and("b.status = :status")
                .bind(":status", s.as_str().to_string());
            // Said so that a partial index applies: the status index (no
            // available batches) for the other statuses, the live-batch
            // index (no depleted ones) in expiry order for available.
            if s == BatchStatus::Available {
                f.and("b.status <> 'depleted'");
            } else {
                f.and("b.status <> 'available'");
            }
        } else if !include_empty {
            // Implied by on hand > 0 (a batch with stock is never depleted);
            // said so that the live-batch index applies.
            f.and("b.status <> 'depleted'");
        }
        if let Some(d) = self.expiring_from {
            f.and("b.expiry_date >= :from").bind(":from", d.to_string());
        }
        if let Some(d) = self.expiring_before {
            f.and("b.expiry_date <= :before")
                .bind(":before", d.to_string());
        }
        // Never-expiring batches are stored as 9999-12-31: a date range
        // leaves them out.
        if self.expiring_from.is_some() || self.expiring_before.is_some() {
            f.and("b.expiry_date < :never")
                .bind(":never", super::NO_EXPIRY.to_string());
        }
        let totals_count = text.is_empty() && self.product_id.is_none();
        let total = if totals_count {
            let sql = format!(
                "SELECT COALESCE(SUM({}), 0) FROM batch_totals b {}",
                if include_empty { "batches" } else { "stocked" },
                f.where_sql()
            );
            ctx.tx
                .prepare_cached(&sql)?
                .query_row(f.params(&[]).as_slice(), |r| r.get::<_, i64>(0))?
        } else {
            0
        };

        if !include_empty {
            f.and("b.on_hand_milli > 0");
        }
        if let Some(p) = self.product_id {
            f.and("b.product_id = :product")
                .bind(":product", p.to_string());
        }
        if !text.is_empty() {
            let mut set = String::from(
                "SELECT rowid FROM batches WHERE store_id = :store AND batch_number >= :bn AND batch_number < :bn || char(1114111)
                 UNION SELECT rowid FROM batches WHERE store_id = :store AND batch_number >= :bn_upper AND batch_number < :bn_upper || char(1114111)",
            );
            f.bind(":bn", text.to_string())
                .bind(":bn_upper", text.to_uppercase());
            if let Some(fts) = fts_prefix_query(text) {
                // From the matches to their batches, in that order.
                set.push_str(
                    " UNION SELECT x.rowid FROM product_search s CROSS JOIN products p ON p.rowid = s.rowid
                        CROSS JOIN batches x ON x.product_id = p.id AND x.store_id = :store
                       WHERE product_search MATCH :fts",
                );
                f.bind(":fts", fts);
            }
            f.and(format!("b.rowid IN ({set})"));
        }
        let d = if self.descending.unwrap_or(false) {
            "DESC"
        } else {
            "ASC"
        };
        let order = match self.sort.unwrap_or_default() {
            BatchSort::Expiry => format!("b.expiry_date {d}, b.rowid {d}"),
            BatchSort::Product => {
                format!("p.name COLLATE NOCASE {d}, p.rowid {d}, b.expiry_date {d}, b.rowid {d}")
            }
            BatchSort::BatchNumber => format!("b.batch_number {d}, b.rowid {d}"),
            BatchSort::OnHand => format!("b.on_hand_milli {d}, b.rowid {d}"),
            BatchSort::Value => format!("b.on_hand_milli * b.cost_price_e4 {d}, b.rowid {d}"),
        };
        // In product order the products' name index leads and each
        // product's batches follow in FEFO order (no sort); CROSS JOIN
        // keeps SQLite's planner to that nesting.
        let view = if self.sort.unwrap_or_default() == BatchSort::Product && text.is_empty() {
            VIEW_SQL.replace(
                "FROM batches b JOIN products p ON",
                "FROM products p CROSS JOIN batches b ON",
            )
        } else {
            VIEW_SQL.to_string()
        };
        let sql = if matches!(
            self.sort.unwrap_or_default(),
            BatchSort::Value | BatchSort::OnHand
        ) {
            // No index orders by on hand (a sale would write it), so these
            // sort every batch that passes the filters. The page's rowids
            // are found from the batch rows alone, the sorter holding a
            // rowid and a number per row, and only the page's rows are then
            // joined to their product and supplier: at a million batches,
            // 0.55 s → 0.2 s (docs/benchmarks.md).
            format!(
                "{view} WHERE b.rowid IN (SELECT b.rowid FROM batches b {} ORDER BY {order} LIMIT :limit OFFSET :offset)
                 ORDER BY {order}",
                f.where_sql()
            )
        } else {
            format!(
                "{view} {} ORDER BY {order} LIMIT :limit OFFSET :offset",
                f.where_sql()
            )
        };
        let extra: [(&'static str, &dyn ToSql); 2] = [(":limit", &limit), (":offset", &offset)];
        let rows = ctx
            .tx
            .prepare_cached(&sql)?
            .query_map(f.params(&extra).as_slice(), |r| read_view(r, today))?
            .map(|v| {
                v.map(|batch| BatchListRow {
                    value: batch.cost_price.times(batch.quantity),
                    batch,
                })
            })
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let total = if totals_count {
            total
        } else {
            let sql = format!("SELECT COUNT(*) FROM batches b {}", f.where_sql());
            ctx.tx
                .prepare_cached(&sql)?
                .query_row(f.params(&[]).as_slice(), |r| r.get::<_, i64>(0))?
        };
        Ok(BatchPage { rows, total })
    }
}
