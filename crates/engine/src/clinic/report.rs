//! The clinic's economics over a period: per product, the units given and
//! wasted, revenue, the cost of what was used and wasted, and the margin;
//! waste by reason. Usage is counted when drawn and waste when recorded, so
//! a vial open across two periods splits between them.

use super::WasteReason;
use crate::auth::Permission;
use crate::ids::{ProductId, StoreId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::params;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// One product's line.
#[derive(Clone, Debug, Default, Serialize, TS)]
#[ts(export)]
pub struct ClinicReportLine {
    /// Product.
    pub product_id: String,
    /// Name.
    pub product_name: String,
    /// Vials opened in the period.
    pub vials_opened: u32,
    /// Units given to patients.
    pub units_used: Qty,
    /// Units wasted.
    pub units_wasted: Qty,
    /// Revenue from the units given.
    pub revenue: Money,
    /// Cost of the units given.
    pub used_cost: Money,
    /// Cost of the units wasted.
    pub waste_cost: Money,
    /// Revenue − used cost − waste cost.
    pub profit: Money,
    /// Profit as a percentage of revenue, when there is revenue.
    #[ts(type = "string | null")]
    pub margin_percent: Option<Decimal>,
}

/// Waste of one reason.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct WasteByReason {
    /// Reason.
    pub reason: WasteReason,
    /// Records.
    pub records: u32,
    /// Cost.
    pub cost: Money,
}

/// The report.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ClinicReport {
    /// Per product, by name.
    pub lines: Vec<ClinicReportLine>,
    /// All products.
    pub total: ClinicReportLine,
    /// Waste by reason, costliest first.
    pub waste_by_reason: Vec<WasteByReason>,
}

/// The clinic's economics between `from` (inclusive) and `to` (exclusive), RFC 3339
/// instants: per product, vials opened, units used and wasted, revenue, used and waste
/// cost, profit and margin; waste by reason. Managers only.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetClinicReport {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// From.
    #[ts(type = "string")]
    pub from: DateTime<Utc>,
    /// To.
    #[ts(type = "string")]
    pub to: DateTime<Utc>,
}

impl Operation for GetClinicReport {
    const NAME: &'static str = "get_clinic_report";
    const SUMMARY: &'static str =
        "The clinic's economics over a period: usage, waste, revenue, cost and margin by product";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = false;
    type Output = ClinicReport;

    fn run(self, ctx: &Ctx<'_>) -> Result<ClinicReport> {
        let store = ctx.store(self.store_id)?;
        if self.to <= self.from {
            return Err(Error::invalid("to", "the period must end after it starts"));
        }
        let from = super::vials::stamp(self.from);
        let to = super::vials::stamp(self.to);
        let mut lines: BTreeMap<ProductId, ClinicReportLine> = BTreeMap::new();
        let used = ctx
            .tx
            .prepare(
                "SELECT l.product_id, p.name, SUM(l.quantity_milli), SUM(l.revenue_e4), SUM(l.cost_e4)
                   FROM lot_usages l JOIN products p ON p.id = l.product_id
                  WHERE l.store_id = ?1 AND l.used_at >= ?2 AND l.used_at < ?3 GROUP BY l.product_id",
            )?
            .query_map(params![store.id, from, to], |r| {
                Ok((r.get::<_, ProductId>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?, r.get::<_, i64>(4)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (id, name, q, rev, cost) in used {
            let l = entry(&mut lines, id, name);
            l.units_used = Qty::from_scaled(q);
            l.revenue = Money::from_scaled(rev);
            l.used_cost = Money::from_scaled(cost);
        }
        let wasted = ctx
            .tx
            .prepare(
                "SELECT w.product_id, p.name, SUM(w.quantity_milli), SUM(w.cost_e4)
                   FROM waste_records w JOIN products p ON p.id = w.product_id
                  WHERE w.store_id = ?1 AND w.recorded_at >= ?2 AND w.recorded_at < ?3 GROUP BY w.product_id",
            )?
            .query_map(params![store.id, from, to], |r| {
                Ok((r.get::<_, ProductId>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (id, name, q, cost) in wasted {
            let l = entry(&mut lines, id, name);
            l.units_wasted = Qty::from_scaled(q);
            l.waste_cost = Money::from_scaled(cost);
        }
        let opened = ctx
            .tx
            .prepare(
                "SELECT v.product_id, p.name, COUNT(*) FROM vial_sessions v JOIN products p ON p.id = v.product_id
                  WHERE v.store_id = ?1 AND v.opened_at >= ?2 AND v.opened_at < ?3 GROUP BY v.product_id",
            )?
            .query_map(params![store.id, from, to], |r| {
                Ok((r.get::<_, ProductId>(0)?, r.get::<_, String>(1)?, r.get::<_, u32>(2)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (id, name, n) in opened {
            entry(&mut lines, id, name).vials_opened = n;
        }
        let mut lines: Vec<ClinicReportLine> = lines.into_values().map(finish).collect();
        lines.sort_by(|a, b| {
            a.product_name
                .to_lowercase()
                .cmp(&b.product_name.to_lowercase())
        });
        let total = finish(lines.iter().fold(
            ClinicReportLine {
                product_id: String::new(),
                product_name: String::new(),
                ..Default::default()
            },
            |mut t, l| {
                t.vials_opened += l.vials_opened;
                t.units_used = t.units_used + l.units_used;
                t.units_wasted = t.units_wasted + l.units_wasted;
                t.revenue = t.revenue + l.revenue;
                t.used_cost = t.used_cost + l.used_cost;
                t.waste_cost = t.waste_cost + l.waste_cost;
                t
            },
        ));
        let by_reason = ctx
            .tx
            .prepare(
                "SELECT reason, COUNT(*), SUM(cost_e4) FROM waste_records
                  WHERE store_id = ?1 AND recorded_at >= ?2 AND recorded_at < ?3
                  GROUP BY reason ORDER BY SUM(cost_e4) DESC, reason",
            )?
            .query_map(params![store.id, from, to], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, u32>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let waste_by_reason = by_reason
            .into_iter()
            .map(|(reason, records, cost)| {
                Ok(WasteByReason {
                    reason: WasteReason::parse(&reason)?,
                    records,
                    cost: Money::from_scaled(cost),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ClinicReport {
            lines,
            total,
            waste_by_reason,
        })
    }
}

fn entry(
    lines: &mut BTreeMap<ProductId, ClinicReportLine>,
    id: ProductId,
    name: String,
) -> &mut ClinicReportLine {
    lines.entry(id).or_insert_with(|| ClinicReportLine {
        product_id: id.to_string(),
        product_name: name,
        ..Default::default()
    })
}

fn finish(mut l: ClinicReportLine) -> ClinicReportLine {
    l.profit = l.revenue - l.used_cost - l.waste_cost;
    l.margin_percent = (!l.revenue.is_zero())
        .then(|| (l.profit.0 * Decimal::ONE_HUNDRED / l.revenue.0).round_dp(2));
    l
}
