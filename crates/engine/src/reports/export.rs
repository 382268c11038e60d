//! `export_report_csv`: any report as a CSV file — the rows the report
//! pages through (all pages), with the same filters, capped at
//! [`MAX_EXPORT_ROWS`].
//!
//! Each report computes its rows once, through the same function its own
//! command calls, with a page as large as the cap (plus one row to tell
//! whether the cap was reached), so the file always says what the screen
//! says.

use super::{aging, expiry, movements, sales, valuation, waste};
use crate::audit::{CsvExport, MAX_EXPORT_ROWS};
use crate::auth::Permission;
use crate::op::{Ctx, Operation};
use crate::Result;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A report request, named by `report`: `{"report": "stock_valuation", "group_by":
/// "category"}`. The other fields are that report's request (its `limit` and `offset` are
/// ignored: the export holds every row).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(tag = "report", rename_all = "snake_case")]
#[ts(export)]
pub enum ReportRequest {
    /// `get_stock_valuation`: its groups.
    StockValuation(valuation::GetStockValuation),
    /// `get_batch_aging`: its slow movers.
    BatchAging(aging::GetBatchAging),
    /// `get_expiry_risk`: its batches within the horizon.
    ExpiryRisk(expiry::GetExpiryRisk),
    /// `get_movement_log`: its movements.
    MovementLog(movements::GetMovementLog),
    /// `get_waste_report`: its products.
    WasteReport(waste::GetWasteReport),
    /// `get_sales_report`: its rows.
    SalesReport(sales::GetSalesReport),
}

/// Exports a report's rows as CSV (UTF-8, header first, RFC 4180 quoting).
///
/// The request is the report's own request with `report` naming it: `stock_valuation`
/// (rows: the groups), `batch_aging` (the slow movers; the age buckets are not rows),
/// `expiry_risk` (the batches within the horizon; not the window sums), `movement_log`,
/// `waste_report` (per product; not the per-reason sums), `sales_report` (the rows of its
/// grouping). Every page is written, up to 100,000 rows; `capped` says when the report had
/// more (`total_rows` how many), and the file then ends at the cap — narrow the filters.
/// Permission `view_audit`, as the reports.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(transparent)]
#[ts(export)]
pub struct ExportReportCsv(pub ReportRequest);

/// A report's CSV file.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ReportCsv {
    /// The file and its row count.
    #[serde(flatten)]
    #[ts(flatten)]
    pub export: CsvExport,
    /// The report's rows in all (more than `rows` when capped).
    #[ts(type = "number")]
    pub total_rows: i64,
    /// True when the report had more rows than the file holds.
    pub capped: bool,
    /// A suggested file name (`stock_valuation-2026-12-01.csv`).
    pub file_name: String,
}

impl Operation for ExportReportCsv {
    const NAME: &'static str = "export_report_csv";
    const SUMMARY: &'static str =
        "Any report (stock valuation, aging, expiry risk, movements, waste, sales) as a CSV file";
    const PERMISSION: Permission = Permission::ViewAudit;
    const WRITES: bool = false;
    type Output = ReportCsv;

    fn run(self, ctx: &Ctx<'_>) -> Result<ReportCsv> {
        let cap = i64::from(MAX_EXPORT_ROWS);
        let (name, header, mut rows, total_rows, date): (&str, &[&str], _, i64, String) =
            match &self.0 {
                ReportRequest::StockValuation(r) => {
                    let v = valuation::valuation(ctx, r, cap + 1, 0)?;
                    let rows = valuation::csv_rows(&v);
                    (
                        "stock_valuation",
                        valuation::CSV_HEADER,
                        rows,
                        v.total_rows,
                        v.date.to_string(),
                    )
                }
                ReportRequest::BatchAging(r) => {
                    let a = aging::aging(ctx, r, cap + 1, 0)?;
                    let rows = aging::csv_rows(&a);
                    (
                        "batch_aging",
                        aging::CSV_HEADER,
                        rows,
                        a.slow_total,
                        a.date.to_string(),
                    )
                }
                ReportRequest::ExpiryRisk(r) => {
                    let e = expiry::expiry_risk(ctx, r, cap + 1, 0)?;
                    let rows = expiry::csv_rows(&e);
                    (
                        "expiry_risk",
                        expiry::CSV_HEADER,
                        rows,
                        e.total_batches,
                        e.date.to_string(),
                    )
                }
                ReportRequest::MovementLog(r) => {
                    let l = movements::movement_log(ctx, r, cap + 1, 0)?;
                    let rows = movements::csv_rows(&l);
                    (
                        "movement_log",
                        movements::CSV_HEADER,
                        rows,
                        l.total_rows,
                        format!("{}-{}", l.from, l.to),
                    )
                }
                ReportRequest::WasteReport(r) => {
                    let w = waste::waste_report(ctx, r, cap + 1, 0)?;
                    let rows = waste::csv_rows(&w);
                    (
                        "waste",
                        waste::CSV_HEADER,
                        rows,
                        w.total_products,
                        format!("{}-{}", w.from, w.to),
                    )
                }
                ReportRequest::SalesReport(r) => {
                    let s = sales::sales_report(ctx, r, cap + 1, 0)?;
                    let rows = sales::csv_rows(&s);
                    (
                        "sales",
                        sales::CSV_HEADER,
                        rows,
                        s.total_rows,
                        format!("{}-{}", s.from, s.to),
                    )
                }
            };
        let capped = rows.len() > MAX_EXPORT_ROWS as usize;
        rows.truncate(MAX_EXPORT_ROWS as usize);
        let csv = super::common::write_csv(header, &rows)?;
        Ok(ReportCsv {
            export: CsvExport {
                csv,
                rows: u32::try_from(rows.len()).unwrap_or(u32::MAX),
            },
            total_rows,
            capped,
            file_name: format!("{name}-{date}.csv"),
        })
    }
}
