//! `pharmapos bench-import`: onboarding a large store from CSV.
//!
//! Writes a catalogue of `--products` rows (100,000 by default: SKU, name,
//! category among 50, a barcode, unit, prices, tax, reorder point) and an
//! opening stock of `--batches` rows (1,000,000 by default: SKU, batch,
//! expiry, quantity, unit cost, supplier) into files beside the database,
//! then times `preview_import` and `run_import` (through
//! `run_import_with_progress`, counting its reports) for each on a new
//! store, and prints one JSON line with the sizes and timings. Setup is
//! `bench`'s (a new file at NORMAL sync; the import is one transaction, so
//! it syncs once at commit either way).

use crate::bench::{new_store, remove_db};
use anyhow::{bail, Context};
use chrono::{NaiveDate, TimeZone, Utc};
use clap::Args;
use pharmapos_engine::clock::FixedClock;
use pharmapos_engine::onboarding::{
    preview_import_with_progress, run_import_with_progress, ImportKind, PreviewImport, RunImport,
};
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

/// The files' sizes.
#[derive(Args, Debug)]
pub struct ImportBenchArgs {
    /// Catalogue rows.
    #[arg(long, default_value_t = 100_000)]
    products: u64,
    /// Opening stock rows (batches), spread over the products.
    #[arg(long, default_value_t = 1_000_000)]
    batches: u64,
    /// Also time `verify` after the imports (re-hashes the whole record).
    #[arg(long)]
    verify: bool,
}

fn secs(t: Instant) -> f64 {
    (t.elapsed().as_secs_f64() * 1000.0).round() / 1000.0
}

fn write_files(
    a: &ImportBenchArgs,
    dir: &std::path::Path,
) -> anyhow::Result<(String, String, u64, u64)> {
    let products = dir.join("bench-import-products.csv");
    let stock = dir.join("bench-import-stock.csv");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&products)?);
    writeln!(
        w,
        "sku,name,category,barcodes,unit,cost_price,selling_price,tax_rate,reorder_point"
    )?;
    for i in 0..a.products {
        writeln!(
            w,
            "SKU-{i:07},Product {i} 500mg tablets,Category {},{},tablet,{}.{:02},{}.50,7.5,{}",
            i % 50,
            6_150_000_000_000u64 + i,
            1 + i % 90,
            i % 100,
            2 + i % 150,
            10 + i % 40
        )?;
    }
    w.flush()?;
    let mut w = std::io::BufWriter::new(std::fs::File::create(&stock)?);
    writeln!(
        w,
        "sku,batch_number,expiry_date,quantity,cost_price,supplier"
    )?;
    for i in 0..a.batches {
        let p = i % a.products;
        writeln!(
            w,
            "SKU-{p:07},LOT-{i:08},{}-{:02}-{:02},{},{}.25,Supplier 1",
            2027 + i % 3,
            1 + i % 12,
            1 + i % 28,
            1 + i % 500,
            1 + i % 90
        )?;
    }
    w.flush()?;
    let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let (ps, ss) = (size(&products), size(&stock));
    Ok((
        products.display().to_string(),
        stock.display().to_string(),
        ps,
        ss,
    ))
}

/// Runs it on a new file at `path` (the CSV files go beside it).
pub fn run(a: &ImportBenchArgs, path: &std::path::Path) -> anyhow::Result<()> {
    if a.products == 0 || a.batches == 0 {
        bail!("--products and --batches must be at least 1");
    }
    remove_db(path);
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| std::path::Path::new("."));
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).context("date")?;
    let clock = Arc::new(FixedClock(
        Utc.from_utc_datetime(&today.and_hms_opt(12, 0, 0).unwrap_or_default()),
    ));
    let t = Instant::now();
    let (products_csv, stock_csv, products_bytes, stock_bytes) = write_files(a, dir)?;
    let generate_s = secs(t);
    let (mut db, session, _supplier) = new_store(path, clock)?;
    let req = |kind, path: &str| RunImport {
        kind,
        csv: None,
        path: Some(path.to_string()),
        mapping: None,
        store_id: None,
    };
    let mut reports = 0u64;
    let mut count = |_: pharmapos_engine::onboarding::ImportProgress| reports += 1;

    let t = Instant::now();
    let p = preview_import_with_progress(
        &mut db,
        &session,
        PreviewImport::from(req(ImportKind::Products, &products_csv)),
        &mut count,
    )?;
    let products_preview_s = secs(t);
    if p.error_count > 0 {
        bail!("the generated catalogue has errors: {:?}", p.errors.first());
    }
    let t = Instant::now();
    let out = run_import_with_progress(
        &mut db,
        &session,
        req(ImportKind::Products, &products_csv),
        &mut count,
    )?;
    let products_run_s = secs(t);

    let t = Instant::now();
    let p = preview_import_with_progress(
        &mut db,
        &session,
        PreviewImport::from(req(ImportKind::OpeningStock, &stock_csv)),
        &mut count,
    )?;
    let stock_preview_s = secs(t);
    if p.error_count > 0 {
        bail!("the generated stock has errors: {:?}", p.errors.first());
    }
    let t = Instant::now();
    let stock = run_import_with_progress(
        &mut db,
        &session,
        req(ImportKind::OpeningStock, &stock_csv),
        &mut count,
    )?;
    let stock_run_s = secs(t);

    let verify_s = if a.verify {
        let t = Instant::now();
        let r = db.verify()?;
        if !r.ok {
            bail!("verify found problems: {:?}", r.problems.first());
        }
        Some(secs(t))
    } else {
        None
    };
    let db_bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    drop(db);
    for f in [&products_csv, &stock_csv] {
        let _ = std::fs::remove_file(f);
    }
    println!(
        "{}",
        serde_json::json!({
            "benchmark": "import",
            "build": if cfg!(debug_assertions) { "debug" } else { "release" },
            "products_rows": a.products,
            "products_csv_bytes": products_bytes,
            "stock_rows": a.batches,
            "stock_csv_bytes": stock_bytes,
            "generate_files_s": generate_s,
            "products_preview_s": products_preview_s,
            "products_run_s": products_run_s,
            "products_created": out.created.products,
            "categories_created": out.created.categories,
            "stock_preview_s": stock_preview_s,
            "stock_run_s": stock_run_s,
            "batches_created": stock.created.batches,
            "progress_reports": reports,
            "verify_s": verify_s,
            "db_bytes": db_bytes,
        })
    );
    Ok(())
}
