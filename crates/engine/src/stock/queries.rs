//! Read-only stock views: the store's batches in FEFO order, one batch, and
//! a product's stock broken down by what can and cannot be sold.

use super::{get_batch_view, read_view, BatchView, VIEW_SQL};
use crate::auth::Permission;
use crate::catalogue::products::ProductRules;
use crate::ids::{BatchId, ProductId, StoreId};
use crate::num::Qty;
use crate::op::{Ctx, Operation};
use crate::Result;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Batches with stock (or all of them with `include_empty: true`), FEFO order.
/// `available` is what can be sold now: on-hand minus reserved for an available, in-date
/// batch, else 0.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetStoreInventory {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Only this product.
    #[ts(optional)]
    pub product_id: Option<ProductId>,
    /// Include batches with nothing left.
    #[ts(optional)]
    pub include_empty: Option<bool>,
}

impl Operation for GetStoreInventory {
    const NAME: &'static str = "get_store_inventory";
    const SUMMARY: &'static str =
        "The store's batches in FEFO order (nearest expiry first) with expiry bands";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Vec<BatchView>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<BatchView>> {
        let store = ctx.store(self.store_id)?;
        let today = ctx.today(&store);
        let mut stmt = ctx.tx.prepare(&format!(
            "{VIEW_SQL} WHERE b.store_id = ?1 AND (?2 IS NULL OR b.product_id = ?2) AND (b.on_hand_milli > 0 OR ?3)
              ORDER BY b.expiry_date, b.rowid"
        ))?;
        let rows = stmt.query_map(
            params![
                store.id,
                self.product_id,
                self.include_empty.unwrap_or(false)
            ],
            |r| read_view(r, today),
        )?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// `get_batch`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetBatch {
    /// Batch.
    pub batch_id: BatchId,
}

impl Operation for GetBatch {
    const NAME: &'static str = "get_batch";
    const SUMMARY: &'static str = "One batch with its quantities, status and expiry band";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = BatchView;

    fn run(self, ctx: &Ctx<'_>) -> Result<BatchView> {
        let b = super::BatchRow::load(ctx.tx, self.batch_id)?;
        let store = ctx.store(Some(b.store_id))?;
        get_batch_view(ctx.tx, self.batch_id, ctx.today(&store))
    }
}

/// `available` (sellable now), `on_hand` (everything), `reserved`, `expired` (past date
/// or marked expired) and `unavailable` (quarantined, recalled, damaged), over the
/// batches that hold stock; `batches` counts them. A deleted product is `not_found`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetProductStock {
    /// Product.
    pub product_id: ProductId,
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

/// A product's stock in a store.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ProductStock {
    /// Product.
    pub product_id: ProductId,
    /// Store.
    pub store_id: StoreId,
    /// Sellable now: available, in-date batches, minus reservations.
    pub available: Qty,
    /// Everything on hand.
    pub on_hand: Qty,
    /// Held by reservations.
    pub reserved: Qty,
    /// On hand but past expiry or marked expired.
    pub expired: Qty,
    /// On hand but quarantined, recalled or damaged.
    pub unavailable: Qty,
    /// Batches holding stock.
    #[ts(type = "number")]
    pub batches: i64,
}

impl Operation for GetProductStock {
    const NAME: &'static str = "get_product_stock";
    const SUMMARY: &'static str = "A product's available (sellable) quantity in a store, with on-hand, reserved, expired and blocked";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = ProductStock;

    fn run(self, ctx: &Ctx<'_>) -> Result<ProductStock> {
        let store = ctx.store(self.store_id)?;
        let today = ctx.today(&store).to_string();
        ProductRules::load(ctx.tx, self.product_id)?;
        let row: (i64, i64, i64, i64, i64, i64) = ctx.tx.query_row(
            "SELECT
                COALESCE(SUM(CASE WHEN status = 'available' AND expiry_date >= ?3 THEN on_hand_milli - reserved_milli ELSE 0 END), 0),
                COALESCE(SUM(on_hand_milli), 0),
                COALESCE(SUM(reserved_milli), 0),
                COALESCE(SUM(CASE WHEN status = 'expired' OR (status = 'available' AND expiry_date < ?3) THEN on_hand_milli ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN status IN ('quarantine', 'recalled', 'damaged') THEN on_hand_milli ELSE 0 END), 0),
                COUNT(*)
               FROM batches WHERE product_id = ?1 AND store_id = ?2 AND on_hand_milli > 0",
            params![self.product_id, store.id, today],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )?;
        Ok(ProductStock {
            product_id: self.product_id,
            store_id: store.id,
            available: Qty::from_scaled(row.0),
            on_hand: Qty::from_scaled(row.1),
            reserved: Qty::from_scaled(row.2),
            expired: Qty::from_scaled(row.3),
            unavailable: Qty::from_scaled(row.4),
            batches: row.5,
        })
    }
}
