//! A count's workflow: create (draft) → start (in_progress) → complete →
//! approve → (post, in `post`), and cancel.

use super::{past_threshold, summary, CountRow, CountStatus, CountSummary, CountType};
use crate::alerts::{self, AlertType};
use crate::approval::{approve, Approval, ApprovalMeasure, IfMissing, Over};
use crate::audit::ChangeType;
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::ids::{BatchId, CategoryId, CountId, CountItemId, ProductId, StoreId};
use crate::num::Money;
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::params;
use serde::Deserialize;
use serde_json::json;
use ts_rs::TS;

/// How far back an empty batch still belongs on a full, cycle or category
/// count: stock the system thinks gone may still be on the shelf.
pub const RECENT_DAYS: i64 = 30;

/// Most products or batches one request may name.
const MAX_NAMED: usize = 5000;

/// Creates a count as a `draft` with its lines (no quantities yet).
///
/// - `count_type` and its scope:
///   - `full`: every batch of the store with stock, or emptied in the last 30 days
///     (the system may be wrong that it is gone); no scope fields.
///   - `cycle`: exactly one of `product_ids` (the batches of those products, with stock or
///     emptied in the last 30 days) or `location` (the batches whose shelf location is that
///     text, case-insensitive) — the subset counted this round of a rotation.
///   - `spot`: `product_ids` and/or `batch_ids`: every batch named, empty or not, and the
///     batches of the products named (with stock or recent).
///   - `category`: `category_id`: the batches of the products in that category (with stock
///     or recent).
///   - A scope field that does not belong to the type, or a missing one, is `invalid_input`;
///     so is a scope that finds no batch. Products must exist (`not_found`); batches must be
///     the store's (`invalid_input`).
/// - Lines are ordered for walking the shop: shelf location, product name, expiry, batch.
/// - `blind`: counters do not see system quantities or variances until the count is
///   completed (managers always do).
/// - Permission `adjust_stock`: any of the store's staff may set up a count. A
///   `count_created` event.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CreateCount {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// full, cycle, spot or category.
    pub count_type: CountType,
    /// Products (cycle, spot).
    #[ts(optional)]
    pub product_ids: Option<Vec<ProductId>>,
    /// Batches (spot).
    #[ts(optional)]
    pub batch_ids: Option<Vec<BatchId>>,
    /// Shelf location (cycle).
    #[ts(optional)]
    pub location: Option<String>,
    /// Category (category).
    #[ts(optional)]
    pub category_id: Option<CategoryId>,
    /// Hide system quantities from counters (default false).
    #[ts(optional)]
    pub blind: Option<bool>,
    /// When it is planned.
    #[ts(optional, type = "string")]
    pub scheduled_date: Option<NaiveDate>,
    /// Notes.
    #[ts(optional)]
    pub notes: Option<String>,
}

fn refuse_field(field: &str, t: CountType) -> Error {
    Error::invalid(
        field,
        format!("{field} does not belong to a {} count", t.as_str()),
    )
}

impl Operation for CreateCount {
    const NAME: &'static str = "create_count";
    const SUMMARY: &'static str =
        "Create a physical count (full, cycle, spot or category) as a draft with its lines";
    const PERMISSION: Permission = Permission::AdjustStock;
    const WRITES: bool = true;
    type Output = CountSummary;

    fn run(self, ctx: &Ctx<'_>) -> Result<CountSummary> {
        let store = ctx.store(self.store_id)?;
        let t = self.count_type;
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?;
        let location = optional_text("location", self.location.as_deref(), 200)?;
        let products = self.product_ids.unwrap_or_default();
        let batches = self.batch_ids.unwrap_or_default();
        if products.len() > MAX_NAMED || batches.len() > MAX_NAMED {
            return Err(Error::invalid(
                "product_ids",
                format!("name at most {MAX_NAMED} products or batches"),
            ));
        }
        let recent = (ctx.now - chrono::Duration::days(RECENT_DAYS))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        // Every scope selects batch ids (with stock or recent, unless named).
        let live = "(b.on_hand_milli > 0 OR b.updated_at >= :recent)";
        let (scope, filter): (String, String) = match t {
            CountType::Full => {
                for (set, field) in [
                    (!products.is_empty(), "product_ids"),
                    (!batches.is_empty(), "batch_ids"),
                    (location.is_some(), "location"),
                    (self.category_id.is_some(), "category_id"),
                ] {
                    if set {
                        return Err(refuse_field(field, t));
                    }
                }
                ("all".into(), live.into())
            }
            CountType::Cycle => {
                if !batches.is_empty() {
                    return Err(refuse_field("batch_ids", t));
                }
                if self.category_id.is_some() {
                    return Err(refuse_field("category_id", t));
                }
                match (products.is_empty(), &location) {
                    (false, None) => (
                        "products".into(),
                        format!(
                            "{live} AND b.product_id IN (SELECT value FROM json_each(:products))"
                        ),
                    ),
                    (true, Some(l)) => (
                        format!("location:{l}"),
                        "b.location = :location COLLATE NOCASE".into(),
                    ),
                    _ => {
                        return Err(Error::invalid(
                            "product_ids",
                            "a cycle count names either product_ids or a location",
                        ))
                    }
                }
            }
            CountType::Spot => {
                if location.is_some() {
                    return Err(refuse_field("location", t));
                }
                if self.category_id.is_some() {
                    return Err(refuse_field("category_id", t));
                }
                if products.is_empty() && batches.is_empty() {
                    return Err(Error::invalid(
                        "product_ids",
                        "a spot count names product_ids or batch_ids",
                    ));
                }
                (
                    if batches.is_empty() {
                        "products"
                    } else {
                        "batches"
                    }
                    .into(),
                    format!(
                        "(b.id IN (SELECT value FROM json_each(:batches))
                          OR ({live} AND b.product_id IN (SELECT value FROM json_each(:products))))"
                    ),
                )
            }
            CountType::Category => {
                for (set, field) in [
                    (!products.is_empty(), "product_ids"),
                    (!batches.is_empty(), "batch_ids"),
                    (location.is_some(), "location"),
                ] {
                    if set {
                        return Err(refuse_field(field, t));
                    }
                }
                let Some(cat) = self.category_id else {
                    return Err(Error::invalid(
                        "category_id",
                        "a category count names its category_id",
                    ));
                };
                let known: bool = ctx.tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM categories WHERE id = ?1)",
                    [cat],
                    |r| r.get(0),
                )?;
                if !known {
                    return Err(Error::not_found("category", cat));
                }
                (
                    "category".into(),
                    format!("{live} AND p.category_id = :category"),
                )
            }
        };
        for p in &products {
            let known: bool = ctx.tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM products WHERE id = ?1)",
                [p],
                |r| r.get(0),
            )?;
            if !known {
                return Err(Error::not_found("product", p));
            }
        }
        for (i, b) in batches.iter().enumerate() {
            let in_store: Option<StoreId> = rusqlite::OptionalExtension::optional(
                ctx.tx
                    .query_row("SELECT store_id FROM batches WHERE id = ?1", [b], |r| {
                        r.get(0)
                    }),
            )?;
            match in_store {
                None => return Err(Error::not_found("batch", b)),
                Some(s) if s != store.id => {
                    return Err(Error::invalid(
                        &format!("batch_ids[{i}]"),
                        format!("batch {b} is not in this count's store"),
                    ))
                }
                Some(_) => {}
            }
        }
        let json = |v: &[String]| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
        let products_json = json(&products.iter().map(|p| p.to_string()).collect::<Vec<_>>());
        let batches_json = json(&batches.iter().map(|b| b.to_string()).collect::<Vec<_>>());
        let sql = format!(
            "SELECT b.id, b.product_id, b.cost_price_e4 FROM batches b JOIN products p ON p.id = b.product_id
              WHERE b.store_id = :store AND {filter}
              ORDER BY b.location IS NULL, b.location COLLATE NOCASE, p.name COLLATE NOCASE, b.expiry_date, b.batch_number"
        );
        let mut stmt = ctx.tx.prepare(&sql)?;
        let mut named: Vec<(&str, &dyn rusqlite::ToSql)> = vec![(":store", &store.id)];
        let category = self.category_id;
        if sql.contains(":recent") {
            named.push((":recent", &recent));
        }
        if sql.contains(":products") {
            named.push((":products", &products_json));
        }
        if sql.contains(":batches") {
            named.push((":batches", &batches_json));
        }
        if sql.contains(":location") {
            named.push((":location", &location));
        }
        if sql.contains(":category") {
            named.push((":category", &category));
        }
        let lines = stmt
            .query_map(named.as_slice(), |r| {
                Ok((
                    r.get::<_, BatchId>(0)?,
                    r.get::<_, ProductId>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if lines.is_empty() {
            return Err(Error::invalid(
                "count_type",
                "this count's scope finds no batch to count",
            ));
        }
        let id = CountId::new();
        let number: i64 = ctx.tx.query_row(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM inventory_counts WHERE store_id = ?1",
            [store.id],
            |r| r.get(0),
        )?;
        let now = ctx.now_str();
        ctx.tx.execute(
            "INSERT INTO inventory_counts (id, store_id, number, count_type, category_id, scope, status, blind,
                                           scheduled_date, notes, created_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'draft', ?7, ?8, ?9, ?10, ?11, ?11)",
            params![
                id,
                store.id,
                number,
                t.as_str(),
                self.category_id,
                scope,
                self.blind.unwrap_or(false),
                self.scheduled_date.map(|d| d.to_string()),
                notes,
                ctx.actor.id,
                now
            ],
        )?;
        let mut insert = ctx.tx.prepare_cached(
            "INSERT INTO count_items (id, count_id, line_no, batch_id, product_id, cost_e4) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (n, (batch, product, cost)) in lines.iter().enumerate() {
            insert.execute(params![
                CountItemId::new(),
                id,
                n as i64 + 1,
                batch,
                product,
                cost
            ])?;
        }
        let c = CountRow::load(ctx, id)?;
        c.event(
            ctx,
            ChangeType::CountCreated,
            json!({ "count_type": t, "scope": scope, "lines": lines.len(), "blind": c.blind }),
        )?;
        summary(ctx, id)
    }
}

/// Starts counting: `draft` → `in_progress` (`conflict` from any other status). Every
/// line's system quantity is snapshotted at this instant (with the batch's newest audit
/// event); counting a line takes its snapshot again (see the module's notes). Permission
/// `adjust_stock`. A `count_started` event.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct StartCount {
    /// The count.
    pub count_id: CountId,
}

impl Operation for StartCount {
    const NAME: &'static str = "start_count";
    const SUMMARY: &'static str =
        "Start counting: snapshot every line's system quantity (the shop keeps selling)";
    const PERMISSION: Permission = Permission::AdjustStock;
    const WRITES: bool = true;
    type Output = CountSummary;

    fn run(self, ctx: &Ctx<'_>) -> Result<CountSummary> {
        let c = CountRow::load(ctx, self.count_id)?;
        c.expect(&[CountStatus::Draft], "start")?;
        let now = ctx.now_str();
        ctx.tx.execute(
            "UPDATE count_items SET snapshot_milli = b.on_hand_milli, snapshot_seq = b.last_event_seq, snapshot_at = ?2
               FROM batches b WHERE b.id = count_items.batch_id AND count_items.count_id = ?1",
            params![c.id, now],
        )?;
        ctx.tx.execute(
            "UPDATE inventory_counts SET status = 'in_progress', started_by = ?2, started_at = ?3, updated_at = ?3 WHERE id = ?1",
            params![c.id, ctx.actor.id, now],
        )?;
        c.event(ctx, ChangeType::CountStarted, json!({}))?;
        summary(ctx, c.id)
    }
}

/// Finishes counting: `in_progress` → `completed` (`conflict` from any other status).
///
/// - Lines not counted are refused (`conflict`, naming how many) unless
///   `uncounted_as_zero` is true: then each is recorded as counted 0 by the acting user
///   (its snapshot taken now), on purpose — nothing is assumed silently.
/// - Each line's variance = counted − system quantity, in units, percent and cost.
/// - When some line's variance goes past the store's adjustment thresholds
///   (`adjustment_approval_units` per line, or `adjustment_approval_value` at the batch's
///   cost), the count `needs_approval`: a `variance_detected` alert is raised and the count
///   waits in the approvals queue for `approve_count` before it can be posted.
/// - Permission `adjust_stock`. A `count_completed` event with the figures.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CompleteCount {
    /// The count.
    pub count_id: CountId,
    /// Record lines not counted as counted zero (default false: refuse).
    #[ts(optional)]
    pub uncounted_as_zero: Option<bool>,
}

impl Operation for CompleteCount {
    const NAME: &'static str = "complete_count";
    const SUMMARY: &'static str =
        "Finish counting: compute variances; past the store's thresholds the count waits for approval";
    const PERMISSION: Permission = Permission::AdjustStock;
    const WRITES: bool = true;
    type Output = CountSummary;

    fn run(self, ctx: &Ctx<'_>) -> Result<CountSummary> {
        let c = CountRow::load(ctx, self.count_id)?;
        c.expect(&[CountStatus::InProgress], "be completed")?;
        let store = ctx.store(Some(c.store_id))?;
        let now = ctx.now_str();
        let uncounted: i64 = ctx.tx.query_row(
            "SELECT COUNT(*) FROM count_items WHERE count_id = ?1 AND counted_milli IS NULL",
            [c.id],
            |r| r.get(0),
        )?;
        if uncounted > 0 {
            if !self.uncounted_as_zero.unwrap_or(false) {
                return Err(Error::conflict(format!(
                    "{uncounted} line{} of {} not counted yet: count them, or complete with uncounted_as_zero to record them as zero",
                    if uncounted == 1 { " is" } else { "s are" },
                    c.name()
                )));
            }
            ctx.tx.execute(
                "UPDATE count_items SET counted_milli = 0, counted_by = ?2, counted_at = ?3, status = 'counted',
                        snapshot_milli = b.on_hand_milli, snapshot_seq = b.last_event_seq, snapshot_at = ?3
                   FROM batches b WHERE b.id = count_items.batch_id AND count_items.count_id = ?1
                    AND count_items.counted_milli IS NULL",
                params![c.id, ctx.actor.id, now],
            )?;
        }
        ctx.tx.execute(
            "UPDATE count_items SET variance_milli = counted_milli - snapshot_milli WHERE count_id = ?1",
            [c.id],
        )?;
        let (over, lines, variance_lines, value_e4, net_milli) = figures(ctx, c.id, &store)?;
        let needs_approval = over > 0;
        ctx.tx.execute(
            "UPDATE inventory_counts SET status = 'completed', completed_by = ?2, completed_at = ?3, updated_at = ?3,
                    needs_approval = ?4 WHERE id = ?1",
            params![c.id, ctx.actor.id, now, needs_approval],
        )?;
        c.event(
            ctx,
            ChangeType::CountCompleted,
            json!({
                "lines": lines,
                "uncounted_as_zero": uncounted,
                "variance_lines": variance_lines,
                "lines_past_threshold": over,
                "net_variance": crate::num::Qty::from_scaled(net_milli),
                "variance_cost": Money::from_scaled(value_e4),
                "needs_approval": needs_approval,
            }),
        )?;
        if needs_approval {
            c.raise_variance_alert(
                ctx,
                format!(
                    "{over} line{} of {} differ from the system past the store's thresholds; a manager approves before it is posted",
                    if over == 1 { "" } else { "s" },
                    c.name()
                ),
            )?;
        }
        summary(ctx, c.id)
    }
}

/// (lines past the thresholds, lines, lines with a variance, sum of |variance| at cost,
/// net variance in thousandths).
fn figures(
    ctx: &Ctx<'_>,
    id: CountId,
    store: &crate::catalogue::stores::StoreInfo,
) -> Result<(i64, i64, i64, i64, i64)> {
    let mut stmt = ctx
        .tx
        .prepare_cached("SELECT variance_milli, cost_e4 FROM count_items WHERE count_id = ?1")?;
    let mut rows = stmt.query([id])?;
    let (mut over, mut lines, mut varied, mut value, mut net) = (0, 0, 0, 0i64, 0i64);
    while let Some(r) = rows.next()? {
        let v: i64 = r.get(0)?;
        let cost: i64 = r.get(1)?;
        lines += 1;
        if v != 0 {
            varied += 1;
            net += v;
            value = value.saturating_add(v.abs().saturating_mul(cost) / 1000);
            if past_threshold(v, cost, store.approval_milli, store.approval_e4) {
                over += 1;
            }
        }
    }
    Ok((over, lines, varied, value, net))
}

/// Approves a completed count's variances: `completed` → `approved` (`conflict` from any
/// other status). Manager (`manage_stock`); the approval is in the record
/// (`approval_granted` and `count_approved` events). A count that did not need approval
/// may be approved too, or posted straight from `completed`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ApproveCount {
    /// The count.
    pub count_id: CountId,
    /// Remark.
    #[ts(optional)]
    pub notes: Option<String>,
}

impl Operation for ApproveCount {
    const NAME: &'static str = "approve_count";
    const SUMMARY: &'static str = "Approve a completed count's variances (manager)";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = CountSummary;

    fn run(self, ctx: &Ctx<'_>) -> Result<CountSummary> {
        let c = CountRow::load(ctx, self.count_id)?;
        c.expect(&[CountStatus::Completed], "be approved")?;
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?;
        let value: i64 = ctx.tx.query_row(
            "SELECT COALESCE(SUM(ABS(variance_milli) * cost_e4 / 1000), 0) FROM count_items WHERE count_id = ?1",
            [c.id],
            |r| r.get(0),
        )?;
        let over = Over::always(ApprovalMeasure::Money, Money::from_scaled(value));
        let approver = approve(
            ctx,
            Approval {
                action: "a count's variances",
                store_id: Some(c.store_id),
                needed: true,
                approver_name: None,
                approver_pin: None,
                if_missing: IfMissing::Refuse,
                over: Some(&over),
            },
        )?
        .ok_or_else(|| Error::internal("a manager's approval returned no approver"))?;
        let now = ctx.now_str();
        ctx.tx.execute(
            "UPDATE inventory_counts SET status = 'approved', approved_by = ?2, approved_at = ?3, updated_at = ?3 WHERE id = ?1",
            params![c.id, approver.id, now],
        )?;
        c.event(
            ctx,
            ChangeType::CountApproved,
            json!({ "variance_cost": Money::from_scaled(value), "notes": notes }),
        )?;
        summary(ctx, c.id)
    }
}

/// Cancels a count from `draft`, `in_progress` or `completed` (`conflict` once approved,
/// posted or cancelled) with a `reason` (required); stock is unchanged. Its
/// `variance_detected` alert, if any, is resolved. Manager (`manage_stock`). A
/// `count_cancelled` event. Also the approvals queue's refusal of a count.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CancelCount {
    /// The count.
    pub count_id: CountId,
    /// Why.
    pub reason: String,
}

impl Operation for CancelCount {
    const NAME: &'static str = "cancel_count";
    const SUMMARY: &'static str = "Cancel a count with a reason (stock is unchanged)";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = CountSummary;

    fn run(self, ctx: &Ctx<'_>) -> Result<CountSummary> {
        let c = CountRow::load(ctx, self.count_id)?;
        c.expect(
            &[
                CountStatus::Draft,
                CountStatus::InProgress,
                CountStatus::Completed,
            ],
            "be cancelled",
        )?;
        let reason = optional_text("reason", Some(&self.reason), 1000)?
            .ok_or_else(|| Error::invalid("reason", "say why the count is cancelled"))?;
        let now = ctx.now_str();
        ctx.tx.execute(
            "UPDATE inventory_counts SET status = 'cancelled', cancelled_by = ?2, cancelled_at = ?3, cancel_reason = ?4,
                    updated_at = ?3 WHERE id = ?1",
            params![c.id, ctx.actor.id, now, reason],
        )?;
        c.event(
            ctx,
            ChangeType::CountCancelled,
            json!({ "from": c.status, "reason": reason }),
        )?;
        alerts::resolve_subject(
            ctx,
            c.store_id,
            AlertType::VarianceDetected,
            &c.id.to_string(),
            "count cancelled",
        )?;
        summary(ctx, c.id)
    }
}
