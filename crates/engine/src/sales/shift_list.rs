//! `list_shifts`: past and open shifts of a store, newest first, so that an
//! X or Z report can be found again and reprinted (`get_shift_report` by the
//! shift id gives the same report as at the close).
//!
//! Paged by limit and offset over the (store, opened at) index; each row's
//! takings are summed from the shift's own sales and returns (indexed by
//! shift), for the page's rows only.

use super::m;
use crate::auth::Permission;
use crate::ids::{ShiftId, StoreId, UserId};
use crate::num::Money;
use crate::op::{Ctx, Operation};
use crate::page::{limit_offset, Filter};
use crate::{Error, Result};
use chrono::{Duration, NaiveDate};
use rusqlite::ToSql;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Shifts of the store (default: the user's), newest first.
///
/// - `terminal_id`: only that till's. `closed`: `true` only closed shifts (Z reports),
///   `false` only open ones (X reports).
/// - `from` / `to`: opened on or after / on or before these local dates (`YYYY-MM-DD`, in
///   the store's time zone); `from` after `to` is `invalid_input`.
/// - Paging by `limit` (1–500, default 50) and `offset`; `total` counts every shift that
///   passes the filters.
///
/// Each row has the shift's till, who opened and closed it and when (UTC), its float,
/// completed sales (count, total), refunds, and once closed the expected and counted cash.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListShifts {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Only this till.
    #[ts(optional)]
    pub terminal_id: Option<String>,
    /// Only closed (`true`) or only open (`false`) shifts.
    #[ts(optional)]
    pub closed: Option<bool>,
    /// Opened on or after this local date.
    #[ts(optional, type = "string")]
    pub from: Option<NaiveDate>,
    /// Opened on or before this local date.
    #[ts(optional, type = "string")]
    pub to: Option<NaiveDate>,
    /// Rows per page (1–500, default 50).
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Rows to skip (default 0).
    #[ts(optional)]
    pub offset: Option<u32>,
}

/// One shift in the list.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ShiftSummary {
    /// Shift (for `get_shift_report`).
    pub shift_id: ShiftId,
    /// Till.
    pub terminal_id: String,
    /// `open` or `closed`.
    pub status: String,
    /// Who opened it.
    pub opened_by: UserId,
    /// Their name.
    pub opened_by_name: String,
    /// When (UTC).
    pub opened_at: String,
    /// Who closed it.
    pub closed_by: Option<UserId>,
    /// Their name.
    pub closed_by_name: Option<String>,
    /// When (UTC).
    pub closed_at: Option<String>,
    /// Cash float at opening.
    pub opening_float: Money,
    /// Completed (not voided) sales.
    #[ts(type = "number")]
    pub sales_count: i64,
    /// Their total.
    pub sales_total: Money,
    /// Refunded in returns.
    pub returns_total: Money,
    /// Expected cash at the close.
    pub expected_cash: Option<Money>,
    /// Counted cash at the close.
    pub counted_cash: Option<Money>,
    /// counted − expected (negative: short).
    pub over_short: Option<Money>,
}

/// A page of shifts.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ShiftPage {
    /// The page, newest first.
    pub rows: Vec<ShiftSummary>,
    /// Shifts passing the filters, all pages together.
    #[ts(type = "number")]
    pub total: i64,
}

impl Operation for ListShifts {
    const NAME: &'static str = "list_shifts";
    const SUMMARY: &'static str =
        "The store's shifts, newest first (by till, dates, open or closed), to find past X/Z reports";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = false;
    type Output = ShiftPage;

    fn run(self, ctx: &Ctx<'_>) -> Result<ShiftPage> {
        let store = ctx.store(self.store_id)?;
        let (limit, offset) = limit_offset(self.limit, self.offset, 50)?;
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from > to {
                return Err(Error::invalid(
                    "from",
                    format!("from {from} is after to {to}"),
                ));
            }
        }
        let mut f = Filter::default();
        f.and("s.store_id = :store")
            .bind(":store", store.id.to_string());
        if let Some(t) = &self.terminal_id {
            f.and("s.terminal_id = :till")
                .bind(":till", super::terminal("terminal_id", t)?);
        }
        match self.closed {
            Some(true) => {
                f.and("s.status = 'closed'");
            }
            Some(false) => {
                f.and("s.status = 'open'");
            }
            None => {}
        }
        if let Some(d) = self.from {
            f.and("s.opened_at >= :from")
                .bind(":from", crate::clock::day_start_utc(&store.tz, d));
        }
        if let Some(d) = self.to {
            f.and("s.opened_at < :to").bind(
                ":to",
                crate::clock::day_start_utc(&store.tz, d + Duration::days(1)),
            );
        }
        let sql = format!(
            "SELECT s.id, s.terminal_id, s.status, s.opened_by, o.name, s.opened_at, s.closed_by, c.name, s.closed_at,
                    s.opening_float_e4, s.expected_cash_e4, s.counted_cash_e4,
                    (SELECT COUNT(*) FROM sales x WHERE x.shift_id = s.id AND x.status = 'completed'),
                    (SELECT COALESCE(SUM(total_e4), 0) FROM sales x WHERE x.shift_id = s.id AND x.status = 'completed'),
                    (SELECT COALESCE(SUM(refund_e4), 0) FROM sale_returns r WHERE r.shift_id = s.id)
               FROM shifts s JOIN users o ON o.id = s.opened_by LEFT JOIN users c ON c.id = s.closed_by
               {} ORDER BY s.opened_at DESC, s.rowid DESC LIMIT :limit OFFSET :offset",
            f.where_sql()
        );
        let extra: [(&'static str, &dyn ToSql); 2] = [(":limit", &limit), (":offset", &offset)];
        let rows = ctx
            .tx
            .prepare_cached(&sql)?
            .query_map(f.params(&extra).as_slice(), |r| {
                let expected: Option<i64> = r.get(10)?;
                let counted: Option<i64> = r.get(11)?;
                Ok(ShiftSummary {
                    shift_id: r.get(0)?,
                    terminal_id: r.get(1)?,
                    status: r.get(2)?,
                    opened_by: r.get(3)?,
                    opened_by_name: r.get(4)?,
                    opened_at: r.get(5)?,
                    closed_by: r.get(6)?,
                    closed_by_name: r.get(7)?,
                    closed_at: r.get(8)?,
                    opening_float: m(r.get(9)?),
                    sales_count: r.get(12)?,
                    sales_total: m(r.get(13)?),
                    returns_total: m(r.get(14)?),
                    expected_cash: expected.map(m),
                    counted_cash: counted.map(m),
                    over_short: match (counted, expected) {
                        (Some(c), Some(e)) => Some(m(c - e)),
                        _ => None,
                    },
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let total: i64 = ctx
            .tx
            .prepare_cached(&format!("SELECT COUNT(*) FROM shifts s {}", f.where_sql()))?
            .query_row(f.params(&[]).as_slice(), |r| r.get(0))?;
        Ok(ShiftPage { rows, total })
    }
}
