//! Many tills on one file: 16 threads, each with its own connection (`Db`),
//! open the same database at the same moment and sell the same product, 1 to
//! 3 units a sale, until it runs out. Nothing may be oversold, every unit
//! received must be sold exactly once, no batch may go negative, the ledger
//! must verify, and no error at all (in particular no "database is locked")
//! may reach a thread.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use pharmapos_engine::ids::BatchId;
use pharmapos_engine::num::Qty;
use pharmapos_engine::stock::allocate::AllocateStockForSale;
use pharmapos_engine::stock::queries::GetProductStock;
use std::collections::HashMap;
use std::sync::{Arc, Barrier};

const THREADS: usize = 16;

#[derive(Default, Debug)]
struct Tally {
    sales: u64,
    allocated_milli: i64,
    per_batch: HashMap<BatchId, i64>,
    references: Vec<String>,
}

#[test]
fn sixteen_tills_sell_one_product_until_it_runs_out() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    // 5 batches, 400 tablets, several expiries so FEFO moves across batches under contention.
    let received: i64 = [(30, 60), (10, 90), (45, 70), (90, 100), (200, 80)]
        .iter()
        .enumerate()
        .map(|(i, (exp, n))| {
            fx.receive(p, &format!("C-{i}"), day(*exp), *n);
            *n
        })
        .sum();
    let path = fx.path.clone();
    let cashier = fx.cashier;
    let barrier = Arc::new(Barrier::new(THREADS));

    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let path = path.clone();
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || -> Result<Tally, String> {
                barrier.wait(); // every till opens the file at once
                let mut db = pharmapos_engine::Db::open_with(
                    &path,
                    pharmapos_engine::OpenOptions {
                        sync: pharmapos_engine::SyncMode::Full,
                        clock: Arc::new(pharmapos_engine::clock::FixedClock(now())),
                    },
                )
                .map_err(|e| format!("thread {t}: open: {e}"))?;
                let mut tally = Tally::default();
                let mut rng =
                    0x9E37_79B9_7F4A_7C15u64 ^ (t as u64 + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                loop {
                    rng ^= rng << 13;
                    rng ^= rng >> 7;
                    rng ^= rng << 17;
                    let want = 1 + (rng % 3) as i64;
                    let reference = format!("T{t}-S{}", tally.sales);
                    let r = db
                        .execute(
                            &cashier,
                            AllocateStockForSale {
                                product_id: p,
                                store_id: None,
                                quantity: Qty::from(want),
                                reference_id: Some(reference.clone()),
                                allow_partial: Some(true),
                            },
                        )
                        .map_err(|e| {
                            format!("thread {t}: sale {}: {} ({})", tally.sales, e, e.to_json())
                        })?;
                    let got = r.allocated_quantity.to_scaled("q").unwrap();
                    if got == 0 {
                        if !r.batches.is_empty() {
                            return Err(format!("thread {t}: zero allocation listed batches"));
                        }
                        break;
                    }
                    for b in &r.batches {
                        *tally.per_batch.entry(b.batch_id).or_insert(0) +=
                            b.quantity.to_scaled("q").unwrap();
                    }
                    tally.sales += 1;
                    tally.allocated_milli += got;
                    tally.references.push(reference);
                    if got > want * 1000 {
                        return Err(format!("thread {t}: asked {want}, got {got} milli"));
                    }
                }
                Ok(tally)
            })
        })
        .collect();

    let mut total = 0i64;
    let mut sales = 0u64;
    let mut per_batch: HashMap<BatchId, i64> = HashMap::new();
    let mut errors = Vec::new();
    for h in handles {
        match h.join().expect("a till thread panicked") {
            Ok(t) => {
                total += t.allocated_milli;
                sales += t.sales;
                for (b, q) in t.per_batch {
                    *per_batch.entry(b).or_insert(0) += q;
                }
            }
            Err(e) => errors.push(e),
        }
    }
    assert!(errors.is_empty(), "errors reached the tills: {errors:#?}");
    assert_eq!(
        total,
        received * 1000,
        "every unit received is sold exactly once (nothing oversold, nothing lost)"
    );
    assert!(sales >= (received / 3) as u64);

    // The file agrees with what the tills were told.
    let s = fx.run(GetProductStock {
        product_id: p,
        store_id: None,
    });
    assert_eq!(s.on_hand, qi(0));
    assert_eq!(s.available, qi(0));
    for b in fx.inventory() {
        let sold = per_batch.get(&b.batch_id).copied().unwrap_or(0);
        assert_eq!(b.quantity, qi(0), "batch {} not emptied", b.batch_number);
        assert_eq!(
            sold,
            b.initial_quantity.to_scaled("q").unwrap(),
            "batch {} sold != received",
            b.batch_number
        );
    }
    let allocated_events: i64 = fx
        .raw()
        .query_row("SELECT COUNT(DISTINCT reference_id) FROM inventory_audit WHERE change_type = 'allocated'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        allocated_events as u64, sales,
        "one audited sale per successful allocation"
    );
    let negative: i64 = fx
        .raw()
        .query_row(
            "SELECT COUNT(*) FROM batches WHERE on_hand_milli < 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(negative, 0);
    fx.assert_verified();
}
