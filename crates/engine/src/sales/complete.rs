//! `complete_sale`: the cart becomes a sale, in one transaction.
//!
//! Idempotent on the client's `sale_id`: the till mints it when the cashier
//! presses "pay" and sends the same id on every retry, so an answer lost to
//! a crash or a timeout is answered again with the same receipt and nothing
//! is sold twice. Everything is checked again at completion (the cart may
//! have waited an hour, a batch may have been recalled meanwhile): the shift,
//! products, quantities, prescriptions, scanned batches, discounts. Stock is
//! planned for all lines first (all or nothing: a short line fails the whole
//! sale with `insufficient_stock` saying how much of it could be sold), then
//! the cart's holds are confirmed where they match and released where they
//! do not, and the rest is taken from batches with `allocated` events whose
//! reference is the sale number.

use super::cart::{self, CartRow};
use super::discounts::{effective_per_line, over_limit};
use super::plan::{self, Need};
use super::pricing;
use super::receipt::{self, Receipt};
use super::settings::{self, tender_code};
use super::shifts;
use crate::audit::ChangeType;
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::catalogue::products::ProductRules;
use crate::ids::{BatchId, CartId, SaleId, SaleLineId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::stock::reservations::{
    ConfirmReservation, ReleaseExpiredReservations, ReleaseReservation,
};
use crate::stock::{move_stock, BatchRow};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use ts_rs::TS;

/// One payment.
#[derive(Clone, Debug, Deserialize, Serialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct PaymentInput {
    /// `cash`, `card` or another enabled tender.
    pub tender: String,
    /// Amount tendered (cash may exceed the total: the excess is change).
    pub amount: Money,
    /// Card slip / transfer reference.
    #[ts(optional)]
    pub reference: Option<String>,
}

/// - One transaction, **idempotent on `sale_id`**: the till mints a UUID when "pay" is
///   pressed and resends it on a retry; a sale id already used for this cart returns the
///   same receipt and sells nothing again, for another cart it is a `conflict`.
/// - Needs the till's open shift (`no_open_shift`). Everything is checked again:
///   products, quantities, prescriptions, pinned batches (a batch recalled since the scan
///   is refused), discounts against the limit.
/// - Stock is planned for all lines first: the cart's own holds, then the pinned batch or
///   FEFO. A short line fails the whole sale with `insufficient_stock`
///   (`details.available` = what that line could get) and nothing changes. Matching holds
///   are confirmed (`confirm_reserve` events), the rest released, the remainder taken
///   (`allocated` events); every event's reference is the sale number.
/// - `payments`: `[{"tender", "amount", "reference"?}]`, enabled tenders only, each > 0
///   (`invalid_input`); together they must cover the total, and non-cash tenders may not
///   exceed it: only cash gives change.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CompleteSale {
    /// The client's idempotency key: a new UUID per sale, the same on retries.
    pub sale_id: SaleId,
    /// The cart.
    pub cart_id: CartId,
    /// Payments (split tenders allowed); they must cover the total.
    #[serde(default)]
    pub payments: Vec<PaymentInput>,
}

impl Operation for CompleteSale {
    const NAME: &'static str = "complete_sale";
    const SUMMARY: &'static str =
        "Sell a cart in one transaction (FEFO or scanned batches, payments, receipt); idempotent on sale_id";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    type Output = Receipt;

    fn run(self, ctx: &Ctx<'_>) -> Result<Receipt> {
        let done: Option<CartId> = ctx
            .tx
            .prepare_cached("SELECT cart_id FROM sales WHERE id = ?1")?
            .query_row([self.sale_id], |r| r.get(0))
            .optional()?;
        if let Some(cart_id) = done {
            if cart_id != self.cart_id {
                return Err(Error::conflict(format!(
                    "sale id {} was already used for another cart",
                    self.sale_id
                )));
            }
            return receipt::build(ctx, self.sale_id);
        }
        let cart = CartRow::load(ctx, self.cart_id)?;
        if cart.status == "completed" {
            // Sold under another sale id.
            return Err(Error::CartNotOpen {
                cart_id: cart.id,
                status: cart.status,
            });
        }
        cart.ensure_editable(ctx)?;
        let store = ctx.store(Some(cart.store_id))?;
        let today = ctx.today(&store);
        let shift = shifts::current(ctx, store.id, &cart.terminal_id)?;
        ReleaseExpiredReservations {
            store_id: Some(store.id),
        }
        .run(ctx)?;
        let p = cart::price(ctx, cart)?;
        if p.lines.is_empty() {
            return Err(Error::EmptyCart { cart_id: p.cart.id });
        }
        // Re-validate every line.
        let effective = effective_per_line(&p.lines, &p.amounts, p.cart.discount.as_ref());
        let cart_approved = p.cart.discount.is_some() && p.cart.discount_approved_by.is_some();
        for (l, eff) in p.lines.iter().zip(&effective) {
            let product = ProductRules::load(ctx.tx, l.product_id)?;
            cart::check_line(
                ctx,
                store.id,
                &product,
                l.prescription_only,
                Qty::from_scaled(l.quantity_milli),
                l.batch_id,
                l.prescription_reference.as_deref(),
            )?;
            // A product whose price was never set would go out free; only a
            // manager's price override (possibly to zero) sells it.
            if l.unit_price_e4 == 0 && l.price_overridden_by.is_none() {
                return Err(Error::NoSellingPrice {
                    cart_id: p.cart.id,
                    line_no: l.line_no,
                    product_id: l.product_id,
                    name: l.name.clone(),
                });
            }
            // A manager who approved either discount on the line saw its
            // effective discount when approving (see `discounts`).
            let line_approved = l.discount.is_some() && l.discount_approved_by.is_some();
            if over_limit(&p.settings, *eff) && !line_approved && !cart_approved {
                let over = crate::approval::Over::by(
                    crate::approval::ApprovalMeasure::Percent,
                    eff.round_dp(2).normalize(),
                    p.settings.cashier_discount_limit_percent.normalize(),
                );
                return Err(crate::approval::required(
                    format!(
                        "line {}'s discount (its own and the cart's together: {} %) is above the cashier limit of {} %: set the discount again with a manager's PIN",
                        l.line_no,
                        eff.round_dp(2).normalize(),
                        p.settings.cashier_discount_limit_percent.normalize()
                    ),
                    false,
                    Some(&over),
                    &ctx.actor.name,
                ));
            }
        }
        let pay = settle(
            &p.settings.tenders,
            &self.payments,
            p.totals.total_before_rounding,
            p.settings.rounding_increment,
        )?;

        // Plan the stock for all lines, then move it.
        let holds = cart::active_holds(ctx, p.cart.id)?;
        let mut held: HashMap<BatchId, i64> = HashMap::new();
        for (_, b, q) in &holds {
            *held.entry(*b).or_insert(0) += q;
        }
        let needs: Vec<Need> = p
            .lines
            .iter()
            .map(|l| Need {
                product_id: l.product_id,
                batch_id: l.batch_id,
                milli: l.quantity_milli,
            })
            .collect();
        let takes = plan::plan(ctx, store.id, today, &needs, &held)?;
        let number = settings::next_sale_number(ctx, store.id)?;
        let mut consumed: HashMap<BatchId, i64> = HashMap::new();
        for t in takes.iter().filter(|t| t.from_hold) {
            *consumed.entry(t.batch.id).or_insert(0) += t.milli;
        }
        let mut confirmed: HashSet<BatchId> = HashSet::new();
        for (res, b, q) in &holds {
            if consumed.get(b) == Some(q) {
                ConfirmReservation {
                    reservation_id: *res,
                    reference_id: Some(number.clone()),
                }
                .run(ctx)?;
                confirmed.insert(*b);
            } else {
                ReleaseReservation {
                    reservation_id: *res,
                }
                .run(ctx)?;
            }
        }
        for t in &takes {
            if t.from_hold && confirmed.contains(&t.batch.id) {
                continue;
            }
            let b = BatchRow::load(ctx.tx, t.batch.id)?;
            move_stock(
                ctx,
                &b,
                b.on_hand_milli - t.milli,
                ChangeType::Allocated,
                Some(&number),
                None,
            )?;
        }

        // The sale, its lines with their batches and costs, its payments.
        let t = &p.totals;
        ctx.tx.execute(
            "INSERT INTO sales (id, store_id, sale_number, shift_id, terminal_id, cart_id, cashier_id, prices_include_tax,
                                subtotal_e4, discount_e4, tax_e4, rounding_e4, total_e4, paid_e4, change_e4,
                                cart_discount_approved_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            params![
                self.sale_id,
                store.id,
                number,
                shift,
                p.cart.terminal_id,
                p.cart.id,
                ctx.actor.id,
                p.settings.prices_include_tax,
                t.subtotal.to_scaled("subtotal")?,
                t.discount.to_scaled("discount")?,
                t.tax.to_scaled("tax")?,
                pay.rounding.to_scaled("rounding")?,
                pay.total.to_scaled("total")?,
                pay.paid.to_scaled("paid")?,
                pay.change.to_scaled("change")?,
                p.cart.discount_approved_by,
                ctx.now_str()
            ],
        )?;
        for (i, (l, a)) in p.lines.iter().zip(&p.amounts).enumerate() {
            let line_id = SaleLineId::new();
            let mut per_batch: Vec<(BatchRow, i64)> = Vec::new();
            for tk in takes.iter().filter(|tk| tk.line == i) {
                match per_batch.iter_mut().find(|(b, _)| b.id == tk.batch.id) {
                    Some((_, q)) => *q += tk.milli,
                    None => per_batch.push((tk.batch.clone(), tk.milli)),
                }
            }
            let cost: Money = per_batch.iter().fold(Money::ZERO, |acc, (b, q)| {
                acc + Money::from_scaled(b.cost_e4).times(Qty::from_scaled(*q))
            });
            ctx.tx.execute(
                "INSERT INTO sale_lines (id, sale_id, line_no, product_id, product_name, sku, unit, quantity_milli,
                                         unit_price_e4, gross_e4, discount_e4, tax_rate, tax_e4, total_e4, cost_e4,
                                         prescription_reference, price_overridden_by, discount_approved_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
                params![
                    line_id,
                    self.sale_id,
                    i64::try_from(i + 1).unwrap_or(i64::MAX),
                    l.product_id,
                    l.name,
                    l.sku,
                    l.unit,
                    l.quantity_milli,
                    l.unit_price_e4,
                    Money(a.gross).to_scaled("gross")?,
                    Money(a.line_discount + a.cart_discount).to_scaled("discount")?,
                    l.tax_rate.normalize().to_string(),
                    Money(a.tax).to_scaled("tax")?,
                    Money(a.total).to_scaled("total")?,
                    cost.to_scaled("cost")?,
                    l.prescription_reference,
                    l.price_overridden_by,
                    l.discount_approved_by
                ],
            )?;
            for (b, q) in per_batch {
                ctx.tx.execute(
                    "INSERT INTO sale_line_batches (sale_line_id, batch_id, quantity_milli, cost_e4) VALUES (?1, ?2, ?3, ?4)",
                    params![line_id, b.id, q, b.cost_e4],
                )?;
            }
        }
        for (seq, pay) in pay.payments.iter().enumerate() {
            ctx.tx.execute(
                "INSERT INTO sale_payments (id, sale_id, seq, tender, amount_e4, reference) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    uuid::Uuid::now_v7().to_string(),
                    self.sale_id,
                    i64::try_from(seq + 1).unwrap_or(i64::MAX),
                    pay.tender,
                    pay.amount.to_scaled("amount")?,
                    pay.reference
                ],
            )?;
        }
        ctx.tx.execute(
            "UPDATE carts SET status = 'completed', sale_id = ?2, updated_at = ?3 WHERE id = ?1",
            params![p.cart.id, self.sale_id, ctx.now_str()],
        )?;
        let doc = receipt::build(ctx, self.sale_id)?;
        record_document(ctx, store.id, ChangeType::SaleCompleted, &doc)?;
        Ok(doc)
    }
}

/// A sale's money once its payments are known.
struct Settled {
    /// The cleaned payments.
    payments: Vec<PaymentInput>,
    /// Their sum.
    paid: Money,
    /// Cash rounding (on the cash part only).
    rounding: Money,
    /// What the customer pays: the exact total plus `rounding`.
    total: Money,
    /// Cash handed back.
    change: Money,
}

/// Checks tenders and amounts and settles the sale. Cash rounding applies
/// to cash only, as in the countries that round cash: a sale paid without
/// cash pays the exact total; when cash is tendered, what is left for cash
/// after the other tenders is rounded to the store's increment (so the
/// change is in coins that exist). Only cash gives change: the other
/// tenders together may not exceed the exact total.
/// Records a sale document (lines, batches, costs, payments, totals,
/// approvers) in the store's chain: the sale as head office reads it.
pub(crate) fn record_document(
    ctx: &Ctx<'_>,
    store: crate::ids::StoreId,
    kind: ChangeType,
    doc: &Receipt,
) -> Result<()> {
    let payload =
        crate::audit::Payload::about("sale", doc.sale_id, &doc.sale_number).with_data(doc)?;
    crate::audit::record(ctx, store, kind, &payload).map(|_| ())
}

fn settle(
    enabled: &[String],
    payments: &[PaymentInput],
    exact: Money,
    increment: Money,
) -> Result<Settled> {
    let mut out = Vec::with_capacity(payments.len());
    let (mut paid, mut non_cash, mut cash) = (Money::ZERO, Money::ZERO, false);
    for (i, p) in payments.iter().enumerate() {
        // Each refusal names the payment's own field, as a type error in
        // the same place would (`payments[1].amount`), so a form can point
        // at the right box.
        let field = |name: &str| format!("payments[{i}].{name}");
        let tender = tender_code(&p.tender).map_err(|_| {
            let f = field("tender");
            Error::invalid(&f, format!("{f}: '{}' is not a tender code", p.tender))
        })?;
        if !enabled.contains(&tender) {
            let f = field("tender");
            return Err(Error::invalid(
                &f,
                format!("{f}: tender '{tender}' is not enabled in this store"),
            ));
        }
        let amount = field("amount");
        if !p.amount.is_positive() {
            return Err(Error::invalid(
                &amount,
                format!("{amount} must be greater than zero (got {})", p.amount),
            ));
        }
        p.amount.to_scaled(&amount)?;
        let reference = optional_text(&field("reference"), p.reference.as_deref(), 80)?;
        paid = paid + p.amount;
        if tender == "cash" {
            cash = true;
        } else {
            non_cash = non_cash + p.amount;
        }
        out.push(PaymentInput {
            tender,
            amount: p.amount,
            reference,
        });
    }
    if non_cash > exact {
        return Err(Error::invalid(
            "payments",
            format!("non-cash payments of {non_cash} exceed the total of {exact}; only cash gives change"),
        ));
    }
    let rounding = if cash {
        let cash_due = exact - non_cash;
        Money(pricing::round_to_increment(cash_due.0, increment.0)) - cash_due
    } else {
        Money::ZERO
    };
    let total = exact + rounding;
    if paid < total {
        return Err(Error::invalid(
            "payments",
            format!("payments of {paid} do not cover the total of {total}"),
        ));
    }
    Ok(Settled {
        payments: out,
        paid,
        rounding,
        total,
        change: paid - total,
    })
}
