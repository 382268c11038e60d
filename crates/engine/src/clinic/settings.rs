//! The clinic's settings: its window for opened vials of a product (the
//! clinic-policy clock) and when an open vial nobody draws from raises a
//! reminder.

use super::ClinicProduct;
use crate::audit::{self, ChangeType, Payload};
use crate::auth::Permission;
use crate::catalogue::required_text;
use crate::ids::{ProductId, StoreId, UserId};
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Longest clinic window for an opened vial: six weeks, the longest use
/// studied (CLINIC-NOTES: a multicentre study used vials up to 6 weeks).
pub const MAX_POLICY_HOURS: u32 = 6 * 7 * 24;

/// A clinic's window for opened vials of one product.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct VialPolicy {
    /// Store.
    pub store_id: StoreId,
    /// Product.
    pub product_id: ProductId,
    /// Product name.
    pub product_name: String,
    /// Hours an opened vial may be used for, from reconstitution (or opening).
    pub window_hours: u32,
    /// The label's beyond-use hours, for comparison.
    pub label_hours: Option<u32>,
    /// Why (the consensus or protocol it follows).
    pub reason: String,
    /// Who set it.
    pub set_by: UserId,
    /// Their name.
    pub set_by_name: String,
    /// When.
    pub set_at: String,
}

/// Sets (or, with no `window_hours`, clears) the clinic's window for opened
/// vials of a product in a store. The window applies to vials opened after
/// it is set; each session keeps the clocks it was opened with.
///
/// - `window_hours` 1 to 1008 (six weeks); `reason` required (what protocol or
///   consensus it follows). Managers only (`manage_stock`).
/// - Writes a `vial_policy_set` event with who and why.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SetVialPolicy {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Product.
    pub product_id: ProductId,
    /// The window in hours; absent clears the policy.
    #[ts(optional)]
    pub window_hours: Option<u32>,
    /// Why.
    pub reason: String,
}

impl Operation for SetVialPolicy {
    const NAME: &'static str = "set_vial_policy";
    const SUMMARY: &'static str =
        "Set or clear the clinic's window for opened vials of a product (longer than the label's)";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = Option<VialPolicy>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Option<VialPolicy>> {
        let store = ctx.store(self.store_id)?;
        let product = ClinicProduct::load(ctx, self.product_id)?;
        let reason = required_text("reason", &self.reason, 500)?;
        let before = load_policy(ctx, store.id, product.id)?;
        match self.window_hours {
            Some(h) => {
                if h == 0 || h > MAX_POLICY_HOURS {
                    return Err(Error::invalid(
                        "window_hours",
                        format!("window_hours must be between 1 and {MAX_POLICY_HOURS} (six weeks), got {h}"),
                    ));
                }
                ctx.tx.execute(
                    "INSERT INTO clinic_vial_policies (store_id, product_id, window_hours, reason, set_by, set_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (store_id, product_id) DO UPDATE SET window_hours = ?3, reason = ?4, set_by = ?5, set_at = ?6",
                    params![store.id, product.id, h, reason, ctx.actor.id, ctx.now_str()],
                )?;
            }
            None => {
                if before.is_none() {
                    return Err(Error::invalid(
                        "window_hours",
                        format!("{} has no clinic window to clear", product.name),
                    ));
                }
                ctx.tx.execute(
                    "DELETE FROM clinic_vial_policies WHERE store_id = ?1 AND product_id = ?2",
                    params![store.id, product.id],
                )?;
            }
        }
        let after = load_policy(ctx, store.id, product.id)?;
        let payload =
            Payload::about("product", product.id, &product.name).with_data(serde_json::json!({
                "window_hours_before": before.as_ref().map(|p| p.window_hours),
                "window_hours": self.window_hours,
                "reason": reason,
            }))?;
        audit::record(ctx, store.id, ChangeType::VialPolicySet, &payload)?;
        Ok(after)
    }
}

/// The clinic windows set in a store.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListVialPolicies {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

impl Operation for ListVialPolicies {
    const NAME: &'static str = "list_vial_policies";
    const SUMMARY: &'static str = "The clinic's windows for opened vials, by product";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Vec<VialPolicy>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<VialPolicy>> {
        let store = ctx.store(self.store_id)?;
        let mut stmt = ctx.tx.prepare(
            "SELECT product_id FROM clinic_vial_policies p JOIN products pr ON pr.id = p.product_id
              WHERE p.store_id = ?1 ORDER BY pr.name COLLATE NOCASE",
        )?;
        let ids = stmt
            .query_map([store.id], |r| r.get::<_, ProductId>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(p) = load_policy(ctx, store.id, id)? {
                out.push(p);
            }
        }
        Ok(out)
    }
}

pub(crate) fn load_policy(
    ctx: &Ctx<'_>,
    store: StoreId,
    product: ProductId,
) -> Result<Option<VialPolicy>> {
    let row = ctx
        .tx
        .prepare_cached(
            "SELECT p.window_hours, p.reason, p.set_by, u.name, p.set_at, pr.name, pr.injectable
               FROM clinic_vial_policies p JOIN users u ON u.id = p.set_by JOIN products pr ON pr.id = p.product_id
              WHERE p.store_id = ?1 AND p.product_id = ?2",
        )?
        .query_row(params![store, product], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, UserId>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })
        .optional()?;
    Ok(row.map(
        |(window_hours, reason, set_by, set_by_name, set_at, product_name, inj)| {
            let label_hours = inj
                .and_then(|t| {
                    serde_json::from_str::<crate::catalogue::products::InjectableDetails>(&t).ok()
                })
                .and_then(|i| i.stability_hours);
            VialPolicy {
                store_id: store,
                product_id: product,
                product_name,
                window_hours,
                label_hours,
                reason,
                set_by,
                set_by_name,
                set_at,
            }
        },
    ))
}

/// A store's clinic settings.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ClinicSettings {
    /// Store.
    pub store_id: StoreId,
    /// A vial open this many hours…
    pub vial_reminder_age_hours: u32,
    /// …with no draw for this many hours raises a reminder.
    pub vial_reminder_idle_hours: u32,
}

/// Defaults for a store that never changed them: a vial open a day with no
/// draw for four hours.
pub const DEFAULT_REMINDER_AGE_HOURS: u32 = 24;
/// See [`DEFAULT_REMINDER_AGE_HOURS`].
pub const DEFAULT_REMINDER_IDLE_HOURS: u32 = 4;

pub(crate) fn load_settings(ctx: &Ctx<'_>, store: StoreId) -> Result<ClinicSettings> {
    let row: Option<(u32, u32)> = ctx
        .tx
        .prepare_cached(
            "SELECT vial_reminder_age_hours, vial_reminder_idle_hours FROM clinic_settings WHERE store_id = ?1",
        )?
        .query_row([store], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (age, idle) = row.unwrap_or((DEFAULT_REMINDER_AGE_HOURS, DEFAULT_REMINDER_IDLE_HOURS));
    Ok(ClinicSettings {
        store_id: store,
        vial_reminder_age_hours: age,
        vial_reminder_idle_hours: idle,
    })
}

/// A store's clinic settings (defaults: a reminder for a vial open 24 hours
/// with no draw for 4).
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetClinicSettings {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

impl Operation for GetClinicSettings {
    const NAME: &'static str = "get_clinic_settings";
    const SUMMARY: &'static str = "The clinic's settings (open-vial reminders)";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = ClinicSettings;

    fn run(self, ctx: &Ctx<'_>) -> Result<ClinicSettings> {
        let store = ctx.store(self.store_id)?;
        load_settings(ctx, store.id)
    }
}

/// Changes when an open vial raises a reminder: open at least
/// `vial_reminder_age_hours` (1–1008) with no draw for `vial_reminder_idle_hours`
/// (1–1008). Managers only. Writes a `clinic_settings_changed` event.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct UpdateClinicSettings {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Hours open before a reminder.
    #[ts(optional)]
    pub vial_reminder_age_hours: Option<u32>,
    /// Hours without a draw before a reminder.
    #[ts(optional)]
    pub vial_reminder_idle_hours: Option<u32>,
}

impl Operation for UpdateClinicSettings {
    const NAME: &'static str = "update_clinic_settings";
    const SUMMARY: &'static str = "Change the clinic's settings (open-vial reminders)";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = ClinicSettings;

    fn run(self, ctx: &Ctx<'_>) -> Result<ClinicSettings> {
        let store = ctx.store(self.store_id)?;
        let before = load_settings(ctx, store.id)?;
        let check = |field: &str, v: Option<u32>, old: u32| -> Result<u32> {
            match v {
                None => Ok(old),
                Some(h) if (1..=MAX_POLICY_HOURS).contains(&h) => Ok(h),
                Some(h) => Err(Error::invalid(
                    field,
                    format!("{field} must be between 1 and {MAX_POLICY_HOURS}, got {h}"),
                )),
            }
        };
        let age = check(
            "vial_reminder_age_hours",
            self.vial_reminder_age_hours,
            before.vial_reminder_age_hours,
        )?;
        let idle = check(
            "vial_reminder_idle_hours",
            self.vial_reminder_idle_hours,
            before.vial_reminder_idle_hours,
        )?;
        ctx.tx.execute(
            "INSERT INTO clinic_settings (store_id, vial_reminder_age_hours, vial_reminder_idle_hours, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (store_id) DO UPDATE SET vial_reminder_age_hours = ?2, vial_reminder_idle_hours = ?3,
                 updated_at = ?4, updated_by = ?5",
            params![store.id, age, idle, ctx.now_str(), ctx.actor.id],
        )?;
        let after = load_settings(ctx, store.id)?;
        let payload = Payload::about("store", store.id, &store.name)
            .with_changes(audit::diff(&before, &after)?);
        audit::record(ctx, store.id, ChangeType::ClinicSettingsChanged, &payload)?;
        Ok(after)
    }
}
