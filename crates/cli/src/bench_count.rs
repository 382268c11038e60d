//! `pharmapos bench-count`: a full count of a large store while it sells.
//!
//! Builds a store of `--products` × `--batches-per-product` batches (50,000
//! by default) through `receive_stock`, creates a full count (one line per
//! batch), starts it, records every line through `record_count` (one in
//! `--variance-every` short by one unit), completes and approves it, then
//! posts it while a second connection keeps selling in a thread; then opens
//! the sheet's first and last pages and verifies the ledger. Prints one JSON
//! line with the data size and the timings. Setup is `bench`'s.

use crate::bench::{new_store, remove_db, SplitMix64};
use anyhow::{bail, Context};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use clap::Args;
use pharmapos_engine::catalogue::products::{CreateProduct, ProductFields};
use pharmapos_engine::clock::FixedClock;
use pharmapos_engine::control::counts::lifecycle::{
    ApproveCount, CompleteCount, CreateCount, StartCount,
};
use pharmapos_engine::control::counts::post::PostCount;
use pharmapos_engine::control::counts::record::RecordCount;
use pharmapos_engine::control::counts::{CountType, GetCount};
use pharmapos_engine::ids::{BatchId, ProductId};
use pharmapos_engine::num::{Money, Qty};
use pharmapos_engine::stock::allocate::AllocateStockForSale;
use pharmapos_engine::stock::receive::ReceiveStock;
use pharmapos_engine::{Db, OpenOptions, SyncMode};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// The store's size.
#[derive(Args, Debug)]
pub struct CountBenchArgs {
    /// Products.
    #[arg(long, default_value_t = 500)]
    products: u64,
    /// Batches per product (products × this = the count's lines).
    #[arg(long, default_value_t = 100)]
    batches_per_product: u64,
    /// One line in this many is counted one unit short.
    #[arg(long, default_value_t = 10)]
    variance_every: u64,
    /// Generator seed.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

fn ms(t: Instant) -> f64 {
    (t.elapsed().as_secs_f64() * 10_000.0).round() / 10.0
}

/// Runs it on a new file at `path`.
pub fn run(a: &CountBenchArgs, path: &std::path::Path) -> anyhow::Result<()> {
    if a.products == 0 || a.batches_per_product == 0 || a.variance_every == 0 {
        bail!("--products, --batches-per-product and --variance-every must be at least 1");
    }
    remove_db(path);
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).context("date")?;
    let clock = move || {
        Arc::new(FixedClock(Utc.from_utc_datetime(
            &today.and_hms_opt(12, 0, 0).unwrap_or_default(),
        )))
    };
    let (mut db, session, supplier) = new_store(path, clock())?;
    let mut rng = SplitMix64(a.seed);
    let started = Instant::now();
    let mut products: Vec<ProductId> = Vec::new();
    let mut batches: Vec<BatchId> = Vec::new();
    for i in 1..=a.products {
        let p = db
            .execute(
                &session,
                CreateProduct {
                    sku: format!("SKU-{i:06}"),
                    name: format!("Product {i}"),
                    fields: ProductFields {
                        cost_price: Some(Money::from(10)),
                        selling_price: Some(Money::from(15)),
                        ..ProductFields::default()
                    },
                },
            )?
            .id;
        products.push(p);
        for k in 1..=a.batches_per_product {
            let r = db.execute(
                &session,
                ReceiveStock {
                    product_id: p,
                    store_id: None,
                    batch_number: format!("B{i:06}-{k:03}"),
                    quantity: Qty::from(20 + rng.below(180) as i64),
                    expiry_date: Some(today + Duration::days(30 + rng.below(700) as i64)),
                    manufacture_date: None,
                    serial_number: None,
                    cost_price: None,
                    supplier_id: supplier,
                    reference_number: None,
                    location: None,
                    storage_location_id: None,
                    notes: None,
                },
            )?;
            batches.push(r.batch_id);
        }
    }
    let setup_s = started.elapsed().as_secs_f64();

    let t = Instant::now();
    let count = db.execute(
        &session,
        CreateCount {
            store_id: None,
            count_type: CountType::Full,
            product_ids: None,
            batch_ids: None,
            location: None,
            category_id: None,
            blind: None,
            scheduled_date: None,
            notes: None,
        },
    )?;
    let create_ms = ms(t);
    let t = Instant::now();
    db.execute(&session, StartCount { count_id: count.id })?;
    let start_ms = ms(t);

    // Every line counted through the operation, one transaction each.
    let t = Instant::now();
    let mut page_offset = 0;
    let mut recorded = 0u64;
    loop {
        let sheet = db.execute(
            &session,
            GetCount {
                count_id: count.id,
                lines: None,
                search: None,
                limit: Some(500),
                offset: Some(page_offset),
            },
        )?;
        if sheet.lines.is_empty() {
            break;
        }
        page_offset += sheet.lines.len() as u32;
        for l in sheet.lines {
            let system = l.system_quantity.unwrap_or(Qty::ZERO).to_scaled("q")?;
            recorded += 1;
            let counted = if recorded % a.variance_every == 0 {
                (system - 1000).max(0)
            } else {
                system
            };
            db.execute(
                &session,
                RecordCount {
                    count_id: count.id,
                    line_id: Some(l.id),
                    batch_id: None,
                    code: None,
                    quantity: Some(Qty::from_scaled(counted)),
                    recount: None,
                },
            )?;
        }
    }
    let record_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let done = db.execute(
        &session,
        CompleteCount {
            count_id: count.id,
            uncounted_as_zero: None,
        },
    )?;
    let complete_ms = ms(t);
    if done.needs_approval {
        db.execute(
            &session,
            ApproveCount {
                count_id: count.id,
                notes: None,
            },
        )?;
    }

    // Posting while a second connection sells.
    let stop = Arc::new(AtomicBool::new(false));
    let seller = {
        let stop = stop.clone();
        let path = path.to_path_buf();
        let products = products.clone();
        let seed = a.seed;
        std::thread::spawn(move || -> anyhow::Result<(u64, f64)> {
            let mut db = Db::open_with(
                &path,
                OpenOptions {
                    sync: SyncMode::Normal,
                    clock: clock(),
                },
            )?;
            let mut rng = SplitMix64(seed ^ 0xC0FFEE);
            let (mut sales, mut worst) = (0u64, 0f64);
            while !stop.load(Ordering::Relaxed) {
                let p = products[rng.below(products.len() as u64) as usize];
                let t = Instant::now();
                db.execute(
                    &session,
                    AllocateStockForSale {
                        product_id: p,
                        store_id: None,
                        quantity: Qty::from(1),
                        reference_id: None,
                        allow_partial: Some(true),
                    },
                )?;
                worst = worst.max(ms(t));
                sales += 1;
            }
            Ok((sales, worst))
        })
    };
    // Let the seller get going before the post takes the write lock.
    std::thread::sleep(std::time::Duration::from_millis(200));
    let t = Instant::now();
    let posted = db.execute(&session, PostCount { count_id: count.id })?;
    let post_ms = ms(t);
    std::thread::sleep(std::time::Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    let (sales, worst_sale_ms) = seller
        .join()
        .map_err(|_| anyhow::anyhow!("the selling thread panicked"))??;

    let page = |db: &mut Db, offset: u32| -> anyhow::Result<f64> {
        let t = Instant::now();
        let s = db.execute(
            &session,
            GetCount {
                count_id: count.id,
                lines: None,
                search: None,
                limit: Some(100),
                offset: Some(offset),
            },
        )?;
        if s.lines.is_empty() {
            bail!("an empty page at {offset}");
        }
        Ok(ms(t))
    };
    let first_page_ms = page(&mut db, 0)?;
    let lines = batches.len() as u32;
    let last_page_ms = page(&mut db, lines.saturating_sub(100))?;
    let t = Instant::now();
    let report = db.verify()?;
    let verify_ms = ms(t);
    println!(
        "{}",
        serde_json::json!({
            "impl": "pharmapos",
            "lines": lines,
            "products": a.products,
            "setup_s": (setup_s * 10.0).round() / 10.0,
            "create_count_ms": create_ms,
            "start_count_ms": start_ms,
            "record_per_s": ((recorded as f64 / record_s) * 10.0).round() / 10.0,
            "complete_ms": complete_ms,
            "needs_approval": done.needs_approval,
            "post_ms": post_ms,
            "posted_lines": posted.applied_lines,
            "moved_lines": posted.moved_lines,
            "flagged_lines": posted.flagged.len(),
            "sales_during_post_window": sales,
            "worst_sale_ms": worst_sale_ms,
            "first_page_ms": first_page_ms,
            "last_page_ms": last_page_ms,
            "verify_ok": report.ok,
            "verify_ms": verify_ms,
        })
    );
    if !report.ok {
        bail!("verify found problems: {:?}", report.problems.first());
    }
    Ok(())
}
