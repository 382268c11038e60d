//! Temperature readings: typed in, imported from a logger's CSV, listed.

use super::detect::{evaluate, instant};
use super::excursions::{get_excursion, Excursion};
use super::locations::{load_active_location, load_location};
use super::{from_centi, to_centi};
use crate::audit::{self, ChangeType, Payload};
use crate::auth::Permission;
use crate::catalogue::stores::StoreInfo;
use crate::error::CsvProblem;
use crate::ids::{ReadingId, StorageLocationId};
use crate::op::{Ctx, Operation};
use crate::page::limit_offset;
use crate::{Error, Result};
use chrono::{DateTime, Duration, SubsecRound, Utc};
use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One reading as typed.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReadingInput {
    /// When: RFC 3339, or the store's local time (`2026-01-01 11:00`).
    pub taken_at: String,
    /// °C, exact (rounded to hundredths).
    #[ts(type = "string")]
    #[serde(deserialize_with = "crate::num::decimal")]
    pub celsius: Decimal,
}

/// What recording readings did.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ReadingsOutcome {
    /// Readings stored.
    #[ts(type = "number")]
    pub recorded: i64,
    /// Readings already stored with the same time and temperature (skipped).
    #[ts(type = "number")]
    pub duplicates: i64,
    /// Excursions the readings revealed (their lots are now on hold).
    pub excursions: Vec<Excursion>,
}

/// Stores readings (refusing, with their line numbers, any at a time the location
/// already has with another temperature, or in the future) and judges the lots.
fn store_readings(
    ctx: &Ctx<'_>,
    location: StorageLocationId,
    store: &StoreInfo,
    name: &str,
    readings: Vec<(u32, DateTime<Utc>, Decimal)>,
    mut problems: Vec<CsvProblem>,
    source: &str,
) -> Result<ReadingsOutcome> {
    let latest_allowed = ctx.now + Duration::minutes(5);
    let mut rows = Vec::new();
    for (line, t, c) in readings {
        // Stored to the millisecond: judged as stored.
        let t = t.trunc_subsecs(3);
        if t > latest_allowed {
            problems.push(CsvProblem {
                line,
                message: format!("{} is in the future", instant(t)),
            });
            continue;
        }
        match to_centi("celsius", c) {
            Ok(centi) => rows.push((line, t, centi)),
            Err(e) => problems.push(CsvProblem {
                line,
                message: e.to_string(),
            }),
        }
    }
    rows.sort_by_key(|r| r.1);
    for w in rows.windows(2) {
        if w[0].1 == w[1].1 && w[0].2 != w[1].2 {
            problems.push(CsvProblem {
                line: w[1].0,
                message: format!(
                    "{} appears twice with different temperatures (line {})",
                    instant(w[1].1),
                    w[0].0
                ),
            });
        }
    }
    rows.dedup_by(|a, b| a.1 == b.1);
    let mut existing = ctx.tx.prepare_cached(
        "SELECT celsius_centi FROM temperature_readings WHERE location_id = ?1 AND taken_at = ?2",
    )?;
    let mut fresh = Vec::new();
    let mut duplicates = 0;
    for (line, t, centi) in rows {
        let at = instant(t);
        match existing
            .query_row(params![location, at], |r| r.get::<_, i64>(0))
            .optional()?
        {
            Some(c) if c == centi => duplicates += 1,
            Some(c) => problems.push(CsvProblem {
                line,
                message: format!("{at} is already recorded at {} °C", from_centi(c)),
            }),
            None => fresh.push((t, at, centi)),
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(Error::CsvRejected { problems });
    }
    let now = ctx.now_str();
    let mut insert = ctx.tx.prepare_cached(
        "INSERT INTO temperature_readings (id, location_id, store_id, taken_at, celsius_centi, source, recorded_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (_, at, centi) in &fresh {
        insert.execute(params![
            ReadingId::new(),
            location,
            store.id,
            at,
            centi,
            source,
            ctx.actor.id,
            now
        ])?;
    }
    let mut excursions = Vec::new();
    if let Some(earliest) = fresh.iter().map(|r| r.0).min() {
        let latest = fresh.iter().map(|r| r.0).max().unwrap_or(earliest);
        let lowest = fresh.iter().map(|r| r.2).min().unwrap_or(0);
        let highest = fresh.iter().map(|r| r.2).max().unwrap_or(0);
        let payload =
            Payload::about("storage_location", location, name).with_data(serde_json::json!({
                "source": source,
                "count": fresh.len(),
                "from": instant(earliest),
                "to": instant(latest),
                "lowest_c": from_centi(lowest),
                "highest_c": from_centi(highest),
            }))?;
        audit::record(ctx, store.id, ChangeType::ReadingsRecorded, &payload)?;
        for id in evaluate(ctx, location, store.id, name, earliest)? {
            excursions.push(get_excursion(ctx, id)?);
        }
    }
    Ok(ReadingsOutcome {
        recorded: fresh.len() as i64,
        duplicates,
        excursions,
    })
}

/// Records typed temperature readings of a location (any store role may).
///
/// - `readings`: each `taken_at` (RFC 3339, or the store's local time `2026-01-01 11:00`)
///   and `celsius` (exact, rounded to hundredths, −100 to 100). Not in the future (5
///   minutes' grace). A time already recorded with the same temperature is skipped; with
///   another, refused (`csv_rejected`, each reading numbered from 1).
/// - Then every available lot with stock in the location is judged against its product's
///   range: one reading more than the location's `instant_margin_c` outside (too hot / too
///   cold), or more than `tolerance_minutes` outside within `window_minutes` (cumulative;
///   each reading lasts until the next). A breach records an excursion, holds its lots
///   (`quarantine`) and raises a critical `temperature_excursion` alert.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RecordReadings {
    /// Location.
    pub location_id: StorageLocationId,
    /// Readings.
    pub readings: Vec<ReadingInput>,
}

impl Operation for RecordReadings {
    const NAME: &'static str = "record_readings";
    const SUMMARY: &'static str =
        "Record typed temperature readings of a storage location; breaches hold its lots";
    const PERMISSION: Permission = Permission::RecordReadings;
    const WRITES: bool = true;
    type Output = ReadingsOutcome;

    fn run(self, ctx: &Ctx<'_>) -> Result<ReadingsOutcome> {
        let (store, name) = load_active_location(ctx, self.location_id)?;
        let store = ctx.store(Some(store))?;
        if self.readings.is_empty() {
            return Err(Error::invalid("readings", "give at least one reading"));
        }
        let mut parsed = Vec::new();
        for (i, r) in self.readings.iter().enumerate() {
            let t = super::csv::parse_time(&r.taken_at, &store.tz).ok_or_else(|| {
                Error::invalid(
                    &format!("readings[{i}].taken_at"),
                    format!(
                        "'{}' is not a time (2026-01-01T10:00:00Z or 2026-01-01 11:00)",
                        r.taken_at
                    ),
                )
            })?;
            parsed.push(((i + 1) as u32, t, r.celsius));
        }
        store_readings(
            ctx,
            self.location_id,
            &store,
            &name,
            parsed,
            Vec::new(),
            "manual",
        )
    }
}

/// Imports a data logger's CSV export for a location (any store role may).
///
/// Format: a timestamp and a °C column per line (comma- or semicolon-separated; decimal
/// comma with semicolons), with an optional header naming them (`time`/`date` and
/// `temp`/`°C`/`celsius`; other columns ignored); timestamps RFC 3339 or the store's local
/// time. Any bad line — unreadable, in the future, a time already recorded with another
/// temperature — is reported with its line number (`csv_rejected`) and nothing is
/// imported. Then the location's lots are judged as by `record_readings`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ImportReadingsCsv {
    /// Location.
    pub location_id: StorageLocationId,
    /// The file's text.
    pub csv: String,
}

impl Operation for ImportReadingsCsv {
    const NAME: &'static str = "import_readings_csv";
    const SUMMARY: &'static str =
        "Import a data logger's CSV of temperatures for a location (bad lines named, nothing imported)";
    const PERMISSION: Permission = Permission::RecordReadings;
    const WRITES: bool = true;
    type Output = ReadingsOutcome;

    fn run(self, ctx: &Ctx<'_>) -> Result<ReadingsOutcome> {
        let (store, name) = load_active_location(ctx, self.location_id)?;
        let store = ctx.store(Some(store))?;
        let (parsed, problems) = super::csv::parse(&self.csv, &store.tz)?;
        store_readings(
            ctx,
            self.location_id,
            &store,
            &name,
            parsed,
            problems,
            "import",
        )
    }
}

/// One stored reading.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Reading {
    /// Id.
    pub reading_id: ReadingId,
    /// When (UTC).
    pub taken_at: String,
    /// °C.
    #[ts(type = "string")]
    pub celsius: Decimal,
    /// `manual` or `import`.
    pub source: String,
    /// Who recorded it (name).
    pub recorded_by: String,
}

/// Lists a location's readings, newest first, paged by `limit` (1–500, default 100) and
/// `offset`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListReadings {
    /// Location.
    pub location_id: StorageLocationId,
    /// Page size.
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[ts(optional)]
    pub offset: Option<u32>,
}

/// A page of readings.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ReadingPage {
    /// Newest first.
    pub rows: Vec<Reading>,
    /// All pages together.
    #[ts(type = "number")]
    pub total: i64,
}

impl Operation for ListReadings {
    const NAME: &'static str = "list_readings";
    const SUMMARY: &'static str = "List a storage location's temperature readings, newest first";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = ReadingPage;

    fn run(self, ctx: &Ctx<'_>) -> Result<ReadingPage> {
        load_location(ctx, self.location_id)?;
        let (limit, offset) = limit_offset(self.limit, self.offset, 100)?;
        let total: i64 = ctx.tx.query_row(
            "SELECT COUNT(*) FROM temperature_readings WHERE location_id = ?1",
            [self.location_id],
            |r| r.get(0),
        )?;
        let rows = ctx
            .tx
            .prepare_cached(
                "SELECT r.id, r.taken_at, r.celsius_centi, r.source, u.name
                   FROM temperature_readings r JOIN users u ON u.id = r.recorded_by
                  WHERE r.location_id = ?1 ORDER BY r.taken_at DESC LIMIT ?2 OFFSET ?3",
            )?
            .query_map(params![self.location_id, limit, offset], |r| {
                Ok(Reading {
                    reading_id: r.get(0)?,
                    taken_at: r.get(1)?,
                    celsius: from_centi(r.get(2)?),
                    source: r.get(3)?,
                    recorded_by: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ReadingPage { rows, total })
    }
}
