//! Shifts: a till's drawer from its opening float to its counted close.
//!
//! One open shift per till (a partial unique index); a sale or a return on
//! a till needs its open shift, and is filed under it, so the Z report adds
//! up exactly what happened in the drawer: sales, returns, voids, discounts,
//! tax, takings per tender, and the expected cash (float + cash taken −
//! change given − cash refunded) against the counted cash. The X report is
//! the same report while the shift is still open.

use super::m;
use super::terminal;
use crate::audit::{self, ChangeType, Payload};
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::ids::{ShiftId, StoreId, UserId};
use crate::num::Money;
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The open shift of a till, or `no_open_shift` telling to open one.
pub(crate) fn current(ctx: &Ctx<'_>, store_id: StoreId, terminal_id: &str) -> Result<ShiftId> {
    find_open(ctx, store_id, terminal_id)?.ok_or_else(|| Error::NoOpenShift {
        terminal_id: terminal_id.to_string(),
    })
}

fn find_open(ctx: &Ctx<'_>, store_id: StoreId, terminal_id: &str) -> Result<Option<ShiftId>> {
    Ok(ctx
        .tx
        .prepare_cached(
            "SELECT id FROM shifts WHERE store_id = ?1 AND terminal_id = ?2 AND status = 'open'",
        )?
        .query_row(params![store_id, terminal_id], |r| r.get(0))
        .optional()?)
}

/// Takings and refunds of one tender.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct TenderTotal {
    /// Tender.
    pub tender: String,
    /// Taken in sales (cash net of change), voided sales excluded.
    pub sales: Money,
    /// Paid out in refunds.
    pub refunds: Money,
    /// sales − refunds.
    pub net: Money,
}

/// X (open) or Z (closed) report of a shift.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ShiftReport {
    /// Shift.
    pub shift_id: ShiftId,
    /// Store.
    pub store_id: StoreId,
    /// Till.
    pub terminal_id: String,
    /// `open` (X report) or `closed` (Z report).
    pub status: String,
    /// Who opened it.
    pub opened_by: UserId,
    /// Their name.
    pub opened_by_name: String,
    /// When.
    pub opened_at: String,
    /// Who closed it.
    pub closed_by: Option<UserId>,
    /// When.
    pub closed_at: Option<String>,
    /// Cash float at opening.
    pub opening_float: Money,
    /// Completed (not voided) sales.
    #[ts(type = "number")]
    pub sales_count: i64,
    /// Their total.
    pub sales_total: Money,
    /// Voided sales.
    #[ts(type = "number")]
    pub voids_count: i64,
    /// Their total.
    pub voids_total: Money,
    /// Returns.
    #[ts(type = "number")]
    pub returns_count: i64,
    /// Refunded.
    pub returns_total: Money,
    /// Discounts given on completed sales.
    pub discounts_total: Money,
    /// Tax on completed sales.
    pub tax_total: Money,
    /// Cash rounding on completed sales.
    pub rounding_total: Money,
    /// Per tender.
    pub tenders: Vec<TenderTotal>,
    /// Cash taken, net of change.
    pub cash_sales: Money,
    /// Cash refunded.
    pub cash_refunds: Money,
    /// float + cash sales − cash refunds.
    pub expected_cash: Money,
    /// Counted at close.
    pub counted_cash: Option<Money>,
    /// counted − expected (negative: short).
    pub over_short: Option<Money>,
    /// Notes.
    pub notes: Option<String>,
    /// Z reports: the head of the store's chain at the close (the
    /// `shift_closed` event), printed so that paper anchors the record.
    pub record_head: Option<crate::audit::ChainHead>,
}

/// Builds a shift's report from its sales, returns and payments.
pub(crate) fn report(ctx: &Ctx<'_>, id: ShiftId) -> Result<ShiftReport> {
    type Head = (
        StoreId,
        String,
        String,
        UserId,
        String,
        String,
        Option<UserId>,
        Option<String>,
        i64,
        Option<i64>,
        Option<String>,
        Option<i64>,
        Option<String>,
    );
    let h: Head = ctx
        .tx
        .query_row(
            "SELECT s.store_id, s.terminal_id, s.status, s.opened_by, u.name, s.opened_at, s.closed_by, s.closed_at,
                    s.opening_float_e4, s.counted_cash_e4, s.notes, s.record_seq, s.record_hash
               FROM shifts s JOIN users u ON u.id = s.opened_by WHERE s.id = ?1",
            [id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                    r.get(11)?,
                    r.get(12)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| Error::not_found("shift", id))?;
    ctx.check_store(h.0)?;
    let (
        store_id,
        terminal_id,
        status,
        opened_by,
        opened_by_name,
        opened_at,
        closed_by,
        closed_at,
        float,
        counted,
        notes,
        record_seq,
        record_hash,
    ) = h;
    let (sales_count, sales_total, discounts, tax, rounding): (i64, i64, i64, i64, i64) =
        ctx.tx.query_row(
            "SELECT COUNT(*), COALESCE(SUM(total_e4), 0), COALESCE(SUM(discount_e4), 0), COALESCE(SUM(tax_e4), 0),
                    COALESCE(SUM(rounding_e4), 0)
               FROM sales WHERE shift_id = ?1 AND status = 'completed'",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
    let (voids_count, voids_total): (i64, i64) = ctx.tx.query_row(
        "SELECT COUNT(*), COALESCE(SUM(total_e4), 0) FROM sales WHERE shift_id = ?1 AND status = 'voided'",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (returns_count, returns_total): (i64, i64) = ctx.tx.query_row(
        "SELECT COUNT(*), COALESCE(SUM(refund_e4), 0) FROM sale_returns WHERE shift_id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let change: i64 = ctx.tx.query_row(
        "SELECT COALESCE(SUM(change_e4), 0) FROM sales WHERE shift_id = ?1 AND status = 'completed'",
        [id],
        |r| r.get(0),
    )?;
    let mut tenders: Vec<TenderTotal> = Vec::new();
    let mut stmt = ctx.tx.prepare(
        "SELECT p.tender, SUM(p.amount_e4) FROM sale_payments p JOIN sales s ON s.id = p.sale_id
          WHERE s.shift_id = ?1 AND s.status = 'completed' GROUP BY p.tender ORDER BY p.tender",
    )?;
    for row in stmt.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (tender, amount) = row?;
        let amount = if tender == "cash" {
            amount - change
        } else {
            amount
        };
        tenders.push(TenderTotal {
            tender,
            sales: m(amount),
            refunds: Money::ZERO,
            net: m(amount),
        });
    }
    let mut stmt = ctx.tx.prepare(
        "SELECT tender, SUM(refund_e4) FROM sale_returns WHERE shift_id = ?1 GROUP BY tender ORDER BY tender",
    )?;
    for row in stmt.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (tender, amount) = row?;
        match tenders.iter_mut().find(|t| t.tender == tender) {
            Some(t) => {
                t.refunds = m(amount);
                t.net = t.sales - t.refunds;
            }
            None => tenders.push(TenderTotal {
                tender,
                sales: Money::ZERO,
                refunds: m(amount),
                net: -m(amount),
            }),
        }
    }
    let cash = tenders.iter().find(|t| t.tender == "cash");
    let cash_sales = cash.map_or(Money::ZERO, |t| t.sales);
    let cash_refunds = cash.map_or(Money::ZERO, |t| t.refunds);
    let expected = m(float) + cash_sales - cash_refunds;
    Ok(ShiftReport {
        shift_id: id,
        store_id,
        terminal_id,
        status,
        opened_by,
        opened_by_name,
        opened_at,
        closed_by,
        closed_at,
        opening_float: m(float),
        sales_count,
        sales_total: m(sales_total),
        voids_count,
        voids_total: m(voids_total),
        returns_count,
        returns_total: m(returns_total),
        discounts_total: m(discounts),
        tax_total: m(tax),
        rounding_total: m(rounding),
        tenders,
        cash_sales,
        cash_refunds,
        expected_cash: expected,
        counted_cash: counted.map(m),
        over_short: counted.map(|c| m(c) - expected),
        notes,
        record_head: match (record_seq, record_hash) {
            (Some(seq), Some(hash)) => Some(crate::audit::ChainHead::new(store_id, seq, hash)),
            _ => None,
        },
    })
}

/// One open shift per till (`conflict`); `opening_float` ≥ 0. Sales and returns on a till
/// need its open shift and are filed under it. Answers the (empty) X report.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct OpenShift {
    /// The till.
    pub terminal_id: String,
    /// Cash in the drawer at the start.
    pub opening_float: Money,
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

impl Operation for OpenShift {
    const NAME: &'static str = "open_shift";
    const SUMMARY: &'static str = "Open a till's shift with its cash float";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    type Output = ShiftReport;

    fn run(self, ctx: &Ctx<'_>) -> Result<ShiftReport> {
        let store = ctx.store(self.store_id)?;
        let term = terminal("terminal_id", &self.terminal_id)?;
        if self.opening_float.is_negative() {
            return Err(Error::invalid(
                "opening_float",
                "the float cannot be negative",
            ));
        }
        if find_open(ctx, store.id, &term)?.is_some() {
            return Err(Error::conflict(format!(
                "till {term} already has an open shift"
            )));
        }
        let id = ShiftId::new();
        ctx.tx.execute(
            "INSERT INTO shifts (id, store_id, terminal_id, opened_by, opened_at, opening_float_e4) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, store.id, term, ctx.actor.id, ctx.now_str(), self.opening_float.to_scaled("opening_float")?],
        )?;
        let opened = report(ctx, id)?;
        let payload = Payload::about("shift", id, format!("{term} ({})", ctx.actor.name))
            .with_data(serde_json::json!({
                "terminal_id": term,
                "opening_float": opened.opening_float,
            }))?;
        audit::record(ctx, store.id, ChangeType::ShiftOpened, &payload)?;
        Ok(opened)
    }
}

/// Closes the till's open shift (`no_open_shift` when there is none); the opener or a
/// manager (`forbidden` otherwise). Answers the Z report with `counted_cash` and
/// `over_short` = counted − expected (negative: short).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CloseShift {
    /// The till whose open shift closes.
    pub terminal_id: String,
    /// Cash counted in the drawer.
    pub counted_cash: Money,
    /// Notes (why over or short).
    #[ts(optional)]
    pub notes: Option<String>,
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

impl Operation for CloseShift {
    const NAME: &'static str = "close_shift";
    const SUMMARY: &'static str =
        "Close a till's shift with the counted cash; answers the Z report with over/short";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    type Output = ShiftReport;

    fn run(self, ctx: &Ctx<'_>) -> Result<ShiftReport> {
        let store = ctx.store(self.store_id)?;
        let term = terminal("terminal_id", &self.terminal_id)?;
        let id = current(ctx, store.id, &term)?;
        if self.counted_cash.is_negative() {
            return Err(Error::invalid(
                "counted_cash",
                "counted cash cannot be negative",
            ));
        }
        let r = report(ctx, id)?;
        if r.opened_by != ctx.actor.id && !ctx.is_manager_at(store.id) {
            return Err(Error::Forbidden {
                user: ctx.actor.name.clone(),
                role: ctx
                    .role_in(store.id)
                    .unwrap_or(ctx.actor.role)
                    .as_str()
                    .into(),
                permission: "close another user's shift".into(),
            });
        }
        ctx.tx.execute(
            "UPDATE shifts SET status = 'closed', closed_by = ?2, closed_at = ?3, counted_cash_e4 = ?4,
                    expected_cash_e4 = ?5, notes = ?6 WHERE id = ?1",
            params![
                id,
                ctx.actor.id,
                ctx.now_str(),
                self.counted_cash.to_scaled("counted_cash")?,
                r.expected_cash.to_scaled("expected_cash")?,
                optional_text("notes", self.notes.as_deref(), 500)?
            ],
        )?;
        // The Z report's figures are the event's document; the event itself
        // becomes the head the report prints.
        let z = report(ctx, id)?;
        let payload =
            Payload::about("shift", id, format!("{term} ({})", z.opened_by_name)).with_data(&z)?;
        let head = audit::record(ctx, store.id, ChangeType::ShiftClosed, &payload)?;
        ctx.tx.execute(
            "UPDATE shifts SET record_seq = ?2, record_hash = ?3 WHERE id = ?1",
            params![id, head.seq, head.hash],
        )?;
        report(ctx, id)
    }
}

/// By `shift_id` (any shift, open or closed), or by `terminal_id` (that till's open
/// shift). The report: completed sales (count, total), voids, returns, discounts, tax,
/// rounding; per tender the takings (cash net of change) and refunds; `expected_cash` =
/// float + cash sales − cash refunds; once closed, `counted_cash` and `over_short`.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetShiftReport {
    /// A shift by id.
    #[ts(optional)]
    pub shift_id: Option<ShiftId>,
    /// Or the open shift of this till.
    #[ts(optional)]
    pub terminal_id: Option<String>,
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

impl Operation for GetShiftReport {
    const NAME: &'static str = "get_shift_report";
    const SUMMARY: &'static str =
        "A shift's report: X while open (by till), Z once closed (by shift id)";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = false;
    type Output = ShiftReport;

    fn run(self, ctx: &Ctx<'_>) -> Result<ShiftReport> {
        let id = match (self.shift_id, self.terminal_id) {
            (Some(id), _) => id,
            (None, Some(t)) => {
                let store = ctx.store(self.store_id)?;
                current(ctx, store.id, &terminal("terminal_id", &t)?)?
            }
            (None, None) => {
                return Err(Error::invalid(
                    "shift_id",
                    "give a shift_id or a terminal_id",
                ))
            }
        };
        report(ctx, id)
    }
}

/// Whether the acting user may rename a till (a workstation's id, kept by
/// the desktop shell beside the database), and whether the till may be
/// renamed now. Not a command of its own: the shell asks the engine before
/// it renames, so that the permission and the rule are the engine's.
///
/// Renaming is the administrator's (`manage_stores`), and it is refused
/// while a shift is open under the current id in any store of the file: the
/// shift, its cash and its held carts are filed under that id, and renaming
/// would leave them behind.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorizeTillRename {
    /// The till's current id; `None` when there is none to keep (a broken
    /// config file, or the id is not changing).
    pub terminal_id: Option<String>,
}

impl Operation for AuthorizeTillRename {
    const NAME: &'static str = "authorize_till_rename";
    const SUMMARY: &'static str = "Check that the acting user may rename this till now";
    const PERMISSION: Permission = Permission::ManageStores;
    const WRITES: bool = false;
    type Output = ();

    fn run(self, ctx: &Ctx<'_>) -> Result<()> {
        let Some(till) = self.terminal_id else {
            return Ok(());
        };
        let open: Option<i64> = ctx
            .tx
            .query_row(
                "SELECT 1 FROM shifts WHERE terminal_id = ?1 AND status = 'open' LIMIT 1",
                [&till],
                |r| r.get(0),
            )
            .optional()?;
        match open {
            Some(_) => Err(Error::Conflict {
                message: format!(
                    "till {till} has an open shift: close it (Till → Shift, F9) before renaming the till"
                ),
            }),
            None => Ok(()),
        }
    }
}
