//! Open vial sessions (seed 000's key differentiator): one opened vial of
//! one product from one lot, drawn for several patients in exact fractions,
//! with its waste, its two clocks and its economics.
//!
//! - The vial's units stay on the batch, held by an `open_vial` hold; draws
//!   (`treatment_use`) and waste (`waste`) take them off hold and batch
//!   together, so the till never sells them and `verify` balances.
//! - Two clocks: the label's beyond-use time (the product's
//!   `injectable.stability_hours` from reconstitution, or from opening) and
//!   the clinic's longer window when a manager set one for the product
//!   (`set_vial_policy`). The clinic's window applies when there is one,
//!   else the label's. Each session keeps the clocks it was opened with.
//! - The sweep ([`SweepVials`]: at start, on a timer, and before a draw is
//!   offered) closes sessions past the window that applies and wastes what
//!   is left as `stability_exceeded`; a draw from such a vial before the
//!   sweep ran is refused (`vial_beyond_use`) unless a manager approves it.

use super::settings::load_settings;
use super::waste::insert_waste;
use super::{ClinicProduct, WasteReason};
use crate::alerts::{AlertType, NewAlert, Severity};
use crate::audit::{self, ChangeType, Payload};
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::ids::{BatchId, ProductId, ReservationId, StoreId, UserId, VialSessionId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::page::limit_offset;
use crate::stock::reservations::{place_hold, shrink_hold, OPEN_VIAL_HOLD};
use crate::stock::{move_stock, BatchRow, BatchStatus};
use crate::{Error, Result};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A session's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum VialStatus {
    /// Open: may be drawn from.
    Active,
    /// Closed past its window or its lot's expiry.
    Expired,
    /// Closed with nothing left.
    Depleted,
    /// Closed early (contamination, recall, by hand).
    Discarded,
}

impl VialStatus {
    fn as_str(self) -> &'static str {
        match self {
            VialStatus::Active => "active",
            VialStatus::Expired => "expired",
            VialStatus::Depleted => "depleted",
            VialStatus::Discarded => "discarded",
        }
    }

    fn parse(s: &str) -> Result<VialStatus> {
        Ok(match s {
            "active" => VialStatus::Active,
            "expired" => VialStatus::Expired,
            "depleted" => VialStatus::Depleted,
            "discarded" => VialStatus::Discarded,
            other => {
                return Err(Error::internal(format!(
                    "unknown vial status '{other}' in the database"
                )))
            }
        })
    }
}

/// Why a session closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CloseReason {
    /// Nothing left.
    Depleted,
    /// The lot reached its expiry date.
    Expired,
    /// Past the window that applies (the sweep).
    StabilityExceeded,
    /// Contaminated (or lost its vacuum).
    Contamination,
    /// Closed by hand (end of day, nobody else booked).
    ManualClose,
    /// The lot was recalled.
    Recall,
}

impl CloseReason {
    fn as_str(self) -> &'static str {
        match self {
            CloseReason::Depleted => "depleted",
            CloseReason::Expired => "expired",
            CloseReason::StabilityExceeded => "stability_exceeded",
            CloseReason::Contamination => "contamination",
            CloseReason::ManualClose => "manual_close",
            CloseReason::Recall => "recall",
        }
    }

    fn parse(s: &str) -> Result<CloseReason> {
        serde_json::from_value(serde_json::Value::String(s.to_string()))
            .map_err(|_| Error::internal(format!("unknown close reason '{s}' in the database")))
    }

    fn status(self) -> VialStatus {
        match self {
            CloseReason::Depleted => VialStatus::Depleted,
            CloseReason::Expired | CloseReason::StabilityExceeded => VialStatus::Expired,
            CloseReason::Contamination | CloseReason::ManualClose | CloseReason::Recall => {
                VialStatus::Discarded
            }
        }
    }

    /// What the remainder is wasted as, when the reason says it.
    fn waste_reason(self) -> Option<WasteReason> {
        match self {
            CloseReason::Depleted | CloseReason::ManualClose => None,
            CloseReason::Expired => Some(WasteReason::ExpiredUnused),
            CloseReason::StabilityExceeded => Some(WasteReason::StabilityExceeded),
            CloseReason::Contamination => Some(WasteReason::Contamination),
            CloseReason::Recall => Some(WasteReason::Recall),
        }
    }
}

/// Which clock applies to a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum VialClock {
    /// The label's beyond-use time.
    Label,
    /// The clinic's policy window.
    Policy,
    /// Neither is known: the vial has no time limit of its own.
    None,
}

/// A vial's money: what it cost, what it earned, what was wasted.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct VialEconomics {
    /// The lot's cost of one unit.
    pub cost_per_unit: Money,
    /// The whole vial's cost.
    pub vial_cost: Money,
    /// Cost of the units given to patients.
    pub used_cost: Money,
    /// Cost of the units wasted.
    pub waste_cost: Money,
    /// Revenue from the draws.
    pub revenue: Money,
    /// Revenue − used cost − waste cost.
    pub profit: Money,
    /// Profit as a percentage of revenue (two places), when there is revenue.
    #[ts(type = "string | null")]
    pub margin_percent: Option<Decimal>,
}

/// One open vial session.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct VialSession {
    /// Id.
    pub session_id: VialSessionId,
    /// Store.
    pub store_id: StoreId,
    /// Product (units never convert between products).
    pub product_id: ProductId,
    /// Product name.
    pub product_name: String,
    /// Unit (`unit`, `ml`…).
    pub unit: String,
    /// Lot.
    pub batch_id: BatchId,
    /// Lot number.
    pub batch_number: String,
    /// Lot expiry.
    pub expiry_date: String,
    /// Lot status now.
    pub batch_status: BatchStatus,
    /// State.
    pub status: VialStatus,
    /// Units in the vial when opened.
    pub units: Qty,
    /// Units given to patients.
    pub drawn: Qty,
    /// Units wasted.
    pub wasted: Qty,
    /// Units left.
    pub remaining: Qty,
    /// Opened at.
    pub opened_at: String,
    /// Opened by.
    pub opened_by: UserId,
    /// Their name.
    pub opened_by_name: String,
    /// Reconstituted at.
    pub reconstituted_at: Option<String>,
    /// Diluent (e.g. "0.9% saline, preservative-free").
    pub diluent: Option<String>,
    /// Diluent volume, mL.
    pub diluent_volume_ml: Option<Qty>,
    /// Resulting strength, units per mL (three places).
    #[ts(type = "string | null")]
    pub units_per_ml: Option<Decimal>,
    /// End of the label's beyond-use time.
    pub label_until: Option<String>,
    /// End of the clinic's window.
    pub policy_until: Option<String>,
    /// The clinic window's length, hours.
    pub policy_hours: Option<u32>,
    /// Why the clinic set it.
    pub policy_reason: Option<String>,
    /// Which clock applies.
    pub clock: VialClock,
    /// End of the window that applies.
    pub usable_until: Option<String>,
    /// Whole minutes left in that window (negative once past), when open.
    #[ts(type = "number | null")]
    pub minutes_left: Option<i64>,
    /// Last draw.
    pub last_draw_at: Option<String>,
    /// Open past the store's reminder age with no recent draw.
    pub reminder_due: bool,
    /// Closed at.
    pub closed_at: Option<String>,
    /// Closed by.
    pub closed_by: Option<UserId>,
    /// Why.
    pub close_reason: Option<CloseReason>,
    /// Notes at closing.
    pub close_notes: Option<String>,
    /// Its money.
    pub economics: VialEconomics,
}

/// How the vial was reconstituted.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Reconstitution {
    /// Diluent.
    pub diluent: String,
    /// Volume added, mL (up to three places).
    pub volume_ml: Qty,
    /// When (default: now; not in the future).
    #[ts(optional, type = "string")]
    pub reconstituted_at: Option<DateTime<Utc>>,
}

/// Opens a vial of a product from a lot.
///
/// - `batch_id`: the lot; left out, FEFO picks the available lot that expires first
///   and has a whole vial free. The lot must be of this product and store, available
///   and in date (`batch_not_sellable`), with `units` free (`insufficient_stock`).
/// - `units`: units in the vial; default the product's `injectable.units_per_vial`
///   (one of the two is needed). Fractions only where the product allows them.
/// - `reconstitution` {`diluent`, `volume_ml`, `reconstituted_at`}: required when the
///   product needs reconstitution; the strength (units per mL) is derived.
/// - Clocks: the label's beyond-use time is `injectable.stability_hours` from
///   reconstitution (or opening); the clinic's window (`set_vial_policy`) likewise. The
///   clinic's applies when set, else the label's.
/// - The units are held on the lot (`open_vial` hold, a `reserved` event) so the till
///   cannot sell them; writes a `vial_opened` event.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct OpenVialSession {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Product.
    pub product_id: ProductId,
    /// Lot (default: FEFO).
    #[ts(optional)]
    pub batch_id: Option<BatchId>,
    /// Units in the vial (default: the product's units per vial).
    #[ts(optional)]
    pub units: Option<Qty>,
    /// Reconstitution.
    #[ts(optional)]
    pub reconstitution: Option<Reconstitution>,
}

impl Operation for OpenVialSession {
    const NAME: &'static str = "open_vial_session";
    const SUMMARY: &'static str =
        "Open a vial from a lot (FEFO by default), with its reconstitution and clocks";
    const PERMISSION: Permission = Permission::Clinical;
    const WRITES: bool = true;
    type Output = VialSession;

    fn run(self, ctx: &Ctx<'_>) -> Result<VialSession> {
        let store = ctx.store(self.store_id)?;
        let today = ctx.today(&store);
        let product = ClinicProduct::load(ctx, self.product_id)?;
        let inj = product.injectable.clone().unwrap_or_default();
        let units = match (self.units, inj.units_per_vial) {
            (Some(u), _) | (None, Some(u)) => product.quantity("units", u)?,
            (None, None) => {
                return Err(Error::invalid(
                    "units",
                    format!(
                        "give the units in the vial: {} has no units per vial set",
                        product.name
                    ),
                ))
            }
        };
        let batch = match self.batch_id {
            Some(id) => {
                let b = BatchRow::load(ctx.tx, id)?;
                if b.store_id != store.id || b.product_id != product.id {
                    return Err(Error::invalid(
                        "batch_id",
                        format!(
                            "lot {} is not a lot of {} in this store",
                            b.batch_number, product.name
                        ),
                    ));
                }
                b.ensure_sellable(today)?;
                let free = b.on_hand_milli - b.reserved_milli;
                if units > free {
                    return Err(Error::InsufficientStock {
                        product_id: Some(product.id.to_string()),
                        batch_id: Some(b.id.to_string()),
                        requested: Qty::from_scaled(units).to_string(),
                        available: Qty::from_scaled(free).to_string(),
                    });
                }
                b
            }
            None => fefo_lot(ctx, store.id, product.id, units, today)?,
        };
        let recon = match (&self.reconstitution, inj.reconstitution_required) {
            (None, true) => {
                return Err(Error::invalid(
                    "reconstitution",
                    format!(
                        "{} must be reconstituted: give the diluent and its volume",
                        product.name
                    ),
                ))
            }
            (None, false) => None,
            (Some(r), _) => {
                let diluent = optional_text("reconstitution.diluent", Some(&r.diluent), 200)?
                    .ok_or_else(|| Error::invalid("reconstitution.diluent", "name the diluent"))?;
                let ul = crate::num::check_quantity(
                    "reconstitution.volume_ml",
                    r.volume_ml,
                    true,
                    "mL",
                )?;
                let at = r.reconstituted_at.unwrap_or(ctx.now);
                if at > ctx.now {
                    return Err(Error::invalid(
                        "reconstitution.reconstituted_at",
                        "the reconstitution time is in the future",
                    ));
                }
                Some((diluent, ul, at))
            }
        };
        let start = recon.as_ref().map_or(ctx.now, |r| r.2);
        let label_until = inj
            .stability_hours
            .map(|h| start + Duration::hours(i64::from(h)));
        let policy = super::settings::load_policy(ctx, store.id, product.id)?;
        let policy_until = policy
            .as_ref()
            .map(|p| start + Duration::hours(i64::from(p.window_hours)));
        if let Some(until) = policy_until.or(label_until) {
            if until <= ctx.now {
                return Err(Error::invalid(
                    "reconstitution.reconstituted_at",
                    format!(
                        "a vial reconstituted then is already past its window ({})",
                        stamp(until)
                    ),
                ));
            }
        }
        let id = VialSessionId::new();
        let hold = place_hold(
            ctx,
            &batch,
            units,
            OPEN_VIAL_HOLD,
            Some(&id.to_string()),
            None,
        )?;
        ctx.tx.execute(
            "INSERT INTO vial_sessions (id, store_id, product_id, batch_id, reservation_id, units_milli, remaining_milli,
                 cost_per_unit_e4, opened_at, opened_by, reconstituted_at, diluent, diluent_volume_ul,
                 label_until, policy_until, policy_hours, policy_reason, policy_set_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            params![
                id,
                store.id,
                product.id,
                batch.id,
                hold,
                units,
                batch.cost_e4,
                ctx.now_str(),
                ctx.actor.id,
                recon.as_ref().map(|r| stamp(r.2)),
                recon.as_ref().map(|r| r.0.clone()),
                recon.as_ref().map(|r| r.1),
                label_until.map(stamp),
                policy_until.map(stamp),
                policy.as_ref().map(|p| p.window_hours),
                policy.as_ref().map(|p| p.reason.clone()),
                policy.as_ref().map(|p| p.set_by),
            ],
        )?;
        let view = get(ctx, id)?;
        let payload = Payload::about("vial_session", id, &batch.batch_number).with_data(
            serde_json::json!({
                "product_id": product.id,
                "batch_id": batch.id,
                "units": view.units,
                "diluent": view.diluent,
                "diluent_volume_ml": view.diluent_volume_ml,
                "units_per_ml": view.units_per_ml,
                "reconstituted_at": view.reconstituted_at,
                "label_until": view.label_until,
                "policy_until": view.policy_until,
                "policy_hours": view.policy_hours,
            }),
        )?;
        audit::record(ctx, store.id, ChangeType::VialOpened, &payload)?;
        Ok(view)
    }
}

/// The lot FEFO opens a vial from: available, in date, with `units` free.
fn fefo_lot(
    ctx: &Ctx<'_>,
    store: StoreId,
    product: ProductId,
    units: i64,
    today: chrono::NaiveDate,
) -> Result<BatchRow> {
    match vial_lots(ctx, store, product, today, units, 1)?.first() {
        Some(lot) => BatchRow::load(ctx.tx, lot.batch_id),
        None => {
            let free = vial_lots(ctx, store, product, today, 1, i64::MAX)?
                .iter()
                .map(|l| l.free)
                .max()
                .unwrap_or(Qty::ZERO);
            Err(Error::InsufficientStock {
                product_id: Some(product.to_string()),
                batch_id: None,
                requested: Qty::from_scaled(units).to_string(),
                available: free.to_string(),
            })
        }
    }
}

/// The lots of `product` a vial may come from, FEFO first (what
/// `suggest_vial_lots` shows and `open_vial_session` picks): available, in
/// date, with at least `min_free_milli` not held.
fn vial_lots(
    ctx: &Ctx<'_>,
    store: StoreId,
    product: ProductId,
    today: chrono::NaiveDate,
    min_free_milli: i64,
    limit: i64,
) -> Result<Vec<VialLot>> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT id, batch_number, expiry_date, on_hand_milli - reserved_milli, cost_price_e4 FROM batches
          WHERE product_id = ?1 AND store_id = ?2 AND status = 'available' AND expiry_date >= ?3
            AND on_hand_milli - reserved_milli >= ?4
          ORDER BY expiry_date, received_date, id LIMIT ?5",
    )?;
    let rows = stmt
        .query_map(
            params![product, store, today.to_string(), min_free_milli, limit],
            |r| {
                Ok(VialLot {
                    batch_id: r.get(0)?,
                    batch_number: r.get(1)?,
                    expiry_date: r.get(2)?,
                    free: Qty::from_scaled(r.get(3)?),
                    cost_per_unit: Money::from_scaled(r.get(4)?),
                })
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The lots a vial of `product_id` could be opened from, FEFO first (the
/// first is what `open_vial_session` picks): available, in date, with their
/// free units and whole vials.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SuggestVialLots {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Product.
    pub product_id: ProductId,
}

/// A lot a vial can be opened from.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct VialLot {
    /// Lot.
    pub batch_id: BatchId,
    /// Lot number.
    pub batch_number: String,
    /// Expiry.
    pub expiry_date: String,
    /// Units free (on hand − held).
    pub free: Qty,
    /// Cost of one unit.
    pub cost_per_unit: Money,
}

impl Operation for SuggestVialLots {
    const NAME: &'static str = "suggest_vial_lots";
    const SUMMARY: &'static str = "Lots a vial could be opened from, first-expiring first";
    const PERMISSION: Permission = Permission::Clinical;
    const WRITES: bool = false;
    type Output = Vec<VialLot>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<VialLot>> {
        let store = ctx.store(self.store_id)?;
        ClinicProduct::load(ctx, self.product_id)?;
        vial_lots(ctx, store.id, self.product_id, ctx.today(&store), 1, 50)
    }
}

/// A session as loaded for a change.
pub(crate) struct SessionRow {
    pub id: VialSessionId,
    pub store_id: StoreId,
    pub product_id: ProductId,
    pub batch_id: BatchId,
    pub reservation_id: ReservationId,
    pub status: VialStatus,
    pub remaining_milli: i64,
    pub cost_per_unit_e4: i64,
    pub usable_until: Option<(VialClock, String)>,
}

impl SessionRow {
    pub(crate) fn load(ctx: &Ctx<'_>, id: VialSessionId) -> Result<SessionRow> {
        let row = ctx
            .tx
            .prepare_cached(
                "SELECT store_id, product_id, batch_id, reservation_id, status, remaining_milli, cost_per_unit_e4,
                        label_until, policy_until
                   FROM vial_sessions WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, StoreId>(0)?,
                    r.get::<_, ProductId>(1)?,
                    r.get::<_, BatchId>(2)?,
                    r.get::<_, ReservationId>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ))
            })
            .optional()?;
        let (store_id, product_id, batch_id, reservation_id, status, remaining, cpu, label, policy) =
            row.ok_or_else(|| Error::not_found("vial session", id))?;
        ctx.check_store(store_id)?;
        Ok(SessionRow {
            id,
            store_id,
            product_id,
            batch_id,
            reservation_id,
            status: VialStatus::parse(&status)?,
            remaining_milli: remaining,
            cost_per_unit_e4: cpu,
            usable_until: applying(label.as_deref(), policy.as_deref()),
        })
    }

    pub(crate) fn ensure_active(&self) -> Result<()> {
        if self.status == VialStatus::Active {
            Ok(())
        } else {
            Err(Error::VialNotActive {
                session_id: self.id,
                status: self.status.as_str().to_string(),
            })
        }
    }

    /// Whether the window that applies has ended at `now`.
    pub(crate) fn past_window(&self, now: DateTime<Utc>) -> Option<(VialClock, String)> {
        self.usable_until
            .as_ref()
            .filter(|(_, until)| until.as_str() <= stamp(now).as_str())
            .cloned()
    }
}

fn applying(label: Option<&str>, policy: Option<&str>) -> Option<(VialClock, String)> {
    match (policy, label) {
        (Some(p), _) => Some((VialClock::Policy, p.to_string())),
        (None, Some(l)) => Some((VialClock::Label, l.to_string())),
        (None, None) => None,
    }
}

pub(crate) fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Units leave an open vial (a draw or waste): off its hold, off the lot
/// (one stock event), onto the session's counters. The caller closes an
/// emptied session ([`close_if_empty`]).
pub(crate) fn take(
    ctx: &Ctx<'_>,
    s: &mut SessionRow,
    q: i64,
    change: ChangeType,
    reference: &str,
    revenue_e4: i64,
) -> Result<()> {
    s.ensure_active()?;
    if q > s.remaining_milli {
        return Err(Error::InsufficientStock {
            product_id: Some(s.product_id.to_string()),
            batch_id: Some(s.batch_id.to_string()),
            requested: Qty::from_scaled(q).to_string(),
            available: Qty::from_scaled(s.remaining_milli).to_string(),
        });
    }
    shrink_hold(ctx, s.reservation_id, q)?;
    let b = BatchRow::load(ctx.tx, s.batch_id)?;
    move_stock(ctx, &b, b.on_hand_milli - q, change, Some(reference), None)?;
    let drawn = if change == ChangeType::TreatmentUse {
        q
    } else {
        0
    };
    ctx.tx
        .prepare_cached(
            "UPDATE vial_sessions SET drawn_milli = drawn_milli + ?2, wasted_milli = wasted_milli + ?3,
                 remaining_milli = remaining_milli - ?4, revenue_e4 = revenue_e4 + ?5,
                 last_draw_at = CASE WHEN ?2 > 0 THEN ?6 ELSE last_draw_at END
              WHERE id = ?1",
        )?
        .execute(params![s.id, drawn, q - drawn, q, revenue_e4, ctx.now_str()])?;
    s.remaining_milli -= q;
    Ok(())
}

/// Closes a session as `depleted` once nothing is left in it.
pub(crate) fn close_if_empty(ctx: &Ctx<'_>, s: &mut SessionRow) -> Result<()> {
    if s.remaining_milli == 0 && s.status == VialStatus::Active {
        close(ctx, s, CloseReason::Depleted, None, None)?;
    }
    Ok(())
}

/// Closes a session: what is left is wasted (as `waste_reason`, or the
/// reason's own), its hold ends, and a `vial_closed` event records why and
/// the vial's economics.
pub(crate) fn close(
    ctx: &Ctx<'_>,
    s: &mut SessionRow,
    reason: CloseReason,
    waste_reason: Option<WasteReason>,
    notes: Option<&str>,
) -> Result<VialSession> {
    s.ensure_active()?;
    if s.remaining_milli > 0 {
        let wr = waste_reason.or(reason.waste_reason()).ok_or_else(|| {
            Error::invalid(
                "waste_reason",
                format!(
                    "{} units are left in the vial: say why they are wasted (waste_reason)",
                    Qty::from_scaled(s.remaining_milli)
                ),
            )
        })?;
        insert_waste(
            ctx,
            s,
            s.remaining_milli,
            wr,
            None,
            None,
            Some(&format!(
                "left in the vial at closing ({})",
                reason.as_str()
            )),
        )?;
    }
    ctx.tx.execute(
        "UPDATE vial_sessions SET status = ?2, closed_at = ?3, closed_by = ?4, close_reason = ?5, close_notes = ?6
          WHERE id = ?1",
        params![
            s.id,
            reason.status().as_str(),
            ctx.now_str(),
            ctx.actor.id,
            reason.as_str(),
            notes
        ],
    )?;
    s.status = reason.status();
    crate::alerts::resolve_subject(
        ctx,
        s.store_id,
        AlertType::ExpiringSoon,
        &s.id.to_string(),
        "the vial was closed",
    )?;
    let view = get(ctx, s.id)?;
    let payload =
        Payload::about("vial_session", s.id, &view.batch_number).with_data(serde_json::json!({
            "reason": reason,
            "units": view.units,
            "drawn": view.drawn,
            "wasted": view.wasted,
            "economics": view.economics,
            "notes": notes,
        }))?;
    audit::record(ctx, s.store_id, ChangeType::VialClosed, &payload)?;
    Ok(view)
}

/// Closes an open vial.
///
/// - `reason`: `contamination`, `manual_close`, `stability_exceeded`, `expired` (the
///   sweep uses the last two itself) or `depleted` (only with nothing left).
/// - What is left is wasted: as the reason says (contamination, stability_exceeded,
///   expired → expired_unused), or, for `manual_close`, as `waste_reason`, which is then
///   required when units are left.
/// - Writes `waste` and `waste_recorded` events for the remainder and a `vial_closed`
///   event with the vial's economics.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CloseVialSession {
    /// The session.
    pub session_id: VialSessionId,
    /// Why.
    pub reason: CloseReason,
    /// What the remainder is wasted as (required for `manual_close` with units left).
    #[ts(optional)]
    pub waste_reason: Option<WasteReason>,
    /// Notes.
    #[ts(optional)]
    pub notes: Option<String>,
}

impl Operation for CloseVialSession {
    const NAME: &'static str = "close_vial_session";
    const SUMMARY: &'static str = "Close an open vial; what is left is recorded as waste";
    const PERMISSION: Permission = Permission::Clinical;
    const WRITES: bool = true;
    type Output = VialSession;

    fn run(self, ctx: &Ctx<'_>) -> Result<VialSession> {
        let mut s = SessionRow::load(ctx, self.session_id)?;
        s.ensure_active()?;
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?;
        match self.reason {
            CloseReason::Recall => {
                return Err(Error::invalid(
                    "reason",
                    "a recall closes its vials itself (record_recall)",
                ))
            }
            CloseReason::Depleted if s.remaining_milli > 0 => {
                return Err(Error::invalid(
                    "reason",
                    format!(
                        "the vial is not depleted: {} units are left",
                        Qty::from_scaled(s.remaining_milli)
                    ),
                ))
            }
            _ => {}
        }
        close(
            ctx,
            &mut s,
            self.reason,
            self.waste_reason,
            notes.as_deref(),
        )
    }
}

/// What a sweep did.
#[derive(Clone, Debug, Default, Serialize, TS)]
#[ts(export)]
pub struct VialSweep {
    /// Sessions closed, with why.
    pub closed: Vec<SweptVial>,
    /// Open sessions due a reminder (open long, no recent draw).
    pub reminders: Vec<VialSessionId>,
}

/// A session the sweep closed.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct SweptVial {
    /// The session.
    pub session_id: VialSessionId,
    /// Why it closed.
    pub reason: CloseReason,
    /// Units wasted at closing.
    pub wasted: Qty,
}

/// Closes a store's open vials that can no longer be used, and lists those
/// due a reminder. Run at start, on a timer and before a draw is offered.
///
/// - Past the window that applies → closed `stability_exceeded`, the remainder wasted
///   as `stability_exceeded`.
/// - Lot past its expiry date → closed `expired` (waste `expired_unused`); lot recalled →
///   closed `recall` (waste `recall`); lot damaged → closed `contamination`.
/// - Open at least the store's `vial_reminder_age_hours` with no draw for
///   `vial_reminder_idle_hours` → listed in `reminders`.
/// - Needs only `view_inventory`, so whoever is signed in runs it; its events name them.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SweepVials {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

impl Operation for SweepVials {
    const NAME: &'static str = "sweep_vials";
    const SUMMARY: &'static str =
        "Close open vials past their window, lot expiry or recall, and list reminders";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = true;
    type Output = VialSweep;

    fn run(self, ctx: &Ctx<'_>) -> Result<VialSweep> {
        let store = ctx.store(self.store_id)?;
        let today = ctx.today(&store).to_string();
        let now = ctx.now_str();
        let mut stmt = ctx.tx.prepare(
            "SELECT v.id, b.status, b.expiry_date, COALESCE(v.policy_until, v.label_until)
               FROM vial_sessions v JOIN batches b ON b.id = v.batch_id
              WHERE v.store_id = ?1 AND v.status = 'active'",
        )?;
        let open = stmt
            .query_map([store.id], |r| {
                Ok((
                    r.get::<_, VialSessionId>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = VialSweep::default();
        for (id, lot_status, expiry, until) in open {
            let reason = if lot_status == "recalled" {
                Some(CloseReason::Recall)
            } else if lot_status == "damaged" {
                Some(CloseReason::Contamination)
            } else if expiry < today {
                Some(CloseReason::Expired)
            } else if until.as_deref().is_some_and(|u| u <= now.as_str()) {
                Some(CloseReason::StabilityExceeded)
            } else {
                None
            };
            if let Some(reason) = reason {
                let mut s = SessionRow::load(ctx, id)?;
                let wasted = Qty::from_scaled(s.remaining_milli);
                close(ctx, &mut s, reason, None, Some("closed by the sweep"))?;
                out.closed.push(SweptVial {
                    session_id: id,
                    reason,
                    wasted,
                });
            }
        }
        out.reminders = reminders_due(ctx, store.id)?;
        remind(ctx, store.id, &out.reminders)?;
        Ok(out)
    }
}

/// Open sessions of a store due a reminder.
pub(crate) fn reminders_due(ctx: &Ctx<'_>, store: StoreId) -> Result<Vec<VialSessionId>> {
    let settings = load_settings(ctx, store)?;
    let opened_before =
        stamp(ctx.now - Duration::hours(i64::from(settings.vial_reminder_age_hours)));
    let idle_since = stamp(ctx.now - Duration::hours(i64::from(settings.vial_reminder_idle_hours)));
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT id FROM vial_sessions
          WHERE store_id = ?1 AND status = 'active' AND opened_at <= ?2
            AND COALESCE(last_draw_at, opened_at) <= ?3
          ORDER BY opened_at",
    )?;
    let ids = stmt
        .query_map(params![store, opened_before, idle_since], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids)
}

/// Keeps one `expiring_soon` alert (subject `vial_session`) on each open
/// vial due a reminder, and resolves those of vials drawn from since.
fn remind(ctx: &Ctx<'_>, store: StoreId, due: &[VialSessionId]) -> Result<()> {
    let open = ctx
        .tx
        .prepare_cached(
            "SELECT subject_id FROM alerts WHERE store_id = ?1 AND alert_type = 'expiring_soon'
                AND subject_kind = 'vial_session' AND status IN ('active', 'acknowledged')",
        )?
        .query_map([store], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for id in open {
        if !due.iter().any(|d| d.to_string() == id) {
            crate::alerts::resolve_subject(
                ctx,
                store,
                AlertType::ExpiringSoon,
                &id,
                "the vial was drawn from or closed",
            )?;
        }
    }
    for id in due {
        let v = get(ctx, *id)?;
        let name = format!("{} vial, lot {}", v.product_name, v.batch_number);
        crate::alerts::raise(
            ctx,
            NewAlert {
                store_id: store,
                alert_type: AlertType::ExpiringSoon,
                severity: Severity::Warning,
                subject_kind: "vial_session",
                subject_id: &id.to_string(),
                subject_name: &name,
                product_id: Some(v.product_id),
                batch_id: Some(v.batch_id),
                message: format!(
                    "{name} has been open since {} with {} {}s left and no draw recently: use it or close it",
                    v.opened_at, v.remaining, v.unit
                ),
            },
        )?;
    }
    Ok(())
}

/// Runs [`SweepVials`] for the signed-in user's store, as a timer does:
/// nothing (0) when they may not run it there.
pub fn sweep_for(db: &mut crate::Db, session: &crate::Session) -> Result<usize> {
    if !crate::auth::may(db, session, SweepVials::PERMISSION)? {
        return Ok(0);
    }
    Ok(db.execute(session, SweepVials::default())?.closed.len())
}

/// A page of vial sessions.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct VialSessionPage {
    /// The page: open vials by soonest end of window, closed ones newest first.
    pub rows: Vec<VialSession>,
    /// Sessions passing the filters.
    #[ts(type = "number")]
    pub total: i64,
}

/// Which sessions to list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum VialFilter {
    /// Open ones.
    #[default]
    Active,
    /// Closed ones.
    Closed,
    /// Both.
    All,
}

/// A store's vial sessions: open ones (default) by the soonest end of their window,
/// closed ones newest first; `product_id` narrows; opened on or after `from` / before
/// `to` (RFC 3339). Paged (`limit` 1–500, default 50).
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListVialSessions {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// `active` (default), `closed` or `all`.
    #[ts(optional)]
    pub status: Option<VialFilter>,
    /// Only this product.
    #[ts(optional)]
    pub product_id: Option<ProductId>,
    /// Opened at or after.
    #[ts(optional, type = "string")]
    pub from: Option<DateTime<Utc>>,
    /// Opened before.
    #[ts(optional, type = "string")]
    pub to: Option<DateTime<Utc>>,
    /// Page size.
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[ts(optional)]
    pub offset: Option<u32>,
}

impl Operation for ListVialSessions {
    const NAME: &'static str = "list_vial_sessions";
    const SUMMARY: &'static str =
        "A store's open (or closed) vials, with units, clocks and economics";
    const PERMISSION: Permission = Permission::Clinical;
    const WRITES: bool = false;
    type Output = VialSessionPage;

    fn run(self, ctx: &Ctx<'_>) -> Result<VialSessionPage> {
        let store = ctx.store(self.store_id)?;
        let (limit, offset) = limit_offset(self.limit, self.offset, 50)?;
        let filter = self.status.unwrap_or_default();
        let status_sql = match filter {
            VialFilter::Active => "AND status = 'active'",
            VialFilter::Closed => "AND status <> 'active'",
            VialFilter::All => "",
        };
        let order = match filter {
            VialFilter::Active => "COALESCE(policy_until, label_until, '9999') , opened_at, id",
            _ => "opened_at DESC, id DESC",
        };
        let cond = format!(
            "store_id = ?1 {status_sql} AND (?2 IS NULL OR product_id = ?2)
             AND (?3 IS NULL OR opened_at >= ?3) AND (?4 IS NULL OR opened_at < ?4)"
        );
        let from = self.from.map(stamp);
        let to = self.to.map(stamp);
        let total: i64 = ctx.tx.query_row(
            &format!("SELECT COUNT(*) FROM vial_sessions WHERE {cond}"),
            params![store.id, self.product_id, from, to],
            |r| r.get(0),
        )?;
        let mut stmt = ctx.tx.prepare(&format!(
            "SELECT id FROM vial_sessions WHERE {cond} ORDER BY {order} LIMIT ?5 OFFSET ?6"
        ))?;
        let ids = stmt
            .query_map(
                params![store.id, self.product_id, from, to, limit, offset],
                |r| r.get::<_, VialSessionId>(0),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let due = reminders_due(ctx, store.id)?;
        let mut rows = Vec::with_capacity(ids.len());
        for id in ids {
            let mut v = get(ctx, id)?;
            v.reminder_due = due.contains(&id);
            rows.push(v);
        }
        Ok(VialSessionPage { rows, total })
    }
}

/// Loads a session's view (the caller checked its store).
pub(crate) fn get(ctx: &Ctx<'_>, id: VialSessionId) -> Result<VialSession> {
    let row = ctx
        .tx
        .prepare_cached(
            "SELECT v.store_id, v.product_id, p.name, p.unit, v.batch_id, b.batch_number, b.expiry_date, b.status,
                    v.status, v.units_milli, v.drawn_milli, v.wasted_milli, v.remaining_milli, v.cost_per_unit_e4,
                    v.revenue_e4, v.opened_at, v.opened_by, u.name, v.reconstituted_at, v.diluent, v.diluent_volume_ul,
                    v.label_until, v.policy_until, v.policy_hours, v.policy_reason, v.last_draw_at, v.closed_at,
                    v.closed_by, v.close_reason, v.close_notes
               FROM vial_sessions v JOIN products p ON p.id = v.product_id JOIN batches b ON b.id = v.batch_id
               JOIN users u ON u.id = v.opened_by
              WHERE v.id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                (
                    r.get::<_, StoreId>(0)?,
                    r.get::<_, ProductId>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, BatchId>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                ),
                (
                    r.get::<_, String>(8)?,
                    r.get::<_, i64>(9)?,
                    r.get::<_, i64>(10)?,
                    r.get::<_, i64>(11)?,
                    r.get::<_, i64>(12)?,
                    r.get::<_, i64>(13)?,
                    r.get::<_, i64>(14)?,
                ),
                (
                    r.get::<_, String>(15)?,
                    r.get::<_, UserId>(16)?,
                    r.get::<_, String>(17)?,
                    r.get::<_, Option<String>>(18)?,
                    r.get::<_, Option<String>>(19)?,
                    r.get::<_, Option<i64>>(20)?,
                ),
                (
                    r.get::<_, Option<String>>(21)?,
                    r.get::<_, Option<String>>(22)?,
                    r.get::<_, Option<u32>>(23)?,
                    r.get::<_, Option<String>>(24)?,
                    r.get::<_, Option<String>>(25)?,
                    r.get::<_, Option<String>>(26)?,
                    r.get::<_, Option<UserId>>(27)?,
                    r.get::<_, Option<String>>(28)?,
                    r.get::<_, Option<String>>(29)?,
                ),
            ))
        })
        .optional()?
        .ok_or_else(|| Error::not_found("vial session", id))?;
    let (
        (
            store_id,
            product_id,
            product_name,
            unit,
            batch_id,
            batch_number,
            expiry_date,
            batch_status,
        ),
        (status, units, drawn, wasted, remaining, cpu, revenue),
        (opened_at, opened_by, opened_by_name, reconstituted_at, diluent, volume_ul),
        (
            label_until,
            policy_until,
            policy_hours,
            policy_reason,
            last_draw_at,
            closed_at,
            closed_by,
            close_reason,
            close_notes,
        ),
    ) = row;
    let status = VialStatus::parse(&status)?;
    let cost_per_unit = Money::from_scaled(cpu);
    let used_cost = cost_per_unit.times(Qty::from_scaled(drawn));
    let waste_cost = cost_per_unit.times(Qty::from_scaled(wasted));
    let revenue = Money::from_scaled(revenue);
    let profit = revenue - used_cost - waste_cost;
    let margin_percent =
        (!revenue.is_zero()).then(|| (profit.0 * Decimal::ONE_HUNDRED / revenue.0).round_dp(2));
    let units_per_ml = volume_ul
        .filter(|v| *v > 0)
        .map(|v| (Decimal::new(units, 0) / Decimal::new(v, 0)).round_dp(3));
    let applies = applying(label_until.as_deref(), policy_until.as_deref());
    let minutes_left = match (&applies, status) {
        (Some((_, until)), VialStatus::Active) => DateTime::parse_from_rfc3339(until)
            .ok()
            .map(|u| (u.with_timezone(&Utc) - ctx.now).num_minutes()),
        _ => None,
    };
    Ok(VialSession {
        session_id: id,
        store_id,
        product_id,
        product_name,
        unit,
        batch_id,
        batch_number,
        expiry_date,
        batch_status: BatchStatus::parse(&batch_status)?,
        status,
        units: Qty::from_scaled(units),
        drawn: Qty::from_scaled(drawn),
        wasted: Qty::from_scaled(wasted),
        remaining: Qty::from_scaled(remaining),
        opened_at,
        opened_by,
        opened_by_name,
        reconstituted_at,
        diluent,
        diluent_volume_ml: volume_ul.map(Qty::from_scaled),
        units_per_ml,
        label_until,
        policy_until,
        policy_hours,
        policy_reason,
        clock: applies.as_ref().map_or(VialClock::None, |a| a.0),
        usable_until: applies.map(|a| a.1),
        minutes_left,
        last_draw_at,
        reminder_due: false,
        closed_at,
        closed_by,
        close_reason: close_reason
            .as_deref()
            .map(CloseReason::parse)
            .transpose()?,
        close_notes,
        economics: VialEconomics {
            cost_per_unit,
            vial_cost: cost_per_unit.times(Qty::from_scaled(units)),
            used_cost,
            waste_cost,
            revenue,
            profit,
            margin_percent,
        },
    })
}

/// A vial session with its draws (patients, practitioners, areas) and its
/// waste.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct VialSessionDetail {
    /// The session.
    pub session: VialSession,
    /// Its draws, oldest first.
    pub draws: Vec<super::treatments::Treatment>,
    /// Its waste, oldest first.
    pub waste: Vec<super::waste::WasteRecord>,
}

/// One vial session with its draws and waste. The draws name patients, so a
/// view of a vial that has any is written to the security log.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetVialSession {
    /// The session.
    pub session_id: VialSessionId,
}

impl Operation for GetVialSession {
    const NAME: &'static str = "get_vial_session";
    const SUMMARY: &'static str = "One vial with its draws per patient and its waste";
    const PERMISSION: Permission = Permission::Clinical;
    const WRITES: bool = false;
    type Output = VialSessionDetail;

    fn run(self, ctx: &Ctx<'_>) -> Result<VialSessionDetail> {
        let row = SessionRow::load(ctx, self.session_id)?;
        let mut session = get(ctx, row.id)?;
        session.reminder_due = reminders_due(ctx, row.store_id)?.contains(&row.id);
        let draws = super::treatments::of_session(ctx, row.id)?;
        if !draws.is_empty() {
            crate::security::patient_data(
                ctx,
                row.store_id,
                format!("draws of the vial of lot {}", session.batch_number),
                false,
            );
        }
        Ok(VialSessionDetail {
            session,
            draws,
            waste: super::waste::of_session(ctx, row.id)?,
        })
    }
}
