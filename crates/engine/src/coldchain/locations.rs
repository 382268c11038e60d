//! Storage locations and the lots they hold.

use super::{from_centi, to_centi};
use crate::audit::{self, ChangeType, Payload};
use crate::auth::Permission;
use crate::catalogue::required_text;
use crate::ids::{BatchId, ProductId, StorageLocationId, StoreId};
use crate::num::Qty;
use crate::op::{Ctx, Operation};
use crate::stock::{BatchRow, BatchStatus};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What kind of place a location is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LocationKind {
    /// A refrigerator (typically 2–8 °C).
    Fridge,
    /// A freezer.
    Freezer,
    /// A shelf.
    Shelf,
    /// A room (store room, dispensary).
    Room,
}

impl LocationKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            LocationKind::Fridge => "fridge",
            LocationKind::Freezer => "freezer",
            LocationKind::Shelf => "shelf",
            LocationKind::Room => "room",
        }
    }

    fn parse(s: &str) -> Option<LocationKind> {
        Some(match s {
            "fridge" => LocationKind::Fridge,
            "freezer" => LocationKind::Freezer,
            "shelf" => LocationKind::Shelf,
            "room" => LocationKind::Room,
            _ => return None,
        })
    }
}

/// A storage location.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct StorageLocation {
    /// Id.
    pub location_id: StorageLocationId,
    /// Store.
    pub store_id: StoreId,
    /// Name ("Vaccine fridge").
    pub name: String,
    /// Kind.
    pub kind: LocationKind,
    /// A single reading further than this outside a product's range holds its lots (°C).
    #[ts(type = "string")]
    pub instant_margin_c: Decimal,
    /// Minutes outside the range tolerated within the window.
    #[ts(type = "number")]
    pub tolerance_minutes: i64,
    /// The window, in minutes.
    #[ts(type = "number")]
    pub window_minutes: i64,
    /// Lots held there with stock.
    pub lots: Vec<LocatedLot>,
    /// The newest reading (°C), if any.
    #[ts(type = "string | null")]
    pub last_celsius: Option<Decimal>,
    /// When it was taken.
    pub last_taken_at: Option<String>,
    /// Open excursions of the location.
    #[ts(type = "number")]
    pub open_excursions: i64,
    /// False once retired: it takes no lots and no readings, and keeps its history.
    pub is_active: bool,
}

/// A lot in a location.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct LocatedLot {
    /// Batch.
    pub batch_id: BatchId,
    /// Product.
    pub product_id: ProductId,
    /// Product name.
    pub product_name: String,
    /// Lot number.
    pub batch_number: String,
    /// Expiry date (`9999-12-31` when none).
    pub expiry_date: String,
    /// On hand.
    pub quantity: Qty,
    /// Status.
    pub status: BatchStatus,
    /// The product's lowest storage temperature (°C).
    #[ts(type = "string | null")]
    pub temperature_min_c: Option<Decimal>,
    /// The product's highest storage temperature (°C).
    #[ts(type = "string | null")]
    pub temperature_max_c: Option<Decimal>,
    /// In the location since.
    pub located_at: Option<String>,
}

/// A product's storage range in hundredths of a degree, from its `storage` JSON.
pub(crate) fn product_range(storage: Option<&str>) -> (Option<i64>, Option<i64>) {
    let Some(json) = storage else {
        return (None, None);
    };
    match serde_json::from_str::<crate::catalogue::products::StorageRequirements>(json) {
        Ok(s) => (
            s.temperature_min_c.and_then(|d| to_centi("min", d).ok()),
            s.temperature_max_c.and_then(|d| to_centi("max", d).ok()),
        ),
        Err(_) => (None, None),
    }
}

/// The lots with stock in a location.
pub(crate) fn lots_in(ctx: &Ctx<'_>, location: StorageLocationId) -> Result<Vec<LocatedLot>> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT b.id, b.product_id, p.name, b.batch_number, b.expiry_date, b.on_hand_milli, b.status,
                p.storage, b.storage_located_at
           FROM batches b JOIN products p ON p.id = b.product_id
          WHERE b.storage_location_id = ?1 AND b.on_hand_milli > 0
          ORDER BY p.name, b.expiry_date, b.batch_number",
    )?;
    let rows = stmt
        .query_map([location], |r| {
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
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(b, p, name, number, expiry, q, status, storage, at)| {
            let (lo, hi) = product_range(storage.as_deref());
            Ok(LocatedLot {
                batch_id: b,
                product_id: p,
                product_name: name,
                batch_number: number,
                expiry_date: expiry,
                quantity: Qty::from_scaled(q),
                status: BatchStatus::parse(&status)?,
                temperature_min_c: lo.map(from_centi),
                temperature_max_c: hi.map(from_centi),
                located_at: at,
            })
        })
        .collect()
}

/// Loads a location (store, name, whether active) and checks the actor may act in its store.
fn load(ctx: &Ctx<'_>, id: StorageLocationId) -> Result<(StoreId, String, bool)> {
    let row: (StoreId, String, bool) = ctx
        .tx
        .prepare_cached("SELECT store_id, name, is_active FROM storage_locations WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .ok_or_else(|| Error::not_found("storage location", id))?;
    ctx.check_store(row.0)?;
    Ok(row)
}

/// Loads a location (store, name) and checks the actor may act in its store.
pub(crate) fn load_location(ctx: &Ctx<'_>, id: StorageLocationId) -> Result<(StoreId, String)> {
    load(ctx, id).map(|(store, name, _)| (store, name))
}

/// Loads a location that still takes lots and readings: a retired one is a `conflict`.
pub(crate) fn load_active_location(
    ctx: &Ctx<'_>,
    id: StorageLocationId,
) -> Result<(StoreId, String)> {
    let (store, name, active) = load(ctx, id)?;
    if !active {
        return Err(Error::conflict(format!(
            "storage location '{name}' is retired; reactivate it or choose another"
        )));
    }
    Ok((store, name))
}

pub(crate) fn get_location(ctx: &Ctx<'_>, id: StorageLocationId) -> Result<StorageLocation> {
    let row = ctx
        .tx
        .prepare_cached(
            "SELECT l.store_id, l.name, l.kind, l.instant_margin_centi, l.tolerance_minutes, l.window_minutes,
                    (SELECT celsius_centi FROM temperature_readings r WHERE r.location_id = l.id ORDER BY taken_at DESC LIMIT 1),
                    (SELECT taken_at FROM temperature_readings r WHERE r.location_id = l.id ORDER BY taken_at DESC LIMIT 1),
                    (SELECT COUNT(*) FROM temperature_excursions e WHERE e.location_id = l.id AND e.status = 'open'),
                    l.is_active
               FROM storage_locations l WHERE l.id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, StoreId>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, Option<i64>>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, i64>(8)?,
                r.get::<_, bool>(9)?,
            ))
        })
        .optional()?
        .ok_or_else(|| Error::not_found("storage location", id))?;
    let kind = LocationKind::parse(&row.2)
        .ok_or_else(|| Error::corrupt("storage location", id, "kind", row.2.clone()))?;
    Ok(StorageLocation {
        location_id: id,
        store_id: row.0,
        name: row.1,
        kind,
        instant_margin_c: from_centi(row.3),
        tolerance_minutes: row.4,
        window_minutes: row.5,
        lots: lots_in(ctx, id)?,
        last_celsius: row.6.map(from_centi),
        last_taken_at: row.7,
        open_excursions: row.8,
        is_active: row.9,
    })
}

/// Creates a storage location in a store.
///
/// - `name` (unique in the store), `kind` (`fridge`, `freezer`, `shelf`, `room`).
/// - `instant_margin_c` (default 2.00 °C), `tolerance_minutes` (default 30) and
///   `window_minutes` (default 1,440) set how an excursion is judged (see `record_readings`).
///   Writes a `storage_location_saved` event.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CreateStorageLocation {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: LocationKind,
    /// Margin for a single reading (°C).
    #[ts(optional, type = "string")]
    #[serde(default, deserialize_with = "crate::num::opt_decimal")]
    pub instant_margin_c: Option<Decimal>,
    /// Tolerated minutes outside the range per window.
    #[ts(optional, type = "number")]
    pub tolerance_minutes: Option<i64>,
    /// Window in minutes.
    #[ts(optional, type = "number")]
    pub window_minutes: Option<i64>,
}

impl Operation for CreateStorageLocation {
    const NAME: &'static str = "create_storage_location";
    const SUMMARY: &'static str =
        "Create a storage location (fridge, freezer, shelf, room) with its excursion tolerance";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = StorageLocation;

    fn run(self, ctx: &Ctx<'_>) -> Result<StorageLocation> {
        let store = ctx.store(self.store_id)?;
        let name = required_text("name", &self.name, 100)?;
        let margin = margin_centi(self.instant_margin_c)?.unwrap_or(200);
        let tolerance = tolerance(self.tolerance_minutes)?.unwrap_or(30);
        let window = window(self.window_minutes)?.unwrap_or(1440);
        name_free(ctx, &store, &name, None)?;
        let id = StorageLocationId::new();
        let now = ctx.now_str();
        ctx.tx.execute(
            "INSERT INTO storage_locations (id, store_id, name, kind, instant_margin_centi, tolerance_minutes, window_minutes, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![id, store.id, name, self.kind.as_str(), margin, tolerance, window, now],
        )?;
        let payload =
            Payload::about("storage_location", id, &name).with_data(serde_json::json!({
                "kind": self.kind,
                "instant_margin_c": from_centi(margin),
                "tolerance_minutes": tolerance,
                "window_minutes": window,
            }))?;
        audit::record(ctx, store.id, ChangeType::StorageLocationSaved, &payload)?;
        get_location(ctx, id)
    }
}

/// A single reading's margin in hundredths of a degree (never negative).
fn margin_centi(m: Option<Decimal>) -> Result<Option<i64>> {
    match m {
        Some(m) if m.is_sign_negative() => Err(Error::invalid(
            "instant_margin_c",
            "the margin cannot be negative",
        )),
        Some(m) => to_centi("instant_margin_c", m).map(Some),
        None => Ok(None),
    }
}

fn tolerance(t: Option<i64>) -> Result<Option<i64>> {
    match t {
        Some(t) if !(0..=10_080).contains(&t) => Err(Error::invalid(
            "tolerance_minutes",
            "tolerance must be between 0 and 10,080 minutes (a week)",
        )),
        t => Ok(t),
    }
}

fn window(w: Option<i64>) -> Result<Option<i64>> {
    match w {
        Some(w) if !(1..=43_200).contains(&w) => Err(Error::invalid(
            "window_minutes",
            "the window must be between 1 and 43,200 minutes (30 days)",
        )),
        w => Ok(w),
    }
}

/// Names are unique in a store (`except` the location being renamed).
fn name_free(
    ctx: &Ctx<'_>,
    store: &crate::catalogue::stores::StoreInfo,
    name: &str,
    except: Option<StorageLocationId>,
) -> Result<()> {
    let taken: bool = ctx.tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM storage_locations WHERE store_id = ?1 AND name = ?2
                         AND (?3 IS NULL OR id <> ?3))",
        params![store.id, name, except],
        |r| r.get(0),
    )?;
    if taken {
        return Err(Error::conflict(format!(
            "store {} already has a storage location named '{name}'",
            store.name
        )));
    }
    Ok(())
}

/// Changes a storage location: its name, kind and excursion tolerance, or retires it
/// (`is_active: false`) and brings it back (`true`). Only what is given changes.
///
/// - A new name must be free in the store (`conflict`); margins and windows follow
///   `create_storage_location`'s rules.
/// - A location that still holds lots with stock, or has an open excursion, cannot be
///   retired (`conflict`: move the lots with `put_lot_in_location`, decide the excursion).
///   A retired location takes no lots and no readings (`conflict`) and keeps its history.
/// - Writes a `storage_location_saved` event with what changed (before → after).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct UpdateStorageLocation {
    /// The location.
    pub location_id: StorageLocationId,
    /// New name.
    #[ts(optional)]
    pub name: Option<String>,
    /// New kind.
    #[ts(optional)]
    pub kind: Option<LocationKind>,
    /// Margin for a single reading (°C).
    #[ts(optional, type = "string")]
    #[serde(default, deserialize_with = "crate::num::opt_decimal")]
    pub instant_margin_c: Option<Decimal>,
    /// Tolerated minutes outside the range per window.
    #[ts(optional, type = "number")]
    pub tolerance_minutes: Option<i64>,
    /// Window in minutes.
    #[ts(optional, type = "number")]
    pub window_minutes: Option<i64>,
    /// `false` retires the location, `true` brings it back.
    #[ts(optional)]
    pub is_active: Option<bool>,
}

impl Operation for UpdateStorageLocation {
    const NAME: &'static str = "update_storage_location";
    const SUMMARY: &'static str =
        "Rename a storage location, change its kind or excursion tolerance, or retire it";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = StorageLocation;

    fn run(self, ctx: &Ctx<'_>) -> Result<StorageLocation> {
        let (store, _) = load_location(ctx, self.location_id)?;
        let store = ctx.store(Some(store))?;
        let before = get_location(ctx, self.location_id)?;
        let name = match &self.name {
            Some(n) => {
                let n = required_text("name", n, 100)?;
                name_free(ctx, &store, &n, Some(self.location_id))?;
                Some(n)
            }
            None => None,
        };
        let margin = margin_centi(self.instant_margin_c)?;
        let tolerance = tolerance(self.tolerance_minutes)?;
        let window = window(self.window_minutes)?;
        if self.is_active == Some(false) && before.is_active {
            if !before.lots.is_empty() {
                return Err(Error::conflict(format!(
                    "storage location '{}' still holds {} lot(s) with stock; move them first",
                    before.name,
                    before.lots.len()
                )));
            }
            if before.open_excursions > 0 {
                return Err(Error::conflict(format!(
                    "storage location '{}' has an open excursion; decide its lots first",
                    before.name
                )));
            }
        }
        ctx.tx.execute(
            "UPDATE storage_locations SET name = COALESCE(?2, name), kind = COALESCE(?3, kind),
                    instant_margin_centi = COALESCE(?4, instant_margin_centi),
                    tolerance_minutes = COALESCE(?5, tolerance_minutes),
                    window_minutes = COALESCE(?6, window_minutes),
                    is_active = COALESCE(?7, is_active), updated_at = ?8
              WHERE id = ?1",
            params![
                self.location_id,
                name,
                self.kind.map(LocationKind::as_str),
                margin,
                tolerance,
                window,
                self.is_active,
                ctx.now_str()
            ],
        )?;
        let after = get_location(ctx, self.location_id)?;
        let payload = Payload::about("storage_location", self.location_id, &after.name)
            .with_changes(audit::diff(&Saved::of(&before), &Saved::of(&after))?);
        audit::record(ctx, store.id, ChangeType::StorageLocationSaved, &payload)?;
        Ok(after)
    }
}

/// What an update may change, for the event's before → after.
#[derive(Serialize)]
struct Saved<'a> {
    name: &'a str,
    kind: LocationKind,
    instant_margin_c: Decimal,
    tolerance_minutes: i64,
    window_minutes: i64,
    is_active: bool,
}

impl<'a> Saved<'a> {
    fn of(l: &'a StorageLocation) -> Self {
        Saved {
            name: &l.name,
            kind: l.kind,
            instant_margin_c: l.instant_margin_c,
            tolerance_minutes: l.tolerance_minutes,
            window_minutes: l.window_minutes,
            is_active: l.is_active,
        }
    }
}

/// Lists a store's storage locations with the lots each holds, its newest reading and its
/// open excursions; retired ones only with `include_retired: true`.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListStorageLocations {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Also the retired locations (default false).
    #[ts(optional)]
    pub include_retired: Option<bool>,
}

impl Operation for ListStorageLocations {
    const NAME: &'static str = "list_storage_locations";
    const SUMMARY: &'static str =
        "List a store's storage locations with their lots, newest reading and open excursions";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Vec<StorageLocation>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<StorageLocation>> {
        let store = ctx.store(self.store_id)?;
        let ids = ctx
            .tx
            .prepare_cached(
                "SELECT id FROM storage_locations WHERE store_id = ?1 AND (is_active = 1 OR ?2)
                  ORDER BY is_active DESC, name",
            )?
            .query_map(
                params![store.id, self.include_retired.unwrap_or(false)],
                |r| r.get::<_, StorageLocationId>(0),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ids.into_iter().map(|id| get_location(ctx, id)).collect()
    }
}

/// Puts a lot in a storage location of its store (or takes it out of any, with no
/// `location_id`). Its exposure to that location's temperatures counts from now. Writes a
/// `lot_located` event.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct PutLotInLocation {
    /// Batch.
    pub batch_id: BatchId,
    /// Location (none: out of any location).
    #[ts(optional)]
    pub location_id: Option<StorageLocationId>,
}

impl Operation for PutLotInLocation {
    const NAME: &'static str = "put_lot_in_location";
    const SUMMARY: &'static str = "Put a lot in a storage location (fridge, shelf…) of its store";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = Option<StorageLocation>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Option<StorageLocation>> {
        let b = BatchRow::load(ctx.tx, self.batch_id)?;
        ctx.check_store(b.store_id)?;
        place(ctx, &b, self.location_id)?;
        self.location_id.map(|id| get_location(ctx, id)).transpose()
    }
}

/// Puts `b` in `location` (checked to be of the lot's store) and records it.
pub(crate) fn place(
    ctx: &Ctx<'_>,
    b: &BatchRow,
    location: Option<StorageLocationId>,
) -> Result<()> {
    let name = match location {
        Some(id) => {
            let (store, name) = load_active_location(ctx, id)?;
            if store != b.store_id {
                return Err(Error::invalid(
                    "location_id",
                    format!(
                        "location '{name}' is in another store than lot {}",
                        b.batch_number
                    ),
                ));
            }
            Some(name)
        }
        None => None,
    };
    let now = ctx.now_str();
    ctx.tx.execute(
        "UPDATE batches SET storage_location_id = ?2, storage_located_at = CASE WHEN ?2 IS NULL THEN NULL ELSE ?3 END WHERE id = ?1",
        params![b.id, location, now],
    )?;
    let payload = Payload::about("batch", b.id, &b.batch_number).with_data(serde_json::json!({
        "location_id": location,
        "location": name,
        "product_id": b.product_id,
    }))?;
    audit::record(ctx, b.store_id, ChangeType::LotLocated, &payload)?;
    Ok(())
}
