//! The stock freeze date: a manager closes a store's stock books up to a day
//! (after a count, at a period end); nothing may then be dated before it.
//!
//! The date lives on the store row (`stores.stock_freeze_date`). The rule is
//! enforced in two places only: the stock writer (`stock::move_stock` asks
//! `Ctx::check_not_frozen` with the store's local today, so no movement
//! of any kind is dated inside the closed period, whatever the clock says),
//! and [`Ctx::check_date_not_frozen`] for an operation that takes a
//! user-supplied date for stock (a count's or a transfer's date). Today's
//! stock operations take no such date: receipts, sales, adjustments are
//! dated by the clock.

use crate::auth::{Permission, Role};
use crate::catalogue::required_text;
use crate::catalogue::stores::{get_store, Store};
use crate::ids::StoreId;
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::params;
use serde::Deserialize;
use ts_rs::TS;

/// Sets or clears the store's stock freeze date: no stock movement may be dated before it
/// (`stock_frozen`, with the store, the freeze date and the refused date).
///
/// - `freeze_date` `YYYY-MM-DD`, or `null` to clear; it cannot be after the store's local
///   today (`invalid_input`: a freeze closes the past, it does not stop today's trade).
/// - Moving it later (or setting the first one) is for managers and admins of the store.
///   Moving it earlier or clearing it reopens a closed period, so it is for the store's
///   admins only (`forbidden` for a manager). The same date again is `invalid_input`.
/// - `reason` is required. Recorded as a `store_updated` event (the date before → after,
///   with the reason).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SetStockFreezeDate {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// The freeze date, or null to clear it.
    #[ts(type = "string | null")]
    pub freeze_date: Option<NaiveDate>,
    /// Why (the count, the period closed…).
    pub reason: String,
}

impl Operation for SetStockFreezeDate {
    const NAME: &'static str = "set_stock_freeze_date";
    const SUMMARY: &'static str =
        "Set or clear the store's stock freeze date: no stock movement may be dated before it";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = Store;

    fn run(self, ctx: &Ctx<'_>) -> Result<Store> {
        let info = ctx.store(self.store_id)?;
        let reason = required_text("reason", &self.reason, 500)?;
        let today = ctx.today(&info);
        if let Some(d) = self.freeze_date {
            if d > today {
                return Err(Error::invalid(
                    "freeze_date",
                    format!(
                        "the freeze date {d} is after today ({today}): a freeze closes the past"
                    ),
                ));
            }
        }
        let current = info.stock_freeze_date;
        if current == self.freeze_date {
            return Err(Error::invalid(
                "freeze_date",
                "the stock freeze date is already that",
            ));
        }
        let reopens = match (current, self.freeze_date) {
            (Some(cur), Some(new)) => new < cur,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if reopens && ctx.role_in(info.id) != Some(Role::Admin) {
            return Err(Error::Forbidden {
                user: ctx.actor.name.clone(),
                role: ctx
                    .role_in(info.id)
                    .unwrap_or(ctx.actor.role)
                    .as_str()
                    .into(),
                permission: "move the stock freeze date earlier or clear it (admins)".into(),
            });
        }
        let before = get_store(ctx.tx, info.id)?;
        ctx.tx.execute(
            "UPDATE stores SET stock_freeze_date = ?2, updated_at = ?3 WHERE id = ?1",
            params![
                info.id,
                self.freeze_date.map(|d| d.to_string()),
                ctx.now_str()
            ],
        )?;
        let after = get_store(ctx.tx, info.id)?;
        let payload = crate::audit::Payload::about("store", info.id, &after.name)
            .with_changes(crate::audit::diff(&before, &after)?)
            .with_data(serde_json::json!({ "reason": reason }))?;
        crate::audit::record(
            ctx,
            info.id,
            crate::audit::ChangeType::StoreUpdated,
            &payload,
        )?;
        Ok(after)
    }
}
