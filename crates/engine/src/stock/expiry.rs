//! Expiry: lists of expiring and expired batches, and marking batches
//! expired. A batch is sellable up to and including its expiry date (the
//! store's local date). `get_expiring_batches` lists in-date batches whose
//! expiry is on or before today + N; `expire_batches_within_days` marks
//! expired the batches whose expiry is before today + N, so N = 0 takes only
//! what is already past expiry. Marking a batch expired keeps its quantity
//! (the packs are still on the shelf until written off) but it is never sold
//! again.

use super::{read_view, BatchView, VIEW_SQL};
use crate::audit::{self, ChangeType, NewEvent};
use crate::auth::Permission;
use crate::ids::{BatchId, StoreId};
use crate::num::Money;
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use chrono::Duration;
use rusqlite::params;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

fn horizon(days: Option<i64>, default: i64) -> Result<i64> {
    let d = days.unwrap_or(default);
    if !(0..=3650).contains(&d) {
        return Err(Error::invalid("days", "days must be between 0 and 3650"));
    }
    Ok(d)
}

/// Marks every `available` batch with stock whose expiry date is before the store's
/// today + `days` (0–3650; 0 takes only batches already past their expiry, since a batch is
/// sellable on its expiry date) as `expired`, releasing its holds. The stock stays on
/// hand (write it off with `writeoff_batch`) but is never sold again. One `expired` audit
/// event per batch. With `dry_run: true` it only answers which batches it would mark and
/// their value at cost, changing nothing (no event, no status, no hold released): the
/// preview a confirmation shows. `limit` takes at most that many (1–500), earliest expiry
/// first: the desktop's daily expiry run works through a large backlog in short steps so a
/// till waiting for the database never waits long.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ExpireBatchesWithinDays {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Expire batches whose expiry date is before today + days (0: only those
    /// already past expiry; a batch is still sellable on its expiry date).
    #[ts(type = "number")]
    pub days: i64,
    /// Only say what would be marked; change nothing (default false).
    #[ts(optional)]
    pub dry_run: Option<bool>,
    /// At most this many batches, earliest expiry first (1–500; default: all).
    #[ts(optional)]
    pub limit: Option<u32>,
}

/// What was expired (or, on a dry run, would be).
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ExpireResult {
    /// True when nothing was changed (`dry_run`).
    pub dry_run: bool,
    /// Number of batches marked expired (or that would be).
    #[ts(type = "number")]
    pub count: i64,
    /// Those batches.
    pub batch_ids: Vec<BatchId>,
    /// Those batches as they stood before marking (status `available`), expiry first.
    pub batches: Vec<BatchView>,
    /// Their stock's value at cost (on hand × cost price, half-even to the money scale).
    pub value: Money,
}

impl Operation for ExpireBatchesWithinDays {
    const NAME: &'static str = "expire_batches_within_days";
    const SUMMARY: &'static str =
        "Mark every available batch expiring within N days as expired (never sold again); dry_run previews";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    const NAMES_ACTING_USER: bool = true;
    type Output = ExpireResult;

    fn run(self, ctx: &Ctx<'_>) -> Result<ExpireResult> {
        let store = ctx.store(self.store_id)?;
        let today = ctx.today(&store);
        let cutoff = (today + Duration::days(horizon(Some(self.days), 0)?)).to_string();
        let dry_run = self.dry_run.unwrap_or(false);
        // The lists' check of a limit; without one, -1 (SQLite's "no limit").
        let limit = match self.limit {
            None => -1,
            Some(n) => crate::page::limit_offset(Some(n), None, n)?.0,
        };
        let mut stmt = ctx.tx.prepare(&format!(
            "{VIEW_SQL} WHERE b.store_id = ?1 AND b.status <> 'depleted' AND b.status = 'available' AND b.on_hand_milli > 0
                AND b.expiry_date < ?2 ORDER BY b.expiry_date, b.rowid LIMIT ?3"
        ))?;
        let batches = stmt
            .query_map(params![store.id, cutoff, limit], |r| read_view(r, today))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let value = batches
            .iter()
            .fold(Decimal::ZERO, |sum, b| sum + b.quantity.0 * b.cost_price.0);
        let value = Money(value.round_dp(crate::num::MONEY_SCALE).normalize());
        let ids: Vec<BatchId> = batches.iter().map(|b| b.batch_id).collect();
        if !dry_run {
            for b in &batches {
                let on_hand = b.quantity.to_scaled("quantity")?;
                if b.reserved.is_positive() {
                    super::reservations::expire_holds_on_batch(ctx, b.batch_id)?;
                }
                ctx.tx.execute(
                    "UPDATE batches SET status = 'expired', status_reason = ?2, updated_at = ?3 WHERE id = ?1",
                    params![b.batch_id, format!("expiring before {cutoff}"), ctx.now_str()],
                )?;
                audit::append(
                    ctx,
                    NewEvent {
                        store_id: store.id,
                        batch_id: Some(b.batch_id),
                        product_id: Some(b.product_id),
                        change_type: ChangeType::Expired,
                        previous_milli: Some(on_hand),
                        new_milli: Some(on_hand),
                        reference_id: None,
                        notes: Some(&format!(
                            "expired by {} (expiry before {cutoff})",
                            ctx.actor.name
                        )),
                    },
                )?;
            }
        }
        Ok(ExpireResult {
            dry_run,
            count: ids.len() as i64,
            batch_ids: ids,
            batches,
            value,
        })
    }
}

/// One step of what a front end's daily expiry run does: marks expired, as the session's
/// user, up to `step` batches already past their expiry date
/// (`expire_batches_within_days` with `days: 0` and `limit: step`). Returns how many it
/// marked; the run repeats while a step comes back full. When the user, as the database
/// holds them now, may not (a cashier, someone deactivated), it does nothing and returns
/// 0: a timer has nobody to show a refusal to, the till already refuses those batches by
/// their date, and the next manager's session catches up.
pub fn expire_lapsed_step(
    db: &mut crate::Db,
    session: &crate::Session,
    step: u32,
) -> Result<usize> {
    if !crate::auth::may(db, session, ExpireBatchesWithinDays::PERMISSION)? {
        return Ok(0);
    }
    let done = db.execute(
        session,
        ExpireBatchesWithinDays {
            store_id: None,
            days: 0,
            dry_run: None,
            limit: Some(step),
        },
    )?;
    Ok(done.batch_ids.len())
}

/// Available batches with stock whose expiry date is between the store's today and
/// today + `days` (0–3650, default 30), nearest first. Each batch carries `days_to_expiry` and
/// an `expiry_band`: `expired`, `within7_days`, `within30_days`, `within90_days`, `ok` or
/// `no_expiry`.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetExpiringBatches {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Horizon in days (default 30).
    #[ts(optional, type = "number")]
    pub days: Option<i64>,
}

impl Operation for GetExpiringBatches {
    const NAME: &'static str = "get_expiring_batches";
    const SUMMARY: &'static str =
        "Batches with stock that are still in date but expire within N days (default 30)";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Vec<BatchView>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<BatchView>> {
        let store = ctx.store(self.store_id)?;
        let today = ctx.today(&store);
        let cutoff = (today + Duration::days(horizon(self.days, 30)?)).to_string();
        let mut stmt = ctx.tx.prepare(&format!(
            "{VIEW_SQL} WHERE b.store_id = ?1 AND b.status <> 'depleted' AND b.on_hand_milli > 0 AND b.status = 'available'
                AND b.expiry_date >= ?2 AND b.expiry_date <= ?3 ORDER BY b.expiry_date, b.rowid"
        ))?;
        let rows = stmt.query_map(params![store.id, today.to_string(), cutoff], |r| {
            read_view(r, today)
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// Batches with stock that are past their expiry date on the store's today, or marked
/// `expired`.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetExpiredBatches {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

impl Operation for GetExpiredBatches {
    const NAME: &'static str = "get_expired_batches";
    const SUMMARY: &'static str = "Batches past expiry (or marked expired) that still hold stock";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Vec<BatchView>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<BatchView>> {
        let store = ctx.store(self.store_id)?;
        let today = ctx.today(&store);
        let mut stmt = ctx.tx.prepare(&format!(
            "{VIEW_SQL} WHERE b.store_id = ?1 AND b.status <> 'depleted' AND b.on_hand_milli > 0 AND (b.expiry_date < ?2 OR b.status = 'expired')
              ORDER BY b.expiry_date, b.rowid"
        ))?;
        let rows = stmt.query_map(params![store.id, today.to_string()], |r| {
            read_view(r, today)
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
