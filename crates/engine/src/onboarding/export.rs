//! Exports in the import formats: the header is the kind's field names
//! ([`super::fields`]), so an exported file imports into another database
//! as it is (the round trip is tested).
//!
//! Products: every product not deleted. Suppliers and customers: all,
//! deactivated ones with `is_active` no. Stock: the store's available
//! batches with stock on hand (quarantined, recalled, damaged, expired and
//! used-up batches cannot be opening stock, so they are left out).

use super::{fields, ImportKind};
use crate::audit::CsvExport;
use crate::auth::Permission;
use crate::catalogue::customers;
use crate::catalogue::products::{self, Product};
use crate::csv_out::CsvOut;
use crate::ids::{CategoryId, ProductId, StoreId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::stock::NO_EXPIRY;
use crate::{Error, Result};
use serde::Deserialize;
use std::collections::HashMap;
use ts_rs::TS;

/// Writes one kind as CSV in the format `run_import` reads.
///
/// - `kind`: `products`, `suppliers`, `customers` or `opening_stock` (the store's
///   available batches with stock on hand: `store_id`, default the user's).
/// - Products, suppliers and customers need `manage_catalogue`; stock needs
///   `view_inventory` in the store.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ExportOnboardingCsv {
    /// What to export.
    pub kind: ImportKind,
    /// Opening stock: the store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

fn yes(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl Operation for ExportOnboardingCsv {
    const NAME: &'static str = "export_onboarding_csv";
    const SUMMARY: &'static str =
        "Products, suppliers, customers or a store's stock as CSV, in the import's format";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = CsvExport;

    fn run(self, ctx: &Ctx<'_>) -> Result<CsvExport> {
        if self.kind != ImportKind::OpeningStock {
            if self.store_id.is_some() {
                return Err(Error::invalid(
                    "store_id",
                    "store_id is for opening stock only",
                ));
            }
            ctx.require(Permission::ManageCatalogue)?;
        }
        let mut out = CsvOut::new(fields::fields(self.kind).iter().map(|f| f.name))?;
        match self.kind {
            ImportKind::Products => export_products(ctx, &mut out)?,
            ImportKind::Suppliers => export_suppliers(ctx, &mut out)?,
            ImportKind::Customers => export_customers(ctx, &mut out)?,
            ImportKind::OpeningStock => export_stock(ctx, self.store_id, &mut out)?,
        }
        out.finish()
    }
}

fn product_cells(p: &Product, categories: &HashMap<CategoryId, String>) -> Vec<String> {
    let t = &p.thresholds;
    vec![
        p.sku.clone(),
        p.name.clone(),
        opt(p.generic_name.clone()),
        opt(p.brand.clone()),
        opt(p.description.clone()),
        p.category.as_str().to_string(),
        opt(p.category_id.and_then(|c| categories.get(&c).cloned())),
        opt(p.nafdac_number.clone()),
        p.barcodes.join("|"),
        p.unit.clone(),
        yes(p.allow_fractional),
        yes(p.prescription_only),
        p.cost_price.to_string(),
        p.selling_price.to_string(),
        opt(p.retail_price),
        opt(p.markup_percent),
        opt(p.commission_rate),
        p.tax_rate.to_string(),
        opt(t.reorder_point),
        opt(t.min_level),
        opt(t.max_level),
        opt(t.lead_time_days),
        yes(p.tracking.lot),
        yes(p.tracking.serial),
        yes(p.tracking.expiry_required),
        p.storage
            .as_ref()
            .map(|s| yes(s.refrigerated))
            .unwrap_or_default(),
        p.status.as_str().to_string(),
    ]
}

fn export_products(ctx: &Ctx<'_>, out: &mut CsvOut) -> Result<()> {
    let categories: HashMap<CategoryId, String> = crate::catalogue::categories::list(ctx)?
        .into_iter()
        .map(|c| (c.id, c.path))
        .collect();
    let mut barcodes: HashMap<ProductId, Vec<String>> = HashMap::new();
    let mut stmt = ctx
        .tx
        .prepare("SELECT product_id, barcode FROM product_barcodes ORDER BY barcode")?;
    for row in stmt.query_map([], |r| {
        Ok((r.get::<_, ProductId>(0)?, r.get::<_, String>(1)?))
    })? {
        let (id, code) = row?;
        barcodes.entry(id).or_default().push(code);
    }
    let mut stmt = ctx.tx.prepare(&format!(
        "SELECT {} FROM products WHERE deleted_at IS NULL ORDER BY sku",
        products::COLUMNS
    ))?;
    let rows = stmt.query_map([], products::read_row)?;
    for p in rows {
        let mut p = p?;
        p.barcodes = barcodes.remove(&p.id).unwrap_or_default();
        out.row(product_cells(&p, &categories))?;
    }
    Ok(())
}

fn export_suppliers(ctx: &Ctx<'_>, out: &mut CsvOut) -> Result<()> {
    let mut stmt = ctx.tx.prepare("SELECT id FROM suppliers ORDER BY name")?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<crate::ids::SupplierId>>>()?;
    for id in ids {
        let s = crate::catalogue::suppliers::get_supplier(ctx.tx, id)?;
        out.row(&[
            s.name,
            opt(s.contact_person),
            opt(s.email),
            opt(s.phone),
            opt(s.address),
            opt(s.account_number),
            opt(s.payment_terms),
            opt(s.tax_id),
            yes(s.is_preferred),
            s.categories.join("|"),
            opt(s.on_time_delivery_rate),
            opt(s.quality_rating),
            opt(s.average_lead_time_days),
            opt(s.notes),
            yes(s.is_active),
        ])?;
    }
    Ok(())
}

fn export_customers(ctx: &Ctx<'_>, out: &mut CsvOut) -> Result<()> {
    let mut stmt = ctx.tx.prepare(&format!(
        "SELECT {} FROM customers ORDER BY name COLLATE NOCASE, id",
        customers::COLUMNS
    ))?;
    for c in stmt.query_map([], customers::read_row)? {
        let c = c?;
        out.row(&[
            opt(c.code),
            c.name,
            opt(c.phone),
            opt(c.email),
            opt(c.date_of_birth),
            opt(c.address),
            opt(c.notes),
            yes(c.is_active),
        ])?;
    }
    Ok(())
}

fn export_stock(ctx: &Ctx<'_>, store: Option<StoreId>, out: &mut CsvOut) -> Result<()> {
    let store = ctx.store(store)?;
    let mut stmt = ctx.tx.prepare(
        "SELECT p.sku, b.batch_number, b.expiry_date, b.on_hand_milli, b.cost_price_e4, b.received_date,
                b.manufacture_date, s.name, r.reference_number, b.location
           FROM batches b
           JOIN products p ON p.id = b.product_id
           LEFT JOIN suppliers s ON s.id = b.supplier_id
           LEFT JOIN purchase_receipts r ON r.id = b.purchase_receipt_id
          WHERE b.store_id = ?1 AND b.status = 'available' AND b.on_hand_milli > 0
          ORDER BY p.sku, b.expiry_date, b.batch_number",
    )?;
    let rows = stmt.query_map([store.id], |r| {
        let expiry: String = r.get(2)?;
        Ok([
            r.get::<_, String>(0)?,
            String::new(),
            r.get::<_, String>(1)?,
            if expiry == NO_EXPIRY {
                String::new()
            } else {
                expiry
            },
            Qty::from_scaled(r.get(3)?).to_string(),
            Money::from_scaled(r.get(4)?).to_string(),
            r.get::<_, String>(5)?,
            opt(r.get::<_, Option<String>>(6)?),
            opt(r.get::<_, Option<String>>(7)?),
            opt(r.get::<_, Option<String>>(8)?),
            opt(r.get::<_, Option<String>>(9)?),
        ])
    })?;
    for row in rows {
        out.row(&row?)?;
    }
    Ok(())
}
