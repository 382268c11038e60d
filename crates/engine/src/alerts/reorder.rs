//! Reorder recommendations: what to order, from each product's thresholds
//! and its recent usage in the store.
//!
//! For a product in a store (all quantities in the product's unit):
//! - usage `U` = (sold + used on patients − returned − put back by voids) over the last
//!   `W` days (the store's `reorder_usage_days`, default 30), read from the ledger
//!   (`allocated`, `confirm_reserve`, `treatment_use` minus `return`, `void`; waste, write-offs,
//!   expiry and transfers never count), divided by `W`: the average daily usage;
//! - lead-time demand `D` = `U` × the product's lead time in days (0 when not set);
//! - trigger level `T` = the larger of the reorder point (else the minimum level, else 0)
//!   and `D`;
//! - a product is recommended when its available stock is at or below `T` and `T` is more
//!   than 0;
//! - it is ordered up to its maximum level when it has one, else up to `2 × T`;
//!   recommended quantity = that level − available, rounded up to a whole unit for products
//!   sold in whole units (none when that is 0 or less).
//!
//! Reading the ledger: events are in time order within a store's chain, so
//! the window's first event is found by bisecting the chain by sequence
//! (about 20 lookups) and only the window's events are read. No index is
//! added to the ledger: a sale would pay for it.

use crate::auth::Permission;
use crate::catalogue::stores::StoreInfo;
use crate::ids::{ProductId, StoreId};
use crate::num::Qty;
use crate::op::{Ctx, Operation};
use crate::page::limit_offset;
use crate::Result;
use chrono::Duration;
use rusqlite::{params, OptionalExtension};
use rust_decimal::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// One product to reorder.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ReorderRecommendation {
    /// Product.
    pub product_id: ProductId,
    /// SKU.
    pub sku: String,
    /// Name.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// Available now (sellable batches).
    pub available: Qty,
    /// Reorder point, if set.
    pub reorder_point: Option<Qty>,
    /// Maximum level, if set.
    pub max_level: Option<Qty>,
    /// Lead time in days, if set.
    pub lead_time_days: Option<i64>,
    /// Used over the window (net of returns and voids).
    pub usage: Qty,
    /// Window length in days.
    pub usage_window_days: i64,
    /// Average daily usage (3 decimal places).
    #[ts(type = "string")]
    pub average_daily_usage: Decimal,
    /// Days the available stock lasts at that usage (none without usage).
    #[ts(type = "string | null")]
    pub days_of_stock: Option<Decimal>,
    /// Available at or below this triggers the recommendation.
    pub trigger_level: Qty,
    /// Ordered up to this.
    pub target_level: Qty,
    /// What to order.
    pub recommended_quantity: Qty,
}

/// The store's usage window (days).
pub(crate) fn usage_days(ctx: &Ctx<'_>, store: StoreId) -> Result<i64> {
    Ok(ctx
        .tx
        .prepare_cached("SELECT reorder_usage_days FROM store_settings WHERE store_id = ?1")?
        .query_row([store], |r| r.get(0))
        .optional()?
        .unwrap_or(30))
}

/// The first sequence of the store's chain written at or after `since`.
fn first_seq_since(ctx: &Ctx<'_>, store: StoreId, since: &str) -> Result<Option<i64>> {
    let (lo, hi): (Option<i64>, Option<i64>) = ctx.tx.query_row(
        "SELECT MIN(seq), MAX(seq) FROM inventory_audit WHERE store_id = ?1",
        [store],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (Some(mut lo), Some(mut hi)) = (lo, hi) else {
        return Ok(None);
    };
    let mut at = ctx.tx.prepare_cached(
        "SELECT created_at FROM inventory_audit WHERE store_id = ?1 AND seq = ?2",
    )?;
    let mut created = |seq: i64| -> Result<String> {
        Ok(at
            .query_row(params![store, seq], |r| r.get::<_, String>(0))
            .optional()?
            .unwrap_or_default())
    };
    if created(hi)?.as_str() < since {
        return Ok(None);
    }
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if created(mid)?.as_str() < since {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    Ok(Some(lo))
}

/// Net usage per product (thousandths) over the window.
fn usage_by_product(ctx: &Ctx<'_>, store: StoreId, days: i64) -> Result<HashMap<ProductId, i64>> {
    let since =
        (ctx.now - Duration::days(days)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut out = HashMap::new();
    let Some(first) = first_seq_since(ctx, store, &since)? else {
        return Ok(out);
    };
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT product_id,
                SUM(CASE WHEN change_type IN ('allocated', 'confirm_reserve', 'treatment_use')
                         THEN previous_milli - new_milli
                         ELSE -(new_milli - previous_milli) END)
           FROM inventory_audit
          WHERE store_id = ?1 AND seq >= ?2 AND created_at >= ?3 AND product_id IS NOT NULL
            AND change_type IN ('allocated', 'confirm_reserve', 'treatment_use', 'return', 'void')
          GROUP BY product_id",
    )?;
    let rows = stmt.query_map(params![store, first, since], |r| {
        Ok((r.get::<_, ProductId>(0)?, r.get::<_, Option<i64>>(1)?))
    })?;
    for row in rows {
        let (p, used) = row?;
        out.insert(p, used.unwrap_or(0).max(0));
    }
    Ok(out)
}

/// Every product of the store that should be reordered now, most urgent
/// (fewest days of stock, then lowest available) first.
pub(crate) fn recommendations(
    ctx: &Ctx<'_>,
    store: &StoreInfo,
) -> Result<Vec<ReorderRecommendation>> {
    let days = usage_days(ctx, store.id)?;
    let usage = usage_by_product(ctx, store.id, days)?;
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT p.id, p.sku, p.name, p.unit, p.allow_fractional, COALESCE(sl.available_milli, 0),
                p.reorder_point_milli, p.min_level_milli, p.max_level_milli, p.lead_time_days
           FROM products p
           LEFT JOIN stock_levels sl ON sl.product_id = p.id AND sl.store_id = ?1
          WHERE p.deleted_at IS NULL AND p.status = 'active' AND p.id = ?2",
    )?;
    let mut candidates: Vec<ProductId> = usage.keys().copied().collect();
    let mut with_levels = ctx.tx.prepare_cached(
        "SELECT product_id FROM stock_levels WHERE store_id = ?1 AND reorder_milli IS NOT NULL",
    )?;
    for p in with_levels.query_map([store.id], |r| r.get::<_, ProductId>(0))? {
        let p = p?;
        if !usage.contains_key(&p) {
            candidates.push(p);
        }
    }
    let mut out = Vec::new();
    let wdays = Decimal::from(days);
    for p in candidates {
        let Some(row) = stmt
            .query_row(params![store.id, p], |r| {
                Ok((
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, bool>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, Option<i64>>(6)?,
                    r.get::<_, Option<i64>>(7)?,
                    r.get::<_, Option<i64>>(8)?,
                    r.get::<_, Option<i64>>(9)?,
                ))
            })
            .optional()?
        else {
            continue;
        };
        let (sku, name, unit, fractional, available, reorder, min, max, lead) = row;
        let used = usage.get(&p).copied().unwrap_or(0);
        let u = Decimal::new(used, 3) / wdays; // units per day
        let lead_demand = u * Decimal::from(lead.unwrap_or(0).max(0));
        let level = Decimal::new(reorder.or(min).unwrap_or(0), 3);
        let trigger = level.max(lead_demand);
        let avail = Decimal::new(available, 3);
        if trigger <= Decimal::ZERO || avail > trigger {
            continue;
        }
        let target = match max {
            Some(m) => Decimal::new(m, 3),
            None => trigger * Decimal::TWO,
        };
        let mut qty = target - avail;
        qty = if fractional {
            qty.round_dp_with_strategy(3, RoundingStrategy::AwayFromZero)
        } else {
            qty.ceil()
        };
        if qty <= Decimal::ZERO {
            continue;
        }
        let scaled = |d: Decimal| -> Qty {
            Qty::from_scaled(
                (d.round_dp_with_strategy(3, RoundingStrategy::AwayFromZero) * Decimal::from(1000))
                    .to_i64()
                    .unwrap_or(i64::MAX),
            )
        };
        out.push(ReorderRecommendation {
            product_id: p,
            sku,
            name,
            unit,
            available: Qty::from_scaled(available),
            reorder_point: reorder.map(Qty::from_scaled),
            max_level: max.map(Qty::from_scaled),
            lead_time_days: lead,
            usage: Qty::from_scaled(used),
            usage_window_days: days,
            average_daily_usage: u.round_dp(3).normalize(),
            days_of_stock: (!u.is_zero()).then(|| (avail / u).round_dp(1).normalize()),
            trigger_level: scaled(trigger),
            target_level: scaled(target),
            recommended_quantity: scaled(qty),
        });
    }
    out.sort_by(|a, b| {
        let key = |r: &ReorderRecommendation| r.days_of_stock.unwrap_or(Decimal::MAX);
        key(a)
            .cmp(&key(b))
            .then(a.available.0.cmp(&b.available.0))
            .then(a.name.cmp(&b.name))
            .then(a.product_id.cmp(&b.product_id))
    });
    Ok(out)
}

/// Lists what to order in a store, most urgent first (fewest days of stock).
///
/// For each product: average daily usage over the store's window (`reorder_usage_days`,
/// default 30: sales and treatment use net of returns and voids; waste never counts),
/// lead-time demand = usage × lead time, trigger level = the larger of the reorder point
/// (else minimum level) and the lead-time demand; at or below it, order up to the maximum
/// level (else twice the trigger level), rounded up to whole units unless the product
/// allows fractions. Paged by `limit` (1–500, default 100) and `offset`.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListReorderRecommendations {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Page size (1–500, default 100).
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[ts(optional)]
    pub offset: Option<u32>,
}

/// A page of recommendations.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ReorderPage {
    /// The page, most urgent first.
    pub rows: Vec<ReorderRecommendation>,
    /// Recommendations, all pages together.
    #[ts(type = "number")]
    pub total: i64,
}

impl Operation for ListReorderRecommendations {
    const NAME: &'static str = "list_reorder_recommendations";
    const SUMMARY: &'static str =
        "List what to order in a store: usage, lead time and levels give each quantity";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = ReorderPage;

    fn run(self, ctx: &Ctx<'_>) -> Result<ReorderPage> {
        let store = ctx.store(self.store_id)?;
        let (limit, offset) = limit_offset(self.limit, self.offset, 100)?;
        let all = recommendations(ctx, &store)?;
        let total = all.len() as i64;
        let rows = all
            .into_iter()
            .skip(offset as usize)
            .take(limit as usize)
            .collect();
        Ok(ReorderPage { rows, total })
    }
}
