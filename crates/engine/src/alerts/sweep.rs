//! `run_alert_sweep`: looks at a store's stock as it stands and raises the
//! alerts it calls for, resolving those whose cause is gone. The desktop
//! shell runs it as whoever is signed in: in full when they sign in and on a
//! timer (dates move: a lot comes within the expiry window overnight), and
//! `changed_only` a moment after each change, so the sale that empties a
//! shelf raises `out_of_stock` at once. The till's sale itself does no alert
//! work: its transaction stays as short as it was.
//!
//! A `changed_only` sweep looks only at the products the store's record
//! names after the last sweep's high-water mark (a range read of the
//! record's primary key), so its cost follows what changed, not the size of
//! the catalogue. It leaves `reorder_recommended` to the full sweep: that
//! one reads the usage of every product over weeks of sales.
//!
//! | type | raised when | severity | subject |
//! |---|---|---|---|
//! | `out_of_stock` | nothing available of a product that has a reorder point or was ever received in the store | critical | product |
//! | `low_stock` | available at or below the reorder point (else minimum level), but not 0 | warning | product |
//! | `expiring_soon` | a lot with stock expires within the store's `expiry_alert_days` (default 30) | warning within 7 days, else info | batch |
//! | `expired` | a lot past its expiry date still holds stock | warning | batch |
//! | `recall` | a recalled lot still holds stock | critical | batch |
//! | `reorder_recommended` | [`super::reorder`] recommends an order | info | product |
//!
//! Each alert is raised once (`raise` returns the open one, and
//! raises its severity when it grew) and resolves itself with a note when
//! its condition no longer holds.
//!
//! [`SweepPlan`] is the full sweep in steps for a caller beside a till (the
//! desktop shell's timer): it reads in a read transaction, then writes only
//! what changed, a few hundred alerts per transaction. On the
//! 100,000-product benchmark store the full sweep reads for seconds; in one
//! transaction on the till's connection that froze the till each time.

use super::list::SeverityCounts;
use super::{raise_counted, resolve_subject, AlertType, NewAlert, Severity};
use crate::auth::Permission;
use crate::catalogue::stores::StoreInfo;
use crate::ids::{BatchId, ProductId, StoreId};
use crate::num::Qty;
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use chrono::Duration;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// Types the sweep raises and resolves.
const SWEPT: &[AlertType] = &[
    AlertType::OutOfStock,
    AlertType::LowStock,
    AlertType::ExpiringSoon,
    AlertType::Expired,
    AlertType::Recall,
    AlertType::ReorderRecommended,
];

struct Wanted {
    t: AlertType,
    severity: Severity,
    kind: &'static str,
    id: String,
    name: String,
    product: Option<ProductId>,
    batch: Option<BatchId>,
    message: String,
}

/// The store's alert settings.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct AlertSettings {
    /// Store.
    pub store_id: StoreId,
    /// Lots expiring within this many days raise `expiring_soon` (default 30).
    #[ts(type = "number")]
    pub expiry_alert_days: i64,
    /// Past days whose usage gives the average daily usage for reorder (default 30).
    #[ts(type = "number")]
    pub reorder_usage_days: i64,
}

fn ensure_settings_row(ctx: &Ctx<'_>, store: StoreId) -> Result<()> {
    ctx.tx
        .prepare_cached(
            "INSERT OR IGNORE INTO store_settings (store_id, updated_at) VALUES (?1, ?2)",
        )?
        .execute(params![store, ctx.now_str()])?;
    Ok(())
}

fn load_settings(ctx: &Ctx<'_>, store: StoreId) -> Result<AlertSettings> {
    let row: Option<(i64, i64)> = ctx
        .tx
        .prepare_cached(
            "SELECT expiry_alert_days, reorder_usage_days FROM store_settings WHERE store_id = ?1",
        )?
        .query_row([store], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (expiry_alert_days, reorder_usage_days) = row.unwrap_or((30, 30));
    Ok(AlertSettings {
        store_id: store,
        expiry_alert_days,
        reorder_usage_days,
    })
}

/// The products a sweep looks at: all of them, or those named as a JSON
/// array for `json_each` (a `changed_only` sweep).
type Scope = Option<String>;

/// The condition that keeps a statement to the sweep's products: `column`
/// in the JSON array bound at `?param` when the sweep is scoped, else a
/// condition that is always true (the parameter is still bound, as NULL).
/// Two statements rather than one "`?n` IS NULL OR …": SQLite plans a
/// statement once, and with the OR it planned a scan of the whole store
/// even for the one product a sale touched.
fn in_scope(scope: &Scope, column: &str, param: u8) -> String {
    match scope {
        Some(_) => format!("{column} IN (SELECT value FROM json_each(?{param}))"),
        None => format!("?{param} IS NULL"),
    }
}

/// The products the store's record names after `after_seq`, as a JSON array.
fn changed_since(ctx: &Ctx<'_>, store: StoreId, after_seq: i64) -> Result<String> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT DISTINCT product_id FROM inventory_audit
          WHERE store_id = ?1 AND seq > ?2 AND product_id IS NOT NULL",
    )?;
    let ids = stmt
        .query_map(params![store, after_seq], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    serde_json::to_string(&ids).map_err(|e| Error::internal(format!("encoding product ids: {e}")))
}

fn newest_seq(ctx: &Ctx<'_>, store: StoreId) -> Result<i64> {
    Ok(ctx
        .tx
        .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM inventory_audit WHERE store_id = ?1")?
        .query_row([store], |r| r.get(0))?)
}

/// The record's sequence number the store's last sweep saw, if it had one.
fn swept_seq(ctx: &Ctx<'_>, store: StoreId) -> Result<Option<i64>> {
    Ok(ctx
        .tx
        .prepare_cached("SELECT swept_seq FROM alert_sweep_marks WHERE store_id = ?1")?
        .query_row([store], |r| r.get(0))
        .optional()?)
}

fn mark_swept(ctx: &Ctx<'_>, store: StoreId, seq: i64) -> Result<()> {
    ctx.tx
        .prepare_cached(
            "INSERT INTO alert_sweep_marks (store_id, swept_seq, swept_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (store_id) DO UPDATE SET swept_seq = excluded.swept_seq, swept_at = excluded.swept_at",
        )?
        .execute(params![store, seq, ctx.now_str()])?;
    Ok(())
}

/// Column `i` of `r` as text, borrowed from SQLite (no copy).
fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(i)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// The open alerts a sweep looks after, by type, then subject id: their
/// severity. (Half a million on the benchmark store: foldhash, seeded per
/// map like SipHash, hashes their ids in a fraction of SipHash's time.)
type Open = HashMap<AlertType, HashMap<String, Severity, foldhash::fast::RandomState>>;

/// Whether a wanted alert must be raised: it is not open, or open at a lower
/// severity. Either way it is taken out of `open`, so what is left there at
/// the end is wanted no more.
fn must_raise(open: &mut Open, t: AlertType, id: &str, severity: Severity) -> bool {
    match open.get_mut(&t).and_then(|ids| ids.remove(id)) {
        Some(now) => now < severity,
        None => true,
    }
}

/// The alerts `scope`'s stock calls for that are not open as they should
/// be (see [`must_raise`]), taking every wanted one out of `open`.
///
/// Each row is first checked by its subject id, as SQLite hands it over;
/// only an alert to raise is decoded and worded. On the benchmark store
/// half a million alerts are wanted and all but a few are open already:
/// decoding and wording each of them, and keying a map with a copy of each
/// id, was most of the full sweep's time and memory (and its allocations
/// slowed the till's threads in the same process).
fn wanted(ctx: &Ctx<'_>, store: &StoreInfo, scope: &Scope, open: &mut Open) -> Result<Vec<Wanted>> {
    let settings = load_settings(ctx, store.id)?;
    let today = ctx.today(store);
    let mut out = Vec::new();
    // Stock levels: V10's running totals, one row per product and store.
    let mut stmt = ctx.tx.prepare_cached(&format!(
        "SELECT sl.product_id, p.name, p.unit, sl.available_milli, sl.reorder_milli
           FROM stock_levels sl JOIN products p ON p.id = sl.product_id
          WHERE sl.store_id = ?1
            AND {}
            AND ((sl.reorder_milli IS NOT NULL AND sl.available_milli <= sl.reorder_milli)
              OR (sl.available_milli = 0 AND p.deleted_at IS NULL AND p.status = 'active'
                  AND EXISTS (SELECT 1 FROM batches b WHERE b.product_id = sl.product_id AND b.store_id = sl.store_id)))",
        in_scope(scope, "sl.product_id", 2)
    ))?;
    let mut rows = stmt.query(params![store.id, scope])?;
    while let Some(r) = rows.next()? {
        let available: i64 = r.get(3)?;
        let (t, severity) = if available == 0 {
            (AlertType::OutOfStock, Severity::Critical)
        } else {
            (AlertType::LowStock, Severity::Warning)
        };
        if !must_raise(open, t, text(r, 0)?, severity) {
            continue;
        }
        let (p, name, unit, reorder) = (
            r.get::<_, ProductId>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<i64>>(4)?,
        );
        let message = if t == AlertType::OutOfStock {
            format!("{name}: nothing available")
        } else {
            format!(
                "{name}: {} {unit} available, reorder point {}",
                Qty::from_scaled(available),
                Qty::from_scaled(reorder.unwrap_or(0))
            )
        };
        out.push(Wanted {
            t,
            severity,
            kind: "product",
            id: p.to_string(),
            name,
            product: Some(p),
            batch: None,
            message,
        });
    }
    // Lots with stock: expiring within the window, expired, recalled.
    let horizon = (today + Duration::days(settings.expiry_alert_days)).to_string();
    let today_s = today.to_string();
    let soon = (today + Duration::days(7)).to_string();
    let mut stmt = ctx.tx.prepare_cached(&format!(
        "SELECT b.id, b.product_id, b.batch_number, p.name, b.expiry_date, b.status, b.on_hand_milli, p.unit
           FROM batches b JOIN products p ON p.id = b.product_id
          WHERE b.store_id = ?1 AND b.on_hand_milli > 0
            AND (b.expiry_date <= ?2 OR b.status = 'recalled')
            AND {}",
        in_scope(scope, "b.product_id", 3)
    ))?;
    let mut rows = stmt.query(params![store.id, horizon, scope])?;
    while let Some(r) = rows.next()? {
        let id = text(r, 0)?;
        let expiry = text(r, 4)?;
        // At most two per lot: a recall, and its expiry.
        let mut lot = [None, None];
        if text(r, 5)? == "recalled" {
            lot[0] = Some((AlertType::Recall, Severity::Critical));
        }
        if expiry < today_s.as_str() {
            lot[1] = Some((AlertType::Expired, Severity::Warning));
        } else if expiry <= horizon.as_str() {
            let severity = if expiry <= soon.as_str() {
                Severity::Warning
            } else {
                Severity::Info
            };
            lot[1] = Some((AlertType::ExpiringSoon, severity));
        }
        let lot: Vec<(AlertType, Severity)> = lot
            .into_iter()
            .flatten()
            .filter(|&(t, severity)| must_raise(open, t, id, severity))
            .collect();
        if lot.is_empty() {
            continue;
        }
        let (b, p, number, name, expiry, on_hand, unit) = (
            r.get::<_, BatchId>(0)?,
            r.get::<_, ProductId>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, i64>(6)?,
            r.get::<_, String>(7)?,
        );
        let label = format!("{name} lot {number}");
        let qty = Qty::from_scaled(on_hand);
        for (t, severity) in lot {
            let message = match t {
                AlertType::Recall => format!("{label} is recalled and still holds {qty} {unit}"),
                AlertType::Expired => {
                    format!("{label} expired on {expiry} and still holds {qty} {unit}")
                }
                _ => format!("{label} expires on {expiry} ({qty} {unit} left)"),
            };
            out.push(Wanted {
                t,
                severity,
                kind: "batch",
                id: b.to_string(),
                name: label.clone(),
                product: Some(p),
                batch: Some(b),
                message,
            });
        }
    }
    let reorder = if scope.is_none() {
        super::reorder::recommendations(ctx, store)?
    } else {
        Vec::new()
    };
    for r in reorder {
        let id = r.product_id.to_string();
        if !must_raise(open, AlertType::ReorderRecommended, &id, Severity::Info) {
            continue;
        }
        out.push(Wanted {
            t: AlertType::ReorderRecommended,
            severity: Severity::Info,
            kind: "product",
            id,
            message: format!(
                "{}: order {} {} ({} available, about {} a day used)",
                r.name, r.recommended_quantity, r.unit, r.available, r.average_daily_usage
            ),
            name: r.name,
            product: Some(r.product_id),
            batch: None,
        });
    }
    Ok(out)
}

/// An alert's type and subject id: what a sweep raises and resolves by.
type Subject = (AlertType, String);

/// What a sweep of `scope` would change in `store`: the alerts to raise
/// (not open, or open at a lower severity) and the open ones whose cause is
/// gone. A scoped sweep leaves `reorder_recommended` alone.
fn changes(ctx: &Ctx<'_>, store: &StoreInfo, scope: &Scope) -> Result<(Vec<Wanted>, Vec<Subject>)> {
    let mut open: Open = HashMap::new();
    let mut stmt = ctx.tx.prepare_cached(&format!(
        "SELECT alert_type, subject_id, severity FROM alerts
          WHERE store_id = ?1 AND status IN ('active', 'acknowledged')
            AND subject_kind <> 'vial_session'
            AND {}{}",
        in_scope(scope, "product_id", 2),
        if scope.is_some() {
            " AND alert_type <> 'reorder_recommended'"
        } else {
            ""
        }
    ))?;
    let mut rows = stmt.query(params![store.id, scope])?;
    while let Some(r) = rows.next()? {
        let t = AlertType::parse(text(r, 0)?)?;
        if SWEPT.contains(&t) {
            let severity = Severity::parse(text(r, 2)?)?;
            open.entry(t).or_default().insert(r.get(1)?, severity);
        }
    }
    let raise = wanted(ctx, store, scope, &mut open)?;
    // What is left open is wanted no more.
    let resolve = open
        .into_iter()
        .flat_map(|(t, ids)| ids.into_keys().map(move |id| (t, id)))
        .collect();
    Ok((raise, resolve))
}

/// Raises (or escalates) `raise` and resolves `resolve` in `store`; how many
/// were newly raised and resolved. One raised or resolved meanwhile is left
/// as it is.
fn apply(
    ctx: &Ctx<'_>,
    store: StoreId,
    raise: impl IntoIterator<Item = Wanted>,
    resolve: impl IntoIterator<Item = Subject>,
) -> Result<(u32, u32)> {
    let (mut raised, mut resolved) = (0, 0);
    for w in raise {
        let (_, new) = raise_counted(
            ctx,
            NewAlert {
                store_id: store,
                alert_type: w.t,
                severity: w.severity,
                subject_kind: w.kind,
                subject_id: &w.id,
                subject_name: &w.name,
                product_id: w.product,
                batch_id: w.batch,
                message: w.message,
            },
        )?;
        raised += u32::from(new);
    }
    for (t, id) in resolve {
        if resolve_subject(ctx, store, t, &id, "cause went away (sweep)")? {
            resolved += 1;
        }
    }
    Ok((raised, resolved))
}

/// What a sweep did.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct SweepResult {
    /// Store swept.
    pub store_id: StoreId,
    /// Alerts newly raised.
    pub raised: u32,
    /// Alerts resolved because their cause was gone.
    pub resolved: u32,
    /// The store's open alerts by severity after the sweep.
    pub open: SeverityCounts,
}

/// Raises the alerts a store's stock calls for and resolves those whose cause is gone:
/// `out_of_stock`, `low_stock`, `expiring_soon` (within the store's `expiry_alert_days`,
/// default 30), `expired`, `recall` and `reorder_recommended`. An open alert is never
/// raised twice; its severity rises when the cause grew. Any signed-in user of the store
/// may run it (the shell does, at sign-in and on a timer).
///
/// With `changed_only: true` it looks only at the products the store's record names since
/// the last sweep (full or not) and raises and resolves only their stock, expiry and recall
/// alerts (`reorder_recommended` is left to the full sweep); the shell runs it a moment
/// after each change. The first sweep of a store is always full.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RunAlertSweep {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Only the products changed since the last sweep (default false: every product).
    #[ts(optional)]
    pub changed_only: Option<bool>,
}

impl Operation for RunAlertSweep {
    const NAME: &'static str = "run_alert_sweep";
    const SUMMARY: &'static str =
        "Raise the stock, expiry, recall and reorder alerts a store needs; resolve those whose cause is gone";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = true;
    type Output = SweepResult;

    fn run(self, ctx: &Ctx<'_>) -> Result<SweepResult> {
        let store = ctx.store(self.store_id)?;
        let scope = match (self.changed_only, swept_seq(ctx, store.id)?) {
            (Some(true), Some(after)) => Some(changed_since(ctx, store.id, after)?),
            _ => None,
        };
        let (raise, resolve) = changes(ctx, &store, &scope)?;
        let (raised, resolved) = apply(ctx, store.id, raise, resolve)?;
        // After the sweep's own events: what it wrote itself needs no second look.
        mark_swept(ctx, store.id, newest_seq(ctx, store.id)?)?;
        let open = super::list::open_counts(ctx, store.id)?;
        Ok(SweepResult {
            store_id: store.id,
            raised,
            resolved,
            open,
        })
    }
}

/// The full sweep of [`RunAlertSweep`] in steps, for a caller that must not
/// hold its connection for long (the desktop shell's timer, beside the
/// till): [`SweepPlan::read`] reads the store's stock and open alerts in one
/// read transaction (in WAL mode, on a connection of its own, it holds
/// nothing a write waits for); then each [`SweepPlan::step`] raises and
/// resolves a few of the alerts it found to change, in a transaction of
/// its own with their events (an alert raised or resolved meanwhile is left
/// as it is). The last step marks the sweep at the record as first read, so
/// whatever happened between the steps is looked at again by the next
/// sweep of what changed. Same permission and result as `RunAlertSweep`.
pub struct SweepPlan {
    store: StoreId,
    seq: i64,
    raise: std::vec::IntoIter<Wanted>,
    resolve: std::vec::IntoIter<Subject>,
    raised: u32,
    resolved: u32,
}

impl SweepPlan {
    /// The first step: what the sweep would raise (alerts not open, or open
    /// at a lower severity) and resolve in `store` (default: the user's).
    pub fn read(
        db: &mut crate::Db,
        session: &crate::Session,
        store: Option<StoreId>,
    ) -> Result<SweepPlan> {
        db.read_as::<RunAlertSweep, _>(session, |ctx| {
            let store = ctx.store(store)?;
            let seq = newest_seq(ctx, store.id)?;
            let (raise, resolve) = changes(ctx, &store, &None)?;
            Ok(SweepPlan {
                store: store.id,
                seq,
                raise: raise.into_iter(),
                resolve: resolve.into_iter(),
                raised: 0,
                resolved: 0,
            })
        })
    }

    /// Alerts still to raise and resolve.
    pub fn remaining(&self) -> usize {
        self.raise.len() + self.resolve.len()
    }

    /// Writes up to `chunk` (at least 1) of what is left, in one
    /// transaction; once nothing is left, marks the sweep and answers its
    /// result.
    pub fn step(
        &mut self,
        db: &mut crate::Db,
        session: &crate::Session,
        chunk: usize,
    ) -> Result<Option<SweepResult>> {
        if chunk == 0 {
            return Err(Error::invalid("chunk", "must be at least 1"));
        }
        let (store, seq) = (self.store, self.seq);
        let done = self.remaining() <= chunk;
        let (raise, resolve) = (&mut self.raise, &mut self.resolve);
        let (r, s, open) = db.execute_as::<RunAlertSweep, _>(session, |ctx| {
            ctx.check_store(store)?;
            // What the raises leave of the chunk goes to resolving.
            let raise: Vec<Wanted> = raise.by_ref().take(chunk).collect();
            let resolve = resolve.by_ref().take(chunk - raise.len());
            let (r, s) = apply(ctx, store, raise, resolve)?;
            let open = if done {
                mark_swept(ctx, store, seq)?;
                Some(super::list::open_counts(ctx, store)?)
            } else {
                None
            };
            Ok((r, s, open))
        })?;
        self.raised += r;
        self.resolved += s;
        Ok(open.map(|open| SweepResult {
            store_id: store,
            raised: self.raised,
            resolved: self.resolved,
            open,
        }))
    }
}

/// Reads a store's alert settings.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetAlertSettings {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

impl Operation for GetAlertSettings {
    const NAME: &'static str = "get_alert_settings";
    const SUMMARY: &'static str = "Read a store's expiry alert window and reorder usage window";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = AlertSettings;

    fn run(self, ctx: &Ctx<'_>) -> Result<AlertSettings> {
        let store = ctx.store(self.store_id)?;
        load_settings(ctx, store.id)
    }
}

/// Changes a store's alert settings: `expiry_alert_days` (1–365, default 30: lots
/// expiring within it raise `expiring_soon`) and `reorder_usage_days` (1–365, default 30:
/// the window of average daily usage). Writes a `settings_changed` event.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct UpdateAlertSettings {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Days ahead for `expiring_soon`.
    #[ts(optional, type = "number")]
    pub expiry_alert_days: Option<i64>,
    /// Days of usage for reorder.
    #[ts(optional, type = "number")]
    pub reorder_usage_days: Option<i64>,
}

impl Operation for UpdateAlertSettings {
    const NAME: &'static str = "update_alert_settings";
    const SUMMARY: &'static str = "Change a store's expiry alert window and reorder usage window";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = AlertSettings;

    fn run(self, ctx: &Ctx<'_>) -> Result<AlertSettings> {
        let store = ctx.store(self.store_id)?;
        for (field, v) in [
            ("expiry_alert_days", self.expiry_alert_days),
            ("reorder_usage_days", self.reorder_usage_days),
        ] {
            if let Some(v) = v {
                if !(1..=365).contains(&v) {
                    return Err(Error::invalid(
                        field,
                        format!("{} must be between 1 and 365 days", field.replace('_', " ")),
                    ));
                }
            }
        }
        ensure_settings_row(ctx, store.id)?;
        let before = load_settings(ctx, store.id)?;
        ctx.tx.execute(
            "UPDATE store_settings SET expiry_alert_days = COALESCE(?2, expiry_alert_days),
                    reorder_usage_days = COALESCE(?3, reorder_usage_days), updated_at = ?4, updated_by = ?5
              WHERE store_id = ?1",
            params![
                store.id,
                self.expiry_alert_days,
                self.reorder_usage_days,
                ctx.now_str(),
                ctx.actor.id
            ],
        )?;
        let after = load_settings(ctx, store.id)?;
        let payload = crate::audit::Payload::about("store", store.id, &store.name)
            .with_changes(crate::audit::diff(&before, &after)?);
        crate::audit::record(
            ctx,
            store.id,
            crate::audit::ChangeType::SettingsChanged,
            &payload,
        )?;
        Ok(after)
    }
}
