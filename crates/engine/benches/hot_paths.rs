//! Criterion benchmarks of the engine's hot paths, run through the public
//! operations exactly as the CLI and the desktop shell run them (one
//! `Db::execute` = one SQLite transaction with its audit events).
//!
//! Each group gets its own temp-file database opened with
//! `SyncMode::Normal` (WAL, no fsync per commit) and a fixed clock, so the
//! figures measure the engine and SQLite, not the disk's flush latency, and
//! expiry rules see the same "today" on every run.
//!
//! Run: `cargo bench -p pharmapos-engine --bench hot_paths`
//! (one group: append e.g. `-- search_products`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate, Utc};
use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use pharmapos_engine::audit::Verify;
use pharmapos_engine::catalogue::products::SearchProducts;
use pharmapos_engine::catalogue::products::{CreateProduct, ProductCategory, ProductFields};
use pharmapos_engine::catalogue::suppliers::{CreateSupplier, SupplierFields};
use pharmapos_engine::clock::FixedClock;
use pharmapos_engine::ids::{BatchId, ProductId, SupplierId};
use pharmapos_engine::num::Qty;
use pharmapos_engine::setup::{initialize, InitRequest};
use pharmapos_engine::stock::allocate::AllocateStockForSale;
use pharmapos_engine::stock::receive::ReceiveStock;
use pharmapos_engine::stock::status::SetBatchStatus;
use pharmapos_engine::stock::BatchStatus;
use pharmapos_engine::{Db, OpenOptions, Session, SyncMode};
use std::sync::Arc;
use std::time::Duration;

/// "Now" for every fixture: 2026-01-15 09:00 UTC (10:00 in Lagos).
fn now() -> DateTime<Utc> {
    "2026-01-15T09:00:00Z".parse().unwrap()
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn qty(s: &str) -> Qty {
    s.parse().unwrap()
}

/// One benchmark's world. The temp dir is kept alive as long as the db.
struct Fixture {
    db: Db,
    admin: Session,
    supplier: SupplierId,
    _dir: tempfile::TempDir,
}

impl Fixture {
    /// A fresh store database (Africa/Lagos) with an admin and one supplier.
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open_with(
            &dir.path().join("bench.db"),
            OpenOptions {
                sync: SyncMode::Normal,
                clock: Arc::new(FixedClock(now())),
            },
        )
        .unwrap();
        let init = initialize(
            &mut db,
            InitRequest {
                store_name: "Bench Pharmacy".into(),
                store_code: Some("BENCH".into()),
                timezone: Some("Africa/Lagos".into()),
                currency: None,
                locale: None,
                admin_name: "admin".into(),
                admin_pin: None,
            },
        )
        .unwrap();
        let admin = Session {
            user_id: init.user_id,
        };
        let supplier = db
            .execute(
                &admin,
                CreateSupplier {
                    name: "Emzor Distribution".into(),
                    fields: SupplierFields::default(),
                },
            )
            .unwrap()
            .id;
        Fixture {
            db,
            admin,
            supplier,
            _dir: dir,
        }
    }

    fn product(&mut self, sku: &str, name: &str, fields: ProductFields) -> ProductId {
        self.db
            .execute(
                &self.admin,
                CreateProduct {
                    sku: sku.into(),
                    name: name.into(),
                    fields,
                },
            )
            .unwrap()
            .id
    }

    fn receive(&mut self, product: ProductId, batch: &str, quantity: Qty, expiry: &str) -> BatchId {
        self.db
            .execute(
                &self.admin,
                receive_request(product, self.supplier, batch, quantity, expiry),
            )
            .unwrap()
            .batch_id
    }
}

fn receive_request(
    product_id: ProductId,
    supplier_id: SupplierId,
    batch_number: &str,
    quantity: Qty,
    expiry: &str,
) -> ReceiveStock {
    ReceiveStock {
        product_id,
        store_id: None,
        batch_number: batch_number.into(),
        quantity,
        expiry_date: Some(date(expiry)),
        manufacture_date: None,
        serial_number: None,
        cost_price: None,
        supplier_id,
        reference_number: None,
        location: None,
        storage_location_id: None,
        notes: None,
    }
}

fn tablets(cost: i64) -> ProductFields {
    ProductFields {
        category: Some(ProductCategory::Medicine),
        unit: Some("tablet".into()),
        cost_price: Some(cost.into()),
        selling_price: Some((cost * 2).into()),
        ..ProductFields::default()
    }
}

fn neurotoxin() -> ProductFields {
    ProductFields {
        category: Some(ProductCategory::Neurotoxin),
        unit: Some("unit".into()),
        allow_fractional: Some(true),
        cost_price: Some(900.into()),
        selling_price: Some(2500.into()),
        ..ProductFields::default()
    }
}

fn tuned<'a>(
    c: &'a mut Criterion,
    name: &str,
) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g
}

/// FEFO allocation. The tablets have a quarantined batch at the nearest
/// expiry (passed over and reported on every sale), then two large batches,
/// so allocation never runs out: at most ~10^5 iterations × 2 tablets are
/// taken from 10^7 on the first sellable batch.
fn allocate_stock_for_sale(c: &mut Criterion) {
    let mut fx = Fixture::new();
    let para = fx.product("PARA-500", "Paracetamol 500mg tablets", tablets(20));
    let q = fx.receive(para, "PQ-01", qty("100"), "2026-03-31");
    fx.db
        .execute(
            &fx.admin,
            SetBatchStatus {
                batch_id: q,
                status: BatchStatus::Quarantine,
                reason: Some("temperature excursion".into()),
                recall_class: None,
            },
        )
        .unwrap();
    fx.receive(para, "P-2606", qty("10000000"), "2026-06-30");
    fx.receive(para, "P-2712", qty("10000000"), "2027-12-31");
    let botox = fx.product("BTX-100", "Neurotoxin 100U vial", neurotoxin());
    fx.receive(botox, "BTX-A1", qty("10000000"), "2026-09-30");
    fx.receive(botox, "BTX-A2", qty("10000000"), "2027-03-31");

    let mut g = tuned(c, "allocate_stock_for_sale");
    let admin = fx.admin;
    g.bench_function("tablets_2_fefo_skip_quarantined", |b| {
        b.iter(|| {
            let r = fx
                .db
                .execute(
                    &admin,
                    AllocateStockForSale {
                        product_id: para,
                        store_id: None,
                        quantity: Qty::from(2),
                        reference_id: None,
                        allow_partial: Some(false),
                    },
                )
                .unwrap();
            black_box(r)
        })
    });
    let dose = qty("12.5");
    g.bench_function("neurotoxin_12_5_units", |b| {
        b.iter(|| {
            let r = fx
                .db
                .execute(
                    &admin,
                    AllocateStockForSale {
                        product_id: botox,
                        store_id: None,
                        quantity: dose,
                        reference_id: None,
                        allow_partial: Some(false),
                    },
                )
                .unwrap();
            black_box(r)
        })
    });
    g.finish();
}

/// Receiving: a new batch per delivery, and a top-up of an existing batch
/// (same number and expiry: weighted cost, same row).
fn receive_stock(c: &mut Criterion) {
    let mut fx = Fixture::new();
    let amox = fx.product("AMOX-250", "Amoxicillin 250mg capsules", tablets(45));
    let admin = fx.admin;
    let supplier = fx.supplier;
    let mut g = tuned(c, "receive_stock");
    let mut n = 0u64;
    g.bench_function("new_batch", |b| {
        b.iter_batched(
            || {
                n += 1;
                receive_request(
                    amox,
                    supplier,
                    &format!("AMX-{n:07}"),
                    qty("100"),
                    "2027-06-30",
                )
            },
            |req| black_box(fx.db.execute(&admin, req).unwrap()),
            BatchSize::SmallInput,
        )
    });
    let ibu = fx.product("IBU-400", "Ibuprofen 400mg tablets", tablets(30));
    fx.receive(ibu, "IBU-TOPUP", qty("10"), "2027-06-30");
    g.bench_function("top_up_existing_batch", |b| {
        b.iter_batched(
            || receive_request(ibu, supplier, "IBU-TOPUP", qty("10"), "2027-06-30"),
            |req| black_box(fx.db.execute(&admin, req).unwrap()),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

/// Search over a 2,000-product catalogue, every product with a barcode and
/// a batch in stock (so each hit also computes available and nearest expiry).
fn search_products(c: &mut Criterion) {
    const PRODUCTS: usize = 2000;
    const FORMS: [&str; 8] = [
        "tablets",
        "capsules",
        "syrup",
        "suspension",
        "cream",
        "injection",
        "drops",
        "gel",
    ];
    const NAMES: [&str; 10] = [
        "Paracetamol",
        "Amoxicillin",
        "Ibuprofen",
        "Metformin",
        "Artemether",
        "Ciprofloxacin",
        "Omeprazole",
        "Lisinopril",
        "Vitamin C",
        "Loratadine",
    ];
    let mut fx = Fixture::new();
    for i in 0..PRODUCTS {
        let name = format!(
            "{} {}mg {} #{i}",
            NAMES[i % NAMES.len()],
            50 * (1 + i % 20),
            FORMS[i % FORMS.len()]
        );
        let fields = ProductFields {
            barcodes: Some(vec![format!("6150000{i:06}")]),
            generic_name: Some(NAMES[i % NAMES.len()].to_lowercase()),
            ..tablets(10 + (i as i64 % 90))
        };
        let id = fx.product(&format!("SKU-{i:05}"), &name, fields);
        fx.receive(id, &format!("L{i:05}"), Qty::from(100), "2026-12-31");
    }
    let admin = fx.admin;
    let mut g = tuned(c, "search_products");
    for (label, query) in [
        ("exact_barcode", "6150000001234"),
        ("exact_sku", "SKU-01234"),
        ("name_prefix_25_hits", "parac"),
        ("two_words", "amoxi caps"),
        ("no_match", "zzzzzz"),
    ] {
        g.bench_function(label, |b| {
            b.iter(|| {
                let hits = fx
                    .db
                    .execute(
                        &admin,
                        SearchProducts {
                            query: Some(query.to_string()),
                            store_id: None,
                            limit: None,
                            include_deleted: None,
                        },
                    )
                    .unwrap();
                black_box(hits)
            })
        });
    }
    g.finish();
}

/// `verify` re-hashes the whole chain and replays on-hand for every batch:
/// linear in events. The fixture holds 200 batches and ~10,000 events.
fn verify(c: &mut Criterion) {
    let mut fx = Fixture::new();
    let mut products = Vec::new();
    for i in 0..50 {
        let id = fx.product(
            &format!("V-{i:03}"),
            &format!("Verify product {i}"),
            tablets(15),
        );
        for lot in 0..4 {
            fx.receive(
                id,
                &format!("V{i:03}-{lot}"),
                Qty::from(100_000),
                "2027-01-31",
            );
        }
        products.push(id);
    }
    let admin = fx.admin;
    for k in 0..9_800 {
        fx.db
            .execute(
                &admin,
                AllocateStockForSale {
                    product_id: products[k % products.len()],
                    store_id: None,
                    quantity: Qty::from(3),
                    reference_id: None,
                    allow_partial: Some(false),
                },
            )
            .unwrap();
    }
    let report = fx.db.execute(&admin, Verify::default()).unwrap();
    assert!(
        report.ok,
        "fixture must verify cleanly: {:?}",
        report.problems
    );
    let label = format!(
        "{}_events_{}_batches",
        report.events_checked, report.batches_checked
    );
    let mut g = tuned(c, "verify");
    g.bench_function(label, |b| {
        b.iter(|| black_box(fx.db.execute(&admin, Verify::default()).unwrap()))
    });
    g.finish();
}

criterion_group!(
    benches,
    allocate_stock_for_sale,
    receive_stock,
    search_products,
    verify
);
criterion_main!(benches);
