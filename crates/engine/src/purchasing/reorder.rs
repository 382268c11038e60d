//! `draft_orders_from_reorder`: the store's reorder recommendations become
//! draft orders, one per vendor, through the same drafting code as
//! `create_purchase_order`.

use super::draft::{create, NewOrderLine, Terms, Texts};
use super::{load, PurchaseOrder};
use crate::auth::Permission;
use crate::ids::{ProductId, StoreId, SupplierId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::Result;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// A recommended product no draft could take.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct SkippedProduct {
    /// Product.
    pub product_id: ProductId,
    /// SKU.
    pub sku: String,
    /// Name.
    pub name: String,
    /// What it would have ordered.
    pub recommended_quantity: Qty,
    /// Why it was skipped.
    pub reason: String,
}

/// What `draft_orders_from_reorder` drafted.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct DraftedOrders {
    /// One draft per vendor.
    pub orders: Vec<PurchaseOrder>,
    /// Recommended products without a vendor to order from.
    pub skipped: Vec<SkippedProduct>,
}

/// Turns the store's reorder recommendations (`list_reorder_recommendations`, all of them)
/// into draft purchase orders, one per vendor.
/// - A product's vendor is the active supplier of its batches in this store: a preferred
///   supplier first (`is_preferred`), then the one that delivered last. A product no active
///   supplier ever delivered to the store is listed in `skipped` with the reason.
/// - Each line orders the recommended quantity at the unit cost last paid to that vendor for
///   that product (else the product's cost price; a product with neither is skipped).
/// - Each draft follows `create_purchase_order`'s rules and writes its
///   `purchase_order_created` event; nothing to order drafts nothing.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct DraftOrdersFromReorder {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Expected delivery date for every draft.
    #[ts(optional, type = "string")]
    pub expected_date: Option<NaiveDate>,
}

impl Operation for DraftOrdersFromReorder {
    const NAME: &'static str = "draft_orders_from_reorder";
    const SUMMARY: &'static str =
        "Turn the store's reorder recommendations into draft purchase orders, one per vendor";
    const PERMISSION: Permission = Permission::OrderStock;
    const WRITES: bool = true;
    type Output = DraftedOrders;

    fn run(self, ctx: &Ctx<'_>) -> Result<DraftedOrders> {
        let store = ctx.store(self.store_id)?;
        let recs = crate::alerts::reorder::recommendations(ctx, &store)?;
        let mut vendor_of = ctx.tx.prepare_cached(
            "SELECT b.supplier_id,
                    (SELECT b2.cost_price_e4 FROM batches b2 WHERE b2.store_id = b.store_id
                        AND b2.product_id = b.product_id AND b2.supplier_id = b.supplier_id
                      ORDER BY b2.received_date DESC, b2.created_at DESC LIMIT 1)
               FROM batches b JOIN suppliers s ON s.id = b.supplier_id
              WHERE b.store_id = ?1 AND b.product_id = ?2 AND s.is_active = 1
              ORDER BY s.is_preferred DESC, b.received_date DESC, b.created_at DESC LIMIT 1",
        )?;
        let mut by_vendor: BTreeMap<SupplierId, Vec<NewOrderLine>> = BTreeMap::new();
        let mut skipped = Vec::new();
        for r in recs {
            let found: Option<(SupplierId, Option<i64>)> = vendor_of
                .query_row(params![store.id, r.product_id], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })
                .optional()?;
            let skip = |reason: &str| SkippedProduct {
                product_id: r.product_id,
                sku: r.sku.clone(),
                name: r.name.clone(),
                recommended_quantity: r.recommended_quantity,
                reason: reason.to_string(),
            };
            let Some((vendor, last_cost)) = found else {
                skipped.push(skip("no active supplier has delivered it to this store"));
                continue;
            };
            let product_cost: i64 = ctx
                .tx
                .prepare_cached("SELECT cost_price_e4 FROM products WHERE id = ?1")?
                .query_row([r.product_id], |row| row.get(0))?;
            let cost = last_cost.filter(|c| *c > 0).unwrap_or(product_cost);
            if cost <= 0 {
                skipped.push(skip("no cost price to order at"));
                continue;
            }
            by_vendor.entry(vendor).or_default().push(NewOrderLine {
                product_id: r.product_id,
                quantity: r.recommended_quantity,
                unit_cost: Some(Money::from_scaled(cost)),
                discount_percent: None,
                discount_amount: None,
            });
        }
        let mut orders = Vec::new();
        for (vendor, lines) in by_vendor {
            let id = create(
                ctx,
                store.id,
                vendor,
                &lines,
                &Terms::default(),
                Texts {
                    expected_date: self.expected_date,
                    internal_notes: Some("drafted from the reorder recommendations"),
                    ..Default::default()
                },
            )?;
            orders.push(load(ctx, id)?);
        }
        Ok(DraftedOrders { orders, skipped })
    }
}
