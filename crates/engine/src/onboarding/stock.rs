//! Importing opening stock: one batch per row, into one store, as
//! receipts, so that the ledger starts true.
//!
//! Each row is checked with `receive_stock`'s rules (the product's unit and
//! fractions, [`check_receipt_dates`] — an expired batch is refused, as at
//! the receiving desk —, [`check_cost`], an active supplier, a discontinued
//! product refused) and must name a batch the store does not have yet and
//! the file names once (topping up is `receive_stock`'s business, not an
//! opening balance's). Writing goes through the receive path's writer of
//! new batches (`put_new_batch`, which `receive_stock` uses for a new batch
//! number): a batch row and its `receipt` event, the store's stock levels
//! kept by the same triggers. Rows naming a supplier are
//! grouped into purchase receipts by supplier and reference number, as
//! `receive_stock` groups them; the others have no purchase receipt, and
//! their events name the import (`opening_stock:<id>`).

use super::cells::Cells;
use super::{Checker, ImportCounts};
use crate::audit::ChangeType;
use crate::auth::Permission;
use crate::catalogue::products::ProductRules;
use crate::catalogue::stores::StoreInfo;
use crate::catalogue::{optional_text, required_text};
use crate::ids::{ProductId, PurchaseReceiptId, StoreId, SupplierId};
use crate::num::{Money, Qty};
use crate::op::Ctx;
use crate::stock::receive::{
    check_cost, check_receipt_dates, purchase_receipt, put_new_batch, BatchIn,
};
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::params;
use std::collections::{HashMap, HashSet};

struct ProductInfo {
    rules: ProductRules,
    cost_e4: i64,
}

/// One checked row.
struct Line {
    product: ProductId,
    batch_number: String,
    expiry: String,
    manufacture_date: Option<String>,
    quantity_milli: i64,
    cost_e4: i64,
    received: NaiveDate,
    supplier: Option<SupplierId>,
    reference: Option<String>,
    location: Option<String>,
}

/// The opening stock import.
pub(crate) struct OpeningStock {
    store: StoreInfo,
    today: NaiveDate,
    products: Vec<ProductInfo>,
    by_sku: HashMap<String, usize>,
    by_barcode: HashMap<String, usize>,
    /// Suppliers by NOCASE name: id, name, active.
    suppliers: HashMap<String, (SupplierId, String, bool)>,
    /// Batches of the store, and of earlier rows: (product, batch number)
    /// → row (0: the store has it).
    batches: HashMap<(ProductId, String), u64>,
    lines: Vec<Line>,
}

impl OpeningStock {
    pub(crate) fn load(ctx: &Ctx<'_>, store_id: Option<StoreId>) -> Result<Self> {
        let store = ctx.store(store_id)?;
        // Stock arrives: the receiving permission, in that store.
        ctx.require(Permission::ReceiveStock)?;
        let today = ctx.today(&store);
        let mut products = Vec::new();
        let mut by_sku = HashMap::new();
        let mut stmt = ctx.tx.prepare(
            "SELECT id, sku, unit, allow_fractional, expiry_required, status, cost_price_e4
               FROM products WHERE deleted_at IS NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ProductInfo {
                rules: ProductRules {
                    id: r.get(0)?,
                    sku: r.get(1)?,
                    unit: r.get(2)?,
                    allow_fractional: r.get(3)?,
                    expiry_required: r.get(4)?,
                    deleted: false,
                    status: r.get(5)?,
                },
                cost_e4: r.get(6)?,
            })
        })?;
        let mut ids = HashMap::new();
        for p in rows {
            let p = p?;
            by_sku.insert(p.rules.sku.to_ascii_lowercase(), products.len());
            ids.insert(p.rules.id, products.len());
            products.push(p);
        }
        let mut by_barcode = HashMap::new();
        let mut stmt = ctx
            .tx
            .prepare("SELECT barcode, product_id FROM product_barcodes")?;
        for row in stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, ProductId>(1)?))
        })? {
            let (code, id) = row?;
            if let Some(i) = ids.get(&id) {
                by_barcode.insert(code, *i);
            }
        }
        let mut suppliers = HashMap::new();
        let mut stmt = ctx
            .tx
            .prepare("SELECT id, name, is_active FROM suppliers")?;
        for row in stmt.query_map([], |r| {
            Ok((
                r.get::<_, SupplierId>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })? {
            let (id, name, active) = row?;
            suppliers.insert(name.to_ascii_lowercase(), (id, name, active));
        }
        let mut batches = HashMap::new();
        let mut stmt = ctx
            .tx
            .prepare("SELECT product_id, batch_number FROM batches WHERE store_id = ?1")?;
        for row in stmt.query_map([store.id], |r| {
            Ok((r.get::<_, ProductId>(0)?, r.get::<_, String>(1)?))
        })? {
            batches.insert(row?, 0);
        }
        Ok(OpeningStock {
            store,
            today,
            products,
            by_sku,
            by_barcode,
            suppliers,
            batches,
            lines: Vec::new(),
        })
    }

    fn product(&self, c: &mut Cells<'_>) -> Option<usize> {
        let by_sku = c
            .text("sku")
            .map(|s| (s, self.by_sku.get(&s.to_ascii_lowercase())));
        let by_code = c.text("barcode").map(|b| (b, self.by_barcode.get(b)));
        match (by_sku, by_code) {
            (None, None) => {
                c.error("sku", "the row names no product: give its sku or barcode");
                None
            }
            (Some((s, None)), _) => {
                c.error("sku", format!("no product has SKU '{s}'"));
                None
            }
            (None, Some((b, None))) => {
                c.error("barcode", format!("no product has barcode '{b}'"));
                None
            }
            (Some((_, Some(i))), Some((b, Some(j)))) if i != j => {
                c.error(
                    "barcode",
                    format!("barcode '{b}' belongs to another product than the SKU names"),
                );
                None
            }
            (Some((_, Some(i))), _) | (None, Some((_, Some(i)))) => Some(*i),
        }
    }
}

impl Checker for OpeningStock {
    fn row(&mut self, _ctx: &Ctx<'_>, c: &mut Cells<'_>) -> Result<()> {
        let product = self.product(c);
        let batch = c
            .required("batch_number")
            .map(|b| required_text("batch_number", b, 64));
        let batch = match batch {
            Some(Ok(b)) => Some(b),
            Some(Err(e)) => {
                c.refused("batch_number", &e);
                None
            }
            None => None,
        };
        let qty = c.required("quantity").and(c.qty("quantity"));
        let expiry = c.date("expiry_date");
        let manufacture = c.date("manufacture_date");
        let cost = c.money("cost_price");
        let received = c.date("received_date");
        let reference = optional_text("reference_number", c.text("reference_number"), 64);
        let location = optional_text("location", c.text("location"), 64);
        let (reference, location) = match (reference, location) {
            (Ok(r), Ok(l)) => (r, l),
            (r, l) => {
                for e in [r.err(), l.err()].into_iter().flatten() {
                    c.refused("reference_number", &e);
                }
                (None, None)
            }
        };
        if let Some(d) = received.filter(|d| *d > self.today) {
            c.error("received_date", format!("{d} is in the future"));
        }
        let supplier = match c.text("supplier") {
            None => None,
            Some(name) => match self.suppliers.get(&name.to_ascii_lowercase()) {
                None => {
                    c.error("supplier", format!("no supplier is named '{name}'"));
                    None
                }
                Some((id, name, false)) => {
                    c.refused(
                        "supplier",
                        &Error::SupplierInactive {
                            supplier_id: *id,
                            name: name.clone(),
                        },
                    );
                    None
                }
                Some((id, _, true)) => Some(*id),
            },
        };
        let Some(p) = product.map(|i| &self.products[i]) else {
            return Ok(());
        };
        if p.rules.status == "discontinued" {
            c.refused(
                "sku",
                &Error::ProductDiscontinued {
                    product_id: p.rules.id,
                    sku: p.rules.sku.clone(),
                },
            );
        }
        let qty_milli = qty.and_then(|q| match p.rules.quantity("quantity", q) {
            Ok(m) => Some(m),
            Err(e) => {
                c.refused("quantity", &e);
                None
            }
        });
        let cost_e4 = match cost {
            Some(m) => check_cost("cost_price", m)
                .map_err(|e| c.refused("cost_price", &e))
                .ok(),
            None if p.cost_e4 > 0 => Some(p.cost_e4),
            None => {
                c.refused(
                    "cost_price",
                    &Error::NoCostPrice {
                        product_id: p.rules.id,
                        sku: p.rules.sku.clone(),
                    },
                );
                None
            }
        };
        let Some(batch) = batch else { return Ok(()) };
        // A date cell that did not read as a date is its own error already:
        // "needs an expiry date" on top of it would only repeat it.
        let unreadable = c
            .errors
            .iter()
            .any(|e| matches!(e.field.as_deref(), Some("expiry_date" | "manufacture_date")));
        let stored_expiry = if unreadable {
            None
        } else {
            match check_receipt_dates(&p.rules, &batch, expiry, manufacture, self.today) {
                Ok(e) => Some(e),
                Err(e) => {
                    let field = match &e {
                        Error::InvalidInput { field: Some(f), .. } => f.clone(),
                        _ => "expiry_date".to_string(),
                    };
                    c.error(&field, e.to_string());
                    None
                }
            }
        };
        let key = (p.rules.id, batch.clone());
        match self.batches.get(&key) {
            Some(0) => c.error(
                "batch_number",
                format!(
                    "batch {batch} of {} is already in the store: opening stock makes new batches (receive more with receive_stock)",
                    p.rules.sku
                ),
            ),
            Some(row) => c.error(
                "batch_number",
                format!("batch {batch} of {} is also on row {row}", p.rules.sku),
            ),
            None => {
                self.batches.insert(key, c.row);
            }
        }
        if let (true, Some(expiry), Some(quantity_milli), Some(cost_e4)) =
            (c.errors.is_empty(), stored_expiry, qty_milli, cost_e4)
        {
            self.lines.push(Line {
                product: p.rules.id,
                batch_number: batch,
                expiry,
                manufacture_date: manufacture.map(|d| d.to_string()),
                quantity_milli,
                cost_e4,
                received: received.unwrap_or(self.today),
                supplier,
                reference,
                location,
            });
        }
        Ok(())
    }

    fn will_create(&self) -> ImportCounts {
        let receipts: HashSet<(SupplierId, Option<&str>)> = self
            .lines
            .iter()
            .filter_map(|l| l.supplier.map(|s| (s, l.reference.as_deref())))
            .collect();
        ImportCounts {
            batches: self.lines.len() as u64,
            purchase_receipts: receipts.len() as u64,
            ..ImportCounts::default()
        }
    }

    fn write(self: Box<Self>, ctx: &Ctx<'_>, report: &mut dyn FnMut(u64)) -> Result<ImportCounts> {
        let counts = self.will_create();
        let import_ref = format!("opening_stock:{}", PurchaseReceiptId::new());
        let mut receipts: HashMap<(SupplierId, Option<String>), (PurchaseReceiptId, i64)> =
            HashMap::new();
        for (i, l) in self.lines.iter().enumerate() {
            let receipt = match l.supplier {
                None => None,
                Some(s) => {
                    let key = (s, l.reference.clone());
                    let entry = match receipts.get_mut(&key) {
                        Some(e) => e,
                        None => {
                            let id = purchase_receipt(
                                ctx,
                                &self.store.id,
                                s,
                                l.reference.as_deref(),
                                &self.today,
                                Some("opening stock"),
                            )?;
                            receipts.entry(key).or_insert((id, 0))
                        }
                    };
                    entry.1 += (Money::from_scaled(l.cost_e4)
                        .times(Qty::from_scaled(l.quantity_milli)))
                    .to_scaled("total")?;
                    Some(entry.0)
                }
            };
            let reference = receipt.map(|r| r.to_string());
            put_new_batch(
                ctx,
                &BatchIn {
                    store_id: self.store.id,
                    product_id: l.product,
                    batch_number: &l.batch_number,
                    expiry_date: &l.expiry,
                    manufacture_date: l.manufacture_date.clone(),
                    serial_number: None,
                    cost_e4: l.cost_e4,
                    quantity_milli: l.quantity_milli,
                    supplier_id: l.supplier,
                    purchase_receipt_id: receipt,
                    received_date: l.received,
                    location: l.location.as_deref(),
                    change: ChangeType::Receipt,
                    reference_id: reference.as_deref().unwrap_or(&import_ref),
                    notes: Some("opening stock"),
                },
            )?;
            if (i as u64 + 1) % super::PROGRESS_EVERY == 0 {
                report(i as u64 + 1);
            }
        }
        let now = ctx.now_str();
        let mut total = ctx.tx.prepare_cached(
            "UPDATE purchase_receipts SET total_amount_e4 = total_amount_e4 + ?2, updated_at = ?3 WHERE id = ?1",
        )?;
        for (id, sum) in receipts.values() {
            total.execute(params![id, sum, now])?;
        }
        Ok(counts)
    }
}
