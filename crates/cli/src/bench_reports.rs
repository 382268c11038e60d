//! `pharmapos bench-reports`: the manager's reports on a large store with
//! years of sales.
//!
//! Runs on a file made by `pharmapos --db F bench --products 100000
//! --batches-per-product 10 …` (a million batches, received at 2024-12-31,
//! "today" 2026-01-01). It first adds `--years` of history before today
//! through the engine's own operations with the injected clock moved
//! through each day (as `bench-clinic` does): `--sales-per-day` till sales
//! of `--lines` lines each (open cart, add lines, complete with cash), one
//! sale in 100 partly returned the next minute (restocked), one adjustment
//! a day, a write-off and a clinic waste record a week and a
//! reconciliation of 20 batches a month. Then, with the clock at today, it
//! times every report in its default shape and filtered ones: one cold
//! call, then `--runs` calls for p50 / max. One JSON line. With
//! `--times-only` it only times (the history is already in the file).

use crate::bench::SplitMix64;
use anyhow::{bail, Context};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use clap::Args;
use pharmapos_engine::clinic::waste::RecordWaste;
use pharmapos_engine::clinic::WasteReason;
use pharmapos_engine::clock::FixedClock;
use pharmapos_engine::control::counts::reconcile::{CountedBatch, ReconcileInventory};
use pharmapos_engine::ids::{BatchId, ProductId, SaleId, StoreId};
use pharmapos_engine::num::{Money, Qty};
use pharmapos_engine::reports::aging::GetBatchAging;
use pharmapos_engine::reports::expiry::GetExpiryRisk;
use pharmapos_engine::reports::export::{ExportReportCsv, ReportRequest};
use pharmapos_engine::reports::movements::{GetMovementLog, MovementKind};
use pharmapos_engine::reports::sales::{GetSalesReport, SalesGroup};
use pharmapos_engine::reports::valuation::{GetStockValuation, ValuationGroup, ValuationSort};
use pharmapos_engine::reports::waste::GetWasteReport;
use pharmapos_engine::sales::cart::{AddCartLine, OpenCart};
use pharmapos_engine::sales::complete::{CompleteSale, PaymentInput};
use pharmapos_engine::sales::returns::{ReturnDisposition, ReturnItems, ReturnLineInput};
use pharmapos_engine::sales::shifts::OpenShift;
use pharmapos_engine::stock::adjust::{AdjustStock, AdjustmentReason};
use pharmapos_engine::stock::writeoff::WriteoffBatch;
use pharmapos_engine::{Db, OpenOptions, Operation, Session, SyncMode};
use std::sync::Arc;
use std::time::Instant;

/// The history to add, and how to time.
#[derive(Args, Debug)]
pub struct ReportsBenchArgs {
    /// Years of history before today (2026-01-01).
    #[arg(long, default_value_t = 3)]
    years: i64,
    /// Till sales a day.
    #[arg(long, default_value_t = 100)]
    sales_per_day: u64,
    /// Lines per sale.
    #[arg(long, default_value_t = 2)]
    lines: u64,
    /// Timed calls per shape (after one cold call).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Generator seed.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Only time the reports: the history is already in the file.
    #[arg(long)]
    times_only: bool,
}

const TILL: &str = "bench-reports";

fn at(d: NaiveDate, minute: i64) -> Arc<FixedClock> {
    let t = d.and_hms_opt(8, 0, 0).unwrap_or_default();
    Arc::new(FixedClock(
        Utc.from_utc_datetime(&t) + Duration::minutes(minute),
    ))
}

fn ms(ns: u128) -> f64 {
    (ns as f64 / 100_000.0).round() / 10.0
}

/// Runs it on the file at `path`.
pub fn run(a: &ReportsBenchArgs, path: &std::path::Path) -> anyhow::Result<()> {
    if a.years < 1 || a.sales_per_day == 0 || a.lines == 0 || a.runs == 0 {
        bail!("--years, --sales-per-day, --lines and --runs must be at least 1");
    }
    if !path.exists() {
        bail!(
            "{} does not exist: make it with `pharmapos --db FILE bench --products 100000 --batches-per-product 10`",
            path.display()
        );
    }
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).context("date")?;
    let mut db = Db::open_with(
        path,
        OpenOptions {
            sync: SyncMode::Normal,
            clock: at(today, 240),
        },
    )?;
    let session = pharmapos_engine::auth::session_for_name(&db, "bench")?;
    let (products, max_batch): (Vec<ProductId>, i64) = db.read(|tx| {
        let mut s = tx.prepare("SELECT id FROM products ORDER BY rowid")?;
        let p = s
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<ProductId>>>()?;
        let m: i64 = tx.query_row("SELECT COALESCE(MAX(rowid), 0) FROM batches", [], |r| {
            r.get(0)
        })?;
        Ok((p, m))
    })?;
    if products.is_empty() || max_batch == 0 {
        bail!("{} holds no products or batches", path.display());
    }
    let mut out = serde_json::Map::new();
    if !a.times_only {
        let t = Instant::now();
        let made = history(&mut db, &session, a, today, &products, max_batch)?;
        out.insert("history".into(), made);
        out.insert(
            "history_s".into(),
            serde_json::json!((t.elapsed().as_secs_f64() * 10.0).round() / 10.0),
        );
    }
    db.set_clock(at(today, 240));
    let sizes = db.read(|tx| {
        let n = |sql: &str| -> pharmapos_engine::Result<i64> {
            Ok(tx.query_row(sql, [], |r| r.get(0))?)
        };
        Ok(serde_json::json!({
            "products": n("SELECT COUNT(*) FROM products")?,
            "batches": n("SELECT COUNT(*) FROM batches")?,
            "batches_in_stock": n("SELECT COUNT(*) FROM batches WHERE on_hand_milli > 0")?,
            "sales": n("SELECT COUNT(*) FROM sales")?,
            "sale_lines": n("SELECT COUNT(*) FROM sale_lines")?,
            "returns": n("SELECT COUNT(*) FROM sale_returns")?,
            "adjustments": n("SELECT COUNT(*) FROM stock_adjustments")?,
            "waste_records": n("SELECT COUNT(*) FROM waste_records")?,
            "reconciliation_items": n("SELECT COUNT(*) FROM reconciliation_items")?,
            "first_sale": tx.query_row("SELECT MIN(created_at) FROM sales", [], |r| r.get::<_, Option<String>>(0))?,
            "last_sale": tx.query_row("SELECT MAX(created_at) FROM sales", [], |r| r.get::<_, Option<String>>(0))?,
        }))
    })?;
    out.insert("data".into(), sizes);
    let file_mb = std::fs::metadata(path)
        .map(|m| m.len() / 1_000_000)
        .unwrap_or(0);
    out.insert("file_mb".into(), serde_json::json!(file_mb));
    out.insert(
        "reports".into(),
        time_reports(&mut db, &session, a, today, &products)?,
    );
    println!("{}", serde_json::Value::Object(out));
    Ok(())
}

/// Adds the years of history; returns what it made.
fn history(
    db: &mut Db,
    session: &Session,
    a: &ReportsBenchArgs,
    today: NaiveDate,
    products: &[ProductId],
    max_batch: i64,
) -> anyhow::Result<serde_json::Value> {
    let mut rng = SplitMix64(a.seed ^ 0x4e9_0475);
    let start = today - Duration::days(365 * a.years);
    db.set_clock(at(start, 0));
    db.execute(
        session,
        OpenShift {
            terminal_id: TILL.into(),
            opening_float: Money::from(0),
            store_id: None,
        },
    )?;
    let store: StoreId = db.read(|tx| {
        Ok(
            tx.query_row("SELECT id FROM stores ORDER BY rowid LIMIT 1", [], |r| {
                r.get(0)
            })?,
        )
    })?;
    let batch_at = |db: &mut Db, rowid: i64| -> anyhow::Result<Option<(BatchId, ProductId, i64)>> {
        Ok(db.read(|tx| {
            use rusqlite::OptionalExtension;
            Ok(tx
                .query_row(
                    "SELECT id, product_id, on_hand_milli FROM batches WHERE rowid = ?1",
                    [rowid],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?)
        })?)
    };
    let (mut sales, mut returns, mut adjustments, mut writeoffs, mut waste, mut counted) =
        (0u64, 0u64, 0u64, 0u64, 0u64, 0u64);
    let mut refused = 0u64;
    let minutes_apart = (600 / a.sales_per_day.max(1)).max(1) as i64;
    let days = (today - start).num_days();
    for day in 0..days {
        let date = start + Duration::days(day);
        for s in 0..a.sales_per_day {
            let minute = s as i64 * minutes_apart;
            db.set_clock(at(date, minute));
            let cart = db
                .execute(
                    session,
                    OpenCart {
                        terminal_id: TILL.into(),
                        store_id: None,
                    },
                )?
                .cart_id;
            let mut total = Money::from(0);
            for _ in 0..a.lines {
                let p = products[rng.below(products.len() as u64) as usize];
                match db.execute(
                    session,
                    AddCartLine {
                        cart_id: cart,
                        product_id: p,
                        quantity: Some(Qty::from(1 + rng.below(3) as i64)),
                        batch_id: None,
                        prescription_reference: None,
                    },
                ) {
                    Ok(v) => total = v.totals.total,
                    Err(_) => refused += 1,
                }
            }
            if total == Money::from(0) {
                continue;
            }
            let receipt = db.execute(
                session,
                CompleteSale {
                    sale_id: SaleId::new(),
                    cart_id: cart,
                    payments: vec![PaymentInput {
                        tender: "cash".into(),
                        amount: total,
                        reference: None,
                    }],
                },
            )?;
            sales += 1;
            if sales % 100 == 0 {
                db.set_clock(at(date, minute + 1));
                let r = db.execute(
                    session,
                    ReturnItems {
                        sale_id: receipt.sale_id,
                        terminal_id: TILL.into(),
                        lines: vec![ReturnLineInput {
                            sale_line_id: receipt.lines[0].sale_line_id,
                            quantity: Qty::from(1),
                            disposition: Some(ReturnDisposition::Restock),
                            batch_id: None,
                        }],
                        tender: None,
                        reason: Some("bench".into()),
                        approver_name: None,
                        approver_pin: None,
                    },
                );
                match r {
                    Ok(_) => returns += 1,
                    Err(_) => refused += 1,
                }
            }
        }
        // The day's stock work, after closing time.
        db.set_clock(at(date, 660));
        if let Some((b, _, on_hand)) = batch_at(db, 1 + rng.below(max_batch as u64) as i64)? {
            if on_hand >= 1000 {
                match db.execute(
                    session,
                    AdjustStock {
                        batch_id: b,
                        quantity_change: Qty::from(-1),
                        reason: AdjustmentReason::Loss,
                        notes: None,
                        approver_name: None,
                        approver_pin: None,
                    },
                ) {
                    Ok(_) => adjustments += 1,
                    Err(_) => refused += 1,
                }
            }
        }
        if day % 7 == 3 {
            db.set_clock(at(date, 670));
            if let Some((b, _, on_hand)) = batch_at(db, 1 + rng.below(max_batch as u64) as i64)? {
                if on_hand > 0 {
                    match db.execute(
                        session,
                        WriteoffBatch {
                            batch_id: b,
                            reason: AdjustmentReason::Damage,
                            notes: None,
                            approver_name: None,
                            approver_pin: None,
                        },
                    ) {
                        Ok(_) => writeoffs += 1,
                        Err(_) => refused += 1,
                    }
                }
            }
            db.set_clock(at(date, 680));
            if let Some((b, _, on_hand)) = batch_at(db, 1 + rng.below(max_batch as u64) as i64)? {
                if on_hand >= 1000 {
                    match db.execute(
                        session,
                        RecordWaste {
                            session_id: None,
                            batch_id: Some(b),
                            quantity: Qty::from(1),
                            reason: WasteReason::Damaged,
                            practitioner_id: None,
                            appointment_ref: None,
                            notes: None,
                        },
                    ) {
                        Ok(_) => waste += 1,
                        Err(_) => refused += 1,
                    }
                }
            }
        }
        if day % 30 == 15 {
            db.set_clock(at(date, 690));
            let mut lines = Vec::new();
            for _ in 0..20 {
                if let Some((b, p, on_hand)) = batch_at(db, 1 + rng.below(max_batch as u64) as i64)?
                {
                    if on_hand >= 1000 && !lines.iter().any(|l: &CountedBatch| l.batch_id == b) {
                        lines.push(CountedBatch {
                            product_id: p,
                            batch_id: b,
                            counted_qty: Qty::from_scaled(on_hand - 1000),
                        });
                    }
                }
            }
            let n = lines.len() as u64;
            match db.execute(
                session,
                ReconcileInventory {
                    store_id: store,
                    counts_data: lines,
                    user_id: None,
                    notes: Some("bench".into()),
                },
            ) {
                Ok(_) => counted += n,
                Err(_) => refused += 1,
            }
        }
    }
    Ok(serde_json::json!({
        "from": start.to_string(), "days": days, "sales": sales, "returns": returns,
        "adjustments": adjustments, "writeoffs": writeoffs, "waste_records": waste,
        "counted_batches": counted, "refused": refused,
    }))
}

/// Times one shape: a cold call, then `runs` calls.
fn time<O: Operation + Clone>(
    db: &mut Db,
    session: &Session,
    runs: usize,
    op: O,
) -> anyhow::Result<serde_json::Value> {
    let t = Instant::now();
    db.execute(session, op.clone())?;
    let first = t.elapsed().as_nanos();
    let mut lat = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        db.execute(session, op.clone())?;
        lat.push(t.elapsed().as_nanos());
    }
    lat.sort_unstable();
    Ok(serde_json::json!({
        "first_ms": ms(first),
        "p50_ms": ms(lat[(lat.len() - 1) / 2]),
        "max_ms": ms(*lat.last().unwrap_or(&0)),
    }))
}

/// Every report, default and filtered.
fn time_reports(
    db: &mut Db,
    session: &Session,
    a: &ReportsBenchArgs,
    today: NaiveDate,
    products: &[ProductId],
) -> anyhow::Result<serde_json::Value> {
    let mut rng = SplitMix64(a.seed ^ 0x7e_9047);
    let some_product = products[rng.below(products.len() as u64) as usize];
    let three_years = Some(today - Duration::days(365 * a.years));
    let n = a.runs;
    let mut out = serde_json::Map::new();
    let mut put = |k: &str, v: serde_json::Value| {
        out.insert(k.into(), v);
    };
    put(
        "stock_valuation",
        time(db, session, n, GetStockValuation::default())?,
    );
    put(
        "stock_valuation_by_category",
        time(
            db,
            session,
            n,
            GetStockValuation {
                group_by: Some(ValuationGroup::Category),
                ..Default::default()
            },
        )?,
    );
    put(
        "stock_valuation_by_store_all_stock",
        time(
            db,
            session,
            n,
            GetStockValuation {
                group_by: Some(ValuationGroup::Store),
                include_expired: Some(true),
                include_quarantined: Some(true),
                ..Default::default()
            },
        )?,
    );
    put(
        "stock_valuation_by_name_filtered",
        time(
            db,
            session,
            n,
            GetStockValuation {
                query: Some("Product 12".into()),
                sort: Some(ValuationSort::Name),
                ..Default::default()
            },
        )?,
    );
    put(
        "batch_aging",
        time(db, session, n, GetBatchAging::default())?,
    );
    put(
        "batch_aging_filtered_30_days",
        time(
            db,
            session,
            n,
            GetBatchAging {
                query: Some("Product 12".into()),
                slow_days: Some(30),
                ..Default::default()
            },
        )?,
    );
    put(
        "expiry_risk",
        time(db, session, n, GetExpiryRisk::default())?,
    );
    put(
        "expiry_risk_90_days_filtered",
        time(
            db,
            session,
            n,
            GetExpiryRisk {
                horizon_days: Some(90),
                query: Some("Product 12".into()),
                ..Default::default()
            },
        )?,
    );
    put(
        "movement_log",
        time(db, session, n, GetMovementLog::default())?,
    );
    put(
        "movement_log_three_years_adjustments",
        time(
            db,
            session,
            n,
            GetMovementLog {
                from: three_years,
                kind: Some(MovementKind::Adjustment),
                ..Default::default()
            },
        )?,
    );
    put(
        "waste_report",
        time(db, session, n, GetWasteReport::default())?,
    );
    put(
        "waste_report_three_years",
        time(
            db,
            session,
            n,
            GetWasteReport {
                from: three_years,
                ..Default::default()
            },
        )?,
    );
    put(
        "sales_by_day",
        time(db, session, n, GetSalesReport::default())?,
    );
    for (name, group) in [
        ("sales_by_day_three_years", SalesGroup::Day),
        ("sales_by_product_three_years", SalesGroup::Product),
        ("sales_by_category_three_years", SalesGroup::Category),
    ] {
        put(
            name,
            time(
                db,
                session,
                n,
                GetSalesReport {
                    group_by: Some(group),
                    from: three_years,
                    ..Default::default()
                },
            )?,
        );
    }
    put(
        "sales_one_product_three_years",
        time(
            db,
            session,
            n,
            GetSalesReport {
                group_by: Some(SalesGroup::Day),
                from: three_years,
                product_id: Some(some_product),
                ..Default::default()
            },
        )?,
    );
    put(
        "export_sales_by_product_90_days",
        time(
            db,
            session,
            n,
            ExportReportCsv(ReportRequest::SalesReport(GetSalesReport {
                group_by: Some(SalesGroup::Product),
                from: Some(today - Duration::days(89)),
                ..Default::default()
            })),
        )?,
    );
    put(
        "export_stock_valuation_all_products",
        time(
            db,
            session,
            1,
            ExportReportCsv(ReportRequest::StockValuation(GetStockValuation::default())),
        )?,
    );
    Ok(serde_json::Value::Object(out))
}
