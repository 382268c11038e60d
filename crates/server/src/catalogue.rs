//! Head office's catalogue: products with their prices, edited by head
//! office's admins, versioned, pulled by every store (issue 13).
//!
//! Head office owns the fields of [`CatalogueProduct`] (identity,
//! description, how it is sold, the selling price); a store owns the rest of
//! its product row and its engine refuses local changes to head office's
//! fields, so nothing is ever merged and no writer's change is lost.
//!
//! - `PUT /v1/admin/products/{id}` publishes a product: a new version when
//!   anything changed (the same content again changes nothing), refused with
//!   `version_conflict` when `expected_version` is given and is not the
//!   current one (two admins editing at once), `invalid_input` naming each
//!   bad field, `conflict` when the SKU or a barcode is another product's.
//!   Every version is kept (`catalogue_versions`).
//! - `GET /v1/admin/products?q=&limit=&offset=`: the catalogue, by name.
//! - `GET /v1/catalogue?after=&limit=`: the feed stores pull. An edit moves
//!   the product to the end of the feed, so each product comes once, at its
//!   newest version; rows are handed out only below the oldest running
//!   transaction (as the mailbox), so a reader never skips one.

use crate::{caller, feed_snapshot, require_admin, ApiError, FeedPage};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use deadpool_postgres::Pool;
use pharmapos_protocol::{CatalogueEntry, CataloguePage, CatalogueProduct};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The routes.
pub(crate) fn routes() -> Router<Pool> {
    Router::new()
        .route("/v1/admin/products", get(list))
        .route("/v1/admin/products/{id}", get(one).put(publish))
        .route("/v1/catalogue", get(feed))
}

/// What an admin sends to publish a product: head office's fields, and the
/// version they edited (to refuse a change made meanwhile by someone else).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    /// The version the admin started from (omit for a new product, or to
    /// overwrite whatever is there).
    #[serde(default)]
    pub expected_version: Option<i64>,
    /// SKU.
    pub sku: String,
    /// Name.
    pub name: String,
    /// Generic name.
    #[serde(default)]
    pub generic_name: Option<String>,
    /// Brand.
    #[serde(default)]
    pub brand: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Category (see [`pharmapos_protocol::PRODUCT_CATEGORIES`]).
    pub category: String,
    /// NAFDAC number.
    #[serde(default)]
    pub nafdac_number: Option<String>,
    /// Barcodes.
    #[serde(default)]
    pub barcodes: Vec<String>,
    /// Unit.
    pub unit: String,
    /// Fractional quantities allowed.
    #[serde(default)]
    pub allow_fractional: bool,
    /// Prescription only.
    #[serde(default)]
    pub prescription_only: bool,
    /// Selling price (decimal text).
    pub selling_price: String,
    /// Tax rate in percent (decimal text, default 0).
    #[serde(default = "zero")]
    pub tax_rate: String,
    /// `active` (default) or `discontinued`.
    #[serde(default = "active")]
    pub status: String,
}

fn zero() -> String {
    "0".into()
}

fn active() -> String {
    "active".into()
}

fn trimmed(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Publishes `input` as product `id` by `admin`: the product as it now is.
pub async fn publish_product(
    pool: &Pool,
    admin: &str,
    id: &str,
    input: ProductInput,
) -> Result<CatalogueProduct, ApiError> {
    let id = uuid::Uuid::parse_str(id.trim())
        .map_err(|_| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_input",
                "a product id is a UUID",
            )
        })?
        .to_string();
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let current = tx
        .query_opt(
            "SELECT version, body FROM catalogue_products WHERE id = $1 FOR UPDATE",
            &[&id],
        )
        .await?;
    let (version, body): (i64, Option<String>) = match &current {
        Some(r) => (r.get(0), Some(r.get(1))),
        None => (0, None),
    };
    if let Some(expected) = input.expected_version {
        if expected != version {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "version_conflict",
                format!("the product is at version {version}, not {expected}: someone changed it meanwhile; reload it"),
            )
            .with(json!({"current_version": version})));
        }
    }
    let mut barcodes: Vec<String> = input
        .barcodes
        .iter()
        .map(|b| b.trim().to_string())
        .collect();
    barcodes.sort();
    barcodes.dedup();
    let mut product = CatalogueProduct {
        id: id.clone(),
        version: version + 1,
        sku: input.sku.trim().to_string(),
        name: input.name.trim().to_string(),
        generic_name: trimmed(input.generic_name),
        brand: trimmed(input.brand),
        description: trimmed(input.description),
        category: input.category.trim().to_string(),
        nafdac_number: trimmed(input.nafdac_number),
        barcodes,
        unit: input.unit.trim().to_string(),
        allow_fractional: input.allow_fractional,
        prescription_only: input.prescription_only,
        selling_price: input.selling_price.trim().to_string(),
        tax_rate: input.tax_rate.trim().to_string(),
        status: input.status.trim().to_string(),
        updated_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        updated_by: admin.to_string(),
    };
    let problems = product.problems();
    if let Some((field, message)) = problems.first() {
        let all: Vec<_> = problems
            .iter()
            .map(|(f, m)| json!({"field": f, "message": m}))
            .collect();
        return Err(
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_input", message.clone())
                .with(json!({"field": field, "problems": all})),
        );
    }
    // The same content again is not a new version.
    if let Some(body) = &body {
        let held: CatalogueProduct = serde_json::from_str(body).map_err(internal)?;
        let same = CatalogueProduct {
            version: held.version,
            updated_at: held.updated_at.clone(),
            updated_by: held.updated_by.clone(),
            ..product.clone()
        };
        if same == held {
            tx.commit().await?;
            return Ok(held);
        }
    }
    let taken = tx
        .query_opt(
            "SELECT id FROM catalogue_products WHERE lower(sku) = lower($1) AND id <> $2",
            &[&product.sku, &id],
        )
        .await?;
    if let Some(r) = taken {
        let other: String = r.get(0);
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            format!("SKU {} is already product {other}'s", product.sku),
        )
        .with(json!({"field": "sku", "product_id": other})));
    }
    for b in &product.barcodes {
        let taken = tx
            .query_opt(
                "SELECT id FROM catalogue_products WHERE id <> $1 AND (body::jsonb -> 'barcodes') ? $2",
                &[&id, b],
            )
            .await?;
        if let Some(r) = taken {
            let other: String = r.get(0);
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("barcode {b} is already product {other}'s"),
            )
            .with(json!({"field": "barcodes", "product_id": other})));
        }
    }
    product.version = version + 1;
    let text = serde_json::to_string(&product).map_err(internal)?;
    tx.execute(
        "INSERT INTO catalogue_products (id, sku, version, body, updated_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET sku = EXCLUDED.sku, version = EXCLUDED.version, body = EXCLUDED.body,
                updated_by = EXCLUDED.updated_by, updated_at = now(), xid = pg_current_xact_id(),
                seq = nextval('catalogue_seq')",
        &[&id, &product.sku, &product.version, &text, &admin],
    )
    .await?;
    tx.execute(
        "INSERT INTO catalogue_versions (product_id, version, body, updated_by) VALUES ($1, $2, $3, $4)",
        &[&id, &product.version, &text, &admin],
    )
    .await?;
    tx.commit().await?;
    Ok(product)
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        format!("a stored product cannot be read: {e}"),
    )
}

async fn publish(
    State(pool): State<Pool>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<CatalogueProduct>, ApiError> {
    let admin = require_admin(&pool, &headers).await?;
    let input: ProductInput = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            format!("not a product: {e}"),
        )
    })?;
    publish_product(&pool, &admin, &id, input).await.map(Json)
}

async fn one(
    State(pool): State<Pool>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<CatalogueProduct>, ApiError> {
    require_admin(&pool, &headers).await?;
    let client = pool.get().await?;
    let row = client
        .query_opt("SELECT body FROM catalogue_products WHERE id = $1", &[&id])
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("no product {id} in the catalogue"),
            )
        })?;
    let body: String = row.get(0);
    Ok(Json(serde_json::from_str(&body).map_err(internal)?))
}

/// `GET /v1/admin/products` parameters.
#[derive(Debug, Deserialize)]
struct ListQuery {
    q: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// A page of the catalogue.
#[derive(Debug, Serialize, Deserialize)]
pub struct ProductList {
    /// The products, by name.
    pub products: Vec<CatalogueProduct>,
    /// How many match.
    pub total: i64,
}

async fn list(
    State(pool): State<Pool>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Json<ProductList>, ApiError> {
    require_admin(&pool, &headers).await?;
    let limit = q.limit.unwrap_or(50);
    let offset = q.offset.unwrap_or(0);
    if !(1..=500).contains(&limit) || offset < 0 {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "limit is 1 to 500 and offset at least 0",
        ));
    }
    let pattern = format!(
        "%{}%",
        q.q.unwrap_or_default()
            .trim()
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT body, count(*) OVER () FROM catalogue_products
              WHERE lower(body::json->>'name') LIKE $1 OR lower(sku) LIKE $1
              ORDER BY lower(body::json->>'name'), id LIMIT $2 OFFSET $3",
            &[&pattern, &limit, &offset],
        )
        .await?;
    let total = rows.first().map_or(0, |r| r.get::<_, i64>(1));
    let products = rows
        .iter()
        .map(|r| serde_json::from_str(r.get::<_, &str>(0)).map_err(internal))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(ProductList { products, total }))
}

async fn feed(
    State(pool): State<Pool>,
    headers: HeaderMap,
    Query(q): Query<crate::PullQuery>,
) -> Result<Json<CataloguePage>, ApiError> {
    let who = caller(&headers)?;
    let page = FeedPage::new(q.after, q.limit, "catalogue")?;
    let mut client = pool.get().await?;
    let tx = feed_snapshot(&mut client, &who).await?;
    let rows = tx
        .query(
            "SELECT xid::text, seq, body FROM catalogue_products
              WHERE (xid, seq) > ($1::text::xid8, $2)
                AND xid < pg_snapshot_xmin(pg_current_snapshot())
              ORDER BY xid, seq LIMIT $3",
            &[&page.xid, &page.id, &page.fetch()],
        )
        .await?;
    tx.commit().await?;
    let more = rows.len() > page.limit;
    let mut products = Vec::with_capacity(rows.len().min(page.limit));
    for r in rows.iter().take(page.limit) {
        let (x, s, body): (String, i64, String) = (r.get(0), r.get(1), r.get(2));
        products.push(CatalogueEntry {
            cursor: format!("{x}.{s}"),
            product: serde_json::from_str(&body).map_err(internal)?,
        });
    }
    let next_cursor = products.last().map_or(page.after, |p| p.cursor.clone());
    Ok(Json(CataloguePage {
        products,
        next_cursor,
        more,
    }))
}
