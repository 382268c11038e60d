//! Excursions and the manager's decision on each held lot.

use super::from_centi;
use crate::alerts::{self, AlertType};
use crate::audit::{self, ChangeType, NewEvent};
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::ids::{BatchId, ExcursionId, ProductId, StorageLocationId, StoreId};
use crate::num::Qty;
use crate::op::{Ctx, Operation};
use crate::page::limit_offset;
use crate::stock::{move_stock, BatchRow, BatchStatus};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How a location broke a product's range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExcursionKind {
    /// One reading too far above the maximum.
    TooHot,
    /// One reading too far below the minimum.
    TooCold,
    /// Too many minutes above the maximum within the window.
    CumulativeHot,
    /// Too many minutes below the minimum within the window.
    CumulativeCold,
}

impl ExcursionKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ExcursionKind::TooHot => "too_hot",
            ExcursionKind::TooCold => "too_cold",
            ExcursionKind::CumulativeHot => "cumulative_hot",
            ExcursionKind::CumulativeCold => "cumulative_cold",
        }
    }

    fn parse(s: &str) -> Option<ExcursionKind> {
        Some(match s {
            "too_hot" => ExcursionKind::TooHot,
            "too_cold" => ExcursionKind::TooCold,
            "cumulative_hot" => ExcursionKind::CumulativeHot,
            "cumulative_cold" => ExcursionKind::CumulativeCold,
            _ => return None,
        })
    }
}

/// What a manager decided for a held lot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LotDecision {
    /// Back to available.
    Release,
    /// Everything left written off as waste.
    Dispose,
}

/// A lot held by an excursion.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ExcursionLot {
    /// Batch.
    pub batch_id: BatchId,
    /// Product.
    pub product_id: ProductId,
    /// Product name.
    pub product_name: String,
    /// Lot number.
    pub batch_number: String,
    /// Expiry date.
    pub expiry_date: String,
    /// On hand now.
    pub quantity: Qty,
    /// Status now.
    pub status: BatchStatus,
    /// `released` or `disposed`, once decided.
    pub decision: Option<String>,
    /// When.
    pub decided_at: Option<String>,
    /// By whom (name).
    pub decided_by: Option<String>,
    /// The manager's note.
    pub note: Option<String>,
}

/// An excursion with its lots.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Excursion {
    /// Id.
    pub excursion_id: ExcursionId,
    /// Store.
    pub store_id: StoreId,
    /// Location.
    pub location_id: StorageLocationId,
    /// Location name.
    pub location_name: String,
    /// Kind.
    pub kind: ExcursionKind,
    /// The reading that tripped it.
    pub detected_at: String,
    /// Hottest (coldest) reading involved, °C.
    #[ts(type = "string")]
    pub peak_c: Decimal,
    /// The range limit crossed, °C.
    #[ts(type = "string")]
    pub limit_c: Decimal,
    /// Minutes outside the range in the window (cumulative kinds).
    #[ts(type = "number")]
    pub minutes_outside: i64,
    /// `open` until every lot is decided, then `closed`.
    pub status: String,
    /// Recorded at.
    pub created_at: String,
    /// Closed at.
    pub closed_at: Option<String>,
    /// The lots it held.
    pub lots: Vec<ExcursionLot>,
}

pub(crate) fn get_excursion(ctx: &Ctx<'_>, id: ExcursionId) -> Result<Excursion> {
    let row = ctx
        .tx
        .prepare_cached(
            "SELECT e.store_id, e.location_id, l.name, e.kind, e.detected_at, e.peak_centi, e.limit_centi,
                    e.minutes_outside, e.status, e.created_at, e.closed_at
               FROM temperature_excursions e JOIN storage_locations l ON l.id = e.location_id
              WHERE e.id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, StoreId>(0)?,
                r.get::<_, StorageLocationId>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, i64>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, String>(9)?,
                r.get::<_, Option<String>>(10)?,
            ))
        })
        .optional()?
        .ok_or_else(|| Error::not_found("excursion", id))?;
    let kind = ExcursionKind::parse(&row.3)
        .ok_or_else(|| Error::corrupt("excursion", id, "kind", row.3.clone()))?;
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT b.id, b.product_id, p.name, b.batch_number, b.expiry_date, b.on_hand_milli, b.status,
                el.decision, el.decided_at, u.name, el.note
           FROM excursion_lots el
           JOIN batches b ON b.id = el.batch_id
           JOIN products p ON p.id = b.product_id
           LEFT JOIN users u ON u.id = el.decided_by
          WHERE el.excursion_id = ?1
          ORDER BY p.name, b.batch_number",
    )?;
    let lots = stmt
        .query_map([id], |r| {
            Ok((
                r.get::<_, BatchId>(0)?,
                r.get::<_, ProductId>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<String>>(9)?,
                r.get::<_, Option<String>>(10)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(|l| {
            Ok(ExcursionLot {
                batch_id: l.0,
                product_id: l.1,
                product_name: l.2,
                batch_number: l.3,
                expiry_date: l.4,
                quantity: Qty::from_scaled(l.5),
                status: BatchStatus::parse(&l.6)?,
                decision: l.7,
                decided_at: l.8,
                decided_by: l.9,
                note: l.10,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Excursion {
        excursion_id: id,
        store_id: row.0,
        location_id: row.1,
        location_name: row.2,
        kind,
        detected_at: row.4,
        peak_c: from_centi(row.5),
        limit_c: from_centi(row.6),
        minutes_outside: row.7,
        status: row.8,
        created_at: row.9,
        closed_at: row.10,
        lots,
    })
}

/// Lists a store's temperature excursions, newest first, with their lots and each lot's
/// decision. `open_only` keeps those with lots still on hold. Paged by `limit` (1–500,
/// default 50) and `offset`.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListExcursions {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Only this location.
    #[ts(optional)]
    pub location_id: Option<StorageLocationId>,
    /// Only open excursions.
    #[ts(optional)]
    pub open_only: Option<bool>,
    /// Page size (1–500, default 50).
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[ts(optional)]
    pub offset: Option<u32>,
}

/// A page of excursions.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ExcursionPage {
    /// Newest first.
    pub rows: Vec<Excursion>,
    /// All pages together.
    #[ts(type = "number")]
    pub total: i64,
}

impl Operation for ListExcursions {
    const NAME: &'static str = "list_excursions";
    const SUMMARY: &'static str =
        "List a store's temperature excursions with their held lots and decisions";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = ExcursionPage;

    fn run(self, ctx: &Ctx<'_>) -> Result<ExcursionPage> {
        let store = ctx.store(self.store_id)?;
        let (limit, offset) = limit_offset(self.limit, self.offset, 50)?;
        let open = self.open_only.unwrap_or(false);
        let total: i64 = ctx.tx.query_row(
            "SELECT COUNT(*) FROM temperature_excursions
              WHERE store_id = ?1 AND (?2 IS NULL OR location_id = ?2) AND (?3 = 0 OR status = 'open')",
            params![store.id, self.location_id, open],
            |r| r.get(0),
        )?;
        let ids = ctx
            .tx
            .prepare_cached(
                "SELECT id FROM temperature_excursions
                  WHERE store_id = ?1 AND (?2 IS NULL OR location_id = ?2) AND (?3 = 0 OR status = 'open')
                  ORDER BY created_at DESC, id DESC LIMIT ?4 OFFSET ?5",
            )?
            .query_map(
                params![store.id, self.location_id, open, limit, offset],
                |r| r.get::<_, ExcursionId>(0),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let rows = ids
            .into_iter()
            .map(|id| get_excursion(ctx, id))
            .collect::<Result<Vec<_>>>()?;
        Ok(ExcursionPage { rows, total })
    }
}

/// Decides one lot held by a temperature excursion.
///
/// - `release`: the lot goes back to `available` (a `status_change` event); refused for a
///   lot past its expiry date (`batch_not_sellable`) or no longer in quarantine
///   (`batch_not_quarantined`: someone recalled or wrote it off meanwhile).
/// - `dispose`: everything left on the lot is written off as `waste` (its status stays
///   `quarantine`); a lot with nothing left is simply marked disposed.
/// - A lot is decided once (`lot_already_decided`). When every lot of the excursion is
///   decided, the excursion closes and its `temperature_excursion` alert resolves.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct DecideExcursionLot {
    /// Excursion.
    pub excursion_id: ExcursionId,
    /// One of its lots.
    pub batch_id: BatchId,
    /// `release` or `dispose`.
    pub decision: LotDecision,
    /// Why (inspection result, manufacturer's advice…).
    #[ts(optional)]
    pub note: Option<String>,
}

impl Operation for DecideExcursionLot {
    const NAME: &'static str = "decide_excursion_lot";
    const SUMMARY: &'static str = "Release or dispose of one lot held by a temperature excursion";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = Excursion;

    fn run(self, ctx: &Ctx<'_>) -> Result<Excursion> {
        let (store, location): (StoreId, String) = ctx
            .tx
            .prepare_cached(
                "SELECT e.store_id, l.name FROM temperature_excursions e
                   JOIN storage_locations l ON l.id = e.location_id WHERE e.id = ?1",
            )?
            .query_row([self.excursion_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .ok_or_else(|| Error::not_found("excursion", self.excursion_id))?;
        let store = ctx.store(Some(store))?;
        let note = optional_text("note", self.note.as_deref(), 1000)?;
        let decided: Option<Option<String>> = ctx
            .tx
            .prepare_cached(
                "SELECT decision FROM excursion_lots WHERE excursion_id = ?1 AND batch_id = ?2",
            )?
            .query_row(params![self.excursion_id, self.batch_id], |r| r.get(0))
            .optional()?;
        let b = BatchRow::load(ctx.tx, self.batch_id)?;
        match decided {
            None => {
                return Err(Error::invalid(
                    "batch_id",
                    format!("lot {} was not held by this excursion", b.batch_number),
                ))
            }
            Some(Some(d)) => {
                return Err(Error::LotAlreadyDecided {
                    batch_id: b.id,
                    batch: b.batch_number,
                    decision: d,
                })
            }
            Some(None) => {}
        }
        let why = note
            .as_deref()
            .map(|n| format!(": {n}"))
            .unwrap_or_default();
        let reference = self.excursion_id.to_string();
        let decision = match self.decision {
            LotDecision::Release => {
                if b.status != BatchStatus::Quarantine {
                    return Err(Error::BatchNotQuarantined {
                        batch_id: b.id,
                        batch: b.batch_number,
                        status: b.status,
                    });
                }
                if b.is_expired_on(ctx.today(&store)) {
                    return Err(Error::BatchNotSellable {
                        batch_id: Some(b.id),
                        batch: b.batch_number.clone(),
                        reason: BatchStatus::Expired,
                        expiry_date: Some(b.expiry_date.clone()),
                    });
                }
                let to = if b.on_hand_milli == 0 {
                    BatchStatus::Depleted
                } else {
                    BatchStatus::Available
                };
                ctx.tx.execute(
                    "UPDATE batches SET status = ?2, status_reason = NULL, updated_at = ?3 WHERE id = ?1",
                    params![b.id, to.as_str(), ctx.now_str()],
                )?;
                let notes = format!(
                    "quarantine -> {}: released after the temperature excursion at {location}{why}",
                    to.as_str()
                );
                audit::append(
                    ctx,
                    NewEvent {
                        store_id: b.store_id,
                        batch_id: Some(b.id),
                        product_id: Some(b.product_id),
                        change_type: ChangeType::StatusChange,
                        previous_milli: Some(b.on_hand_milli),
                        new_milli: Some(b.on_hand_milli),
                        reference_id: Some(&reference),
                        notes: Some(&notes),
                    },
                )?;
                "released"
            }
            LotDecision::Dispose => {
                if b.reserved_milli > 0 {
                    crate::stock::reservations::expire_holds_on_batch(ctx, b.id)?;
                }
                if b.on_hand_milli > 0 {
                    let b = BatchRow::load(ctx.tx, b.id)?;
                    let notes =
                        format!("disposed of after the temperature excursion at {location}{why}");
                    move_stock(
                        ctx,
                        &b,
                        0,
                        ChangeType::Waste,
                        Some(&reference),
                        Some(&notes),
                    )?;
                }
                "disposed"
            }
        };
        ctx.tx.execute(
            "UPDATE excursion_lots SET decision = ?3, decided_at = ?4, decided_by = ?5, note = ?6
              WHERE excursion_id = ?1 AND batch_id = ?2",
            params![
                self.excursion_id,
                self.batch_id,
                decision,
                ctx.now_str(),
                ctx.actor.id,
                note
            ],
        )?;
        let undecided: i64 = ctx.tx.query_row(
            "SELECT COUNT(*) FROM excursion_lots WHERE excursion_id = ?1 AND decision IS NULL",
            [self.excursion_id],
            |r| r.get(0),
        )?;
        if undecided == 0 {
            ctx.tx.execute(
                "UPDATE temperature_excursions SET status = 'closed', closed_at = ?2 WHERE id = ?1",
                params![self.excursion_id, ctx.now_str()],
            )?;
            alerts::resolve_subject(
                ctx,
                store.id,
                AlertType::TemperatureExcursion,
                &reference,
                "every held lot was released or disposed of",
            )?;
        }
        get_excursion(ctx, self.excursion_id)
    }
}
