//! Breach detection: judging the lots of a location against their
//! products' storage ranges after readings arrive (rules in [`super`]).

use super::excursions::ExcursionKind;
use super::from_centi;
use super::locations::product_range;
use crate::alerts::{self, AlertType, NewAlert, Severity};
use crate::audit::{self, ChangeType, NewEvent, Payload};
use crate::ids::{BatchId, ExcursionId, ProductId, StorageLocationId, StoreId};
use crate::op::Ctx;
use crate::Result;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use rusqlite::params;
use std::collections::BTreeMap;

/// What broke the range, for one lot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Breach {
    /// Kind.
    pub kind: ExcursionKind,
    /// The reading that tripped it.
    pub at: DateTime<Utc>,
    /// Hottest (or coldest) reading involved, hundredths of a degree.
    pub peak_centi: i64,
    /// The range limit crossed.
    pub limit_centi: i64,
    /// Minutes outside the range within the window (cumulative kinds).
    pub minutes_outside: i64,
}

/// How a location judges its readings.
#[derive(Clone, Copy, Debug)]
pub struct Tolerance {
    /// A single reading further than this outside the range is a breach.
    pub margin_centi: i64,
    /// Minutes outside the range tolerated within the window.
    pub tolerance_minutes: i64,
    /// The window, in minutes.
    pub window_minutes: i64,
}

/// The first breach of `[lo, hi]` in `readings` (ascending by time, all at or
/// after the lot's start), tripped by a reading at or after `check_from`.
/// Each reading's temperature lasts until the next reading.
pub fn judge(
    readings: &[(DateTime<Utc>, i64)],
    check_from: DateTime<Utc>,
    lo: Option<i64>,
    hi: Option<i64>,
    tol: Tolerance,
) -> Option<Breach> {
    let n = readings.len();
    if n == 0 || (lo.is_none() && hi.is_none()) {
        return None;
    }
    let above = |c: i64| hi.is_some_and(|h| c > h);
    let below = |c: i64| lo.is_some_and(|l| c < l);
    // Prefix sums of seconds spent above / below, interval j = [t_j, t_{j+1}).
    let mut pa = vec![0i64; n];
    let mut pb = vec![0i64; n];
    for j in 1..n {
        let d = (readings[j].0 - readings[j - 1].0).num_seconds().max(0);
        let c = readings[j - 1].1;
        pa[j] = pa[j - 1] + if above(c) { d } else { 0 };
        pb[j] = pb[j - 1] + if below(c) { d } else { 0 };
    }
    let window = Duration::minutes(tol.window_minutes);
    let limit_secs = tol.tolerance_minutes * 60;
    let mut first = 0usize; // first interval that ends after the window start
    for i in 0..n {
        let (t, c) = readings[i];
        let w_start = t - window;
        while first + 1 < i && readings[first + 1].0 <= w_start {
            first += 1;
        }
        if t < check_from {
            continue;
        }
        if let Some(h) = hi {
            if c > h + tol.margin_centi {
                return Some(Breach {
                    kind: ExcursionKind::TooHot,
                    at: t,
                    peak_centi: c,
                    limit_centi: h,
                    minutes_outside: 0,
                });
            }
        }
        if let Some(l) = lo {
            if c < l - tol.margin_centi {
                return Some(Breach {
                    kind: ExcursionKind::TooCold,
                    at: t,
                    peak_centi: c,
                    limit_centi: l,
                    minutes_outside: 0,
                });
            }
        }
        if i == 0 {
            continue;
        }
        // Seconds outside within [t - window, t): whole intervals from
        // `first`, less the part of `first` before the window.
        let clip = (w_start - readings[first].0).num_seconds().max(0);
        let sum = |p: &[i64], outside: bool| {
            let s = p[i] - p[first];
            if outside && clip > 0 {
                s - clip.min(p[first + 1] - p[first])
            } else {
                s
            }
        };
        let secs_above = sum(&pa, above(readings[first].1));
        let secs_below = sum(&pb, below(readings[first].1));
        let peak = |hot: bool| {
            readings[first..i]
                .iter()
                .map(|r| r.1)
                .filter(|c| if hot { above(*c) } else { below(*c) })
                .fold(None, |acc: Option<i64>, c| {
                    Some(match acc {
                        None => c,
                        Some(a) if hot => a.max(c),
                        Some(a) => a.min(c),
                    })
                })
                .unwrap_or(c)
        };
        if let (Some(h), true) = (hi, secs_above > limit_secs) {
            return Some(Breach {
                kind: ExcursionKind::CumulativeHot,
                at: t,
                peak_centi: peak(true),
                limit_centi: h,
                minutes_outside: secs_above / 60,
            });
        }
        if let (Some(l), true) = (lo, secs_below > limit_secs) {
            return Some(Breach {
                kind: ExcursionKind::CumulativeCold,
                at: t,
                peak_centi: peak(false),
                limit_centi: l,
                minutes_outside: secs_below / 60,
            });
        }
    }
    None
}

fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub(crate) fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

struct Lot {
    id: BatchId,
    product: ProductId,
    number: String,
    product_name: String,
    on_hand: i64,
    reserved: i64,
    start: Option<DateTime<Utc>>,
    lo: Option<i64>,
    hi: Option<i64>,
}

/// Judges every available lot of the location against readings from
/// `earliest_new` on; records an excursion per kind of breach found, holds
/// its lots and raises its alert. Returns the excursions recorded.
pub(crate) fn evaluate(
    ctx: &Ctx<'_>,
    location: StorageLocationId,
    store: StoreId,
    location_name: &str,
    earliest_new: DateTime<Utc>,
) -> Result<Vec<ExcursionId>> {
    let (margin, tolerance, window): (i64, i64, i64) = ctx.tx.query_row(
        "SELECT instant_margin_centi, tolerance_minutes, window_minutes FROM storage_locations WHERE id = ?1",
        [location],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let tol = Tolerance {
        margin_centi: margin,
        tolerance_minutes: tolerance,
        window_minutes: window,
    };
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT b.id, b.product_id, b.batch_number, p.name, b.on_hand_milli, b.reserved_milli, b.storage_located_at, p.storage,
                (SELECT MAX(el.decided_at) FROM excursion_lots el WHERE el.batch_id = b.id AND el.decision = 'released')
           FROM batches b JOIN products p ON p.id = b.product_id
          WHERE b.storage_location_id = ?1 AND b.on_hand_milli > 0 AND b.status = 'available'",
    )?;
    let lots = stmt
        .query_map([location], |r| {
            let located: Option<String> = r.get(6)?;
            let released: Option<String> = r.get(8)?;
            let storage: Option<String> = r.get(7)?;
            let (lo, hi) = product_range(storage.as_deref());
            let start = [located, released]
                .into_iter()
                .flatten()
                .filter_map(|s| parse_instant(&s))
                .max();
            Ok(Lot {
                id: r.get(0)?,
                product: r.get(1)?,
                number: r.get(2)?,
                product_name: r.get(3)?,
                on_hand: r.get(4)?,
                reserved: r.get(5)?,
                start,
                lo,
                hi,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let lots: Vec<Lot> = lots
        .into_iter()
        .filter(|l| l.lo.is_some() || l.hi.is_some())
        .collect();
    if lots.is_empty() {
        return Ok(Vec::new());
    }
    let since = instant(earliest_new - Duration::minutes(window));
    let readings = ctx
        .tx
        .prepare_cached(
            "SELECT taken_at, celsius_centi FROM temperature_readings
              WHERE location_id = ?1 AND taken_at >= ?2 ORDER BY taken_at",
        )?
        .query_map(params![location, since], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let readings: Vec<(DateTime<Utc>, i64)> = readings
        .into_iter()
        .filter_map(|(t, c)| parse_instant(&t).map(|t| (t, c)))
        .collect();
    let mut by_kind: BTreeMap<&'static str, Vec<(Lot, Breach)>> = BTreeMap::new();
    for lot in lots {
        let from = lot
            .start
            .map(|s| readings.partition_point(|r| r.0 < s))
            .unwrap_or(0);
        let check_from = lot.start.map_or(earliest_new, |s| s.max(earliest_new));
        if let Some(b) = judge(&readings[from..], check_from, lot.lo, lot.hi, tol) {
            by_kind.entry(b.kind.as_str()).or_default().push((lot, b));
        }
    }
    let mut out = Vec::new();
    for (_, held) in by_kind {
        out.push(record_excursion(ctx, location, store, location_name, held)?);
    }
    Ok(out)
}

fn record_excursion(
    ctx: &Ctx<'_>,
    location: StorageLocationId,
    store: StoreId,
    location_name: &str,
    held: Vec<(Lot, Breach)>,
) -> Result<ExcursionId> {
    let kind = held[0].1.kind;
    let hot = matches!(kind, ExcursionKind::TooHot | ExcursionKind::CumulativeHot);
    let detected = held.iter().map(|(_, b)| b.at).min().unwrap_or(ctx.now);
    let peak = held
        .iter()
        .map(|(_, b)| b.peak_centi)
        .reduce(|a, c| if hot { a.max(c) } else { a.min(c) })
        .unwrap_or(0);
    let limit = held[0].1.limit_centi;
    let minutes = held
        .iter()
        .map(|(_, b)| b.minutes_outside)
        .max()
        .unwrap_or(0);
    let id = ExcursionId::new();
    let now = ctx.now_str();
    ctx.tx.execute(
        "INSERT INTO temperature_excursions (id, store_id, location_id, kind, detected_at, peak_centi, limit_centi, minutes_outside, status, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open', ?9)",
        params![id, store, location, kind.as_str(), instant(detected), peak, limit, minutes, now],
    )?;
    let what = match kind {
        ExcursionKind::TooHot => format!("{} °C, above {} °C", from_centi(peak), from_centi(limit)),
        ExcursionKind::TooCold => {
            format!("{} °C, below {} °C", from_centi(peak), from_centi(limit))
        }
        ExcursionKind::CumulativeHot => format!(
            "{minutes} minutes above {} °C (peak {} °C)",
            from_centi(limit),
            from_centi(peak)
        ),
        ExcursionKind::CumulativeCold => format!(
            "{minutes} minutes below {} °C (lowest {} °C)",
            from_centi(limit),
            from_centi(peak)
        ),
    };
    let reason = format!("temperature excursion at {location_name}: {what}");
    let mut names = Vec::new();
    for (lot, _) in &held {
        ctx.tx.execute(
            "INSERT INTO excursion_lots (excursion_id, batch_id) VALUES (?1, ?2)",
            params![id, lot.id],
        )?;
        if lot.reserved > 0 {
            crate::stock::reservations::expire_holds_on_batch(ctx, lot.id)?;
        }
        ctx.tx.execute(
            "UPDATE batches SET status = 'quarantine', status_reason = ?2, updated_at = ?3 WHERE id = ?1",
            params![lot.id, reason, now],
        )?;
        let notes = format!("available -> quarantine: {reason}");
        audit::append(
            ctx,
            NewEvent {
                store_id: store,
                batch_id: Some(lot.id),
                product_id: Some(lot.product),
                change_type: ChangeType::StatusChange,
                previous_milli: Some(lot.on_hand),
                new_milli: Some(lot.on_hand),
                reference_id: Some(&id.to_string()),
                notes: Some(&notes),
            },
        )?;
        names.push(format!("{} lot {}", lot.product_name, lot.number));
    }
    let payload = Payload::about("storage_location", location, location_name).with_data(
        serde_json::json!({
            "excursion_id": id,
            "kind": kind,
            "detected_at": instant(detected),
            "peak_c": from_centi(peak),
            "limit_c": from_centi(limit),
            "minutes_outside": minutes,
            "lots": held.iter().map(|(l, _)| l.id).collect::<Vec<_>>(),
        }),
    )?;
    audit::record(ctx, store, ChangeType::ExcursionRecorded, &payload)?;
    alerts::raise(
        ctx,
        NewAlert {
            store_id: store,
            alert_type: AlertType::TemperatureExcursion,
            severity: Severity::Critical,
            subject_kind: "excursion",
            subject_id: &id.to_string(),
            subject_name: location_name,
            product_id: (held.len() == 1).then_some(held[0].0.product),
            batch_id: (held.len() == 1).then_some(held[0].0.id),
            message: format!(
                "{location_name}: {what}. On hold until a manager releases or disposes of each lot: {}",
                names.join(", ")
            ),
        },
    )?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::minutes(min)
    }

    const TOL: Tolerance = Tolerance {
        margin_centi: 200,
        tolerance_minutes: 30,
        window_minutes: 1440,
    };

    #[test]
    fn one_reading_beyond_the_margin_breaches_at_once() {
        let r = [(at(0), 500), (at(10), 1001)];
        let b = judge(&r, at(0), Some(200), Some(800), TOL).unwrap();
        assert_eq!(b.kind, ExcursionKind::TooHot);
        assert_eq!(b.at, at(10));
        // Within the margin: not on its own.
        let r = [(at(0), 500), (at(10), 1000)];
        assert_eq!(judge(&r, at(0), Some(200), Some(800), TOL), None);
        let r = [(at(0), -1)];
        assert_eq!(
            judge(&r, at(0), Some(200), Some(800), TOL).unwrap().kind,
            ExcursionKind::TooCold
        );
    }

    #[test]
    fn minutes_outside_add_up_over_the_window() {
        // 9 °C for 30 minutes is tolerated; the 31st minute is not.
        let r = [(at(0), 900), (at(30), 500)];
        assert_eq!(judge(&r, at(0), Some(200), Some(800), TOL), None);
        let r = [(at(0), 900), (at(31), 500)];
        let b = judge(&r, at(0), Some(200), Some(800), TOL).unwrap();
        assert_eq!(
            (b.kind, b.minutes_outside, b.peak_centi),
            (ExcursionKind::CumulativeHot, 31, 900)
        );
        // Two spells of 20 minutes within a day add up.
        let r = [(at(0), 900), (at(20), 500), (at(600), 850), (at(620), 500)];
        let b = judge(&r, at(0), Some(200), Some(800), TOL).unwrap();
        assert_eq!((b.at, b.minutes_outside), (at(620), 40));
        // A day apart they do not.
        let r = [
            (at(0), 900),
            (at(20), 500),
            (at(2000), 850),
            (at(2020), 500),
        ];
        assert_eq!(judge(&r, at(0), Some(200), Some(800), TOL), None);
        // Cold spells too.
        let r = [(at(0), 150), (at(45), 400)];
        assert_eq!(
            judge(&r, at(0), Some(200), Some(800), TOL).unwrap().kind,
            ExcursionKind::CumulativeCold
        );
    }

    #[test]
    fn only_readings_from_check_from_trip_a_breach() {
        let r = [(at(0), 1200), (at(10), 500)];
        assert_eq!(judge(&r, at(5), Some(200), Some(800), TOL), None);
    }
}
