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

/// Loads a location (id, store, name) and checks the actor may act in its store.
pub(crate) fn load_location(ctx: &Ctx<'_>, id: StorageLocationId) -> Result<(StoreId, String)> {
    let row: (StoreId, String) = ctx
        .tx
        .prepare_cached("SELECT store_id, name FROM storage_locations WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| Error::not_found("storage location", id))?;
    ctx.check_store(row.0)?;
    Ok(row)
}

pub(crate) fn get_location(ctx: &Ctx<'_>, id: StorageLocationId) -> Result<StorageLocation> {
    let row = ctx
        .tx
        .prepare_cached(
            "SELECT l.store_id, l.name, l.kind, l.instant_margin_centi, l.tolerance_minutes, l.window_minutes,
                    (SELECT celsius_centi FROM temperature_readings r WHERE r.location_id = l.id ORDER BY taken_at DESC LIMIT 1),
                    (SELECT taken_at FROM temperature_readings r WHERE r.location_id = l.id ORDER BY taken_at DESC LIMIT 1),
                    (SELECT COUNT(*) FROM temperature_excursions e WHERE e.location_id = l.id AND e.status = 'open')
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
        let margin = match self.instant_margin_c {
            Some(m) if m.is_sign_negative() => {
                return Err(Error::invalid(
                    "instant_margin_c",
                    "the margin cannot be negative",
                ))
            }
            Some(m) => to_centi("instant_margin_c", m)?,
            None => 200,
        };
        let tolerance = self.tolerance_minutes.unwrap_or(30);
        if !(0..=10_080).contains(&tolerance) {
            return Err(Error::invalid(
                "tolerance_minutes",
                "tolerance must be between 0 and 10,080 minutes (a week)",
            ));
        }
        let window = self.window_minutes.unwrap_or(1440);
        if !(1..=43_200).contains(&window) {
            return Err(Error::invalid(
                "window_minutes",
                "the window must be between 1 and 43,200 minutes (30 days)",
            ));
        }
        let taken: bool = ctx.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM storage_locations WHERE store_id = ?1 AND name = ?2)",
            params![store.id, name],
            |r| r.get(0),
        )?;
        if taken {
            return Err(Error::conflict(format!(
                "store {} already has a storage location named '{name}'",
                store.name
            )));
        }
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

/// Lists a store's storage locations with the lots each holds, its newest reading and its
/// open excursions.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListStorageLocations {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
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
                "SELECT id FROM storage_locations WHERE store_id = ?1 AND is_active = 1 ORDER BY name",
            )?
            .query_map([store.id], |r| r.get::<_, StorageLocationId>(0))?
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
            let (store, name) = load_location(ctx, id)?;
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
