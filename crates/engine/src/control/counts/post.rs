//! `post_count`: a count's variances become stock moves, in one transaction,
//! keeping everything that moved after each line was counted.

use super::{line, summary, CountLine, CountRow, CountStatus, CountSummary};
use crate::alerts::{self, AlertType};
use crate::approval::{required, ApprovalMeasure, Over};
use crate::audit::ChangeType;
use crate::auth::Permission;
use crate::ids::{
    BatchId, CountItemId, ProductId, ReconciliationId, ReconciliationItemId, StoreId,
};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::stock::{move_stock, BatchRow};
use crate::Result;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

/// Posts a count: `completed` (when it did not need approval) or `approved` → `posted`;
/// `conflict` from any other status, `approval_required` for a completed count whose
/// variances wait for `approve_count`.
///
/// - In one transaction, each counted line's batch is set to
///   `counted + (on-hand now − system quantity at the count)`: sales, receipts and
///   transfers made after the line was counted are kept. The line's `movement` records
///   what moved. Only lines whose variance is not zero move stock, each with one
///   `reconciliation` event (previous and new quantity) referring to its reconciliation
///   item.
/// - A line whose batch would go below zero or below its reserved quantity is **not
///   applied and never clamped**: the count still posts, the line is `flagged` with the
///   reason, it is listed in `flagged`, and a `variance_detected` alert names the count
///   so a manager can recount the batch and adjust it.
/// - Writes seed 003's record: an inventory reconciliation (`count_id` set) with one item
///   per applied line (system, counted, variance), `total_variance` their sum — the same
///   record `reconcile_inventory` leaves.
/// - Resolves the count's open `variance_detected` alert. Manager (`manage_stock`). A
///   `count_posted` event with the figures.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct PostCount {
    /// The count.
    pub count_id: crate::ids::CountId,
}

/// What posting did.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct PostedCount {
    /// The count, now posted.
    pub count: CountSummary,
    /// The reconciliation record written.
    pub reconciliation_id: ReconciliationId,
    /// Lines applied (their variance written, zero or not).
    #[ts(type = "number")]
    pub applied_lines: i64,
    /// Lines that changed stock.
    #[ts(type = "number")]
    pub moved_lines: i64,
    /// Sum of the applied variances.
    pub total_variance: Qty,
    /// Lines not applied, with why.
    pub flagged: Vec<CountLine>,
}

/// One line of a reconciliation, as both paths write it.
pub(crate) struct RecLine {
    pub batch: BatchId,
    pub product: ProductId,
    pub system_milli: i64,
    pub counted_milli: i64,
}

/// Starts a reconciliation record (its total is set by [`finish_reconciliation`]).
pub(crate) fn start_reconciliation(
    ctx: &Ctx<'_>,
    store: StoreId,
    count: Option<crate::ids::CountId>,
    notes: Option<&str>,
) -> Result<ReconciliationId> {
    let id = ReconciliationId::new();
    let now = ctx.now_str();
    ctx.tx.execute(
        "INSERT INTO inventory_reconciliations (id, store_id, reconciliation_date, total_variance_milli, notes, user_id,
                                                count_id, created_at)
         VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?3)",
        params![id, store, now, notes, ctx.actor.id, count],
    )?;
    Ok(id)
}

/// Writes one item of a reconciliation.
pub(crate) fn add_item(
    ctx: &Ctx<'_>,
    rec: ReconciliationId,
    l: &RecLine,
) -> Result<ReconciliationItemId> {
    let id = ReconciliationItemId::new();
    ctx.tx
        .prepare_cached(
            "INSERT INTO reconciliation_items (id, reconciliation_id, batch_id, product_id, system_milli, counted_milli,
                                               variance_milli, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            id,
            rec,
            l.batch,
            l.product,
            l.system_milli,
            l.counted_milli,
            l.counted_milli - l.system_milli,
            ctx.now_str()
        ])?;
    Ok(id)
}

/// Sets the reconciliation's total variance.
pub(crate) fn finish_reconciliation(
    ctx: &Ctx<'_>,
    rec: ReconciliationId,
    total_milli: i64,
) -> Result<()> {
    ctx.tx.execute(
        "UPDATE inventory_reconciliations SET total_variance_milli = ?2 WHERE id = ?1",
        params![rec, total_milli],
    )?;
    Ok(())
}

/// A counted line as posting reads it, with its batch's figures now.
struct PostLine {
    item: CountItemId,
    line_no: i64,
    batch: BatchId,
    product: ProductId,
    snapshot: i64,
    counted: i64,
    on_hand: i64,
    reserved: i64,
    batch_number: String,
}

/// Why batch `batch_number` (holding `reserved_milli` for customers) cannot take
/// `new_milli`, if it cannot.
pub(crate) fn refusal(batch_number: &str, reserved_milli: i64, new_milli: i64) -> Option<String> {
    if new_milli < 0 {
        Some(format!(
            "batch {batch_number} would go to {}: more left it after it was counted than was counted; recount it",
            Qty::from_scaled(new_milli)
        ))
    } else if new_milli < reserved_milli {
        Some(format!(
            "batch {batch_number} would go to {}, below the {} held for customers; release the holds or recount it",
            Qty::from_scaled(new_milli),
            Qty::from_scaled(reserved_milli)
        ))
    } else {
        None
    }
}

impl Operation for PostCount {
    const NAME: &'static str = "post_count";
    const SUMMARY: &'static str =
        "Post a count: apply counted + what moved since each line was counted, in one transaction (manager)";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = PostedCount;

    fn run(self, ctx: &Ctx<'_>) -> Result<PostedCount> {
        let c = CountRow::load(ctx, self.count_id)?;
        c.expect(
            &[CountStatus::Completed, CountStatus::Approved],
            "be posted",
        )?;
        if c.status == CountStatus::Completed && c.needs_approval {
            let value: i64 = ctx.tx.query_row(
                "SELECT COALESCE(SUM(ABS(variance_milli) * cost_e4 / 1000), 0) FROM count_items WHERE count_id = ?1",
                [c.id],
                |r| r.get(0),
            )?;
            return Err(required(
                format!(
                    "{}'s variances go past the store's thresholds: approve the count (approve_count) before posting it",
                    c.name()
                ),
                false,
                Some(&Over::always(
                    ApprovalMeasure::Money,
                    Money::from_scaled(value),
                )),
                &ctx.actor.name,
            ));
        }
        let name = c.name();
        let rec = start_reconciliation(ctx, c.store_id, Some(c.id), Some(&name))?;
        // One joined read of what each line needs. The full batch row is read
        // only for the lines that move stock (a tenth or fewer in practice), and
        // the lines' statuses are written by two set-based UPDATEs at the end:
        // per-line round trips made a 50,000-line post take seconds.
        let lines = {
            let mut stmt = ctx.tx.prepare(
                "SELECT i.id, i.line_no, i.batch_id, i.product_id, i.snapshot_milli, i.counted_milli,
                        b.on_hand_milli, b.reserved_milli, b.batch_number
                   FROM count_items i JOIN batches b ON b.id = i.batch_id
                  WHERE i.count_id = ?1 AND i.status = 'counted' ORDER BY i.line_no",
            )?;
            let rows = stmt.query_map([c.id], |r| {
                Ok(PostLine {
                    item: r.get(0)?,
                    line_no: r.get(1)?,
                    batch: r.get(2)?,
                    product: r.get(3)?,
                    snapshot: r.get(4)?,
                    counted: r.get(5)?,
                    on_hand: r.get(6)?,
                    reserved: r.get(7)?,
                    batch_number: r.get(8)?,
                })
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        let (mut applied, mut moved, mut total) = (0i64, 0i64, 0i64);
        let mut flagged_ids = Vec::new();
        for l in lines {
            let variance = l.counted - l.snapshot;
            let movement = l.on_hand - l.snapshot;
            let new = l.counted + movement;
            if let Some(why) = refusal(&l.batch_number, l.reserved, new) {
                ctx.tx
                    .prepare_cached(
                        "UPDATE count_items SET status = 'flagged', flag_reason = ?2, movement_milli = ?3 WHERE id = ?1",
                    )?
                    .execute(params![l.item, why, movement])?;
                flagged_ids.push(l.item);
                continue;
            }
            let rec_item = add_item(
                ctx,
                rec,
                &RecLine {
                    batch: l.batch,
                    product: l.product,
                    system_milli: l.snapshot,
                    counted_milli: l.counted,
                },
            )?;
            if variance != 0 {
                let b = BatchRow::load(ctx.tx, l.batch)?;
                move_stock(
                    ctx,
                    &b,
                    new,
                    ChangeType::Reconciliation,
                    Some(&rec_item.to_string()),
                    Some(&format!("{name}, line {}", l.line_no)),
                )?;
                moved += 1;
            }
            applied += 1;
            total += variance;
        }
        // Every line still `counted` was applied; its batch now holds
        // counted + movement, so the movement is read back from it.
        ctx.tx.execute(
            "UPDATE count_items
                SET status = 'posted',
                    movement_milli = (SELECT b.on_hand_milli FROM batches b WHERE b.id = count_items.batch_id) - counted_milli
              WHERE count_id = ?1 AND status = 'counted'",
            [c.id],
        )?;
        finish_reconciliation(ctx, rec, total)?;
        let now = ctx.now_str();
        ctx.tx.execute(
            "UPDATE inventory_counts SET status = 'posted', posted_by = ?2, posted_at = ?3, updated_at = ?3 WHERE id = ?1",
            params![c.id, ctx.actor.id, now],
        )?;
        c.event(
            ctx,
            ChangeType::CountPosted,
            json!({
                "reconciliation_id": rec,
                "applied_lines": applied,
                "moved_lines": moved,
                "flagged_lines": flagged_ids.len(),
                "total_variance": Qty::from_scaled(total),
            }),
        )?;
        alerts::resolve_subject(
            ctx,
            c.store_id,
            AlertType::VarianceDetected,
            &c.id.to_string(),
            "count posted",
        )?;
        if !flagged_ids.is_empty() {
            let n = flagged_ids.len();
            c.raise_variance_alert(
                ctx,
                format!(
                    "{n} line{} of {name} could not be applied (stock would go below zero or below its holds): recount {} and adjust",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "that batch" } else { "those batches" }
                ),
            )?;
        }
        let flagged = flagged_ids
            .into_iter()
            .map(|id| line(ctx, &c, id))
            .collect::<Result<Vec<_>>>()?;
        Ok(PostedCount {
            count: summary(ctx, c.id)?,
            reconciliation_id: rec,
            applied_lines: applied,
            moved_lines: moved,
            total_variance: Qty::from_scaled(total),
            flagged,
        })
    }
}
