//! Products: the union of both seeds' fields, grouped as the UI shows them
//! (identity, pricing, injectable details, storage, thresholds, tracking).
//! SKU and every barcode are unique; deletion is soft (who and when), and a
//! product with stock on hand cannot be deleted.

use super::{optional_text, required_text};
use crate::audit::{self, ChangeType};
use crate::auth::Permission;
use crate::error::{corrupt_in_row, tax_rate_in_row};
use crate::ids::{CategoryId, ProductId, StoreId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The built-in product kinds of both seeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ProductCategory {
    /// Botulinum toxins (fractional units).
    Neurotoxin,
    /// Dermal fillers.
    Filler,
    /// Skincare.
    Skincare,
    /// Devices.
    Device,
    /// Consumables (syringes, needles…).
    Consumable,
    /// Supplements.
    Supplement,
    /// Pharmacy medicines.
    Medicine,
    /// Anything else.
    Other,
}

impl ProductCategory {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ProductCategory::Neurotoxin => "neurotoxin",
            ProductCategory::Filler => "filler",
            ProductCategory::Skincare => "skincare",
            ProductCategory::Device => "device",
            ProductCategory::Consumable => "consumable",
            ProductCategory::Supplement => "supplement",
            ProductCategory::Medicine => "medicine",
            ProductCategory::Other => "other",
        }
    }
}

/// Product lifecycle status (seed 000).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ProductStatus {
    /// Sold and received.
    Active,
    /// No longer stocked.
    Discontinued,
    /// Marked out of stock by a manager.
    OutOfStock,
    /// Waiting for approval before sale.
    PendingApproval,
}

impl ProductStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ProductStatus::Active => "active",
            ProductStatus::Discontinued => "discontinued",
            ProductStatus::OutOfStock => "out_of_stock",
            ProductStatus::PendingApproval => "pending_approval",
        }
    }
}

/// Injectable-specific details (seed 000's `injectableDetails`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct InjectableDetails {
    /// e.g. "100 units/vial".
    #[ts(optional)]
    pub concentration: Option<String>,
    /// e.g. "2.5 ml saline".
    #[ts(optional)]
    pub dilution_ratio: Option<String>,
    /// Needs reconstitution before use.
    #[serde(default)]
    pub reconstitution_required: bool,
    /// Units in one vial.
    #[ts(optional)]
    pub units_per_vial: Option<Qty>,
    /// Hours an opened/reconstituted vial stays usable.
    #[ts(optional)]
    pub stability_hours: Option<u32>,
}

/// Storage requirements (seed 000's `storageRequirements`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct StorageRequirements {
    /// Lowest temperature, °C.
    #[ts(optional, type = "string")]
    #[serde(default, deserialize_with = "crate::num::opt_decimal")]
    pub temperature_min_c: Option<Decimal>,
    /// Highest temperature, °C.
    #[ts(optional, type = "string")]
    #[serde(default, deserialize_with = "crate::num::opt_decimal")]
    pub temperature_max_c: Option<Decimal>,
    /// Keep refrigerated.
    #[serde(default)]
    pub refrigerated: bool,
    /// Protect from light.
    #[serde(default)]
    pub light_sensitive: bool,
    /// Other instructions.
    #[ts(optional)]
    pub notes: Option<String>,
}

/// Inventory thresholds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Thresholds {
    /// Reorder when available falls to this.
    #[ts(optional)]
    pub reorder_point: Option<Qty>,
    /// Minimum level.
    #[ts(optional)]
    pub min_level: Option<Qty>,
    /// Maximum level.
    #[ts(optional)]
    pub max_level: Option<Qty>,
    /// Supplier lead time, days.
    #[ts(optional)]
    pub lead_time_days: Option<u32>,
}

/// Tracking flags.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Tracking {
    /// Track lots/batches.
    pub lot: bool,
    /// Track serial numbers.
    pub serial: bool,
    /// Every batch needs an expiry date.
    pub expiry_required: bool,
}

impl Default for Tracking {
    fn default() -> Self {
        Tracking {
            lot: true,
            serial: false,
            expiry_required: true,
        }
    }
}

/// A product.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Product {
    /// Id.
    pub id: ProductId,
    /// Unique SKU.
    pub sku: String,
    /// Name.
    pub name: String,
    /// Generic (INN) name.
    pub generic_name: Option<String>,
    /// Brand.
    pub brand: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Built-in kind.
    pub category: ProductCategory,
    /// User category.
    pub category_id: Option<CategoryId>,
    /// NAFDAC registration number.
    pub nafdac_number: Option<String>,
    /// Barcodes / GTINs (unique across products).
    pub barcodes: Vec<String>,
    /// Unit of measure (tablet, ml, unit, syringe…).
    pub unit: String,
    /// Whether fractional quantities are allowed (12.5 units).
    pub allow_fractional: bool,
    /// Sold only against a prescription.
    pub prescription_only: bool,
    /// Default cost price.
    pub cost_price: Money,
    /// Selling price.
    pub selling_price: Money,
    /// Retail (list) price.
    pub retail_price: Option<Money>,
    /// Markup, percent.
    #[ts(type = "string | null")]
    pub markup_percent: Option<Decimal>,
    /// Commission rate, percent.
    #[ts(type = "string | null")]
    pub commission_rate: Option<Decimal>,
    /// Tax rate, percent.
    #[ts(type = "string")]
    pub tax_rate: Decimal,
    /// Injectable details.
    pub injectable: Option<InjectableDetails>,
    /// Storage requirements.
    pub storage: Option<StorageRequirements>,
    /// Thresholds.
    pub thresholds: Thresholds,
    /// Tracking flags.
    pub tracking: Tracking,
    /// Status.
    pub status: ProductStatus,
    /// Created.
    pub created_at: String,
    /// Changed.
    pub updated_at: String,
    /// Soft-deleted at.
    pub deleted_at: Option<String>,
    /// Soft-deleted by.
    pub deleted_by: Option<String>,
    /// Head office's version of this product when it is head office's
    /// (its identity, description, unit, selling price and tax are then
    /// changed only there); none for the store's own products.
    #[ts(type = "number | null")]
    pub catalogue_version: Option<i64>,
}

/// The editable product fields (everything optional; `create_product` needs
/// only `sku` and `name`).
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[ts(export)]
pub struct ProductFields {
    /// Generic name.
    #[ts(optional)]
    pub generic_name: Option<String>,
    /// Brand.
    #[ts(optional)]
    pub brand: Option<String>,
    /// Description.
    #[ts(optional)]
    pub description: Option<String>,
    /// Built-in kind (default "other").
    #[ts(optional)]
    pub category: Option<ProductCategory>,
    /// User category.
    #[ts(optional)]
    pub category_id: Option<CategoryId>,
    /// NAFDAC number.
    #[ts(optional)]
    pub nafdac_number: Option<String>,
    /// Barcodes (replaces the list).
    #[ts(optional)]
    pub barcodes: Option<Vec<String>>,
    /// Unit of measure (default "unit").
    #[ts(optional)]
    pub unit: Option<String>,
    /// Allow fractional quantities (default false).
    #[ts(optional)]
    pub allow_fractional: Option<bool>,
    /// Prescription only (default false).
    #[ts(optional)]
    pub prescription_only: Option<bool>,
    /// Cost price (default 0).
    #[ts(optional)]
    pub cost_price: Option<Money>,
    /// Selling price (default 0).
    #[ts(optional)]
    pub selling_price: Option<Money>,
    /// Retail price.
    #[ts(optional)]
    pub retail_price: Option<Money>,
    /// Markup percent.
    #[ts(optional, type = "string")]
    #[serde(default, deserialize_with = "crate::num::opt_decimal")]
    pub markup_percent: Option<Decimal>,
    /// Commission percent.
    #[ts(optional, type = "string")]
    #[serde(default, deserialize_with = "crate::num::opt_decimal")]
    pub commission_rate: Option<Decimal>,
    /// Tax percent.
    #[ts(optional, type = "string")]
    #[serde(default, deserialize_with = "crate::num::opt_decimal")]
    pub tax_rate: Option<Decimal>,
    /// Injectable details (replaces the group).
    #[ts(optional)]
    pub injectable: Option<InjectableDetails>,
    /// Storage requirements (replaces the group).
    #[ts(optional)]
    pub storage: Option<StorageRequirements>,
    /// Thresholds (replaces the group).
    #[ts(optional)]
    pub thresholds: Option<Thresholds>,
    /// Tracking flags (replaces the group).
    #[ts(optional)]
    pub tracking: Option<Tracking>,
    /// Status.
    #[ts(optional)]
    pub status: Option<ProductStatus>,
    /// Fields the request named that do not exist (refused).
    #[serde(flatten)]
    #[ts(skip)]
    pub unknown: crate::UnknownFields,
}

/// - Only `sku` (unique, ≤ 64 chars) and `name` are required. Defaults: `category:
///   other`, `unit: unit`, whole quantities, prices 0, `tax_rate` 0, `tracking: {lot:
///   true, serial: false, expiry_required: true}`, `status: active`.
/// - `category` is one of `neurotoxin`, `filler`, `skincare`, `device`, `consumable`,
///   `supplement`, `medicine`, `other`; `category_id` is a user category
///   (`create_category`). `status` is `active`, `discontinued`, `out_of_stock` or
///   `pending_approval`.
/// - Every barcode is unique across products (`conflict`), printable, without spaces.
/// - `markup_percent` (0–10000), `commission_rate` and `tax_rate` (0–100) are decimal
///   **strings** (a JSON number is refused); prices are money (string or number, ≥ 0).
/// - Nested groups: `injectable` {`concentration`, `dilution_ratio`,
///   `reconstitution_required`, `units_per_vial`, `stability_hours`}, `storage`
///   {`temperature_min_c`, `temperature_max_c` (strings), `refrigerated`,
///   `light_sensitive`, `notes`}, `thresholds` {`reorder_point`, `min_level`,
///   `max_level`, `lead_time_days`}, `tracking` {`lot`, `serial`, `expiry_required`, all
///   three required}.
/// - Unknown fields are refused (`invalid_input`).
#[derive(Clone, Debug, Deserialize, TS)]
#[ts(export)]
pub struct CreateProduct {
    /// Unique SKU.
    pub sku: String,
    /// Name.
    pub name: String,
    /// Everything else.
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: ProductFields,
}

/// Omitted fields are kept; `barcodes` and each nested group replace what was there. A
/// deleted product cannot be updated (`product_deleted`). Switching `allow_fractional` off
/// is refused while a batch holds a fractional quantity (`conflict`).
#[derive(Clone, Debug, Deserialize, TS)]
#[ts(export)]
pub struct UpdateProduct {
    /// The product.
    pub id: ProductId,
    /// New SKU.
    #[ts(optional)]
    pub sku: Option<String>,
    /// New name.
    #[ts(optional)]
    pub name: Option<String>,
    /// Fields to change.
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: ProductFields,
}

impl Operation for CreateProduct {
    const NAME: &'static str = "create_product";
    const SUMMARY: &'static str = "Create a product (only sku and name are required)";
    const PERMISSION: Permission = Permission::ManageCatalogue;
    const WRITES: bool = true;
    type Output = Product;

    fn run(self, ctx: &Ctx<'_>) -> Result<Product> {
        if let Some(e) = check_product(&self.sku, &self.name, &self.fields)
            .into_iter()
            .next()
        {
            return Err(e);
        }
        let sku = required_text("sku", &self.sku, 64)?;
        let name = required_text("name", &self.name, 200)?;
        sku_free(ctx.tx, &sku, None)?;
        let id = ProductId::new();
        let now = ctx.now_str();
        ctx.tx
            .prepare_cached(
                "INSERT INTO products (id, sku, name, created_at, updated_at, created_by, updated_by) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?5)",
            )?
            .execute(params![id, sku, name, now, ctx.actor.id])?;
        apply_fields(ctx, id, self.fields)?;
        let created = get_product(ctx.tx, id)?;
        audit::record_change(
            ctx,
            ChangeType::ProductCreated,
            ("product", &id.to_string(), &created.name),
            None::<&Product>,
            &created,
        )?;
        Ok(created)
    }
}

impl Operation for UpdateProduct {
    const NAME: &'static str = "update_product";
    const SUMMARY: &'static str = "Change a product's fields (omitted fields are kept)";
    const PERMISSION: Permission = Permission::ManageCatalogue;
    const WRITES: bool = true;
    type Output = Product;

    fn run(self, ctx: &Ctx<'_>) -> Result<Product> {
        let cur = get_product(ctx.tx, self.id)?;
        if cur.deleted_at.is_some() {
            return Err(Error::ProductDeleted {
                product_id: cur.id,
                sku: cur.sku,
            });
        }
        if cur.catalogue_version.is_some() && !ctx.is_head_office() {
            if let Some(field) = head_office_field(&self) {
                return Err(Error::invalid(
                    field,
                    format!(
                        "head office owns the {field} of {}: change it in head office's catalogue (this store may change its cost, reorder levels, storage and tracking)",
                        cur.name
                    ),
                ));
            }
        }
        if let Some(s) = &self.sku {
            let sku = required_text("sku", s, 64)?;
            sku_free(ctx.tx, &sku, Some(self.id))?;
            ctx.tx.execute(
                "UPDATE products SET sku = ?2 WHERE id = ?1",
                params![self.id, sku],
            )?;
        }
        if let Some(n) = &self.name {
            ctx.tx.execute(
                "UPDATE products SET name = ?2 WHERE id = ?1",
                params![self.id, required_text("name", n, 200)?],
            )?;
        }
        if self.fields.allow_fractional == Some(false) && cur.allow_fractional {
            let fractional: bool = ctx.tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM batches WHERE product_id = ?1 AND on_hand_milli % 1000 <> 0)",
                [self.id],
                |r| r.get(0),
            )?;
            if fractional {
                return Err(Error::conflict(
                    "some batches hold fractional quantities; count them to whole units first",
                ));
            }
        }
        apply_fields(ctx, self.id, self.fields)?;
        let after = get_product(ctx.tx, self.id)?;
        audit::record_change(
            ctx,
            ChangeType::ProductUpdated,
            ("product", &self.id.to_string(), &after.name),
            Some(&cur),
            &after,
        )?;
        Ok(after)
    }
}

/// The first field of `u` that head office owns on its products, if any.
fn head_office_field(u: &UpdateProduct) -> Option<&'static str> {
    let f = &u.fields;
    [
        ("sku", u.sku.is_some()),
        ("name", u.name.is_some()),
        ("generic_name", f.generic_name.is_some()),
        ("brand", f.brand.is_some()),
        ("description", f.description.is_some()),
        ("category", f.category.is_some()),
        ("nafdac_number", f.nafdac_number.is_some()),
        ("barcodes", f.barcodes.is_some()),
        ("unit", f.unit.is_some()),
        ("allow_fractional", f.allow_fractional.is_some()),
        ("prescription_only", f.prescription_only.is_some()),
        ("selling_price", f.selling_price.is_some()),
        ("tax_rate", f.tax_rate.is_some()),
        ("status", f.status.is_some()),
    ]
    .into_iter()
    .find(|(_, set)| *set)
    .map(|(field, _)| field)
}

/// Applies head office's product `p` to this file (sync's pull, in the
/// store's transaction `ctx`, acting as head office): created with its id
/// when new, else head office's fields brought to `p`'s version; the
/// store's own fields are never touched. An older or the same version
/// changes nothing. A store product of this file with the same SKU (made
/// before the store joined head office's catalogue) or a barcode another
/// product holds is a `conflict`: the change waits until someone merges
/// them. Returns what was done, in words.
pub(crate) fn apply_catalogue(
    ctx: &Ctx<'_>,
    p: &pharmapos_protocol::CatalogueProduct,
) -> Result<String> {
    if let Some((field, message)) = p.problems().into_iter().next() {
        return Err(Error::invalid(field, message));
    }
    let id: ProductId = p.id.parse()?;
    fn enum_of<T: serde::de::DeserializeOwned>(field: &str, v: &str) -> Result<T> {
        serde_json::from_value(serde_json::Value::String(v.to_string()))
            .map_err(|_| Error::invalid(field, format!("'{v}' is not a {field}")))
    }
    let fields = ProductFields {
        generic_name: Some(p.generic_name.clone().unwrap_or_default()),
        brand: Some(p.brand.clone().unwrap_or_default()),
        description: Some(p.description.clone().unwrap_or_default()),
        category: Some(enum_of("category", &p.category)?),
        nafdac_number: Some(p.nafdac_number.clone().unwrap_or_default()),
        barcodes: Some(p.barcodes.clone()),
        unit: Some(p.unit.clone()),
        allow_fractional: Some(p.allow_fractional),
        prescription_only: Some(p.prescription_only),
        selling_price: Some(enum_of("selling_price", &p.selling_price)?),
        tax_rate: Some(
            p.tax_rate
                .parse()
                .map_err(|_| Error::invalid("tax_rate", "not a number"))?,
        ),
        status: Some(enum_of("status", &p.status)?),
        ..ProductFields::default()
    };
    let here: Option<Option<i64>> = ctx
        .tx
        .query_row(
            "SELECT catalogue_version FROM products WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    let words = match here {
        Some(Some(v)) if v >= p.version => {
            return Ok(format!("{} is already at version {v}", p.name));
        }
        Some(_) => {
            let update = UpdateProduct {
                id,
                sku: Some(p.sku.clone()),
                name: Some(p.name.clone()),
                fields,
            };
            update.run(ctx)?;
            format!("{} brought to head office's version {}", p.name, p.version)
        }
        None => {
            let taken: Option<String> = ctx
                .tx
                .query_row("SELECT name FROM products WHERE sku = ?1", [&p.sku], |r| {
                    r.get(0)
                })
                .optional()?;
            if let Some(local) = taken {
                return Err(Error::conflict(format!(
                    "this store's own product {local} has head office's SKU {}: merge them (or change the store's SKU), then sync again",
                    p.sku
                )));
            }
            ctx.tx.execute(
                "INSERT INTO products (id, sku, name, created_at, updated_at, created_by, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?5)",
                params![id, p.sku, p.name, ctx.now_str(), ctx.actor.id],
            )?;
            apply_fields(ctx, id, fields)?;
            let created = get_product(ctx.tx, id)?;
            audit::record_change(
                ctx,
                ChangeType::ProductCreated,
                ("product", &id.to_string(), &created.name),
                None::<&Product>,
                &created,
            )?;
            format!("{} added from head office (version {})", p.name, p.version)
        }
    };
    ctx.tx.execute(
        "UPDATE products SET catalogue_version = ?2 WHERE id = ?1",
        params![id, p.version],
    )?;
    Ok(words)
}

fn sku_free(tx: &Transaction<'_>, sku: &str, except: Option<ProductId>) -> Result<()> {
    let taken: bool = tx
        .prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM products WHERE sku = ?1 AND (?2 IS NULL OR id <> ?2))",
        )?
        .query_row(params![sku, except], |r| r.get(0))?;
    if taken {
        return Err(Error::conflict(format!(
            "SKU '{sku}' is already used by another product"
        )));
    }
    Ok(())
}

fn percent(field: &str, v: Option<Decimal>, max: i64) -> Result<Option<String>> {
    match v {
        Some(d) if d < Decimal::ZERO || d > Decimal::from(max) => Err(Error::invalid(
            field,
            format!("{field} must be between 0 and {max}"),
        )),
        Some(d) => Ok(Some(d.normalize().to_string())),
        None => Ok(None),
    }
}

fn money(field: &str, v: Option<Money>) -> Result<Option<i64>> {
    match v {
        Some(m) if m.is_negative() => {
            Err(Error::invalid(field, format!("{field} cannot be negative")))
        }
        Some(m) => m.to_scaled(field).map(Some),
        None => Ok(None),
    }
}

fn apply_fields(ctx: &Ctx<'_>, id: ProductId, f: ProductFields) -> Result<()> {
    crate::refuse_unknown(&f.unknown)?;
    let tx = ctx.tx;
    let set = |col: &str, v: &dyn rusqlite::ToSql| -> Result<()> {
        // Column names come from this function's fixed list, never from
        // input (so the cached statements are a few dozen at most).
        tx.prepare_cached(&format!("UPDATE products SET {col} = ?2 WHERE id = ?1"))?
            .execute(params![id, v])?;
        Ok(())
    };
    for (col, v, max) in [
        ("generic_name", &f.generic_name, 200),
        ("brand", &f.brand, 120),
        ("description", &f.description, 2000),
        ("nafdac_number", &f.nafdac_number, 40),
    ] {
        if let Some(v) = v {
            set(col, &optional_text(col, Some(v), max)?)?;
        }
    }
    if let Some(c) = f.category {
        set("category", &c.as_str())?;
    }
    if let Some(c) = f.category_id {
        crate::catalogue::categories::ensure_exists(ctx, c)?;
        set("category_id", &c)?;
    }
    if let Some(u) = &f.unit {
        set("unit", &required_text("unit", u, 30)?)?;
    }
    if let Some(b) = f.allow_fractional {
        set("allow_fractional", &b)?;
    }
    if let Some(b) = f.prescription_only {
        set("prescription_only", &b)?;
    }
    if let Some(v) = money("cost_price", f.cost_price)? {
        set("cost_price_e4", &v)?;
    }
    if let Some(v) = money("selling_price", f.selling_price)? {
        set("selling_price_e4", &v)?;
    }
    if let Some(v) = money("retail_price", f.retail_price)? {
        set("retail_price_e4", &v)?;
    }
    if let Some(v) = percent("markup_percent", f.markup_percent, 10_000)? {
        set("markup_percent", &v)?;
    }
    if let Some(v) = percent("commission_rate", f.commission_rate, 100)? {
        set("commission_rate", &v)?;
    }
    if let Some(v) = percent("tax_rate", f.tax_rate, 100)? {
        set("tax_rate", &v)?;
    }
    if let Some(inj) = &f.injectable {
        if let Some(u) = inj.units_per_vial.filter(|u| !u.is_positive()) {
            return Err(Error::invalid(
                "injectable.units_per_vial",
                format!("injectable.units_per_vial must be greater than zero (got {u})"),
            ));
        }
        set("injectable", &serde_json::to_string(inj)?)?;
    }
    if let Some(st) = &f.storage {
        check_storage(st)?;
        set("storage", &serde_json::to_string(st)?)?;
    }
    if let Some(t) = &f.thresholds {
        let (reorder, min, max) = check_thresholds(t)?;
        tx.prepare_cached(
            "UPDATE products SET reorder_point_milli = ?2, min_level_milli = ?3, max_level_milli = ?4, lead_time_days = ?5 WHERE id = ?1",
        )?
        .execute(params![id, reorder, min, max, t.lead_time_days])?;
    }
    if let Some(t) = &f.tracking {
        tx.execute(
            "UPDATE products SET track_lot = ?2, track_serial = ?3, expiry_required = ?4 WHERE id = ?1",
            params![id, t.lot, t.serial, t.expiry_required],
        )?;
    }
    if let Some(s) = f.status {
        set("status", &s.as_str())?;
    }
    if let Some(codes) = &f.barcodes {
        tx.execute("DELETE FROM product_barcodes WHERE product_id = ?1", [id])?;
        for code in codes {
            let code = check_barcode(code)?;
            let owner: Option<String> = tx
                .prepare_cached(
                    "SELECT p.sku FROM product_barcodes b JOIN products p ON p.id = b.product_id WHERE b.barcode = ?1",
                )?
                .query_row([&code], |r| r.get(0))
                .optional()?;
            if let Some(owner) = owner {
                return Err(Error::conflict(format!(
                    "barcode {code} already belongs to product {owner}"
                )));
            }
            tx.prepare_cached(
                "INSERT INTO product_barcodes (barcode, product_id) VALUES (?1, ?2)",
            )?
            .execute(params![code, id])?;
        }
    }
    tx.prepare_cached("UPDATE products SET updated_at = ?2, updated_by = ?3 WHERE id = ?1")?
        .execute(params![id, ctx.now_str(), ctx.actor.id])?;
    reindex(tx, id)
}

/// A barcode as stored: trimmed, 1–64 printable characters, no spaces.
pub(crate) fn check_barcode(code: &str) -> Result<String> {
    let code = required_text("barcodes", code, 64)?;
    if !code.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid(
            "barcodes",
            format!("barcode '{code}' has spaces or unprintable characters"),
        ));
    }
    Ok(code)
}

fn check_storage(st: &StorageRequirements) -> Result<()> {
    if let (Some(lo), Some(hi)) = (st.temperature_min_c, st.temperature_max_c) {
        if lo > hi {
            return Err(Error::invalid(
                "storage.temperature_min_c",
                format!("storage.temperature_min_c {lo} is above storage.temperature_max_c {hi}"),
            ));
        }
    }
    Ok(())
}

/// The thresholds as stored (reorder point, min, max in thousandths).
#[allow(clippy::type_complexity)]
fn check_thresholds(t: &Thresholds) -> Result<(Option<i64>, Option<i64>, Option<i64>)> {
    let q = |field: &str, v: Option<Qty>| -> Result<Option<i64>> {
        match v {
            Some(q) if q.is_negative() => {
                Err(Error::invalid(field, format!("{field} cannot be negative")))
            }
            Some(q) => q.to_scaled(field).map(Some),
            None => Ok(None),
        }
    };
    let (min, max) = (
        q("thresholds.min_level", t.min_level)?,
        q("thresholds.max_level", t.max_level)?,
    );
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            return Err(Error::invalid(
                "thresholds.min_level",
                "the minimum level is above the maximum",
            ));
        }
    }
    Ok((q("thresholds.reorder_point", t.reorder_point)?, min, max))
}

/// Every rule `create_product` applies to its fields that needs no
/// database (the SKU's and barcodes' uniqueness and the category's
/// existence are looked up by the caller): each failure, as an
/// `invalid_input` naming its field. The onboarding import checks each row
/// with it, so an imported product meets the very rules of a typed one.
pub(crate) fn check_product(sku: &str, name: &str, f: &ProductFields) -> Vec<Error> {
    let mut errors = Vec::new();
    let mut push = |r: Result<()>| {
        if let Err(e) = r {
            errors.push(e);
        }
    };
    push(crate::refuse_unknown(&f.unknown));
    push(required_text("sku", sku, 64).map(drop));
    push(required_text("name", name, 200).map(drop));
    for (col, v, max) in [
        ("generic_name", &f.generic_name, 200),
        ("brand", &f.brand, 120),
        ("description", &f.description, 2000),
        ("nafdac_number", &f.nafdac_number, 40),
    ] {
        push(optional_text(col, v.as_deref(), max).map(drop));
    }
    if let Some(u) = &f.unit {
        push(required_text("unit", u, 30).map(drop));
    }
    for (field, v) in [
        ("cost_price", f.cost_price),
        ("selling_price", f.selling_price),
        ("retail_price", f.retail_price),
    ] {
        push(money(field, v).map(drop));
    }
    push(percent("markup_percent", f.markup_percent, 10_000).map(drop));
    push(percent("commission_rate", f.commission_rate, 100).map(drop));
    push(percent("tax_rate", f.tax_rate, 100).map(drop));
    if let Some(st) = &f.storage {
        push(check_storage(st));
    }
    if let Some(t) = &f.thresholds {
        push(check_thresholds(t).map(drop));
    }
    for code in f.barcodes.iter().flatten() {
        push(check_barcode(code).map(drop));
    }
    errors
}

/// Rebuilds the product's full-text entry. The entry's rowid is the
/// product row's rowid: FTS5 finds a row by rowid in O(log n), whereas a
/// match on the UNINDEXED `product_id` column would scan the whole index
/// (quadratic over a 100,000-product catalogue import).
fn reindex(tx: &Transaction<'_>, id: ProductId) -> Result<()> {
    tx.prepare_cached(
        "DELETE FROM product_search WHERE rowid = (SELECT rowid FROM products WHERE id = ?1)",
    )?
    .execute([id])?;
    tx.prepare_cached(
        "INSERT INTO product_search (rowid, product_id, name, terms)
         SELECT p.rowid, p.id, p.name, concat_ws(' ', p.sku, p.generic_name, p.brand, p.nafdac_number,
                (SELECT group_concat(barcode, ' ') FROM product_barcodes WHERE product_id = p.id))
           FROM products p WHERE p.id = ?1",
    )?
    .execute([id])?;
    Ok(())
}

/// Also returns soft-deleted products (with `deleted_at`).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetProduct {
    /// The product.
    pub id: ProductId,
}

impl Operation for GetProduct {
    const NAME: &'static str = "get_product";
    const SUMMARY: &'static str = "One product with all its fields";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Product;

    fn run(self, ctx: &Ctx<'_>) -> Result<Product> {
        get_product(ctx.tx, self.id)
    }
}

/// Soft delete (`deleted_at`, `deleted_by`); refused while any store holds stock of it
/// (`conflict`). A deleted product disappears from search and stock operations treat it
/// as `not_found`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct DeleteProduct {
    /// The product.
    pub id: ProductId,
}

impl Operation for DeleteProduct {
    const NAME: &'static str = "delete_product";
    const SUMMARY: &'static str =
        "Soft-delete a product (refused while any store holds stock of it)";
    const PERMISSION: Permission = Permission::ManageCatalogue;
    const WRITES: bool = true;
    type Output = Product;

    fn run(self, ctx: &Ctx<'_>) -> Result<Product> {
        let p = get_product(ctx.tx, self.id)?;
        if p.deleted_at.is_some() {
            return Err(Error::ProductDeleted {
                product_id: p.id,
                sku: p.sku,
            });
        }
        if p.catalogue_version.is_some() {
            return Err(Error::invalid(
                "id",
                format!(
                    "{} is head office's product: head office discontinues it in its catalogue",
                    p.name
                ),
            ));
        }
        let on_hand: i64 = ctx.tx.query_row(
            "SELECT COALESCE(SUM(on_hand_milli), 0) FROM batches WHERE product_id = ?1",
            [self.id],
            |r| r.get(0),
        )?;
        if on_hand > 0 {
            return Err(Error::conflict(format!(
                "product {} still has {} {} on hand; write off or transfer the stock first",
                p.sku,
                Qty::from_scaled(on_hand),
                p.unit
            )));
        }
        ctx.tx.execute(
            "UPDATE products SET deleted_at = ?2, deleted_by = ?3, updated_at = ?2 WHERE id = ?1",
            params![self.id, ctx.now_str(), ctx.actor.id],
        )?;
        reindex(ctx.tx, self.id)?;
        let after = get_product(ctx.tx, self.id)?;
        audit::record_change(
            ctx,
            ChangeType::ProductDeleted,
            ("product", &self.id.to_string(), &after.name),
            Some(&p),
            &after,
        )?;
        Ok(after)
    }
}

/// One search hit, with what the till needs to show while typing.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ProductHit {
    /// The product.
    pub product: Product,
    /// Sellable quantity in the store.
    pub available: Qty,
    /// Nearest expiry among sellable batches.
    pub nearest_expiry: Option<String>,
}

/// `query` may be omitted (the same as empty). With `include_deleted: true`, deleted
/// products are found by exact SKU/barcode or an empty query, not by the full-text search
/// (their text index entry is removed on deletion).
///
/// An exact barcode or SKU match comes first, then a full-text prefix search over name,
/// generic name, brand, SKU, NAFDAC number and barcodes ("para" finds "Paracetamol"). An
/// empty query lists products by name. Each hit carries the product, its `available`
/// quantity in the store and the `nearest_expiry` of its sellable batches. `limit` 1–200
/// (default 25).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SearchProducts {
    /// What was typed or scanned (empty or omitted lists products by name).
    #[ts(optional)]
    pub query: Option<String>,
    /// Store whose stock to show.
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Maximum hits (default 25, at most 200).
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Include soft-deleted products.
    #[ts(optional)]
    pub include_deleted: Option<bool>,
}

impl Operation for SearchProducts {
    const NAME: &'static str = "search_products";
    const SUMMARY: &'static str =
        "Find products by name, SKU or barcode, with available stock and nearest expiry";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Vec<ProductHit>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<ProductHit>> {
        let store = ctx.store(self.store_id)?;
        let today = ctx.today(&store).to_string();
        let limit = self.limit.unwrap_or(25).clamp(1, 200) as usize;
        let q = self.query.as_deref().unwrap_or("").trim();
        let include_deleted = self.include_deleted.unwrap_or(false);
        let mut ids: Vec<ProductId> = Vec::new();
        if !q.is_empty() {
            let exact: Option<ProductId> = ctx
                .tx
                .prepare_cached(
                    "SELECT product_id FROM product_barcodes WHERE barcode = ?1
                     UNION ALL SELECT id FROM products WHERE sku = ?1 LIMIT 1",
                )?
                .query_row([q], |r| r.get(0))
                .optional()?;
            // A scanned barcode or a typed SKU is the one product meant.
            ids.extend(exact);
            if ids.is_empty() {
                // Names starting with what was typed: a range of the name
                // index, cheap however large the catalogue.
                let mut stmt = ctx.tx.prepare_cached(
                    "SELECT id FROM products WHERE name >= ?1 COLLATE NOCASE AND name < ?1 || char(1114111) COLLATE NOCASE
                      ORDER BY name COLLATE NOCASE LIMIT ?2",
                )?;
                for id in
                    stmt.query_map(params![q, limit as i64 + 1], |r| r.get::<_, ProductId>(0))?
                {
                    ids.push(id?);
                }
            }
            let fts = fts_query(q);
            if exact.is_none() && ids.len() < limit && !fts.is_empty() {
                // Then words anywhere: generic name, brand, SKU, NAFDAC number,
                // barcodes, listed by name. Not `ORDER BY rank`: bm25 counts
                // every document holding each term, a full pass over the
                // doclist of a word that thousands of names share.
                let mut stmt = ctx.tx.prepare_cached(
                    "SELECT s.product_id FROM (SELECT product_id FROM product_search WHERE product_search MATCH ?1 LIMIT ?2) s
                       JOIN products p ON p.id = s.product_id ORDER BY p.name COLLATE NOCASE",
                )?;
                for id in
                    stmt.query_map(params![fts, limit as i64 + 1], |r| r.get::<_, ProductId>(0))?
                {
                    let id = id?;
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            }
        } else {
            let mut stmt = ctx.tx.prepare_cached(
                "SELECT id FROM products WHERE deleted_at IS NULL OR ?2 ORDER BY name COLLATE NOCASE LIMIT ?1",
            )?;
            for id in stmt.query_map(params![limit as i64, include_deleted], |r| {
                r.get::<_, ProductId>(0)
            })? {
                ids.push(id?);
            }
        }
        let mut hits = Vec::new();
        for id in ids {
            let product = get_product(ctx.tx, id)?;
            if product.deleted_at.is_some() && !include_deleted {
                continue;
            }
            let (available, nearest): (i64, Option<String>) = ctx
                .tx
                .prepare_cached(
                    "SELECT COALESCE(SUM(on_hand_milli - reserved_milli), 0), MIN(expiry_date) FROM batches
                      WHERE product_id = ?1 AND store_id = ?2 AND status = 'available' AND expiry_date >= ?3
                        AND on_hand_milli > reserved_milli",
                )?
                .query_row(params![id, store.id, today], |r| Ok((r.get(0)?, r.get(1)?)))?;
            hits.push(ProductHit {
                product,
                available: Qty::from_scaled(available),
                nearest_expiry: nearest.filter(|d| d != crate::stock::NO_EXPIRY),
            });
            if hits.len() == limit {
                break;
            }
        }
        Ok(hits)
    }
}

/// Turns typed text into an FTS5 query: each word a quoted prefix term.
fn fts_query(q: &str) -> String {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) const COLUMNS: &str = "id, sku, name, generic_name, brand, description, category, category_id, nafdac_number, unit,
    allow_fractional, prescription_only, cost_price_e4, selling_price_e4, retail_price_e4, markup_percent, commission_rate,
    tax_rate, injectable, storage, reorder_point_milli, min_level_milli, max_level_milli, lead_time_days, track_lot,
    track_serial, expiry_required, status, created_at, updated_at, deleted_at, deleted_by, catalogue_version";

pub(crate) fn read_row(r: &Row<'_>) -> rusqlite::Result<Product> {
    let id: ProductId = r.get(0)?;
    // A stored value that does not read back names the product and the
    // value; it never turns into a default that would price or sell wrongly.
    let bad = |i: usize, field: &'static str, value: String| {
        corrupt_in_row(i, "product", id, field, value)
    };
    let dec = |i: usize, field: &'static str| -> rusqlite::Result<Option<Decimal>> {
        match r.get::<_, Option<String>>(i)? {
            None => Ok(None),
            Some(s) => s.parse::<Decimal>().map(Some).map_err(|_| bad(i, field, s)),
        }
    };
    fn json_col<T: serde::de::DeserializeOwned>(
        r: &Row<'_>,
        i: usize,
        bad: impl Fn(usize, String) -> rusqlite::Error,
    ) -> rusqlite::Result<Option<T>> {
        match r.get::<_, Option<String>>(i)? {
            None => Ok(None),
            Some(s) => serde_json::from_str(&s).map(Some).map_err(|_| bad(i, s)),
        }
    }
    let category: String = r.get(6)?;
    let status: String = r.get(27)?;
    Ok(Product {
        id,
        sku: r.get(1)?,
        name: r.get(2)?,
        generic_name: r.get(3)?,
        brand: r.get(4)?,
        description: r.get(5)?,
        category: serde_json::from_value(serde_json::Value::String(category.clone()))
            .map_err(|_| bad(6, "category", category))?,
        category_id: r.get(7)?,
        nafdac_number: r.get(8)?,
        barcodes: Vec::new(),
        unit: r.get(9)?,
        allow_fractional: r.get(10)?,
        prescription_only: r.get(11)?,
        cost_price: Money::from_scaled(r.get(12)?),
        selling_price: Money::from_scaled(r.get(13)?),
        retail_price: r.get::<_, Option<i64>>(14)?.map(Money::from_scaled),
        markup_percent: dec(15, "markup_percent")?,
        commission_rate: dec(16, "commission_rate")?,
        tax_rate: tax_rate_in_row(r, 17, "product", id)?,
        injectable: json_col(r, 18, |i, s| bad(i, "injectable", s))?,
        storage: json_col(r, 19, |i, s| bad(i, "storage", s))?,
        thresholds: Thresholds {
            reorder_point: r.get::<_, Option<i64>>(20)?.map(Qty::from_scaled),
            min_level: r.get::<_, Option<i64>>(21)?.map(Qty::from_scaled),
            max_level: r.get::<_, Option<i64>>(22)?.map(Qty::from_scaled),
            lead_time_days: r.get(23)?,
        },
        tracking: Tracking {
            lot: r.get(24)?,
            serial: r.get(25)?,
            expiry_required: r.get(26)?,
        },
        status: serde_json::from_value(serde_json::Value::String(status.clone()))
            .map_err(|_| bad(27, "status", status))?,
        created_at: r.get(28)?,
        updated_at: r.get(29)?,
        deleted_at: r.get(30)?,
        deleted_by: r.get(31)?,
        catalogue_version: r.get(32)?,
    })
}

/// Reads one product (deleted ones too) with its barcodes.
pub fn get_product(tx: &Transaction<'_>, id: ProductId) -> Result<Product> {
    let mut p = tx
        .prepare_cached(&format!("SELECT {COLUMNS} FROM products WHERE id = ?1"))?
        .query_row([id], read_row)
        .optional()?
        .ok_or_else(|| Error::not_found("product", id))?;
    let mut stmt = tx.prepare_cached(
        "SELECT barcode FROM product_barcodes WHERE product_id = ?1 ORDER BY barcode",
    )?;
    p.barcodes = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(p)
}

/// The product facts stock operations need, in one cheap lookup.
#[derive(Clone, Debug)]
pub struct ProductRules {
    /// Id.
    pub id: ProductId,
    /// SKU, for messages.
    pub sku: String,
    /// Unit, for messages.
    pub unit: String,
    /// Fractions allowed.
    pub allow_fractional: bool,
    /// Expiry required on batches.
    pub expiry_required: bool,
    /// Usable (not deleted).
    pub deleted: bool,
    /// Status.
    pub status: String,
}

impl ProductRules {
    /// Loads them; a deleted product is reported as not found.
    pub fn load(tx: &Transaction<'_>, id: ProductId) -> Result<ProductRules> {
        let rules = tx
            .prepare_cached(
                "SELECT sku, unit, allow_fractional, expiry_required, deleted_at IS NOT NULL, status
                   FROM products INDEXED BY ix_products_rules WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok(ProductRules {
                    id,
                    sku: r.get(0)?,
                    unit: r.get(1)?,
                    allow_fractional: r.get(2)?,
                    expiry_required: r.get(3)?,
                    deleted: r.get(4)?,
                    status: r.get(5)?,
                })
            })
            .optional()?
            .ok_or_else(|| Error::not_found("product", id))?;
        if rules.deleted {
            return Err(Error::not_found("product", id));
        }
        Ok(rules)
    }

    /// Checks a positive quantity in this product's unit; returns thousandths.
    pub fn quantity(&self, field: &str, q: Qty) -> Result<i64> {
        crate::num::check_quantity(field, q, self.allow_fractional, &self.unit)
    }
}
