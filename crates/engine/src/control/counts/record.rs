//! `record_count`: a counted quantity for one line, typed or scanned.

use super::{counted_milli, line, CountLine, CountRow, CountStatus, PreviousCount};
use crate::auth::Permission;
use crate::catalogue::barcodes::product_for_code;
use crate::catalogue::products::ProductRules;
use crate::ids::{BatchId, CountId, CountItemId, ProductId, UserId};
use crate::num::Qty;
use crate::op::{Ctx, Operation};
use crate::stock::BatchRow;
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::Deserialize;
use ts_rs::TS;

/// Records what was counted on one line of an `in_progress` count (`conflict` otherwise).
///
/// - The line is named by exactly one of `line_id`, `batch_id` or `code` (`invalid_input`
///   for none or several).
/// - `code` is what the scanner read, resolved as at the till (`scan_barcode`): a GS1
///   symbol gives product, batch (AI 10) and expiry. Each scan **adds** `quantity`
///   (default: the symbol's count, AI 30/37, else 1) to the line, so counting a shelf is
///   scanning each pack. A code that names no batch finds the product's only line on the
///   sheet; with several it is `invalid_input` (pick the line). A batch number the store
///   does not hold is `not_found`.
/// - With `line_id` or `batch_id`, `quantity` (required) is the counted quantity, 0 or
///   more, whole unless the product allows fractions. A line already counted is refused
///   (`conflict`, with who counted what) unless `recount` is true: the new count replaces
///   it and the earlier one is kept in the line's `recounts`. Not sending the recount
///   keeps the first count ("keep my count").
/// - A batch of the count's store that is on the shelf but not on the sheet (named by
///   `batch_id` or scanned) is added as a line (`added`), with the system quantity as it
///   stands now.
/// - Every count of a line takes the line's snapshot again — the batch's on-hand and
///   newest audit event at this instant — because the shelf counted now already shows
///   every sale made before; posting keeps what moves after.
/// - Permission `adjust_stock`. No audit event per line: the line keeps who counted what
///   and when, and the count's lifecycle events carry the figures.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RecordCount {
    /// The count.
    pub count_id: CountId,
    /// The line.
    #[ts(optional)]
    pub line_id: Option<CountItemId>,
    /// Or its batch.
    #[ts(optional)]
    pub batch_id: Option<BatchId>,
    /// Or what the scanner read.
    #[ts(optional)]
    pub code: Option<String>,
    /// Counted quantity (with a code: how many packs to add, default the symbol's count or 1).
    #[ts(optional)]
    pub quantity: Option<Qty>,
    /// Replace a line already counted (the earlier count is kept in its history).
    #[ts(optional)]
    pub recount: Option<bool>,
}

struct Item {
    id: CountItemId,
    counted_milli: Option<i64>,
    counted_by: Option<UserId>,
    counted_at: Option<String>,
    recounts: Option<String>,
}

fn find_item(ctx: &Ctx<'_>, count: CountId, batch: BatchId) -> Result<Option<Item>> {
    Ok(ctx
        .tx
        .prepare_cached(
            "SELECT id, counted_milli, counted_by, counted_at, recounts FROM count_items WHERE count_id = ?1 AND batch_id = ?2",
        )?
        .query_row(params![count, batch], |r| {
            Ok(Item {
                id: r.get(0)?,
                counted_milli: r.get(1)?,
                counted_by: r.get(2)?,
                counted_at: r.get(3)?,
                recounts: r.get(4)?,
            })
        })
        .optional()?)
}

impl Operation for RecordCount {
    const NAME: &'static str = "record_count";
    const SUMMARY: &'static str =
        "Record a line's counted quantity, typed or scanned (GS1 finds product and batch); recount keeps history";
    const PERMISSION: Permission = Permission::AdjustStock;
    const WRITES: bool = true;
    type Output = CountLine;

    fn run(self, ctx: &Ctx<'_>) -> Result<CountLine> {
        let c = CountRow::load(ctx, self.count_id)?;
        c.expect(&[CountStatus::InProgress], "take counts")?;
        let named = [
            self.line_id.is_some(),
            self.batch_id.is_some(),
            self.code.is_some(),
        ];
        if named.iter().filter(|n| **n).count() != 1 {
            return Err(Error::invalid(
                "line_id",
                "name the line by exactly one of line_id, batch_id or code",
            ));
        }
        let (batch_id, scanned_qty) = match (&self.line_id, &self.batch_id, &self.code) {
            (Some(line_id), _, _) => {
                let (count, batch): (CountId, BatchId) = ctx
                    .tx
                    .query_row(
                        "SELECT count_id, batch_id FROM count_items WHERE id = ?1",
                        [line_id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?
                    .ok_or_else(|| Error::not_found("count line", line_id))?;
                if count != c.id {
                    return Err(Error::invalid(
                        "line_id",
                        format!("line {line_id} belongs to another count"),
                    ));
                }
                (batch, None)
            }
            (_, Some(b), _) => (*b, None),
            (_, _, Some(code)) => {
                let (b, q) = scan(ctx, &c, code.trim())?;
                (b, Some(q))
            }
            _ => unreachable_line()?,
        };
        let b = BatchRow::load(ctx.tx, batch_id)?;
        if b.store_id != c.store_id {
            return Err(Error::invalid(
                "batch_id",
                format!("batch {} is not in this count's store", b.batch_number),
            ));
        }
        let rules = ProductRules::load(ctx.tx, b.product_id)?;
        let now = ctx.now_str();
        let item = match find_item(ctx, c.id, b.id)? {
            Some(i) => i,
            None => {
                // Found on the shelf, not on the sheet: a new line at the end.
                let id = CountItemId::new();
                ctx.tx.execute(
                    "INSERT INTO count_items (id, count_id, line_no, batch_id, product_id, cost_e4, added, snapshot_milli,
                                              snapshot_seq, snapshot_at)
                     VALUES (?1, ?2, (SELECT MAX(line_no) + 1 FROM count_items WHERE count_id = ?2), ?3, ?4, ?5, 1, ?6, ?7, ?8)",
                    params![id, c.id, b.id, b.product_id, b.cost_e4, b.on_hand_milli, b.last_event_seq, now],
                )?;
                Item {
                    id,
                    counted_milli: None,
                    counted_by: None,
                    counted_at: None,
                    recounts: None,
                }
            }
        };
        let (new_milli, history) = match scanned_qty {
            Some(pack) => {
                let add = match self.quantity {
                    Some(q) => crate::num::check_quantity(
                        "quantity",
                        q,
                        rules.allow_fractional,
                        &rules.unit,
                    )?,
                    None => pack,
                };
                (item.counted_milli.unwrap_or(0) + add, item.recounts.clone())
            }
            None => {
                let q = self
                    .quantity
                    .ok_or_else(|| Error::invalid("quantity", "give the counted quantity"))?;
                let milli = counted_milli("quantity", q, rules.allow_fractional, &rules.unit)?;
                match (item.counted_milli, self.recount.unwrap_or(false)) {
                    (None, _) => (milli, item.recounts.clone()),
                    (Some(prev), false) => {
                        let by: Option<String> = match item.counted_by {
                            Some(u) => ctx
                                .tx
                                .query_row("SELECT name FROM users WHERE id = ?1", [u], |r| {
                                    r.get(0)
                                })
                                .optional()?,
                            None => None,
                        };
                        return Err(Error::conflict(format!(
                            "batch {} was already counted: {} by {}; recount to replace it (the first count is kept), or keep that count",
                            b.batch_number,
                            Qty::from_scaled(prev),
                            by.unwrap_or_else(|| "someone".into())
                        )));
                    }
                    (Some(prev), true) => {
                        let mut list: Vec<PreviousCount> = item
                            .recounts
                            .as_deref()
                            .and_then(|t| serde_json::from_str(t).ok())
                            .unwrap_or_default();
                        list.push(PreviousCount {
                            counted: Qty::from_scaled(prev),
                            counted_by: item.counted_by.unwrap_or(ctx.actor.id),
                            counted_at: item.counted_at.clone().unwrap_or_default(),
                        });
                        let text = serde_json::to_string(&list).map_err(|e| {
                            Error::internal(format!("encoding a line's recounts: {e}"))
                        })?;
                        (milli, Some(text))
                    }
                }
            }
        };
        ctx.tx
            .prepare_cached(
                "UPDATE count_items SET counted_milli = ?2, counted_by = ?3, counted_at = ?4, recounts = ?5, status = 'counted',
                        snapshot_milli = ?6, snapshot_seq = ?7, snapshot_at = ?4
                  WHERE id = ?1",
            )?
            .execute(params![
                item.id,
                new_milli,
                ctx.actor.id,
                now,
                history,
                b.on_hand_milli,
                b.last_event_seq
            ])?;
        line(ctx, &c, item.id)
    }
}

fn unreachable_line() -> Result<(BatchId, Option<i64>)> {
    Err(Error::invalid(
        "line_id",
        "name the line by exactly one of line_id, batch_id or code",
    ))
}

/// The batch a scanned code names in the count's store, and the pack's count
/// (thousandths).
fn scan(ctx: &Ctx<'_>, c: &CountRow, code: &str) -> Result<(BatchId, i64)> {
    let store = ctx.store(Some(c.store_id))?;
    let today = ctx.today(&store);
    let (product, parsed): (ProductId, _) = product_for_code(ctx.tx, code, today)?;
    let pack = parsed
        .as_ref()
        .and_then(|p| p.count)
        .and_then(|n| i64::try_from(n).ok())
        .unwrap_or(1)
        .saturating_mul(1000);
    match parsed.and_then(|p| p.batch) {
        Some(number) => {
            let id: Option<BatchId> = ctx
                .tx
                .prepare_cached(
                    "SELECT id FROM batches WHERE store_id = ?1 AND product_id = ?2 AND batch_number = ?3",
                )?
                .query_row(params![c.store_id, product, number], |r| r.get(0))
                .optional()?;
            let id = id.ok_or_else(|| {
                Error::not_found("batch", format!("{number} (not held in this store)"))
            })?;
            Ok((id, pack))
        }
        None => {
            let mut stmt = ctx.tx.prepare_cached(
                "SELECT batch_id FROM count_items WHERE count_id = ?1 AND product_id = ?2 LIMIT 2",
            )?;
            let lines = stmt
                .query_map(params![c.id, product], |r| r.get::<_, BatchId>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            match lines.as_slice() {
                [only] => Ok((*only, pack)),
                [] => Err(Error::invalid(
                    "code",
                    "this code names no batch and the product is not on the sheet: scan the pack's GS1 code or pick the batch",
                )),
                _ => Err(Error::invalid(
                    "code",
                    "this code names no batch and the product has several lines: scan the pack's GS1 code or pick the line",
                )),
            }
        }
    }
}
