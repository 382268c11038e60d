//! `get_dashboard`: a manager's home — today's takings and margin, the last
//! 30 days, stock and expiring value, low stock and pending approvals — for
//! one store, every day counted in the store's time zone.
//!
//! Each figure is one indexed query: sales by (store, time) with their
//! lines' stored costs, the V10 running totals (`batch_totals` per status
//! and expiry date, `stock_levels` per product, whose low-stock index holds
//! only the products at or below their reorder point) for stock, and the
//! pending adjustments by (store, status). Nothing is cached between calls, so the
//! dashboard always agrees with the lists it links to.
//!
//! Permission `view_audit`: of the permissions only managers hold in a
//! store (with admins), it is the one that reads. `manage_stock` would tie a
//! read-only view to the right to write stock off; `view_audit` also lets
//! head office read every store's dashboard, as it reads their records.

use crate::auth::Permission;
use crate::ids::StoreId;
use crate::num::Money;
use crate::op::{Ctx, Operation};
use crate::Result;
use chrono::Duration;
use rusqlite::named_params;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Days in the sales history, today included.
pub const HISTORY_DAYS: i64 = 30;
/// The expiry horizons, in days from today.
pub const EXPIRY_HORIZONS: [i64; 3] = [30, 60, 90];

/// The store's dashboard (default: the user's store). Every day is a local day in the
/// store's time zone. Sales figures count completed sales (a voided sale counts nowhere);
/// `margin` = (total − tax) − cost, cost being what the batches sold cost; returns are shown
/// apart (`returns_today`) and not taken off the day's margin. `stock_value` is on hand ×
/// unit cost over sellable batches (status `available`, expiry today or later);
/// `expiring[n]` the same over those expiring from today to today + `within_days`;
/// `expired_value` over batches still `available` whose date has passed (not yet marked
/// expired). `low_stock` counts active products whose stock in `available` batches is at or
/// below their reorder point (or minimum level when no reorder point is set).
/// `pending_adjustments` counts adjustments, write-offs and returns waiting for a manager;
/// `pending_approvals` counts everything in the store's approvals queue (`list_approvals`
/// with this store), from the same query.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetDashboard {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

/// Sales of one local day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DaySales {
    /// The local date (`YYYY-MM-DD`).
    pub date: String,
    /// Completed sales.
    #[ts(type = "number")]
    pub sales_count: i64,
    /// What customers paid, tax included.
    pub total: Money,
    /// Tax in it.
    pub tax: Money,
    /// What the stock sold cost.
    pub cost: Money,
    /// (total − tax) − cost.
    pub margin: Money,
}

/// Stock expiring within a horizon.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ExpiringValue {
    /// Days from today.
    #[ts(type = "number")]
    pub within_days: i64,
    /// The last expiry date counted (today + `within_days`).
    pub until: String,
    /// Batches holding that stock.
    #[ts(type = "number")]
    pub batches: i64,
    /// Their value at cost.
    pub value: Money,
}

/// A manager's home.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Dashboard {
    /// Store.
    pub store_id: StoreId,
    /// The store's local date now.
    pub date: String,
    /// Its currency.
    pub currency: String,
    /// Its locale.
    pub locale: String,
    /// Its time zone.
    pub timezone: String,
    /// Today.
    pub today: DaySales,
    /// Refunds given today.
    pub returns_today: Money,
    /// Returns taken today.
    #[ts(type = "number")]
    pub returns_today_count: i64,
    /// The last 30 local days, oldest first, today last (days without sales are zero).
    pub last_30_days: Vec<DaySales>,
    /// Sellable stock at cost.
    pub stock_value: Money,
    /// Batches holding sellable stock.
    #[ts(type = "number")]
    pub stock_batches: i64,
    /// Within 30, 60 and 90 days.
    pub expiring: Vec<ExpiringValue>,
    /// Stock past its date but not yet marked expired, at cost.
    pub expired_value: Money,
    /// Active products at or below their reorder point.
    #[ts(type = "number")]
    pub low_stock: i64,
    /// Adjustments waiting for approval.
    #[ts(type = "number")]
    pub pending_adjustments: i64,
    /// Requests of every kind in the store's approvals queue.
    pub pending_approvals: u32,
}

/// value_e7 (on hand thousandths × cost ten-thousandths) as money,
/// half-even to the money scale.
fn value(e7: i64) -> Money {
    Money(
        Decimal::new(e7, 7)
            .round_dp(crate::num::MONEY_SCALE)
            .normalize(),
    )
}

impl Operation for GetDashboard {
    const NAME: &'static str = "get_dashboard";
    const SUMMARY: &'static str =
        "A manager's home: today's sales and margin, 30 days of sales, stock and expiring value, low stock, pending approvals";
    const PERMISSION: Permission = Permission::ViewAudit;
    const WRITES: bool = false;
    type Output = Dashboard;

    fn run(self, ctx: &Ctx<'_>) -> Result<Dashboard> {
        let info = ctx.store(self.store_id)?;
        let store = crate::catalogue::stores::get_store(ctx.tx, info.id)?;
        let today = ctx.today(&info);
        let sid = info.id.to_string();

        // Day boundaries in UTC, computed in Rust with the time zone's rules
        // (a DST day is 23 or 25 hours), then summed per day by SQL.
        let first = today - Duration::days(HISTORY_DAYS - 1);
        let days: Vec<[String; 3]> = (0..HISTORY_DAYS)
            .map(|i| {
                let d = first + Duration::days(i);
                [
                    d.to_string(),
                    crate::clock::day_start_utc(&info.tz, d),
                    crate::clock::day_start_utc(&info.tz, d + Duration::days(1)),
                ]
            })
            .collect();
        let days_json = serde_json::to_string(&days)
            .map_err(|e| crate::Error::internal(format!("encoding days: {e}")))?;
        let mut stmt = ctx.tx.prepare_cached(
            "WITH days AS (SELECT value ->> 0 AS day, value ->> 1 AS start, value ->> 2 AS stop FROM json_each(:days))
             SELECT d.day, COUNT(s.id), COALESCE(SUM(s.total_e4), 0), COALESCE(SUM(s.tax_e4), 0),
                    COALESCE(SUM((SELECT SUM(l.cost_e4) FROM sale_lines l WHERE l.sale_id = s.id)), 0)
               FROM days d
               LEFT JOIN sales s ON s.store_id = :store AND s.created_at >= d.start AND s.created_at < d.stop
                                AND s.status = 'completed'
              GROUP BY d.day ORDER BY d.day",
        )?;
        let history = stmt
            .query_map(named_params! {":days": days_json, ":store": sid}, |r| {
                let (total, tax, cost): (i64, i64, i64) = (r.get(2)?, r.get(3)?, r.get(4)?);
                Ok(DaySales {
                    date: r.get(0)?,
                    sales_count: r.get(1)?,
                    total: Money::from_scaled(total),
                    tax: Money::from_scaled(tax),
                    cost: Money::from_scaled(cost),
                    margin: Money::from_scaled(total - tax - cost),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let today_sales = history
            .last()
            .cloned()
            .ok_or_else(|| crate::Error::internal("no day in the sales history"))?;

        let [_, today_start, today_stop] = &days[days.len() - 1];
        let (returns_today, returns_today_count): (i64, i64) = ctx
            .tx
            .prepare_cached(
                "SELECT COALESCE(SUM(refund_e4), 0), COUNT(*) FROM sale_returns
                  WHERE store_id = :store AND created_at >= :start AND created_at < :stop",
            )?
            .query_row(
                named_params! {":store": sid, ":start": today_start, ":stop": today_stop},
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;

        // Sellable and expiring stock: sums over the running totals of
        // available batches by expiry date.
        let mut avail = ctx.tx.prepare_cached(
            "SELECT COALESCE(SUM(stocked), 0), COALESCE(SUM(value_e7), 0) FROM batch_totals
              WHERE store_id = :store AND status = 'available' AND expiry_date >= :from AND expiry_date <= :until",
        )?;
        let today_s = today.to_string();
        let (stock_batches, stock_e7): (i64, i64) = avail.query_row(
            named_params! {":store": sid, ":from": today_s, ":until": crate::stock::NO_EXPIRY},
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut expiring = Vec::new();
        for within in EXPIRY_HORIZONS {
            let until = (today + Duration::days(within)).to_string();
            let (batches, e7): (i64, i64) = avail.query_row(
                named_params! {":store": sid, ":from": today_s, ":until": until},
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            expiring.push(ExpiringValue {
                within_days: within,
                until,
                batches,
                value: value(e7),
            });
        }
        let expired_e7: i64 = ctx
            .tx
            .prepare_cached(
                "SELECT COALESCE(SUM(value_e7), 0) FROM batch_totals
                  WHERE store_id = :store AND status = 'available' AND expiry_date < :today",
            )?
            .query_row(named_params! {":store": sid, ":today": today_s}, |r| {
                r.get(0)
            })?;

        // The partial index holds exactly the store's low products.
        let low_stock: i64 = ctx
            .tx
            .prepare_cached(
                "SELECT COUNT(*) FROM stock_levels INDEXED BY ix_stock_levels_low
                  WHERE store_id = :store AND reorder_milli IS NOT NULL AND available_milli <= reorder_milli",
            )?
            .query_row(named_params! {":store": sid}, |r| r.get(0))?;
        let pending_adjustments: i64 = ctx
            .tx
            .prepare_cached(
                "SELECT COUNT(*) FROM stock_adjustments WHERE store_id = :store AND status = 'pending'",
            )?
            .query_row(named_params! {":store": sid}, |r| r.get(0))?;
        let pending_approvals =
            u32::try_from(crate::control::approvals::pending_in_store(ctx, info.id)?.len())
                .unwrap_or(u32::MAX);

        Ok(Dashboard {
            store_id: info.id,
            date: today_s,
            currency: store.currency,
            locale: store.locale,
            timezone: store.timezone,
            today: today_sales,
            returns_today: Money::from_scaled(returns_today),
            returns_today_count,
            last_30_days: history,
            stock_value: value(stock_e7),
            stock_batches,
            expiring,
            expired_value: value(expired_e7),
            low_stock,
            pending_adjustments,
            pending_approvals,
        })
    }
}
