//! Head office's catalogue: products with their prices, and vendors, edited
//! by head office's admins, versioned, pulled by every store (issue 13).
//!
//! Head office owns the fields of [`CatalogueProduct`] (identity,
//! description, how it is sold, the selling price) and of
//! [`CatalogueVendor`] (who the vendor is, contacts, terms, status); a store
//! owns the rest of its product or supplier row and its engine refuses local
//! changes to head office's fields, so nothing is ever merged and no
//! writer's change is lost.
//!
//! - `PUT /v1/admin/products/{id}` and `PUT /v1/admin/vendors/{id}` publish
//!   one: a new version when anything changed (the same content again
//!   changes nothing), refused with `version_conflict` when
//!   `expected_version` is given and is not the current one (two admins
//!   editing at once), `invalid_input` naming each bad field, `conflict`
//!   when the SKU, a barcode or the vendor's name is another's. Every version
//!   is kept (`catalogue_versions`, `catalogue_vendor_versions`).
//! - `GET /v1/admin/products?q=&limit=&offset=` and `GET /v1/admin/vendors…`:
//!   the catalogue, by name.
//! - `GET /v1/catalogue?after=&limit=`: the feed stores pull, products and
//!   vendors in one order. An edit moves the item to the end of the feed, so
//!   each comes once, at its newest version; rows are handed out only below
//!   the oldest running transaction (as the mailbox), so a reader never
//!   skips one.

use crate::feed::{feed_query, FeedPage};
use crate::{caller, require_admin, ApiError};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use deadpool_postgres::Pool;
use pharmapos_protocol::{
    CatalogueEntry, CatalogueItem, CataloguePage, CatalogueProduct, CatalogueVendor,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The routes.
pub(crate) fn routes() -> Router<Pool> {
    Router::new()
        .route("/v1/admin/products", get(list::<CatalogueProduct>))
        .route(
            "/v1/admin/products/{id}",
            get(one::<CatalogueProduct>).put(publish_route::<ProductInput>),
        )
        .route("/v1/admin/vendors", get(list::<CatalogueVendor>))
        .route(
            "/v1/admin/vendors/{id}",
            get(one::<CatalogueVendor>).put(publish_route::<VendorInput>),
        )
        .route("/v1/catalogue", get(feed))
}

/// What an item of the catalogue (a product, a vendor) needs for the one
/// way both are published, read and listed.
pub(crate) trait Item:
    Serialize + DeserializeOwned + Clone + PartialEq + Send + Sync
{
    /// `product` or `vendor`, in words; and its plural.
    const WHAT: &'static str;
    const PLURAL: &'static str;
    /// Its table; its versions' table and their id column.
    const TABLE: &'static str;
    const VERSIONS: &'static str;
    const VERSIONS_ID: &'static str;
    /// Its unique key's column (`sku`, `name`), compared case aside.
    const KEY: &'static str;
    /// The key's value.
    fn key(&self) -> &str;
    fn version(&self) -> i64;
    fn problems(&self) -> Vec<(&'static str, String)>;
    /// The same item with another version and publication stamp.
    fn stamped(&self, version: i64, at: &str, by: &str) -> Self;
    /// Refuses what another item of its kind holds, beyond the key.
    fn clashes(
        &self,
        _tx: &deadpool_postgres::Transaction<'_>,
        _id: &str,
    ) -> impl std::future::Future<Output = Result<(), ApiError>> + Send {
        async { Ok(()) }
    }
}

impl Item for CatalogueProduct {
    const WHAT: &'static str = "product";
    const PLURAL: &'static str = "products";
    const TABLE: &'static str = "catalogue_products";
    const VERSIONS: &'static str = "catalogue_versions";
    const VERSIONS_ID: &'static str = "product_id";
    const KEY: &'static str = "sku";
    fn key(&self) -> &str {
        &self.sku
    }
    fn version(&self) -> i64 {
        self.version
    }
    fn problems(&self) -> Vec<(&'static str, String)> {
        CatalogueProduct::problems(self)
    }
    fn stamped(&self, version: i64, at: &str, by: &str) -> Self {
        CatalogueProduct {
            version,
            updated_at: at.into(),
            updated_by: by.into(),
            ..self.clone()
        }
    }
    /// A barcode is one product's only.
    async fn clashes(
        &self,
        tx: &deadpool_postgres::Transaction<'_>,
        id: &str,
    ) -> Result<(), ApiError> {
        for b in &self.barcodes {
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
        Ok(())
    }
}

impl Item for CatalogueVendor {
    const WHAT: &'static str = "vendor";
    const PLURAL: &'static str = "vendors";
    const TABLE: &'static str = "catalogue_vendors";
    const VERSIONS: &'static str = "catalogue_vendor_versions";
    const VERSIONS_ID: &'static str = "vendor_id";
    const KEY: &'static str = "name";
    fn key(&self) -> &str {
        &self.name
    }
    fn version(&self) -> i64 {
        self.version
    }
    fn problems(&self) -> Vec<(&'static str, String)> {
        CatalogueVendor::problems(self)
    }
    fn stamped(&self, version: i64, at: &str, by: &str) -> Self {
        CatalogueVendor {
            version,
            updated_at: at.into(),
            updated_by: by.into(),
            ..self.clone()
        }
    }
}

/// What an admin sends to publish an item: the fields, and the version they
/// edited.
pub(crate) trait Input: DeserializeOwned + Send {
    type Item: Item;
    /// The version the admin started from, if given.
    fn expected_version(&self) -> Option<i64>;
    /// The item as it would be published (trimmed, normalised), stamped.
    fn into_item(self, id: &str, version: i64, at: &str, by: &str) -> Self::Item;
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
    publish(pool, admin, id, input).await
}

/// Publishes `input` as vendor `id` by `admin`: the vendor as it now is.
pub async fn publish_vendor(
    pool: &Pool,
    admin: &str,
    id: &str,
    input: VendorInput,
) -> Result<CatalogueVendor, ApiError> {
    publish(pool, admin, id, input).await
}

impl Input for ProductInput {
    type Item = CatalogueProduct;
    fn expected_version(&self) -> Option<i64> {
        self.expected_version
    }
    fn into_item(self, id: &str, version: i64, at: &str, by: &str) -> CatalogueProduct {
        let mut barcodes: Vec<String> =
            self.barcodes.iter().map(|b| b.trim().to_string()).collect();
        barcodes.sort();
        barcodes.dedup();
        CatalogueProduct {
            id: id.to_string(),
            version,
            sku: self.sku.trim().to_string(),
            name: self.name.trim().to_string(),
            generic_name: trimmed(self.generic_name),
            brand: trimmed(self.brand),
            description: trimmed(self.description),
            category: self.category.trim().to_string(),
            nafdac_number: trimmed(self.nafdac_number),
            barcodes,
            unit: self.unit.trim().to_string(),
            allow_fractional: self.allow_fractional,
            prescription_only: self.prescription_only,
            selling_price: self.selling_price.trim().to_string(),
            tax_rate: self.tax_rate.trim().to_string(),
            status: self.status.trim().to_string(),
            updated_at: at.to_string(),
            updated_by: by.to_string(),
        }
    }
}

/// What an admin sends to publish a vendor: head office's fields, and the
/// version they edited.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VendorInput {
    /// The version the admin started from (omit for a new vendor, or to
    /// overwrite whatever is there).
    #[serde(default)]
    pub expected_version: Option<i64>,
    /// Name, unique in the catalogue.
    pub name: String,
    /// Contact person.
    #[serde(default)]
    pub contact_person: Option<String>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Address.
    #[serde(default)]
    pub address: Option<String>,
    /// Payment terms.
    #[serde(default)]
    pub payment_terms: Option<String>,
    /// Tax id.
    #[serde(default)]
    pub tax_id: Option<String>,
    /// Specialisations.
    #[serde(default)]
    pub categories: Vec<String>,
    /// `active` (default) or `inactive`.
    #[serde(default = "active")]
    pub status: String,
}

impl Input for VendorInput {
    type Item = CatalogueVendor;
    fn expected_version(&self) -> Option<i64> {
        self.expected_version
    }
    fn into_item(self, id: &str, version: i64, at: &str, by: &str) -> CatalogueVendor {
        let mut categories: Vec<String> = self
            .categories
            .iter()
            .map(|c| c.trim().to_string())
            .collect();
        categories.dedup();
        CatalogueVendor {
            id: id.to_string(),
            version,
            name: self.name.trim().to_string(),
            contact_person: trimmed(self.contact_person),
            email: trimmed(self.email),
            phone: trimmed(self.phone),
            address: trimmed(self.address),
            payment_terms: trimmed(self.payment_terms),
            tax_id: trimmed(self.tax_id),
            categories,
            status: self.status.trim().to_string(),
            updated_at: at.to_string(),
            updated_by: by.to_string(),
        }
    }
}

/// Publishes `input` as item `id` by `admin` (see the module's docs).
async fn publish<I: Input>(
    pool: &Pool,
    admin: &str,
    id: &str,
    input: I,
) -> Result<I::Item, ApiError> {
    let what = I::Item::WHAT;
    let id = uuid::Uuid::parse_str(id.trim())
        .map_err(|_| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_input",
                format!("a {what} id is a UUID"),
            )
        })?
        .to_string();
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let current = tx
        .query_opt(
            &format!(
                "SELECT version, body FROM {} WHERE id = $1 FOR UPDATE",
                I::Item::TABLE
            ),
            &[&id],
        )
        .await?;
    let (version, body): (i64, Option<String>) = match &current {
        Some(r) => (r.get(0), Some(r.get(1))),
        None => (0, None),
    };
    if let Some(expected) = input.expected_version() {
        if expected != version {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "version_conflict",
                format!("the {what} is at version {version}, not {expected}: someone changed it meanwhile; reload it"),
            )
            .with(json!({"current_version": version})));
        }
    }
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let item = input.into_item(&id, version + 1, &now, admin);
    let problems = item.problems();
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
        let held: I::Item = serde_json::from_str(body).map_err(internal)?;
        if item.stamped(held.version(), "", "") == held.stamped(held.version(), "", "") {
            tx.commit().await?;
            return Ok(held);
        }
    }
    let (table, key) = (I::Item::TABLE, I::Item::KEY);
    let taken = tx
        .query_opt(
            &format!("SELECT id FROM {table} WHERE lower({key}) = lower($1) AND id <> $2"),
            &[&item.key(), &id],
        )
        .await?;
    if let Some(r) = taken {
        let other: String = r.get(0);
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            format!("{key} {} is already {what} {other}'s", item.key()),
        )
        .with(json!({"field": key, format!("{what}_id"): other})));
    }
    item.clashes(&tx, &id).await?;
    let text = serde_json::to_string(&item).map_err(internal)?;
    let version = item.version();
    tx.execute(
        &format!(
            "INSERT INTO {table} (id, {key}, version, body, updated_by) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO UPDATE SET {key} = EXCLUDED.{key}, version = EXCLUDED.version, body = EXCLUDED.body,
                    updated_by = EXCLUDED.updated_by, updated_at = now(), xid = pg_current_xact_id(),
                    tl = pharmapos_timeline(),
                    seq = nextval('catalogue_seq')"
        ),
        &[&id, &item.key(), &version, &text, &admin],
    )
    .await?;
    tx.execute(
        &format!(
            "INSERT INTO {} ({}, version, body, updated_by) VALUES ($1, $2, $3, $4)",
            I::Item::VERSIONS,
            I::Item::VERSIONS_ID
        ),
        &[&id, &version, &text, &admin],
    )
    .await?;
    tx.commit().await?;
    Ok(item)
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        format!("a stored catalogue item cannot be read: {e}"),
    )
}

async fn publish_route<I: Input>(
    State(pool): State<Pool>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<I::Item>, ApiError> {
    let admin = require_admin(&pool, &headers).await?;
    let input: I = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            format!("not a {}: {e}", I::Item::WHAT),
        )
    })?;
    publish(&pool, &admin, &id, input).await.map(Json)
}

async fn one<T: Item>(
    State(pool): State<Pool>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<T>, ApiError> {
    require_admin(&pool, &headers).await?;
    let client = pool.get().await?;
    let row = client
        .query_opt(
            &format!("SELECT body FROM {} WHERE id = $1", T::TABLE),
            &[&id],
        )
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("no {} {id} in the catalogue", T::WHAT),
            )
        })?;
    let body: String = row.get(0);
    Ok(Json(serde_json::from_str(&body).map_err(internal)?))
}

/// `GET /v1/admin/products` and `/v1/admin/vendors` parameters.
#[derive(Debug, Deserialize)]
struct ListQuery {
    q: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// A page of the catalogue's products or vendors, by name:
/// `{"products": […], "total": n}` (or `"vendors"`).
async fn list<T: Item>(
    State(pool): State<Pool>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
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
            &format!(
                "SELECT body, count(*) OVER () FROM {}
                  WHERE lower(body::json->>'name') LIKE $1 OR lower({}) LIKE $1
                  ORDER BY lower(body::json->>'name'), id LIMIT $2 OFFSET $3",
                T::TABLE,
                T::KEY
            ),
            &[&pattern, &limit, &offset],
        )
        .await?;
    let total = rows.first().map_or(0, |r| r.get::<_, i64>(1));
    let items = rows
        .iter()
        .map(|r| serde_json::from_str::<T>(r.get::<_, &str>(0)).map_err(internal))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(json!({ T::PLURAL: items, "total": total })))
}

async fn feed(
    State(pool): State<Pool>,
    headers: HeaderMap,
    Query(q): Query<crate::PullQuery>,
) -> Result<Json<CataloguePage>, ApiError> {
    let who = caller(&headers)?;
    let page = FeedPage::new(q.after, q.limit, "catalogue")?;
    let mut client = pool.get().await?;
    let (tx, page) = page.open(&mut client, &who).await?;
    // Products and vendors share the feed's sequence: one order, one cursor.
    let cols = ["xid", "seq", "tl"];
    let rows = tx
        .query(
            &format!(
                "SELECT xid::text, seq, kind, body FROM ({} UNION ALL {}) feed ORDER BY xid, seq LIMIT $4",
                feed_query("xid, seq, 'product' AS kind, body", "catalogue_products", "TRUE", cols, 1),
                feed_query("xid, seq, 'vendor' AS kind, body", "catalogue_vendors", "TRUE", cols, 1),
            ),
            &[&page.xid, &page.id, &page.since, &page.fetch()],
        )
        .await?;
    tx.commit().await?;
    let more = rows.len() > page.limit;
    let mut entries = Vec::with_capacity(rows.len().min(page.limit));
    for r in rows.iter().take(page.limit) {
        let (x, s, kind, body): (String, i64, &str, &str) =
            (r.get(0), r.get(1), r.get(2), r.get(3));
        let item = if kind == "vendor" {
            CatalogueItem::Vendor(serde_json::from_str(body).map_err(internal)?)
        } else {
            CatalogueItem::Product(serde_json::from_str(body).map_err(internal)?)
        };
        entries.push(CatalogueEntry {
            cursor: page.cursor(&x, s),
            item,
        });
    }
    let next_cursor = page.next(entries.last().map(|e| &e.cursor));
    Ok(Json(CataloguePage {
        entries,
        next_cursor,
        more,
    }))
}
