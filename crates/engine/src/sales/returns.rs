//! Returns and voids against a stored sale.
//!
//! A return names sale lines and quantities; it can never take back more
//! than was sold minus what was already returned (checked per line and per
//! batch, the batch quantities being what the sale really took).
//!
//! The refund is what the customer paid for those units, never more:
//! - each line's share is computed from the sale's own line total
//!   (discounts and tax as charged) on the line's cumulative returned
//!   quantity, rounded down to the cent, so the parts of a line add up to
//!   its total to the cent whatever the order and size of its returns;
//! - the sale's paid total may differ from the sum of its lines by the cash
//!   rounding, so the refund is the pro-rata part of what was paid for all
//!   units returned so far (rounded down to the cent) minus what earlier
//!   returns refunded; a cash refund is then rounded *down* to the store's
//!   increment (what that holds back comes with a later return);
//! - the return that takes back the sale's last units refunds exactly what
//!   is left of what was paid.
//!
//! Each returned quantity goes where the return says, else where the
//! store's `return_disposition` setting says (default `quarantine`: a
//! pharmacy does not resell dispensed medicine unchecked):
//! - `restock`: back onto its original batch, only while that batch is still
//!   sellable (available and in date);
//! - `quarantine`: onto the original batch when it is already unsellable
//!   (recalled, quarantined…), else onto a quarantine batch beside it
//!   (`<batch>-RET`), so the pack is kept but can't be sold;
//! - `waste`: recorded on the original batch's trail, nothing goes back.
//!
//! A void reverses a whole sale: manager only (or a manager's PIN), within
//! the shift the sale belongs to while that shift is open, and only before
//! any return; every unit goes back onto the batch it came from.
//!
//! Stock coming back is written as `return` / `void` ledger events whose
//! reference is the sale number.

use super::receipt::{self, Receipt};
use super::settings::{self, tender_code};
use super::{m, pricing, shifts, terminal};
use crate::approval::{approve, Approval, ApprovalMeasure, IfMissing, Over};
use crate::audit::{self, ChangeType, NewEvent};
use crate::auth::Permission;
use crate::catalogue::products::ProductRules;
use crate::catalogue::{optional_text, required_text};
use crate::ids::{BatchId, ReturnId, SaleId, SaleLineId, ShiftId, StoreId, UserId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::stock::{move_stock, BatchRow, BatchStatus};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use rust_decimal::RoundingStrategy;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// Change type of stock coming back from a customer.
pub const RETURN_CHANGE: ChangeType = ChangeType::Return;
/// Change type of stock coming back when a sale is voided.
pub const VOID_CHANGE: ChangeType = ChangeType::Void;

/// Where a returned quantity goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReturnDisposition {
    /// Back on the shelf, onto its original batch (must be sellable).
    Restock,
    /// Kept but unsellable.
    Quarantine,
    /// Destroyed.
    Waste,
}

impl ReturnDisposition {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReturnDisposition::Restock => "restock",
            ReturnDisposition::Quarantine => "quarantine",
            ReturnDisposition::Waste => "waste",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<ReturnDisposition> {
        match s {
            "restock" => Some(ReturnDisposition::Restock),
            "quarantine" => Some(ReturnDisposition::Quarantine),
            "waste" => Some(ReturnDisposition::Waste),
            _ => None,
        }
    }
}

/// One line to return.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReturnLineInput {
    /// The receipt's line.
    pub sale_line_id: SaleLineId,
    /// Quantity returned.
    pub quantity: Qty,
    /// Where it goes (default: the store's `return_disposition` setting,
    /// quarantine unless a manager changed it). Ask for `restock`
    /// explicitly to put it back on sale.
    #[ts(optional)]
    pub disposition: Option<ReturnDisposition>,
    /// The batch it came from, when the line took several (default: the
    /// line's batches in order).
    #[ts(optional)]
    pub batch_id: Option<BatchId>,
}

/// - Against the lines of a `completed` sale: never more than sold minus returned, per
///   line and per batch the sale really took (`invalid_input`); `batch_id` picks one
///   batch of a line that took several.
/// - The refund comes from the sale's own line totals (discounts and tax as charged), in
///   proportion; the last unit of a line refunds exactly what is left of it. A cash
///   refund is rounded to the store's increment. `tender` (default `cash`) must be
///   enabled.
/// - `disposition`: `restock` puts it back onto its original batch (refused,
///   `batch_not_sellable` with `details.reason`, while that batch is expired, recalled or
///   quarantined); `quarantine` onto the original batch when it is already unsellable,
///   else onto a quarantined `<batch>-RET` batch beside it; `waste` writes a `waste`
///   event and nothing comes back. Stock coming back is a `return` event referencing the
///   sale number.
/// - A refund above the store's `cashier_refund_limit` needs a manager (as for discounts;
///   `approved_by`). The refund leaves the drawer of `terminal_id`, which needs an open
///   shift.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReturnItems {
    /// The original sale.
    pub sale_id: SaleId,
    /// The till paying the refund (its open shift records it).
    pub terminal_id: String,
    /// Lines.
    pub lines: Vec<ReturnLineInput>,
    /// Refund tender (default cash).
    #[ts(optional)]
    pub tender: Option<String>,
    /// Why.
    #[ts(optional)]
    pub reason: Option<String>,
    /// Approving manager (refund above the cashier limit).
    #[ts(optional)]
    pub approver_name: Option<String>,
    /// Their PIN.
    #[ts(optional)]
    pub approver_pin: Option<String>,
}

/// One returned portion.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ReturnedLine {
    /// Sale line.
    pub sale_line_id: SaleLineId,
    /// Batch it was sold from.
    pub batch_id: BatchId,
    /// That batch's number.
    pub batch_number: String,
    /// Quantity.
    pub quantity: Qty,
    /// Its share of the sale line's total (before the sale's cash rounding;
    /// the return's `refund` is what was paid out).
    pub refund: Money,
    /// Where it went.
    pub disposition: ReturnDisposition,
    /// The batch it went onto (restock, quarantine).
    pub to_batch_id: Option<BatchId>,
}

/// A recorded return.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ReturnResult {
    /// Return id.
    pub return_id: ReturnId,
    /// Sale.
    pub sale_id: SaleId,
    /// Sale number.
    pub sale_number: String,
    /// Refund paid: the pro-rata part of what the sale was paid for the
    /// units returned so far, less earlier refunds; cash rounded down to the
    /// store's increment; the sale's last units refund what is left.
    pub refund: Money,
    /// Refund tender.
    pub tender: String,
    /// Manager who approved a refund above the cashier limit.
    pub approved_by: Option<UserId>,
    /// Portions returned.
    pub lines: Vec<ReturnedLine>,
    /// What to pay the customer back, per tender (the refund in its tender; empty when
    /// nothing is due).
    pub pay_out: Vec<crate::sales::receipt::TenderPayout>,
}

struct SaleHead {
    store_id: StoreId,
    number: String,
    status: String,
    shift_id: ShiftId,
    /// What the customer paid (the total, net of change).
    total_e4: i64,
}

fn sale_head(ctx: &Ctx<'_>, id: SaleId) -> Result<SaleHead> {
    ctx.tx
        .query_row(
            "SELECT store_id, sale_number, status, shift_id, total_e4 FROM sales WHERE id = ?1",
            [id],
            |r| {
                Ok(SaleHead {
                    store_id: r.get(0)?,
                    number: r.get(1)?,
                    status: r.get(2)?,
                    shift_id: r.get(3)?,
                    total_e4: r.get(4)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| Error::not_found("sale", id))
        .and_then(|sale: SaleHead| {
            ctx.check_store(sale.store_id)?;
            Ok(sale)
        })
}

impl Operation for ReturnItems {
    const NAME: &'static str = "return_items";
    const SUMMARY: &'static str = "Take back sold items against the original sale: restock, quarantine or waste; refund from the sale's prices";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    type Output = ReturnResult;

    fn run(self, ctx: &Ctx<'_>) -> Result<ReturnResult> {
        let sale = sale_head(ctx, self.sale_id)?;
        if sale.status != "completed" {
            return Err(Error::SaleNotCompleted {
                sale_id: self.sale_id,
                number: sale.number,
                status: sale.status,
            });
        }
        if self.lines.is_empty() {
            return Err(Error::invalid("lines", "name at least one line to return"));
        }
        let store = ctx.store(Some(sale.store_id))?;
        let today = ctx.today(&store);
        let cfg = settings::load(ctx.tx, store.id)?;
        let term = terminal("terminal_id", &self.terminal_id)?;
        let shift = shifts::current(ctx, store.id, &term)?;
        let tender = tender_code(self.tender.as_deref().unwrap_or("cash"))?;
        if !cfg.tenders.contains(&tender) {
            return Err(Error::invalid(
                "tender",
                format!("tender '{tender}' is not enabled in this store"),
            ));
        }
        let reason = optional_text("reason", self.reason.as_deref(), 500)?;
        let return_id = ReturnId::new();

        // What each batch portion of each line still holds, updated as the
        // request's lines are taken (a line may be named twice).
        let mut left: HashMap<(SaleLineId, BatchId), i64> = HashMap::new();
        let mut refunded: HashMap<SaleLineId, i64> = HashMap::new();
        let mut plan: Vec<(SaleLineId, BatchId, i64, i64, ReturnDisposition)> = Vec::new();
        for (i, input) in self.lines.iter().enumerate() {
            let field = format!("lines[{i}].quantity");
            let (product_id, qty, total): (crate::ids::ProductId, i64, i64) = ctx
                .tx
                .query_row(
                    "SELECT product_id, quantity_milli, total_e4 FROM sale_lines WHERE id = ?1 AND sale_id = ?2",
                    params![input.sale_line_id, self.sale_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?
                .ok_or_else(|| Error::not_found("sale line", input.sale_line_id))?;
            let want = ProductRules::load(ctx.tx, product_id)?.quantity(&field, input.quantity)?;
            let mut stmt = ctx.tx.prepare_cached(
                "SELECT x.batch_id, x.quantity_milli - x.returned_milli FROM sale_line_batches x
                   JOIN batches b ON b.id = x.batch_id WHERE x.sale_line_id = ?1 ORDER BY b.expiry_date, b.id",
            )?;
            let portions = stmt
                .query_map([input.sale_line_id], |r| {
                    Ok((r.get::<_, BatchId>(0)?, r.get::<_, i64>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let line_left: i64 = portions
                .iter()
                .map(|(b, q)| *left.entry((input.sale_line_id, *b)).or_insert(*q))
                .sum();
            let mut need = want;
            if let Some(only) = input.batch_id {
                if !portions.iter().any(|(b, _)| *b == only) {
                    let f = format!("lines[{i}].batch_id");
                    return Err(Error::invalid(
                        &f,
                        format!("{f}: that batch was not sold on this line"),
                    ));
                }
            }
            let eligible: i64 = portions
                .iter()
                .filter(|(b, _)| input.batch_id.is_none_or(|o| o == *b))
                .map(|(b, _)| left.get(&(input.sale_line_id, *b)).copied().unwrap_or(0))
                .sum();
            if want > eligible {
                return Err(Error::invalid(
                    &field,
                    format!(
                        "{field}: only {} can still be returned on this line",
                        Qty::from_scaled(eligible)
                    ),
                ));
            }
            let already: i64 = ctx.tx.query_row(
                "SELECT COALESCE(SUM(refund_e4), 0) FROM sale_return_lines WHERE sale_line_id = ?1",
                [input.sale_line_id],
                |r| r.get(0),
            )?;
            let mut line_left_now = line_left;
            for (b, _) in &portions {
                if need == 0 {
                    break;
                }
                if input.batch_id.is_some_and(|o| o != *b) {
                    continue;
                }
                let slot = left.entry((input.sale_line_id, *b)).or_insert(0);
                let n = (*slot).min(need);
                if n == 0 {
                    continue;
                }
                *slot -= n;
                need -= n;
                let done = refunded.entry(input.sale_line_id).or_insert(already);
                let refund = line_share(total, qty, qty - line_left_now + n, *done)?;
                *done += refund;
                line_left_now -= n;
                plan.push((
                    input.sale_line_id,
                    *b,
                    n,
                    refund,
                    input.disposition.unwrap_or(cfg.return_disposition),
                ));
            }
        }
        let exact: i64 = plan.iter().map(|p| p.3).sum();
        let returning: i64 = plan.iter().map(|p| p.2).sum();
        let (lines_total, exact_before, refunded_before, left_milli): (i64, i64, i64, i64) =
            ctx.tx.prepare_cached(
                "SELECT (SELECT COALESCE(SUM(total_e4), 0) FROM sale_lines WHERE sale_id = ?1),
                        (SELECT COALESCE(SUM(r.refund_e4), 0) FROM sale_return_lines r
                           JOIN sale_lines l ON l.id = r.sale_line_id WHERE l.sale_id = ?1),
                        (SELECT COALESCE(SUM(refund_e4), 0) FROM sale_returns WHERE sale_id = ?1),
                        (SELECT COALESCE(SUM(x.quantity_milli - x.returned_milli), 0) FROM sale_line_batches x
                           JOIN sale_lines l ON l.id = x.sale_line_id WHERE l.sale_id = ?1)",
            )?
            .query_row([self.sale_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
        let refund = m(refund_due(&RefundFacts {
            paid_e4: sale.total_e4,
            lines_total_e4: lines_total,
            returned_now_e4: exact_before + exact,
            refunded_before_e4: refunded_before,
            last: returning == left_milli,
            cash_increment_e4: if tender == "cash" {
                cfg.rounding_increment.to_scaled("rounding_increment")?
            } else {
                0
            },
        }));
        let over = Over::by(ApprovalMeasure::Money, refund, cfg.cashier_refund_limit);
        let approved_by = approve(
            ctx,
            Approval {
                action: "a refund above the cashier limit",
                store_id: Some(store.id),
                needed: refund > cfg.cashier_refund_limit,
                approver_name: self.approver_name.as_deref(),
                approver_pin: self.approver_pin.as_deref(),
                if_missing: IfMissing::Refuse,
                over: Some(&over),
            },
        )?
        .map(|a| a.id);
        ctx.tx.execute(
            "INSERT INTO sale_returns (id, sale_id, store_id, shift_id, user_id, approved_by, refund_e4, tender, reason, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                return_id,
                self.sale_id,
                store.id,
                shift,
                ctx.actor.id,
                approved_by,
                refund.to_scaled("refund")?,
                tender,
                reason,
                ctx.now_str()
            ],
        )?;
        let mut lines = Vec::with_capacity(plan.len());
        for (line, batch, n, line_refund, disposition) in plan {
            let b = BatchRow::load(ctx.tx, batch)?;
            let note = format!(
                "return of {} from sale {} ({})",
                Qty::from_scaled(n),
                sale.number,
                disposition.as_str()
            );
            let to = match disposition {
                ReturnDisposition::Restock => {
                    let sellable =
                        matches!(b.status, BatchStatus::Available | BatchStatus::Depleted)
                            && !b.is_expired_on(today);
                    if !sellable {
                        // Return it to quarantine or waste instead.
                        return Err(b.not_sellable(today));
                    }
                    move_stock(
                        ctx,
                        &b,
                        b.on_hand_milli + n,
                        RETURN_CHANGE,
                        Some(&sale.number),
                        Some(&note),
                    )?;
                    Some(b.id)
                }
                ReturnDisposition::Quarantine => {
                    let target =
                        if matches!(b.status, BatchStatus::Available | BatchStatus::Depleted) {
                            quarantine_batch(ctx, &b, &sale.number, &today.to_string())?
                        } else {
                            b
                        };
                    move_stock(
                        ctx,
                        &target,
                        target.on_hand_milli + n,
                        RETURN_CHANGE,
                        Some(&sale.number),
                        Some(&note),
                    )?;
                    Some(target.id)
                }
                ReturnDisposition::Waste => {
                    audit::append(
                        ctx,
                        NewEvent {
                            store_id: b.store_id,
                            batch_id: Some(b.id),
                            product_id: Some(b.product_id),
                            change_type: ChangeType::Waste,
                            previous_milli: Some(b.on_hand_milli),
                            new_milli: Some(b.on_hand_milli),
                            reference_id: Some(&sale.number),
                            notes: Some(&note),
                        },
                    )?;
                    None
                }
            };
            ctx.tx.execute(
                "UPDATE sale_line_batches SET returned_milli = returned_milli + ?3 WHERE sale_line_id = ?1 AND batch_id = ?2",
                params![line, batch, n],
            )?;
            ctx.tx.execute(
                "INSERT INTO sale_return_lines (return_id, sale_line_id, batch_id, quantity_milli, refund_e4, disposition, to_batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![return_id, line, batch, n, line_refund, disposition.as_str(), to],
            )?;
            let number: String = ctx.tx.query_row(
                "SELECT batch_number FROM batches WHERE id = ?1",
                [batch],
                |r| r.get(0),
            )?;
            lines.push(ReturnedLine {
                sale_line_id: line,
                batch_id: batch,
                batch_number: number,
                quantity: Qty::from_scaled(n),
                refund: m(line_refund),
                disposition,
                to_batch_id: to,
            });
        }
        let result = ReturnResult {
            return_id,
            sale_id: self.sale_id,
            sale_number: sale.number,
            pay_out: if refund.is_positive() {
                vec![crate::sales::receipt::TenderPayout {
                    tender: tender.clone(),
                    amount: refund,
                }]
            } else {
                Vec::new()
            },
            refund,
            tender,
            approved_by,
            lines,
        };
        let payload = crate::audit::Payload::about("sale", self.sale_id, &result.sale_number)
            .with_data(&result)?;
        crate::audit::record(
            ctx,
            sale.store_id,
            crate::audit::ChangeType::SaleReturned,
            &payload,
        )?;
        Ok(result)
    }
}

/// A line's refund for returning up to `returned_after` (cumulative,
/// thousandths) of its `qty`, when `done` was already refunded on it: the
/// line total's share of the cumulative quantity (rounded down to the
/// cent), less `done`. Computing the
/// cumulative share (not this part's own share) keeps rounding from adding
/// up past the line's total; the last unit refunds exactly what is left.
fn line_share(total_e4: i64, qty: i64, returned_after: i64, done: i64) -> Result<i64> {
    if returned_after >= qty || qty <= 0 {
        return Ok((total_e4 - done).max(0));
    }
    // Rounded down: a part never refunds more than its exact share.
    let share = Money(
        (m(total_e4).0 * Qty::from_scaled(returned_after).0 / Qty::from_scaled(qty).0)
            .round_dp_with_strategy(pricing::CURRENCY_DP, RoundingStrategy::ToZero),
    )
    .to_scaled("refund")?;
    Ok((share - done).clamp(0, (total_e4 - done).max(0)))
}

/// What a return's refund is computed from (all e4).
#[derive(Clone, Copy, Debug)]
pub(crate) struct RefundFacts {
    /// What the customer paid for the sale (its total, net of change).
    pub paid_e4: i64,
    /// The sum of the sale's line totals (before cash rounding).
    pub lines_total_e4: i64,
    /// Line shares of everything returned so far, this return included.
    pub returned_now_e4: i64,
    /// Refunds paid out before this return.
    pub refunded_before_e4: i64,
    /// This return takes back the sale's last units.
    pub last: bool,
    /// The cash rounding increment when refunding cash (0: none).
    pub cash_increment_e4: i64,
}

/// The refund of one return (e4), never more than what was paid for the
/// units returned so far less earlier refunds (see the module notes).
pub(crate) fn refund_due(f: &RefundFacts) -> i64 {
    if f.last {
        return (f.paid_e4 - f.refunded_before_e4).max(0);
    }
    // Pro rata of what was paid, rounded down to the currency's minor unit;
    // i128 so that a large sale cannot overflow the product.
    let cent = 10i128.pow(crate::num::MONEY_SCALE - pricing::CURRENCY_DP);
    let paid_for = if f.lines_total_e4 <= 0 {
        0
    } else {
        let exact = i128::from(f.returned_now_e4.clamp(0, f.lines_total_e4))
            * i128::from(f.paid_e4)
            / i128::from(f.lines_total_e4);
        i64::try_from(exact - exact.rem_euclid(cent)).unwrap_or(i64::MAX)
    };
    let due = (paid_for - f.refunded_before_e4).max(0);
    if f.cash_increment_e4 > 0 {
        due - due % f.cash_increment_e4
    } else {
        due
    }
}

/// The quarantine batch beside a sellable batch (`<number>-RET`), created
/// empty and quarantined when missing.
fn quarantine_batch(ctx: &Ctx<'_>, b: &BatchRow, sale: &str, today: &str) -> Result<BatchRow> {
    for n in 1..=20 {
        let number = if n == 1 {
            format!("{}-RET", b.batch_number)
        } else {
            format!("{}-RET{n}", b.batch_number)
        };
        let found: Option<(BatchId, String)> = ctx
            .tx
            .query_row(
                "SELECT id, status FROM batches WHERE store_id = ?1 AND product_id = ?2 AND batch_number = ?3",
                params![b.store_id, b.product_id, number],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match found {
            Some((id, status)) if status == "quarantine" => return BatchRow::load(ctx.tx, id),
            Some(_) => continue,
            None => {
                let id = BatchId::new();
                ctx.tx.execute(
                    "INSERT INTO batches (id, product_id, store_id, batch_number, expiry_date, manufacture_date, initial_milli,
                                          on_hand_milli, cost_price_e4, supplier_id, received_date, status, status_reason,
                                          created_at, updated_at)
                     SELECT ?1, product_id, store_id, ?2, expiry_date, manufacture_date, 0, 0, cost_price_e4, supplier_id, ?3,
                            'quarantine', ?4, ?5, ?5
                       FROM batches WHERE id = ?6",
                    params![id, number, today, format!("customer return (sale {sale})"), ctx.now_str(), b.id],
                )?;
                return BatchRow::load(ctx.tx, id);
            }
        }
    }
    Err(Error::conflict(format!(
        "no free quarantine batch name beside batch {}",
        b.batch_number
    )))
}

/// Always a manager (the acting user, or `approver_name` + `approver_pin`). Only a
/// `completed` sale (`sale_not_completed`) whose shift is still open (`sale_shift_closed`:
/// take a return instead) and that has no returns (`sale_has_returns`: return the rest
/// instead). Every unit goes back onto the batch it came from (`void` events); the sale's
/// payments leave the shift's takings. `reason` is required.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct VoidSale {
    /// Sale.
    pub sale_id: SaleId,
    /// Why.
    pub reason: String,
    /// Approving manager (when the user is not one).
    #[ts(optional)]
    pub approver_name: Option<String>,
    /// Their PIN.
    #[ts(optional)]
    pub approver_pin: Option<String>,
}

impl Operation for VoidSale {
    const NAME: &'static str = "void_sale";
    const SUMMARY: &'static str =
        "Void a completed sale within its open shift (manager): every unit goes back to its batch";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    type Output = Receipt;

    fn run(self, ctx: &Ctx<'_>) -> Result<Receipt> {
        let sale = sale_head(ctx, self.sale_id)?;
        let reason = required_text("reason", &self.reason, 500)?;
        if sale.status != "completed" {
            return Err(Error::SaleNotCompleted {
                sale_id: self.sale_id,
                number: sale.number,
                status: sale.status,
            });
        }
        let shift_open: bool = ctx.tx.query_row(
            "SELECT status = 'open' FROM shifts WHERE id = ?1",
            [sale.shift_id],
            |r| r.get(0),
        )?;
        if !shift_open {
            return Err(Error::SaleShiftClosed {
                sale_id: self.sale_id,
                number: sale.number,
            });
        }
        let returns: i64 = ctx.tx.query_row(
            "SELECT COUNT(*) FROM sale_returns WHERE sale_id = ?1",
            [self.sale_id],
            |r| r.get(0),
        )?;
        if returns > 0 {
            return Err(Error::SaleHasReturns {
                sale_id: self.sale_id,
                number: sale.number,
            });
        }
        let over = Over::always(ApprovalMeasure::Money, Money::from_scaled(sale.total_e4));
        let by = approve(
            ctx,
            Approval {
                action: "a void",
                store_id: Some(sale.store_id),
                needed: true,
                approver_name: self.approver_name.as_deref(),
                approver_pin: self.approver_pin.as_deref(),
                if_missing: IfMissing::Refuse,
                over: Some(&over),
            },
        )?
        .map(|a| a.id);
        let mut stmt = ctx.tx.prepare(
            "SELECT x.batch_id, x.quantity_milli FROM sale_line_batches x JOIN sale_lines l ON l.id = x.sale_line_id
              WHERE l.sale_id = ?1 ORDER BY l.line_no",
        )?;
        let portions = stmt
            .query_map([self.sale_id], |r| {
                Ok((r.get::<_, BatchId>(0)?, r.get::<_, i64>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let note = format!("void of sale {}: {reason}", sale.number);
        for (batch, q) in portions {
            let b = BatchRow::load(ctx.tx, batch)?;
            move_stock(
                ctx,
                &b,
                b.on_hand_milli + q,
                VOID_CHANGE,
                Some(&sale.number),
                Some(&note),
            )?;
        }
        ctx.tx.execute(
            "UPDATE sales SET status = 'voided', voided_at = ?2, voided_by = ?3, void_reason = ?4 WHERE id = ?1",
            params![self.sale_id, ctx.now_str(), by, reason],
        )?;
        let doc = receipt::build(ctx, self.sale_id)?;
        super::complete::record_document(
            ctx,
            sale.store_id,
            crate::audit::ChangeType::SaleVoided,
            &doc,
        )?;
        Ok(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn facts(paid: i64, lines: i64, now: i64, before: i64, last: bool, inc: i64) -> RefundFacts {
        RefundFacts {
            paid_e4: paid,
            lines_total_e4: lines,
            returned_now_e4: now,
            refunded_before_e4: before,
            last,
            cash_increment_e4: inc,
        }
    }

    #[test]
    fn ten_packs_under_a_five_rounding_refund_what_was_paid() {
        // 10 × 197.75 = 1,977.50, paid 1,980.00 in cash.
        let (paid, lines, unit) = (19_800_000, 19_775_000, 1_977_500);
        let mut refunded = 0;
        let mut each = Vec::new();
        for n in 1..=10 {
            let r = refund_due(&facts(paid, lines, unit * n, refunded, n == 10, 50_000));
            each.push(r);
            refunded += r;
            assert!(refunded <= 1_980_000 * n, "{each:?}");
        }
        assert_eq!(each[0], 1_950_000);
        assert_eq!(refunded, paid);
    }

    #[test]
    fn a_line_share_never_passes_the_line_total() {
        // 0.05 over 7 units: per-unit rounding up would refund 0.07.
        let mut done = 0;
        for after in 1..=7 {
            let r = line_share(500, 7_000, after * 1_000, done).unwrap();
            assert!(r >= 0);
            done += r;
            assert!(done <= 500);
        }
        assert_eq!(done, 500);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

        /// Any split of a sale's line value into returns, any cash
        /// increment and any mix of tenders: every refund ≥ 0, the running
        /// total never above the pro-rata part of what was paid, and
        /// exactly what was paid at the end.
        #[test]
        fn refunds_never_exceed_what_was_paid_and_add_up_to_it(
            lines in 1i64..100_000_000,
            rounding in -24_999i64..25_000,
            parts in prop::collection::vec((1i64..1_000, any::<bool>()), 1..20),
            inc in prop::sample::select(vec![0i64, 500, 10_000, 50_000]),
        ) {
            let paid = (lines + rounding).max(0);
            let weight: i64 = parts.iter().map(|p| p.0).sum();
            let (mut now, mut acc, mut refunded) = (0i64, 0i64, 0i64);
            for (i, (w, cash)) in parts.iter().enumerate() {
                acc += w;
                let last = i + 1 == parts.len();
                now = if last { lines } else { (i128::from(lines) * i128::from(acc) / i128::from(weight)) as i64 };
                let r = refund_due(&facts(paid, lines, now, refunded, last, if *cash { inc } else { 0 }));
                prop_assert!(r >= 0);
                refunded += r;
                let pro_rata = i128::from(now) * i128::from(paid) / i128::from(lines);
                prop_assert!(i128::from(refunded) <= pro_rata.max(i128::from(paid) * i128::from(last)));
            }
            prop_assert_eq!(now, lines);
            prop_assert_eq!(refunded, paid);
        }
    }
}
