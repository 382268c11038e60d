//! Waste records: what left stock without reaching a patient or a
//! customer, with seed 000's reasons, the practitioner, the appointment,
//! the vial and the cost. Waste never counts as usage (reorder rates read
//! `treatment_use` and sales, never `waste`).

use super::vials::{close_if_empty, take, SessionRow};
use super::{check_practitioner, ClinicProduct, WasteReason};
use crate::audit::{self, ChangeType, Payload};
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::ids::{BatchId, ProductId, StoreId, UserId, VialSessionId, WasteId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::page::limit_offset;
use crate::stock::{move_stock, BatchRow};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A waste record.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct WasteRecord {
    /// Id.
    pub waste_id: WasteId,
    /// Store.
    pub store_id: StoreId,
    /// Product.
    pub product_id: ProductId,
    /// Product name.
    pub product_name: String,
    /// Lot.
    pub batch_id: BatchId,
    /// Lot number.
    pub batch_number: String,
    /// The vial it came from.
    pub session_id: Option<VialSessionId>,
    /// Why.
    pub reason: WasteReason,
    /// Quantity.
    pub quantity: Qty,
    /// Its cost (quantity × the lot's unit cost).
    pub cost: Money,
    /// Practitioner.
    pub practitioner_id: Option<UserId>,
    /// Their name.
    pub practitioner_name: Option<String>,
    /// Appointment.
    pub appointment_ref: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// When.
    pub recorded_at: String,
    /// Who recorded it.
    pub recorded_by: UserId,
}

/// Records waste from an open vial (`session_id`) or straight from a lot (`batch_id`,
/// e.g. a filler syringe dropped, a skincare tester).
///
/// - Exactly one of `session_id` and `batch_id`. From a vial: at most what is left in it;
///   a vial emptied this way closes as `depleted`. From a lot: at most its free stock
///   (on hand − held); the lot may be in any state (disposing of expired or recalled
///   stock is waste too).
/// - `reason` one of seed 000's: expired_unused, stability_exceeded, contamination,
///   draw_up_loss, patient_no_show, adverse_reaction_discard, training, damaged, recall
///   (and temperature_excursion).
/// - `practitioner_id` (a practitioner, manager or admin of the store) and
///   `appointment_ref` optional. Cost = quantity × the lot's unit cost.
/// - Writes a `waste` stock event and a `waste_recorded` event.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RecordWaste {
    /// The open vial.
    #[ts(optional)]
    pub session_id: Option<VialSessionId>,
    /// Or the lot.
    #[ts(optional)]
    pub batch_id: Option<BatchId>,
    /// Quantity wasted.
    pub quantity: Qty,
    /// Why.
    pub reason: WasteReason,
    /// Practitioner.
    #[ts(optional)]
    pub practitioner_id: Option<UserId>,
    /// Appointment.
    #[ts(optional)]
    pub appointment_ref: Option<String>,
    /// Notes.
    #[ts(optional)]
    pub notes: Option<String>,
}

impl Operation for RecordWaste {
    const NAME: &'static str = "record_waste";
    const SUMMARY: &'static str =
        "Record waste from an open vial or a lot, with its reason and cost";
    const PERMISSION: Permission = Permission::Clinical;
    const WRITES: bool = true;
    type Output = WasteRecord;

    fn run(self, ctx: &Ctx<'_>) -> Result<WasteRecord> {
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?;
        let appointment = optional_text("appointment_ref", self.appointment_ref.as_deref(), 64)?;
        let id = match (self.session_id, self.batch_id) {
            (Some(sid), None) => {
                let mut s = SessionRow::load(ctx, sid)?;
                s.ensure_active()?;
                let product = ClinicProduct::load(ctx, s.product_id)?;
                let q = product.quantity("quantity", self.quantity)?;
                if let Some(p) = self.practitioner_id {
                    check_practitioner(ctx, s.store_id, p)?;
                }
                let id = insert_waste(
                    ctx,
                    &mut s,
                    q,
                    self.reason,
                    self.practitioner_id,
                    appointment.as_deref(),
                    notes.as_deref(),
                )?;
                close_if_empty(ctx, &mut s)?;
                id
            }
            (None, Some(bid)) => {
                let b = BatchRow::load(ctx.tx, bid)?;
                ctx.check_store(b.store_id)?;
                let product = ClinicProduct::load(ctx, b.product_id)?;
                let q = product.quantity("quantity", self.quantity)?;
                if let Some(p) = self.practitioner_id {
                    check_practitioner(ctx, b.store_id, p)?;
                }
                insert_lot_waste(
                    ctx,
                    &b,
                    q,
                    self.reason,
                    self.practitioner_id,
                    appointment.as_deref(),
                    notes.as_deref(),
                )?
            }
            _ => {
                return Err(Error::invalid(
                    "session_id",
                    "give either the open vial (session_id) or the lot (batch_id)",
                ))
            }
        };
        get(ctx, id)
    }
}

/// Wastes `q` from an open vial: the stock move, the record and its event.
pub(crate) fn insert_waste(
    ctx: &Ctx<'_>,
    s: &mut SessionRow,
    q: i64,
    reason: WasteReason,
    practitioner: Option<UserId>,
    appointment: Option<&str>,
    notes: Option<&str>,
) -> Result<WasteId> {
    let id = WasteId::new();
    take(ctx, s, q, ChangeType::Waste, &id.to_string(), 0)?;
    let cost = Money::from_scaled(s.cost_per_unit_e4).times(Qty::from_scaled(q));
    write(
        ctx,
        id,
        (s.store_id, s.product_id, s.batch_id, Some(s.id)),
        q,
        cost,
        reason,
        practitioner,
        appointment,
        notes,
    )?;
    Ok(id)
}

/// Wastes `q` of a lot's free stock: the stock move, the record and its event.
pub(crate) fn insert_lot_waste(
    ctx: &Ctx<'_>,
    b: &BatchRow,
    q: i64,
    reason: WasteReason,
    practitioner: Option<UserId>,
    appointment: Option<&str>,
    notes: Option<&str>,
) -> Result<WasteId> {
    let free = b.on_hand_milli - b.reserved_milli;
    if q > free {
        return Err(Error::InsufficientStock {
            product_id: Some(b.product_id.to_string()),
            batch_id: Some(b.id.to_string()),
            requested: Qty::from_scaled(q).to_string(),
            available: Qty::from_scaled(free).to_string(),
        });
    }
    let id = WasteId::new();
    move_stock(
        ctx,
        b,
        b.on_hand_milli - q,
        ChangeType::Waste,
        Some(&id.to_string()),
        Some(reason.as_str()),
    )?;
    let cost = Money::from_scaled(b.cost_e4).times(Qty::from_scaled(q));
    write(
        ctx,
        id,
        (b.store_id, b.product_id, b.id, None),
        q,
        cost,
        reason,
        practitioner,
        appointment,
        notes,
    )?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
fn write(
    ctx: &Ctx<'_>,
    id: WasteId,
    (store, product, batch, session): (StoreId, ProductId, BatchId, Option<VialSessionId>),
    q: i64,
    cost: Money,
    reason: WasteReason,
    practitioner: Option<UserId>,
    appointment: Option<&str>,
    notes: Option<&str>,
) -> Result<()> {
    let cost_e4 = cost.to_scaled("cost")?;
    ctx.tx.execute(
        "INSERT INTO waste_records (id, store_id, product_id, batch_id, session_id, reason, quantity_milli, cost_e4,
                                    practitioner_id, appointment_ref, notes, recorded_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![id, store, product, batch, session, reason.as_str(), q, cost_e4, practitioner, appointment, notes,
                ctx.now_str(), ctx.actor.id],
    )?;
    let payload = Payload::about("waste", id, reason.as_str()).with_data(serde_json::json!({
        "batch_id": batch,
        "product_id": product,
        "session_id": session,
        "reason": reason,
        "quantity": Qty::from_scaled(q),
        "cost": cost,
        "practitioner_id": practitioner,
        "appointment_ref": appointment,
        "notes": notes,
    }))?;
    audit::record(ctx, store, ChangeType::WasteRecorded, &payload)?;
    Ok(())
}

pub(crate) const SELECT: &str = "SELECT w.id, w.store_id, w.product_id, p.name, w.batch_id, b.batch_number, w.session_id, w.reason,
        w.quantity_milli, w.cost_e4, w.practitioner_id, u.name, w.appointment_ref, w.notes, w.recorded_at, w.recorded_by
   FROM waste_records w JOIN products p ON p.id = w.product_id JOIN batches b ON b.id = w.batch_id
   LEFT JOIN users u ON u.id = w.practitioner_id";

pub(crate) fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<WasteRecord> {
    let reason: String = r.get(7)?;
    let reason = WasteReason::parse(&reason).map_err(|_| {
        crate::error::corrupt_in_row(
            7,
            "waste record",
            r.get::<_, String>(0).unwrap_or_default(),
            "reason",
            reason,
        )
    })?;
    Ok(WasteRecord {
        waste_id: r.get(0)?,
        store_id: r.get(1)?,
        product_id: r.get(2)?,
        product_name: r.get(3)?,
        batch_id: r.get(4)?,
        batch_number: r.get(5)?,
        session_id: r.get(6)?,
        reason,
        quantity: Qty::from_scaled(r.get(8)?),
        cost: Money::from_scaled(r.get(9)?),
        practitioner_id: r.get(10)?,
        practitioner_name: r.get(11)?,
        appointment_ref: r.get(12)?,
        notes: r.get(13)?,
        recorded_at: r.get(14)?,
        recorded_by: r.get(15)?,
    })
}

fn get(ctx: &Ctx<'_>, id: WasteId) -> Result<WasteRecord> {
    let rows = ctx
        .tx
        .prepare_cached(&format!("{SELECT} WHERE w.id = ?1"))?
        .query_map([id], read)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .next()
        .ok_or_else(|| Error::not_found("waste record", id))
}

/// Waste records of one vial, oldest first.
pub(crate) fn of_session(ctx: &Ctx<'_>, id: VialSessionId) -> Result<Vec<WasteRecord>> {
    let rows = ctx
        .tx
        .prepare_cached(&format!(
            "{SELECT} WHERE w.session_id = ?1 ORDER BY w.recorded_at, w.id"
        ))?
        .query_map([id], read)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A page of waste records.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct WastePage {
    /// Newest first.
    pub rows: Vec<WasteRecord>,
    /// Records passing the filters.
    #[ts(type = "number")]
    pub total: i64,
    /// Their total cost.
    pub total_cost: Money,
}

/// A store's waste records, newest first: recorded at or after `from`, before `to`;
/// only one `reason` or `product_id`. Paged (`limit` 1–500, default 50), with the count
/// and total cost of all pages.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListWaste {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// From.
    #[ts(optional, type = "string")]
    pub from: Option<DateTime<Utc>>,
    /// Before.
    #[ts(optional, type = "string")]
    pub to: Option<DateTime<Utc>>,
    /// Only this reason.
    #[ts(optional)]
    pub reason: Option<WasteReason>,
    /// Only this product.
    #[ts(optional)]
    pub product_id: Option<ProductId>,
    /// Page size.
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[ts(optional)]
    pub offset: Option<u32>,
}

impl Operation for ListWaste {
    const NAME: &'static str = "list_waste";
    const SUMMARY: &'static str = "A store's waste records with their cost, newest first";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = WastePage;

    fn run(self, ctx: &Ctx<'_>) -> Result<WastePage> {
        let store = ctx.store(self.store_id)?;
        let (limit, offset) = limit_offset(self.limit, self.offset, 50)?;
        let from = self.from.map(super::vials::stamp);
        let to = self.to.map(super::vials::stamp);
        let reason = self.reason.map(WasteReason::as_str);
        let cond = "w.store_id = ?1 AND (?2 IS NULL OR w.recorded_at >= ?2) AND (?3 IS NULL OR w.recorded_at < ?3)
                    AND (?4 IS NULL OR w.reason = ?4) AND (?5 IS NULL OR w.product_id = ?5)";
        let (total, cost): (i64, i64) = ctx.tx.query_row(
            &format!(
                "SELECT COUNT(*), COALESCE(SUM(w.cost_e4), 0) FROM waste_records w WHERE {cond}"
            ),
            params![store.id, from, to, reason, self.product_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let rows = ctx
            .tx
            .prepare(&format!(
                "{SELECT} WHERE {cond} ORDER BY w.recorded_at DESC, w.id DESC LIMIT ?6 OFFSET ?7"
            ))?
            .query_map(
                params![store.id, from, to, reason, self.product_id, limit, offset],
                read,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(WastePage {
            rows,
            total,
            total_cost: Money::from_scaled(cost),
        })
    }
}
