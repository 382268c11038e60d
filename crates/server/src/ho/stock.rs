//! `GET /v1/admin/stock`: stock rebuilt from the events. Per batch, the
//! newest event of its store's record that set its quantity (`new_milli`);
//! summed per store and product; paged by product (by name), each product
//! with its row per store and its total across the stores selected. One
//! SQL pass: `DISTINCT ON (store_id, batch_id)` over migration V4's partial
//! index.

use super::{filter, milli_text, number, params, read_only, store_exists, MAX_STOCK_PAGE};
use crate::{require_admin, ApiError};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;
use deadpool_postgres::Pool;
use serde::{Deserialize, Serialize};

/// `GET /v1/admin/stock` parameters.
#[derive(Debug, Deserialize)]
pub struct StockQuery {
    store_id: Option<String>,
    product_id: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

/// A product's stock in one store.
#[derive(Debug, Serialize)]
pub struct StockRow {
    /// The store.
    pub store_id: String,
    /// Its code.
    pub store_code: String,
    /// The product.
    pub product_id: String,
    /// Its name (head office's catalogue, else the newest a store's record
    /// gave; null when neither knows it).
    pub product_name: Option<String>,
    /// On hand, summed over the store's batches of it: a decimal string.
    pub on_hand: String,
}

/// A product's stock across the stores shown.
#[derive(Debug, Serialize)]
pub struct StockTotal {
    /// The product.
    pub product_id: String,
    /// Its name.
    pub product_name: Option<String>,
    /// On hand across those stores: a decimal string.
    pub on_hand: String,
    /// In how many stores it has a batch.
    pub stores: usize,
}

/// `GET /v1/admin/stock`: one page of products, each with its rows.
#[derive(Debug, Serialize)]
pub struct StockAnswer {
    /// Per store and product, by product name then store code.
    pub rows: Vec<StockRow>,
    /// Per product, in the same order.
    pub totals: Vec<StockTotal>,
    /// Products matching the filters (every page).
    pub products: i64,
    /// This page's first product.
    pub offset: i64,
    /// Most products per page.
    pub limit: i64,
    /// Whether a later page has more.
    pub more: bool,
}

pub(super) async fn stock(
    State(pool): State<Pool>,
    headers: HeaderMap,
    q: Result<Query<StockQuery>, QueryRejection>,
) -> Result<Json<StockAnswer>, ApiError> {
    require_admin(&pool, &headers).await?;
    let q = params(q)?;
    let limit = number(q.limit.as_deref(), "limit", 100, 1, MAX_STOCK_PAGE)?;
    let offset = number(q.offset.as_deref(), "offset", 0, 0, 10_000_000)?;
    let store_id = filter(q.store_id);
    let product_id = filter(q.product_id);
    let mut client = pool.get().await?;
    let tx = read_only(&mut client).await?;
    if let Some(s) = &store_id {
        store_exists(&tx, s).await?;
    }
    // Per batch, the newest event that set its quantity; summed per store
    // and product; a page of products by name; always one row at least
    // (the count), joined to the page's rows.
    let sql = "
        WITH latest AS (
            SELECT DISTINCT ON (store_id, batch_id) store_id, product_id, new_milli
              FROM record_events
             WHERE batch_id IS NOT NULL AND new_milli IS NOT NULL
               AND ($1::text IS NULL OR store_id = $1)
             ORDER BY store_id, batch_id, seq DESC
        ), per AS (
            SELECT store_id, product_id, SUM(new_milli)::bigint AS milli
              FROM latest
             WHERE product_id IS NOT NULL AND ($2::text IS NULL OR product_id = $2)
             GROUP BY store_id, product_id
        ), products AS (
            SELECT product_id, ho_product_name(product_id) AS name
              FROM (SELECT DISTINCT product_id FROM per) d
        ), page AS (
            SELECT product_id, name, row_number() OVER (ORDER BY lower(name) NULLS LAST, product_id) AS n
              FROM products
             ORDER BY n LIMIT $3 OFFSET $4
        )
        SELECT c.total, r.store_id, r.code, r.product_id, r.name, r.milli
          FROM (SELECT count(*) AS total FROM products) c
          LEFT JOIN (SELECT per.store_id, s.code, per.product_id, page.name, per.milli, page.n
                       FROM per JOIN page USING (product_id) JOIN stores s ON s.id = per.store_id) r ON true
         ORDER BY r.n, r.code";
    let rows = tx
        .query(sql, &[&store_id, &product_id, &limit, &offset])
        .await?;
    tx.commit().await?;
    let products: i64 = rows.first().map_or(0, |r| r.get(0));
    let mut out = Vec::new();
    let mut totals: Vec<(StockTotal, i128)> = Vec::new();
    for r in &rows {
        let Some(store_id) = r.get::<_, Option<String>>(1) else {
            continue;
        };
        let product_id: String = r.get(3);
        let product_name: Option<String> = r.get(4);
        let milli: i64 = r.get(5);
        match totals.last_mut() {
            Some((t, sum)) if t.product_id == product_id => {
                *sum += i128::from(milli);
                t.stores += 1;
            }
            _ => totals.push((
                StockTotal {
                    product_id: product_id.clone(),
                    product_name: product_name.clone(),
                    on_hand: String::new(),
                    stores: 1,
                },
                i128::from(milli),
            )),
        }
        out.push(StockRow {
            store_id,
            store_code: r.get(2),
            product_id,
            product_name,
            on_hand: milli_text(i128::from(milli)),
        });
    }
    let totals = totals
        .into_iter()
        .map(|(mut t, sum)| {
            t.on_hand = milli_text(sum);
            t
        })
        .collect::<Vec<_>>();
    let more = offset + (totals.len() as i64) < products;
    Ok(Json(StockAnswer {
        rows: out,
        totals,
        products,
        offset,
        limit,
        more,
    }))
}
