//! Returns and voids against a stored sale.
//!
//! A return names sale lines and quantities; it can never take back more
//! than was sold minus what was already returned (checked per line and per
//! batch, the batch quantities being what the sale really took). The refund
//! is computed from the sale's own prices (discounts and tax as charged),
//! proportionally, with the last unit of a line refunding exactly what is
//! left of the line, so a line returned in parts refunds its total to the
//! cent. Each returned quantity goes where the cashier says:
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
use crate::approval::{approve, Approval, IfMissing};
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
    fn as_str(self) -> &'static str {
        match self {
            ReturnDisposition::Restock => "restock",
            ReturnDisposition::Quarantine => "quarantine",
            ReturnDisposition::Waste => "waste",
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
    /// Where it goes.
    pub disposition: ReturnDisposition,
    /// The batch it came from, when the line took several (default: the
    /// line's batches in order).
    #[ts(optional)]
    pub batch_id: Option<BatchId>,
}

/// `return_items`.
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
    /// Refund for it.
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
    /// Refund paid (cash refunds rounded to the store's increment).
    pub refund: Money,
    /// Refund tender.
    pub tender: String,
    /// Manager who approved a refund above the cashier limit.
    pub approved_by: Option<UserId>,
    /// Portions returned.
    pub lines: Vec<ReturnedLine>,
}

struct SaleHead {
    store_id: StoreId,
    number: String,
    status: String,
    shift_id: ShiftId,
}

fn sale_head(ctx: &Ctx<'_>, id: SaleId) -> Result<SaleHead> {
    ctx.tx
        .query_row(
            "SELECT store_id, sale_number, status, shift_id FROM sales WHERE id = ?1",
            [id],
            |r| {
                Ok(SaleHead {
                    store_id: r.get(0)?,
                    number: r.get(1)?,
                    status: r.get(2)?,
                    shift_id: r.get(3)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| Error::not_found("sale", id))
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
            return Err(Error::invalid_state(format!(
                "sale {} is {} and cannot take returns",
                sale.number, sale.status
            )));
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
                let refund = if n == line_left_now {
                    total - *done
                } else {
                    Money(pricing::round(
                        m(total).0 * Qty::from_scaled(n).0 / Qty::from_scaled(qty).0,
                    ))
                    .to_scaled("refund")?
                };
                *done += refund;
                line_left_now -= n;
                plan.push((input.sale_line_id, *b, n, refund, input.disposition));
            }
        }
        let exact: i64 = plan.iter().map(|p| p.3).sum();
        let refund = if tender == "cash" {
            Money(pricing::round_to_increment(
                m(exact).0,
                cfg.rounding_increment.0,
            ))
        } else {
            m(exact)
        };
        let approved_by = approve(
            ctx,
            Approval {
                action: "a refund above the cashier limit",
                store_id: Some(store.id),
                needed: refund > cfg.cashier_refund_limit,
                approver_name: self.approver_name.as_deref(),
                approver_pin: self.approver_pin.as_deref(),
                if_missing: IfMissing::Refuse,
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
                        return Err(Error::invalid_state(format!(
                            "batch {} is {} and cannot take stock back for sale: return it to quarantine or waste",
                            b.batch_number,
                            if b.is_expired_on(today) { "expired" } else { b.status.as_str() }
                        )));
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
        Ok(ReturnResult {
            return_id,
            sale_id: self.sale_id,
            sale_number: sale.number,
            refund,
            tender,
            approved_by,
            lines,
        })
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

/// `void_sale`: reverse a whole sale within its open shift.
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
            return Err(Error::invalid_state(format!(
                "sale {} is already {}",
                sale.number, sale.status
            )));
        }
        let shift_open: bool = ctx.tx.query_row(
            "SELECT status = 'open' FROM shifts WHERE id = ?1",
            [sale.shift_id],
            |r| r.get(0),
        )?;
        if !shift_open {
            return Err(Error::invalid_state(format!(
                "sale {} belongs to a closed shift; take a return instead",
                sale.number
            )));
        }
        let returns: i64 = ctx.tx.query_row(
            "SELECT COUNT(*) FROM sale_returns WHERE sale_id = ?1",
            [self.sale_id],
            |r| r.get(0),
        )?;
        if returns > 0 {
            return Err(Error::invalid_state(format!(
                "sale {} has returns; return the rest instead of voiding it",
                sale.number
            )));
        }
        let by = approve(
            ctx,
            Approval {
                action: "a void",
                store_id: Some(sale.store_id),
                needed: true,
                approver_name: self.approver_name.as_deref(),
                approver_pin: self.approver_pin.as_deref(),
                if_missing: IfMissing::Refuse,
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
        receipt::build(ctx, self.sale_id)
    }
}
