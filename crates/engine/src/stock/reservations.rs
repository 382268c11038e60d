//! Reservations: holds on a batch's stock for a pending sale, a QA review or
//! a transfer. A hold lowers what can be sold without touching on-hand;
//! confirming it deducts the stock as a sale, releasing it gives it back.
//! Holds carry an expiry time; `release_expired_reservations` returns the
//! stock of lapsed holds. The seed's `UNIQUE (batch, reason, status)` is kept
//! in intent only: no two *active* holds for the same batch, reason and
//! reference (two carts may hold the same batch).

use super::{move_stock, BatchRow};
use crate::audit::{self, ChangeType, NewEvent};
use crate::auth::Permission;
use crate::catalogue::products::ProductRules;
use crate::catalogue::{optional_text, required_text};
use crate::ids::{BatchId, ReservationId, StoreId, UserId};
use crate::num::Qty;
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use chrono::Duration;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Default lifetime of a hold.
pub const DEFAULT_TTL_MINUTES: u32 = 60;

/// A reservation.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Reservation {
    /// Id.
    pub reservation_id: ReservationId,
    /// Batch held.
    pub product_batch_id: BatchId,
    /// Store.
    pub store_id: StoreId,
    /// Quantity held.
    pub quantity: Qty,
    /// `pending_sale`, `qa_review`, `hold`, …
    pub reason: String,
    /// Cart / sale / transfer reference.
    pub reference_id: Option<String>,
    /// `active`, `released`, `confirmed` or `expired`.
    pub status: String,
    /// Who placed it.
    pub user_id: UserId,
    /// When it lapses.
    pub expires_at: Option<String>,
    /// When placed.
    pub created_at: String,
}

/// - The batch must be sellable (`batch_not_sellable`, with `details.reason`, otherwise)
///   and have enough unreserved stock (`insufficient_stock`).
/// - `batch_id` is accepted as an alias of `product_batch_id`.
/// - A second *active* hold on the same batch with the same `reason` and `reference_id`
///   is a `conflict`.
/// - `ttl_minutes` is 1 to 43200 (30 days), default 60. On-hand is unchanged; `reserved`
///   grows and `available` shrinks. Writes a `reserved` audit event.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReserveStock {
    /// Batch to hold.
    #[serde(alias = "batch_id")]
    pub product_batch_id: BatchId,
    /// Quantity (> 0).
    pub quantity: Qty,
    /// Why: `pending_sale`, `qa_review`, `hold`, …
    pub reason: String,
    /// Cart / sale reference.
    #[ts(optional)]
    pub reference_id: Option<String>,
    /// Minutes until the hold lapses (default 60).
    #[ts(optional)]
    pub ttl_minutes: Option<u32>,
}

impl Operation for ReserveStock {
    const NAME: &'static str = "reserve_stock";
    const SUMMARY: &'static str = "Hold a quantity on a batch so it cannot be sold elsewhere";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    const NAMES_ACTING_USER: bool = true;
    type Output = Reservation;

    fn run(self, ctx: &Ctx<'_>) -> Result<Reservation> {
        let b = BatchRow::load(ctx.tx, self.product_batch_id)?;
        let store = ctx.store(Some(b.store_id))?;
        b.ensure_sellable(ctx.today(&store))?;
        let q = ProductRules::load(ctx.tx, b.product_id)?.quantity("quantity", self.quantity)?;
        let reason = required_text("reason", &self.reason, 40)?;
        if reason == OPEN_VIAL_HOLD {
            return Err(Error::invalid(
                "reason",
                "open_vial holds are placed by opening a vial (open_vial_session)",
            ));
        }
        let reference = optional_text("reference_id", self.reference_id.as_deref(), 64)?;
        let free = b.on_hand_milli - b.reserved_milli;
        if q > free {
            return Err(Error::InsufficientStock {
                product_id: Some(b.product_id.to_string()),
                batch_id: Some(b.id.to_string()),
                requested: Qty::from_scaled(q).to_string(),
                available: Qty::from_scaled(free).to_string(),
            });
        }
        if reference.is_some() {
            let dup: bool = ctx.tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM stock_reservations WHERE batch_id = ?1 AND reason = ?2 AND reference_id = ?3 AND status = 'active')",
                params![b.id, reason, reference],
                |r| r.get(0),
            )?;
            if dup {
                return Err(Error::conflict(format!(
                    "batch {} is already held for this reference",
                    b.batch_number
                )));
            }
        }
        let ttl = self.ttl_minutes.unwrap_or(DEFAULT_TTL_MINUTES);
        if ttl == 0 || ttl > 60 * 24 * 30 {
            return Err(Error::invalid(
                "ttl_minutes",
                "ttl_minutes must be between 1 and 43200 (30 days)",
            ));
        }
        let expires = (ctx.now + Duration::minutes(i64::from(ttl)))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let id = place_hold(ctx, &b, q, &reason, reference.as_deref(), Some(&expires))?;
        get(ctx, id)
    }
}

/// Holds `q` thousandths of `b` (the caller checked the batch and its free
/// stock): a reservation row, the batch's reserved total and a `reserved`
/// event. `expires` `None` is a hold that never lapses on its own (an open
/// vial's, which its session ends).
pub(crate) fn place_hold(
    ctx: &Ctx<'_>,
    b: &BatchRow,
    q: i64,
    reason: &str,
    reference: Option<&str>,
    expires: Option<&str>,
) -> Result<ReservationId> {
    let id = ReservationId::new();
    ctx.tx.execute(
        "INSERT INTO stock_reservations (id, batch_id, store_id, quantity_milli, reason, reference_id, user_id, expires_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![id, b.id, b.store_id, q, reason, reference, ctx.actor.id, expires, ctx.now_str()],
    )?;
    ctx.tx.execute(
        "UPDATE batches SET reserved_milli = reserved_milli + ?2 WHERE id = ?1",
        params![b.id, q],
    )?;
    hold_event(
        ctx,
        b,
        ChangeType::Reserved,
        id,
        &format!("held {} ({reason})", Qty::from_scaled(q)),
    )?;
    Ok(id)
}

/// Takes `q` thousandths off an active hold as that stock leaves the batch
/// (an open vial's draws and waste): the hold shrinks, and ends
/// (`confirmed`) when nothing is left of it. No event of its own: the stock
/// move that follows is the event.
pub(crate) fn shrink_hold(ctx: &Ctx<'_>, id: ReservationId, q: i64) -> Result<()> {
    let (b, held) = active(ctx, id)?;
    if q > held {
        return Err(Error::internal(format!(
            "hold {id} has {} left, cannot take {}",
            Qty::from_scaled(held),
            Qty::from_scaled(q)
        )));
    }
    if q == held {
        end_hold(ctx, id, &b, q, "confirmed")
    } else {
        ctx.tx.execute(
            "UPDATE stock_reservations SET quantity_milli = quantity_milli - ?2, updated_at = ?3 WHERE id = ?1",
            params![id, q, ctx.now_str()],
        )?;
        ctx.tx.execute(
            "UPDATE batches SET reserved_milli = reserved_milli - ?2 WHERE id = ?1",
            params![b.id, q],
        )?;
        Ok(())
    }
}

/// Refuses to release or confirm an open vial's hold by hand.
fn not_a_vial(ctx: &Ctx<'_>, id: ReservationId) -> Result<()> {
    let reason: String = ctx.tx.query_row(
        "SELECT reason FROM stock_reservations WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?;
    if reason == OPEN_VIAL_HOLD {
        return Err(Error::conflict(
            "this hold belongs to an open vial; it ends when the vial is closed",
        ));
    }
    Ok(())
}

/// The reason of an open vial's hold: its session ends it, never a status
/// change of the lot or a lapse.
pub const OPEN_VIAL_HOLD: &str = "open_vial";

fn hold_event(
    ctx: &Ctx<'_>,
    b: &BatchRow,
    change: ChangeType,
    id: ReservationId,
    notes: &str,
) -> Result<()> {
    audit::append(
        ctx,
        NewEvent {
            store_id: b.store_id,
            batch_id: Some(b.id),
            product_id: Some(b.product_id),
            change_type: change,
            previous_milli: Some(b.on_hand_milli),
            new_milli: Some(b.on_hand_milli),
            reference_id: Some(&id.to_string()),
            notes: Some(notes),
        },
    )?;
    Ok(())
}

/// Loads an active reservation: (batch, quantity).
fn active(ctx: &Ctx<'_>, id: ReservationId) -> Result<(BatchRow, i64)> {
    let (batch_id, q, status, store): (BatchId, i64, String, StoreId) = ctx
        .tx
        .query_row(
            "SELECT batch_id, quantity_milli, status, store_id FROM stock_reservations WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?
        .ok_or_else(|| Error::not_found("reservation", id))?;
    ctx.check_store(store)?;
    if status != "active" {
        return Err(Error::ReservationNotActive {
            reservation_id: id,
            status,
        });
    }
    Ok((BatchRow::load(ctx.tx, batch_id)?, q))
}

fn end_hold(ctx: &Ctx<'_>, id: ReservationId, b: &BatchRow, q: i64, status: &str) -> Result<()> {
    ctx.tx.execute(
        "UPDATE stock_reservations SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, status, ctx.now_str()],
    )?;
    ctx.tx.execute(
        "UPDATE batches SET reserved_milli = reserved_milli - ?2 WHERE id = ?1",
        params![b.id, q],
    )?;
    Ok(())
}

/// Only an `active` hold can be released (`reservation_not_active` otherwise). Writes a
/// `release` audit event; on-hand is unchanged.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReleaseReservation {
    /// The hold.
    pub reservation_id: ReservationId,
}

impl Operation for ReleaseReservation {
    const NAME: &'static str = "release_reservation";
    const SUMMARY: &'static str = "Release a hold; its quantity becomes sellable again";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    const NAMES_ACTING_USER: bool = true;
    type Output = Reservation;

    fn run(self, ctx: &Ctx<'_>) -> Result<Reservation> {
        let (b, q) = active(ctx, self.reservation_id)?;
        not_a_vial(ctx, self.reservation_id)?;
        end_hold(ctx, self.reservation_id, &b, q, "released")?;
        hold_event(
            ctx,
            &b,
            ChangeType::Release,
            self.reservation_id,
            &format!("released {}", Qty::from_scaled(q)),
        )?;
        get(ctx, self.reservation_id)
    }
}

/// The held quantity leaves the batch as a sale (`confirm_reserve` audit event, with
/// `reference_id`, default the reservation id). The batch must still be sellable.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ConfirmReservation {
    /// The hold.
    pub reservation_id: ReservationId,
    /// Sale reference for the audit event.
    #[ts(optional)]
    pub reference_id: Option<String>,
}

impl Operation for ConfirmReservation {
    const NAME: &'static str = "confirm_reservation";
    const SUMMARY: &'static str = "Turn a hold into a sale: its quantity leaves the batch";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    const NAMES_ACTING_USER: bool = true;
    type Output = Reservation;

    fn run(self, ctx: &Ctx<'_>) -> Result<Reservation> {
        let (b, q) = active(ctx, self.reservation_id)?;
        not_a_vial(ctx, self.reservation_id)?;
        let store = ctx.store(Some(b.store_id))?;
        b.ensure_sellable(ctx.today(&store))?;
        let reference = optional_text("reference_id", self.reference_id.as_deref(), 64)?
            .unwrap_or_else(|| self.reservation_id.to_string());
        end_hold(ctx, self.reservation_id, &b, q, "confirmed")?;
        let b = BatchRow::load(ctx.tx, b.id)?;
        move_stock(
            ctx,
            &b,
            b.on_hand_milli - q,
            ChangeType::ConfirmReserve,
            Some(&reference),
            None,
        )?;
        get(ctx, self.reservation_id)
    }
}

/// Releases every active hold of the store whose `expires_at` is at or before now and
/// returns their ids (status becomes `expired`). Run it periodically, or with `--now`
/// from the CLI. Holds on a batch that stops being sellable (quarantine, recall, damage,
/// expiry) are released automatically.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReleaseExpiredReservations {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

impl Operation for ReleaseExpiredReservations {
    const NAME: &'static str = "release_expired_reservations";
    const SUMMARY: &'static str = "Release every hold whose time has run out";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    type Output = Vec<ReservationId>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<ReservationId>> {
        let store = ctx.store(self.store_id)?;
        let mut stmt = ctx.tx.prepare(
            "SELECT id FROM stock_reservations WHERE store_id = ?1 AND status = 'active' AND expires_at IS NOT NULL AND expires_at <= ?2",
        )?;
        let ids = stmt
            .query_map(params![store.id, ctx.now_str()], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<ReservationId>>>()?;
        for id in &ids {
            let (b, q) = active(ctx, *id)?;
            end_hold(ctx, *id, &b, q, "expired")?;
            hold_event(
                ctx,
                &b,
                ChangeType::Release,
                *id,
                &format!("hold lapsed; released {}", Qty::from_scaled(q)),
            )?;
        }
        Ok(ids)
    }
}

/// What a front end's hold timer runs: `release_expired_reservations` for
/// the session's user, so lapsed holds give their stock back without waiting
/// for the next till action. Returns how many holds were released. When the
/// user, as the database holds them now, may not run it (deactivated, or a
/// role without `sell`), it does nothing and returns 0: a timer has nobody
/// to show a refusal to, and the next hold, resume or sale runs the same
/// release.
pub fn release_lapsed_holds(db: &mut crate::Db, session: &crate::Session) -> Result<usize> {
    if !crate::auth::may(db, session, ReleaseExpiredReservations::PERMISSION)? {
        return Ok(0);
    }
    Ok(db
        .execute(session, ReleaseExpiredReservations::default())?
        .len())
}

/// Ends every active hold on a batch that has just become unsellable, but
/// an open vial's: the vial's session keeps it until the vial is closed
/// (the clinic refuses draws from a lot that is not sellable, and its sweep
/// closes the vials of recalled or damaged lots).
pub(crate) fn expire_holds_on_batch(ctx: &Ctx<'_>, batch_id: BatchId) -> Result<()> {
    let mut stmt = ctx
        .tx
        .prepare("SELECT id FROM stock_reservations WHERE batch_id = ?1 AND status = 'active' AND reason <> ?2")?;
    let ids = stmt
        .query_map(params![batch_id, OPEN_VIAL_HOLD], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<ReservationId>>>()?;
    for id in ids {
        let (b, q) = active(ctx, id)?;
        end_hold(ctx, id, &b, q, "expired")?;
        hold_event(
            ctx,
            &b,
            ChangeType::Release,
            id,
            "batch no longer sellable; hold released",
        )?;
    }
    Ok(())
}

/// `status` is `active` (default), `released`, `confirmed` or `expired`; newest first, at
/// most 1000.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListReservations {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Only this status (default: active).
    #[ts(optional)]
    pub status: Option<String>,
}

impl Operation for ListReservations {
    const NAME: &'static str = "list_reservations";
    const SUMMARY: &'static str = "Holds in a store (default: the active ones)";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Vec<Reservation>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<Reservation>> {
        let store = ctx.store(self.store_id)?;
        let mut stmt = ctx.tx.prepare(&format!(
            "{SQL} WHERE store_id = ?1 AND status = ?2 ORDER BY created_at DESC LIMIT 1000"
        ))?;
        let rows = stmt.query_map(
            params![store.id, self.status.as_deref().unwrap_or("active")],
            read,
        )?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

const SQL: &str =
    "SELECT id, batch_id, store_id, quantity_milli, reason, reference_id, status, user_id, expires_at, created_at FROM stock_reservations";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Reservation> {
    Ok(Reservation {
        reservation_id: r.get(0)?,
        product_batch_id: r.get(1)?,
        store_id: r.get(2)?,
        quantity: Qty::from_scaled(r.get(3)?),
        reason: r.get(4)?,
        reference_id: r.get(5)?,
        status: r.get(6)?,
        user_id: r.get(7)?,
        expires_at: r.get(8)?,
        created_at: r.get(9)?,
    })
}

fn get(ctx: &Ctx<'_>, id: ReservationId) -> Result<Reservation> {
    ctx.tx
        .query_row(&format!("{SQL} WHERE id = ?1"), [id], read)
        .optional()?
        .ok_or_else(|| Error::not_found("reservation", id))
}
