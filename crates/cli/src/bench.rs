//! `pharmapos bench`: the shared benchmark workload of `../shared/bench/`,
//! implemented from its definition through the engine's public operations
//! (`receive_stock`, `allocate_stock_for_sale` via `Db::execute`), printing
//! the same JSON line as the baselines with `"impl": "pharmapos"`.
//!
//! One departure the engine forces: `receive_stock` refuses a batch that is
//! already expired, and the workload receives 5 % expired batches. The
//! receive phase therefore runs with the clock at 2024-12-31 (every
//! generated expiry is on or after 2025-01-01), as if the stock had arrived
//! a year earlier; the sales phase runs at 2026-01-01 as defined.

use anyhow::{bail, Context};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use clap::Args;
use pharmapos_engine::catalogue::products::{CreateProduct, ProductFields};
use pharmapos_engine::catalogue::suppliers::{CreateSupplier, SupplierFields};
use pharmapos_engine::clock::FixedClock;
use pharmapos_engine::ids::ProductId;
use pharmapos_engine::num::{Money, Qty};
use pharmapos_engine::setup::{initialize, InitRequest};
use pharmapos_engine::stock::allocate::AllocateStockForSale;
use pharmapos_engine::stock::receive::ReceiveStock;
use pharmapos_engine::{Db, Error, OpenOptions, Session, SyncMode};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// The baselines' arguments.
#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Products.
    #[arg(long, default_value_t = 2000)]
    products: u64,
    /// Batches per product.
    #[arg(long, default_value_t = 20)]
    batches_per_product: u64,
    /// Sales.
    #[arg(long, default_value_t = 20000)]
    sales: u64,
    /// Generator seed.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// FULL or NORMAL.
    #[arg(long, default_value = "FULL")]
    sync: String,
    /// Also time product search (name, SKU, barcode) and print its percentiles.
    #[arg(long)]
    search: bool,
    /// After the workload, also ring up this many till sales of `--till-lines`
    /// scanned lines each (open cart, scan + add per line, complete with
    /// cash) and print the scan-to-line and completion percentiles under
    /// `"till"`. Products then get barcodes, as with `--search`.
    #[arg(long, default_value_t = 0)]
    till_sales: u64,
    /// Lines per till sale.
    #[arg(long, default_value_t = 5)]
    till_lines: u64,
    /// After everything, time `verify` of the whole file (re-hash every
    /// event, replay every batch) and print it under `"verify"`.
    #[arg(long)]
    verify: bool,
    /// After the workload (and `--till-sales`), time the paged lists and the
    /// dashboard the screens open with (`list_products`, `list_batches`,
    /// `get_dashboard`, each in several shapes) and print them under
    /// `"lists"`. Products then get a reorder point (so low stock has
    /// something to count), and 1 in 1,000 batches is quarantined first.
    #[arg(long)]
    lists: bool,
    /// Only the `--lists` timings, on the file `--db` already holds (made
    /// by an earlier `bench --lists` run), without deleting it or running
    /// the workload.
    #[arg(long)]
    lists_only: bool,
}

/// splitmix64, as defined by the workload.
/// The workload's generator (shared with `bench-count` and `bench-clinic`).
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// Nearest-rank percentile of sorted nanoseconds, in microseconds.
fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Deletes a benchmark's database file with its -wal and -shm.
pub(crate) fn remove_db(db_path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db_path.to_path_buf().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// A new benchmark store on `db_path` (at NORMAL sync, for setup speed):
/// "Store 1" in UTC, its admin `bench` (no PIN) and one supplier.
pub(crate) fn new_store(
    db_path: &std::path::Path,
    clock: Arc<FixedClock>,
) -> anyhow::Result<(Db, Session, pharmapos_engine::ids::SupplierId)> {
    let mut db = Db::open_with(
        db_path,
        OpenOptions {
            sync: SyncMode::Normal,
            clock,
        },
    )?;
    let init = initialize(
        &mut db,
        InitRequest {
            store_name: "Store 1".into(),
            store_code: Some("S1".into()),
            timezone: Some("UTC".into()),
            currency: None,
            locale: None,
            admin_name: "bench".into(),
            admin_pin: None,
        },
    )?;
    let session = Session {
        user_id: init.user_id,
    };
    let supplier = db
        .execute(
            &session,
            CreateSupplier {
                name: "Supplier 1".into(),
                fields: SupplierFields::default(),
            },
        )?
        .id;
    Ok((db, session, supplier))
}

/// Runs the workload on `db_path` (the global `--db`; deleted first, with its -wal and -shm).
pub fn run(a: &BenchArgs, db_path: &std::path::Path) -> anyhow::Result<()> {
    let sync = match a.sync.to_ascii_uppercase().as_str() {
        "FULL" => SyncMode::Full,
        "NORMAL" => SyncMode::Normal,
        other => bail!("--sync must be FULL or NORMAL, not {other}"),
    };
    if a.products == 0 || a.batches_per_product == 0 {
        bail!("--products and --batches-per-product must be at least 1");
    }
    if a.lists_only {
        let mut db = Db::open_with(
            db_path,
            OpenOptions {
                sync,
                clock: Arc::new(FixedClock(
                    Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0)
                        .single()
                        .context("time")?,
                )),
            },
        )?;
        let session = pharmapos_engine::auth::session_for_name(&db, "bench")?;
        let out = serde_json::json!({"impl": "pharmapos", "products": a.products,
            "batches": a.products * a.batches_per_product, "lists": lists_bench(&mut db, &session, a)?});
        println!("{out}");
        return Ok(());
    }
    remove_db(db_path);
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).context("date")?;
    let at = |d: NaiveDate| {
        Arc::new(FixedClock(
            Utc.from_utc_datetime(&d.and_hms_opt(12, 0, 0).unwrap_or_default()),
        ))
    };

    // Setup (untimed): store, admin, supplier, products, at NORMAL for speed.
    let (session, supplier, products) = {
        let (mut db, session, supplier) = new_store(db_path, at(today))?;
        let mut products: Vec<ProductId> = Vec::with_capacity(a.products as usize);
        for i in 1..=a.products {
            let fields = ProductFields {
                cost_price: Some(Money::from(10)),
                selling_price: Some(Money::from(15)),
                thresholds: a
                    .lists
                    .then(|| pharmapos_engine::catalogue::products::Thresholds {
                        reorder_point: Some(Qty::from(50)),
                        ..Default::default()
                    }),
                barcodes: (a.search || a.till_sales > 0)
                    .then(|| vec![format!("{:013}", 6_000_000_000_000u64 + i)]),
                ..ProductFields::default()
            };
            let p = db.execute(
                &session,
                CreateProduct {
                    sku: format!("SKU-{i:06}"),
                    name: format!("Product {i}"),
                    fields,
                },
            )?;
            products.push(p.id);
        }
        (session, supplier, products)
    };

    let mut db = Db::open_with(
        db_path,
        OpenOptions {
            sync,
            clock: at(today - Duration::days(366)),
        },
    )?;
    let mut rng = SplitMix64(a.seed);
    let mut units_received: i64 = 0;
    let started = Instant::now();
    for (idx, product_id) in products.iter().enumerate() {
        let pid = idx as u64 + 1;
        for k in 1..=a.batches_per_product {
            let r = rng.below(100);
            let d = rng.below(730) as i64;
            let q = rng.below(181) as i64;
            let offset = if r < 5 { -(1 + d % 365) } else { d };
            let quantity = 20 + q;
            units_received += quantity;
            db.execute(
                &session,
                ReceiveStock {
                    product_id: *product_id,
                    store_id: None,
                    batch_number: format!("B{pid:06}-{k:03}"),
                    quantity: Qty::from(quantity),
                    expiry_date: Some(today + Duration::days(offset)),
                    manufacture_date: None,
                    serial_number: None,
                    cost_price: Some(Money::from(10)),
                    supplier_id: supplier,
                    reference_number: Some(format!("PO-{pid:06}-{k:03}")),
                    location: None,
                    storage_location_id: None,
                    notes: None,
                },
            )?;
        }
    }
    let receive_secs = started.elapsed().as_secs_f64();

    db.set_clock(at(today));
    let started = Instant::now();
    let (mut lat, units_allocated, shortages) =
        sell(&mut db, &session, &products, &mut rng, a.sales)?;
    let sales_secs = started.elapsed().as_secs_f64();
    lat.sort_unstable();

    // Checks straight on the file, independent of the engine's code paths.
    let conn = rusqlite::Connection::open(db_path)?;
    let (on_hand_milli, negatives, batches): (i64, i64, i64) = conn.query_row(
        "SELECT COALESCE(SUM(on_hand_milli), 0), COALESCE(SUM(on_hand_milli < 0), 0), COUNT(*) FROM batches",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let audit_allocated_milli: i64 = conn.query_row(
        "SELECT COALESCE(SUM(previous_milli - new_milli), 0) FROM inventory_audit WHERE change_type = 'allocated'",
        [],
        |r| r.get(0),
    )?;
    let allocated_milli = units_allocated.to_scaled("units")?;
    let conserved = units_received * 1000 - allocated_milli == on_hand_milli
        && negatives == 0
        && batches as u64 == a.products * a.batches_per_product;
    let sqlite_version: String = conn.query_row("SELECT sqlite_version()", [], |r| r.get(0))?;

    let mut out = serde_json::json!({
        "impl": "pharmapos",
        "products": a.products,
        "batches": a.products * a.batches_per_product,
        "sales": a.sales,
        "receive_per_s": round1((a.products * a.batches_per_product) as f64 / receive_secs),
        "sales_per_s": round1(a.sales as f64 / sales_secs),
        "sale_p50_us": round1(percentile(&lat, 50.0)),
        "sale_p99_us": round1(percentile(&lat, 99.0)),
        "sale_max_us": round1(lat.last().copied().unwrap_or(0) as f64 / 1000.0),
        "units_allocated": if allocated_milli % 1000 == 0 { serde_json::json!(allocated_milli / 1000) } else { serde_json::json!(units_allocated.0.to_string()) },
        "shortages": shortages,
        "check_units_conserved": conserved,
        "units_received": units_received,
        "audit_allocated_matches": audit_allocated_milli == allocated_milli,
        "seed": a.seed,
        "sync": a.sync.to_ascii_uppercase(),
        "begin": "immediate",
        "sqlite_version": sqlite_version,
        "rusqlite": "0.41",
    });
    if a.till_sales > 0 {
        out["till"] = till_bench(&mut db, &session, a)?;
    }
    if a.search {
        out["search"] = search_bench(&mut db, &session, a.products, a.seed)?;
    }
    if a.lists {
        out["lists"] = lists_bench(&mut db, &session, a)?;
    }
    if a.verify {
        let t = std::time::Instant::now();
        let report = db.verify()?;
        let secs = t.elapsed().as_secs_f64();
        if !report.ok {
            bail!("verify found problems: {:?}", report.problems.first());
        }
        out["verify"] = serde_json::json!({
            "events": report.events_checked,
            "batches": report.batches_checked,
            "ms": round1(secs * 1000.0),
            "events_per_s": round1(report.events_checked as f64 / secs),
        });
    }
    println!("{out}");
    if !conserved {
        bail!("conservation check failed");
    }
    Ok(())
}

/// The timed sales phase, its own function so that a profiler can collect
/// just this part (`valgrind --tool=callgrind --toggle-collect='*bench::sell*'`).
#[inline(never)]
fn sell(
    db: &mut Db,
    session: &Session,
    products: &[ProductId],
    rng: &mut SplitMix64,
    sales: u64,
) -> anyhow::Result<(Vec<u64>, Qty, u64)> {
    let mut lat: Vec<u64> = Vec::with_capacity(sales as usize);
    let mut units_allocated = Qty::ZERO;
    let mut shortages = 0u64;
    for s in 1..=sales {
        let product_id = products[rng.below(products.len() as u64) as usize];
        let quantity = 1 + rng.below(5) as i64;
        let t = Instant::now();
        let res = db.execute(
            session,
            AllocateStockForSale {
                product_id,
                store_id: None,
                quantity: Qty::from(quantity),
                reference_id: Some(format!("SALE-{s:08}")),
                allow_partial: None,
            },
        )?;
        lat.push(t.elapsed().as_nanos() as u64);
        units_allocated = units_allocated + res.allocated_quantity;
        if res.partial {
            shortages += 1;
        }
    }
    Ok((lat, units_allocated, shortages))
}

/// The till at scale: `till_sales` sales of `till_lines` scanned packs each,
/// through the same operations the till screen calls. "Scan to line" is
/// `scan_barcode` then `add_cart_line` (which returns the priced cart the
/// screen shows); "complete" is `complete_sale` with exact cash, the one
/// transaction that allocates FEFO, records the sale and writes the ledger.
fn till_bench(db: &mut Db, session: &Session, a: &BenchArgs) -> anyhow::Result<serde_json::Value> {
    use pharmapos_engine::ids::SaleId;
    use pharmapos_engine::sales::cart::{AddCartLine, OpenCart};
    use pharmapos_engine::sales::complete::{CompleteSale, PaymentInput};
    use pharmapos_engine::sales::scan::ScanBarcode;
    use pharmapos_engine::sales::shifts::OpenShift;
    let terminal = "BENCH-1".to_string();
    db.execute(
        session,
        OpenShift {
            terminal_id: terminal.clone(),
            opening_float: Money::from(100),
            store_id: None,
        },
    )?;
    let mut rng = SplitMix64(a.seed ^ 0x7111);
    let (mut scan, mut complete) = (Vec::new(), Vec::new());
    for _ in 0..a.till_sales {
        let cart = db.execute(
            session,
            OpenCart {
                terminal_id: terminal.clone(),
                store_id: None,
            },
        )?;
        let mut total = Money::from(0);
        for _ in 0..a.till_lines {
            let i = 1 + rng.below(a.products);
            let t = Instant::now();
            let hit = db.execute(
                session,
                ScanBarcode {
                    code: format!("{:013}", 6_000_000_000_000u64 + i),
                    store_id: None,
                },
            )?;
            let view = db.execute(
                session,
                AddCartLine {
                    cart_id: cart.cart_id,
                    product_id: hit.product.id,
                    quantity: Some(hit.quantity),
                    batch_id: None,
                    prescription_reference: None,
                },
            )?;
            scan.push(t.elapsed().as_nanos() as u64);
            total = view.totals.total;
        }
        let t = Instant::now();
        db.execute(
            session,
            CompleteSale {
                sale_id: SaleId::new(),
                cart_id: cart.cart_id,
                payments: vec![PaymentInput {
                    tender: "cash".into(),
                    amount: total,
                    reference: None,
                }],
            },
        )?;
        complete.push(t.elapsed().as_nanos() as u64);
    }
    scan.sort_unstable();
    complete.sort_unstable();
    let stats = |v: &[u64]| {
        serde_json::json!({"n": v.len(), "p50_us": round1(percentile(v, 50.0)), "p99_us": round1(percentile(v, 99.0)),
                           "max_us": round1(v.last().copied().unwrap_or(0) as f64 / 1000.0)})
    };
    Ok(
        serde_json::json!({"lines_per_sale": a.till_lines, "scan_to_line": stats(&scan), "complete_sale": stats(&complete)}),
    )
}

/// Times `search_products` by name word, SKU and barcode (1000 queries each).
fn search_bench(
    db: &mut Db,
    session: &Session,
    products: u64,
    seed: u64,
) -> anyhow::Result<serde_json::Value> {
    use pharmapos_engine::catalogue::products::SearchProducts;
    let mut rng = SplitMix64(seed ^ 0x5EA7C4);
    let mut out = serde_json::Map::new();
    for kind in ["name", "sku", "barcode"] {
        let mut lat = Vec::with_capacity(1000);
        for _ in 0..1000 {
            let i = 1 + rng.below(products);
            let query = match kind {
                "name" => format!("Product {i}"),
                "sku" => format!("SKU-{i:06}"),
                _ => format!("{:013}", 6_000_000_000_000u64 + i),
            };
            let t = Instant::now();
            let hits = db.execute(
                session,
                SearchProducts {
                    query: Some(query),
                    store_id: None,
                    limit: Some(10),
                    include_deleted: None,
                },
            )?;
            lat.push(t.elapsed().as_nanos() as u64);
            if hits.is_empty() {
                bail!("search by {kind} found nothing");
            }
        }
        lat.sort_unstable();
        out.insert(
            kind.into(),
            serde_json::json!({"p50_us": round1(percentile(&lat, 50.0)), "p99_us": round1(percentile(&lat, 99.0))}),
        );
    }
    Ok(serde_json::Value::Object(out))
}

/// Times the screens' paged lists and the dashboard at scale: each shape 20
/// times (after one untimed call), as the UI sends it (first page of 100).
/// Text filters name a random product (`"Product 4217"`), the way a person
/// narrows the list; "expiring" is what the dashboard's 30-day figure links
/// to (available batches expiring from today to today + 30).
fn lists_bench(db: &mut Db, session: &Session, a: &BenchArgs) -> anyhow::Result<serde_json::Value> {
    use pharmapos_engine::catalogue::product_list::{ListProducts, ProductSort};
    use pharmapos_engine::reports::dashboard::GetDashboard;
    use pharmapos_engine::stock::batch_list::{BatchSort, ListBatches};
    use pharmapos_engine::stock::status::SetBatchStatus;
    use pharmapos_engine::stock::BatchStatus;

    // Quarantine 1 in 1,000 batches (untimed), found by batch number
    // through the list itself.
    let mut rng = SplitMix64(a.seed ^ 0x115757);
    let mut quarantined = 0u64;
    for _ in 0..(a.products * a.batches_per_product / 1000).max(1) {
        let pid = 1 + rng.below(a.products);
        let k = 1 + rng.below(a.batches_per_product);
        let page = db.execute(
            session,
            ListBatches {
                query: Some(format!("B{pid:06}-{k:03}")),
                limit: Some(1),
                ..Default::default()
            },
        )?;
        if let Some(row) = page.rows.first() {
            if row.batch.status == BatchStatus::Available {
                db.execute(
                    session,
                    SetBatchStatus {
                        batch_id: row.batch.batch_id,
                        status: BatchStatus::Quarantine,
                        reason: Some("bench".into()),
                        recall_class: None,
                    },
                )?;
                quarantined += 1;
            }
        }
    }
    eprintln!("quarantined {quarantined} batches (untimed)");
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).context("date")?;
    let mut out = serde_json::Map::new();
    let mut time = |name: &str,
                    db: &mut Db,
                    f: &mut dyn FnMut(&mut Db) -> anyhow::Result<i64>|
     -> anyhow::Result<()> {
        let mut lat = Vec::with_capacity(20);
        let mut total = f(db)?;
        for _ in 0..20 {
            let t = Instant::now();
            total = f(db)?;
            lat.push(t.elapsed().as_nanos() as u64);
        }
        lat.sort_unstable();
        let ms = |p: f64| round1(percentile(&lat, p) / 1000.0);
        let figures = serde_json::json!({"p50_ms": ms(50.0), "p99_ms": ms(99.0), "max_ms": round1(lat.last().copied().unwrap_or(0) as f64 / 1e6), "total": total});
        // Each step as it ends: a slow one shows itself while the run goes on.
        eprintln!("{name}: {figures}");
        out.insert(name.into(), figures);
        Ok(())
    };
    let products = a.products;
    let mut name_rng = SplitMix64(a.seed ^ 0x1157);
    let mut product_name = move || format!("Product {}", 1 + name_rng.below(products));
    time("products_first_page", db, &mut |db| {
        Ok(db.execute(session, ListProducts::default())?.total)
    })?;
    time("products_text_filter", db, &mut |db| {
        let query = Some(product_name());
        Ok(db
            .execute(
                session,
                ListProducts {
                    query,
                    ..Default::default()
                },
            )?
            .total)
    })?;
    time("products_by_on_hand", db, &mut |db| {
        let sort = Some(ProductSort::OnHand);
        Ok(db
            .execute(
                session,
                ListProducts {
                    sort,
                    descending: Some(true),
                    ..Default::default()
                },
            )?
            .total)
    })?;
    time("batches_first_page", db, &mut |db| {
        Ok(db.execute(session, ListBatches::default())?.total)
    })?;
    time("batches_text_filter", db, &mut |db| {
        let query = Some(product_name());
        Ok(db
            .execute(
                session,
                ListBatches {
                    query,
                    ..Default::default()
                },
            )?
            .total)
    })?;
    time("batches_quarantined", db, &mut |db| {
        let status = Some(BatchStatus::Quarantine);
        Ok(db
            .execute(
                session,
                ListBatches {
                    status,
                    ..Default::default()
                },
            )?
            .total)
    })?;
    time("batches_expiring_30_days", db, &mut |db| {
        Ok(db
            .execute(
                session,
                ListBatches {
                    status: Some(BatchStatus::Available),
                    expiring_from: Some(today),
                    expiring_before: Some(today + Duration::days(30)),
                    ..Default::default()
                },
            )?
            .total)
    })?;
    time("batches_by_value", db, &mut |db| {
        let sort = Some(BatchSort::Value);
        Ok(db
            .execute(
                session,
                ListBatches {
                    sort,
                    descending: Some(true),
                    ..Default::default()
                },
            )?
            .total)
    })?;
    time("dashboard", db, &mut |db| {
        let d = db.execute(session, GetDashboard::default())?;
        Ok(d.low_stock)
    })?;
    // The shell's alert sweeps: the full one (sign-in, every two minutes)
    // and the one a second after each change, here after one sale of one
    // unit of a random product (the sale untimed). Totals: open alerts.
    use pharmapos_engine::alerts::sweep::RunAlertSweep;
    time("alert_sweep_full", db, &mut |db| {
        let r = db.execute(session, RunAlertSweep::default())?;
        Ok(i64::from(r.open.critical + r.open.warning + r.open.info))
    })?;
    let mut sale_rng = SplitMix64(a.seed ^ 0xa1e7);
    let mut lat = Vec::with_capacity(20);
    let mut open = 0;
    for _ in 0..21 {
        let hit = db.execute(
            session,
            ListProducts {
                query: Some(format!("Product {}", 1 + sale_rng.below(a.products))),
                limit: Some(1),
                ..Default::default()
            },
        )?;
        let Some(pid) = hit.rows.first().map(|r| r.id) else {
            anyhow::bail!("no product to sell in the alert sweep bench");
        };
        // Out of stock is a fine outcome: the sweep then has an alert to raise.
        let sold = db.execute(
            session,
            pharmapos_engine::stock::allocate::AllocateStockForSale {
                product_id: pid,
                store_id: None,
                quantity: "1".parse()?,
                reference_id: None,
                allow_partial: Some(true),
            },
        );
        match sold {
            Ok(_) | Err(Error::InsufficientStock { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        let t = Instant::now();
        let r = db.execute(
            session,
            RunAlertSweep {
                store_id: None,
                changed_only: Some(true),
            },
        )?;
        lat.push(t.elapsed().as_nanos() as u64);
        open = i64::from(r.open.critical + r.open.warning + r.open.info);
    }
    lat.remove(0);
    lat.sort_unstable();
    eprintln!(
        "alert_sweep_after_a_sale: p50 {} ms, open alerts {open}",
        round1(percentile(&lat, 50.0) / 1000.0)
    );
    out.insert(
        "alert_sweep_after_a_sale".into(),
        serde_json::json!({"p50_ms": round1(percentile(&lat, 50.0) / 1000.0), "p99_ms": round1(percentile(&lat, 99.0) / 1000.0), "max_ms": round1(lat.last().copied().unwrap_or(0) as f64 / 1e6), "total": open}),
    );
    out.insert("quarantined".into(), serde_json::json!(quarantined));
    Ok(serde_json::Value::Object(out))
}
