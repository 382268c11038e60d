//! `get_receipt`: the sale document, read back from the stored sale (never
//! recomputed from the cart), so a reprint a month later prints the same
//! figures. Batch numbers and expiry dates appear when the store's settings
//! ask for them. Beside what a printed receipt shows, the document carries
//! what the back office reads: the manager who approved each void, line and
//! cart discount and price override (id and name), and each line's cost
//! from the batches it took (exact). The till prints only its own fields.
//!
//! Three reads per sale whatever its length: the head, the lines (with
//! their approvers), and every line's batches in one query.

use super::m;
use super::pricing::TaxLine;
use super::settings;
use crate::auth::Permission;
use crate::error::tax_rate_in_row;
use crate::ids::{ProductId, SaleId, SaleLineId, StoreId, UserId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::stock::allocate::shown_expiry;
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// A manager who approved something on a sale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Approver {
    /// The user.
    pub user_id: UserId,
    /// Their name.
    pub name: String,
}

impl Approver {
    fn of(id: Option<UserId>, name: Option<String>) -> Option<Approver> {
        Some(Approver {
            user_id: id?,
            name: name.unwrap_or_default(),
        })
    }
}

/// The store block at the top of a receipt.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ReceiptStore {
    /// Store.
    pub store_id: StoreId,
    /// Name.
    pub name: String,
    /// Code.
    pub code: String,
    /// Address.
    pub address: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Currency code.
    pub currency: String,
    /// BCP 47 locale to format the receipt's money and dates with.
    pub locale: String,
    /// Tax identification number, printed under the store's name.
    pub tax_number: Option<String>,
    /// Pharmacy licence number, printed under the store's name.
    pub licence_number: Option<String>,
    /// Extra header text (settings).
    pub header: Option<String>,
    /// Footer text (settings).
    pub footer: Option<String>,
}

/// Stock a line took from one batch.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ReceiptBatch {
    /// Batch number (when the store prints it).
    pub batch_number: Option<String>,
    /// Expiry (when the store prints it).
    pub expiry_date: Option<String>,
    /// Quantity from this batch.
    pub quantity: Qty,
}

/// One sold line.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ReceiptLine {
    /// Sale line id (returns refer to it).
    pub sale_line_id: SaleLineId,
    /// Position.
    #[ts(type = "number")]
    pub line_no: i64,
    /// Product.
    pub product_id: ProductId,
    /// Name.
    pub name: String,
    /// SKU.
    pub sku: String,
    /// Unit.
    pub unit: String,
    /// Quantity.
    pub quantity: Qty,
    /// Unit price.
    pub unit_price: Money,
    /// Unit price × quantity.
    pub gross: Money,
    /// Discounts on the line (its own and its share of the cart's).
    pub discount: Money,
    /// Tax rate, percent.
    #[ts(type = "string")]
    pub tax_rate: Decimal,
    /// Tax.
    pub tax: Money,
    /// Line total.
    pub total: Money,
    /// What the stock the line took cost: each batch's unit cost × the
    /// quantity taken from it, summed, exact (not for printing).
    pub cost: Money,
    /// Manager who approved a price override on the line.
    pub price_overridden_by: Option<Approver>,
    /// Manager who approved the line's discount (above the cashier limit).
    pub discount_approved_by: Option<Approver>,
    /// Prescription reference.
    pub prescription_reference: Option<String>,
    /// Quantity already returned.
    pub returned_quantity: Qty,
    /// Batches taken.
    pub batches: Vec<ReceiptBatch>,
}

/// One payment.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ReceiptPayment {
    /// Tender.
    pub tender: String,
    /// Amount tendered.
    pub amount: Money,
    /// Reference.
    pub reference: Option<String>,
}

/// Money going back to the customer in one tender.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TenderPayout {
    /// Tender (`cash`, `card`, …).
    pub tender: String,
    /// Amount to hand back in it.
    pub amount: Money,
}

/// What a void pays back, per tender: each tender's payments, the change
/// already given coming off the cash (only cash gives change); tenders left
/// at nothing are dropped.
pub fn void_pay_out(payments: &[ReceiptPayment], change: Money) -> Vec<TenderPayout> {
    let mut out: Vec<TenderPayout> = Vec::new();
    for p in payments {
        match out.iter_mut().find(|o| o.tender == p.tender) {
            Some(o) => o.amount = o.amount + p.amount,
            None => out.push(TenderPayout {
                tender: p.tender.clone(),
                amount: p.amount,
            }),
        }
    }
    if let Some(cash) = out.iter_mut().find(|o| o.tender == "cash") {
        cash.amount = cash.amount - change;
    }
    out.retain(|o| o.amount.is_positive());
    out
}

/// A receipt.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Receipt {
    /// Sale id.
    pub sale_id: SaleId,
    /// Sale number, e.g. "STA-S-000123" (older sales: "STA-000123").
    pub sale_number: String,
    /// `completed` or `voided`.
    pub status: String,
    /// Store block.
    pub store: ReceiptStore,
    /// Till.
    pub terminal_id: String,
    /// Cashier.
    pub cashier_id: UserId,
    /// Cashier's name.
    pub cashier_name: String,
    /// When (UTC, RFC 3339).
    pub created_at: String,
    /// When, in the store's local time ("2026-01-01 11:00").
    pub local_time: String,
    /// Prices include tax.
    pub prices_include_tax: bool,
    /// Lines.
    pub lines: Vec<ReceiptLine>,
    /// Tax per rate.
    pub taxes: Vec<TaxLine>,
    /// Manager who approved the cart discount (above the cashier limit).
    pub cart_discount_approved_by: Option<Approver>,
    /// Lines at list price.
    pub subtotal: Money,
    /// All discounts.
    pub discount: Money,
    /// Tax.
    pub tax: Money,
    /// Cash rounding (on the cash part of the payment only).
    pub rounding: Money,
    /// Total.
    pub total: Money,
    /// Payments.
    pub payments: Vec<ReceiptPayment>,
    /// Paid.
    pub paid: Money,
    /// Change given.
    pub change: Money,
    /// When voided.
    pub voided_at: Option<String>,
    /// Manager who voided it (or approved the void with their PIN).
    pub voided_by: Option<Approver>,
    /// Why voided.
    pub void_reason: Option<String>,
    /// A voided sale: what was paid back, per tender (empty for a completed sale).
    pub pay_out: Vec<TenderPayout>,
}

/// Reads a stored sale as a receipt.
pub(crate) fn build(ctx: &Ctx<'_>, sale_id: SaleId) -> Result<Receipt> {
    type Head = (
        StoreId,
        String,
        String,
        String,
        UserId,
        String,
        String,
        bool,
        [i64; 7],
        Option<String>,
        Option<String>,
        Option<Approver>,
        Option<Approver>,
    );
    let head: Head = ctx
        .tx
        .prepare_cached(
            "SELECT s.store_id, s.sale_number, s.status, s.terminal_id, s.cashier_id, u.name, s.created_at,
                    s.prices_include_tax, s.subtotal_e4, s.discount_e4, s.tax_e4, s.rounding_e4, s.total_e4,
                    s.paid_e4, s.change_e4, s.voided_at, s.void_reason,
                    s.cart_discount_approved_by, cd.name, s.voided_by, vb.name
               FROM sales s JOIN users u ON u.id = s.cashier_id
               LEFT JOIN users cd ON cd.id = s.cart_discount_approved_by
               LEFT JOIN users vb ON vb.id = s.voided_by
              WHERE s.id = ?1",
        )?
        .query_row([sale_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                [
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                    r.get(11)?,
                    r.get(12)?,
                    r.get(13)?,
                    r.get(14)?,
                ],
                r.get(15)?,
                r.get(16)?,
                Approver::of(r.get(17)?, r.get(18)?),
                Approver::of(r.get(19)?, r.get(20)?),
            ))
        })
        .optional()?
        .ok_or_else(|| Error::not_found("sale", sale_id))?;
    ctx.check_store(head.0)?;
    let (
        store_id,
        number,
        status,
        terminal_id,
        cashier_id,
        cashier_name,
        created_at,
        incl,
        money,
        voided_at,
        void_reason,
        cart_discount_approved_by,
        voided_by,
    ) = head;
    let st = crate::catalogue::stores::get_store(ctx.tx, store_id)?;
    let cfg = settings::load(ctx.tx, store_id)?;
    let tz: chrono_tz::Tz = st
        .timezone
        .parse()
        .map_err(|_| Error::corrupt("store", store_id, "timezone", st.timezone.clone()))?;
    let local_time = chrono::DateTime::parse_from_rfc3339(&created_at)
        .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| created_at.clone());
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT l.id, l.line_no, l.product_id, l.product_name, l.sku, l.unit, l.quantity_milli, l.unit_price_e4,
                l.gross_e4, l.discount_e4, l.tax_rate, l.tax_e4, l.total_e4, l.prescription_reference,
                l.price_overridden_by, po.name, l.discount_approved_by, da.name
           FROM sale_lines l
           LEFT JOIN users po ON po.id = l.price_overridden_by
           LEFT JOIN users da ON da.id = l.discount_approved_by
          WHERE l.sale_id = ?1 ORDER BY l.line_no",
    )?;
    let mut lines = stmt
        .query_map([sale_id], |r| {
            Ok(ReceiptLine {
                sale_line_id: r.get(0)?,
                line_no: r.get(1)?,
                product_id: r.get(2)?,
                name: r.get(3)?,
                sku: r.get(4)?,
                unit: r.get(5)?,
                quantity: Qty::from_scaled(r.get(6)?),
                unit_price: m(r.get(7)?),
                gross: m(r.get(8)?),
                discount: m(r.get(9)?),
                tax_rate: tax_rate_in_row(r, 10, "sale line", r.get::<_, SaleLineId>(0)?)?,
                tax: m(r.get(11)?),
                total: m(r.get(12)?),
                cost: Money::ZERO,
                price_overridden_by: Approver::of(r.get(14)?, r.get(15)?),
                discount_approved_by: Approver::of(r.get(16)?, r.get(17)?),
                prescription_reference: r.get(13)?,
                returned_quantity: Qty::ZERO,
                batches: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let at: HashMap<SaleLineId, usize> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| (l.sale_line_id, i))
        .collect();
    let mut returned = vec![0i64; lines.len()];
    let mut bstmt = ctx.tx.prepare_cached(
        "SELECT x.sale_line_id, b.batch_number, b.expiry_date, x.quantity_milli, x.returned_milli, x.cost_e4
           FROM sale_lines l JOIN sale_line_batches x ON x.sale_line_id = l.id JOIN batches b ON b.id = x.batch_id
          WHERE l.sale_id = ?1 ORDER BY l.line_no, b.expiry_date, b.batch_number",
    )?;
    for row in bstmt.query_map([sale_id], |r| {
        Ok((
            r.get::<_, SaleLineId>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, i64>(5)?,
        ))
    })? {
        let (line, batch, expiry, q, ret, cost) = row?;
        let Some(&i) = at.get(&line) else { continue };
        returned[i] += ret;
        let l = &mut lines[i];
        // Unit cost (e4) × quantity (milli) is exact at 7 places.
        l.cost = Money(l.cost.0 + Decimal::new(cost, 4) * Decimal::new(q, 3));
        l.batches.push(ReceiptBatch {
            batch_number: cfg.receipt_show_batch.then_some(batch),
            expiry_date: if cfg.receipt_show_expiry {
                shown_expiry(&expiry)
            } else {
                None
            },
            quantity: Qty::from_scaled(q),
        });
    }
    let mut taxes: Vec<TaxLine> = Vec::new();
    for (l, returned) in lines.iter_mut().zip(returned) {
        l.returned_quantity = Qty::from_scaled(returned);
        if !l.tax_rate.is_zero() {
            let rate = l.tax_rate.normalize();
            match taxes.iter_mut().find(|t| t.rate == rate) {
                Some(t) => {
                    t.taxable = t.taxable + l.total - l.tax;
                    t.tax = t.tax + l.tax;
                }
                None => taxes.push(TaxLine {
                    rate,
                    taxable: l.total - l.tax,
                    tax: l.tax,
                }),
            }
        }
    }
    taxes.sort_by_key(|t| t.rate);
    let mut pstmt = ctx.tx.prepare_cached(
        "SELECT tender, amount_e4, reference FROM sale_payments WHERE sale_id = ?1 ORDER BY seq",
    )?;
    let payments = pstmt
        .query_map(params![sale_id], |r| {
            Ok(ReceiptPayment {
                tender: r.get(0)?,
                amount: m(r.get(1)?),
                reference: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let [subtotal, discount, tax, rounding, total, paid, change] = money;
    let pay_out = if status == "voided" {
        void_pay_out(&payments, m(change))
    } else {
        Vec::new()
    };
    Ok(Receipt {
        pay_out,
        sale_id,
        sale_number: number,
        status,
        store: ReceiptStore {
            store_id,
            name: st.name,
            code: st.code,
            address: st.address,
            phone: st.phone,
            currency: st.currency,
            locale: st.locale,
            tax_number: st.tax_number,
            licence_number: st.licence_number,
            header: cfg.receipt_header,
            footer: cfg.receipt_footer,
        },
        terminal_id,
        cashier_id,
        cashier_name,
        created_at,
        local_time,
        prices_include_tax: incl,
        lines,
        taxes,
        cart_discount_approved_by,
        subtotal: m(subtotal),
        discount: m(discount),
        tax: m(tax),
        rounding: m(rounding),
        total: m(total),
        payments,
        paid: m(paid),
        change: m(change),
        voided_at,
        voided_by,
        void_reason,
    })
}

/// The receipt (`Receipt`) is read back from the stored sale, never recomputed, so a
/// reprint matches the original. Lines carry their `batches` (number, expiry, quantity;
/// printed as the settings say) and `returned_quantity`; a voided sale has `status:
/// voided`, `voided_at` and `void_reason`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetReceipt {
    /// Sale.
    pub sale_id: SaleId,
}

impl Operation for GetReceipt {
    const NAME: &'static str = "get_receipt";
    const SUMMARY: &'static str =
        "A sale's receipt: store header, lines with batches, taxes, tenders, change";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = false;
    type Output = Receipt;

    fn run(self, ctx: &Ctx<'_>) -> Result<Receipt> {
        build(ctx, self.sale_id)
    }
}

/// By the number printed on the receipt (case-insensitive), in the user's store unless
/// `store_id` is given. Unknown: `not_found`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct FindSale {
    /// Sale number as printed, e.g. "STA-S-000123".
    pub sale_number: String,
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

impl Operation for FindSale {
    const NAME: &'static str = "find_sale";
    const SUMMARY: &'static str = "A sale's receipt by its printed sale number";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = false;
    type Output = Receipt;

    fn run(self, ctx: &Ctx<'_>) -> Result<Receipt> {
        let store = ctx.store(self.store_id)?;
        let n = self.sale_number.trim().to_ascii_uppercase();
        let id: SaleId = ctx
            .tx
            .query_row(
                "SELECT id FROM sales WHERE store_id = ?1 AND sale_number = ?2",
                params![store.id, n],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| Error::not_found("sale", &n))?;
        build(ctx, id)
    }
}

/// One sale in a list.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct SaleSummary {
    /// Sale.
    pub sale_id: SaleId,
    /// Number.
    pub sale_number: String,
    /// `completed` or `voided`.
    pub status: String,
    /// Till.
    pub terminal_id: String,
    /// Cashier's name.
    pub cashier_name: String,
    /// Total.
    pub total: Money,
    /// When (UTC).
    pub created_at: String,
    /// Number of lines.
    #[ts(type = "number")]
    pub lines: i64,
}

/// Give `shift_id`, or `terminal_id` for that till's open shift (`no_open_shift` when it
/// has none; neither is `invalid_input`). Completed and voided sales, newest first;
/// `limit` 1–1000 (default 50).
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListSales {
    /// A shift by id.
    #[ts(optional)]
    pub shift_id: Option<crate::ids::ShiftId>,
    /// Or the open shift of this till.
    #[ts(optional)]
    pub terminal_id: Option<String>,
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Maximum sales (default 50, at most 1000).
    #[ts(optional)]
    pub limit: Option<u32>,
}

impl Operation for ListSales {
    const NAME: &'static str = "list_sales";
    const SUMMARY: &'static str =
        "The latest sales of a shift (or a till's open shift), newest first";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = false;
    type Output = Vec<SaleSummary>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<SaleSummary>> {
        let shift = match (self.shift_id, self.terminal_id) {
            (Some(id), _) => id,
            (None, Some(t)) => {
                let store = ctx.store(self.store_id)?;
                super::shifts::current(ctx, store.id, &super::terminal("terminal_id", &t)?)?
            }
            (None, None) => {
                return Err(Error::invalid(
                    "shift_id",
                    "give a shift_id or a terminal_id",
                ))
            }
        };
        let limit = i64::from(self.limit.unwrap_or(50).clamp(1, 1000));
        let mut stmt = ctx.tx.prepare_cached(
            "SELECT s.id, s.sale_number, s.status, s.terminal_id, u.name, s.total_e4, s.created_at,
                    (SELECT COUNT(*) FROM sale_lines l WHERE l.sale_id = s.id)
               FROM sales s JOIN users u ON u.id = s.cashier_id
              WHERE s.shift_id = ?1 ORDER BY s.created_at DESC, s.sale_number DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![shift, limit], |r| {
            Ok(SaleSummary {
                sale_id: r.get(0)?,
                sale_number: r.get(1)?,
                status: r.get(2)?,
                terminal_id: r.get(3)?,
                cashier_name: r.get(4)?,
                total: m(r.get(5)?),
                created_at: r.get(6)?,
                lines: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

#[cfg(test)]
mod pay_out_tests {
    use super::*;

    fn pay(tender: &str, amount: &str) -> ReceiptPayment {
        ReceiptPayment {
            tender: tender.into(),
            amount: amount.parse().unwrap_or_default(),
            reference: None,
        }
    }

    #[test]
    fn a_void_pays_back_each_tender_less_the_change_off_the_cash() {
        let m = |s: &str| s.parse::<Money>().unwrap_or_default();
        let out = void_pay_out(
            &[pay("card", "100"), pay("cash", "60"), pay("cash", "40")],
            m("10"),
        );
        assert_eq!(
            out,
            [
                TenderPayout {
                    tender: "card".into(),
                    amount: m("100")
                },
                TenderPayout {
                    tender: "cash".into(),
                    amount: m("90")
                },
            ]
        );
        // Cash that only covered the change gives nothing back in cash.
        let out = void_pay_out(&[pay("card", "50"), pay("cash", "5")], m("5"));
        assert_eq!(
            out,
            [TenderPayout {
                tender: "card".into(),
                amount: m("50")
            }]
        );
    }
}
