//! Which batches a cart's lines take stock from, before anything moves.
//!
//! Shared by `hold_cart` (to reserve) and `complete_sale` (to sell), so the
//! stock a hold reserves is the stock the sale then takes. A line with a
//! scanned batch takes from that batch only; others go FEFO. Lines pinned
//! to a batch are planned before the FEFO lines, whatever order they were
//! scanned in: FEFO can take from any batch, a pinned line from one only,
//! so a FEFO line planned first could empty the batch a later pinned line
//! needs and fail a cart that the screen showed as covered. Stock this
//! cart already holds is used first (it is counted in the batch's reserved
//! quantity, so FEFO alone would pass it over), then free stock. Several
//! lines of one product share the batches without taking the same unit
//! twice. A short line fails the whole plan with `insufficient_stock`,
//! telling how much of that line could be sold.

use crate::ids::{BatchId, ProductId, StoreId};
use crate::num::Qty;
use crate::op::Ctx;
use crate::stock::allocate::{scan_fefo, skip_reason, SkipReason};
use crate::stock::BatchRow;
use crate::{Error, Result};
use chrono::NaiveDate;
use std::collections::HashMap;

/// What one line needs.
pub(crate) struct Need {
    pub product_id: ProductId,
    pub batch_id: Option<BatchId>,
    pub milli: i64,
}

/// Stock one line takes from one batch.
pub(crate) struct Take {
    pub line: usize,
    pub batch: BatchRow,
    pub milli: i64,
    /// Taken out of this cart's own hold on the batch.
    pub from_hold: bool,
}

/// Plans every line; `holds` is what this cart holds per batch.
pub(crate) fn plan(
    ctx: &Ctx<'_>,
    store_id: StoreId,
    today: NaiveDate,
    needs: &[Need],
    holds: &HashMap<BatchId, i64>,
) -> Result<Vec<Take>> {
    let mut hold_left = holds.clone();
    let mut free_used: HashMap<BatchId, i64> = HashMap::new();
    let mut takes = Vec::new();
    // This cart's held batches, FEFO order, for lines without a batch.
    let mut held: Vec<BatchRow> = holds
        .keys()
        .map(|b| BatchRow::load(ctx.tx, *b))
        .collect::<Result<_>>()?;
    held.sort_by(|a, b| a.expiry_date.cmp(&b.expiry_date).then(a.id.cmp(&b.id)));
    let pinned_first = needs
        .iter()
        .enumerate()
        .filter(|(_, n)| n.batch_id.is_some())
        .chain(
            needs
                .iter()
                .enumerate()
                .filter(|(_, n)| n.batch_id.is_none()),
        );
    for (i, need) in pinned_first {
        let mut left = need.milli;
        let take = |b: &BatchRow, n: i64, from_hold: bool, takes: &mut Vec<Take>| {
            if n > 0 {
                takes.push(Take {
                    line: i,
                    batch: b.clone(),
                    milli: n,
                    from_hold,
                });
            }
        };
        if let Some(batch_id) = need.batch_id {
            let b = BatchRow::load(ctx.tx, batch_id)?;
            if b.product_id != need.product_id || b.store_id != store_id {
                return Err(Error::invalid(
                    "batch_id",
                    format!(
                        "batch {} is not this product's in this store",
                        b.batch_number
                    ),
                ));
            }
            b.ensure_sellable(today)?;
            let h = hold_left.entry(b.id).or_insert(0);
            let n = (*h).min(left);
            *h -= n;
            left -= n;
            take(&b, n, true, &mut takes);
            let used = free_used.entry(b.id).or_insert(0);
            let free = (b.on_hand_milli - b.reserved_milli - *used).max(0);
            let n = free.min(left);
            *used += n;
            left -= n;
            take(&b, n, false, &mut takes);
            if left > 0 {
                return Err(short(need, left));
            }
            continue;
        }
        for b in held.iter().filter(|b| b.product_id == need.product_id) {
            if left == 0 {
                break;
            }
            if b.ensure_sellable(today).is_err() {
                continue;
            }
            let h = hold_left.entry(b.id).or_insert(0);
            let n = (*h).min(left);
            *h -= n;
            left -= n;
            take(b, n, true, &mut takes);
        }
        if left > 0 {
            scan_fefo(ctx, need.product_id, store_id, |c| {
                let b = c.row;
                match skip_reason(&b, today) {
                    None | Some(SkipReason::Reserved) => {}
                    Some(_) => return Ok(true),
                }
                let used = free_used.entry(b.id).or_insert(0);
                let free = (b.on_hand_milli - b.reserved_milli - *used).max(0);
                let n = free.min(left);
                *used += n;
                left -= n;
                take(&b, n, false, &mut takes);
                Ok(left > 0)
            })?;
        }
        if left > 0 {
            return Err(short(need, left));
        }
    }
    Ok(takes)
}

fn short(need: &Need, left: i64) -> Error {
    Error::InsufficientStock {
        product_id: Some(need.product_id.to_string()),
        batch_id: need.batch_id.map(|b| b.to_string()),
        requested: Qty::from_scaled(need.milli).to_string(),
        available: Qty::from_scaled(need.milli - left).to_string(),
    }
}
