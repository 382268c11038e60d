//! Importing the shared records: products, suppliers, customers.
//!
//! Each row is checked with the single-record operation's own rule
//! functions ([`check_product`], [`check_supplier`], customers'
//! [`validate`]), and against what the file already said and what the
//! database holds (loaded into maps once). Writing goes through the
//! operations themselves (`CreateProduct::run`, `CreateCategory::run`,
//! `CreateSupplier::run`) or the customer writer `create_customer` uses, so
//! an imported record is stored, indexed and recorded exactly as a typed
//! one.
//!
//! Categories: a product naming a category that does not exist (by name or
//! by path, `Parent / Child`, case ignored) creates it at the top level —
//! a store's old system brings its own category tree, and refusing would
//! make the manager type each one in first. The preview counts them
//! (`will_create.categories`).

use super::cells::Cells;
use super::{Checker, ImportCounts};
use crate::catalogue::categories::{self, CreateCategory};
use crate::catalogue::customers::{self, validate, CleanCustomer, CustomerInput};
use crate::catalogue::products::{
    check_product, CreateProduct, ProductCategory, ProductFields, ProductStatus,
    StorageRequirements, Thresholds, Tracking,
};
use crate::catalogue::required_text;
use crate::catalogue::suppliers::{check_supplier, CreateSupplier, SupplierFields, UpdateSupplier};
use crate::ids::CategoryId;
use crate::op::{Ctx, Operation};
use crate::Result;
use chrono::NaiveDate;
use std::collections::HashMap;

/// SQLite's `NOCASE`: ASCII letters folded (SKUs, names and codes are
/// unique that way).
fn nocase(s: &str) -> String {
    s.to_ascii_lowercase()
}

fn enum_cell<T: serde::de::DeserializeOwned>(
    c: &mut Cells<'_>,
    field: &str,
    allowed: &str,
) -> Option<T> {
    let v = c.text(field)?;
    let norm = v.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    match serde_json::from_value(serde_json::Value::String(norm)) {
        Ok(t) => Some(t),
        Err(_) => {
            c.error(field, format!("'{v}' is not one of {allowed}"));
            None
        }
    }
}

/// The products import.
pub(crate) struct Products {
    /// SKUs of the catalogue and of earlier rows (NOCASE) → the row that
    /// has it (0: the catalogue).
    skus: HashMap<String, u64>,
    /// Barcodes likewise → (owner SKU, row).
    barcodes: HashMap<String, (String, u64)>,
    /// Categories by lower-case path and name.
    categories: HashMap<String, CategoryId>,
    /// Categories to create (lower-case name → name as first written).
    new_categories: Vec<String>,
    rows: Vec<(Option<String>, CreateProduct)>,
}

impl Products {
    pub(crate) fn load(ctx: &Ctx<'_>) -> Result<Self> {
        let mut skus = HashMap::new();
        let mut stmt = ctx.tx.prepare("SELECT sku FROM products")?;
        for sku in stmt.query_map([], |r| r.get::<_, String>(0))? {
            skus.insert(nocase(&sku?), 0);
        }
        let mut barcodes = HashMap::new();
        let mut stmt = ctx.tx.prepare(
            "SELECT b.barcode, p.sku FROM product_barcodes b JOIN products p ON p.id = b.product_id",
        )?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (code, sku) = row?;
            barcodes.insert(code, (sku, 0));
        }
        let mut categories = HashMap::new();
        for c in categories::list(ctx)? {
            categories.insert(c.path.to_lowercase(), c.id);
            categories.entry(c.name.to_lowercase()).or_insert(c.id);
        }
        Ok(Products {
            skus,
            barcodes,
            categories,
            new_categories: Vec::new(),
            rows: Vec::new(),
        })
    }
}

impl Checker for Products {
    fn row(&mut self, _ctx: &Ctx<'_>, c: &mut Cells<'_>) -> Result<()> {
        let sku = c.required("sku").unwrap_or_default().to_string();
        let name = c.required("name").unwrap_or_default().to_string();
        let text = |c: &Cells<'_>, f: &str| c.text(f).map(str::to_string);
        let thresholds = Thresholds {
            reorder_point: c.qty("reorder_point"),
            min_level: c.qty("min_level"),
            max_level: c.qty("max_level"),
            lead_time_days: c.days("lead_time_days"),
        };
        let has_thresholds = thresholds != Thresholds::default();
        let (lot, serial, expiry) = (
            c.flag("track_lot"),
            c.flag("track_serial"),
            c.flag("expiry_required"),
        );
        let tracking = (lot.is_some() || serial.is_some() || expiry.is_some()).then(|| {
            let d = Tracking::default();
            Tracking {
                lot: lot.unwrap_or(d.lot),
                serial: serial.unwrap_or(d.serial),
                expiry_required: expiry.unwrap_or(d.expiry_required),
            }
        });
        let storage = c.flag("refrigerated").map(|r| StorageRequirements {
            refrigerated: r,
            ..StorageRequirements::default()
        });
        let fields = ProductFields {
            generic_name: text(c, "generic_name"),
            brand: text(c, "brand"),
            description: text(c, "description"),
            category: enum_cell::<ProductCategory>(
                c,
                "kind",
                "neurotoxin, filler, skincare, device, consumable, supplement, medicine, other",
            ),
            category_id: None,
            nafdac_number: text(c, "nafdac_number"),
            barcodes: c.list("barcodes"),
            unit: text(c, "unit"),
            allow_fractional: c.flag("allow_fractional"),
            prescription_only: c.flag("prescription_only"),
            cost_price: c.money("cost_price"),
            selling_price: c.money("selling_price"),
            retail_price: c.money("retail_price"),
            markup_percent: c.percent("markup_percent"),
            commission_rate: c.percent("commission_rate"),
            tax_rate: c.percent("tax_rate"),
            injectable: None,
            storage,
            thresholds: has_thresholds.then_some(thresholds),
            tracking,
            status: enum_cell::<ProductStatus>(
                c,
                "status",
                "active, discontinued, out_of_stock, pending_approval",
            ),
            unknown: Default::default(),
        };
        if !sku.is_empty() && !name.is_empty() {
            for e in check_product(&sku, &name, &fields) {
                c.refused("sku", &e);
            }
        }
        let category = match c.text("category") {
            None => None,
            Some(v) => match required_text("category", v, categories::MAX_NAME) {
                Err(e) => {
                    c.refused("category", &e);
                    None
                }
                Ok(v) => Some(v),
            },
        };
        if let Some(cat) = &category {
            let key = cat.to_lowercase();
            if !self.categories.contains_key(&key)
                && !self.new_categories.iter().any(|n| n.to_lowercase() == key)
            {
                self.new_categories.push(cat.clone());
            }
        }
        let key = nocase(sku.trim());
        if !key.is_empty() {
            match self.skus.get(&key) {
                Some(0) => c.error(
                    "sku",
                    format!("SKU '{}' is already in the catalogue", sku.trim()),
                ),
                Some(row) => c.error("sku", format!("SKU '{}' is also on row {row}", sku.trim())),
                None => {
                    self.skus.insert(key, c.row);
                }
            }
        }
        for code in fields.barcodes.iter().flatten() {
            let code = code.trim().to_string();
            match self.barcodes.get(&code) {
                Some((owner, 0)) => c.error(
                    "barcodes",
                    format!("barcode {code} already belongs to product {owner}"),
                ),
                Some((owner, row)) => c.error(
                    "barcodes",
                    format!("barcode {code} is also on row {row} (SKU {owner})"),
                ),
                None => {
                    self.barcodes.insert(code, (sku.trim().to_string(), c.row));
                }
            }
        }
        if c.errors.is_empty() {
            self.rows
                .push((category, CreateProduct { sku, name, fields }));
        }
        Ok(())
    }

    fn will_create(&self) -> ImportCounts {
        ImportCounts {
            products: self.rows.len() as u64,
            categories: self.new_categories.len() as u64,
            ..ImportCounts::default()
        }
    }

    fn write(self: Box<Self>, ctx: &Ctx<'_>, report: &mut dyn FnMut(u64)) -> Result<ImportCounts> {
        let counts = self.will_create();
        let mut categories = self.categories;
        for name in self.new_categories {
            let created = CreateCategory {
                name: name.clone(),
                display_name: None,
                description: None,
                parent_id: None,
            }
            .run(ctx)?;
            categories.insert(name.to_lowercase(), created.id);
        }
        for (i, (category, mut p)) in self.rows.into_iter().enumerate() {
            p.fields.category_id =
                category.and_then(|c| categories.get(&c.to_lowercase()).copied());
            p.run(ctx)?;
            if (i as u64 + 1) % super::PROGRESS_EVERY == 0 {
                report(i as u64 + 1);
            }
        }
        Ok(counts)
    }
}

/// The suppliers import.
pub(crate) struct Suppliers {
    /// Names (NOCASE) → row (0: the database).
    names: HashMap<String, u64>,
    rows: Vec<(CreateSupplier, bool)>,
}

impl Suppliers {
    pub(crate) fn load(ctx: &Ctx<'_>) -> Result<Self> {
        let mut names = HashMap::new();
        let mut stmt = ctx.tx.prepare("SELECT name FROM suppliers")?;
        for n in stmt.query_map([], |r| r.get::<_, String>(0))? {
            names.insert(nocase(&n?), 0);
        }
        Ok(Suppliers {
            names,
            rows: Vec::new(),
        })
    }
}

impl Checker for Suppliers {
    fn row(&mut self, _ctx: &Ctx<'_>, c: &mut Cells<'_>) -> Result<()> {
        let name = c.required("name").unwrap_or_default().to_string();
        let text = |c: &Cells<'_>, f: &str| c.text(f).map(str::to_string);
        let fields = SupplierFields {
            contact_person: text(c, "contact_person"),
            email: text(c, "email"),
            phone: text(c, "phone"),
            address: text(c, "address"),
            account_number: text(c, "account_number"),
            payment_terms: text(c, "payment_terms"),
            tax_id: text(c, "tax_id"),
            is_preferred: c.flag("is_preferred"),
            categories: c.list("categories"),
            on_time_delivery_rate: c.percent("on_time_delivery_rate"),
            quality_rating: c.decimal("quality_rating"),
            average_lead_time_days: c.days("average_lead_time_days"),
            notes: text(c, "notes"),
            unknown: Default::default(),
        };
        let active = c.flag("is_active").unwrap_or(true);
        if !name.is_empty() {
            for e in check_supplier(&name, &fields) {
                c.refused("name", &e);
            }
            let key = nocase(name.trim());
            match self.names.get(&key) {
                Some(0) => c.error(
                    "name",
                    format!("a supplier named '{}' already exists", name.trim()),
                ),
                Some(row) => c.error(
                    "name",
                    format!("supplier '{}' is also on row {row}", name.trim()),
                ),
                None => {
                    self.names.insert(key, c.row);
                }
            }
        }
        if c.errors.is_empty() {
            self.rows.push((CreateSupplier { name, fields }, active));
        }
        Ok(())
    }

    fn will_create(&self) -> ImportCounts {
        ImportCounts {
            suppliers: self.rows.len() as u64,
            ..ImportCounts::default()
        }
    }

    fn write(self: Box<Self>, ctx: &Ctx<'_>, report: &mut dyn FnMut(u64)) -> Result<ImportCounts> {
        let counts = self.will_create();
        for (i, (s, active)) in self.rows.into_iter().enumerate() {
            let created = s.run(ctx)?;
            if !active {
                UpdateSupplier {
                    id: created.id,
                    name: None,
                    is_active: Some(false),
                    fields: SupplierFields::default(),
                }
                .run(ctx)?;
            }
            if (i as u64 + 1) % super::PROGRESS_EVERY == 0 {
                report(i as u64 + 1);
            }
        }
        Ok(counts)
    }
}

/// The customers import.
pub(crate) struct Customers {
    today: NaiveDate,
    /// Codes (NOCASE) → row (0: the database).
    codes: HashMap<String, u64>,
    rows: Vec<(CleanCustomer, bool)>,
}

impl Customers {
    pub(crate) fn load(ctx: &Ctx<'_>) -> Result<Self> {
        let mut codes = HashMap::new();
        let mut stmt = ctx
            .tx
            .prepare("SELECT code FROM customers WHERE code IS NOT NULL")?;
        for n in stmt.query_map([], |r| r.get::<_, String>(0))? {
            codes.insert(nocase(&n?), 0);
        }
        Ok(Customers {
            today: customers::today(ctx),
            codes,
            rows: Vec::new(),
        })
    }
}

impl Checker for Customers {
    fn row(&mut self, _ctx: &Ctx<'_>, c: &mut Cells<'_>) -> Result<()> {
        let name = c.required("name");
        let dob = c.date("date_of_birth");
        let active = c.flag("is_active").unwrap_or(true);
        let input = CustomerInput {
            code: c.text("code"),
            name: name.unwrap_or_default(),
            phone: c.text("phone"),
            email: c.text("email"),
            date_of_birth: dob,
            address: c.text("address"),
            notes: c.text("notes"),
        };
        let clean = match validate(&input, self.today) {
            Ok(clean) => Some(clean),
            Err(errors) => {
                for e in errors {
                    // A missing name was reported already.
                    if name.is_some()
                        || !matches!(&e, crate::Error::InvalidInput { field: Some(f), .. } if f == "name")
                    {
                        c.refused("name", &e);
                    }
                }
                None
            }
        };
        if let Some(code) = input.code {
            let key = nocase(code);
            match self.codes.get(&key) {
                Some(0) => c.error(
                    "code",
                    format!("customer code '{code}' is already used by another customer"),
                ),
                Some(row) => c.error(
                    "code",
                    format!("customer code '{code}' is also on row {row}"),
                ),
                None => {
                    self.codes.insert(key, c.row);
                }
            }
        }
        if let (Some(clean), true) = (clean, c.errors.is_empty()) {
            self.rows.push((clean, active));
        }
        Ok(())
    }

    fn will_create(&self) -> ImportCounts {
        ImportCounts {
            customers: self.rows.len() as u64,
            ..ImportCounts::default()
        }
    }

    fn write(self: Box<Self>, ctx: &Ctx<'_>, report: &mut dyn FnMut(u64)) -> Result<ImportCounts> {
        let counts = self.will_create();
        for (i, (clean, active)) in self.rows.into_iter().enumerate() {
            customers::insert(ctx, &clean, active)?;
            if (i as u64 + 1) % super::PROGRESS_EVERY == 0 {
                report(i as u64 + 1);
            }
        }
        Ok(counts)
    }
}
