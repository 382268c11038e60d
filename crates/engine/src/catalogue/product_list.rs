//! `list_products`: the catalogue as a paged, sorted, filtered list with
//! each product's stock in one store, for the Products screen at 100,000
//! products.
//!
//! Filtering, sorting, paging and the count are SQL. Name, SKU, price and
//! last change walk an index, so the first page reads about a page of rows
//! however large the catalogue; on hand reads the store's `stock_levels`
//! running totals (V10) in one pass and keeps the page's rows (no index on
//! it: every sale would write it); a text filter first takes the full-text
//! matches (the same prefix search as `search_products`) and sorts those. Only the rows of the page then get their sellable quantity,
//! which depends on today's date.

use crate::auth::Permission;
use crate::error::tax_rate_in_row;
use crate::ids::{CategoryId, ProductId, StoreId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::page::{fts_prefix_query, limit_offset, Filter};
use crate::{Error, Result};
use rusqlite::{params, ToSql};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::products::{ProductCategory, ProductStatus};

/// What `list_products` sorts by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ProductSort {
    /// Name, A to Z (case-insensitive).
    #[default]
    Name,
    /// SKU.
    Sku,
    /// Selling price.
    Price,
    /// On hand in the store.
    OnHand,
    /// Last change to the product.
    UpdatedAt,
}

/// Lists the catalogue's products (never deleted ones), with what each has in the store.
///
/// - `query`: words typed or a code scanned. Each word is a prefix matched anywhere in the
///   name, generic name, brand, SKU, NAFDAC number or barcodes (as `search_products`), or
///   the whole text equals a SKU or a barcode.
/// - `category_id`: only that category. `active`: `true` only products of status `active`,
///   `false` only the others (discontinued, out of stock, pending approval). `low_stock:
///   true`: only active products whose stock in `available` batches in the store is at or
///   below their reorder point (else minimum level), as the dashboard counts them.
/// - `sort`: `name` (default), `sku`, `price`, `on_hand`, `updated_at`; `descending` reverses
///   it. Ties are broken by a fixed order, so pages never overlap.
/// - Paging by `limit` (1–500, default 100) and `offset` (default 0); `total` counts every
///   product that passes the filters. An unknown sort or a limit out of range is
///   `invalid_input`.
/// - `store_id` (default: the user's store) decides whose stock `on_hand` and `available`
///   show.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListProducts {
    /// Text or code to look for.
    #[ts(optional)]
    pub query: Option<String>,
    /// Only this category.
    #[ts(optional)]
    pub category_id: Option<CategoryId>,
    /// Only active (`true`) or only inactive (`false`) products.
    #[ts(optional)]
    pub active: Option<bool>,
    /// Only products at or below their reorder point in the store.
    #[ts(optional)]
    pub low_stock: Option<bool>,
    /// Sort key (default `name`).
    #[ts(optional)]
    pub sort: Option<ProductSort>,
    /// Largest first.
    #[ts(optional)]
    pub descending: Option<bool>,
    /// Rows per page (1–500, default 100).
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Rows to skip (default 0).
    #[ts(optional)]
    pub offset: Option<u32>,
    /// Store whose stock to show (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

/// One product in the list.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ProductListRow {
    /// Product.
    pub id: ProductId,
    /// SKU.
    pub sku: String,
    /// Name.
    pub name: String,
    /// Generic name.
    pub generic_name: Option<String>,
    /// Brand.
    pub brand: Option<String>,
    /// Built-in kind.
    pub category: ProductCategory,
    /// User category.
    pub category_id: Option<CategoryId>,
    /// Its name.
    pub category_name: Option<String>,
    /// Unit of measure.
    pub unit: String,
    /// Sold only against a prescription.
    pub prescription_only: bool,
    /// Default cost price.
    pub cost_price: Money,
    /// Selling price.
    pub selling_price: Money,
    /// Tax rate, percent.
    #[ts(type = "string")]
    pub tax_rate: Decimal,
    /// Status.
    pub status: ProductStatus,
    /// Reorder point, if set.
    pub reorder_point: Option<Qty>,
    /// Everything on hand in the store, whatever the batch's status.
    pub on_hand: Qty,
    /// Sellable now: available, in-date batches, less reservations.
    pub available: Qty,
    /// Nearest expiry among sellable batches.
    pub nearest_expiry: Option<String>,
    /// Last change.
    pub updated_at: String,
}

/// A page of products.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ProductPage {
    /// The page, in the requested order.
    pub rows: Vec<ProductListRow>,
    /// Products passing the filters, all pages together.
    #[ts(type = "number")]
    pub total: i64,
}

impl Operation for ListProducts {
    const NAME: &'static str = "list_products";
    const SUMMARY: &'static str =
        "A page of products, filtered and sorted, with on-hand and sellable stock in the store";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = ProductPage;

    fn run(self, ctx: &Ctx<'_>) -> Result<ProductPage> {
        let store = ctx.store(self.store_id)?;
        let (limit, offset) = limit_offset(self.limit, self.offset, 100)?;
        let mut f = Filter::default();
        f.and("p.deleted_at IS NULL");
        let text = self.query.as_deref().map(str::trim).unwrap_or("");
        if text.chars().count() > 200 {
            return Err(Error::invalid(
                "query",
                "query is longer than 200 characters",
            ));
        }
        if !text.is_empty() {
            // One set of rowids: the full-text prefix matches, plus an exact
            // SKU or barcode (a code the tokenizer would split differently).
            let mut set = String::from(
                "SELECT rowid FROM products WHERE sku = :code
                 UNION SELECT x.rowid FROM product_barcodes b JOIN products x ON x.id = b.product_id WHERE b.barcode = :code",
            );
            if let Some(fts) = fts_prefix_query(text) {
                set.push_str(
                    " UNION SELECT rowid FROM product_search WHERE product_search MATCH :fts",
                );
                f.bind(":fts", fts);
            }
            f.and(format!("p.rowid IN ({set})"))
                .bind(":code", text.to_string());
        }
        if let Some(c) = self.category_id {
            f.and("p.category_id = :category")
                .bind(":category", c.to_string());
        }
        match self.active {
            Some(true) => {
                f.and("p.status = 'active'");
            }
            Some(false) => {
                f.and("p.status <> 'active'");
            }
            None => {}
        }
        let d = if self.descending.unwrap_or(false) {
            "DESC"
        } else {
            "ASC"
        };
        // Each order ends on a unique key, so that paging is stable.
        let order = match self.sort.unwrap_or_default() {
            ProductSort::Name => format!("p.name COLLATE NOCASE {d}, p.rowid {d}"),
            ProductSort::Sku => format!("p.sku {d}"),
            ProductSort::Price => format!("p.selling_price_e4 {d}, p.rowid {d}"),
            ProductSort::UpdatedAt => format!("p.updated_at {d}, p.rowid {d}"),
            ProductSort::OnHand => format!("sl.on_hand_milli {d}, sl.product_id {d}"),
        };
        let store_id = store.id.to_string();
        let low = self.low_stock == Some(true);
        if low {
            // The terms of the low-stock partial index, which then leads.
            f.and("sl.reorder_milli IS NOT NULL AND sl.available_milli <= sl.reorder_milli");
        }
        // The table whose index gives the order leads (CROSS JOIN keeps
        // SQLite's planner to it): without ANALYZE statistics it would
        // rather walk the store's stock levels and sort 100,000 rows. For
        // the on-hand order those are read first and sorted (top-N), as
        // are the few low products for the low-stock filter.
        let join = "ON sl.store_id = :store AND sl.product_id = p.id";
        let from = if low {
            format!("stock_levels sl INDEXED BY ix_stock_levels_low CROSS JOIN products p {join}")
        } else if self.sort.unwrap_or_default() == ProductSort::OnHand {
            format!("stock_levels sl CROSS JOIN products p {join}")
        } else {
            format!("products p CROSS JOIN stock_levels sl {join}")
        };
        let sql = format!(
            "SELECT p.id, p.sku, p.name, p.generic_name, p.brand, p.category, p.category_id, c.name, p.unit,
                    p.prescription_only, p.cost_price_e4, p.selling_price_e4, p.tax_rate, p.status,
                    p.reorder_point_milli, p.updated_at, sl.on_hand_milli
               FROM {from}
               LEFT JOIN categories c ON c.id = p.category_id
               {}
              ORDER BY {order} LIMIT :limit OFFSET :offset",
            f.where_sql()
        );
        let extra: [(&'static str, &dyn ToSql); 3] = [
            (":store", &store_id),
            (":limit", &limit),
            (":offset", &offset),
        ];
        let mut stmt = ctx.tx.prepare_cached(&sql)?;
        let mut rows = stmt
            .query_map(f.params(&extra).as_slice(), |r| {
                let id: ProductId = r.get(0)?;
                let bad = |i: usize, field: &'static str, v: String| {
                    crate::error::corrupt_in_row(i, "product", id, field, v)
                };
                let category: String = r.get(5)?;
                let status: String = r.get(13)?;
                Ok(ProductListRow {
                    id,
                    sku: r.get(1)?,
                    name: r.get(2)?,
                    generic_name: r.get(3)?,
                    brand: r.get(4)?,
                    category: serde_json::from_value(serde_json::Value::String(category.clone()))
                        .map_err(|_| bad(5, "category", category))?,
                    category_id: r.get(6)?,
                    category_name: r.get(7)?,
                    unit: r.get(8)?,
                    prescription_only: r.get(9)?,
                    cost_price: Money::from_scaled(r.get(10)?),
                    selling_price: Money::from_scaled(r.get(11)?),
                    tax_rate: tax_rate_in_row(r, 12, "product", id)?,
                    status: serde_json::from_value(serde_json::Value::String(status.clone()))
                        .map_err(|_| bad(13, "status", status))?,
                    reorder_point: r.get::<_, Option<i64>>(14)?.map(Qty::from_scaled),
                    updated_at: r.get(15)?,
                    on_hand: Qty::from_scaled(r.get(16)?),
                    available: Qty::ZERO,
                    nearest_expiry: None,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let today = ctx.today(&store).to_string();
        let mut sellable = ctx.tx.prepare_cached(
            "SELECT COALESCE(SUM(on_hand_milli - reserved_milli), 0), MIN(expiry_date) FROM batches
              WHERE product_id = ?1 AND store_id = ?2 AND status = 'available' AND expiry_date >= ?3
                AND on_hand_milli > reserved_milli",
        )?;
        for row in &mut rows {
            let (available, nearest): (i64, Option<String>) = sellable
                .query_row(params![row.id, store.id, today], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            row.available = Qty::from_scaled(available);
            row.nearest_expiry = nearest.filter(|d| d != crate::stock::NO_EXPIRY);
        }
        let (count_sql, count_extra): (String, Vec<(&'static str, &dyn ToSql)>) = if low {
            (
                format!("SELECT COUNT(*) FROM {from} {}", f.where_sql()),
                vec![(":store", &store_id)],
            )
        } else {
            (
                format!("SELECT COUNT(*) FROM products p {}", f.where_sql()),
                Vec::new(),
            )
        };
        let total: i64 = ctx
            .tx
            .prepare_cached(&count_sql)?
            .query_row(f.params(&count_extra).as_slice(), |r| r.get(0))?;
        Ok(ProductPage { rows, total })
    }
}
